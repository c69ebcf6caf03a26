"""Feed every regular expression of tipx crafted 100,000-character strings.

Run by tests/test_hostile.py in a subprocess under a time guard: a catastrophic backtracking
pattern takes hours on these inputs, a linear one milliseconds. Prints the slowest pairs.
"""

import importlib
import pkgutil
import re
import sys
import time

import tipx
import tipx.components

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def crafted(n: int) -> dict[str, str]:
    units = {
        "letters": "a", "spaces": " ", "odd spaces": "\t \u00a0", "at": "@", "a@": "a@", "a.": "a.",
        "a@a.": "a@a.", "a-b@": "a-b@", "dots": ".", "dashes": "-", "digits": "1", "1-": "1-", "1 ": "1 ",
        "parens": "(", "brackets": "[", "](": "](", "*a": "*a", "_a": "_a", "lt": "<", "<a ": "<a ",
        "&#": "&#1", "caps": "A ", "names": "Aa ", "months": "May ", "dates": "January 1, ",
        "newlines": "\n", "a\\n": "a\n", ". ": ". ", "- A -": "- A -", "quotes": "\"'", "bars": "| ",
        "mailto": "\"mailto:a", "url": "http://a", "of": "Ministry of ", "and": "IOM and ",
        "numbers": "1,000 ", "ordinals": "1st to ", "hyphen names": "Jean-", "slashes": "2024/",
    }  # fmt: skip
    return {name: (unit * (n // len(unit) + 1))[:n] for name, unit in units.items()}


def patterns() -> dict[str, re.Pattern]:
    found = {}
    for package in (tipx, tipx.components):
        for info in pkgutil.iter_modules(package.__path__):
            if info.name == "__main__":
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, value in vars(module).items():
                if isinstance(value, re.Pattern):
                    found[f"{module.__name__}.{name}"] = value
    # Patterns built from resource files at first use.
    from tipx import cleaning, datetext, reading

    found.update({f"boilerplate.json {kind}": pattern for kind, pattern in cleaning._markers().items()})
    found.update(
        {f"date grammar {name}": pattern for name, pattern in datetext.default_grammar().patterns.items()}
    )
    found["boilerplate.json html_skip_attr"] = reading._TextExtractor().skip_attr
    return found


timings = []
strings = crafted(N)
for pname, pattern in patterns().items():
    for sname, text in strings.items():
        start = time.perf_counter()
        for _ in pattern.finditer(text):
            pass
        timings.append((time.perf_counter() - start, pname, sname))
timings.sort(reverse=True)
print(f"{len(timings)} pattern x input pairs; slowest:")
for seconds, pname, sname in timings[:5]:
    print(f"  {seconds:.3f} s  {pname} on {sname!r}")
