"""Countries in capitals, abbreviated and foreign spellings, homonyms; e-mail addresses inside
markup remnants and written against harvesters. All text is written for the tests."""

import pytest

from tipx.cleaning import clean_text
from tipx.components.countries import NAMES, _romance_inflections, _variants, country_names
from tipx.resources import load


def one(run, text):
    (record,) = run(text)
    return record


def codes(run, text) -> set[str]:
    return {c["iso2"] for c in one(run, text)["countries"]}


# ------------------------------------------------------------------ generated spellings


def test_saint_and_ampersand_spellings_are_generated():
    assert _variants("Saint Vincent and the Grenadines") >= {
        "St Vincent and the Grenadines",
        "St. Vincent & the Grenadines",
        "Saint Vincent & the Grenadines",
    }
    names = country_names(load("countries.json", NAMES))
    for form, iso2 in [
        ("St Kitts and Nevis", "KN"),
        ("St. Kitts", "KN"),
        ("St Lucia", "LC"),
        ("Antigua & Barbuda", "AG"),
        ("Trinidad & Tobago", "TT"),
        ("St Lucian", "LC"),
    ]:
        assert names[form] == iso2, form


def test_romance_names_and_demonym_inflections():
    assert _romance_inflections("ivoirien") == {"ivoirien", "ivoirienne", "ivoiriens", "ivoiriennes"}
    assert _romance_inflections("congolais") == {"congolais", "congolaise", "congolaises"}
    assert _romance_inflections("moçambicano") >= {"moçambicana", "moçambicanos"}
    assert _romance_inflections("português") >= {"portuguesa", "portugueses"}
    names = country_names(load("countries.json", NAMES))
    assert names["Moçambique"] == "MZ" and names["Brasil"] == "BR" and names["Perú"] == "PE"
    assert names["République démocratique du Congo"] == "CD" and names["Guinée"] == "GN"
    # person names and words are not taken from the catalogues
    assert "Maurice" not in names and "Dominique" not in names and "Chili" not in names


# ------------------------------------------------------------------ in the pipeline


def test_datelines_and_headlines_in_capitals(run):
    found = codes(
        run,
        "DUSHANBE, TAJIKISTAN – Border guards met counterparts from the Kyrgyz Republic.\n\n"
        "SECOND WORKSHOP HELD IN BASSETERRE, ST KITTS AND NEVIS\n\nIt opened on Monday.",
    )
    assert {"TJ", "KG", "KN"} <= found


def test_acronyms_and_pronouns_in_capitals_are_not_countries(run):
    text = "JOIN US IN THE FIGHT: NO TO TRAFFICKING\n\nOfficers IN Peru were trained AS trainers, said ME."
    assert codes(run, text) == {"PE"}


def test_caribbean_short_names_and_plural_demonyms(run):
    found = codes(
        run,
        "Prosecutors from St. Lucia, St Vincent & the Grenadines and Antigua & Barbuda joined "
        "Kittitian investigators. Tajiks, Uzbeks and Thais were among the victims.",
    )
    assert {"LC", "VC", "AG", "KN", "TJ", "UZ", "TH"} <= found


def test_title_case_headline_and_french_portuguese_text(run):
    found = codes(
        run,
        "Republic Of Moldova Signs Agreement\n\n"
        "MAPUTO, MOÇAMBIQUE – La police ivoirienne a reçu des cidadãos moçambicanos.",
    )
    assert {"MD", "MZ", "CI"} <= found


def test_cities_named_like_a_country(run):
    text = (
        "BENIN CITY, NIGERIA – The Benin Zonal Command rescued 12 women in Benin City; two of "
        "them came from Benin Republic. Others were flown in from Mexico City."
    )
    record = one(run, text)
    benin = [c for c in record["countries"] if c["iso2"] == "BJ"]
    assert [m["text"] for m in benin[0]["mentions"]] == ["Benin"]  # only "Benin Republic"
    assert "MX" not in {c["iso2"] for c in record["countries"]}


