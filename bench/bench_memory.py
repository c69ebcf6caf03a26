"""Peak memory of `tipx extract` on one long document, each case in a fresh process.

    python bench/bench_memory.py                       # 1, 5, 20 MB texts and a 10,000-paragraph DOCX
    python bench/bench_memory.py --sizes 1 5 --model blank sm --spacy

The texts are one long press release: a headline, a dateline, then paragraphs of the
development corpora's articles drawn at random with their numbers, years and countries varied
(so no two paragraphs repeat). The DOCX holds such paragraphs, one per paragraph. Each case runs
`tipx extract FILE -f json -o OUT` in its own process; its peak RSS is the kernel's (``wait4``).
With ``--spacy`` plain spaCy runs on the same text for a ratio: ``spacy.blank("en")`` or the
full en_core_web_sm, the text cut in the same 100,000-character pieces (spaCy's max_length
refuses 1 MB) through ``nlp.pipe(batch_size=16)``, each Doc dropped as it comes.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("TIPX_CORPUS", ROOT.parent / "shared" / "corpus"))
COUNTRIES = (
    "Malawi", "Kenya", "Lesotho", "Nigeria", "Ghana", "Thailand", "Cambodia", "Viet Nam", "Peru",
    "Colombia", "Moldova", "Ukraine", "Nepal", "Bangladesh", "Mexico", "Guatemala", "Morocco",
)  # fmt: skip
_COUNTRY = re.compile(r"\b(?:" + "|".join(COUNTRIES) + r")\b")
_NUMBER = re.compile(r"\b\d{1,3}\b")
_YEAR = re.compile(r"\b20[012]\d\b")

SPACY = """
import sys, spacy
from tipx.engine import pieces
nlp = spacy.blank("en") if sys.argv[1] == "blank" else spacy.load(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
for doc in nlp.pipe((piece for _, piece in pieces(text)), batch_size=16):
    pass
"""


def paragraphs() -> list[str]:
    """The development corpora's article paragraphs (cleaned as tipx cleans them), less those
    that would start or end an article (datelines, footers), so a text of them is one article."""
    from tipx.cleaning import _dateline, _is
    from tipx.engine import read_document

    furniture = ("footer", "header_blocks", "drop_lines", "metadata_lines", "archive_markers")

    found = []
    for folder in ("dev", "dev2"):
        for path in sorted((CORPUS / folder).iterdir()):
            if not path.name.endswith(".gold.json"):
                for article in read_document(str(path)):
                    found += [
                        p
                        for p in article.text.split("\n")
                        if len(p.split()) >= 15
                        and not _dateline(p)[0]
                        and not any(_is(kind, p) for kind in furniture)
                    ]
    if not found:
        raise SystemExit(f"no documents under {CORPUS} (set TIPX_CORPUS)")
    return found


def varied(rng: random.Random, source: list[str], size: int):
    """Paragraphs of ``source`` with numbers, years and countries varied, about ``size`` chars in all."""
    total = 0
    while total < size:
        p = rng.choice(source)
        p = _YEAR.sub(lambda _: str(rng.randint(2005, 2025)), p)
        p = _NUMBER.sub(lambda _: str(rng.randint(2, 400)), p)
        p = _COUNTRY.sub(lambda _: rng.choice(COUNTRIES), p)
        total += len(p) + 2
        yield p


HEAD = "Partners train officials to identify victims of trafficking\n\nLilongwe, 3 May 2024 – "


def make_text(path: Path, megabytes: float, source: list[str], seed: int = 7) -> None:
    body = "\n\n".join(varied(random.Random(seed), source, int(megabytes * 2**20)))
    path.write_text(HEAD + body + "\n", encoding="utf-8")


def make_docx(path: Path, n: int, source: list[str], seed: int = 7) -> None:
    import docx

    document = docx.Document()
    rng = random.Random(seed)
    document.add_paragraph(HEAD.split("\n")[0])
    for p in itertools.islice(varied(rng, source, 10**12), n):
        document.add_paragraph(p)
    document.save(str(path))


def peak(cmd: list[str], ok: tuple[int, ...] = (0, 1)) -> tuple[float, int]:
    """(seconds, peak RSS in bytes) of one command in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed: {err[-800:]}")
    return elapsed, usage.ru_maxrss * 1024  # kilobytes on Linux


def row(label: str, size: float, run: str, seconds: float, rss: int) -> None:
    print(f"| {label} | {size:.1f} | {run} | {seconds:.1f} | {rss / 2**20:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=float, nargs="*", default=[1, 5, 20], help="text sizes in MB")
    parser.add_argument("--docx", type=int, default=10_000, help="paragraphs of the DOCX (0: none)")
    parser.add_argument("--model", nargs="+", default=["blank"], help="tipx's --model values")
    parser.add_argument("--spacy", action="store_true", help="also plain spaCy on the same texts")
    args = parser.parse_args()

    from tipx.pipeline import resolve_model

    source = paragraphs()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = []
        for mb in args.sizes:
            path = folder / f"text_{mb:g}mb.txt"
            make_text(path, mb, source)
            cases.append((f"{mb:g} MB text", path))
        if args.docx:
            path = folder / f"doc_{args.docx}.docx"
            make_docx(path, args.docx, source)
            cases.append((f"{args.docx:,}-paragraph DOCX", path))
        print("| document | file MB | run | seconds | peak RSS MB |")
        print("| --- | ---: | --- | ---: | ---: |")
        for label, path in cases:
            size = path.stat().st_size / 2**20
            for model in args.model:
                cmd = [sys.executable, "-m", "tipx", "extract", str(path), "-m", model, "-f", "json"]
                seconds, rss = peak([*cmd, "-o", str(folder / "out.json")])
                row(label, size, f"tipx -m {model}", seconds, rss)
            if args.spacy and path.suffix == ".txt":
                for model in args.model:
                    name = resolve_model(model)
                    seconds, rss = peak([sys.executable, "-c", SPACY, name, str(path)], ok=(0,))
                    row(label, size, f"spaCy {name}", seconds, rss)


if __name__ == "__main__":
    main()
