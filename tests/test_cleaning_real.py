"""Real pages' furniture: what is the article's body, its title and its date; contact names and
places that hold a country's name. All pages and sentences are invented for the tests."""

from tipx.cleaning import join_wrapped, prepare, split_articles
from tipx.reading import own_html_to_text

PARA = (
    "Forty officers from the border police were trained on the identification of victims of "
    "trafficking by the Ministry of Interior in the capital this week."
)
PARA2 = "The course was funded by the Government of Norway and ran for four days in the capital city."


def only(text: str, **kw):
    (article,) = split_articles(text, "page.txt", **kw)
    return article


# ------------------------------------------------------------------ titles


def test_headline_followed_by_a_date_line_is_the_title():
    a = only(f"Border officers learn to spot trafficking\n12 March 2023\n\n{PARA}\n")
    assert a.title == "Border officers learn to spot trafficking"
    assert a.published == "2023-03-12"


def test_published_by_line_is_never_the_title():
    text = (
        "Site Name\n\nShelters open in three provinces\n\n"
        f"Published on 12/03/2022 by Staff Writer\n\n{PARA}\n"
    )
    a = only(text)
    assert a.title == "Shelters open in three provinces"


def test_breadcrumb_and_menu_are_not_titles():
    text = (
        "Ministry of Labour of Ruritania\nHome | About | News | Contacts | Services\n"
        "News & Events › Press Releases\n\nLabour inspectors trained on forced labour indicators\n\n"
        f"March 3, 2024 | Capital City | Press Release\n\n{PARA}\n"
    )
    assert only(text).title == "Labour inspectors trained on forced labour indicators"


def test_menu_line_of_many_words_is_not_the_first_paragraph():
    text = (
        "Helping Hands Trust\nOur promise to every child since 1999\n"
        "Home | About us | Our programmes | Blog | Get involved | Donate now\n\n"
        f"A day with the outreach team in the river towns\n\nPosted: 4 May 2021 by Field Team\n\n{PARA}\n"
    )
    a = only(text)
    assert a.title == "A day with the outreach team in the river towns"
    assert "Donate" not in a.text and "1999" not in a.text


def test_headline_below_a_dateline_of_its_own():
    text = (
        "Office of the Special Envoy to Ruritania\n\nPRESS RELEASE\nLowtown, 15/11/2023\n\n"
        f"Prosecutors sharpen their handling of trafficking cases\n\n{PARA}\n"
    )
    a = only(text)
    assert a.title == "Prosecutors sharpen their handling of trafficking cases"
    assert a.published == "2023-11-15"
    assert "15/11/2023" in a.text  # the dateline stays in the body, the headline once
    assert a.text.count("Prosecutors sharpen") == 1
    assert "Special Envoy" not in a.text


def test_capitals_place_and_country_dateline_under_a_byline():
    text = (
        "THE DAILY BUGLE\nHome | News | Sport | Business\n\n"
        "Recruiters, officials go back to class as complaints about abroad pile up\n\n"
        f"By Jane Reporter\nPosted: Thursday, 16 May, 2024 | 4 min read\n\n"
        f"LOWTOWN, RURITANIA — {PARA}\n"
    )
    a = only(text)
    assert a.title.startswith("Recruiters, officials go back")
    assert a.published == "2024-05-16"


def test_title_case_headline_is_not_joined_to_the_wrapped_paragraph_below():
    body = [
        "The training, the first of its kind for the province, was held at the police",
        "academy in the capital, in close coordination with the national referral office,",
        "which plays the central role in assisting victims identified at the border posts",
        "and in the towns along the main highway to the north of the country this year.",
    ]
    lines = ["- Data and Research", "Border Police Trained to Prevent and Prosecute Trafficking"]
    lines += ["Officials yesterday completed a two-day training for the border police officers"]
    out = join_wrapped(lines + body)
    assert "Border Police Trained to Prevent and Prosecute Trafficking" in out
    wrapped_title = ["Frontline Officers in Ruritania Trained to Investigate Human", "Trafficking", ""]
    assert join_wrapped(wrapped_title + body)[0].endswith("Human Trafficking")


def test_page_headline_from_html_wins_over_a_meta_line():
    page = f"""<html><head><title>News | Site</title></head><body>
    <div class="crumbs">Home » News » Press Releases</div>
    <article><header class="entry-header"><h1>Inspectors complete forced labour course</h1>
    <div class="entry-meta">May 11, 2023 | Press Releases</div></header>
    <p>{PARA}</p><p>{PARA2}</p></article></body></html>"""
    (a,) = prepare(page, "page.html")
    assert a.title == "Inspectors complete forced labour course"
    assert a.published == "2023-05-11"
    assert "Home" not in a.text


# ------------------------------------------------------------------ body and footer


