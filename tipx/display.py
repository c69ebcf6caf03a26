"""Rich tables for the terminal. Document text is always passed as Text, never as markup,
so "[bold]" inside a document is shown, not interpreted."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text


def record_tables(record: dict) -> Group:
    heading = Text.assemble(
        (record["source"], "bold cyan"),
        (f"  article {record['article']}" if "article" in record else "", "cyan"),
        "\n",
        (record.get("title") or "(no title)", "bold"),
        (f"  ·  published {record['published']}" if record.get("published") else "", "dim"),
    )
    parts: list = [heading]

    def table(title: str, columns: list[str], rows: list[list]) -> None:
        if not rows:
            return
        t = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
        for column in columns:
            t.add_column(column, overflow="fold")
        for row in rows:
            t.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
        parts.append(t)

    table(
        "Organisations",
        ["name", "acronym", "mentions"],
        [[o["name"], o["acronym"], len(o["mentions"])] for o in record["organisations"]],
    )
    table(
        "Countries",
        ["country", "ISO2", "ISO3", "mentions"],
        [[c["name"], c["iso2"], c["iso3"], len(c["mentions"])] for c in record["countries"]],
    )
    table("Dates", ["text", "start", "end"], [[d["text"], d["start"], d["end"]] for d in record["dates"]])
    table(
        "Participants",
        ["count", "qualifier", "text"],
        [[p["count"], p["qualifier"], p["text"]] for p in record["participants"]],
    )
    table(
        "Funders",
        ["name", "acronym", "evidence"],
        [[f["name"], f["acronym"], f["evidence"]] for f in record["funders"]],
    )
    table("Contacts", ["address", "name"], [[e["address"], e["name"]] for e in record["emails"]])
    return Group(*parts)


def print_records(records: list[dict], console: Console) -> None:
    for record in records:
        console.print(record_tables(record))
        console.print()
