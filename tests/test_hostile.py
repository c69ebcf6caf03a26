"""Long and hostile input: pieces past spaCy's max_length, one huge line, crafted strings."""

import subprocess
import sys

from tipx.extraction import PIECE_CHARS, pieces, process_items
from tipx.reader import prepare


def test_pieces_cover_the_text_and_respect_the_limit():
    text = ("Paragraph with a sentence. " * 40 + "\n\n") * 400
    cuts = pieces(text, 5000)
    assert "".join(piece for _, piece in cuts) == text
    assert all(len(piece) <= 5000 for _, piece in cuts)
    assert [offset for offset, _ in cuts] == [sum(len(p) for _, p in cuts[:i]) for i in range(len(cuts))]


def test_text_longer_than_max_length_keeps_offsets_right():
    from tipx.pipeline import build

    nlp = build("blank")
    paragraph = (
        "Maseru, 14 March 2023 – The International Organization for Migration (IOM) trained 36 "
        "officers of the Lesotho Mounted Police Service with funding from the European Union. "
        "Contact: Jane Doe, jdoe@iom.int\n\n"
    )
    text = paragraph * (3 * nlp.max_length // len(paragraph) // 2)  # 3 million characters
    assert len(text) > nlp.max_length > PIECE_CHARS
    (article,) = prepare(text, "long.txt")
    ((_, record),) = list(process_items([article], nlp))
    iom = next(o for o in record["organisations"] if o["acronym"] == "IOM")
    assert len(iom["mentions"]) > 1000
    last = iom["mentions"][-1]
    assert last["start_char"] > 2_900_000
    for mention in iom["mentions"][::97]:
        assert article.text[mention["start_char"] : mention["end_char"]] == mention["text"]
    assert [e["address"] for e in record["emails"]] == ["jdoe@iom.int"]


def test_one_megabyte_single_line(run):
    line = "IOM trained 12 officers in Maseru on 3 May 2024 and " * 20000
    (record,) = run(line[:1_000_000])
    assert {d["start"] for d in record["dates"]} == {"2024-05-03"}


CRAFTED = r"""
import re, sys
from tipx.components.contacts import EMAIL
from tipx.datetext import find_dates
from tipx.reader import prepare
n = 100_000
attacks = ["a" * n, "a." * (n // 2), "a@" * (n // 2), "a@b." * (n // 4), "-" * n + "@", "1-" * (n // 2),
           "12 " * (n // 3), "May " * (n // 4), "A, " * (n // 3), "Aa " * (n // 3) + "-", "(" * n,
           "| " * (n // 2),
           "<a " * (n // 3), "&#" * (n // 2), "**" * (n // 2), "[a](" * (n // 4), "mailto:" * (n // 7)]
for s in attacks:
    list(EMAIL.finditer(s))
    find_dates(s)
    try:
        prepare(s, "x.md"); prepare(s, "x.txt"); prepare(s, "x.html")
    except Exception as exc:
        assert type(exc).__name__ == "InputError", exc
print("ok")
"""


def test_regular_expressions_run_in_linear_time_on_crafted_input():
    # Catastrophic backtracking would take hours; each 100,000-character string takes well under
    # a second. The generous limit only turns a hang into a failure.
    result = subprocess.run([sys.executable, "-c", CRAFTED], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
