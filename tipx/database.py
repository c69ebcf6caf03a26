"""Output to a SQLite database (``-f sqlite -o records.db``) that sqlite-utils, Datasette or
pandas query directly.

Tables (every field table is derived from the field registry, so a new field gets its table):

- ``runs``: one row per tipx run that wrote to the database (the run record).
- ``documents``: one row per document (or article of a multi-article file), with the hash of
  its file's bytes, the fingerprint of its text, its warnings (JSON) and, for a copy of an
  earlier document, ``duplicate_of`` (a copy has no items of its own).
- ``items``: every extracted item (id, document, field); ``organisations``, ``countries``,
  ``dates``, ... hold each field's items, their ``id`` being the item's.
- ``mentions``: where each item stands in its document (offsets, text, sentence).
- ``errors``: files that could not be read, per run.

A new database is built in a temporary file beside the target and renamed into place. With
``--update`` the existing database is opened: files whose bytes are already there are skipped
before any NLP (``plan_update``), the same bytes under a new path become duplicates, and a file
whose bytes changed replaces its earlier rows.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import sqlite3
import stat
from collections.abc import Iterable
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .export import Format, Output, OutputError, atomic_path
from .fields import FIELDS, WHERE, Field

APPLICATION_ID = 0x74697078  # "tipx": PRAGMA application_id marks a database tipx wrote
SCHEMA_VERSION = 1
COMMIT_EVERY = 200  # --update commits as it goes: an interrupted run keeps what it finished
RUN_COLUMNS = ("tool", "version", "model", "pipeline", "pipeline_version", "spacy_version", "date")
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


# ---------------------------------------------------------------------------- the schema


def _name(name: str) -> str:
    """A table or column name from the registry, quoted; names are checked, never escaped."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} cannot name a table or column")
    return f'"{name}"'


def _column(name: str, schema: dict) -> str:
    """A column for a JSON Schema property: its SQL type, NOT NULL unless it may be null."""
    types = schema.get("type", ["string", "null"])
    types = [types] if isinstance(types, str) else types
    kind = next((t for t in types if t != "null"), "string")
    return f"{_name(name)} {_SQL_TYPES.get(kind, 'TEXT')}" + ("" if "null" in types else " NOT NULL")


DOCUMENT = "REFERENCES documents(id) ON DELETE CASCADE"
BASE_TABLES: dict[str, list[str]] = {
    "runs": [
        "id INTEGER PRIMARY KEY",
        "command TEXT NOT NULL",
        *(f"{_name(c)} TEXT" for c in RUN_COLUMNS),
        "inputs TEXT",  # JSON array
        "skipped INTEGER NOT NULL DEFAULT 0",  # --update: files already in the database
        "record TEXT NOT NULL",  # the whole run record, JSON
    ],
    "documents": [
        "id INTEGER PRIMARY KEY",
        "run_id INTEGER NOT NULL REFERENCES runs(id)",
        "source TEXT NOT NULL",  # as given, as in the JSON record ('-' for standard input)
        "article INTEGER",  # 1-based where a file holds several articles
        "title TEXT",
        "published TEXT",
        "path TEXT",  # the file's absolute path: its identity across runs from other folders
        "sha256 TEXT",  # of the file's bytes
        "fingerprint TEXT NOT NULL",  # of the text, up to case and spacing
        "warnings TEXT NOT NULL DEFAULT '[]'",  # JSON array
        "duplicate_of INTEGER REFERENCES documents(id)",
    ],
    "errors": [
        "id INTEGER PRIMARY KEY",
        "run_id INTEGER NOT NULL REFERENCES runs(id)",
        "source TEXT NOT NULL",
        "error TEXT NOT NULL",
    ],
    "items": [
        "id INTEGER PRIMARY KEY",
        f"document_id INTEGER NOT NULL {DOCUMENT}",
        "field TEXT NOT NULL",
    ],
}
MENTIONS = [
    "id INTEGER PRIMARY KEY",
    "item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE",
    f"document_id INTEGER NOT NULL {DOCUMENT}",
    "field TEXT NOT NULL",
    *(_column(name, schema) for name, schema in WHERE.items()),
]


