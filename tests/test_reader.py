"""Input preparation: decoding, markup, hard wraps, boilerplate and archive pages."""

import pytest

from tipx.cleaning import join_wrapped, prepare
from tipx.engine import read_document as read_path
from tipx.reading import InputError, decode


def test_decode_utf8_bom_utf16_and_cp1252():
    assert decode("café".encode("utf-8-sig")) == ("café", [])
    assert decode("café".encode("utf-16")) == ("café", [])
    text, warnings = decode("caf\xe9 \u2013 ok".encode("cp1252"))
    assert text == "café – ok" and warnings == ["not UTF-8; decoded as cp1252"]


def test_binary_input_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_mailto_remnants_are_removed():
    text = (
        "Story body with enough words to be the body of an article here.\n"
        'E-mail:\n"mailto:a.b@iom.int">a.b@iom.int'
    )
    (article,) = prepare(text, "x.txt")
    assert "mailto" not in article.text and "a.b@iom.int" in article.text


def test_hard_wrapped_lines_are_joined_but_contact_lines_are_not():
    lines = [
        "In Mauritius, the training, funded by the British High",
        "Commission, marks the first of this kind of cooperation between",
        "the two and will develop and eventually host such events in the",
        "country. Participants here will include representatives of each",
        "division and district of the police force and more officials.",
        "For more information, please contact:",
        "Nely Chimedza",
        "Tel +258 21 310 779",
    ]
    joined = join_wrapped(lines)
    assert joined[0].startswith("In Mauritius, the training, funded by the British High Commission, marks")
    assert "Nely Chimedza" in joined and "Tel +258 21 310 779" in joined


def test_navigation_blurbs_and_footer_are_dropped():
    (article,) = read_path(_sample("press_release.txt"))
    assert (
        article.title
        == "Malawian and Zambian Border Officials Train Together to Identify Trafficking Victims"
    )
    assert article.published == "2024-05-09"
    assert "WHO WE ARE" not in article.text
    assert "Related News" not in article.text and "02 April 2024" not in article.text
    assert "175 member states" not in article.text
    assert article.text.rstrip().endswith("tmwale@iom.int")


def test_archive_page_is_split_into_articles():
    articles = read_path(_sample("archive.txt"))
    assert [a.index for a in articles] == [1, 2]
    assert articles[0].title.startswith("Kenyan prosecutors")
    assert articles[1].title.startswith("Eswatini validates")
    assert "Read More" not in articles[0].text and "Older posts" not in articles[1].text


def test_archive_page_of_the_dev_corpus_holds_three_articles(dev_corpus):
    path = next(dev_corpus.glob("001_*.txt"))
    articles = read_path(str(path))
    assert len(articles) == 3
    assert articles[2].title.startswith("Namibia Trafficking in Persons Action Plan")
    assert all(a.published and a.published.startswith("2021-11") for a in articles)


def test_html_keeps_article_drops_furniture_and_reveals_mailto():
    (article,) = read_path(_sample("story.html"))
    assert article.title == "Zambia trains labour inspectors to detect forced labour on farms"
    assert article.published == "2024-02-15"
    assert "mulenga@ilo.org" in article.text  # the address lived only in the href
    assert "Ministry of Nothing" not in article.text  # script
    assert "Related stories" not in article.text and "Home" not in article.text.split("\n")[0]


def test_markdown_front_matter_links_and_tables():
    (article,) = read_path(_sample("update.md"))
    assert article.title.startswith("Tanzania and Uganda agree")
    assert article.published == "2023-09-28"
    assert "**" not in article.text and "](" not in article.text and "|---|" not in article.text
    assert "nmushi@iom.int" in article.text


def test_markdown_underscores_inside_words_are_not_emphasis(tmp_path):
    page = tmp_path / "note.md"
    page.write_text(
        "# Shelter opens in Lilongwe\n\nWrite to first_name_last@example.org about the snake_case_list; "
        "_this_ and __that__ and *IOM* and **UNODC** are emphasis.\n"
    )
    (article,) = read_path(str(page))
    assert article.title == "Shelter opens in Lilongwe"  # no front matter: the first level-1 heading
    assert "first_name_last@example.org" in article.text and "snake_case_list" in article.text
    assert "this and that and IOM and UNODC are emphasis" in article.text


@pytest.mark.parametrize(
    "content, reason",
    [(b"", "empty file"), (b"   \n\t ", "empty file"), (b"abc\x00def", "binary")],
)
def test_bad_files_raise_input_error(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read_path(str(path))


def test_missing_path_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_path(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        read_path(str(tmp_path))


def _sample(name):
    from conftest import SAMPLES

    return str(SAMPLES / name)
