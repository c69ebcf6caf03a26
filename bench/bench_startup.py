"""Start-up costs, measured side by side in one run (medians of --repeat runs, interleaved).

    python bench/bench_startup.py [--repeat 9]

Targets (issue 5): `tipx --version` and `tipx --help` within 0.3 s of a bare `python -c pass`;
a cold `tipx extract one.txt` within 1.3x of plain Python importing spaCy, loading the same
model and processing that one text.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "press_release.txt"
PLAIN = """
import sys, spacy
from tipx.pipeline import resolve_model
name = resolve_model(None)  # the same pipeline tipx loads by default (blank: rules only)
nlp = spacy.blank("en") if name == "blank" else spacy.load(name)
nlp(open(sys.argv[1], encoding="utf-8").read())
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    python = sys.executable
    tipx = (
        [python, "-m", "tipx"]
        if not (Path(python).parent / "tipx").exists()
        else [str(Path(python).parent / "tipx")]
    )
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "tipx --version": [*tipx, "--version"],
        "tipx --help": [*tipx, "--help"],
        "plain spaCy: import, load, one text": [python, "-c", PLAIN, str(SAMPLE)],
        "tipx extract one.txt": [*tipx, "extract", str(SAMPLE), "-f", "json"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"| command | median s ({args.repeat} runs) |\n| --- | ---: |")
    for name, seconds in median.items():
        print(f"| {name} | {seconds:.3f} |")
    bare = median["python -c pass"]
    print(f"\n--version: +{median['tipx --version'] - bare:.3f} s over python -c pass (target <= 0.3 s)")
    print(f"--help:    +{median['tipx --help'] - bare:.3f} s over python -c pass (target <= 0.3 s)")
    ratio = median["tipx extract one.txt"] / median["plain spaCy: import, load, one text"]
    print(f"cold extract: {ratio:.2f}x plain spaCy (target <= 1.3x)")


if __name__ == "__main__":
    main()
