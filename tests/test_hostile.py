"""Long and hostile input: texts past spaCy's max_length go through in pieces with whole-text offsets;
what is read (regular files, --max-bytes, links out of a folder) and inputs that were quadratic or crashed."""

import io
import json
import os
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipx.cli import app
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
runner = CliRunner()


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
    (record,) = json.loads(done.stdout)
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


# ------------------------------------------------------------------ what is read (issue 12)


@contextmanager
def deadline(seconds: float):
    """Fail (TimeoutError) a block still running after ``seconds``: a blocking open or a
    quadratic loop is interrupted instead of holding the suite for minutes."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


RELEASE = (
    "Lilongwe, 3 May 2024 - The International Organization for Migration (IOM) trained 40 border "
    "officials from Malawi, with funding from the European Union. Contact: gbanda@iom.int."
)


def _errors(stderr: str) -> dict[str, str]:
    """{path: reason} of the `tipx: PATH: reason` lines."""
    return dict(line.removeprefix("tipx: ").split(": ", 1) for line in stderr.splitlines())


def test_pipes_devices_and_sockets_are_refused_without_blocking(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(RELEASE)
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)  # no writer: opening it for reading would wait forever
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "socket.txt"))
    try:
        with deadline(30):
            result = runner.invoke(
                app,
                ["extract", str(good), str(fifo), "/dev/null", str(tmp_path / "socket.txt"), "-f", "jsonl"],
            )
    finally:
        sock.close()
    assert result.exit_code == 1
    assert _errors(result.stderr) == {
        str(fifo): "not a regular file (a named pipe)",
        "/dev/null": "not a regular file (a character device)",
        str(tmp_path / "socket.txt"): "not a regular file (a socket)",
    }
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["address"] for e in record["emails"]] == ["gbanda@iom.int"]


def test_endless_devices_are_not_read(tmp_path):
    import resource

    good = tmp_path / "good.txt"
    good.write_text(RELEASE)
    limit = 2 * 2**30  # read whole, /dev/zero took 9.4 GB in 20 s: here a MemoryError instead
    done = subprocess.run(
        [sys.executable, "-m", "tipx", "extract", str(good), "/dev/zero", "/dev/urandom", "-f", "jsonl"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)),
    )
    assert done.returncode == 1
    assert _errors(done.stderr) == dict.fromkeys(
        ["/dev/zero", "/dev/urandom"], "not a regular file (a character device)"
    )


def test_summarize_a_folder_holding_a_pipe(tmp_path):
    (tmp_path / "good.txt").write_text(RELEASE)
    os.mkfifo(tmp_path / "pipe.txt")
    with deadline(30):
        result = runner.invoke(app, ["summarize", str(tmp_path), "-f", "json"])
    assert result.exit_code == 1
    assert _errors(result.stderr) == {str(tmp_path / "pipe.txt"): "not a regular file (a named pipe)"}
    assert json.loads(result.stdout)["summary"]["documents"] == 1


def test_files_larger_than_max_bytes_are_refused(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as file:
        file.truncate(212_000_000)  # sparse: nothing is written
    small = tmp_path / "small.txt"
    small.write_text(RELEASE)
    result = runner.invoke(app, ["extract", str(big), str(small), "-f", "jsonl"])
    assert result.exit_code == 1
    assert _errors(result.stderr) == {str(big): "too large: 212 MB > 50 MB (--max-bytes)"}
    result = runner.invoke(app, ["extract", str(small), "--max-bytes", "100", "-f", "jsonl"])
    assert _errors(result.stderr) == {
        str(small): f"too large: {len(RELEASE)} bytes > 100 bytes (--max-bytes)"
    }
    for limit in ("1kB", "0"):
        assert runner.invoke(app, ["extract", str(small), "--max-bytes", limit, "-f", "json"]).exit_code == 0
    result = runner.invoke(app, ["summarize", str(tmp_path), "--max-bytes", "1kB", "-f", "json"])
    assert result.exit_code == 1 and list(_errors(result.stderr)) == [str(big)]
    result = runner.invoke(app, ["extract", str(small), "--max-bytes", "lots"])
    assert result.exit_code == 2 and "not a size: 'lots'" in result.stderr


@pytest.mark.parametrize(
    "text, size",
    [("50MB", 50_000_000), ("800kB", 800_000), ("1.5G", 1_500_000_000), ("4096", 4096), ("0", 0)],
)
def test_sizes(text, size):
    from tipx.reading import parse_size

    assert parse_size(text) == size


def test_standard_input_is_read_up_to_max_bytes(monkeypatch):
    from tipx.reading import InputError, read_bytes

    class Endless(io.RawIOBase):  # /dev/zero on standard input: reading it all never ends
        served = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            self.served += len(buffer)
            assert self.served < 100_000_000, "read on past the limit"
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with deadline(30), pytest.raises(InputError, match=r"^too large: more than 1 MB \(--max-bytes\)$"):
        read_bytes("-", 1_000_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(RELEASE.encode())))
    assert read_bytes("-", len(RELEASE)) == RELEASE.encode()


# Inputs the stdlib HTML parser (and our handling of its events) took quadratic time on, at ten
# times the size of the reports (33,000 "<a " took 70 s): now each takes well under a second.
HOSTILE_HTML = {
    "unterminated tags": "<a " * 330_000,
    "unterminated comments": "<p>x</p>" + "<!--" * 250_000,
    "marked sections": "<p>x</p>" + "<![CDATA[ >" * 100_000,
    "nested lists": "<html><body>" + "<ul><li>word " * 50_000,
    "long headline": "<html><body><h1>" + ("word " * 200 + "<i>") * 20_000,  # 20 MB in 20,000 pieces
}


@pytest.mark.parametrize("case", list(HOSTILE_HTML))
def test_hostile_html_is_read_in_linear_time(case):
    from tipx.reading import own_html_to_text

    markup = f"<p>{RELEASE}</p>" + HOSTILE_HTML[case]
    with deadline(10):
        converted = own_html_to_text(markup)
    assert RELEASE in converted.text
    assert "<a" not in converted.text  # an unterminated tag runs to the end of the page, as in browsers


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    [
        # each dateline the headline of the next one: datelines were counted again for each
        "Rome, 1 May 2023 - Aid to flood victims\n",
        # 34,000 articles: the footer was searched for to the end of the page for each
        "Officials Trained On Victim Identification\nMaseru, 14 March 2023\n",
    ],
)
def test_dateline_lines_are_split_in_linear_time(unit):
    from tipx.cleaning import split_articles

    text = unit * (2_200_000 // len(unit))  # 10,000 dateline lines took 9.3 s, 4x per doubling
    with deadline(60):  # a few seconds; quadratic, this was a quarter of an hour
        found = split_articles(text, "archive.txt")
    assert found and sum(len(a.text) for a in found) >= len(text) // 3


def test_wrapped_lines_are_joined_in_linear_time():
    from tipx.cleaning import join_wrapped

    line = "the officials were trained on victim identification and referral in the capital"
    with deadline(20):  # 40,000 lines into one paragraph: re-joined at every line it was minutes
        [joined] = join_wrapped([line] * 40_000)
    assert joined == " ".join([line] * 40_000)


@pytest.mark.slow
def test_a_page_of_many_mailto_links_is_read_in_linear_time():
    from tipx.reading import html_to_text

    links = "".join(f"Write to <a href='mailto:desk{i}@iom.int'>desk {i}</a>. " for i in range(60_000))
    markup = f"<html><body><article><p>{RELEASE}</p><p>{links}</p></article></body></html>"
    with deadline(15):  # each address was searched for in the whole text: 45 s, 3x per doubling
        converted = html_to_text(markup)
    assert "desk59999@iom.int" in converted.text


def test_pages_are_joined_in_linear_time():
    from tipx.reading import join_pages

    assert (
        join_pages(["It ended.", "", "the next", "runs on", "", ""])
        == "It ended.\n\n\nthe next\nruns on\n\n\n\n"
    )
    with deadline(10):  # a 100,000-page text layer: the text so far was searched at every page
        text = join_pages(["the sentence runs on to the next page and"] * 100_000)
    assert text.count("\n") == 99_999


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><![ </body></html>",  # AssertionError in the stdlib parser
        "<html><body><![foo[ x ]]> </body></html>",
    ],
)
def test_malformed_marked_sections_give_one_line(tmp_path, markup):
    bad = tmp_path / "bad.html"
    bad.write_text(markup)
    good = tmp_path / "good.html"
    good.write_text(f"<html><body><p>{RELEASE}</p><![ bogus ]><p>More text.</p></body></html>")
    result = runner.invoke(app, ["extract", str(good), str(bad), "-f", "jsonl"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert _errors(result.stderr) == {str(bad): "no text"}
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["address"] for e in record["emails"]] == ["gbanda@iom.int"]


def test_pdf_whose_text_layer_has_a_lone_surrogate(tmp_path):
    from documents import pdf_bytes

    # The font's ToUnicode map reads "~" as U+D800, half a surrogate pair: no encoder takes it.
    path = tmp_path / "broken-map.pdf"
    path.write_bytes(pdf_bytes([[RELEASE.replace("40", "~ 40")]], to_unicode={"~": "D800"}))
    result = runner.invoke(app, ["extract", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)[0]
    assert "\ufffd 40 border officials" in record["participants"][0]["sentence"]
    assert [p["count"] for p in record["participants"]] == [40]
    assert [e["address"] for e in record["emails"]] == ["gbanda@iom.int"]


def test_surrogates_are_repaired_or_replaced():
    from tipx.cleaning import valid_unicode

    assert valid_unicode("a\ud800b \udc00") == "a\ufffdb \ufffd"
    assert valid_unicode("\ud83d\ude00 IOM") == "\U0001f600 IOM"  # a pair, split: one character again
    assert valid_unicode("plain") == "plain"


def test_docx_tables_nested_twenty_deep_keep_their_text(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Lilongwe, 3 May 2024 - Border officials from Malawi were trained.")
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    cell.text = "Level 0"
    for depth in range(1, 21):
        inner = cell.add_table(rows=1, cols=2)
        inner.cell(0, 1).text = f"Level {depth}"
        cell = inner.cell(0, 0)
    cell.text = "The training was funded by the European Union."
    cell.add_paragraph("Contact: gbanda@iom.int")
    path = tmp_path / "nested.docx"
    document.save(path)
    result = runner.invoke(app, ["extract", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)[0]
    assert [f["name"] for f in record["funders"]] == ["European Union"]
    assert [e["address"] for e in record["emails"]] == ["gbanda@iom.int"]


def test_links_out_of_a_folder_are_skipped_and_named(tmp_path):
    secret = tmp_path / "private" / "passwd"
    secret.parent.mkdir()
    secret.write_text("Contact: root.secret@example.org for the root password.")
    folder = tmp_path / "leak"
    (folder / "sub").mkdir(parents=True)
    (folder / "release.txt").write_text(RELEASE)
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "sub" / "up.txt").symlink_to("../../private/passwd")
    (folder / "sub" / "inside.txt").symlink_to("../release.txt")  # a link within the folder is read
    result = runner.invoke(app, ["summarize", str(folder), "-f", "json"])
    assert result.exit_code == 1
    skipped = "skipped: link to outside the folder (--follow-links to read it)"
    assert _errors(result.stderr) == {
        str(folder / "passwd.txt"): skipped,
        str(folder / "sub" / "up.txt"): skipped,
    }
    assert "root.secret" not in result.stdout
    report = json.loads(result.stdout)
    assert {e["source"] for e in report["errors"]} == {
        str(folder / "passwd.txt"),
        str(folder / "sub" / "up.txt"),
    }
    assert report["summary"]["duplicates"] == [
        {"source": str(folder / "sub" / "inside.txt"), "duplicate_of": str(folder / "release.txt")}
    ]
    result = runner.invoke(app, ["summarize", str(folder), "--follow-links", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert "root.secret@example.org" in result.stdout


def test_extract_of_a_folder_names_the_links_it_skips(tmp_path):
    """`extract FOLDER` skips a link out of the folder as `summarize` does, and says so."""
    secret = tmp_path / "passwd"
    secret.write_text("Contact: root.secret@example.org for the root password.")
    folder = tmp_path / "leak"
    folder.mkdir()
    (folder / "release.txt").write_text(RELEASE)
    (folder / "passwd.txt").symlink_to(secret)
    result = runner.invoke(app, ["extract", str(folder), "-f", "json"])
    assert result.exit_code == 1
    assert _errors(result.stderr) == {
        str(folder / "passwd.txt"): "skipped: link to outside the folder (--follow-links to read it)"
    }
    assert "root.secret" not in result.stdout
    assert [r["source"] for r in json.loads(result.stdout)] == [str(folder / "release.txt")]
    result = runner.invoke(app, ["extract", str(folder), "--follow-links", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert "root.secret@example.org" in result.stdout
