"""What the components share: the Span extensions of the fields, per-document context, and
the line-break component that ends sentences at line ends."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..fields import FIELDS

# Each field's component stores its values on its own spans, under its own extension, so that
# two fields never overwrite each other's values for the same character offsets.
for _field in FIELDS:
    if not Span.has_extension(_field.extension):
        Span.set_extension(_field.extension, default=None)
if not Token.has_extension("is_country"):
    Token.set_extension("is_country", default=False)
if not Doc.has_extension("tipx_meta"):
    Doc.set_extension("tipx_meta", default=None)


def meta(doc: Doc) -> dict:
    """Per-document context set by the engine (published date, context year, title end)."""
    return doc._.tipx_meta or {}


class LineBreaks:
    """A line break ends a sentence: headlines, datelines and contact lines are not run into the
    text that follows them (hard-wrapped lines were joined before the pipeline). A run of text
    with no sentence end is cut every ``max_sentence_tokens`` tokens, so that provenance stays
    a sentence and not a page."""

    def __init__(self, max_sentence_tokens: int):
        self.max_sentence_tokens = max_sentence_tokens

    def __call__(self, doc: Doc) -> Doc:
        since = 0
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if "\n" in previous.text or previous.whitespace_ == "\n" or since >= self.max_sentence_tokens:
                token.is_sent_start = True
            since = 0 if token.is_sent_start else since + 1
        return doc


@Language.factory(
    "tipx_line_breaks",
    default_config={"max_sentence_tokens": 250},
    assigns=["token.is_sent_start"],
)
def make_line_breaks(nlp: Language, name: str, max_sentence_tokens: int) -> LineBreaks:
    return LineBreaks(max_sentence_tokens)