def tables(fields: Iterable[Field] = FIELDS) -> dict[str, list[str]]:
    """Every table's column definitions: tipx's own and one per field of the registry, whose
    ``id`` is its item's and whose columns are the item's own properties."""
    out = dict(BASE_TABLES)
    for fld in fields:
        if fld.name in out or fld.name == "mentions":
            raise ValueError(f"the field {fld.name!r} has the name of one of the database's own tables")
        out[fld.name] = [
            "id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE",
            f"document_id INTEGER NOT NULL {DOCUMENT}",
            *(_column(name, schema) for name, schema in fld.properties.items()),
        ]
    return {**out, "mentions": MENTIONS}


def indexes(fields: Iterable[Field] = FIELDS) -> dict[str, list[tuple[str, ...]]]:
    return {
        "documents": [("source",), ("path",), ("sha256",), ("fingerprint",), ("duplicate_of",), ("run_id",)],
        "errors": [("run_id",)],
        "items": [("document_id", "field")],
        **{f.name: [("document_id",), *((p,) for p in f.properties)] for f in fields},
        "mentions": [("item_id",), ("document_id", "field")],
    }


TABLES = tables()


def ddl(fields: Iterable[Field] = FIELDS) -> list[str]:
    """CREATE statements for the tables and indexes (IF NOT EXISTS: an older database gains
    the tables of fields added since)."""
    statements = [
        f"CREATE TABLE IF NOT EXISTS {_name(table)} (\n  " + ",\n  ".join(columns) + "\n)"
        for table, columns in tables(fields).items()
    ]
    for table, wanted in indexes(fields).items():
        for columns in wanted:
            index = _name(f"{table}_{'_'.join(columns)}")
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {index} ON {_name(table)} ({', '.join(map(_name, columns))})"
            )
    return statements


