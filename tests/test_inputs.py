"""Every real input and every bad input: formats, encodings, failures.

Each bad input is given to `tipx extract` next to a good press release: the bad one gets one
line on stderr naming the file and the reason, the exit code is 1 and the good record is intact.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from documents import docx_bytes, pdf_bytes, zip_bomb_docx
from typer.testing import CliRunner

from tipx.cli import app

from conftest import SAMPLES

runner = CliRunner()
GOOD = str(SAMPLES / "press_release.txt")

# A short release used for every format; what tipx must find in it whatever the wrapping.
RELEASE = [
    "Lilongwe, 3 May 2024 - The International Organization for Migration (IOM) trained",
    "40 border officials from Malawi and Zambia on victim identification, with funding",
    "from the European Union. For more information, contact Grace Banda at gbanda@iom.int.",
]


def expected_items(record: dict) -> tuple:
    return (
        {o["acronym"] for o in record["organisations"]},
        {c["iso2"] for c in record["countries"]},
        [p["count"] for p in record["participants"]],
        [f["name"] for f in record["funders"]],
        [e["address"] for e in record["emails"]],
    )


RELEASE_ITEMS = ({"IOM", "EU"}, {"MW", "ZM"}, [40], ["European Union"], ["gbanda@iom.int"])


@pytest.fixture(scope="module")
def good_record():
    result = runner.invoke(app, ["extract", GOOD, "-f", "json"])
    assert result.exit_code == 0
    (record,) = json.loads(result.stdout)
    return record


def extract_with_good(path, good_record) -> str:
    """Run extract on the good sample and ``path``; return the one stderr line about ``path``."""
    result = runner.invoke(app, ["extract", GOOD, str(path), "-f", "jsonl"])
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert [json.loads(line) for line in result.stdout.strip().splitlines()] == [good_record]
    prefix = f"tipx: {path}: "
    assert lines[0].startswith(prefix), lines[0]
    return lines[0][len(prefix) :]


# ------------------------------------------------------------------ formats that must work


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "release.pdf"
    path.write_bytes(pdf_bytes([RELEASE[:2], RELEASE[2:]], title="Border officials trained"))
    (record,) = json.loads(runner.invoke(app, ["extract", str(path), "-f", "json"]).stdout)
    assert record["title"] == "Border officials trained"
    assert expected_items(record) == RELEASE_ITEMS


def test_docx_paragraphs_tables_and_mailto_links(tmp_path):
    path = tmp_path / "release.docx"
    table = [["Country", "Officials trained"], ["Malawi", "22"], ["Zambia", "18"]]
    path.write_bytes(
        docx_bytes([" ".join(RELEASE[:2]) + " from the European Union."], table, "press@iom.int")
    )
    (record,) = json.loads(runner.invoke(app, ["extract", str(path), "-f", "json"]).stdout)
    organisations, countries, participants, funders, _ = expected_items(record)
    assert (organisations, countries, participants, funders) == RELEASE_ITEMS[:4]
    assert [e["address"] for e in record["emails"]] == ["press@iom.int"]


def test_html_main_content_keeps_mailto_of_a_contact_box(tmp_path):
    paragraphs = "<p>" + " ".join(RELEASE).split(" For more")[0] + "</p><p>Training continues in June.</p>"
    page = (
        "<!doctype html><html><head><title>Border officials trained | IOM</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        f"<article><h1>Border officials trained</h1>{paragraphs}</article>"
        "<div class='media-contact'>Media: <a href='mailto:gbanda@iom.int'>Grace Banda</a>, IOM</div>"
        "<footer>Contact us: <a href='mailto:hq@iom.int'>write</a> &copy; IOM</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page)
    (record,) = json.loads(runner.invoke(app, ["extract", str(path), "-f", "json"]).stdout)
    assert record["title"] == "Border officials trained"
    assert expected_items(record)[:4] == RELEASE_ITEMS[:4]
    assert "gbanda@iom.int" in [e["address"] for e in record["emails"]]
    assert "Home" not in json.dumps(record)


@pytest.mark.parametrize(
    "encoding, bom, warning",
    [
        ("utf-8", b"", None),
        ("utf-8", b"\xef\xbb\xbf", None),
        ("utf-16-le", b"\xff\xfe", None),
        ("utf-16-le", b"", "decoded as UTF-16-LE"),
        ("utf-16-be", b"", "decoded as UTF-16-BE"),
        ("cp1252", b"", "decoded as cp1252"),
        ("latin-1", b"", "decoded as cp1252"),  # the same bytes for these letters
    ],
)
def test_encodings(tmp_path, encoding, bom, warning):
    text = "\n".join(RELEASE).replace("Malawi and Zambia", "Côte d'Ivoire, São Tomé and Príncipe")
    if encoding == "cp1252":
        text = text.replace(" - ", " \u2013 ").replace("d'I", "d\u2019I")
    path = tmp_path / "release.txt"
    path.write_bytes(bom + text.encode(encoding))
    (record,) = json.loads(runner.invoke(app, ["extract", str(path), "-f", "json"]).stdout)
    assert {c["iso2"] for c in record["countries"]} == {"CI", "ST"}
    assert [e["address"] for e in record["emails"]] == ["gbanda@iom.int"]
    decoded = [w for w in record.get("warnings", []) if "decoded as" in w]
    assert decoded == [] if warning is None else len(decoded) == 1 and warning in decoded[0]


def test_markdown(tmp_path):
    path = tmp_path / "release.md"
    path.write_text(
        "---\ntitle: Border officials trained\n---\n# Border officials trained\n\n" + " ".join(RELEASE)
    )
    (record,) = json.loads(runner.invoke(app, ["extract", str(path), "-f", "json"]).stdout)
    assert record["title"] == "Border officials trained"
    assert expected_items(record) == RELEASE_ITEMS


# ------------------------------------------------------------------ bad input, one line each

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def _undecodable() -> bytes:
    noise = random.Random(4).randbytes(4000)
    return b"x" + noise.replace(b"\x00", b"\x01")


BAD_FILES = {
    "empty": ("empty.txt", b"", "empty file"),
    "whitespace": ("blank.txt", b" \n\t\r\n  ", "empty file"),
    "image renamed": ("photo.txt", PNG, "binary file (PNG image), not text"),
    "NUL bytes": (
        "nul.txt",
        b"IOM\x00\x01\x02 trained\x00\x00 officers" * 10,
        "binary file (NUL bytes), not text",
    ),
    "undecodable": ("noise.txt", _undecodable(), "undecodable bytes: not text in any known encoding"),
    "corrupt PDF": ("report.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "corrupt PDF: "),
    "scanned PDF": ("scan.pdf", pdf_bytes([[], []]), "PDF has no text layer (scanned?): run OCR first"),
    "corrupt DOCX": ("report.docx", b"PK\x03\x04" + b"\x00broken" * 50, "corrupt DOCX: "),
    "not a DOCX": (
        "data.txt",
        b"PK\x03\x04\x14\x00" + b"\x00" * 40,
        "binary file (ZIP archive), not a document",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file(tmp_path, good_record, case):
    name, content, reason = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(content)
    assert extract_with_good(path, good_record).startswith(reason)


def test_zip_bomb_disguised_as_docx_is_refused(tmp_path, good_record):
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb_docx(64))  # 64 MiB of zeros in about 64 KB
    reason = extract_with_good(path, good_record)
    assert reason.startswith("refused: a 0.1 MiB DOCX would unpack to 64 MiB") and "zip bomb" in reason


def test_missing_directory_and_symlinks(tmp_path, good_record):
    assert extract_with_good(tmp_path / "missing.txt", good_record) == "no such file"
    assert extract_with_good(tmp_path, good_record) == "no documents in this folder"
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    assert extract_with_good(tmp_path / "dangling.txt", good_record) == "broken symbolic link"
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    assert extract_with_good(tmp_path / "loop.txt", good_record) == "symbolic link loop"


def test_no_read_permission(tmp_path, good_record, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("IOM trained 40 officers.")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail as it would for a user
        real = os.open

        def denied(name, *args, **kwargs):
            if name == str(path):
                raise PermissionError(13, "denied")
            return real(name, *args, **kwargs)

        monkeypatch.setattr(os, "open", denied)
    assert extract_with_good(path, good_record) == "permission denied"


def test_nested_and_malformed_html(tmp_path):
    body = "".join(f"<p>{line}" for line in RELEASE)  # never closed
    nested = "<div>" * 50_000 + body + "</span></div>" * 3 + "<p <b>>&bogus; &#xZZ; <a href='mailto:"
    path = tmp_path / "deep.html"
    path.write_text(f"<html><body>{nested}</body></html>")
    malformed = tmp_path / "broken.html"
    malformed.write_text(f"<html><body><table><tr><td>{body}</table></tr><script>alert(1)</b></html>")
    result = runner.invoke(app, ["extract", str(path), str(malformed), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    for record in json.loads(result.stdout):
        assert expected_items(record) == RELEASE_ITEMS
        assert "alert" not in json.dumps(record)


@pytest.mark.slow
def test_ctrl_c_during_summarize_leaves_the_output_file_untouched(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    text = (SAMPLES / "press_release.txt").read_text()
    for i in range(600):  # minutes of work: the interrupt lands while documents are processed
        (folder / f"{i:03}.txt").write_text(text.replace("Forty-two", str(i + 2)))
    out = tmp_path / "summary.json"
    out.write_text("previous run\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "tipx", "summarize", str(folder), "--jobs", "2", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )
    # interrupt once documents are being processed: the first record is in the temporary file
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(
        p.name.endswith(".tmp") and p.stat().st_size > 100 for p in tmp_path.iterdir()
    ):
        time.sleep(0.05)
    assert process.poll() is None, "summarize finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert out.read_text() == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "summary.json"]  # no temporary file left
