"""Where an item came from: its text, character offsets and sentence.

Works on spaCy Spans without importing spaCy, so records can be built from Docs anywhere."""

from __future__ import annotations

MAX_SENTENCE = 1000  # a longer "sentence" (a page without punctuation) is cut to a window
WINDOW = 200


def doc_text(doc) -> str:
    """The Doc's text, built once: ``Doc.text`` joins every token on each access, so reading it
    per mention makes a long document quadratic."""
    text = doc.user_data.get("tipx_text")
    if text is None:
        text = doc.user_data["tipx_text"] = doc.text
    return text


def sentence_of(span) -> str:
    try:
        sent = span.sent
        start, end = sent.start_char, sent.end_char
    except ValueError:  # no sentence boundaries set
        start, end = 0, len(doc_text(span.doc))
    if end - start > MAX_SENTENCE:
        start, end = max(start, span.start_char - WINDOW), min(end, span.end_char + WINDOW)
    return doc_text(span.doc)[start:end].strip()


def provenance(span) -> dict:
    return {
        "text": span.text,
        "start_char": span.start_char,
        "end_char": span.end_char,
        "sentence": sentence_of(span),
    }


def shifted(item: dict, offset: int) -> dict:
    """An item whose offsets are moved by ``offset`` (a piece of a long text)."""
    if not offset:
        return item
    return {**item, "start_char": item["start_char"] + offset, "end_char": item["end_char"] + offset}
