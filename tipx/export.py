"""Exporters: JSON, JSON Lines and CSV text from records; atomic writes to files."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .pipeline import FIELDS

CSV_HEADER = ["source", "article", "field", "value", "normalised", "detail", "start_char", "end_char"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_json(records: list[dict], single: bool) -> str:
    payload = records[0] if single and len(records) == 1 else records
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def to_jsonl(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def safe_cell(value) -> str:
    """Neutralise spreadsheet formula injection (OWASP): prefix risky cells with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(record: dict) -> Iterator[list]:
    """One row per extracted item: source, article, field, value, normalised, detail, offsets."""
    base = [record["source"], record.get("article", "")]
    for field in FIELDS:
        for item in record.get(field, []):
            if field == "organisations":
                first = item["mentions"][0]
                row = [
                    item["name"],
                    item["acronym"],
                    f"{len(item['mentions'])} mention" + "s" * (len(item["mentions"]) != 1),
                    first,
                ]
            elif field == "countries":
                first = item["mentions"][0]
                row = [item["name"], item["iso2"], item["iso3"], first]
            elif field == "dates":
                span = item["start"] if item["start"] == item["end"] else f"{item['start']}/{item['end']}"
                row = [item["text"], span, item["sentence"], item]
            elif field == "participants":
                row = [item["text"], item["count"], item["qualifier"], item]
            elif field == "funders":
                row = [item["name"], item["acronym"], item["evidence"], item]
            else:
                row = [item["address"], item["address"], item["name"], item]
            value, normalised, detail, where = row
            yield base + [field, value, normalised, detail, where["start_char"], where["end_char"]]


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
