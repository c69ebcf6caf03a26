"""Dates, participants, funders and phones: patterns seen on real press releases, tested on
invented sentences."""

import pytest

from tipx.datetext import find_dates

from conftest import funders, one, participants


def spans(text, **kw):
    return [(d.start, d.end) for d in find_dates(text, **kw)]


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    "text, expected",
    [
        # a comma closing the first end's year
        ("The course ran from March 4, 2024, to April 12, 2024, here.", [("2024-03-04", "2024-04-12")]),
        ("The plan covers June 2021, to May 2023 in full.", [("2021-06", "2023-05")]),
        # a weekday in brackets after the day
        ("Dates: March 4 (Mon) to April 12 (Fri), 2024.", [("2024-03-04", "2024-04-12")]),
        ("Dates: March 4 (Mon), 2024 – April 12 (Fri), 2025.", [("2024-03-04", "2025-04-12")]),
        ("It runs from 4 March (Mon) to 8 March (Fri) 2024.", [("2024-03-04", "2024-03-08")]),
        ("The talks opened on July 9 (Tuesday), 2024 in the capital.", [("2024-07-09", "2024-07-09")]),
        # a non-breaking hyphen or a minus sign between years
        ("The strategy (2021\u20112026) was adopted.", [("2021", "2026")]),
        ("The plan for 2019\u22122023 ended.", [("2019", "2023")]),
        # "and" with a comma still joins two separate days
        ("They met on 3 May 2023, and again on 9 June 2023.", [("2023-05-03",) * 2, ("2023-06-09",) * 2]),
    ],
)
def test_date_styles(text, expected):
    assert spans(text) == expected


# ------------------------------------------------------------------ participants


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a figure in brackets repeating the number
        ("The session trained twenty-five (25) leaders.", [(25, "twenty-five (25) leaders")]),
        ("Nine (9) participants from three districts attended.", [(9, "Nine (9) participants")]),
        # "of" inside a name before the head
        (
            "The seminar was attended by eleven judges and four Ministry of Labour inspectors.",
            [(11, "eleven judges"), (4, "four Ministry of Labour inspectors")],
        ),
        # those who run the activity are not its participants
        (
            "Forty labour inspectors attended the course, which was moderated by two experts.",
            [(40, "Forty labour inspectors")],
        ),
        (
            "Three experts from the university facilitated the workshop for 22 social workers.",
            [(22, "22 social workers")],
        ),
        ("Presenting the modules were four trainers from the police college.", []),
        # unless attending is said nearer to them
        ("Fifteen experts attended the validation meeting.", [(15, "Fifteen experts")]),
        # partners are organisations or states
        ("The forum gathered 40 officials and six partners from the region.", [(40, "40 officials")]),
    ],
)
def test_participant_patterns(run, sentence, expected):
    assert participants(run, sentence) == expected


# ------------------------------------------------------------------ funders


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # support from a donor government, embassy, agency or the EU is funding
        (
            "The shelter opened with support from the European Union and the Danish Government.",
            {"European Union", "Danish Government"},
        ),
        ("The helpline, supported by the Government of Canada, opened in March.", {"Government of Canada"}),
        ("The forum was held with the support of the Embassy of Finland.", {"Embassy of Finland"}),
        ("The clinic opened with support from the Japanese Embassy and the council.", {"Japanese Embassy"}),
        ("The Norwegian Government pledged to provide support to the new shelter.", {"Norwegian Government"}),
        # support from an implementer, a host government or police is not
        ("The guide was drafted with support from the International Organization for Migration.", set()),
        ("The meeting was held with the support of the Government of Lesotho.", set()),
        ("Officers made arrests with the support of the Romanian Border Police.", set()),
        ("The course ran with technical support from the Government of Japan.", set()),
        # an amount after a short phrase
        (
            "The Italian Government will provide a grant worth 300,000 USD for the shelter.",
            {"Italian Government"},
        ),
        ("The Embassy donated computers worth US$ 9,000 to the unit.", set()),
        # a payer after a bare comma belongs to the list only if "and" follows
        ("The survey was funded by the EU, Sweden and Norway.", {"European Union", "Sweden", "Norway"}),
        (
            "At the forum, which was sponsored by the European Union, the Ministry presented its plan.",
            {"European Union"},
        ),
    ],
)
def test_funder_patterns(run, sentence, expected):
    assert funders(run, sentence) == expected


# ------------------------------------------------------------------ phones


def phones(run, text):
    return [p["number"] for p in one(run, text)["phones"]]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a second number of one contact takes the cue and the country of the first
        ("Lesotho opened a shelter.\nTel: +266 2232 0011 / 5888 1234\n", ["+26622320011", "+26658881234"]),
        ("Lesotho.\nTel +27 12 342 2789 (office) or 082 555 1234\n", ["+27123422789", "+27825551234"]),
        # a foreign number written without its "+"
        ("Lesotho opened a shelter.\nHotline: 1-888-373-7888\n", ["+18883737888"]),
        # never a count after a number
        ("Lesotho opened a shelter.\nTel: +266 2232 0011, 2024 was a good year.\n", ["+26622320011"]),
    ],
)
def test_phone_patterns(run, text, expected):
    assert phones(run, text) == expected
