"""Renderings of a summary: terminal tables, Markdown, a folder of CSV files, and one
self-contained HTML file (inline CSS and SVG, no network). Document text is always escaped."""

from __future__ import annotations

import csv
import html
import io
import re
import tempfile
from pathlib import Path

from .export import safe_cell, write_atomic
from .pipeline import FIELDS
from .summary import Result

# (title, key in the summary, columns)
TABLES = [
    (
        "Documents",
        "per_document",
        ["source", "article", "title", "published", *FIELDS],
    ),
    ("Organisations", "organisations", ["name", "acronym", "documents", "mentions"]),
    ("Countries", "countries", ["name", "iso2", "iso3", "documents", "mentions"]),
    ("Funders", "funders", ["name", "acronym", "documents", "sources"]),
    ("Timeline", "timeline", ["month", "events"]),
    ("Participants", "participants", ["source", "count", "qualifier", "text"]),
    ("Contacts", "contacts", ["address", "name", "organisation", "sources"]),
    ("Duplicates", "duplicates", ["source", "duplicate_of"]),
]


def _rows(summary: dict, key: str) -> list[dict]:
    value = summary[key]
    return value["per_document"] if key == "participants" else value


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def summary_tables(summary: dict, errors: list[dict]):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts = [
        Text(
            f"{summary['documents']} documents, {summary['failed']} failed, "
            f"{len(summary['duplicates'])} duplicates; participants in total: "
            f"{summary['participants']['total']}",
            style="bold",
        )
    ]
    for title, key, columns in TABLES + [("Errors", None, ["source", "error"])]:
        rows = errors if key is None else _rows(summary, key)
        if not rows:
            continue
        table = Table(title=title, title_justify="left", header_style="bold", show_edge=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(_cell(row.get(c))) for c in columns))
        parts.append(table)
    return Group(*parts)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def _md(value) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _cell(value)).replace("\n", " ")


def to_markdown(summary: dict, errors: list[dict]) -> str:
    out = [
        "# tipx summary",
        "",
        f"{summary['documents']} documents, {summary['failed']} failed, {len(summary['duplicates'])} "
        f"duplicates; participants in total: {summary['participants']['total']}.",
        "",
    ]
    for title, key, columns in TABLES + [("Errors", None, ["source", "error"])]:
        rows = errors if key is None else _rows(summary, key)
        if not rows:
            continue
        out += [f"## {title}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        out += ["| " + " | ".join(_md(row.get(c)) for c in columns) + " |" for row in rows]
        out.append("")
    return "\n".join(out)


def write_csv_dir(summary: dict, errors: list[dict], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for title, key, columns in TABLES + [("Errors", None, ["source", "error"])]:
        rows = errors if key is None else _rows(summary, key)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(_cell(row.get(c))) for c in columns])
        path = folder / f"{title.lower()}.csv"
        write_atomic(path, [buffer.getvalue()])
        written.append(path)
    return written


# ---------------------------------------------------------------------------- HTML

