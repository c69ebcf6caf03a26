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

from .resources import Spec, load_shared


@dataclass(frozen=True)
class DateMatch:
    start_char: int
    end_char: int
    text: str
    start: str
    end: str
    kind: str  # "date", "range", "year", "relative"


VOCABULARY = Spec(
    keys={
        "months": dict,
        "weekdays": list,
        "range_connectors": list,
        "month_cues": list,
        "range_cues": list,
        "open_range_cues": list,
        "year_cues": list,
        "quarters": dict,
        "relative_days": dict,
        "relative_years": dict,
    }
)


def _alternation(words, suffix: str = "") -> str:
    """Names as an alternation, longest first, capitalised or all upper-case."""
    forms = {w for word in words for w in (word, word.upper())}
    return "|".join(re.escape(w) + suffix for w in sorted(forms, key=len, reverse=True))


def _compile(vocab: dict) -> dict[str, re.Pattern]:
    months = vocab["months"]
    longest = {n: max((k for k, v in months.items() if v == n), key=len) for n in set(months.values())}
    full = [k for k in months if k == longest[months[k]]]
    abbrev = [k for k in months if k not in full]
    # an abbreviation may take a full stop ("Sept."); a full name never eats the sentence's
    month = r"(?:%s|%s)" % (_alternation(full), _alternation(abbrev, r"\.?"))
    # a month named alone ("in October"): capitalised only, never followed by a name ("June Banda")
    bare = r"(?:%s)" % "|".join(sorted(full, key=len, reverse=True))
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    wd = r"(?:(?:%s)\.?,?\s)?" % _alternation(vocab["weekdays"])
    year = r"(?:19[5-9]\d|20\d\d)"
    conn = "|".join(re.escape(c) for c in sorted(vocab["range_connectors"], key=len, reverse=True))
    dash = rf",?\s{{0,3}}(?P<c>{conn})\s{{0,3}}(?:the\s)?"  # "9th, and 10th"
    # "October 21, 2025, to January 15, 2026": a comma may close the first end's year
    ydash = rf",?{dash}"
    # a weekday in brackets after the day: "October 22 (Tue) to November 21 (Thu), 2024"
    pwd = r"(?:\s?\((?:%s)\.?\))?" % _alternation(vocab["weekdays"])
    yrdash = r"\s{0,3}(?:-|‐|‑|–|—|−|/)\s{0,3}"  # hyphen, non-breaking hyphen, dashes, minus
    b, e = r"(?<![\w/.-])", r"(?![\w/])"
    dd, mm, yy2 = r"[0-3]?\d", r"[01]?\d", r"\d\d"
    m2d, d2d = r"[01]\d", r"[0-3]\d"

    def g(name: str, pattern: str) -> str:
        return "(?P<%s>%s)" % (name, pattern)

    def cues(key: str) -> str:
        return "|".join(re.escape(c).replace(r"\ ", r"\s") for c in sorted(vocab[key], key=len, reverse=True))

    patterns = {
        # 30 May – 2 June 2023 ; 1 December 2007 - 3 January 2008 ; Monday 3 June to Friday 7 June
        "dm_dm": rf"{b}(?:the\s)?{wd}{g('d1', day)}\s(?:of\s)?{g('m1', month)}{pwd}(?:,?\s{g('y1', year)})?"
        rf"{ydash}{wd}{g('d2', day)}\s(?:of\s)?{g('m2', month)}{pwd}(?:,?\s{g('y2', year)})?{e}",
        # 8-11 November 2021 ; from the 24th–26th April 2023 ; Tuesday 4th and Wednesday 5th June
        # ; 12, 13 and 14 October
        "dd_m": rf"{b}(?:the\s)?(?:{g('d0', day)},\s)?{wd}{g('d1', day)}{dash}{wd}{g('d2', day)}"
        rf"\s(?:of\s)?{g('m1', month)}(?:,?\s{g('y1', year)})?{e}",
        # June 3-7, 2024 ; Tuesday, June 3 and 4
        "m_dd": rf"{b}{wd}{g('m1', month)}\s{g('d1', day)}{dash}{g('d2', day)}(?:,?\s{g('y1', year)})?{e}",
        # June 30 – July 2, 2024
        "md_md": rf"{b}{wd}{g('m1', month)}\s{g('d1', day)}{pwd}(?:,?\s{g('y1', year)})?{ydash}{wd}"
        rf"{g('m2', month)}\s{g('d2', day)}{pwd}(?:,?\s{g('y2', year)})?{e}",
        # between December 2007 and December 2010 ; August 2022 to January 2025
        "my_my": rf"{b}{g('m1', month)},?\s{g('y1', year)}{ydash}{g('m2', month)},?\s{g('y2', year)}{e}",
        # from March 2023 to June ; between November 2016 and 2018: an open end after a full start
        "my_m": rf"(?i:\b(?:{cues('open_range_cues')}))\s(?P<x>{g('m1', month)},?\s{g('y1', year)}{ydash}"
        rf"{g('m2', bare)})(?![\w/]|,?\s[A-Z\d])",
        "my_y": rf"(?i:\b(?:{cues('open_range_cues')}))\s(?P<x>{g('m1', month)},?\s{g('y1', year)}{ydash}"
        rf"{g('y2', year)}){e}",
        # January–March 2022 ; between March and December 2019 ; from January to August 2020
        "m_my": rf"{b}{g('m1', month)}{dash}{g('m2', month)},?\s{g('y1', year)}{e}",
        # between April and July ; from February to June ; during June–July (the year from context)
        "m_m": rf"(?i:\b(?:{cues('range_cues')}))\s(?:the\s(?:months\sof\s)?)?"
        rf"(?P<x>{g('m1', bare)}{dash}{g('m2', bare)})(?![\w/]|\s[A-Z\d])",
        # the first quarter of 2022
        "quarter": rf"{b}(?:the\s)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|last)\squarter\sof\s"
        rf"{g('y1', year)}{e}",
        # 24 April 2023 ; the 30th of July ; 14 August ; Monday, 3 June
        "d_m": rf"{b}(?:the\s)?{wd}{g('d1', day)}\s(?:of\s)?{g('m1', month)}(?:,?\s{g('y1', year)})?{e}",
        # June 10, 2024 ; March 14 ; Thursday, June 6
        "m_d": rf"{b}{wd}{g('m1', month)}\s{g('d1', day)}{pwd}(?:,?\s{g('y1', year)})?{e}",
        # late December 2021 ; Sept. 2022 ; JUNE 2023
        "m_y": rf"{b}{g('m1', month)},?\s{g('y1', year)}{e}",
        # mid-May
        "mid_m": rf"{b}(?:mid|early|late|end)-?\s?{g('m1', month)}{e}",
        # in October ; since January ; from March, ... ; by the end of June (the year from context)
        "bare_m": rf"(?i:\b(?:{cues('month_cues')}))\s(?:the\s(?:end|beginning|start|middle)\sof\s)?"
        rf"(?P<x>{g('m1', bare)})(?![\w/-]|\s[A-Z\d]|\s(?:and|to|or)\s[A-Z\d])",
        # 15/05/2023 ; 15.05.2023 (day first, as in the regions these documents come from)
        "numeric": rf"{b}{g('d1', dd)}(?P<sep>[/.]){g('m1', mm)}(?P=sep){g('y1', year)}{e}",
        # 2023-04-24
        "iso": rf"{b}{g('y1', year)}-{g('m1', m2d)}-{g('d1', d2d)}{e}",
        # (2022-2026) ; between 2019 and 2021 ; the 2022/23 financial year
        "y_y": rf"{b}(?:between\s|from\s)?{g('y1', year)}{yrdash}(?:{g('y2', year)}|{g('yy', yy2)}){e}",
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


def _month(vocab: dict, name: str | None) -> int | None:
    if not name:
        return None
    return vocab["months"].get(name.rstrip(".").title())


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


def _resolve_relative(vocab: dict, expr: str, base: date) -> tuple[str, str] | None:
    import dateparser

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


_YEAR_ONLY = frozenset({"year", "paren_year", "y_y", "between_y"})
_OPEN_ENDED = frozenset({"my_m", "my_y"})


def _open_end_ok(vocab: dict, kind: str, m: re.Match) -> bool:
    """A range with an open second end is one only when the end comes after the start in the
    same year ('from March 2023 to June') or in a later year ('from November 2016 to 2018')."""
    if kind == "my_m":
        return (_month(vocab, m["m1"]) or 13) < (_month(vocab, m["m2"]) or 0)
    return int(m["y1"]) < int(m["y2"]) <= int(m["y1"]) + 30


class DateGrammar:
    """The grammar compiled from one vocabulary (dates.json, or a pipeline's own copy)."""

    def __init__(self, vocab: dict):
        self.vocab = vocab
        self.patterns = _compile(vocab)

    def find(self, text: str, base: date | None = None, context_year: int | None = None) -> list[DateMatch]:
        return _find(self, text, base, context_year)


@lru_cache(maxsize=1)
def default_grammar() -> DateGrammar:
    """tipx's own grammar, for reading datelines and headers before the pipeline runs."""
    return DateGrammar(load_shared("dates.json", VOCABULARY))


def find_dates(text: str, base: date | None = None, context_year: int | None = None) -> list[DateMatch]:
    """Every date expression in ``text``, in text order; where expressions overlap the
    longest wins, so a range is never also reported as its two ends.

    ``base`` is the document's own date (for "yesterday", "last year"); ``context_year``
    fills a missing year, falling back to the nearest explicit year in the text.
    """
    return default_grammar().find(text, base, context_year)


def _find(grammar: DateGrammar, text: str, base: date | None, context_year: int | None) -> list[DateMatch]:
    candidates: list[tuple[int, int, str, re.Match]] = []
    for kind, pattern in grammar.patterns.items():
        for m in pattern.finditer(text):
            if kind in _OPEN_ENDED and not _open_end_ok(grammar.vocab, kind, m):
                continue  # "from November 2022 to February": "November 2022" alone
            candidates.append((m.start(), m.end(), kind, m))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken = bytearray(len(text))  # matches are short (bounded patterns): checking them is linear
    chosen: list[tuple[int, int, str, re.Match]] = []
    for cand in candidates:
        if taken.find(1, cand[0], cand[1]) == -1:
            chosen.append(cand)
            taken[cand[0] : cand[1]] = b"\x01" * (cand[1] - cand[0])
    chosen.sort(key=lambda c: c[0])
    # A year-less date takes the year of the nearest date that has a month and a year: a lone
    # year ("established in 2002") says nothing about when "23-28 July" was.
    explicit_years = [
        (c[0], int(c[3]["y1"]))
        for c in chosen
        if "y1" in c[3].re.groupindex and c[3]["y1"] and c[2] not in _YEAR_ONLY
    ]

    def year_for(pos: int) -> int | None:
        if context_year:
            return context_year
        if base:
            return base.year
        if not explicit_years:
            return None
        return min(explicit_years, key=lambda item: abs(item[0] - pos))[1]

    out = []
    for start, _end, kind, m in chosen:
        between = m[0][:8].lower() == "between " or (
            text[max(0, start - 12) : start].rstrip().lower().endswith("between")
        )
        for p_start, p_end, s, e_ in _normalise(grammar.vocab, kind, m, year_for, base, between) or ():
            if e_ < s:
                continue
            if kind == "year":  # the cue word ("since", "in") is context, not part of the date
                p_start = m.start("y1") if "start of" not in m[0] and "end of" not in m[0] else p_start
            elif text.startswith("the ", p_start):
                p_start += 4
            label = (
                "relative"
                if kind.startswith("rel")
                else ("range" if s != e_ else ("year" if len(s) == 4 else "date"))
            )
            out.append(DateMatch(p_start, p_end, text[p_start:p_end], s, e_, label))
    return out


Part = tuple[int, int, str, str]  # start_char, end_char, start, end


def _consecutive(a: str | None, b: str | None) -> bool:
    if not (a and b) or len(a) != 10 or len(b) != 10:
        return False
    return (date.fromisoformat(b) - date.fromisoformat(a)).days == 1


def _normalise(
    vocab: dict, kind, m: re.Match, year_for, base: date | None, between: bool
) -> list[Part] | None:
    """The span(s) of one match: one date or range, or, for two dates joined by "and" that
    are not a range ("on 3 May and 9 June"), each date on its own."""
    gd = m.groupdict()
    whole = m.start("x") if gd.get("x") else m.start(), m.end()

    def one(span) -> list[Part] | None:
        return [(whole[0], whole[1], span[0], span[1])] if span else None

    if kind in ("rel_day", "rel_year"):
        return one(_resolve_relative(vocab, gd.get("rel") or gd.get("rely"), base)) if base else None
    if kind == "year" or kind == "paren_year":
        y = gd["y1"]
        return one((y, y))
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
        return one((str(y1), str(y2)))
    if kind == "quarter":
        q = vocab["quarters"][gd["q"]]
        y = int(gd["y1"])
        return one(_pair(_iso(y, 3 * q - 2), _iso(y, 3 * q)))
    m1, m2 = _month(vocab, gd.get("m1")), _month(vocab, gd.get("m2"))
    if kind in ("numeric", "iso"):
        m1 = int(gd["m1"])
    d0, d1, d2 = _day(gd.get("d0")), _day(gd.get("d1")), _day(gd.get("d2"))
    y2 = int(gd["y2"]) if gd.get("y2") else None
    y1 = int(gd["y1"]) if gd.get("y1") else None
    joined = (gd.get("c") or "").lower() == "and"
    # ends of a two-part match, for when "and" joins two separate dates
    cut = m.start("c") if gd.get("c") else m.end()
    first_end = max((m.end(k) for k in ("d1", "m1", "y1") if gd.get(k) and m.start(k) < cut), default=cut)
    second = {"my_my": "m2", "m_my": "m2", "m_m": "m2", "md_md": "m2", "my_m": "m2", "my_y": "y2"}.get(
        kind, "d2"
    )
    second_start = m.start(second) if gd.get(second) else cut

    def pair(a: str | None, b: str | None, days: bool = False) -> list[Part] | None:
        """A range, or, joined by "and" without "between" (and, for days, not consecutive), two dates."""
        if not (a and b):
            return None
        if joined and not between and not (days and _consecutive(a, b)):
            return [(whole[0], first_end, a, a), (second_start, whole[1], b, b)]
        return one((a, b))

    if kind in ("dm_dm", "md_md"):
        y2 = y2 or y1 or year_for(m.start())
        y1 = y1 or (y2 - 1 if y2 and m1 > m2 else y2)
        return pair(_iso(y1, m1, d1), _iso(y2, m2, d2), days=True)
    if kind in ("dd_m", "m_dd"):
        y = y1 or year_for(m.start())
        if d0 is not None and d0 + 1 == d1 and d1 + 1 == d2:  # 12, 13 and 14 October
            return one(_pair(_iso(y, m1, d0), _iso(y, m1, d2)))
        if d0 is not None:  # "Article 3, 12-14 May": the 3 is no part of the range
            whole = m.start("d1"), whole[1]
        return pair(_iso(y, m1, d1), _iso(y, m1, d2), days=True)
    if kind == "my_my":
        return pair(_iso(y1, m1), _iso(y2, m2))
    if kind == "m_my":
        if m1 > m2 and not (joined and not between):  # November 2022 – February 2023
            return one(_pair(_iso(y1 - 1, m1), _iso(y1, m2)))
        return pair(_iso(y1, m1), _iso(y1, m2))
    if kind == "my_m":  # the end after the start: checked by _open_end_ok
        return pair(_iso(y1, m1), _iso(y1, m2))
    if kind == "my_y":
        return pair(_iso(y1, m1), str(y2))
    if kind == "m_m":
        y = year_for(m.start())
        if y is None or m1 >= m2:  # "from November to February": which year is which is a guess
            return None
        return pair(_iso(y, m1), _iso(y, m2))
    if kind in ("mid_m", "bare_m"):
        iso = _iso(year_for(m.start()), m1)
        return one(_pair(iso, iso))
    if kind == "m_y":
        iso = _iso(y1, m1)
        return one(_pair(iso, iso))
    # single day: d_m, m_d, numeric, iso
    y = y1 or year_for(m.start())
    iso = _iso(y, m1, d1)
    return one(_pair(iso, iso))


def _pair(a: str | None, b: str | None) -> tuple[str, str] | None:
    return (a, b) if a and b else None


def first_date(text: str) -> DateMatch | None:
    """The first full calendar date (with a year) in ``text``, e.g. a dateline's."""
    for match in find_dates(text):
        if match.kind in ("date", "range") and len(match.start) >= 7:
            return match
    return None
