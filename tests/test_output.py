"""The output layer: -o checked before any work, nothing half-written, one JSON shape, named CSV
columns, a summary that never reads its own outputs, the run record, a closed stdout."""

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import threading

import pytest
from typer.testing import CliRunner

from tipx.cli import app
from tipx.export import CSV_HEADER, Format, safe_cell

from conftest import SAMPLES

runner = CliRunner()
PRESS = str(SAMPLES / "press_release.txt")
ARCHIVE = str(SAMPLES / "archive.txt")
FORMATS = ["table", "json", "jsonl", "csv", "md", "html"]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def no_work(monkeypatch):
    """The engine, made to fail loudly if a command starts work."""

    def run(*args, **kwargs):
        raise AssertionError("work started before -o was checked")

    monkeypatch.setattr("tipx.engine.run", run)


@pytest.fixture
def interrupted(monkeypatch):
    """The engine, made to give one real result and then be interrupted (Ctrl-C)."""
    from tipx import engine

    real = engine.run

    def run(*args, **kwargs):
        stream = real(*args, **kwargs)
        yield next(stream)
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "run", run)


def refused(result, target, reason):
    assert result.exit_code == 2, result.output
    assert result.stderr == f"tipx: -o {target}: {reason}\n"


# ------------------------------------------------------------------ -o checked up front


def test_bad_targets_are_one_line_and_exit_2_before_any_work(tmp_path, no_work):
    long_name = tmp_path / ("x" * 300 + ".json")
    refused(
        invoke("extract", PRESS, "-o", tmp_path / "nowhere" / "out.json"),
        tmp_path / "nowhere" / "out.json",
        f"folder {tmp_path / 'nowhere'} does not exist",
    )
    refused(invoke("extract", PRESS, "-o", tmp_path), tmp_path, "is a directory")
    refused(
        invoke("extract", PRESS, "-o", f"{tmp_path}/new/"),
        f"{tmp_path}/new/",
        "names a folder: give a file name",
    )
    refused(invoke("extract", PRESS, "-o", long_name), long_name, "file name too long")
    afile = tmp_path / "a.txt"
    afile.write_text("x")
    refused(
        invoke("extract", PRESS, "-o", afile / "out.json"), afile / "out.json", f"{afile} is not a folder"
    )
    refused(
        invoke("summarize", PRESS, "-o", tmp_path / "nowhere" / "r.html"),
        tmp_path / "nowhere" / "r.html",
        f"folder {tmp_path / 'nowhere'} does not exist",
    )


