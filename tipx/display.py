"""Rich tables for the terminal. Document text is always passed as Text, never as markup,
so "[bold]" inside a document is shown, not interpreted."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .fields import FIELDS
from .report import _cell, _relative, common_folder, headline, sections
from .summary import Summary


def table(
    title: str, columns: list[str] | tuple[str, ...], rows: list[list], narrow: frozenset[str] = frozenset()
) -> Table:
    """A plain table of text cells: long cells fold rather than being cut, except in the
    ``narrow`` columns (dates, counts), which never wrap."""
    t = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for column in columns:
        if column in narrow:
            t.add_column(column, no_wrap=True, min_width=len(column))
        else:
            t.add_column(column, overflow="fold")
    for row in rows:
        t.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return t


def record_tables(record: dict) -> Group:
    heading = Text.assemble(
        (record["source"], "bold cyan"),
        (f"  article {record['article']}" if "article" in record else "", "cyan"),
        "\n",
        (record.get("title") or "(no title)", "bold"),
        (f"  ·  published {record['published']}" if record.get("published") else "", "dim"),
    )
    parts: list = [heading]
    for field in FIELDS:
        items = record.get(field.name, [])
        if items:
            rows = [[get(item) for _, get in field.columns] for item in items]
            parts.append(table(field.title, [name for name, _ in field.columns], rows))
    return Group(*parts)


def print_records(records, console: Console) -> None:
    for record in records:
        console.print(record_tables(record))
        console.print()


def summary_tables(summary: Summary):
    """The summary for a terminal. The documents table has three columns that fold well at any
    width: the document (its path relative to the common folder, then its title), its date,
    and what was found in it ("11 orgs · 4 ctry · 6 dates ...")."""
    from rich.console import Group
    from rich.text import Text

    parts = [Text(headline(summary), style="bold")]
    docs = summary.documents
    root = common_folder(summary)
    rows = []
    for d in docs:
        name = _relative(root, "source", d["source"])
        name += f" #{d['article']}" if "article" in d else ""
        found = " · ".join(f"{d[f.name]} {f.short}" for f in FIELDS)
        rows.append([f"{name}\n{d['title'] or '(no title)'}", d["published"] or "", found])
    if rows:
        title = "Documents" + (f" (in {root})" if root else "")
        parts.append(table(title, ["document", "published", "found"], rows, narrow=frozenset({"published"})))

    for title, columns, rows in sections(summary)[1:]:
        if rows:
            cells = [[_cell(_relative(root, c, row.get(c))) for c in columns] for row in rows]
            parts.append(table(title, columns, cells))
    return Group(*parts)
