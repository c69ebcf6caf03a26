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


@pytest.mark.parametrize(
    "text, context_year, expected",
    [
        # ordinals and weekdays
        ("the clinic ran 21st to 24th May, 2023 in Zomba", None, [("2023-05-21", "2023-05-24")]),
        ("met from Tuesday 4th to Thursday 6th June 2024.", None, [("2024-06-04", "2024-06-06")]),
        ("will meet on Monday, 3 June in Blantyre", 2024, [("2024-06-03", "2024-06-03")]),
        ("the board sat on the 5th of March", 2021, [("2021-03-05", "2021-03-05")]),
        ("from Wed. 9 to Fri. 11 October", 2019, [("2019-10-09", "2019-10-11")]),
        # two consecutive days joined by "and" are one range; other pairs are two dates
        ("sessions on 12 and 13 October 2022", None, [("2022-10-12", "2022-10-13")]),
        ("on Tuesday 4th and Wednesday 5th June", 2024, [("2024-06-04", "2024-06-05")]),
        ("visits on 3 May and 9 June", 2023, [("2023-05-03", "2023-05-03"), ("2023-06-09", "2023-06-09")]),
        ("on 3 and 17 October 2022", None, [("2022-10-03", "2022-10-03"), ("2022-10-17", "2022-10-17")]),
        ("between 3 May and 9 June 2023", None, [("2023-05-03", "2023-06-09")]),
        ("on 12, 13 and 14 October 2022", None, [("2022-10-12", "2022-10-14")]),
        ("under Article 3, 12-14 May 2022", None, [("2022-05-12", "2022-05-14")]),
        ("from June 30 – July 2, 2024", None, [("2024-06-30", "2024-07-02")]),
        # month ranges, one range and never its ends as well
        ("ran from February to June 2020 in", None, [("2020-02", "2020-06")]),
        ("between April and July, the unit", 2021, [("2021-04", "2021-07")]),
        ("Between March and December 2019, 300 women", None, [("2019-03", "2019-12")]),
        ("from November 2022 to January 2024", None, [("2022-11", "2024-01")]),
        ("in March–May 2022 the", None, [("2022-03", "2022-05")]),
        ("from March 2019 to December 2019.", None, [("2019-03", "2019-12")]),
        ("the winter of November–February 2023", None, [("2022-11", "2023-02")]),
        ("campaigns in March and May 2023", None, [("2023-03", "2023-03"), ("2023-05", "2023-05")]),
        # a month without day or year takes the context's year
        ("licences revoked since January.", 2024, [("2024-01", "2024-01")]),
        ("From March, subscribers will", 2020, [("2020-03", "2020-03")]),
        ("a conference in Kigali in October.", 2022, [("2022-10", "2022-10")]),
        ("by the end of June the plan", 2024, [("2024-06", "2024-06")]),
        # upper-case datelines, dotted numbers
        ("ZOMBA, 12 JUNE 2023 - The", None, [("2023-06-12", "2023-06-12")]),
        ("Published on 14.03.2024, 11:20", None, [("2024-03-14", "2024-03-14")]),
    ],
)
def test_general_phenomena(text, context_year, expected):
    assert spans(text, context_year=context_year) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a statement from June Banda of the ministry",
        "written by May Phiri",
        "the June-July harvest",  # no year and no cue: not enough to be sure
        "an amount of 12.50 dollars, 3.5 million",
        "they may march to the capital",
    ],
)
def test_months_that_are_not_dates(text):
    assert spans(text, context_year=2023) == []


def test_text_of_a_split_pair_is_each_date():
    text = "on 3 May and 9 June 2023"
    assert [d.text for d in find_dates(text)] == ["3 May", "9 June 2023"]


def test_year_from_nearby_dates_without_context():
    assert spans("On 11 to 14 March the course met; the report of 2 March 2024 said") == [
        ("2024-03-11", "2024-03-14"),
        ("2024-03-02", "2024-03-02"),
    ]


# ------------------------------------------------------------------ input cleaning around dates

_PARAGRAPHS = [
    "LILONGWE, 4 June 2023 - Thirty-six labour inspectors and police officers from the central and"
    " northern regions completed a training on the identification of victims of forced labour, organised"
    " by the Ministry of Labour with the International Organization for Migration (IOM) from Tuesday"
    " 30 May to Friday 2 June 2023 in Lilongwe.",
    "The inspectors practised interviews with workers recruited for tobacco estates and reviewed the"
    " referral procedures adopted by the National Coordination Committee against Trafficking in Persons"
    " in 2022, which set out who assists an identified victim within the first 48 hours of identification.",
    "A second session for district officers will take place in Mzuzu between August and October, with"
    " support from the Embassy of Ireland and the Royal Norwegian Embassy in Lilongwe.",
]


def _wrapped(width: int) -> str:
    import textwrap

    body = "\n\n".join(textwrap.fill(p, width) for p in _PARAGRAPHS)
    head = "Labour inspectors trained to identify victims of forced labour\n\n"
    tail = "\n\nFor more information:\nTel: +265 1 234 567\nEmail: press@example.org\n- Factsheet\n- Photos"
    return head + body + tail


