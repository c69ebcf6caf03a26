"""-f sqlite: a normalised database of the records, and --update over a growing folder."""

import json
import os
import shutil
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tipx.engine
from tipx.cli import app
from tipx.database import APPLICATION_ID, ddl
from tipx.export import Format, Output, emit
from tipx.fields import FIELD_NAMES, FIELDS, PHONES, WHERE
from tipx.summary import Summary

from conftest import SAMPLES

runner = CliRunner()
PRESS_TEXT = (SAMPLES / "press_release.txt").read_text()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def texts(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt")


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    return con


@pytest.fixture(scope="module")
def extracted(dev_corpus, tmp_path_factory):
    """The dev corpus's text files as JSON records and as a database (-o NAME.db, no -f)."""
    files = texts(dev_corpus)
    database = tmp_path_factory.mktemp("db") / "records.db"
    as_json = invoke("extract", *files, "-f", "json")
    assert as_json.exit_code == 0, as_json.stderr
    written = invoke("extract", *files, "-o", database)
    assert written.exit_code == 0, written.stderr
    return json.loads(as_json.stdout), database


@pytest.fixture
def spy(monkeypatch):
    """The paths the CLI hands the engine (the NLP), run after run."""
    calls: list[list[str]] = []
    real = tipx.engine.run

    def run(paths, **options):  # a generator, as the engine's: counts only the runs that start
        calls.append(list(paths))
        yield from real(paths, **options)

    monkeypatch.setattr(tipx.engine, "run", run)
    return calls


def test_tables_keys_and_indexes_come_from_the_field_registry(extracted):
    _, database = extracted
    con = connect(database)
    names = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"runs", "documents", "errors", "items", "mentions", *FIELD_NAMES}
    for field in FIELDS:
        columns = [row[1] for row in con.execute(f"PRAGMA table_info({field.name})")]
        assert columns == ["id", "document_id", *field.properties]
        targets = {row[2] for row in con.execute(f"PRAGMA foreign_key_list({field.name})")}
        assert targets == {"items", "documents"}
    assert {row[2] for row in con.execute("PRAGMA foreign_key_list(mentions)")} == {"items", "documents"}
    assert [row[1] for row in con.execute("PRAGMA table_info(mentions)")][-len(WHERE) :] == list(WHERE)
    indexed = {row[1] for row in con.execute("PRAGMA index_list(mentions)")}
    assert {"mentions_item_id", "mentions_document_id_field"} <= indexed
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    assert con.execute("SELECT command, skipped FROM runs").fetchall() == [("extract", 0)]


def test_the_database_holds_exactly_what_the_json_says(extracted):
    records, database = extracted
    con = connect(database)
    con.row_factory = sqlite3.Row
    documents = con.execute("SELECT * FROM documents ORDER BY id").fetchall()
    assert [(d["source"], d["article"]) for d in documents] == [
        (r["source"], r.get("article")) for r in records
    ]
    for document, record in zip(documents, records, strict=True):
        assert (document["title"], document["published"]) == (record["title"], record["published"])
        assert json.loads(document["warnings"]) == record["warnings"]
        assert document["duplicate_of"] is None and len(document["sha256"]) == 64
        for field in FIELDS:
            expected = [
                (
                    [item[p] for p in field.properties],
                    [[where[k] for k in WHERE] for where in field.occurrences(item)],
                )
                for item in record[field.name]
            ]
            rows = con.execute(
                f"SELECT * FROM {field.name} WHERE document_id = ? ORDER BY id", (document["id"],)
            )
            found = [
                (
                    [row[p] for p in field.properties],
                    [
                        [m[k] for k in WHERE]
                        for m in con.execute(
                            "SELECT * FROM mentions WHERE item_id = ? ORDER BY id", (row["id"],)
                        )
                    ],
                )
                for row in rows
            ]
            assert found == expected, (record["source"], field.name)
    mentions = sum(len(f.occurrences(i)) for r in records for f in FIELDS for i in r[f.name])
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == mentions
    by_field = dict(con.execute("SELECT field, count(*) FROM items GROUP BY field").fetchall())
    assert by_field == {f.name: n for f in FIELDS if (n := sum(len(r[f.name]) for r in records))}