def _storable(value):
    """SQLite takes only valid UTF-8: a file name that is not (os.fsdecode's lone surrogates,
    "bad\\udcff.txt") is stored as its escape "\\udcff", the rendering JSON output uses."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


class _Connection(sqlite3.Connection):
    """Every parameter passes through ``_storable``."""

    def execute(self, sql, parameters=()):
        return super().execute(sql, tuple(map(_storable, parameters)))

    def executemany(self, sql, rows):
        return super().executemany(sql, (tuple(map(_storable, row)) for row in rows))


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, factory=_Connection)  # transactions are explicit
    con.execute("PRAGMA foreign_keys = ON")
    return con


def _create(con: sqlite3.Connection) -> None:
    """The tables and indexes; on an existing database, the ones a newer registry added."""
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    for statement in ddl():
        con.execute(statement)


def _check(con: sqlite3.Connection, path: Path) -> None:
    """An existing database must be one tipx wrote, with every column this tipx writes."""
    try:
        app = con.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.OperationalError as exc:  # locked by another writer past the timeout
        raise OutputError(f"-o {path}: {exc} (another program is writing to it?)") from None
    except sqlite3.DatabaseError as exc:
        raise OutputError(f"-o {path}: not a SQLite database ({exc})") from None
    if app != APPLICATION_ID and con.execute("SELECT 1 FROM sqlite_master").fetchone():
        raise OutputError(f"-o {path}: not a database tipx wrote; give a new file")
    for table, columns in TABLES.items():
        have = {row[1] for row in con.execute(f"PRAGMA table_info({_name(table)})")}
        want = {column.split()[0].strip('"') for column in columns}
        if have and want - have:
            missing = ", ".join(sorted(want - have))
            raise OutputError(
                f"-o {path}: written by another tipx ({table} lacks {missing}); give a new file"
            )


# ---------------------------------------------------------------------------- --update: before the NLP


def file_hash(path: str) -> str | None:
    """SHA-256 of a regular file's bytes; None for standard input (named or not), a pipe, a
    device or a file that cannot be read: the engine reports why, and nothing here may block."""
    if _is_stdin(path):
        return None
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped after the check
                return None
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _is_stdin(path: str) -> bool:
    from .reading import StdinName

    return path == "-" or isinstance(path, StdinName)


def _identity(path: str) -> str | None:
    return None if _is_stdin(path) else os.path.realpath(path)


@dataclass
class Update:
    """What ``--update`` found in the database at ``path`` before any NLP."""

    path: Path
    hashes: dict[str, str | None] = field(default_factory=dict)  # path -> sha256 of its bytes
    copies: list[str] = field(default_factory=list)  # bytes already there under another path
    skipped: list[str] = field(default_factory=list)  # already there under this path


def target(fmt: Format, output: Path | None) -> Path:
    """The database file; a usage error (before any work) for a place it cannot be."""
    if fmt is not Format.sqlite:
        raise OutputError("--update adds to a database: use it with -f sqlite (or -o NAME.db)")
    if output is None or str(output) == "-":
        raise OutputError("sqlite writes a database file: give one with -o NAME.db")
    if output.is_dir():
        raise OutputError(f"-o {output}: is a directory")
    if not output.parent.is_dir():
        raise OutputError(f"-o {output}: no such folder {output.parent}")
    return output


def plan_update(fmt: Format, output: Path | None, paths: list[str]) -> tuple[list[str], Update]:
    """The paths still to process, and what the database already has (by the files' bytes)."""
    update = Update(target(fmt, output))
    known: dict[str, set[str]] = {}  # sha256 -> the file identities it is recorded under
    if update.path.exists():
        with closing(_connect(update.path)) as con:
            _check(con, update.path)
            if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone():
                for sha, where in con.execute("SELECT sha256, path FROM documents WHERE sha256 IS NOT NULL"):
                    known.setdefault(sha, set()).add(where)
    todo = []
    for path in paths:
        sha = update.hashes[path] = file_hash(path)
        if sha not in known:
            todo.append(path)
        elif _identity(path) in known[sha]:
            update.skipped.append(path)
        else:
            update.copies.append(path)
    return todo, update


# ---------------------------------------------------------------------------- writing


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _value(value):
    return _json(value) if isinstance(value, list | dict) else value


class _Writer:
    """Inserts one run's rows through one connection, with parameters only."""

    def __init__(self, con: sqlite3.Connection, out: Output, update: Update | None):
        self.con, self.update = con, update
        self.hashes = dict(update.hashes) if update else {}
        self.replaced: set[str | None] = set()  # file identities whose earlier rows are gone
        run = out.run or {}
        values = {c: run.get(c) for c in RUN_COLUMNS}
        values["version"] = values["version"] or __version__
        values["date"] = values["date"] or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        self.run_id = con.execute(
            f"INSERT INTO runs (command, {', '.join(map(_name, RUN_COLUMNS))}, inputs, skipped, record)"
            f" VALUES (?, {', '.join('?' * len(RUN_COLUMNS))}, ?, ?, ?)",
            (
                "summarize" if out.is_summary else "extract",
                *values.values(),
                _json(run["inputs"]) if "inputs" in run else None,
                len(update.skipped) if update else 0,
                _json(run),
            ),
        ).lastrowid

    def _hash(self, path: str) -> str | None:
        if path not in self.hashes:
            self.hashes[path] = file_hash(path)
        return self.hashes[path]

    def _replace(self, path: str) -> None:
        """Drop a file's rows from earlier runs (its bytes changed). A copy of a dropped
        document inherits its items and becomes the original of the other copies."""
        where = _identity(path)
        if where is None or where in self.replaced:
            return
        self.replaced.add(where)
        con = self.con
        rows = con.execute(
            "SELECT id FROM documents WHERE path = ? AND run_id != ?", (where, self.run_id)
        ).fetchall()
        for (old,) in rows:
            heir = con.execute(
                "SELECT id FROM documents WHERE duplicate_of = ? ORDER BY id LIMIT 1", (old,)
            ).fetchone()
            if heir:
                for table in ("items", *(f.name for f in FIELDS), "mentions"):
                    con.execute(
                        f"UPDATE {_name(table)} SET document_id = ? WHERE document_id = ?", (heir[0], old)
                    )
                con.execute("UPDATE documents SET duplicate_of = NULL WHERE id = ?", heir)
                con.execute("UPDATE documents SET duplicate_of = ? WHERE duplicate_of = ?", (heir[0], old))
            con.execute("DELETE FROM documents WHERE id = ?", (old,))

    def _document(self, path: str, article, title, published, fingerprint, warnings, duplicate_of) -> int:
        return self.con.execute(
            "INSERT INTO documents (run_id, source, article, title, published, path, sha256, fingerprint,"
            " warnings, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.run_id,
                path,
                article,
                title,
                published,
                _identity(path),
                self._hash(path),
                fingerprint,
                _json(warnings),
                duplicate_of,
            ),
        ).lastrowid

    def copies(self, paths: Iterable[str]) -> None:
        """Files whose bytes are already recorded under another path: duplicates of those rows."""
        for path in paths:
            self._replace(path)
            originals = self.con.execute(
                "SELECT id, article, title, published, fingerprint, warnings, duplicate_of FROM documents"
                " WHERE sha256 = ? AND path != ? ORDER BY path, article",
                (self._hash(path), _identity(path)),
            ).fetchall()
            seen = set()
            for doc_id, article, title, published, fingerprint, warnings, duplicate_of in originals:
                if article not in seen:  # one row per article, whichever copy it was found under
                    seen.add(article)
                    self._document(
                        path,
                        article,
                        title,
                        published,
                        fingerprint,
                        json.loads(warnings),
                        duplicate_of or doc_id,
                    )

    def error(self, path: str, error: str) -> None:
        self.con.execute(
            "INSERT INTO errors (run_id, source, error) VALUES (?, ?, ?)", (self.run_id, path, error)
        )

    def result(self, result) -> None:
        """A document: its row, then (unless its text is already there) its items and mentions."""
        self._replace(result.path)
        article, record = result.article, result.record
        original = self.con.execute(
            "SELECT id FROM documents WHERE fingerprint = ? AND duplicate_of IS NULL ORDER BY id LIMIT 1",
            (article.fingerprint,),
        ).fetchone()
        source = record or {
            "title": article.title,
            "published": article.published,
            "warnings": article.warnings,
        }
        doc_id = self._document(
            result.path,
            article.index,
            source["title"],
            source["published"],
            article.fingerprint,
            source["warnings"],
            original[0] if original else None,
        )
        if original or record is None:
            return
        for fld in FIELDS:
            self._items(fld, doc_id, record[fld.name])

    def _items(self, fld: Field, doc_id: int, items: list[dict]) -> None:
        columns = list(fld.properties)
        insert = (
            f"INSERT INTO {_name(fld.name)} (id, document_id, {', '.join(map(_name, columns))})"
            f" VALUES (?, ?, {', '.join('?' * len(columns))})"
        )
        mention = (
            f"INSERT INTO mentions (item_id, document_id, field, {', '.join(map(_name, WHERE))})"
            f" VALUES (?, ?, ?, {', '.join('?' * len(WHERE))})"
        )
        for item in items:
            item_id = self.con.execute(
                "INSERT INTO items (document_id, field) VALUES (?, ?)", (doc_id, fld.name)
            ).lastrowid
            self.con.execute(insert, (item_id, doc_id, *(_value(item.get(c)) for c in columns)))
            self.con.executemany(
                mention,
                [
                    (item_id, doc_id, fld.name, *(where.get(c) for c in WHERE))
                    for where in fld.occurrences(item)
                ],
            )


