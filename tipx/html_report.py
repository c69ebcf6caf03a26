"""The self-contained HTML report of a summary (inline CSS and SVG, no network). Document text
is always escaped."""

from __future__ import annotations

import html
import tempfile

from .fields import FIELDS
from .report import _SHORT, _cell, _relative, common_folder, headline, sections
from .summary import Summary

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1,h2,h3{line-height:1.2} table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left;vertical-align:top}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
figure{margin:0;border:1px solid #eee;padding:.5rem} figcaption{font-weight:600}
svg text{font-size:11px;fill:#333} .bar{fill:#3b6ea5}
.doc{border-top:2px solid #ccc;margin-top:2rem} .text{white-space:pre-wrap;background:#fafafa;padding:1rem}
mark{padding:0 .1em;border-radius:.2em}
.legend mark{margin-right:.5rem} .scroll{overflow-x:auto}
td.title{min-width:16rem} td.published{white-space:nowrap}
""" + "".join(f"mark.{f.mark[0]}{{background:{f.mark[1]}}}" for f in FIELDS)


def _short(label: str, limit: int = 34) -> str:
    """A chart label that fits its column (11 px type, 220 px): cut with an ellipsis."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


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
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{html.escape(_short(label))}</text>'
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
    for rank, field in enumerate(FIELDS):
        for item in record.get(field.name, []):
            for where in field.occurrences(item):
                spans.append((where["start_char"], where["end_char"], -rank, field.mark[0]))
    # longest first; on the very same text the later field wins (a funder is also an organisation)
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0]), s[2]))
    out, pos = [], 0
    for start, end, _, cls in spans:
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
        self._sections = tempfile.TemporaryFile("w+", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115

    def add(self, result) -> None:
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

    def render(self, summary: Summary):
        """Yield the page in chunks (for write_atomic)."""
        data = summary.to_dict()
        charts = "".join(
            _bar_chart(
                a.chart.title, [(a.chart.label(r), r[a.chart.value]) for r in data[a.key]], a.chart.limit
            )
            for a in summary.aggregates
            if a.chart is not None
        )
        yield (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>tipx summary</title><style>{_CSS}</style></head><body>"
            "<h1>tipx summary</h1>"
            f"<p>{html.escape(headline(summary))}.</p>"
            f'<div class="charts">{charts}</div>'
        )
        root = common_folder(summary)
        if root:
            yield f"<p>Paths are relative to <code>{html.escape(root)}</code>.</p>"
        for title, columns, rows in sections(summary):
            if not rows:
                continue
            head = "".join(
                f'<th class="{html.escape(c)}" title="{html.escape(c)}">{html.escape(_SHORT.get(c, c))}</th>'
                for c in columns
            )
            body = "".join(
                "<tr>"
                + "".join(
                    f'<td class="{html.escape(c)}">{html.escape(_cell(_relative(root, c, r.get(c))))}</td>'
                    for c in columns
                )
                + "</tr>"
                for r in rows
            )
            table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            yield f'<h2>{html.escape(title)}</h2><div class="scroll">{table}</div>'
        legend = "".join(f'<mark class="{f.mark[0]}">{html.escape(f.title.lower())}</mark>' for f in FIELDS)
        yield f'<h2>Documents</h2><p class="legend">{legend}</p>'
        self._sections.seek(0)
        while chunk := self._sections.read(1 << 16):
            yield chunk
        self._sections.close()
        yield "</body></html>\n"