def test_a_join_answers_which_documents_mention_a_country(extracted):
    records, database = extracted
    per_country = Counter(c["iso2"] for r in records for c in r["countries"])
    # a country some documents name and others do not, so the query has something to exclude
    iso2 = next(c for c, _ in per_country.most_common() if per_country[c] < len(records))
    expected = {
        (r["source"], r.get("article")) for r in records if iso2 in {c["iso2"] for c in r["countries"]}
    }
    query = """
        SELECT DISTINCT d.source, d.article FROM documents d
        JOIN mentions m ON m.document_id = d.id
        JOIN countries c ON c.id = m.item_id
        WHERE c.iso2 = ?"""
    assert set(connect(database).execute(query, (iso2,)).fetchall()) == expected


def test_update_adds_only_new_files_and_a_copy_is_a_duplicate(dev_corpus, tmp_path, spy):
    files = texts(dev_corpus)[:5]
    archive = tmp_path / "archive"
    archive.mkdir()
    for path in files[:3]:
        shutil.copy(path, archive)
    database = tmp_path / "records.db"
    first = invoke("summarize", archive, "-o", database)
    assert first.exit_code == 0, first.stderr
    for path in files[3:]:
        shutil.copy(path, archive)
    copy = archive / "zz_copy.txt"
    shutil.copy(files[0], copy)
    update = invoke("summarize", archive, "-o", database, "--update")
    assert update.exit_code == 0, update.stderr
    assert "3 files already there, skipped" in update.stderr
    assert f"added 2 new documents and 1 copy of documents already there to {database}" in update.stderr
    new = [str(archive / p.name) for p in files[3:]]
    assert spy[-1] == new  # neither the old files nor the copy reach the NLP
    con = connect(database)
    assert con.execute("SELECT id, skipped FROM runs ORDER BY id").fetchall() == [(1, 0), (2, 3)]
    added = con.execute("SELECT DISTINCT source FROM documents WHERE run_id = 2 ORDER BY source").fetchall()
    assert [s for (s,) in added] == [*new, str(copy)]
    (original,) = con.execute("SELECT id FROM documents WHERE source = ?", (str(archive / files[0].name),))
    duplicate = con.execute(
        "SELECT id, duplicate_of FROM documents WHERE source = ?", (str(copy),)
    ).fetchone()
    assert duplicate[1] == original[0]
    assert con.execute("SELECT count(*) FROM items WHERE document_id = ?", (duplicate[0],)).fetchone() == (0,)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []

    runs = len(spy)
    again = invoke("summarize", archive, "-o", database, "--update")
    assert again.exit_code == 0 and len(spy) == runs and "6 files already there" in again.stderr
    assert f"added 0 new documents to {database}" in again.stderr
    assert con.execute("SELECT count(*) FROM documents WHERE run_id = 3").fetchone() == (0,)

    # The original changes: its new text replaces its rows, and the copy inherits the old items.
    items = con.execute("SELECT count(*) FROM items WHERE document_id = ?", original).fetchone()
    with open(archive / files[0].name, "a", encoding="utf-8") as handle:
        handle.write("\nContact: press@example.org\n")
    changed = invoke("summarize", archive, "-o", database, "--update")
    assert changed.exit_code == 0 and spy[-1] == [str(archive / files[0].name)]
    assert con.execute("SELECT duplicate_of FROM documents WHERE id = ?", (duplicate[0],)).fetchone() == (
        None,
    )
    assert (
        con.execute("SELECT count(*) FROM items WHERE document_id = ?", (duplicate[0],)).fetchone() == items
    )
    emails = con.execute(
        "SELECT e.address FROM emails e JOIN documents d ON d.id = e.document_id WHERE d.source = ?",
        (str(archive / files[0].name),),
    ).fetchall()
    assert ("press@example.org",) in emails
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_output_that_cannot_be_a_database_is_a_usage_error_before_any_work(dev_corpus, tmp_path, spy):
    doc = texts(dev_corpus)[0]
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("my notes\n")
    cases = [
        (("-f", "sqlite"), "give one with -o"),
        (("-o", tmp_path / "missing" / "records.db"), "does not exist"),
        (("-f", "sqlite", "-o", tmp_path), "is a directory"),
        (("-o", tmp_path / "records.json", "--update"), "use it with -f sqlite"),
        (("-o", not_a_database, "--update"), "not a SQLite database"),
    ]
    for command in ("extract", "summarize"):
        for options, reason in cases:
            result = invoke(command, doc, *options)
            assert result.exit_code == 2, (command, options, result.stderr)
            assert result.stderr.startswith("tipx: ") and reason in result.stderr
            assert "Traceback" not in result.stderr
    assert not (tmp_path / "missing").exists() and not (tmp_path / "records.json").exists()
    assert not_a_database.read_text() == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]
    assert all(not paths for paths in spy)  # the -o that fails fails before the NLP


