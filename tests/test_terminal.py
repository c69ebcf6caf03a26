"""Terminal output: tables a person can read at 80 and 120 columns, warnings shown beside them,
and nothing printed (tables, `tipx: PATH: reason` lines, evaluate's title) can drive the
terminal, forge a line or be read as Rich markup."""

import io
import re

import pytest
from documents import pdf_bytes
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from tipx.cli import app
from tipx.display import record_tables, summary_tables
from tipx.engine import results
from tipx.fields import FIELDS
from tipx.summary import Summary

runner = CliRunner()
# d07 is an archive of three articles; d08 has the longest address of the corpus
# (nomvula.dlamini@highveldherald.co.za); d10 a long list of countries and dates.
DOCS = ("d04.html", "d07.txt", "d08.txt", "d09.txt", "d10.txt")
FUNDED = (
    "Maputo, 1 May 2024 – IOM trained {} judges in Mozambique. The training was funded by the European Union."
)


def render(renderable, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return [line.rstrip() for line in console.file.getvalue().splitlines()]


@pytest.fixture(scope="module")
def found(nlp, dev_corpus):
    return list(results([str(dev_corpus / name) for name in DOCS], nlp))


@pytest.fixture(scope="module")
def summary(found):
    summary = Summary()
    for result in found:
        summary.add(result)
    return summary


def _table_lines(lines: list[str], title: str) -> list[str]:
    """The lines of one table: from its title to the next line that starts a title."""
    start = lines.index(title)
    end = next(
        (i for i in range(start + 1, len(lines)) if re.fullmatch(r"[A-Z][a-z]+", lines[i])), len(lines)
    )
    return lines[start + 1 : end]


@pytest.mark.parametrize("width", [80, 120])
def test_summary_documents_are_one_line_each_with_a_count_per_field(summary, width):
    lines = render(summary_tables(summary), width)
    title = next(line for line in lines if line.startswith("Documents"))
    table = _table_lines(lines, title)
    header, rule, *rows = table
    assert header.split() == ["document", "published", *(f.short for f in FIELDS)]
    labels = ["d04.html", "d07.txt#1", "d07.txt#2", "d07.txt#3", "d08.txt", "d09.txt", "d10.txt"]
    assert [row.split()[0] for row in rows] == labels  # one line each, no wrapped title under it
    d10 = next(d for d in summary.documents if d["source"].endswith("d10.txt"))
    assert rows[-1].split()[-len(FIELDS) :] == [str(d10[f.name]) for f in FIELDS]
    assert "SADC Member" in rows[-1]  # the start of the title fits even at 80 columns


@pytest.mark.parametrize("width", [60, 80, 120])
def test_summary_tables_fit_and_keep_headings_and_addresses_whole(summary, width):
    lines = render(summary_tables(summary), width)
    assert max(cell_len(line) for line in lines) <= width
    text = "\n".join(lines)
    contacts = _table_lines(lines, "Contacts")
    assert contacts[0].replace("┃", " ").split() == ["address", "name", "organisation", "sources"]
    for entry in summary.to_dict()["contacts"]:
        address = entry["address"]
        # the whole address on one line, or its start cut with an ellipsis: never broken in two
        assert address in text or re.search(re.escape(address[:12]) + r"\S*…", text), address
    if width >= 80:
        assert "tendai.chirwa@un.org" in text and "bongani.ncube@un.org" in text


def test_record_tables_are_readable_at_80_columns(found):
    d10 = next(r.record for r in found if r.path.endswith("d10.txt"))
    lines = render(record_tables(d10), 80)
    assert max(cell_len(line) for line in lines) <= 80
    text = "\n".join(lines)
    for field in FIELDS:
        if d10[field.name]:
            header = _table_lines(lines, field.title)[0]
            assert header.replace("┃", " ").split() == [name for name, _ in field.columns]
    assert "tip-focalpoints@sadc.int" in text and "Democratic Republic of the Congo" in text


def test_warnings_show_in_record_and_summary_tables(tmp_path):
    (tmp_path / "cafe.txt").write_bytes(("Café owners trained\n\n" + FUNDED.format(12)).encode("cp1252"))
    (tmp_path / "plain.txt").write_text("Police trained in Maputo\n\n" + FUNDED.format(14), encoding="utf-8")
    extracted = runner.invoke(app, ["extract", str(tmp_path / "cafe.txt"), "-f", "table"])
    assert "warning: not UTF-8; decoded as cp1252" in extracted.stdout
    summarised = runner.invoke(app, ["summarize", str(tmp_path), "-f", "table"])
    warnings = _table_lines([line.rstrip() for line in summarised.stdout.splitlines()], "Warnings")
    assert [line.split("│")[0].strip() for line in warnings[2:]] == ["cafe.txt"]
    assert "decoded as cp1252" in warnings[2]


# ---------------------------------------------------------------------------- injection

CLEAR_AND_CLIPBOARD = "\x1b[2J\x1b]52;c;SGVsbG8=\x07"


def test_escape_sequences_in_file_names_are_shown_escaped_in_tables(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / f"evil{CLEAR_AND_CLIPBOARD}.txt").write_text("Police trained in Maputo\n\n" + FUNDED.format(12))
    (folder / "[bold red]plain.txt").write_text("Judges trained in Maputo\n\n" + FUNDED.format(14))
    for args in (["summarize", str(folder)], ["extract", *map(str, sorted(folder.iterdir()))]):
        result = runner.invoke(app, [*args, "-f", "table"], env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert r"evil\x1b[2J\x1b]52;c;SGVsbG8=\x07.txt" in result.stdout
        assert "[bold red]plain.txt" in result.stdout  # a name, not markup


def test_an_escape_in_a_pdf_text_layer_is_shown_escaped_in_the_evidence(tmp_path):
    pdf = tmp_path / "release.pdf"
    lines = ["Police trained in Maputo", "Maputo, 1 May 2024 - IOM trained 12 judges in Mozambique."]
    pdf.write_bytes(pdf_bytes([[*lines, "The training\x1b[2J was funded by the European Union."]]))
    result = runner.invoke(app, ["extract", str(pdf), "-f", "table"])
    assert "European Union" in result.stdout and "\x1b" not in result.stdout
    assert r"The training\x1b[2J was funded" in result.stdout


def test_error_lines_escape_newlines_and_escape_sequences_in_names(tmp_path):
    forged = tmp_path / "a.txt\ntipx: /etc/passwd: leaked"
    evil = tmp_path / f"gone{CLEAR_AND_CLIPBOARD}.txt"
    empty = tmp_path / "empty\r.txt"
    empty.write_text(" ")
    result = runner.invoke(app, ["extract", str(forged), str(evil), str(empty), "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"tipx: {tmp_path}/a.txt\\ntipx: /etc/passwd: leaked: no such file",
        f"tipx: {tmp_path}/gone\\x1b[2J\\x1b]52;c;SGVsbG8=\\x07.txt: no such file",
        f"tipx: {tmp_path}/empty\\r.txt: empty file",
    ]


def test_summarize_of_a_missing_folder_escapes_its_name(tmp_path):
    result = runner.invoke(app, ["summarize", str(tmp_path / "no\nsuch\x1b[2J"), "-f", "json"])
    assert result.exit_code == 1 and "\x1b" not in result.stderr
    assert len(result.stderr.splitlines()) == 2  # the missing folder, then "no documents found"


def test_evaluate_shows_a_folder_name_as_text_not_markup(tmp_path, dev_corpus):
    for name in ("[/oops]", "[link=https://example.org]x"):
        folder = tmp_path / name
        folder.mkdir(parents=True)  # "[" then "oops]"
        for suffix in (".txt", ".gold.json"):
            (folder / f"d02{suffix}").write_bytes((dev_corpus / f"d02{suffix}").read_bytes())
        result = runner.invoke(app, ["evaluate", str(folder), "-f", "table"], env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.output  # "[/oops]" as markup: MarkupError
        title = f"tipx evaluate {folder}"  # not a hyperlink "x"
        assert re.sub(r"\s", "", title) in re.sub(r"\s", "", result.stdout)


def test_evaluate_verbose_lines_escape_document_names(tmp_path, dev_corpus):
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "d\x1b[2J.txt").write_text("Nothing of note here.\n")
    (folder / "d\x1b[2J.gold.json").write_text(
        '{"document": "d\\u001b[2J.txt", "countries": [{"iso2": "MZ"}]}'
    )
    result = runner.invoke(app, ["evaluate", str(folder), "-v", "-f", "table"])
    assert "\x1b" not in result.stdout
    assert r"countries     miss            d\x1b[2J.txt: MZ" in result.stdout
