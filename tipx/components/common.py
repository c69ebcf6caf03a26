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


def sentence_of(span: Span) -> str:
    try:
        return span.sent.text.strip()
    except ValueError:  # no sentence boundaries set
        return span.doc.text[max(0, span.start_char - 200) : span.end_char + 200].strip()


def provenance(span: Span) -> dict:
    return {
        "text": span.text,
        "start_char": span.start_char,
        "end_char": span.end_char,
        "sentence": sentence_of(span),
    }


def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and contact lines are not run into the
    text that follows them (hard-wrapped lines were joined before the pipeline)."""
    for token in doc[:-1]:
        if "\n" in token.text or token.whitespace_ == "\n":
            doc[token.i + 1].is_sent_start = True
    return doc
