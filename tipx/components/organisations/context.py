"""What the finder computes once per document, passed explicitly to the functions that need it."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span


@dataclass
class Candidate:
    span: Span
    source: str  # "gazetteer", "government", "pattern", "acronym"
    entry: int | None = None  # gazetteer index
    name: str | None = None


@dataclass
class DocContext:
    """Per-document state: where the body starts and what the gazetteer found in it."""

    doc: Doc
    title_end: int = 0
    gazetteer: list[Candidate] = field(default_factory=list)
    known_names: set[str] = field(default_factory=set)  # surface forms the gazetteer matched
    gazetteer_starts: set[int] = field(default_factory=set)  # token indices opening a match
    gazetteer_tokens: set[int] = field(default_factory=set)  # token indices inside a match
    gazetteer_ends: set[int] = field(default_factory=set)  # token indices closing a match
    has_entities: bool = False  # a statistical NER ran (doc.ents is meaningful)

    @classmethod
    def create(cls, doc: Doc, title_end: int, gazetteer: list[Candidate]) -> DocContext:
        return cls(
            doc=doc,
            title_end=title_end,
            gazetteer=gazetteer,
            known_names={c.span.text for c in gazetteer},
            gazetteer_starts={c.span.start for c in gazetteer},
            gazetteer_tokens={i for c in gazetteer for i in range(c.span.start, c.span.end)},
            gazetteer_ends={c.span.end - 1 for c in gazetteer},
            has_entities=doc.has_annotation("ENT_IOB"),
        )
