"""The command line: formats, stdin, errors and exit codes."""

import csv
import io
import json
import os
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


# ---------------------------------------------------------------------------- CLI habits (issue 11)

UPDATE = SAMPLES / "update.md"
STORY = SAMPLES / "story.html"


def _sources(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [json.loads(line)["source"] for line in result.stdout.strip().splitlines()]


def _archive_folder(tmp_path):
    """press.txt, story.html, notes.csv (not a document), drafts/update.md, old/archive.txt."""
    import shutil

    root = tmp_path / "archive"
    (root / "drafts").mkdir(parents=True)
    (root / "old").mkdir()
    shutil.copy(PRESS, root / "press.txt")
    shutil.copy(STORY, root / "story.html")
    (root / "notes.csv").write_text("a,b\n1,2\n")
    shutil.copy(UPDATE, root / "drafts" / "update.md")
    shutil.copy(ARCHIVE, root / "old" / "archive.txt")
    return root


def test_extract_reads_folders_with_glob_and_exclude(tmp_path):
    root = _archive_folder(tmp_path)
    every = _sources(invoke("extract", str(root), "-f", "jsonl"))
    assert every == [
        str(root / "drafts" / "update.md"),
        str(root / "old" / "archive.txt"),
        str(root / "old" / "archive.txt"),
        str(root / "press.txt"),
        str(root / "story.html"),
    ]
    # repeatable: any --glob keeps a document, any --exclude drops a file or a whole folder
    picked = invoke("extract", str(root), "-g", "*.md", "--glob", "*.html", "-f", "jsonl")
    assert _sources(picked) == [str(root / "drafts" / "update.md"), str(root / "story.html")]
    kept = invoke("extract", str(root), "-x", "drafts/", "--exclude", "old/*", "-x", "*.html", "-f", "jsonl")
    assert _sources(kept) == [str(root / "press.txt")]
    # inputs keep the order given; a named file is read whatever the patterns
    mixed = invoke("extract", PRESS, str(root), "-x", "*.txt", "-x", "drafts", "-f", "jsonl")
    assert _sources(mixed) == [PRESS, str(root / "story.html")]


def test_extract_folder_without_documents_fails_like_a_missing_file(tmp_path):
    result = invoke("extract", PRESS, str(tmp_path), "-f", "jsonl")
    assert result.exit_code == 1
    assert result.stderr == f"tipx: {tmp_path}: no documents in this folder\n"
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == [PRESS]


def test_extract_jobs_gives_the_same_records(tmp_path):
    root = _archive_folder(tmp_path)
    one = invoke("extract", str(root), "-f", "jsonl")
    two = invoke("extract", str(root), "--jobs", "2", "-f", "jsonl")
    assert two.exit_code == 0 and two.stdout == one.stdout
    # a worker's standard input is /dev/null: the document on it is read before the work is spread
    text = UPDATE.read_text(encoding="utf-8")
    piped = invoke("extract", "-", PRESS, "-j", "2", "--name", "update.md", "-f", "jsonl", input=text)
    assert _sources(piped) == ["update.md", PRESS]
    assert json.loads(piped.stdout.splitlines()[0])["title"].startswith("Tanzania and Uganda")


def test_find_documents_patterns(tmp_path):
    from tipx.summary import find_documents

    root = _archive_folder(tmp_path)
    names = lambda found: [os.path.relpath(p, root) for p in found[0]]  # noqa: E731
    assert names(find_documents([str(root)], "*.txt")) == ["old/archive.txt", "press.txt"]
    assert names(find_documents([str(root)], ["old/*", "*.md"])) == ["drafts/update.md", "old/archive.txt"]
    assert names(find_documents([str(root)], None, ["drafts", "press.*"])) == [
        "old/archive.txt",
        "story.html",
    ]
    assert names(find_documents([str(root)], "*.txt", ["old/"])) == ["press.txt"]


def test_quiet_drops_progress_and_the_wrote_line_not_errors(tmp_path, monkeypatch):
    import tipx.cli as cli

    bars: list[int] = []
    monkeypatch.setattr(cli, "_progress", lambda total: bars.append(total))
    target = tmp_path / "records.jsonl"
    loud = invoke("extract", PRESS, ARCHIVE, "-o", str(target))
    assert loud.exit_code == 0 and bars == [2]
    assert loud.stderr == f"tipx: wrote 3 records to {target}\n"
    quiet = invoke("extract", PRESS, str(tmp_path / "missing.txt"), "-o", str(target), "--quiet")
    assert quiet.exit_code == 1 and bars == [2]
    assert quiet.stderr == f"tipx: {tmp_path / 'missing.txt'}: no such file\n"
    summary = runner.invoke(app, ["summarize", str(SAMPLES), "-q", "-o", str(tmp_path / "s.json")])
    assert summary.exit_code == 0 and summary.stderr == "" and bars == [2]
    said = invoke("summarize", str(SAMPLES), "-o", str(tmp_path / "s.md"))
    assert said.stderr == f"tipx: wrote a summary of 5 documents to {tmp_path / 's.md'}\n"


def test_format_is_case_insensitive_and_a_typo_gets_a_suggestion():
    assert json.loads(invoke("extract", PRESS, "-f", "JSON").stdout)[0]["source"] == PRESS
    typo = invoke("extract", PRESS, "-f", "jsn")
    assert typo.exit_code == 2 and "'jsn' is not a format; did you mean 'json'?" in typo.stderr
    far = invoke("extract", PRESS, "-f", "yaml")
    assert far.exit_code == 2 and "one of auto, table, json, jsonl, csv, md, html" in far.stderr
    engine = invoke("summarize", str(SAMPLES), "--engine", "dsak")
    assert engine.exit_code == 2 and "did you mean 'dask'?" in engine.stderr


def test_summarise_is_an_alias_hidden_in_help():
    british = invoke("summarise", str(SAMPLES), "-f", "json")
    american = invoke("summarize", str(SAMPLES), "-f", "json")
    assert british.exit_code == 0 and json.loads(british.stdout)["summary"]["documents"] == 5
    assert json.loads(british.stdout)["summary"] == json.loads(american.stdout)["summary"]
    assert "summarise" not in invoke("--help").stdout


def test_help_lists_every_input_type_and_no_type_names():
    import re

    from tipx.reading import DOCUMENT_SUFFIXES

    for command in ("extract", "summarize", "evaluate", "schema"):
        text = invoke(command, "--help").stdout
        flat = " ".join(text.split())
        if command in ("extract", "summarize"):
            assert f"({', '.join(DOCUMENT_SUFFIXES)})" in flat, flat
        # Typer's internals: "{files}...", "<list[str]>", "<str>", "<int range>", "<float range>"
        leaks = re.findall(r"\{\w+\}|<(?:list|str|int|float|path|bool|text)\b[^>]*>", text)
        assert not leaks, (command, leaks)
    assert "Usage: tipx extract [OPTIONS] FILE..." in invoke("extract", "--help").stdout


def test_one_duplicate_is_singular_in_every_format(tmp_path):
    import shutil

    shutil.copy(PRESS, tmp_path / "a.txt")
    shutil.copy(PRESS, tmp_path / "b.txt")
    for fmt in ("table", "md", "html"):
        result = invoke("summarize", str(tmp_path), "-f", fmt)
        assert result.exit_code == 0
        assert "1 duplicate;" in result.stdout and "1 duplicates" not in result.stdout, fmt


def test_url_argument_is_refused_with_the_command_that_fetches_it():
    url = "https://example.org/news?id=1&lang=en"
    for command in ("extract", "summarize"):
        result = invoke(command, PRESS, url)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == (
            f"tipx: {url}: tipx reads files, not URLs; fetch it first: curl -sL '{url}' | tipx extract -\n"
        )


def test_stdin_fragments_are_sniffed_like_files():
    body = UPDATE.read_text(encoding="utf-8").split("---\n", 2)[2].lstrip()
    plain = body.replace("**", "").replace("\n- ", "\n")  # a heading and few other marks
    record = json.loads(invoke("extract", "-", "-f", "json", input=plain).stdout)[0]
    assert record["title"] == "Tanzania and Uganda agree joint steps against child trafficking"
    story = STORY.read_text(encoding="utf-8")
    fragment = story[story.index('<div id="content">') : story.index('<div id="sidebar">')]
    piped = json.loads(invoke("extract", "-", "-f", "json", input=fragment).stdout)[0]
    from_file = json.loads(invoke("extract", str(STORY), "-f", "json").stdout)[0]
    assert (
        piped["title"]
        == from_file["title"]
        == "Zambia trains labour inspectors to detect forced labour on farms"
    )
    assert "<" not in json.dumps(piped["organisations"])
    assert [o["name"] for o in piped["organisations"]] == [o["name"] for o in from_file["organisations"]]


def test_name_sets_the_source_and_its_suffix_the_parser():
    # bold and links but no heading: standard input alone reads it as plain text
    body = UPDATE.read_text(encoding="utf-8").split("---\n", 2)[2]
    text = "\n".join(line for line in body.splitlines() if not line.startswith("#"))
    named = json.loads(invoke("extract", "-", "--name", "update.md", "-f", "json", input=text).stdout)[0]
    assert named["source"] == "update.md" and "**" not in json.dumps(named)
    unnamed = json.loads(invoke("extract", "-", "-f", "json", input=text).stdout)[0]
    assert unnamed["source"] == "-" and "**" in json.dumps(unnamed)
    alone = invoke("extract", PRESS, "--name", "x.md")
    assert alone.exit_code == 2 and "--name names standard input" in alone.stderr


def test_summarize_dash_reads_a_list_of_paths(tmp_path):
    root = _archive_folder(tmp_path)
    listed = f"{root / 'press.txt'}\n\n{root / 'old'}\r\n{root / 'story.html'}\n"
    result = invoke("summarize", "-", "-f", "json", input=listed)
    assert result.exit_code == 0, result.stderr
    sources = [d["source"] for d in json.loads(result.stdout)["summary"]["per_document"]]
    assert sources == [str(root / "old" / "archive.txt")] * 2 + [
        str(root / "press.txt"),
        str(root / "story.html"),
    ]
    nul = invoke("summarize", "-", "-f", "json", input=f"{root / 'press.txt'}\0{root / 'drafts'}\0")
    sources = [d["source"] for d in json.loads(nul.stdout)["summary"]["per_document"]]
    assert sources == [str(root / "drafts" / "update.md"), str(root / "press.txt")]


def test_shell_completion():
    env = {**os.environ, "_TIPX_COMPLETE": "complete_bash", "COMP_WORDS": "tipx summ", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "tipx"], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["summarize"]
    env.update(COMP_WORDS="tipx extract -f js", COMP_CWORD="3")
    done = subprocess.run([sys.executable, "-m", "tipx"], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["json", "jsonl"]
    script = _tipx("--show-completion", "bash")
    assert script.returncode == 0 and "complete -o default -F _tipx_completion tipx" in script.stdout
    assert "--install-completion" in invoke("--help").stdout
