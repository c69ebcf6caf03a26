"""Output: one Format type, one table from format to writer, one ``emit``.

Every command hands ``emit`` an ``Output``: the results as they stream from the engine, the
Summary they fold into, and whether the command is a summary. A writer turns that into text
chunks, streamed to stdout or written atomically to a file (a folder for a summary's CSV).
``check_target`` says before any work why an ``-o`` path cannot take the output."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import Enum
from pathlib import Path
from typing import TextIO

from .fields import CSV_ITEM_COLUMNS, FIELDS

# One row per place an item stands in the text; every column means one thing in every row.
CSV_HEADER = [
    "source",
    "article",
    "title",
    "published",
    "field",
    "value",
    *CSV_ITEM_COLUMNS,
    "start_char",
    "end_char",
    "sentence",
]
# What a spreadsheet may run as a formula, also after leading spaces; full-width forms too
# (＝＋－＠, which some spreadsheets and input methods turn into ASCII), and "|" (DDE).
_FORMULA_START = ("=", "+", "-", "@", "|", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A phone number, a signed number or a lone "-" (standard input) is data, not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?[\d ().-]{0,40}")


class Format(str, Enum):
    auto = "auto"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"
    html = "html"
    sqlite = "sqlite"


SUFFIXES = {
    ".json": Format.json,
    ".jsonl": Format.jsonl,
    ".csv": Format.csv,
    ".md": Format.md,
    ".html": Format.html,
    ".htm": Format.html,
    ".txt": Format.table,
    ".db": Format.sqlite,
    ".sqlite": Format.sqlite,
    ".sqlite3": Format.sqlite,
}


class OutputError(Exception):
    """Options that cannot work together (a usage error)."""


def choose(fmt: Format, output: Path | None, summary: bool) -> Format:
    """auto: by the -o suffix (a summary's folder with no suffix is CSV), else tables on a
    terminal and JSON when piped."""
    if fmt is not Format.auto:
        return fmt
    if output is not None:
        default = Format.csv if summary and not output.suffix else Format.json
        return SUFFIXES.get(output.suffix.lower(), default)
    return Format.table if sys.stdout.isatty() else Format.json


@dataclass
class Output:
    results: Iterable  # engine Results, each folded into ``summary`` as it passes
    summary: object  # tipx.summary.Summary
    is_summary: bool  # `summarize` (a folder's picture) rather than `extract` (records)
    run: dict = dc_field(default_factory=dict)  # tipx.runinfo.run_info(): what made this output

    def records(self, report=None) -> Iterator[dict]:
        for result in self.results:
            kept = self.summary.add(result)  # False: the text repeats an earlier document's
            if result.record is None:
                continue
            if kept and report is not None:
                report.add(result)
            # a summary counts a repeated text once; extract gives every file asked for its record
            if kept or not self.is_summary:
                yield result.record

    def drain(self, report=None) -> None:
        for _ in self.records(report):
            pass


# ---------------------------------------------------------------------------- writers


def to_jsonl(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def safe_cell(value) -> str:
    """Neutralise spreadsheet formula injection (OWASP): prefix risky cells with an apostrophe,
    but leave phone numbers ("+265 1 823 155"), signed numbers and "-" as they are."""
    text = "" if value is None else str(value)
    risky = text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START)
    if risky and not _PLAIN_NUMBER.fullmatch(text.strip()):
        return "'" + text
    return text


def csv_rows(record: dict) -> Iterator[list]:
    """One row per place an item stands (each mention of an organisation or country), in the
    columns of CSV_HEADER: the record's, the text found, the item's own cells, the place."""
    base = {k: record.get(k) for k in ("source", "article", "title", "published")}
    for field in FIELDS:
        for item in record.get(field.name, []):
            cells = field.csv(item)
            for where in field.occurrences(item):
                row = {**base, "field": field.name, "value": where["text"], **cells, **where}
                yield [row.get(column) for column in CSV_HEADER]


def to_csv(records: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for record in records:
        for row in csv_rows(record):
            writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _indented_json(payload, margin: str = "", chunk_chars: int = 1 << 16) -> Iterator[str]:
    """``json.dumps(payload, ensure_ascii=False, indent=2)``, every line after the first behind
    ``margin``, in chunks: with an indent, dumps joins a list of millions of small strings (a 20 MB
    text's record: 400 MB at once). A raw newline only ever stands in a separator part."""
    parts: list[str] = []
    size = 0
    for part in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(payload):
        part = part.replace("\n", "\n" + margin) if margin else part
        parts.append(part)
        size += len(part)
        if size >= chunk_chars:
            yield "".join(parts)
            parts, size = [], 0
    yield "".join(parts)


def _json(out: Output) -> Iterator[str]:
    if not out.is_summary:  # one shape for any input: an array of records (`jq '.[]'`)
        n = -1
        for n, record in enumerate(out.records()):
            yield "[\n  " if n == 0 else ",\n  "
            yield from _indented_json(record, margin="  ")
        yield "[]\n" if n < 0 else "\n]\n"
        return
    yield '{"documents": ['
    for n, record in enumerate(out.records()):
        yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
    payload = {"summary": out.summary.to_dict(), "errors": out.summary.errors}
    if out.run:
        payload["run"] = out.run
    yield "\n], " + json.dumps(payload, ensure_ascii=False, indent=1)[1:] + "\n"


def _csv(out: Output) -> Iterator[str]:
    return to_csv(out.records())


def _markdown(out: Output) -> Iterator[str]:
    from .report import to_markdown

    out.drain()
    yield to_markdown(out.summary, out.run) + "\n"


def _html(out: Output) -> Iterator[str]:
    from .html_report import HtmlReport

    report = HtmlReport(out.run)
    try:
        out.drain(report)
        yield from report.render(out.summary)
    finally:  # --strict, a write error, Ctrl-C: the spooled sections go at once
        report.close()


WRITERS: dict[Format, Callable[[Output], Iterable[str]]] = {
    Format.json: _json,
    Format.jsonl: lambda out: to_jsonl(out.records()),
    Format.csv: _csv,
    Format.md: _markdown,
    Format.html: _html,
}


# Outputs with room for the run record (Output.run); extract's JSON is a bare array of records.
RUN_RECORD_FORMATS = frozenset({"json", "md", "html", "sqlite"})


def carries_run(fmt: Format, is_summary: bool) -> bool:
    return fmt.value in RUN_RECORD_FORMATS and (is_summary or fmt is not Format.json)


def _table(out: Output, output: Path | None) -> None:
    from rich.console import Console

    from .display import print_records, summary_tables

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich exits 1; the CLI ends with 0 as for any format
            raise BrokenPipeError(errno.EPIPE, "standard output closed")

    with atomic_file(output) if output else nullcontext(None) as handle:
        if handle is not None:  # a .txt file: marked, so summarize never reads it back
            from .runinfo import generated_comment

            handle.write(generated_comment())
        console = _Console(file=handle)  # None: stdout
        if out.is_summary:
            out.drain()
            console.print(summary_tables(out.summary))
        else:
            print_records(out.records(), console)


def emit(fmt: Format, out: Output, output: Path | None = None, update=None) -> None:
    """Write ``out`` in ``fmt`` to stdout or ``output`` (``update``: database.plan_update's
    findings, to add to an existing database)."""
    if fmt is Format.sqlite:
        from .database import write_database

        write_database(out, output, update)
    elif fmt is Format.table:
        _table(out, output)
    elif fmt is Format.csv and out.is_summary:
        if output is None:
            raise OutputError("csv writes one file per table: give a folder with -o")
        from .report import write_csv_dir

        out.drain()
        write_csv_dir(out.summary, output)
    elif output is not None:
        write_atomic(output, WRITERS[fmt](out))
    else:
        for chunk in WRITERS[fmt](out):
            sys.stdout.write(chunk)
            sys.stdout.flush()


def write_atomic(path: str | Path, chunks: Iterable[str]) -> None:
    """Write text chunks to ``path`` atomically (see ``atomic_path``)."""
    with atomic_file(path) as handle:
        for chunk in chunks:
            handle.write(chunk)


@contextmanager
def atomic_file(path: str | Path) -> Iterator[TextIO]:
    """A text handle on ``atomic_path(path)``, closed before the file is renamed into place."""
    # errors: a name that is not UTF-8 (os.fsdecode's lone surrogate \udcff) is written as the
    # escape "\udcff", which json.loads reads back as that name, losslessly
    with (
        atomic_path(path) as tmp,
        open(tmp, "w", encoding="utf-8", errors="backslashreplace", newline="") as handle,
    ):
        yield handle


@contextmanager
def atomic_path(path: str | Path) -> Iterator[str]:
    """A temporary file beside ``path`` to write, renamed into place when the block ends
    (removed if it raises): an interrupted run, a full disk or an error never leaves a
    half-written file. A link is written through to its target; an existing file keeps its
    mode (and owner, where allowed)."""
    target = Path(os.path.realpath(path))
    try:
        before = os.stat(target)
    except FileNotFoundError:
        before = None
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield tmp
        _take_mode(tmp, before)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temp_prefix(target: Path, limit: int = 200) -> str:
    """The prefix of a temporary file or folder beside ``target``: hidden, named after it, and
    cut to leave room for tempfile's own part (NAME_MAX is in bytes: 255 on most file systems)."""
    name = target.name
    while len(os.fsencode(name)) > limit:
        name = name[:-1]
    return f".{name}."


def _take_mode(tmp: str, before: os.stat_result | None) -> None:
    """mkstemp creates 0600: give the new file the mode of the one it replaces, else the usual
    mode (0666 less the umask)."""
    if before is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        return
    os.chmod(tmp, stat.S_IMODE(before.st_mode))
    if (before.st_uid, before.st_gid) != (os.getuid(), os.getgid()):
        with suppress(OSError):  # only root may give a file away; others keep their own
            os.chown(tmp, before.st_uid, before.st_gid)


# ---------------------------------------------------------------------------- -o, checked up front


def check_target(raw: str, folder: bool = False, inputs: Iterable[str] = ()) -> Path:
    """The path ``-o raw`` writes to (a link's target), or OutputError saying why it cannot take
    the output: checked before any work, so a run never ends in a traceback after the work is
    done. ``folder``: a summary's CSV tables (a folder tipx fills alone)."""
    try:
        target = Path(os.path.realpath(raw))
        _check_place(raw, target)
        if folder:
            _check_folder(raw, target)
        else:
            _check_file(raw, target)
        for source in inputs:  # by path, link or hard link
            if source != "-" and os.path.exists(source) and _same(source, target):
                raise OutputError("is one of the inputs")
            if not folder and _document_in(source, target):
                raise OutputError(f"is a document in {source}, one of the inputs: write elsewhere")
        _probe(target, folder)
    except OSError as exc:  # a name too long, a folder we may not enter, ...
        reason = exc.strerror or str(exc)
        raise OutputError(reason[0].lower() + reason[1:]) from None
    return target


def _document_in(folder: str, target: Path) -> bool:
    """Whether ``target`` is an existing document inside the input ``folder`` that tipx did not
    write: replacing it would destroy an input (a report of ours there is rewritten, and never
    read back)."""
    from .reading import DOCUMENT_SUFFIXES
    from .runinfo import written_by_tipx

    if folder == "-" or not os.path.isdir(folder) or not target.is_file():
        return False
    if os.path.commonpath([os.path.realpath(folder), target]) != os.path.realpath(folder):
        return False
    return target.name.lower().endswith(DOCUMENT_SUFFIXES) and not written_by_tipx(str(target))


def _same(source: str, target: Path) -> bool:
    return os.path.realpath(source) == str(target) or (target.exists() and os.path.samefile(source, target))


def _check_place(raw: str, target: Path) -> None:
    if not os.path.isdir(target.parent):
        parent = os.path.dirname(raw.rstrip(os.sep)) or "."
        exists = os.path.exists(target.parent)
        raise OutputError(f"{parent} is not a folder" if exists else f"folder {parent} does not exist")
    if len(os.fsencode(target.name)) > os.pathconf(target.parent, "PC_NAME_MAX"):
        raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG))