def test_benin_in_a_nigerian_text_is_the_city_unless_listed_or_a_republic(run):
    record = one(
        run,
        "Abuja, 2 May 2024 – The Benin Zonal Command of the Nigeria Immigration Service met in Benin "
        "on Monday. Victims came from Nigeria, Benin and Togo.",
    )
    benin = next(c for c in record["countries"] if c["iso2"] == "BJ")
    assert len(benin["mentions"]) == 1  # only the one in the list of countries
    assert "BJ" not in codes(run, "Lagos, 2 May 2024 – Nigerian officers met in Benin on Monday.")
    assert "BJ" in codes(run, "Cotonou, 2 May 2024 – Officers from Benin and Ghana met.")


def test_longest_phrase_wins_over_a_block(run):
    found = codes(
        run,
        "Experts from Papua New Guinea and the Central African Republic visited New Jersey, "
        "Latin America and LATIN AMERICA.",
    )
    assert found == {"PG", "CF"}


@pytest.mark.parametrize(
    "sentence",
    [
        "The leaflet is available in English, French and Portuguese.",
        "A Russian interpreter and Spanish-speaking staff assisted.",
    ],
)
def test_language_names_are_not_countries(run, sentence):
    assert codes(run, sentence) == set()


def test_demonym_before_a_noun_is_still_a_country(run):
    assert codes(run, "French police and Spanish prosecutors met in Madrid.") == {"FR", "ES"}


# ------------------------------------------------------------------ e-mails


def test_mailto_remnants_keep_the_address_and_drop_the_markup():
    assert clean_text('Press: "mailto:press@example.org\\">Press Office</a>') == (
        "Press: Press Office (press@example.org)"
    )
    assert clean_text('Contact <a href="mailto:ann.lee@example.org" target="_blank">Ann Lee</a>.') == (
        "Contact Ann Lee (ann.lee@example.org)."
    )
    assert clean_text('<A HREF="MAILTO:Info@Example.org?subject=Hi">Info@Example.org</A>') == (
        "Info@Example.org"
    )
    cleaned = clean_text('Write to <a href="mailto:a@example.org"><b>Ann Lee</b></a> today')
    assert cleaned == "Write to a@example.org Ann Lee today"


def test_obfuscated_addresses_are_restored():
    assert clean_text("Contact jane.doe [at] example.int or info(at)example.org.") == (
        "Contact jane.doe@example.int or info@example.org."
    )
    assert clean_text("Write to desk [at] example [dot] org") == "Write to desk@example.org"
    assert clean_text("We meet at example.org and (at) noon.") == "We meet at example.org and (at) noon."


def test_emails_from_markup_remnants_in_the_pipeline(run):
    record = one(
        run,
        "Lilongwe, 9 May 2024 – Forty officers were trained.\n\n"
        'E-mail: "mailto:Media@Example.org\\">Media Unit</a>\n'
        'Field office — <a href="mailto:kim.banda@example.org">Kim Banda</a>\n'
        "Hotline: hotline [at] example.mw",
    )
    emails = {e["address"]: e for e in record["emails"]}
    assert set(emails) == {"media@example.org", "kim.banda@example.org", "hotline@example.mw"}
    assert emails["kim.banda@example.org"]["name"] == "Kim Banda"
    assert all("<" not in e["sentence"] and "mailto" not in e["sentence"] for e in record["emails"])


def test_a_historic_federation_maps_to_todays_code(run):
    (record,) = run("Belgrade, 12 March 2002 - The OSCE Mission to the Federal Republic of Yugoslavia met.")
    assert [c["iso2"] for c in record["countries"]] == ["RS"]


def test_port_of_spain_is_a_city_not_spain(run):
    (record,) = run("Port of Spain, Trinidad and Tobago, 4 March 2024 - Officers met in Port of Spain.")
    assert [c["iso2"] for c in record["countries"]] == ["TT"]


def test_a_combining_form_before_a_demonym_makes_a_region(run):
    (record,) = run(
        "Madrid, 4 March 2024 - The Ibero-American network met officials from the Malawi-Zambia border."
    )
    assert [c["iso2"] for c in record["countries"]] == ["MW", "ZM"]