def test_an_unwritable_place_is_refused(tmp_path, no_work):
    if os.geteuid() == 0:  # root writes anywhere but on a read-only mount
        place = "/sys"
    else:
        place = tmp_path / "locked"
        place.mkdir(mode=0o555)
    result = invoke("extract", PRESS, "-o", f"{place}/out.json")
    assert result.exit_code == 2
    assert result.stderr in (
        f"tipx: -o {place}/out.json: permission denied\n",
        f"tipx: -o {place}/out.json: read-only file system\n",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_input_is_never_the_output(tmp_path, no_work, fmt):
    document = tmp_path / "release.txt"
    shutil.copy(PRESS, document)
    before = document.read_bytes()
    refused(invoke("extract", document, "-f", fmt, "-o", document), document, "is one of the inputs")
    refused(
        invoke("extract", PRESS, "-f", fmt, "-o", SAMPLES / ".." / "samples" / "press_release.txt"),
        SAMPLES / ".." / "samples" / "press_release.txt",
        "is one of the inputs",
    )
    if fmt != "csv":  # summarize's csv is a folder
        refused(invoke("summarize", document, "-f", fmt, "-o", document), document, "is one of the inputs")
    hard_link = tmp_path / "same.txt"
    os.link(document, hard_link)
    refused(invoke("extract", document, "-f", fmt, "-o", hard_link), hard_link, "is one of the inputs")
    assert document.read_bytes() == before


def test_a_document_inside_an_input_folder_is_never_the_output(tmp_path, no_work):
    folder = tmp_path / "releases"
    shutil.copytree(SAMPLES, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for command, name in (
        ("summarize", "update.md"),
        ("extract", "story.html"),
        ("summarize", "press_release.txt"),
    ):
        target = folder / name
        refused(
            invoke(command, folder, "-o", target),
            target,
            f"is a document in {folder}, one of the inputs: write elsewhere",
        )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_path_listed_on_standard_input_is_never_the_output(tmp_path, no_work):
    document = tmp_path / "update.md"
    shutil.copy(SAMPLES / "update.md", document)
    before = document.read_bytes()
    result = runner.invoke(app, ["summarize", "-", "-o", str(document)], input=f"{document}\n")
    refused(result, document, "is one of the inputs")
    assert document.read_bytes() == before


def test_a_report_of_ours_inside_the_folder_is_rewritten_not_read(tmp_path):
    folder = tmp_path / "releases"
    shutil.copytree(SAMPLES, folder)
    report = folder / "report.html"
    for _ in range(2):
        result = invoke("summarize", folder, "-o", report, "-q")
        assert result.exit_code == 0, result.stderr
    assert "report.html" not in report.read_text()  # not summarised as one of the documents


def test_non_regular_and_read_only_targets_are_refused(tmp_path, no_work):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    refused(invoke("extract", PRESS, "-o", fifo), fifo, "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if os.geteuid() == 0:  # a device node of our own (never the system's /dev/null)
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        refused(invoke("extract", PRESS, "-o", device), device, "not a regular file")
        assert stat.S_ISCHR(os.lstat(device).st_mode)
    readonly = tmp_path / "kept.json"
    readonly.write_text("[]")
    readonly.chmod(0o444)
    refused(invoke("extract", PRESS, "-o", readonly), readonly, "permission denied")
    assert readonly.read_text() == "[]"


def test_summary_csv_needs_a_folder(tmp_path, no_work):
    target = tmp_path / "tables.csv"
    refused(
        invoke("summarize", PRESS, "-o", target),
        target,
        f"csv writes one file per table: give a folder (-o {tmp_path / 'tables'}/)",
    )
    assert not target.exists()
    taken = tmp_path / "mine"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    refused(
        invoke("summarize", PRESS, "-f", "csv", "-o", taken),
        taken,
        "holds files tipx did not write (notes.txt): give a new or empty folder",
    )


def test_dash_is_standard_output(tmp_path):
    result = invoke("extract", PRESS, "-f", "jsonl", "-o", "-")
    assert result.exit_code == 0 and json.loads(result.stdout)["source"] == PRESS
    assert "wrote" not in result.stderr and not (tmp_path / "-").exists()


def test_what_o_wrote_is_said_on_stderr(tmp_path):
    result = invoke("extract", PRESS, ARCHIVE, "-o", tmp_path / "out.json")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"tipx: wrote 3 records to {tmp_path / 'out.json'}\n"
    summary = invoke("summarize", SAMPLES, "-o", tmp_path / "tables/")
    assert summary.stderr == f"tipx: wrote a summary of 5 documents to {tmp_path / 'tables'}\n"


# ------------------------------------------------------------------ nothing half-written


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_interrupted_run_leaves_the_old_file(tmp_path, interrupted, fmt):
    target = tmp_path / "out.txt"
    target.write_text("the previous run")
    result = invoke("extract", PRESS, ARCHIVE, "-f", fmt, "-o", target)
    assert result.exit_code != 0
    assert target.read_text() == "the previous run"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_table_output_to_a_file_is_written_whole(tmp_path):
    target = tmp_path / "tables.txt"
    result = invoke("extract", PRESS, "-f", "table", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert "International Organization for Migration" in target.read_text()
    assert os.listdir(tmp_path) == ["tables.txt"]


def test_a_link_is_written_through_and_a_mode_is_kept(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert invoke("extract", PRESS, "-o", link).exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text())[0]["source"] == PRESS
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_a_failed_csv_folder_keeps_the_previous_set_whole(tmp_path, monkeypatch):
    from tipx import report

    folder = tmp_path / "tables"
    assert invoke("summarize", PRESS, "-o", f"{folder}/").exit_code == 0
    before = {p.name: p.read_text() for p in folder.iterdir()}
    assert "documents.csv" in before and "Malawian" in before["documents.csv"]
    calls = []

    def failing(value):  # the disk fills after the first tables are written
        calls.append(value)
        if len(calls) > 40:
            raise OSError(28, "No space left on device")
        return str(value)

    monkeypatch.setattr(report, "safe_cell", failing)
    result = invoke("summarize", SAMPLES, "-o", f"{folder}/")
    assert result.exit_code == 1 and result.stderr.endswith("No space left on device\n")
    assert {p.name: p.read_text() for p in folder.iterdir()} == before
    assert os.listdir(tmp_path) == ["tables"]  # the staged set is gone
    monkeypatch.undo()
    assert invoke("summarize", SAMPLES, "-o", f"{folder}/").exit_code == 0
    assert "archive.txt" in (folder / "documents.csv").read_text()
    assert os.listdir(tmp_path) == ["tables"]


# ------------------------------------------------------------------ shapes


def test_extract_json_is_an_array_for_every_input(tmp_path):
    from tipx.schema import RECORD_SCHEMA

    one = json.loads(invoke("extract", PRESS, "-f", "json").stdout)
    archive = json.loads(invoke("extract", ARCHIVE, "-f", "json").stdout)
    several = json.loads(invoke("extract", PRESS, ARCHIVE, "-f", "json").stdout)
    assert [r["source"] for r in one] == [PRESS]
    assert [r["article"] for r in archive] == [1, 2]
    assert several == one + archive
    failed = invoke("extract", tmp_path / "missing.txt", "-f", "json")
    assert failed.exit_code == 1 and json.loads(failed.stdout) == []
    assert "array of these records, always" in RECORD_SCHEMA["description"]


def test_extract_gives_every_file_its_record_and_summarize_counts_a_copy_once(tmp_path):
    first, copy = str(tmp_path / "a.txt"), str(tmp_path / "b.txt")
    shutil.copy(PRESS, first)
    shutil.copy(PRESS, copy)
    records = json.loads(invoke("extract", first, copy, "-f", "json").stdout)
    assert [r["source"] for r in records] == [first, copy]
    assert records[0]["countries"] == records[1]["countries"]
    summary = json.loads(invoke("summarize", first, copy, "-f", "json").stdout)
    assert [d["source"] for d in summary["documents"]] == [first]
    assert summary["summary"]["duplicates"] == [{"source": copy, "duplicate_of": first}]


def test_csv_has_named_columns_and_a_row_per_mention():
    result = invoke("extract", PRESS, "-f", "csv")
    assert (
        next(csv.reader(io.StringIO(result.stdout)))
        == CSV_HEADER
        == [
            *("source", "article", "title", "published", "field", "value", "normalised", "iso3"),
            *("count", "qualifier", "name", "evidence", "start_char", "end_char", "sentence"),
        ]
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    (record,) = json.loads(invoke("extract", PRESS, "-f", "json").stdout)
    for field in ("organisations", "countries"):
        mentions = [m for item in record[field] for m in item["mentions"]]
        assert [(r["value"], int(r["start_char"])) for r in rows if r["field"] == field] == [
            (m["text"], m["start_char"]) for m in mentions
        ]
    by_field = {}
    for row in rows:
        by_field.setdefault(row["field"], []).append(row)
    assert {r["title"] for r in rows} == {record["title"]} and {r["published"] for r in rows} == {
        "2024-05-09"
    }
    iom = [r for r in by_field["organisations"] if r["normalised"] == "IOM"]
    assert {r["name"] for r in iom} == {"International Organization for Migration"} and len(iom) == 4
    malawi = next(r for r in by_field["countries"] if r["normalised"] == "MW")
    assert (malawi["iso3"], malawi["name"]) == ("MWI", "Malawi")
    forty = next(r for r in by_field["participants"] if r["count"] == "42")
    assert forty["normalised"] == "42" and forty["sentence"].startswith("Lilongwe, 9 May 2024")
    jica = next(r for r in by_field["funders"] if r["normalised"] == "JICA")
    assert jica["name"] == "Japan International Cooperation Agency" and "funded by" in jica["evidence"]
    (email,) = by_field["emails"]
    assert (email["normalised"], email["name"]) == ("tmwale@iom.int", "Thandiwe Mwale")
    for row in rows:  # the offsets point at the value in the document's text
        assert row["sentence"] and int(row["end_char"]) - int(row["start_char"]) == len(row["value"])


def test_every_field_fills_only_the_shared_csv_columns():
    from tipx.fields import CSV_ITEM_COLUMNS, FIELDS

    (record,) = json.loads(invoke("extract", PRESS, "-f", "json").stdout)
    for field in FIELDS:
        for item in record[field.name]:
            assert set(field.csv(item)) <= set(CSV_ITEM_COLUMNS), field.name


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    risky = [" =1+1", '  =HYPERLINK("x")', "\uff1d1+1", " \uff0bcmd", "|calc", " |calc", "\u3000=1", "\n=1"]
    assert [safe_cell(v) for v in risky] == ["'" + v for v in risky]
    plain = ["+265 1 823 155", " +265 1 823 155", "-12.5", "-", "a=b", "IOM | EU"]
    assert [safe_cell(v) for v in plain] == plain


# ------------------------------------------------------------------ summarize never reads its outputs


def test_summarize_does_not_read_its_own_outputs(tmp_path):
    from tipx.runinfo import generated_comment
    from tipx.summary import find_documents

    folder = tmp_path / "arch"
    folder.mkdir()
    shutil.copy(PRESS, folder / "release.txt")
    story = (SAMPLES / "story.html").read_text(encoding="utf-8")
    (folder / "old-report.html").write_text(generated_comment() + story, encoding="utf-8")
    (folder / "story.html").write_text(story, encoding="utf-8")  # a real document: kept
    os.mkfifo(folder / "pipe.md")  # never opened to look for the mark
    found = {}
    thread = threading.Thread(target=lambda: found.update(paths=find_documents([str(folder)])[0]))
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "discovery opened a FIFO"
    assert sorted(map(os.path.basename, found["paths"])) == ["pipe.md", "release.txt", "story.html"]
    os.unlink(folder / "pipe.md")
    target = folder / "report.md"
    for _ in range(2):  # the second run finds the first run's report in the folder
        result = invoke("summarize", folder, "-o", target)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == f"tipx: wrote a summary of 2 documents to {target}\n"
    assert find_documents([str(folder)], exclude=[target])[0] == [
        str(folder / "release.txt"),
        str(folder / "story.html"),
    ]
    tables = folder / "summary.txt"  # -f table to a .txt file: a document suffix, marked too
    assert invoke("summarize", folder, "-o", tables, "-q").exit_code == 0
    assert str(tables) not in find_documents([str(folder)])[0]


# ------------------------------------------------------------------ the run record


def test_the_run_record_is_in_the_outputs_that_have_room(monkeypatch):
    from tipx import __version__, export

    summary = json.loads(invoke("summarize", PRESS, "-f", "json").stdout)
    run = summary["run"]
    assert (run["tool"], run["version"], run["model"], run["inputs"]) == (
        "tipx",
        __version__,
        "blank",
        [PRESS],
    )
    from importlib.metadata import version

    assert run["pipeline"] == "rules only (blank English)" and run["date"][:2] == "20"
    assert run["spacy_version"] == version("spacy")  # installed, not the range a model was built for
    seen = {}
    for fmt in (Format.md, Format.html):
        monkeypatch.setitem(export.WRITERS, fmt, lambda out, fmt=fmt: [seen.setdefault(fmt, out.run) and ""])
        assert invoke("extract", PRESS, ARCHIVE, "-f", fmt.value).exit_code == 0
        assert seen[fmt]["inputs"] == [PRESS, ARCHIVE]
    assert export.carries_run(Format.json, is_summary=True) and not export.carries_run(Format.json, False)


# ------------------------------------------------------------------ a closed stdout


@pytest.mark.slow
def test_a_closed_stdout_exits_0_for_every_format(dev_corpus):
    documents = " ".join(str(p) for p in sorted(dev_corpus.iterdir()) if not p.name.endswith(".json"))
    for fmt in FORMATS:  # outputs larger than a pipe's buffer: writing goes on after head has gone
        shell = subprocess.run(
            f"{sys.executable} -m tipx extract {documents} -f {fmt} | head -c1 >/dev/null; "
            "exit ${PIPESTATUS[0]}",
            shell=True,
            executable="/bin/bash",
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert (fmt, shell.returncode, shell.stderr) == (fmt, 0, "")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["extract", PRESS, "-f", "json"], ["schema"]])
def test_a_full_standard_output_is_one_line_and_exit_1(command):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tipx", *command], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert (result.returncode, result.stderr) == (1, "tipx: standard output: No space left on device\n")
