"""Participants and funders on invented sentences: people nouns, statistics, funding wording."""

import pytest

from conftest import funders, participants

# ------------------------------------------------------------------ participants: people nouns


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # agent nouns outside the lexicon, by their ending
        (
            "Fifty-four frontline actors from the border area took part in a training.",
            [(54, "Fifty-four frontline actors")],
        ),
        (
            "The workshop brought together 30 community animators and 12 village elders.",
            [(30, "30 community animators"), (12, "12 village elders")],
        ),
        ("The dialogue gathered 18 stakeholders from the region.", [(18, "18 stakeholders")]),
        (
            "Forty-seven first-line responders completed the course.",
            [(47, "Forty-seven first-line responders")],
        ),
        (
            "Thirty labour attachés and 12 consular staff completed the course.",
            [(30, "Thirty labour attachés"), (12, "12 consular staff")],
        ),
        # two counts joined by "and" stay two mentions
        (
            "Twenty-four judges and 23 prosecutors attended the course.",
            [(24, "Twenty-four judges"), (23, "23 prosecutors")],
        ),
        ("The course trained 47 officials from the Ministry of Labour.", [(47, "47 officials")]),
    ],
)
def test_plural_people_nouns_are_counted(run, sentence, expected):
    assert participants(run, sentence) == expected


def test_a_coordinated_noun_phrase_is_one_mention_with_its_whole_text(run):
    assert participants(
        run, "The session was attended by 22 police, immigration and social welfare officers."
    ) == [(22, "22 police, immigration and social welfare officers")]


def test_a_count_followed_by_a_list_of_its_members_stops_at_its_head(run):
    assert participants(
        run,
        "A total of 52 participants, among them border guards and labour inspectors, completed the course.",
    ) == [(52, "52 participants")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The police officers visited 20 police stations in the province.",
        "The ministry opened 12 women shelters and 4 youth centres in 2023.",
        "The 14 Member States agreed on 30 indicators and 12 sectors.",
        "The three-day training used 24-hour case files.",
        "KYIV, 19 September 2006 - The course opened.",
    ],
)
def test_things_named_after_people_are_not_people(run, sentence):
    assert participants(run, sentence) == []


# ------------------------------------------------------------------ participants: statistics


@pytest.mark.parametrize(
    "sentence",
    [
        "Some 800,000 young people are at risk of trafficking in the region.",
        "Last year the border police identified 212 unaccompanied children at the crossing.",
        "Child protection actors estimate that 40,000 children work in the mines.",
        "In 2019, 1,047 women were repatriated from the Gulf.",
        "Around 10,000 workers are employed in the brick kilns.",
        "An estimated 90,000 migrants crossed the sea last year.",
        "According to the ministry, 137 women returned from abroad.",
    ],
)
def test_statistics_about_the_story_are_not_participants(run, sentence):
    assert participants(run, sentence) == []


def test_the_nearer_cue_decides_between_a_statistic_and_an_activity(run):
    found = participants(
        run, "The trainers showed how 35 victims were rescued in 2022, and 40 officers were trained."
    )
    assert found == [(40, "40 officers")]


def test_a_large_count_needs_an_activity(run):
    assert participants(run, "In total, 2,563 individuals underwent the training programme.") == [
        (2563, "2,563 individuals")
    ]
    assert participants(run, "The province has 25,000 teachers.") == []


