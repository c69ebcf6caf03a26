"""Dates: calendar expressions normalised to ISO 8601 (see tipx.datetext for the grammar)."""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from ..datetext import VOCABULARY, DateGrammar
from ..provenance import doc_text, sentence_of
from .base import ResourceComponent
from .common import meta


class DateFinder(ResourceComponent):
    specs = {"vocabulary": VOCABULARY}

    def __init__(self, nlp: Language, name: str, vocabulary: str, relative: bool):
        super().__init__(nlp, name, vocabulary=vocabulary)
        self.relative = relative

    def build(self, data: dict) -> None:
        self.grammar = DateGrammar(data["vocabulary"])

    def process(self, doc: Doc) -> Doc:
        info = meta(doc)
        base = date.fromisoformat(info["published"]) if len(info.get("published") or "") == 10 else None
        spans = []
        for match in self.grammar.find(doc_text(doc), base=base, context_year=info.get("context_year")):
            if match.kind == "relative" and not self.relative:
                continue
            span = doc.char_span(match.start_char, match.end_char, alignment_mode="expand")
            if span is None:
                continue
            span._.tipx_date = {
                "text": match.text,
                "start": match.start,
                "end": match.end,
                "start_char": match.start_char,
                "end_char": match.end_char,
                "sentence": sentence_of(span),
            }
            spans.append(span)
        doc.spans["dates"] = spans
        return doc


@Language.factory(
    "tipx_dates",
    default_config={"vocabulary": "dates.json", "relative": True},
    assigns=["doc.spans", "span._.tipx_date"],
)
def make_dates(nlp: Language, name: str, vocabulary: str, relative: bool) -> DateFinder:
    return DateFinder(nlp, name, vocabulary, relative)
