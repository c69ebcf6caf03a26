"""Renderings of a summary shared by every output: its sections and headline, Markdown and a
folder of CSV files. Terminal tables are in display.py, the HTML report in html_report.py."""

from __future__ import annotations

import csv
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from .export import safe_cell, temp_prefix
from .fields import FIELD_NAMES, FIELDS
from .runinfo import generated_comment
from .summary import Summary
from .terminal import printable

Section = tuple[str, tuple[str, ...], list[dict]]  # title, columns, rows


def sections(summary: Summary) -> list[Section]:
    """The summary's tables in order: documents, one per field's aggregate, duplicates, errors."""
    data = summary.to_dict()
    out: list[Section] = [
        ("Documents", ("source", "article", "title", "published", *FIELD_NAMES), data["per_document"])
    ]
    out += [(a.title, a.columns, a.rows(data[a.key])) for a in summary.aggregates]
    out += [
        ("Duplicates", ("source", "duplicate_of"), data["duplicates"]),
        ("Warnings", ("source", "warning"), summary.warnings),
        ("Errors", ("source", "error"), summary.errors),
    ]
    return out


def headline(summary: Summary) -> str:
    data = summary.to_dict()
    totals = [
        f"{a.title.lower()} in total: {data[a.key]['total']}"
        for a in summary.aggregates
        if isinstance(data[a.key], dict) and "total" in data[a.key]
    ]
    return "; ".join(
        [
            f"{_count(data['documents'], 'document')}, {data['failed']} failed, "
            f"{_count(len(data['duplicates']), 'duplicate')}"
            + (f", {_count(len(summary.warnings), 'warning')}" if summary.warnings else ""),
            *totals,
        ]
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + "s" * (n != 1)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


_PATH_COLUMNS = ("source", "sources", "duplicate_of")
_SHORT = {f.name: f.short for f in FIELDS}  # narrow count headings (the full name on hover)


def common_folder(summary: Summary) -> str:
    """The folder every document lies in (shown once; cells show paths relative to it)."""
    sources = [d["source"] for d in summary.documents]
    try:
        root = os.path.commonpath(sources) if len(sources) > 1 else ""
    except ValueError:  # relative and absolute paths mixed: none in common, shown as given
        return ""
    return root if root and root not in sources else ""


def _relative(root: str, column: str, value):
    if column not in _PATH_COLUMNS or not root or not value:
        return value
    if isinstance(value, list):
        return [_relative(root, column, v) for v in value]
    return os.path.relpath(value, root) if value.startswith(root + os.sep) else value


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")
# Line breaks of every kind end a Markdown table row (or look as if they did): none stays in a cell.
_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_SEPARATORS = re.compile(r"[\u2028\u2029]")  # the ones printable() leaves as they are


def _md(value, name: bool = False) -> str:
    """A table cell: Markdown escaped, on one line. In text a line break is a space; a name (a
    path) keeps every character, a control character shown as an escape (``\\r``)."""
    text = _cell(value)
    if not name:
        text = _LINE_BREAKS.sub(" ", text)
    text = _SEPARATORS.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(text))
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_run(run: dict) -> list[str]:
    """The run record as a list: what made this file, from what."""
    if not run:
        return []
    pipeline = " ".join(filter(None, (run.get("pipeline"), run.get("pipeline_version"))))
    inputs = run.get("inputs", [])
    lines = [
        f"- tool: {_md(run.get('tool', 'tipx'))} {_md(run.get('version', ''))}",
        f"- model: {_md(run.get('model', ''))}" + (f" ({_md(pipeline)})" if pipeline else ""),
        f"- date: {_md(run.get('date', ''))}",
        f"- inputs ({len(inputs)}): " + ", ".join(_md(i, name=True) for i in inputs),
    ]
    return ["## Run", "", *lines, ""]


def to_markdown(summary: Summary, run: dict | None = None) -> str:
    """The summary as Markdown; its first line marks it as tipx's own output."""
    out = [generated_comment().rstrip("\n"), "# tipx summary", "", headline(summary) + ".", ""]
    out += _md_run(run or {})
    for title, columns, rows in sections(summary):
        if not rows:
            continue
        out += [f"## {title}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        out += [
            "| " + " | ".join(_md(row.get(c), c in _PATH_COLUMNS) for c in columns) + " |" for row in rows
        ]
        out.append("")
    return "\n".join(out)


def csv_table_files() -> set[str]:
    """The file names of a summary's CSV folder (one per section)."""
    return {f"{title.lower()}.csv" for title, _, _ in sections(Summary())}


def write_csv_dir(summary: Summary, folder: Path) -> list[Path]:
    """One CSV file per section in ``folder``: the set is written into a new folder beside it
    and swapped in whole, so a run that fails part-way never mixes tables of two runs. The
    folder holds tipx's tables only (export.check_target refuses one holding anything else)."""
    folder = Path(os.path.realpath(folder))  # a link to a folder: fill its target
    stage = Path(tempfile.mkdtemp(prefix=temp_prefix(folder), suffix=".tmp", dir=folder.parent))
    try:
        for title, columns, rows in sections(summary):
            with open(
                stage / f"{title.lower()}.csv", "w", encoding="utf-8", errors="backslashreplace", newline=""
            ) as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow([safe_cell(_cell(row.get(c))) for c in columns])
        os.chmod(stage, stat.S_IMODE(os.stat(folder).st_mode) if folder.is_dir() else _folder_mode())
        _swap_in(stage, folder)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return sorted(folder / name for name in os.listdir(folder))


def _folder_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _swap_in(stage: Path, folder: Path) -> None:
    """Put ``stage`` where ``folder`` is: two renames, the old set removed only once the new
    one is in place (and put back if the second rename fails)."""
    if not folder.exists():
        os.rename(stage, folder)
        return
    old = tempfile.mkdtemp(prefix=temp_prefix(folder), suffix=".old", dir=folder.parent)
    try:
        os.rename(folder, old)  # onto the empty folder just made: the name stays reserved
    except BaseException:
        os.rmdir(old)
        raise
    try:
        os.rename(stage, folder)
    except BaseException:
        os.rename(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
