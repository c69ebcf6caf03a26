"""The command line: formats, stdin, errors and exit codes."""

import csv
import io
import json
import subprocess
import sys

from typer.testing import CliRunner

from tipx.cli import app
from tipx.export import CSV_HEADER

from conftest import SAMPLES

runner = CliRunner()
PRESS = str(SAMPLES / "press_release.txt")
ARCHIVE = str(SAMPLES / "archive.txt")


def invoke(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_json_is_an_array_of_records_for_one_input_and_for_several():
    one = invoke("extract", PRESS, "-f", "json")
    assert one.exit_code == 0
    (record,) = json.loads(one.stdout)
    assert record["source"] == PRESS and "IOM" in {o["acronym"] for o in record["organisations"]}
    several = invoke("extract", PRESS, ARCHIVE, "-f", "json")
    records = json.loads(several.stdout)
    assert [r.get("article") for r in records] == [None, 1, 2]


def test_jsonl_is_one_record_a_line():
    result = invoke("extract", PRESS, ARCHIVE, "-f", "jsonl")
    lines = result.stdout.strip().split("\n")
    assert [json.loads(line)["source"] for line in lines] == [PRESS, ARCHIVE, ARCHIVE]


def test_csv_has_the_header_and_one_row_per_item():
    result = invoke("extract", PRESS, "-f", "csv")
    assert next(csv.reader(io.StringIO(result.stdout))) == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    fields = {row["field"] for row in rows}
    assert fields == {"organisations", "countries", "dates", "participants", "funders", "emails", "phones"}
    assert [r["normalised"] for r in rows if r["value"] == "6 to 9 May 2024"] == ["2024-05-06/2024-05-09"]


def test_csv_neutralises_formula_injection():
    from tipx.export import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+x", "-x", "@SUM(A1)", "\tx", "plain")] == [
        "'=1+1",
        "'+x",
        "'-x",
        "'@SUM(A1)",
        "'\tx",
        "plain",
    ]
    # a phone number, a negative number and standard input's "-" are data, not formulas
    assert [
        safe_cell(v) for v in ("+265 1 823 155", "+2651823155", "-12.5", "-", "+1+cmd|' /C calc'!A0")
    ] == [
        "+265 1 823 155",
        "+2651823155",
        "-12.5",
        "-",
        "'+1+cmd|' /C calc'!A0",
    ]


def test_markdown_on_standard_input_is_read_as_markdown():
    text = (SAMPLES / "update.md").read_text(encoding="utf-8")
    result = runner.invoke(app, ["extract", "-", "-f", "json"], input=text)
    assert result.exit_code == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert not record["title"].startswith("#")
    assert "**" not in json.dumps(record)
    assert (
        record["funders"]
        == json.loads(invoke("extract", str(SAMPLES / "update.md"), "-f", "json").stdout)[0]["funders"]
    )


def test_output_file_takes_its_format_from_the_suffix(tmp_path):
    target = tmp_path / "out.jsonl"
    result = invoke("extract", PRESS, ARCHIVE, "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(target.read_text().strip().split("\n")) == 3
    assert not list(tmp_path.glob(".*.tmp"))


def test_stdin_with_dash():
    text = (SAMPLES / "press_release.txt").read_text()
    result = invoke("extract", "-", "-f", "json", input=text)
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["source"] == "-"


def test_bad_file_is_reported_and_the_others_are_kept(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = invoke("extract", str(tmp_path / "missing.txt"), PRESS, str(empty), "-f", "jsonl")
    assert result.exit_code == 1
    assert [json.loads(line)["source"] for line in result.stdout.strip().split("\n")] == [PRESS]
    assert f"tipx: {tmp_path / 'missing.txt'}: no such file" in result.stderr
    assert f"tipx: {empty}: empty file" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exits_2():
    assert invoke("extract", PRESS, "-f", "yaml").exit_code == 2
    assert invoke("extract").exit_code == 2


def test_table_output_shows_markup_as_text(run):
    from rich.console import Console

    from tipx.display import print_records

    (record,) = run(
        "Police [bold red]trained[/bold red] on trafficking in Maputo\n\n"
        "Maputo, 1 May 2024 – The Ministry of Justice trained 12 judges on the new law this week."
    )
    assert record["title"] == "Police [bold red]trained[/bold red] on trafficking in Maputo"
    console = Console(record=True, width=200)
    print_records([record], console)
    assert "Police [bold red]trained[/bold red] on trafficking" in console.export_text()


def _tipx(*args, input=None):
    return subprocess.run(
        [sys.executable, "-m", "tipx", *args], input=input, capture_output=True, text=True, timeout=300
    )


def test_piped_auto_output_is_json_and_head_closes_quietly():
    result = _tipx("extract", PRESS)
    assert json.loads(result.stdout)[0]["title"].startswith("Malawian and Zambian")
    shell = subprocess.run(
        f"{sys.executable} -m tipx extract {PRESS} {ARCHIVE} -f jsonl | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert shell.stdout.count("\n") == 1 and "Traceback" not in shell.stderr


def test_version_and_help_do_not_import_spacy():
    code = (
        "import sys; sys.argv=['tipx','--version']\n"
        "from tipx.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
        "sys.argv=['tipx','--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "tipx 0.1.0" in result.stdout and "Exit codes" in result.stdout
