"""Each field's behaviour and normalisation, on text written for the tests."""

import pytest

BODY = (
    "Lilongwe, 9 May 2024 – Thirty-six officers of the Malawi Police Service (MPS) and 12 prosecutors "
    "completed a training organised by the International Organization for Migration (IOM) with "
    "Malawi's Ministry of Home Affairs and Internal Security.\n\n"
)


def one(run, text):
    (record,) = run(text)
    return record


def names(record, field="organisations"):
    return {o["name"] for o in record[field]}


# ------------------------------------------------------------------ organisations


def test_long_form_and_acronym_are_one_organisation(run):
    record = one(run, BODY + "Later, IOM and the MPS met again. IOM Malawi hosted the meeting.")
    iom = [o for o in record["organisations"] if o["acronym"] == "IOM"]
    assert len(iom) == 1
    assert iom[0]["name"] == "International Organization for Migration"
    assert {m["text"] for m in iom[0]["mentions"]} == {"International Organization for Migration", "IOM"}
    mps = [o for o in record["organisations"] if o["acronym"] == "MPS"]
    assert len(mps) == 1 and mps[0]["name"] == "Malawi Police Service" and len(mps[0]["mentions"]) == 2


def test_possessive_country_is_not_part_of_the_name(run):
    record = one(run, BODY)
    assert "Ministry of Home Affairs and Internal Security" in names(record)
    assert not any("Malawi's" in n for n in names(record))


def test_generic_groups_job_titles_and_plans_are_not_organisations(run):
    record = one(
        run,
        BODY + "Government ministries, civil society and Non-Governmental Organizations joined the "
        "Head of Office and the Permanent Secretary to review the National Action Plan and the "
        "Standard Operating Procedures (SOPs). Member States agreed.",
    )
    found = names(record)
    for bad in (
        "Government ministries",
        "Non-Governmental Organizations",
        "Head of Office",
        "National Action Plan",
        "Standard Operating Procedures",
        "Member States",
        "SOPs",
    ):
        assert bad not in found


def test_ministry_names_with_commas_and_lists_of_ministries(run):
    record = one(
        run,
        BODY + "Officials came from the Ministry of Labour, the Ministry of Gender, Community "
        "Development and Social Welfare, the State Law Office, and the Departments of Health, "
        "Social Welfare, Justice and Constitutional Affairs.",
    )
    found = names(record)
    assert {
        "Ministry of Labour",
        "Ministry of Gender, Community Development and Social Welfare",
        "State Law Office",
        "Department of Health",
        "Department of Social Welfare",
        "Department of Justice and Constitutional Affairs",
    } <= found


def test_offices_count_as_their_parent_and_locations_are_not_names(run):
    record = one(
        run,
        BODY + "The UNODC Regional Office for Southern Africa and UNODC staff met an officer of the "
        "US Embassy in Lilongwe and a representative of the Delegation of the European Union to Malawi.",
    )
    found = names(record)
    assert "United Nations Office on Drugs and Crime" in found
    assert "US Embassy" in found and "Delegation of the European Union" in found
    assert not any("Regional Office" in n for n in found)


def test_governments_from_country_names_and_demonyms(run):
    record = one(run, BODY + "The Norwegian government and the Government of Malawi signed it.")
    assert {"Norwegian government", "Government of Malawi"} <= names(record)


# ------------------------------------------------------------------ countries


def test_countries_from_names_abbreviations_demonyms_and_historic_names(run):
    record = one(
        run,
        BODY + "Somalis, Ethiopians and Mozambican children transit the country; the US and the UK "
        "fund shelters; a Swiss agency works in Swaziland and the DRC.",
    )
    codes = {c["iso2"] for c in record["countries"]}
    assert {"MW", "SO", "ET", "MZ", "US", "GB", "CH", "SZ", "CD"} <= codes
    eswatini = next(c for c in record["countries"] if c["iso2"] == "SZ")
    assert eswatini["iso3"] == "SWZ" and eswatini["mentions"][0]["text"] == "Swaziland"