def _check_file(raw: str, target: Path) -> None:
    if target.is_dir():
        raise OutputError("is a directory")
    if raw.endswith(os.sep):
        raise OutputError("names a folder: give a file name")
    if target.exists():
        mode = target.stat().st_mode
        if not stat.S_ISREG(mode):  # a device, a FIFO: never renamed over, never written into
            raise OutputError("not a regular file")
        # root may write anywhere: a file nobody may write to is still left alone
        if not os.access(target, os.W_OK) or not mode & stat.S_IWUSR:
            raise OutputError("permission denied")


def _check_folder(raw: str, target: Path) -> None:
    from .report import csv_table_files

    if target.exists() and not target.is_dir():
        raise OutputError("csv writes one file per table: give a folder, not a file")
    if not target.exists() and target.suffix and not raw.endswith(os.sep):
        suggestion = os.path.splitext(raw)[0] + "/"
        raise OutputError(f"csv writes one file per table: give a folder (-o {suggestion})")
    if target.is_dir():
        others = sorted(set(os.listdir(target)) - csv_table_files())
        if others:  # the new set replaces the folder whole: never take anything else with it
            raise OutputError(f"holds files tipx did not write ({others[0]}): give a new or empty folder")


def _probe(target: Path, folder: bool) -> None:
    """Create and remove what the write will create beside ``target``: the sure test of
    permissions and read-only mounts."""
    if folder:
        os.rmdir(tempfile.mkdtemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent))
    else:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
        os.close(fd)
        os.unlink(tmp)
