"""Property-based tests (hypothesis): for any text, extract never raises, every offset slices
the prepared text to the item's text, and every record validates against `tipx schema`."""

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipx.cleaning import prepare
from tipx.engine import records as process
from tipx.reading import InputError
from tipx.schema import RECORD_SCHEMA

from conftest import record_items

# Words that wake every component up, so that random text reaches the interesting paths.
VOCABULARY = [
    "IOM", "UNODC", "International Organization for Migration", "(IOM)", "Ministry of Home Affairs",
    "Malawi", "Zambian", "Côte d’Ivoire", "3 May 2024", "6-9 May 2024", "June 3-7, 2024", "2019/20",
    "yesterday", "last year", "in 2019", "42", "Forty-two", "officers", "prosecutors", "funded by",
    "with funding from", "the European Union", "EU", "contact", "Jane Doe", "jane.doe@iom.int",
    "mailto:x@y.org\">", "<p>", "</a>", "# ", "**", "[link](mailto:a@b.org)", "Related news", "©",
    ".", ",", "\n", "\n\n", " - ", "–", "(", ")", ":", "'s", "Police Service", "Department of",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12)), max_size=80).map(" ".join),
    st.lists(st.sampled_from(VOCABULARY), max_size=120).map("".join),
)
sources = st.sampled_from(["doc.txt", "page.html", "notes.md"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, source=sources)
def test_any_text(nlp, text, source):
    try:
        articles = prepare(text, source)
    except InputError as exc:  # only a text with nothing in it
        assert str(exc) == "no text"
        return
    records = list(process(articles, nlp))
    assert len(records) == len(articles)
    for article, record in zip(articles, records, strict=True):
        jsonschema.validate(record, RECORD_SCHEMA)
        for item in record_items(record):
            assert article.text[item["start_char"] : item["end_char"]] == item["text"]


@settings(max_examples=60, deadline=None)
@given(text=texts)
def test_library_extract_never_raises(text):
    from tipx import extract

    for record in extract(text=text, source="any.txt"):
        jsonschema.validate(record, RECORD_SCHEMA)
