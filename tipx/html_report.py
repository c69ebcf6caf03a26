"""The self-contained HTML report of a summary (inline CSS, SVG and a few lines of script, no
network; every table and link works with scripts off). Document text is always escaped."""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections.abc import Hashable, Iterator

from .aggregate import Chart, Listing, Tally, Timeline
from .fields import DATES, FIELDS, Field
from .report import _PATH_COLUMNS, _SHORT, _cell, _count, _relative, common_folder, headline, sections
from .runinfo import generated_comment
from .summary import Summary
from .terminal import printable

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:84rem;padding:0 1rem;color:#222}
h1,h2,h3{line-height:1.2} table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{white-space:nowrap} td.num,th.num{text-align:right}
.scroll{overflow-x:auto}
th button{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
table.documents,table.events{width:100%}
table.documents th.source,table.events th.source{width:clamp(10rem,20vw,16rem)}
td.title{min-width:9rem} td.published,td.date{white-space:nowrap}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(24rem,100%),1fr));gap:1rem;margin-bottom:1rem}
figure{margin:0;border:1px solid #eee;padding:.5rem} figcaption{font-weight:600;margin-bottom:.3rem}
.bars{display:grid;grid-template-columns:minmax(5rem,40%) 1fr;gap:2px .5rem;align-items:center;font-size:12px}
.bars .label{text-align:right;overflow-wrap:anywhere;line-height:1.2}
.bars .track{display:flex;align-items:center;gap:.3rem}
.bar{display:inline-block;height:14px;background:#3b6ea5} .more{font-size:12px;color:#555;margin:.3rem 0 0}
svg.timeline text{font-size:11px;fill:#333} svg.timeline rect{fill:#3b6ea5}
svg.timeline rect.year{fill:#a9c1dc} svg.timeline line{stroke:#999} svg.timeline a:hover rect{fill:#c0392b}
.doc{border-top:2px solid #ccc;margin-top:2rem} .doc:target{border-top-color:#3b6ea5}
div.text{white-space:pre-wrap;overflow-wrap:break-word;background:#fafafa;padding:1rem}
mark{padding:0 .1em;border-radius:.2em} mark mark{padding:0} mark:target{outline:2px solid #c0392b}
mark.fun{border-bottom:2px solid #7d3c98} .legend mark{margin-right:.5rem}
@media (max-width:62rem){body{margin:1rem auto;padding:0 .5rem}
table{font-size:14px} td,th{padding:.2rem .3rem}}
.warn{color:#8a4b00} details>summary{cursor:pointer;color:#3b6ea5} .run{color:#555;font-size:13px}
""" + "".join(f"mark.{f.mark[0]}{{background:{f.mark[1]}}}" for f in FIELDS)

# Sort a table by a column on a click on its heading (numbers high to low first); the buttons
# exist only when scripts run, so a page without scripts shows plain headings.
_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var key = function (row) { var c = row.cells[col]; return c.dataset.sort || c.textContent.trim(); };
      var numeric = rows.every(function (row) { var k = key(row); return k === "" || !isNaN(k); });
      var state = th.getAttribute("aria-sort");
      var dir = state ? (state === "ascending" ? -1 : 1) : (numeric ? -1 : 1);
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        return dir * (numeric ? (+x || 0) - (+y || 0) : x.localeCompare(y, undefined, {numeric: true}));
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""

_SURROGATES = re.compile(r"[\ud800-\udfff]")
_PATH_BREAKS = re.compile(f"(?<=[{re.escape('/_.-' + os.sep)}])")
_LONG_TABLE = 30  # rows: a longer table (but the documents') starts collapsed
_LONG_LIST = 3  # items in a cell: more collapse


def _text(text: str | None) -> str:
    """Document text, escaped; a lone surrogate (a broken PDF text layer) as U+FFFD, one for one,
    so offsets still hold."""
    return html.escape(_SURROGATES.sub("\ufffd", text or ""))


def _path(name) -> str:
    """A file name, escaped, control characters and undecodable bytes shown as escapes, with a
    line-break opportunity after each '/', '_', '.', '-' (and os.sep): a long name wraps between
    its parts, never inside one."""
    return "<wbr>".join(html.escape(part) for part in _PATH_BREAKS.split(printable(name)) if part)


def _counted(n: int, nouns: str) -> str:
    """'1 document', '3 documents' from the plural a chart names its values by."""
    return _count(n, nouns[:-1] if nouns.endswith("s") else nouns)


def _key(aggregate, entry: dict) -> Hashable | None:
    """Which summary row an item (or a row) belongs to, for its source links."""
    try:
        if isinstance(aggregate, Tally):
            return aggregate.identify(entry)
        if isinstance(aggregate, Listing):
            return tuple(entry[f] for f in aggregate.fields)
    except (KeyError, TypeError):
        pass
    return None


# ---------------------------------------------------------------------------- document text


def _tooltip(field: Field, item: dict) -> str:
    return f"{field.title}: {field.normalised(item)}"


def highlight(text: str, record: dict, prefix: str = "m") -> tuple[str, dict[tuple[str, int], str]]:
    """The article text, escaped, with every extracted item in a <mark> whose title gives its
    normalised value. Marks nest (a country inside an organisation's name); items on the very
    same text share one mark (a funder is also an organisation: the funder's style shows); a span
    that crosses another's edge is left out. Returns the HTML and, per (field, item index), the id
    of the mark of the item's first occurrence."""
    extents: dict[tuple[int, int], list[tuple[Field, int, dict]]] = {}
    for field in FIELDS:
        for index, item in enumerate(record.get(field.name, [])):
            for where in field.occurrences(item):
                extents.setdefault((where["start_char"], where["end_char"]), []).append((field, index, item))
    out: list[str] = []
    anchors: dict[tuple[str, int], str] = {}
    open_ends: list[int] = []
    pos = 0

    def close() -> None:
        nonlocal pos
        end = open_ends.pop()
        out.append(_text(text[pos:end]) + "</mark>")
        pos = end

    for n, (start, end) in enumerate(sorted(extents, key=lambda e: (e[0], -e[1]))):
        while open_ends and open_ends[-1] <= start:
            close()
        if start >= end or start < pos or (open_ends and end > open_ends[-1]) or end > len(text):
            continue
        items = extents[start, end]
        mark_id = f"{prefix}-{n}"
        for field, index, _ in items:
            anchors.setdefault((field.name, index), mark_id)
        classes = " ".join(dict.fromkeys(field.mark[0] for field, _, _ in items))
        title = "\n".join(dict.fromkeys(_tooltip(field, item) for field, _, item in items))
        out.append(_text(text[pos:start]) + f'<mark id="{mark_id}" class="{classes}" title="{_text(title)}">')
        open_ends.append(end)
        pos = start
    while open_ends:
        close()
    out.append(_text(text[pos:]))
    return "".join(out), anchors


# ---------------------------------------------------------------------------- charts


def _left_out(rest: list[int], noun: str) -> str:
    """'and 3 more with 2 documents', 'and 12 more with 1–2 documents'."""
    if not rest:
        return ""
    low, high = min(rest), max(rest)
    counts = f"{low}–{high} {noun}" if low != high else _count(low, noun)
    return f'<p class="more">and {len(rest)} more with {counts}</p>'


def _bar_chart(chart: Chart, field: Field, rows: list[dict]) -> str:
    """Bars with HTML labels: a long name wraps instead of being cut; a bar's tooltip gives the
    full normalised value, as a highlight's does."""
    head = f'<figure class="chart"><figcaption>{html.escape(chart.title)}</figcaption>'
    if not rows:
        return head + "<p>none</p></figure>"
    shown, rest = rows[: chart.limit], rows[chart.limit :]
    top = max(r[chart.value] for r in shown) or 1
    bars = []
    for row in shown:
        label, value = chart.label(row), row[chart.value]
        bars.append(
            f'<div class="label" title="{_text(field.normalised(row))}: {_counted(value, chart.value)}">'
            f"{_text(label)}</div>"
            f'<div class="track"><span class="bar" style="width:{80 * value / top:.1f}%"></span>{value}</div>'
        )
    more = _left_out([r[chart.value] for r in rest], chart.value)
    return f'{head}<div class="bars">{"".join(bars)}</div>{more}</figure>'


def _month(iso: str, last: bool) -> int:
    """Months since year 0 of an ISO date; a lone year is its first (or ``last``) month."""
    return int(iso[:4]) * 12 + (int(iso[5:7]) - 1 if len(iso) >= 7 else 11 * last)


def _year_only(event: dict) -> bool:
    return len(event["start"]) == 4 or len(event["end"]) == 4


def _stack(spans: list[tuple[int, int, dict]]) -> tuple[list[tuple[int, int, int, dict]], int]:
    """Rows for bars, from the bottom up: each bar, in order of start, takes the lowest row free
    at its start, so a bar sits higher only when the bars under it are still running then."""
    ends: list[int] = []  # the last month taken in each row
    placed = []
    for start, end, event in sorted(spans, key=lambda s: (s[0], s[1])):
        row = next((i for i, taken in enumerate(ends) if taken < start), len(ends))
        ends[row : row + 1] = [end]
        placed.append((row, start, end, event))
    return placed, len(ends)


def _timeline_chart(events: list[dict]) -> tuple[str, str]:
    """Every dated event as a bar on a real time axis: years with nothing in them keep their
    width, a range spans its months. Events known to the year only get a band of their own above
    those known to the day or month; in each band bars that overlap in time stack up. Each bar
    links to its date in the text. Returns the figure and its CSS: in a window too narrow for
    every year's label, every other one (none at the very edge)."""
    head = (
        '<figure class="chart timeline"><figcaption>Timeline: one bar per dated event, '
        "as long as the time it covers</figcaption>"
    )
    if not events:
        return head + "<p>none</p></figure>", ""
    spans = [(_month(e["start"], False), _month(e["end"], True), e) for e in events]
    first = min(start for start, _, _ in spans) // 12 * 12
    months = max(end for _, end, _ in spans) // 12 * 12 + 12 - first
    bands = [
        (name, *_stack([s for s in spans if _year_only(s[2]) == yearly]))
        for name, yearly in (("known to the year only", True), ("known to the day or month", False))
    ]
    bands = [band for band in bands if band[1]]
    lane_h = max(3.0, min(12.0, 220 / sum(rows for _, _, rows in bands)))

    def x(month: float) -> str:
        return f"{100 * (month - first) / months:.3f}%"

    parts, top = [], 0.0
    for name, placed, rows in bands:
        label = f"{_count(len(placed), 'event')} {name}"
        parts.append(f'<text class="band" x="0" y="{top + 11:.1f}">{label}</text>')
        base = top + 15 + rows * lane_h  # the band's bottom line, bars stacked up from it
        parts.append(f'<line x1="0" x2="100%" y1="{base:.1f}" y2="{base:.1f}"></line>')
        for row, start, end, event in placed:
            tip = f"{DATES.normalised(event)}: {event['text']} ({printable(event['where'])})"
            width = f"{100 * (end - start + 1) / months:.3f}%"
            parts.append(
                f'<a href="#{event["anchor"]}"><rect{" class=year" * _year_only(event)} x="{x(start)}" '
                f'y="{base - (row + 1) * lane_h:.1f}" width="{width}" style="width:max({width} - 1px, 2px)" '
                f'height="{max(lane_h - 1, 2):.1f}">'
                f"<title>{_text(tip)}</title></rect></a>"
            )
        top = base + 6
    axis = top - 6  # the last band's bottom line is the time axis
    years = months // 12
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if years / s <= 25)
    labels = []
    for year in range(first // 12, first // 12 + years):
        parts.append(f'<line x1="{x(year * 12)}" x2="{x(year * 12)}" y1="{axis}" y2="{axis + 5}"></line>')
        at = year * 12 + 6 * (step == 1)  # a year's middle, or its start when not every year is named
        if year % step == 0 and (step == 1 or 0.03 < (at - first) / months < 0.97):
            labels.append((at, year))
    for i, (at, year) in enumerate(labels):
        thin = " class=thin" * (i % 2 == 0 or i == len(labels) - 1)
        parts.append(f'<text{thin} x="{x(at)}" y="{axis + 17}" text-anchor="middle">{year}</text>')
    # a label takes ~30 px; the figure is the window less ~50 px of margins, padding and scroll bar
    css = f"@media (max-width:{32 * len(labels) + 50}px){{svg.timeline text.thin{{display:none}}}}"
    return (
        f'{head}<svg class="timeline" role="img" aria-label="Timeline of dated events" width="100%" '
        f'height="{axis + 22:.0f}">{"".join(parts)}</svg>'
        '<p class="more">Bars stack only where events overlap in time; the height means nothing else. '
        "A bar links to its date in the text.</p></figure>"
    ), css


def _events_table(events: list[dict], root: str) -> str:
    rows = []
    for e in sorted(events, key=lambda e: (e["start"], e["end"], e["where"])):
        sentence, found = _text(e["sentence"]), _text(e["text"])
        if found and found in sentence:  # the date itself in bold
            sentence = sentence.replace(found, f"<b>{found}</b>", 1)
        rows.append(
            f'<tr><td class="date">{html.escape(DATES.normalised(e))}</td><td>{found}</td>'
            f'<td class="source"><a href="#{e["anchor"]}">{_path(_relative(root, "source", e["where"]))}'
            f"</a></td><td>{sentence}</td></tr>"
        )
    table = (
        '<table class="sortable events"><thead><tr><th class="date">date</th><th>as written</th>'
        f'<th class="source">source</th><th>sentence</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    return _boxed(table, len(rows), "dated events, each with its source and sentence")


def _boxed(table: str, n: int, what: str = "rows", collapse: bool = True) -> str:
    """A table in a box of its own that scrolls sideways when the window is too narrow for it (the
    page itself never does); a long one starts collapsed."""
    table = f'<div class="scroll">{table}</div>'
    if not collapse or n <= _LONG_TABLE:
        return table
    return f"<details><summary>Show all {n} {what}</summary>{table}</details>"


# ---------------------------------------------------------------------------- the page


def _run(run: dict) -> str:
    """The run record: what made this page, from what."""
    if not run:
        return ""
    pipeline = " ".join(filter(None, (run.get("pipeline"), run.get("pipeline_version"))))
    spacy = f", spaCy {run['spacy_version']}" if run.get("spacy_version") else ""
    inputs = run.get("inputs", [])
    listed = "".join(f"<li>{_path(i)}</li>" for i in inputs)
    return (
        f'<details class="run"><summary>Made by {html.escape(run.get("tool", "tipx"))} '
        f"{html.escape(str(run.get('version', '')))} with the model {_path(run.get('model', ''))}"
        f"{f' ({html.escape(pipeline)}{html.escape(spacy)})' if pipeline else ''} on "
        f"{html.escape(str(run.get('date', '')))} from {_count(len(inputs), 'input')}</summary>"
        f"<ul>{listed}</ul></details>"
    )


class HtmlReport:
    """Document sections go to a temporary file as they arrive, so memory stays flat; what the
    tables need to link into them (ids, dated events) is kept."""

    def __init__(self, run: dict | None = None) -> None:
        self.run = run or {}
        self._sections = tempfile.TemporaryFile("w+", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        self._aggregates = [f.summary() for f in FIELDS]  # their row keys, for links to a row's item
        self._docs: dict[str, str] = {}  # document label -> section id
        self._anchors: dict[tuple[str, str, Hashable], str] = {}  # (label, field, row key) -> mark id
        self._events: list[dict] = []

    def close(self) -> None:
        """Drop the spooled sections (again is harmless)."""
        self._sections.close()

    def add(self, result) -> None:
        if result.record is None:
            return
        record, label = result.record, result.label
        doc_id = self._docs.setdefault(label, f"doc{len(self._docs) + 1}")
        text, anchors = highlight(result.article.text, record, doc_id)
        for field, aggregate in zip(FIELDS, self._aggregates, strict=True):
            for index, item in enumerate(record.get(field.name, [])):
                anchor = anchors.get((field.name, index), doc_id)
                key = _key(aggregate, item)
                if key is not None:
                    self._anchors.setdefault((label, field.name, key), anchor)
                if isinstance(aggregate, Timeline):
                    self._events.append(
                        {
                            **{k: item.get(k) for k in ("start", "end", "text", "sentence")},
                            "where": label,
                            "anchor": anchor,
                        }
                    )
        where = _path(record["source"]) + (f" — article {record['article']}" if "article" in record else "")
        published = f" · published {html.escape(record['published'])}" if record.get("published") else ""
        warnings = "".join(f'<p class="warn">Warning: {_text(w)}</p>' for w in record.get("warnings", ()))
        self._sections.write(
            f'<section class="doc" id="{doc_id}"><h3>{_text(record.get("title") or "(no title)")}</h3>'
            f'<p>{where}{published} · <a href="#documents">all documents</a></p>{warnings}'
            f'<div class="text">{text}</div></section>\n'
        )

    def _link(
        self, root: str, column: str, label: str, field: Field | None, key, shown: str | None = None
    ) -> str:
        """A document's name linking to the item's mark in its text, else to the document."""
        text = _path(_relative(root, column, shown or label))
        target = self._anchors.get((label, field.name, key)) if field is not None else None
        target = target or self._docs.get(label)
        return f'<a href="#{target}">{text}</a>' if target else text

    def _cell(self, root: str, column: str, row: dict, field: Field | None, key) -> str:
        value = row.get(column)
        if column not in _PATH_COLUMNS or not value:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            return f'<td class="{html.escape(column)}{" num" * numeric}">{_text(_cell(value))}</td>'
        if isinstance(value, list):
            links = ", ".join(self._link(root, column, v, field, key) for v in value)
            if len(value) > _LONG_LIST:
                links = f"<details><summary>{_count(len(value), 'document')}</summary>{links}</details>"
            return f'<td class="{column}" data-sort="{len(value)}">{links}</td>'
        label = f"{value}#{row['article']}" if column == "source" and "article" in row else value
        return f'<td class="{column}">{self._link(root, column, label, field, key, shown=value)}</td>'

    def _table(self, title: str, columns: tuple[str, ...], rows: list[dict], root: str, owner) -> str:
        field, aggregate = owner or (None, None)
        head = "".join(
            f'<th class="{html.escape(c)}{" num" * (c in _NUMERIC)}" title="{html.escape(c)}">'
            f"{html.escape(_SHORT.get(c, c))}</th>"
            for c in columns
        )
        body = "".join(
            "<tr>"
            + "".join(
                self._cell(root, c, r, field, _key(aggregate, r) if aggregate else None) for c in columns
            )
            + "</tr>"
            for r in rows
        )
        name = re.sub(r"\W+", "-", title.lower())
        table = f'<table class="sortable {name}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        return _boxed(table, len(rows), collapse=title != "Documents")

    def render(self, summary: Summary) -> Iterator[str]:
        """Yield the page in chunks (for write_atomic)."""
        data = summary.to_dict()
        charts = "".join(
            _bar_chart(a.chart, f, data[a.key])
            for f, a in zip(FIELDS, summary.aggregates, strict=True)
            if a.chart is not None and not isinstance(a, Timeline)
        )
        from . import __version__

        dated = any(isinstance(a, Timeline) for a in summary.aggregates)
        timeline, timeline_css = _timeline_chart(self._events) if dated else ("", "")
        yield (
            generated_comment() + '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta name="generator" content="tipx {html.escape(__version__)}">'
            f"<title>tipx summary</title><style>{_CSS}{timeline_css}</style></head><body>"
            f"<h1>tipx summary</h1><p>{html.escape(headline(summary))}.</p>{_run(self.run)}"
            f'<div class="charts">{charts}</div>'
        )
        root = common_folder(summary)
        if dated:
            yield timeline
            events = _events_table(self._events, root) if self._events else "<p>none</p>"
            yield f'<h2 id="events">Dated events</h2>{events}'
        if root:
            yield f"<p>Paths are relative to <code>{_path(root)}</code>.</p>"
        owners = {a.title: (f, a) for f, a in zip(FIELDS, summary.aggregates, strict=True)}
        for title, columns, rows in sections(summary):
            if rows:
                anchor = ' id="documents"' if title == "Documents" else ""
                yield f"<h2{anchor}>{html.escape(title)}</h2>" + self._table(
                    title, columns, rows, root, owners.get(title)
                )
        legend = " ".join(
            f'<mark class="{f.mark[0]}" title="{html.escape(f.title)}: a highlight\'s tooltip is its value">'
            f"{html.escape(f.title.lower())}</mark>"
            for f in FIELDS
        )
        yield f'<h2>Texts</h2><p class="legend">{legend}</p>'
        self._sections.seek(0)
        while chunk := self._sections.read(1 << 16):
            yield chunk
        self.close()
        yield f"<script>{_SCRIPT}</script></body></html>\n"


_NUMERIC = {"article", "documents", "mentions", "events", "count", *(f.name for f in FIELDS)}
