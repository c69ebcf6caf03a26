"""Output: one Format type, one table from format to writer, one ``emit``.

Every command hands ``emit`` an ``Output``: the results as they stream from the engine, the
Summary they fold into, and whether the command is a summary. A writer turns that into text
chunks, streamed to stdout or written atomically to a file (a folder for a summary's CSV)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import Enum
from pathlib import Path

from .fields import FIELDS

CSV_HEADER = ["source", "article", "field", "value", "normalised", "detail", "start_char", "end_char"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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


SUFFIXES = {
    ".json": Format.json,
    ".jsonl": Format.jsonl,
    ".csv": Format.csv,
    ".md": Format.md,
    ".html": Format.html,
    ".htm": Format.html,
    ".txt": Format.table,
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
    single: bool = False  # one input: `extract -f json` prints the record, not a list
    run: dict = dc_field(default_factory=dict)  # tipx.runinfo.run_info(): what made this output

    def records(self, report=None) -> Iterator[dict]:
        for result in self.results:
            if self.summary.add(result) and result.record is not None:
                if report is not None:
                    report.add(result)
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
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_rows(record: dict) -> Iterator[list]:
    """One row per extracted item: source, article, field, value, normalised, detail, offsets."""
    base = [record["source"], record.get("article", "")]
    for field in FIELDS:
        for item in record.get(field.name, []):
            where = field.occurrences(item)[0]
            yield base + [field.name, *field.csv(item), where["start_char"], where["end_char"]]


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


def _indented_json(payload, chunk_chars: int = 1 << 16) -> Iterator[str]:
    """``json.dumps(payload, ensure_ascii=False, indent=2)`` in chunks: with an indent, dumps
    joins a list of millions of small strings (a 20 MB text's record: 400 MB at once)."""
    parts: list[str] = []
    size = 0
    for part in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(payload):
        parts.append(part)
        size += len(part)
        if size >= chunk_chars:
            yield "".join(parts)
            parts, size = [], 0
    yield "".join(parts)


def _json(out: Output) -> Iterator[str]:
    if not out.is_summary:
        records = list(out.records())
        if records or not out.summary.errors:
            payload = records[0] if out.single and len(records) == 1 else records
            yield from _indented_json(payload)
            yield "\n"
        return
    yield '{"documents": ['
    for n, record in enumerate(out.records()):
        yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
    payload = {"summary": out.summary.to_dict(), "errors": out.summary.errors}
    yield "\n], " + json.dumps(payload, ensure_ascii=False, indent=1)[1:] + "\n"


def _csv(out: Output) -> Iterator[str]:
    return to_csv(out.records())


def _markdown(out: Output) -> Iterator[str]:
    from .report import to_markdown

    out.drain()
    yield to_markdown(out.summary) + "\n"


def _html(out: Output) -> Iterator[str]:
    from .html_report import HtmlReport

    report = HtmlReport()
    out.drain(report)
    yield from report.render(out.summary)


WRITERS: dict[Format, Callable[[Output], Iterable[str]]] = {
    Format.json: _json,
    Format.jsonl: lambda out: to_jsonl(out.records()),
    Format.csv: _csv,
    Format.md: _markdown,
    Format.html: _html,
}


def _table(out: Output, output: Path | None) -> None:
    from rich.console import Console

    from .display import print_records, summary_tables

    console = Console(file=open(output, "w", encoding="utf-8") if output else None)  # noqa: SIM115
    if out.is_summary:
        out.drain()
        console.print(summary_tables(out.summary))
    else:
        print_records(out.records(), console)


def emit(fmt: Format, out: Output, output: Path | None = None) -> None:
    """Write ``out`` in ``fmt`` to stdout or ``output``."""
    if fmt is Format.table:
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
    """Write to a temporary file beside ``path`` and rename it into place: an interrupted run
    never leaves a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