_FIELD_CLASS = {
    "organisations": "org",
    "countries": "cty",
    "dates": "dat",
    "participants": "par",
    "funders": "fun",
    "emails": "eml",
}

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1,h2,h3{line-height:1.2} table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left;vertical-align:top}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
figure{margin:0;border:1px solid #eee;padding:.5rem} figcaption{font-weight:600}
svg text{font-size:11px;fill:#333} .bar{fill:#3b6ea5}
.doc{border-top:2px solid #ccc;margin-top:2rem} .text{white-space:pre-wrap;background:#fafafa;padding:1rem}
mark{padding:0 .1em;border-radius:.2em} mark.org{background:#ffe08a} mark.cty{background:#b5e3b0}
mark.dat{background:#b9d7f5} mark.par{background:#f5c2b9} mark.fun{background:#e2c2f5}
mark.eml{background:#d9d9d9}
.legend mark{margin-right:.5rem} .scroll{overflow-x:auto}
"""


def _bar_chart(title: str, items: list[tuple[str, int]], limit: int = 15) -> str:
    items = items[:limit]
    if not items:
        return f'<figure class="chart"><figcaption>{html.escape(title)}</figcaption><p>none</p></figure>'
    width, bar_h, label_w = 520, 18, 220
    top = max(v for _, v in items) or 1
    rows = []
    for i, (label, value) in enumerate(items):
        y = i * (bar_h + 4)
        w = max(1, int((width - label_w - 40) * value / top))
        rows.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{html.escape(label[:40])}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h}"></rect>'
            f'<text x="{label_w + w + 4}" y="{y + 13}">{value}</text>'
        )
    height = len(items) * (bar_h + 4)
    return (
        f'<figure class="chart"><figcaption>{html.escape(title)}</figcaption>'
        f'<svg role="img" aria-label="{html.escape(title)}" width="100%" '
        f'viewBox="0 0 {width} {height}">{"".join(rows)}</svg></figure>'
    )


def highlight(text: str, record: dict) -> str:
    """The article text, escaped, with every extracted item wrapped in <mark>."""
    spans = []
    for field, cls in _FIELD_CLASS.items():
        for item in record.get(field, []):
            for where in item.get("mentions", [item]):
                spans.append((where["start_char"], where["end_char"], cls))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, pos = [], 0
    for start, end, cls in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark class="{cls}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


class HtmlReport:
    """Document sections go to a temporary file as they arrive, so memory stays flat."""

    def __init__(self) -> None:
        self._sections = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115

    def add(self, result: Result) -> None:
        if result.record is None:
            return
        record = result.record
        label = record["source"] + (f" — article {record['article']}" if "article" in record else "")
        self._sections.write(
            f'<section class="doc"><h3>{html.escape(record.get("title") or "(no title)")}</h3>'
            f"<p>{html.escape(label)}"
            f"{' · published ' + html.escape(record['published']) if record.get('published') else ''}</p>"
            f'<div class="text">{highlight(result.article.text, record)}</div></section>\n'
        )

    def render(self, summary: dict, errors: list[dict]):
        """Yield the page in chunks (for write_atomic)."""
        charts = "".join(
            [
                _bar_chart(
                    "Countries (documents)",
                    [(f"{c['name']} ({c['iso2']})", c["documents"]) for c in summary["countries"]],
                ),
                _bar_chart(
                    "Funders (documents)",
                    [(f["acronym"] or f["name"], f["documents"]) for f in summary["funders"]],
                ),
                _bar_chart(
                    "Organisations (documents)",
                    [(o["acronym"] or o["name"], o["documents"]) for o in summary["organisations"]],
                ),
                _bar_chart(
                    "Timeline (dated events per month)",
                    [(t["month"], t["events"]) for t in summary["timeline"]],
                    limit=60,
                ),
            ]
        )
        yield (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>tipx summary</title><style>{_CSS}</style></head><body>"
            "<h1>tipx summary</h1>"
            f"<p>{summary['documents']} documents, {summary['failed']} failed, "
            f"{len(summary['duplicates'])} duplicates; participants in total: "
            f"{summary['participants']['total']}.</p>"
            f'<div class="charts">{charts}</div>'
        )
        for title, key, columns in TABLES + [("Errors", None, ["source", "error"])]:
            rows = errors if key is None else _rows(summary, key)
            if not rows:
                continue
            head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in columns) + "</tr>"
                for r in rows
            )
            table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            table = f'<div class="scroll">{table}</div>'
            yield f"<h2>{html.escape(title)}</h2>{table}"
        yield (
            '<h2>Documents</h2><p class="legend"><mark class="org">organisation</mark>'
            '<mark class="cty">country</mark><mark class="dat">date</mark>'
            '<mark class="par">participants</mark>'
            '<mark class="fun">funder</mark><mark class="eml">e-mail</mark></p>'
        )
        self._sections.seek(0)
        while chunk := self._sections.read(1 << 16):
            yield chunk
        self._sections.close()
        yield "</body></html>\n"
