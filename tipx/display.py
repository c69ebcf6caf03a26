"""Rich tables for the terminal. Every cell, title and heading is Text made through
``terminal.printable``, never markup: "[bold]" or an escape sequence in a document or in a file
name is shown as text, not run.

Values that must not break mid-value (an e-mail address, a phone number, a path, a code, a date,
a count) never wrap: a list of them shows one per line, and a cell too wide for the terminal ends
in an ellipsis (the full values are in ``-f json``). Names, titles and evidence wrap at spaces."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group
from rich.table import Table
from rich.text import Text

from .fields import FIELDS
from .report import _relative, common_folder, headline, sections
from .summary import Summary
from .terminal import printable

WHOLE = frozenset(
    {
        *("address", "number", "acronym", "iso2", "iso3", "ISO2", "ISO3", "month", "start", "end"),
        *("events", "documents", "mentions", "count", "published", "source", "sources", "duplicate_of"),
    }
)
WARNING_STYLE = "yellow"
PATHS = frozenset({"source", "sources", "duplicate_of"})  # cut on the left: the file name shows
WORD_FLOOR = 14  # a wrapping column narrows to its longest word, or to this, before values are cut


def _cell(value, whole: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ("\n" if whole else "; ").join(printable(v) for v in value)
    return printable(value)


def _cut_left(line: str, width: int) -> str:
    if cell_len(line) <= width:
        return line
    while line and cell_len(line) > width - 1:
        line = line[1:]
    return "…" + line


class FitTable:
    """A table sized to the console when it is printed. When the natural widths do not fit, the
    wrapping columns narrow first (widest first, down to their longest word or WORD_FLOOR, never
    below their heading: no "organi/sation"), then the WHOLE ones (widest first); only then does
    Rich cut every column evenly."""

    def __init__(self, title: str, columns: list[str] | tuple[str, ...], rows: list[list]):
        self.title, self.columns = title, list(columns)
        self.rows = [
            [_cell(cell, column in WHOLE) for column, cell in zip(self.columns, row, strict=True)]
            for row in rows
        ]

    def widths(self, available: int) -> list[int]:
        natural, floor = [], []
        for i, column in enumerate(self.columns):
            lines = [line for row in self.rows for line in row[i].split("\n")]
            natural.append(max(cell_len(line) for line in [column, *lines]))
            words = [cell_len(w) for line in lines for w in line.split()]
            floor.append(
                len(column) if column in WHOLE else max(len(column), min(max(words, default=0), WORD_FLOOR))
            )
        widths = list(natural)
        excess = sum(widths) + 3 * (len(widths) - 1) - available  # padding and rules between columns
        for whole_too in (False, True):
            while excess > 0:
                shrinkable = [
                    i
                    for i, c in enumerate(self.columns)
                    if widths[i] > floor[i] and (whole_too or c not in WHOLE)
                ]
                if not shrinkable:
                    break
                widths[max(shrinkable, key=widths.__getitem__)] -= 1
                excess -= 1
        return widths

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        t = Table(
            title=Text(printable(self.title), style="italic"),
            title_justify="left",
            show_edge=False,
            pad_edge=False,
            header_style="bold",
        )
        widths = self.widths(options.max_width)
        for column, width in zip(self.columns, widths, strict=True):
            if column in WHOLE:
                t.add_column(column, width=width, no_wrap=True, overflow="ellipsis")
            else:
                t.add_column(column, width=width, overflow="fold")
        cut = [i for i, column in enumerate(self.columns) if column in PATHS]
        for row in self.rows:
            row = list(row)
            for i in cut:
                row[i] = "\n".join(_cut_left(line, widths[i]) for line in row[i].split("\n"))
            t.add_row(*map(Text, row))
        yield t


def warning_lines(warnings: list[str]) -> list[Text]:
    return [Text(f"warning: {printable(w)}", style=WARNING_STYLE) for w in warnings]


def record_tables(record: dict) -> Group:
    heading = Text.assemble(
        (printable(record["source"]), "bold cyan"),
        (f"  article {record['article']}" if "article" in record else "", "cyan"),
        "\n",
        (printable(record.get("title") or "(no title)"), "bold"),
        (f"  ·  published {record['published']}" if record.get("published") else "", "dim"),
    )
    parts: list = [heading, *warning_lines(record.get("warnings", []))]
    for field in FIELDS:
        items = record.get(field.name, [])
        if items:
            rows = [[get(item) for _, get in field.columns] for item in items]
            parts.append(FitTable(field.title, [name for name, _ in field.columns], rows))
    return Group(*parts)


def print_records(records, console: Console) -> None:
    for record in records:
        console.print(record_tables(record))
        console.print()


def _label(root: str, document: dict) -> str:
    """A document's path in the common folder, with its article number in an archive."""
    label = _relative(root, "source", document["source"])
    return label + (f"#{document['article']}" if "article" in document else "")


def documents_table(title: str, root: str, docs: list[dict]) -> Table:
    """One line per document: its name and title (cut with an ellipsis to fit), its date and a
    narrow count column per field (a zero dimmed, so what was found stands out)."""
    t = Table(
        title=Text(printable(title), style="italic"),
        title_justify="left",
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,  # one space between columns: room for the titles
    )
    t.add_column("document", ratio=1)  # may shrink: its cells cut, they never wrap
    t.add_column("published", no_wrap=True, min_width=10)
    for f in FIELDS:
        t.add_column(f.short, justify="right", no_wrap=True, min_width=len(f.short))
    for d in docs:
        cell = Text.assemble(printable(_label(root, d)), "  ", (printable(d["title"] or "(no title)"), "dim"))
        cell.no_wrap, cell.overflow = True, "ellipsis"
        counts = [Text(str(d[f.name]), style="dim" if not d[f.name] else "") for f in FIELDS]
        t.add_row(cell, Text(printable(d["published"] or "")), *counts)
    return t


def summary_tables(summary: Summary) -> Group:
    """The summary for a terminal: the headline, one line per document, then the report's other
    sections (each field's aggregate, duplicates, warnings, errors)."""
    parts: list = [Text(headline(summary), style="bold")]
    docs = summary.documents
    root = common_folder(summary)
    if docs:
        parts.append(documents_table("Documents" + (f" (in {root})" if root else ""), root, docs))
    for title, columns, rows in sections(summary)[1:]:
        if rows:
            parts.append(
                FitTable(title, columns, [[_relative(root, c, row.get(c)) for c in columns] for row in rows])
            )
    return Group(*parts)
