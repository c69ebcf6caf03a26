"""Dates: calendar expressions normalised to ISO 8601 (see tipx.datetext for the grammar)."""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from ..datetext import find_dates
from .common import doc_text, meta, sentence_of


class DateFinder:
    def __init__(self, relative: bool):
        self.relative = relative

    def __call__(self, doc: Doc) -> Doc:
        info = meta(doc)
        base = date.fromisoformat(info["published"]) if len(info.get("published") or "") == 10 else None
        spans = []
        for match in find_dates(doc_text(doc), base=base, context_year=info.get("context_year")):
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


@Language.factory("tipx_dates", default_config={"relative": True})
def make_dates(nlp: Language, name: str, relative: bool) -> DateFinder:
    return DateFinder(relative)