@pytest.mark.parametrize("width", [72, 105, 110])
def test_join_wrapped_restores_paragraphs_at_any_width(width):
    from tipx.cleaning import join_wrapped

    text = _wrapped(width)
    lines = text.split("\n")
    assert max(len(line) for line in lines) > 60 and len(lines) > 15
    joined = join_wrapped(lines)
    for paragraph in _PARAGRAPHS:
        assert paragraph in joined
    # short lines stay: headline, contact lines, list items
    for line in ("Labour inspectors trained to identify victims of forced labour", "Tel: +265 1 234 567",
                 "Email: press@example.org", "- Factsheet", "- Photos", "For more information:"):  # fmt: skip
        assert line in joined


def test_dates_across_a_105_column_wrap():
    from tipx.cleaning import prepare

    [article] = prepare(_wrapped(105), "wrapped.txt")
    assert article.published == "2023-06-04"
    found = {(d.start, d.end) for d in find_dates(article.text, context_year=article.context_year)}
    assert ("2023-05-30", "2023-06-02") in found
    assert ("2023-08", "2023-10") in found


def test_one_paragraph_per_line_is_left_alone():
    from tipx.cleaning import join_wrapped

    lines = [
        "Police rescue eleven workers from a farm in the north",
        "",
        "BLANTYRE, 2 May 2024 - " + "Police officers rescued eleven workers from a farm. " * 4,
        "",
        "The workers had been recruited with promises of jobs in town " * 3,
        "The ministry said the investigation is continuing and asked the public to report cases. " * 2,
        "Officers will return to the district next month. " * 3,
        "A hotline is open day and night for reports. " * 3,
    ]
    lines = [line.strip() for line in lines]  # one long line ends without a full stop
    assert join_wrapped(lines) == lines


def test_date_line_gives_the_published_date_and_stays_in_the_body():
    from tipx.cleaning import split_articles

    text = (
        "Home | News | Contact\n\n"
        "Border officials trained to spot child trafficking at a busy crossing\n\n"
        "Press release · 8 June 2023\n\n"
        "Forty border officials took part in a training on the referral of child victims held by the"
        " International Organization for Migration (IOM) in Mwanza. A follow-up session will take place"
        " in Dodoma in September.\n"
    )
    [article] = split_articles(text, "page.txt")
    assert article.published == "2023-06-08" and article.context_year == 2023
    assert "8 June 2023" in article.text
    found = {(d.start, d.end) for d in find_dates(article.text, context_year=article.context_year)}
    assert found == {("2023-06-08", "2023-06-08"), ("2023-09", "2023-09")}


def test_published_on_header_and_accented_dateline():
    from tipx.cleaning import split_articles

    text = (
        "Published on 14.03.2024, 11:20\n\n"
        "Police dismantle a network that sent workers to forced labour abroad\n\n"
        "BĂLȚI, 14 March 2024 — Officers of the national police detained four suspects after a"
        " course held from 11 to 14 March on financial investigations in trafficking cases.\n"
    )
    [article] = split_articles(text, "page.txt")
    assert article.published == "2024-03-14"
    found = [(d.start, d.end) for d in find_dates(article.text, context_year=article.context_year)]
    assert ("2024-03-11", "2024-03-14") in found


def test_related_links_are_not_date_lines():
    from tipx.cleaning import _is_date_line

    assert _is_date_line("Press release · 8 June 2023")
    assert _is_date_line("12 JUNE 2023")
    assert _is_date_line("Published on 14.03.2024, 11:20")
    assert not _is_date_line("» Ministers of three countries sign an agreement on safe returns (13.03.2024)")
    assert not _is_date_line("The committee met on 3 May 2023 in the capital with partners.")


def test_date_line_under_a_headline_is_not_joined_to_it():
    from tipx.cleaning import join_wrapped, split_articles

    lines = ["Officials trained on child trafficking at the border crossing", "12 JUNE 2023", ""]
    assert join_wrapped(lines + ["Body text."]) == lines + ["Body text."]
    text = "\n".join(lines) + "\nForty officials took part in a training held in Mwanza from 3 to 5 May.\n"
    [article] = split_articles(text, "page.txt")
    assert article.published == "2023-06-12"


def test_a_lone_year_does_not_date_a_year_less_day():
    text = "The unit was established in 2002. The training ran between 23-28 July in Rabat."
    assert [(d.start, d.end) for d in find_dates(text) if d.kind != "year"] == []
    dated = "The training ran between 23-28 July in Rabat, after the March 2023 review."
    assert ("2023-07-23", "2023-07-28") in [(d.start, d.end) for d in find_dates(dated)]


def test_a_comma_before_and_still_joins_two_days():
    found = [(d.start, d.end) for d in find_dates("on Wednesday 9th, and Thursday 10th July 2025.")]
    assert found == [("2025-07-09", "2025-07-10")]
