"""The README's quality table, computed: `tipx.evaluate` on the development corpora, rules only
and with the statistical model, as a Markdown table of F1 per field and the macro-F1.

    python bench/quality_table.py            # print the table
    python bench/quality_table.py --write    # and put it into README.md between its markers

The corpora are read from $TIPX_CORPUS (default: ../shared/corpus beside the repository), as
the tests read them; each corpus folder holds documents and their NAME.gold.json files.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CORPORA = ("dev", "dev2")
MODES = {"blank": "rules only (default)", "sm": "`--model sm`"}  # --model value: column label
START, END = "<!-- quality-table:start -->", "<!-- quality-table:end -->"


def corpus_root() -> Path:
    return Path(os.environ.get("TIPX_CORPUS", ROOT.parent / "shared" / "corpus"))


def column(corpus: str, model: str) -> str:
    return f"{corpus}, {MODES[model]}"


def rows(scores: dict[tuple[str, str], dict]) -> list[list[str]]:
    """The table, header first: a row per field scored in any column (registry order), then the
    macro-F1; ``scores`` maps (corpus, model) to what ``tipx.evaluate.evaluate`` returns."""
    from tipx.evaluate import macro_f1
    from tipx.fields import FIELDS

    out = [["field", *(column(corpus, model) for corpus, model in scores)]]
    for fld in FIELDS:
        if any(fld.name in s for s in scores.values()):
            cells = (f"{s[fld.name].f1:.3f}" if fld.name in s else "n/a" for s in scores.values())
            out.append([fld.name, *cells])
    out.append(["**macro-F1**", *(f"**{macro_f1(s):.3f}**" for s in scores.values())])
    return out


def markdown(table: list[list[str]]) -> str:
    lines = [table[0], ["---"] * len(table[0]), *table[1:]]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines) + "\n"


def parse(text: str) -> list[list[str]]:
    """The table between the markers of a README's text, as rows of cells (header first)."""
    match = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.S)
    if match is None:
        raise ValueError(f"no {START} ... {END} in the README")
    lines = [line.strip().strip("|") for line in match.group(1).strip().splitlines()]
    return [[cell.strip() for cell in line.split("|")] for line in lines if not set(line) <= set("-| ")]


def replace(text: str, table: str) -> str:
    """The README's text with the table between its markers replaced."""
    parse(text)  # the markers are there
    start, end = text.index(START) + len(START), text.index(END)
    return text[:start] + "\n" + table + text[end:]


def evaluate_all(root: Path, models: list[str]) -> dict[tuple[str, str], dict]:
    from tipx.evaluate import evaluate

    return {(corpus, model): evaluate(root / corpus, model=model) for corpus in CORPORA for model in models}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument(
        "--models", nargs="+", choices=list(MODES), default=list(MODES), help="columns per corpus"
    )
    args = parser.parse_args(argv)
    root = corpus_root()
    missing = [corpus for corpus in CORPORA if not (root / corpus).is_dir()]
    if missing:
        sys.exit(f"quality_table: no corpus {', '.join(missing)} under {root} (set TIPX_CORPUS)")
    table = markdown(rows(evaluate_all(root, args.models)))
    print(table, end="")
    if args.write:
        if args.models != list(MODES):
            sys.exit("quality_table: --write needs every column (all --models)")
        args.readme.write_text(replace(args.readme.read_text(encoding="utf-8"), table), encoding="utf-8")
        print(f"wrote the table into {args.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
