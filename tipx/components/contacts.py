"""Contacts: e-mail addresses (lower-cased) with the name that stands next to them."""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from ..provenance import doc_text, sentence_of
from .base import ResourceComponent

# The look-behind pins every attempt to the start of an address-like run, and each part has
# a bounded length, so a crafted 100,000-character string is scanned in linear time.
EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}\b"
)
_WORD = r"[A-Z][a-zà-ÿ'’]{1,30}(?:-[A-Z]?[a-zà-ÿ'’]{1,30}){0,2}"  # bounded parts: linear time
_NAME = re.compile(rf"({_WORD}(?: {_WORD}){{1,3}})\W{{0,4}}$")  # "... contact Jane Doe at"
_NAME_FIRST = re.compile(
    rf"^(?:[-*•] )?(?:[A-Z]{{2,}}[\w ]{{0,30}}: )?({_WORD}(?: {_WORD}){{1,3}})(?:,| [–-]|$)"
)


def people(doc: Doc):
    """PERSON entities of more than one token that are not organisation or country names (the
    small model calls some offices people: "IOM Malawi"), and those names as one string."""
    taken = {
        i
        for key in ("organisations", "countries")
        for s in doc.spans.get(key, [])
        for i in range(s.start, s.end)
    }
    persons = [
        e
        for e in doc.ents
        if e.label_ == "PERSON" and len(e) > 1 and not taken.intersection(range(e.start, e.end))
    ]
    entity_texts = "\n".join(
        {s.text for key in ("organisations", "countries") for s in doc.spans.get(key, [])}
    )
    return persons, entity_texts


def contact_name(doc: Doc, start: int, floor: int, persons, entity_texts: str) -> str | None:
    """The person's name standing before a contact detail at ``start`` (after ``floor``, the
    previous one): a PERSON entity, else a capitalised name opening or closing a line."""
    window_start = max(floor, start - 160)
    lo = bisect.bisect_left(persons, window_start, key=lambda p: p.start_char)
    hi = bisect.bisect_left(persons, start, key=lambda p: p.start_char)
    near = [p for p in persons[lo:hi] if p.end_char <= start]
    if near:
        return near[-1].text.strip(" \t\n,:;–-")
    before = doc_text(doc)[window_start:start]
    line = before.rstrip().rsplit("\n", 3)
    for chunk in reversed(line):
        m = _NAME_FIRST.match(chunk.strip()) or _NAME.search(chunk.split(" at ")[0].rstrip(" ,:–-"))
        if m and m.group(1) not in entity_texts:
            return m.group(1)
    return None


class ContactFinder(ResourceComponent):
    """No vocabulary of its own; a ResourceComponent for the shared error policy."""

    def build(self, data: dict) -> None:
        pass

    def process(self, doc: Doc) -> Doc:
        spans = []
        previous_end = 0
        persons, entity_texts = people(doc)
        for m in EMAIL.finditer(doc_text(doc)):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None:
                continue
            span._.tipx_email = {
                "address": m.group().lower(),
                "name": contact_name(doc, m.start(), previous_end, persons, entity_texts),
                "text": m.group(),
                "start_char": m.start(),
                "end_char": m.end(),
                "sentence": sentence_of(span),
            }
            previous_end = m.end()
            spans.append(span)
        doc.spans["emails"] = spans
        return doc


@Language.factory(
    "tipx_contacts",
    assigns=["doc.spans", "span._.tipx_email"],
    requires=["doc.spans", "doc.ents"],  # organisation and country names are not people's names
)
def make_contacts(nlp: Language, name: str) -> ContactFinder:
    return ContactFinder(nlp, name)
