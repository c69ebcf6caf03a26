"""The date grammar: ISO 8601 at the text's precision, ranges with both ends."""

from datetime import date

import pytest

from tipx.datetext import find_dates


def spans(text, **kw):
    return [(d.start, d.end) for d in find_dates(text, **kw)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mutare, 8-11 November 2021 – UNODC", ("2021-11-08", "2021-11-11")),
        ("From June 3-7, 2024, the delegation", ("2024-06-03", "2024-06-07")),
        ("between December 2007 and December 2010", ("2007-12", "2010-12")),
        ("the National Action Plan (2022-2026).", ("2022", "2026")),
        ("the (2013 -2023) programme", ("2013", "2023")),
        ("in Windhoek from 30 May – 2 June 2023", ("2023-05-30", "2023-06-02")),
        ("met from the 24th–26th April 2023 for", ("2023-04-24", "2023-04-26")),
        ("held from 18 to 20 October 2022 in Kasane", ("2022-10-18", "2022-10-20")),
        ("submitted by 15/05/2023, so that", ("2023-05-15", "2023-05-15")),
        ("in Sept. 2022 the review", ("2022-09", "2022-09")),
        ("a session held 1-3 Nov 2022.", ("2022-11-01", "2022-11-03")),
        ("running from August 2022 to January 2025, funded", ("2022-08", "2025-01")),
        ("the 2022/23 financial year", ("2022", "2023")),
        ("in the first quarter of 2022.", ("2022-01", "2022-03")),
    ],
)
def test_dates_and_ranges(text, expected):
    assert spans(text) == [expected]


def test_missing_year_comes_from_context():
    assert spans("on 19–20 June in Lusaka", context_year=2023) == [("2023-06-19", "2023-06-20")]
    assert spans("on 3 and 4 November in Windhoek; on Wednesday 3 November 2021") == [
        ("2021-11-03", "2021-11-04"),
        ("2021-11-03", "2021-11-03"),
    ]


def test_relative_dates_need_the_publication_date():
    assert spans("which closed yesterday") == []
    assert spans("which closed yesterday", base=date(2022, 9, 22)) == [("2022-09-21", "2022-09-21")]
    assert spans("began last year", base=date(2023, 4, 28)) == [("2022", "2022")]


@pytest.mark.parametrize(
    "text",
    [
        "a five-day study tour",
        "for a period of 24 months",
        "a four-year project",
        "the 2030 Agenda for Sustainable Development",
        "UNODC Strategic Vision for Africa 2030, which aims",
        "Tel: +27 12 342 2489",
        "call 0800 222 777 or 08000 73728",
        "girls aged 15 to 17 were recruited",
        "available 24/7",
        "traffickers may have exploited them",
        "fifteen 15-year sentences",
    ],
)
def test_not_dates(text):
    assert spans(text) == []


def test_invalid_calendar_day_is_dropped():
    assert spans("on 31 February 2023") == []


def test_offsets_slice_the_text():
    text = "Gaborone, 28th April 2023 – focal points met from the 24th–26th April 2023."
    for d in find_dates(text):
        assert text[d.start_char : d.end_char] == d.text
