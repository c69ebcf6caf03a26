"""The date grammar: find calendar expressions in text and normalise them to ISO 8601.

dateparser has no notion of ranges, so ranges ("8-11 November 2021", "June 3-7, 2024",
"between December 2007 and December 2010", "(2022-2026)") are parsed here; each end is
then validated as a calendar day and normalised. dateparser resolves relative dates
("yesterday", "last month") against the publication date (English only: auto-detection is
~250x slower and reads words such as "to" as dates). Every regex is built once per process, uses bounded
repetition only, and never nests quantifiers, so matching stays linear in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from .resources import load_json


@dataclass(frozen=True)
class DateMatch:
    start_char: int
    end_char: int
    text: str
    start: str
    end: str
    kind: str  # "date", "range", "year", "relative"


def _vocab() -> dict:
    return load_json("dates.json")


@lru_cache(maxsize=1)
def _grammar() -> dict[str, re.Pattern]:
    vocab = _vocab()
    names = sorted(vocab["months"], key=len, reverse=True)
    month = r"(?:%s)\.?" % "|".join(names)
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"(?:19[5-9]\d|20\d\d)"
    dash = r"\s{0,3}(?:-|–|—|to|until|till|through|and)\s{0,3}(?:the\s)?"
    ydash = r"\s{0,3}(?:-|–|—|/)\s{0,3}"
    b, e = r"(?<![\w/.-])", r"(?![\w/])"
    dd, mm, yy2 = r"[0-3]?\d", r"[01]?\d", r"\d\d"
    m2d, d2d = r"[01]\d", r"[0-3]\d"

    def g(name: str, pattern: str) -> str:
        return "(?P<%s>%s)" % (name, pattern)

    patterns = {
        # 30 May – 2 June 2023 ; 1 December 2007 - 3 January 2008
        "dm_dm": rf"{b}(?:the\s)?{g('d1', day)}\s(?:of\s)?{g('m1', month)}(?:,?\s{g('y1', year)})?"
        rf"{dash}{g('d2', day)}\s(?:of\s)?{g('m2', month)}(?:,?\s{g('y2', year)})?{e}",
        # 8-11 November 2021 ; from the 24th–26th April 2023 ; 3 and 4 November
        "dd_m": rf"{b}(?:the\s)?{g('d1', day)}{dash}{g('d2', day)}\s(?:of\s)?{g('m1', month)}"
        rf"(?:,?\s{g('y1', year)})?{e}",
        # June 3-7, 2024
        "m_dd": rf"{b}{g('m1', month)}\s{g('d1', day)}{dash}{g('d2', day)}(?:,?\s{g('y1', year)})?{e}",
        # between December 2007 and December 2010 ; August 2022 to January 2025
        "my_my": rf"{b}{g('m1', month)}\s{g('y1', year)}{dash}{g('m2', month)}\s{g('y2', year)}{e}",
        # January–March 2022
        "m_my": rf"{b}{g('m1', month)}{ydash}{g('m2', month)}\s{g('y1', year)}{e}",
        # the first quarter of 2022
        "quarter": rf"{b}(?:the\s)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|last)\squarter\sof\s"
        rf"{g('y1', year)}{e}",
        # 24 April 2023 ; the 30th of July ; 14 August
        "d_m": rf"{b}(?:the\s)?{g('d1', day)}\s(?:of\s)?{g('m1', month)}(?:,?\s{g('y1', year)})?{e}",
        # June 10, 2024 ; March 14
        "m_d": rf"{b}{g('m1', month)}\s{g('d1', day)}(?:,?\s{g('y1', year)})?{e}",
        # late December 2021 ; Sept. 2022
        "m_y": rf"{b}{g('m1', month)},?\s{g('y1', year)}{e}",
        # mid-May
        "mid_m": rf"{b}(?:mid|early|late|end)-?\s?{g('m1', month)}{e}",
        # 15/05/2023 (day first, as in the regions these documents come from)
        "numeric": rf"{b}{g('d1', dd)}/{g('m1', mm)}/{g('y1', year)}{e}",
        # 2023-04-24
        "iso": rf"{b}{g('y1', year)}-{g('m1', m2d)}-{g('d1', d2d)}{e}",
        # (2022-2026) ; between 2019 and 2021 ; the 2022/23 financial year
        "y_y": rf"{b}(?:between\s|from\s)?{g('y1', year)}{ydash}(?:{g('y2', year)}|{g('yy', yy2)}){e}",
        "between_y": rf"\b(?:between|from)\s{g('y1', year)}\s(?:and|to|until)\s{g('y2', year)}{e}",
        # Since 2016 ; in 2019 ; (JTIP, 2021)
        "year": r"(?i:\b(?P<cue>%s)\s)(?:the\s(?:start|end|beginning)\sof\s)?%s%s"
        % (
            "|".join(re.escape(c) for c in sorted(vocab["year_cues"], key=len, reverse=True)),
            g("y1", year),
            r"(?![\w/-]|\s[A-Z][a-z])",
        ),
        "paren_year": rf"(?<=,\s){g('y1', year)}(?=\))",
        "rel_day": r"(?i:\b(?P<rel>%s)\b)" % "|".join(vocab["relative_days"]),
        "rel_year": r"(?i:\b(?P<rely>%s)\b)" % "|".join(vocab["relative_years"]),
    }
    return {name: re.compile(p) for name, p in patterns.items()}


_ORDINAL = re.compile(r"(st|nd|rd|th)$")


def _month(name: str | None) -> int | None:
    if not name:
        return None
    return _vocab()["months"].get(name.rstrip("."))


def _day(text: str | None) -> int | None:
    return int(_ORDINAL.sub("", text)) if text else None


def _valid(y: int, m: int, d: int) -> bool:
    """A real calendar day (no 31 February). The grammar has already read the parts, so the
    standard library checks them in microseconds; dateparser, which would take a second to
    load its locale data in every cold run, is kept for what needs it: relative dates."""
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _iso(y: int | None, m: int | None = None, d: int | None = None) -> str | None:
    if y is None:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}" if _valid(y, m, d) else None


def _resolve_relative(expr: str, base: date) -> tuple[str, str] | None:
    import dateparser

    vocab = _vocab()
    key = expr.lower()
    if key in vocab["relative_years"]:
        y = str(base.year + vocab["relative_years"][key])
        return y, y
    parsed = dateparser.parse(
        key, languages=["en"], settings={"RELATIVE_BASE": datetime(base.year, base.month, base.day)}
    )
    if parsed is None:
        return None
    iso = parsed.date().isoformat()
    return iso, iso


def find_dates(text: str, base: date | None = None, context_year: int | None = None) -> list[DateMatch]:
    """Every date expression in ``text``, longest first where they overlap.

    ``base`` is the document's own date (for "yesterday", "last year"); ``context_year``
    fills a missing year, falling back to the nearest explicit year in the text.
    """
    candidates: list[tuple[int, int, str, re.Match]] = []
    for kind, pattern in _grammar().items():
        for m in pattern.finditer(text):
            candidates.append((m.start(), m.end(), kind, m))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    chosen: list[tuple[int, int, str, re.Match]] = []
    last_end = -1
    for cand in candidates:
        if cand[0] >= last_end:
            chosen.append(cand)
            last_end = cand[1]
    explicit_years = [(c[0], int(c[3]["y1"])) for c in chosen if "y1" in c[3].re.groupindex and c[3]["y1"]]

    def year_for(pos: int) -> int | None:
        if context_year:
            return context_year
        if base:
            return base.year
        if not explicit_years:
            return None
        return min(explicit_years, key=lambda item: abs(item[0] - pos))[1]

    out = []
    for start, end, kind, m in chosen:
        span = _normalise(kind, m, start, year_for, base)
        if span is None:
            continue
        s, e_ = span
        if e_ < s:
            continue
        if kind == "year":  # the cue word ("since", "in") is context, not part of the date
            start = m.start("y1") if "start of" not in m[0] and "end of" not in m[0] else start
        elif text.startswith("the ", start):
            start += 4
        label = (
            "relative"
            if kind.startswith("rel")
            else ("range" if s != e_ else ("year" if len(s) == 4 else "date"))
        )
        out.append(DateMatch(start, end, text[start:end], s, e_, label))
    return out


def _normalise(kind, m: re.Match, pos: int, year_for, base: date | None) -> tuple[str, str] | None:
    gd = m.groupdict()
    if kind in ("rel_day", "rel_year"):
        return _resolve_relative(gd.get("rel") or gd.get("rely"), base) if base else None
    if kind == "year" or kind == "paren_year":
        y = gd["y1"]
        return y, y
    if kind in ("y_y", "between_y"):
        y1 = int(gd["y1"])
        if gd.get("yy"):
            y2 = (y1 // 100) * 100 + int(gd["yy"])
            if y2 != y1 + 1:  # "2022/23" is a financial year; "2019-20" too, nothing wider
                return None
        else:
            y2 = int(gd["y2"])
        if not y1 < y2 <= y1 + 30:
            return None
        return str(y1), str(y2)
    if kind == "quarter":
        q = _vocab()["quarters"][gd["q"]]
        y = int(gd["y1"])
        return _iso(y, 3 * q - 2), _iso(y, 3 * q)
    m1, m2 = _month(gd.get("m1")), _month(gd.get("m2"))
    if kind in ("numeric", "iso"):
        m1 = int(gd["m1"])
    d1, d2 = _day(gd.get("d1")), _day(gd.get("d2"))
    y2 = int(gd["y2"]) if gd.get("y2") else None
    y1 = int(gd["y1"]) if gd.get("y1") else None
    if kind in ("dm_dm",):
        y2 = y2 or y1 or year_for(pos)
        y1 = y1 or (y2 - 1 if y2 and m1 > m2 else y2)
        return _pair(_iso(y1, m1, d1), _iso(y2, m2, d2))
    if kind in ("dd_m", "m_dd"):
        y = y1 or year_for(pos)
        return _pair(_iso(y, m1, d1), _iso(y, m1, d2))
    if kind == "my_my":
        return _pair(_iso(y1, m1), _iso(y2, m2))
    if kind == "m_my":
        return _pair(_iso(y1, m1), _iso(y1, m2))
    if kind == "mid_m":
        y = year_for(pos)
        iso = _iso(y, m1)
        return _pair(iso, iso)
    if kind == "m_y":
        iso = _iso(y1, m1)
        return _pair(iso, iso)
    # single day: d_m, m_d, numeric, iso
    y = y1 or year_for(pos)
    iso = _iso(y, m1, d1)
    return _pair(iso, iso)


def _pair(a: str | None, b: str | None) -> tuple[str, str] | None:
    return (a, b) if a and b else None


def first_date(text: str) -> DateMatch | None:
    """The first full calendar date (with a year) in ``text``, e.g. a dateline's."""
    for match in find_dates(text):
        if match.kind in ("date", "range") and len(match.start) >= 7:
            return match
    return None
