"""Long input: texts past spaCy's max_length are processed in pieces with whole-text offsets."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tipx.engine import pieces

from conftest import record_items


def test_pieces_cover_the_text_and_respect_the_limit():
    text = ("Paragraph with a sentence. " * 40 + "\n\n") * 400
    cuts = list(pieces(text, 5000))
    assert "".join(piece for _, piece in cuts) == text
    assert all(len(piece) <= 5000 for _, piece in cuts)
    assert [offset for offset, _ in cuts] == [sum(len(p) for _, p in cuts[:i]) for i in range(len(cuts))]


# ------------------------------------------------------------------ long and crafted input

SCRIPTS = Path(__file__).parent / "scripts"


def _release_paragraph(i: int) -> str:
    return (
        f"Paragraph {i}: the International Organization for Migration (IOM) trained {i % 90 + 10} "
        f"officers in Malawi on 3 May 2024, with funding from the European Union."
    )


def test_text_longer_than_spacy_max_length_keeps_offsets():
    from tipx.cleaning import prepare
    from tipx.extraction import extract

    text = "\n\n".join(_release_paragraph(i) for i in range(8_000)) + "\n\nContact: last@iom.int"
    assert len(text) > 1_000_000  # spaCy's max_length
    [article] = prepare(text, "long.txt")
    [record] = extract(text=text, source="long.txt", model="blank")
    assert [e["address"] for e in record["emails"]] == ["last@iom.int"]  # found in the last piece
    assert len(next(o for o in record["organisations"] if o["acronym"] == "IOM")["mentions"]) >= 8_000
    assert {p["count"] for p in record["participants"]} == set(range(10, 100))
    for item in record_items(record):
        assert article.text[item["start_char"] : item["end_char"]] == item["text"]


def test_one_megabyte_single_line(tmp_path):
    from tipx.engine import read_document as read_path

    # A page exported without a single line break or sentence end: dense with mentions.
    line = " ".join(_release_paragraph(i).rstrip(".") for i in range(7_000))
    assert len(line) > 1_000_000 and "\n" not in line
    path = tmp_path / "line.txt"
    path.write_text(line)
    done = subprocess.run(
        [sys.executable, "-m", "tipx", "extract", str(path), "--model", "blank", "-f", "json"],
        capture_output=True,
        text=True,
        timeout=600,  # a guard against a hang, not a speed target (see bench/)
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    [article] = read_path(str(path))
    assert {o["acronym"] for o in record["organisations"]} == {"IOM", "EU"}
    assert [c["iso2"] for c in record["countries"]] == ["MW"]
    for item in record_items(record):
        assert article.text[item["start_char"] : item["end_char"]] == item["text"]
        assert len(item.get("sentence", "")) <= 1000  # provenance stays a window, not the page


def test_every_regular_expression_is_linear_on_crafted_strings():
    """Each pattern of tipx (module constants, date grammar, boilerplate markers) meets
    100,000-character strings built to trigger backtracking; the guard is for hours, not seconds."""
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "crafted_regex.py"), "100000"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "pattern x input pairs" in done.stdout


@pytest.mark.parametrize(
    "unit", ["a@" * 3 + "b.", "Ministry of ", "IOM and ", "Jean-", "(", "1 January 2024 - "]
)
def test_extract_on_crafted_strings(unit):
    from tipx.extraction import extract

    text = (unit * (30_000 // len(unit) + 1))[:30_000]
    records = extract(text=text, source="crafted.txt", model="blank")
    assert len(records) <= 1