def _fill(con: sqlite3.Connection, out: Output, update: Update | None, commit_every: int | None) -> None:
    con.execute("BEGIN")
    _create(con)
    writer = _Writer(con, out, update)
    if update:
        writer.copies(update.copies)
    for n, result in enumerate(out.results, 1):
        out.summary.add(result)  # the exit status counts the failures
        if result.error:
            writer.error(result.path, result.error)
        elif result.article is not None:
            writer.result(result)
        if commit_every and n % commit_every == 0:
            con.execute("COMMIT")
            con.execute("BEGIN")
    con.execute("COMMIT")


def write_database(out: Output, output: Path | None, update: Update | None = None) -> None:
    """Write ``out`` to the SQLite database at ``output``: a new database built beside it and
    renamed into place, or with ``update`` (see ``plan_update``) added to the existing one."""
    path = target(Format.sqlite, output)
    if update is not None and path.exists():
        with closing(_connect(path)) as con:
            _check(con, path)
            try:
                _fill(con, out, update, COMMIT_EVERY)
            except BaseException as exc:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):  # "database is locked"
                    raise OutputError(f"-o {path}: {exc} (another program is writing to it?)") from None
                raise
        return
    with ExitStack() as stack:
        try:
            tmp = stack.enter_context(atomic_path(path))
        except OSError as exc:  # an unwritable folder, a name too long for the temporary file
            raise OutputError(f"-o {path}: {exc.strerror or exc}") from None
        with closing(_connect(tmp)) as con:  # closed before the rename
            _fill(con, out, update, None)
