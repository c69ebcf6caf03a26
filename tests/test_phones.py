"""Phone numbers: E.164 from what people write, never dates, years, money or counts."""


def phones(run, text):
    (record,) = run(text)
    return [(p["number"], p["text"]) for p in record["phones"]]


HEAD = "Maseru, Lesotho, 4 March 2024 - The Ministry of Home Affairs trained 25 officers.\n\n"


def test_international_numbers_in_contact_lines(run):
    found = phones(
        run,
        HEAD + "For more information contact Lineo Mokoena, Tel: +266 2232 0011, lmokoena@iom.int\n"
        "Chisinau office: Tel: (+373) 22 254 525\nFax +27 (0)12 342-2789",
    )
    assert [n for n, _ in found] == ["+26622320011", "+37322254525", "+27123422789"]
    assert found[0][1] == "+266 2232 0011"


def test_a_national_number_takes_the_documents_country_after_a_cue(run):
    text = (
        "Pretoria, South Africa, 4 March 2024 - Anyone with information can call the national "
        "hotline on 0800 222 777."
    )
    assert [n for n, _ in phones(run, text)] == ["+27800222777"]
    # a short national hotline, where the country's numbering plan has it
    text = "Harare, Zimbabwe, 4 March 2024 - Children can call 116 for help."
    assert [n for n, _ in phones(run, text)] == ["+263116"]


def test_never_a_date_a_year_range_money_or_a_count(run):
    text = HEAD + (
        "The project (2019-2023) ran from 12-14 June 2023 and cost USD 250 000. In all, 2,563 "
        "people were reached on 12 06 2023 and reference number 2023 0456 was filed. Call us "
        "in 2024 about the 120 000 leaflets."
    )
    assert phones(run, text) == []


def test_a_bare_digit_run_without_a_cue_is_not_a_phone(run):
    assert phones(run, HEAD + "The case file 0800 222 777 was closed.") == []


def test_the_contact_name_stands_next_to_the_number(run):
    (record,) = run(HEAD + "Palesa Ntho, IOM Lesotho, +266 2231 2345\n")
    assert [(p["number"], p["name"]) for p in record["phones"]] == [("+26622312345", "Palesa Ntho")]