def test_regions_are_not_countries(run):
    record = one(
        run,
        "Maputo, 1 May 2024 – The programme covers the Southern Africa and Indian Ocean region, "
        "Eastern Europe and West Africa, with offices in the Gulf.",
    )
    assert record["countries"] == []


# ------------------------------------------------------------------ participants


@pytest.mark.parametrize(
    "sentence, count, qualifier",
    [
        ("Forty-two officers attended.", 42, None),
        ("The workshop trained 2,563 individuals.", 2563, None),
        ("It brought together 30 key players.", 30, None),
        ("More than 350 religious personnel took part.", 350, "more than"),
        ("A total of 42 frontline officers completed it.", 42, "a total of"),
    ],
)
def test_participants(run, sentence, count, qualifier):
    record = one(run, "Maseru, 2 May 2024 – " + sentence)
    assert [(p["count"], p["qualifier"]) for p in record["participants"]] == [(count, qualifier)]


def test_items_money_states_and_ages_are_not_participants(run):
    record = one(
        run,
        "Maseru, 2 May 2024 – IOM donated 85,000 surgical masks and 14 laptops worth US$68,500 to "
        "the 14 Member States, whose 10 provinces and 5 Government Departments took part; the "
        "girls were aged 15 to 17 and 71 percent of cases involve the 46-year-old's network.",
    )
    assert record["participants"] == []


# ------------------------------------------------------------------ funders


@pytest.mark.parametrize(
    "sentence, funder",
    [
        ("The training was funded by the European Union.", "European Union"),
        ("IOM, with funding from the Government of Japan, delivered the kits.", "Government of Japan"),
        (
            "This project was made possible through support provided by the United States Department "
            "of State.",
            "United States Department of State",
        ),
        ("The US Government will provide financial support to the project.", "US Government"),
        (
            "The safe house added beds with a grant from the Embassy of Switzerland in Pretoria.",
            "Embassy of Switzerland",
        ),
        (
            "It is financed by Sweden through the Swedish International Development Cooperation Agency "
            "(Sida).",
            "Sweden",
        ),
    ],
)
def test_funders(run, sentence, funder):
    record = one(run, "Maseru, 2 May 2024 – " + sentence)
    assert funder in names(record, "funders")
    assert all(f["evidence"].endswith(sentence[-20:]) for f in record["funders"])


def test_technical_support_and_implementers_are_not_funders(run):
    record = one(
        run,
        "Moroni, 16 March 2023 – The mechanism was validated with technical support from the "
        "International Organization for Migration (IOM). The SAMM project is funded by the European "
        "Union and implemented by the ILO, IOM, UNHCR and UNODC.",
    )
    assert names(record, "funders") == {"European Union"}


# ------------------------------------------------------------------ emails


def test_emails_are_lower_cased_deduplicated_and_named(run):
    record = one(
        run,
        BODY + "For more information, please contact:\nJean-Marc Lutchmun, UNODC\nEmail: "
        'JeanMarc.Lutchmun@un.org\nor write to "mailto:jeanmarc.lutchmun@un.org">jeanmarc.lutchmun@un.org',
    )
    assert [(e["address"], e["name"]) for e in record["emails"]] == [
        ("jeanmarc.lutchmun@un.org", "Jean-Marc Lutchmun")
    ]


# ------------------------------------------------------------------ provenance


def test_every_item_points_back_into_the_prepared_text(nlp):
    from tipx.engine import read_document as read_path
    from tipx.engine import records as process

    from conftest import SAMPLES, record_items

    for sample in SAMPLES.iterdir():
        articles = read_path(str(sample))
        for article, record in zip(articles, process(articles, nlp), strict=True):
            items = record_items(record)
            assert items, sample
            for item in items:
                start, end = item["start_char"], item["end_char"]
                assert article.text[start:end] == item["text"]
                # the sentence is the text around this very occurrence, not any sentence
                sentence = item["sentence"]
                where = article.text.rfind(sentence, 0, start + len(sentence))
                assert where != -1 and end <= where + len(sentence), item
