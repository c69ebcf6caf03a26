"""Helpers shared by the components: span extensions and provenance."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

# Each component stores its normalised values on its own spans, under its own extension,
# so that two fields never overwrite each other's values for the same character offsets.
for _name in ("tipx_country", "tipx_org", "tipx_date", "tipx_participant", "tipx_email", "tipx_funder"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Token.has_extension("is_country"):
    Token.set_extension("is_country", default=False)
if not Doc.has_extension("tipx_meta"):
    Doc.set_extension("tipx_meta", default=None)


def meta(doc: Doc) -> dict:
    """Per-document context set by the extractor (published date, context year, title end)."""
    return doc._.tipx_meta or {}


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once: ``Doc.text`` joins every token on each access, so reading it
    per mention makes a long document quadratic."""
    text = doc.user_data.get("tipx_text")
    if text is None:
        text = doc.user_data["tipx_text"] = doc.text
    return text


MAX_SENTENCE = 1000  # a longer "sentence" (a page without punctuation) is cut to a window
WINDOW = 200


def sentence_of(span: Span) -> str:
    try:
        sent = span.sent
        start, end = sent.start_char, sent.end_char
    except ValueError:  # no sentence boundaries set
        start, end = 0, len(doc_text(span.doc))
    if end - start > MAX_SENTENCE:
        start, end = max(start, span.start_char - WINDOW), min(end, span.end_char + WINDOW)
    return doc_text(span.doc)[start:end].strip()


def provenance(span: Span) -> dict:
    return {
        "text": span.text,
        "start_char": span.start_char,
        "end_char": span.end_char,
        "sentence": sentence_of(span),
    }


MAX_SENTENCE_TOKENS = 250


def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and contact lines are not run into the
    text that follows them (hard-wrapped lines were joined before the pipeline). A run of text
    with no sentence end is cut every MAX_SENTENCE_TOKENS tokens, so that provenance stays a
    sentence and not a page."""
    since = 0
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or previous.whitespace_ == "\n" or since >= MAX_SENTENCE_TOKENS:
            token.is_sent_start = True
        since = 0 if token.is_sent_start else since + 1
    return doc
