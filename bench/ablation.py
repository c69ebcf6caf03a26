"""What each evidence source of the organisation finder adds: F1 of organisations (and of
funders, which read them) on each development corpus with all evidence, and with one source
switched off at a time, through the component's ``evidence`` setting.

    python bench/ablation.py [--model blank] [../shared/corpus/dev ../shared/corpus/dev2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tipx.components.organisations.component import EVIDENCE
from tipx.evaluate import evaluate
from tipx.pipeline import build_pipeline

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "corpora", nargs="*", default=[str(ROOT.parent / "shared" / "corpus" / c) for c in ("dev", "dev2")]
    )
    parser.add_argument("--model", default="blank")
    args = parser.parse_args()
    settings = [("all evidence", list(EVIDENCE))]
    settings += [(f"without {kind}", [k for k in EVIDENCE if k != kind]) for kind in EVIDENCE]
    settings.append(("none (gazetteer off too)", []))
    names = [Path(c).name for c in args.corpora]
    print(f"model {args.model}; organisations P/R/F1 and funders F1 per corpus")
    print(f"{'':28s}" + "".join(f"{n:>28s}" for n in names))
    for label, evidence in settings:
        nlp = build_pipeline(args.model, {"tipx_organisations": {"evidence": evidence}})
        cells = []
        for corpus in args.corpora:
            scores = evaluate(corpus, nlp=nlp)
            o, f = scores["organisations"], scores["funders"]
            cells.append(f"{o.precision:.3f}/{o.recall:.3f}/{o.f1:.3f} fun {f.f1:.3f}")
        print(f"{label:28s}" + "".join(f"{c:>28s}" for c in cells))


if __name__ == "__main__":
    main()
