"""Funders, dates and participants on invented sentences modelled on errors seen in unseen pages."""

import pytest

DATELINE = "Maseru, 2 May 2024 – "


def one(run, text):
    (record,) = run(DATELINE + text)
    return record


def funders(run, text):
    return {f["name"] for f in one(run, text)["funders"]}


# ------------------------------------------------------------------ funders: compounds


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a parenthesised acronym between the donor and its compound verb
        (
            "The Japan International Cooperation Agency (JICA)-funded Coastal Safety project met.",
            {"Japan International Cooperation Agency"},
        ),
        ("The European Union (EU) funded Green Borders initiative closed.", {"European Union"}),
        (
            "The Korea International Cooperation Agency (KOICA)–financed shelter opened in June.",
            {"Korea International Cooperation Agency"},
        ),
        # "supported" compounds only from a donor
        (
            "The USAID-supported Safe Roads project trained drivers.",
            {"United States Agency for International Development"},
        ),
        ("The European Union (EU)-supported river project began.", {"European Union"}),
        ("An IOM-supported training for guards took place.", set()),
        ("The International Labour Organization (ILO)-supported survey was released.", set()),
        ("The Ministry of Labour (MoL)-supported campaign reached farmers.", set()),
        # a donor country's aid agency by its acronym alone
        ("The clinic opened with support from JICA.", {"Japan International Cooperation Agency"}),
    ],
)
def test_funder_compounds(run, sentence, expected):
    assert funders(run, sentence) == expected


# ------------------------------------------------------------------ dates: the article's date line

PROSE = (
    "The coast guard trained 18 boat crews in rescue at sea on 2 March, the harbour office said on"
    " Monday in a statement."
)


def dates_and_title(run, text):
    (record,) = run(text)
    return record["title"], [d["start"] for d in record["dates"]]


def test_caption_below_date_line_is_not_the_headline(run):
    text = (
        "Home\nNews\nHarbour crews finish sea rescue course\nMarch 6, 2023 3 min read\n"
        f"Rescue drill led by the harbour office\n{PROSE}\n"
    )
    title, dates = dates_and_title(run, text)
    assert title == "Harbour crews finish sea rescue course"
    assert dates == ["2023-03-06", "2023-03-02"]


def test_date_line_above_the_headline_stays_in_the_body(run):
    text = f"Home\nNews\nMarch 6, 2023\nHarbour crews finish sea rescue course\n{PROSE}\n"
    title, dates = dates_and_title(run, text)
    assert title == "Harbour crews finish sea rescue course"
    assert dates == ["2023-03-06", "2023-03-02"]


def test_headline_then_date_line_unchanged(run):
    text = f"Home\nNews\nHarbour crews finish sea rescue course\n6 March 2023\n{PROSE}\n"
    title, dates = dates_and_title(run, text)
    assert title == "Harbour crews finish sea rescue course"
    assert dates == ["2023-03-06", "2023-03-02"]


# ------------------------------------------------------------------ participants: coordinated modifiers


def participants(run, text):
    return [(p["count"], p["text"]) for p in one(run, text)["participants"]]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # "and" between two modifiers starts a new segment: the count covers both
        (
            "The academy will train 17 harbour and Lakeside-based customs investigators.",
            [(17, "17 harbour and Lakeside-based customs investigators")],
        ),
        ("The clinic received 9 mothers and infants.", [(9, "9 mothers and infants")]),
        ("The 4 provinces and 26 officials met in June.", [(26, "26 officials")]),
    ],
)
def test_participants_coordinated_modifiers(run, sentence, expected):
    assert participants(run, sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a donor body heading a list of countries
        ("The shelter is supported by the governments of Denmark and Finland.", {"Denmark", "Finland"}),
        ("The forum had support from the governments of Ghana and Togo.", set()),
        # extra-budgetary money (OSCE wording) from anyone
        (
            "The course receives extra-budgetary support from the governments of Andorra and Ireland.",
            {"Andorra", "Ireland"},
        ),
        ("The simulation relies on extrabudgetary contributions from Malta.", {"Malta"}),
    ],
)
def test_funder_lists(run, sentence, expected):
    assert funders(run, sentence) == expected


# ------------------------------------------------------------------ dates: open-ended ranges


def dates(run, text):
    return [(d["start"], d["end"]) for d in one(run, text)["dates"]]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The pilot ran from April 2021 to September in four districts.", [("2021-04", "2021-09")]),
        ("The scheme runs from October 2019 to 2022 in the north.", [("2019-10", "2022")]),
        ("Between February 2020 and July, the office hired staff.", [("2020-02", "2020-07")]),
        # the end before the start: the start alone
        ("The drive ran from October 2021 to March in the south.", [("2021-10", "2021-10")]),
    ],
)
def test_open_ended_ranges(run, sentence, expected):
    assert [d for d in dates(run, sentence) if d[0] != "2024-05-02"] == expected