# ------------------------------------------------------------------ funders


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "The EU-funded project is implemented by the International Organization for Migration.",
            {"European Union"},
        ),
        ("The course is part of an EU funded project implemented by UNODC.", {"European Union"}),
        (
            "The training was made possible with funding by the Government of Norway and the European Union.",
            {"Government of Norway", "European Union"},
        ),
        (
            "The funding for the three-day seminar was provided by Finland and the Kingdom of Denmark.",
            {"Finland", "Denmark"},
        ),
        (
            "The shelter was refurbished thanks to a contribution from the Government of Luxembourg.",
            {"Government of Luxembourg"},
        ),
        (
            "The initiative was made possible by the generous support of the Government of Ireland.",
            {"Government of Ireland"},
        ),
        ("Japan's donation covered the cost of the vehicles.", {"Japan"}),
        (
            "The training received a grant of US$ 250,000 from the Government of Australia.",
            {"Government of Australia"},
        ),
        (
            "The event was co-financed by Norway, Iceland and Liechtenstein.",
            {"Norway", "Iceland", "Liechtenstein"},
        ),
        ("The workshop was part of an IOM Development Fund project.", {"IOM Development Fund"}),
        (
            "The Ruritanian Trafficking in Persons Office (RTIPO) funds this training.",
            {"Ruritanian Trafficking in Persons Office"},
        ),
        # a country or demonym stands for the government when no body was found around it
        ("The workshop was funded by the Netherlands Embassy.", {"Netherlands"}),
        (
            "The course was financed by contributions from the Governments of Austria and France.",
            {"Austria", "France"},
        ),
        # donor funding mechanisms are named as such, not as the country behind them
        (
            "The seminar is funded by the Norwegian Financial Mechanism 2014-2021.",
            {"Norwegian Financial Mechanism"},
        ),
        ("A second course, supported by the EEA and Norway Grants, follows.", {"EEA and Norway Grants"}),
    ],
)
def test_funding_wording(run, sentence, expected):
    assert funders(run, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The module was delivered with technical support from the United Nations Office on Drugs and Crime.",
        "The campaign was supported by the Ministry of Education.",
        "The module on financial investigations was delivered with support from the Ministry of Justice.",
        "UNICEF's contribution to the study is acknowledged.",
        "The evaluation of the USAID/Bangladesh funded project was published.",
    ],
)
def test_support_without_funding_wording_is_not_funding(run, sentence):
    assert funders(run, sentence) == set()


def test_support_after_funding_is_not_funding(run):
    found = funders(
        run,
        "The sessions were held with funding by the European Union, and with support from the Ministry "
        "of Justice.",
    )
    assert found == {"European Union"}


def test_through_reaches_a_donor_agency_not_the_implementer(run):
    assert funders(
        run,
        "The training is funded by the U.S. Department of State through the United Nations Office on "
        "Drugs and Crime (UNODC).",
    ) == {"United States Department of State"}
    assert funders(
        run,
        "It is financed by Sweden through the Swedish International Development Cooperation Agency (Sida).",
    ) == {"Sweden", "Swedish International Development Cooperation Agency"}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The U.S. Government has provided $500,000 to support the programme.", {"U.S. Government"}),
        ("Norway pledged over NOK 20 million for the shelters.", {"Norway"}),
        ("IOM donated equipment worth US$ 68,500 to the police.", set()),
        ("The ministry provided 30 officers for the course.", set()),
    ],
)
def test_a_payer_giving_an_amount_of_money(run, sentence, expected):
    assert funders(run, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The court sentenced seven traffickers to prison.",
        "Police arrested 12 suspects and questioned 4 smugglers.",
    ],
)
def test_suspects_and_traffickers_are_not_participants(run, sentence):
    assert participants(run, sentence) == []


def test_a_number_word_scale_multiplies_and_a_statistic_is_no_participant(run):
    (record,) = run(
        "Bishkek, 4 March 2024 - Some two million Uzbeks work abroad, the ministry said. "
        "Forty-two inspectors were trained in Osh."
    )
    assert [p["count"] for p in record["participants"]] == [42]


def test_a_pledge_to_invest_money_names_its_funder(run):
    (record,) = run(
        "Guatemala City, 4 March 2024 - The U.S. government committed to invest over $7 million in "
        "new shelters run by the Ministry of Social Development."
    )
    assert [f["name"] for f in record["funders"]] == ["U.S. government"]