def test_html_link_lists_and_sidebar_widgets_are_dropped():
    page = f"""<html><body><h1>Social workers trained on trauma care</h1>
    <p>{PARA}</p><p>Write to <a href="mailto:desk@example.org">the desk</a> for details.</p>
    <ul><li><a href="/a">Girls from Upland reunited with families</a> (2 August 2022)</li>
    <li><a href="/b">Director speaks at the Lowland regional forum</a> (20 July 2022)</li></ul>
    <div class="widget widget_text"><p>Friends of Ruritania is a charity supported by UNICEF.</p></div>
    <div class="elementor-widget-container"><p>{PARA2}</p></div></body></html>"""
    text = own_html_to_text(page).text
    assert "Upland" not in text and "UNICEF" not in text
    assert "Norway" in text and "desk@example.org" in text


def test_footer_who_we_are_and_publisher_address_are_cut():
    text = (
        f"Shelter staff trained\n\n{PARA}\n\n{PARA2}\n\nWho we are\n"
        "Friends of Ruritania is a charity founded in 2005 with support from UNICEF and Sweden.\n"
    )
    assert "UNICEF" not in only(text).text
    text = (
        f"Shelter staff trained\n\n{PARA}\n\n{PARA2}\n\n"
        "Friends of Ruritania, P.O. Box 1234, Lowtown. Tel: +254 41 222 3333. Email: info@friends.example\n"
        "© 2022 Friends of Ruritania. All rights reserved.\n"
    )
    assert "info@friends.example" not in only(text).text


def test_press_contact_with_an_address_is_kept():
    text = (
        f"Shelter staff trained\n\n{PARA}\n\nFor more information, please contact:\n"
        "Friends of Ruritania, P.O. Box 1234, Lowtown. Tel: +254 41 222 3333. Email: info@friends.example\n"
    )
    assert "info@friends.example" in only(text).text


def test_photo_credit_is_no_footer():
    text = f"Shelter staff trained\n\n© UNICEF/2023/Jane Smith\n\n{PARA}\n\n{PARA2}\n"
    assert "Norway" in only(text).text


def test_comments_and_share_lines_are_not_the_article(run):
    text = (
        f"Shelter staff trained\n\n{PARA}\n\nShare this: Facebook | X | Email\n"
        "3 thoughts on “Shelter staff trained”\nAnna says: my cousin went to Oman last year.\n"
    )
    (record,) = run(text)
    assert "OM" not in {c["iso2"] for c in record["countries"]}


# ------------------------------------------------------------------ contact names


def contacts(run, text):
    (record,) = run(text)
    return {i.get("address") or i.get("number"): i["name"] for k in ("emails", "phones") for i in record[k]}


def test_an_office_city_or_a_place_is_not_a_contact_name(run):
    names = contacts(
        run,
        "The office opened a desk in Upper Springs. Questions go to hello@example.org.\n\n"
        "Media contact: John Smith, Press Officer, IOM Upper Springs\n"
        "Mobile: +251 911 22 33 44\njsmith@example.org\n",
    )
    assert names["hello@example.org"] is None
    assert names["jsmith@example.org"] == "John Smith"
    assert names["+251911223344"] == "John Smith"


def test_the_block_above_names_both_the_phone_and_the_email(run):
    names = contacts(
        run,
        f"{PARA}\n\nFor more information, please contact:\nAbebe Girma\n"
        "Communications Officer, Ministry of Labour\n"
        "Tel: +251 11 551 7000\nE-mail:\nabebe.girma@example.org\n",
    )
    assert names["abebe.girma@example.org"] == "Abebe Girma"
    assert names["+251115517000"] == "Abebe Girma"


def test_a_desk_names_a_contact_and_particles_join_a_name(run):
    names = contacts(
        run,
        f"{PARA}\n\nFor media inquiries, please contact the Public Affairs Section at pas@example.org.\n"
        "Laurent de Boeck, Tel: +221 33 869 62 00, ldeboeck@example.org\n",
    )
    assert names["pas@example.org"] == "Public Affairs Section"
    assert names["ldeboeck@example.org"] == "Laurent de Boeck"


# ------------------------------------------------------------------ places holding a country's name


def test_regions_and_towns_named_after_a_country(run):
    (record,) = run(
        "Piracy in the Gulf of Guinea and displacement around Lake Chad were discussed in "
        "Spanish Town and in Port of Spain with officials from Ghana."
    )
    assert {c["iso2"] for c in record["countries"]} == {"GH"}


def test_a_date_line_trafilatura_dropped_is_put_back_above_the_first_paragraph():
    from tipx.reading import _restore_date_line

    own = (
        "Menu\nNews\nShelter opens in Kasane\n\nPress release · 3\u00a0May\u00a02024\n\n"
        "KASANE, BOTSWANA – The Ministry of Justice opened a shelter for survivors of trafficking today.\n"
    )
    main = (
        "Shelter opens in Kasane\n\nKASANE, BOTSWANA – The Ministry of Justice opened a shelter for "
        "survivors of trafficking today.\n"
    )
    restored = _restore_date_line(main, own)
    assert restored.startswith("Shelter opens in Kasane\n\nPress release · 3 May 2024\n\nKASANE")
    assert _restore_date_line(restored, own) == restored  # already there: nothing added
    assert _restore_date_line(main, own.replace("3\u00a0May\u00a02024", "our news")) == main
