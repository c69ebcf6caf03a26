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
