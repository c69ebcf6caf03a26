"""Where the time goes: seconds per pipeline component, input preparation and dateparser.

    python bench/profile_components.py                      # dev corpus + 500 generated documents
    python bench/profile_components.py --corpus DIR -n 2000

Each component of the tipx pipeline is wrapped in a timer (the same objects nlp.pipe runs), the
input preparation (`engine.read_document`) is timed per file, and dateparser's calls are counted
and timed by wrapping the one function tipx calls. The figures are shares of one run; run it
twice and compare shares, not absolute seconds, on shared machines.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench_summarize import make_corpus

ROOT = Path(__file__).resolve().parents[1]


def profile(paths: list[str], model: str | None) -> dict[str, float]:
    from tipx.engine import read_document, records
    from tipx.pipeline import load_pipeline
    from tipx.reading import InputError

    nlp = load_pipeline(model)
    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    # Language.pipe calls each component's .pipe when it has one, else the component itself;
    # swapping the objects in place keeps the pipeline (and its listeners) as it is.
    originals = list(nlp._components)
    nlp._components[:] = [(name, _Timed(name, component, spent)) for name, component in originals]

    tokenizer = nlp.tokenizer
    nlp.tokenizer = _Timed("tokenizer", tokenizer, spent)

    import dateparser

    parse = dateparser.parse  # tipx calls dateparser.parse (cached per date) and nothing else

    def counted(*args, **kwargs):
        calls["dateparser"] += 1
        start = time.perf_counter()
        try:
            return parse(*args, **kwargs)
        finally:
            spent["dateparser (inside tipx_dates and reading)"] += time.perf_counter() - start

    dateparser.parse = counted

    def articles():
        for path in paths:
            start = time.perf_counter()
            try:
                items = read_document(path)
            except InputError:
                items = []
            spent["input preparation (read_document)"] += time.perf_counter() - start
            yield from items

    start = time.perf_counter()
    n = sum(1 for _ in records(articles(), nlp, 16))
    total = time.perf_counter() - start
    nlp._components[:] = originals
    nlp.tokenizer = tokenizer
    dateparser.parse = parse
    spent["record building and the rest"] = total - sum(
        v for k, v in spent.items() if not k.startswith("dateparser")
    )
    print(f"{len(paths)} files, {n} records, {total:.2f} s ({calls['dateparser']} dateparser calls)")
    return dict(spent) | {"total": total}


class _Timed:
    """A pipeline component that times the one it wraps (keeps .pipe batching if it has one)."""

    def __init__(self, name, component, spent):
        self.name, self.component, self.spent = name, component, spent

    def __call__(self, doc):
        start = time.perf_counter()
        out = self.component(doc)
        self.spent[self.name] += time.perf_counter() - start
        return out

    def pipe(self, docs, **kwargs):
        if not hasattr(self.component, "pipe"):
            yield from (self(doc) for doc in docs)
            return
        # nlp.pipe chains generators: pulling a Doc out of this component runs the upstream ones
        # too, so the time spent pulling from upstream is subtracted.
        upstream = [0.0]

        def pulled():
            for_upstream = iter(docs)
            while True:
                start = time.perf_counter()
                try:
                    doc = next(for_upstream)
                except StopIteration:
                    return
                finally:
                    upstream[0] += time.perf_counter() - start
                yield doc

        iterator = self.component.pipe(pulled(), **kwargs)
        while True:
            start, before = time.perf_counter(), upstream[0]
            try:
                doc = next(iterator)
            except StopIteration:
                return
            finally:
                self.spent[self.name] += time.perf_counter() - start - (upstream[0] - before)
            yield doc


def show(title: str, spent: dict[str, float]) -> None:
    total = spent.pop("total")
    print(f"\n{title}\n| step | seconds | share |\n| --- | ---: | ---: |")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")
    print(f"| total | {total:.2f} | 100% |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dev", default=str(ROOT.parent / "shared" / "corpus" / "dev"))
    parser.add_argument("-n", type=int, default=500, help="generated documents")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    from tipx.reading import DOCUMENT_SUFFIXES

    dev = sorted(str(p) for p in Path(args.dev).iterdir() if p.name.endswith(DOCUMENT_SUFFIXES))
    if dev:
        profile(dev[:2], args.model)  # warm-up: model load, lazy imports, caches
        show("dev corpus", profile(dev, args.model))
    with tempfile.TemporaryDirectory() as tmp:
        make_corpus(Path(tmp), args.n)
        paths = sorted(str(p) for p in Path(tmp).rglob("*.txt"))
        show(f"benchmark corpus ({args.n} generated documents)", profile(paths, args.model))


if __name__ == "__main__":
    main()