def test_an_interrupted_run_leaves_the_database_as_it_was(dev_corpus, tmp_path, nlp):
    files = [str(p) for p in texts(dev_corpus)[:2]]
    results = list(tipx.engine.results(files, nlp))

    def interrupted():
        yield results[0]
        raise KeyboardInterrupt

    database = tmp_path / "records.db"
    with pytest.raises(KeyboardInterrupt):
        emit(Format.sqlite, Output(interrupted(), Summary(), False), database)
    assert list(tmp_path.iterdir()) == []  # no database, no temporary file

    emit(Format.sqlite, Output(iter(results[:1]), Summary(), False), database)
    before = database.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        emit(
            Format.sqlite, Output(interrupted(), Summary(), False), database, update=_update(database, files)
        )
    assert connect(database).execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert database.read_bytes() == before


def _update(database, files):
    from tipx.database import plan_update

    return plan_update(Format.sqlite, database, files)[1]


def test_a_field_added_to_the_registry_gets_its_table():
    faxes = replace(PHONES, name="faxes", properties={**PHONES.properties, "pages": {"type": "integer"}})
    con = sqlite3.connect(":memory:")
    for statement in ddl((*FIELDS, faxes)):
        con.execute(statement)
    columns = {row[1]: (row[2], row[3]) for row in con.execute("PRAGMA table_info(faxes)")}
    assert columns == {
        "id": ("INTEGER", 0),
        "document_id": ("INTEGER", 1),
        "number": ("TEXT", 1),
        "name": ("TEXT", 0),
        "pages": ("INTEGER", 1),
    }


def test_failures_and_repeated_texts_in_one_run(dev_corpus, tmp_path):
    doc = texts(dev_corpus)[0]
    again = tmp_path / "again.txt"
    again.write_bytes(doc.read_bytes().replace(b"\n", b"\r\n"))  # other bytes, the same text
    missing = tmp_path / "missing.txt"
    database = tmp_path / "records.db"
    result = invoke("extract", doc, again, missing, "-o", database)
    assert result.exit_code == 1 and f"tipx: {missing}: no such file" in result.stderr
    con = connect(database)
    assert con.execute("SELECT source FROM errors").fetchall() == [(str(missing),)]
    rows = con.execute("SELECT id, source, duplicate_of FROM documents ORDER BY id").fetchall()
    assert rows == [(1, str(doc), None), (2, str(again), 1)]
    assert con.execute("SELECT DISTINCT document_id FROM items").fetchall() == [(1,)]


def test_update_never_reads_a_pipe_nor_takes_a_named_stdin_for_a_file(tmp_path, monkeypatch):
    from tipx.database import file_hash
    from tipx.reading import StdinName

    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    assert file_hash(str(fifo)) is None  # returns at once: a pipe with no writer is not read
    (tmp_path / "update.md").write_text("a different file of the same name\n")
    monkeypatch.chdir(tmp_path)
    assert file_hash(StdinName("update.md")) is None
    database = tmp_path / "records.db"
    for _ in range(2):  # standard input is never "already there"
        result = runner.invoke(
            app, ["extract", "-", "--name", "update.md", "-o", str(database), "--update"], input=PRESS_TEXT
        )
        assert result.exit_code == 0, result.stderr
    assert "already there" not in result.stderr
    with closing(sqlite3.connect(database)) as con:
        rows = con.execute("SELECT source, path, sha256 FROM documents").fetchall()
    assert rows == [("update.md", None, None), ("update.md", None, None)]


@pytest.mark.slow
def test_a_locked_database_is_one_line(tmp_path):
    database = tmp_path / "records.db"
    assert invoke("extract", SAMPLES / "update.md", "-o", database).exit_code == 0
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        result = invoke("extract", SAMPLES / "press_release.txt", "-o", database, "--update")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "database is locked" in result.stderr
