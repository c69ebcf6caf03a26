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
_PARTICLE = r"(?:de|da|do|dos|das|du|del|della|van|von|der|den|la|le|bin|ben|al|el|ter)"
# "Jane Doe", "Laurent de Boeck", "Maria da Silva Santos": two to four capitalised words
_NAME = re.compile(rf"(?<![\w'’-]){_WORD}(?: (?:{_PARTICLE} ){{0,2}}{_WORD}){{1,3}}(?![\w'’-])")
# Words of job titles, offices and places: "Communications Officer", "Press Office", "Addis
# Ababa" after "IOM" or "in". A run holding one of them is no person's name.
_NOT_NAME_WORDS = frozenset(  # noqa: SIM905 (a word list reads better as text)
    [
        "officer",
        "officers",
        "director",
        "directora",
        "directeur",
        "manager",
        "coordinator",
        "coordinadora",
        "coordinateur",
        "specialist",
        "assistant",
        "head",
        "chief",
        "adviser",
        "advisor",
        "secretary",
        "minister",
        "ambassador",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "programme",
        "program",
        "project",
        "projects",
        "communications",
        "communication",
        "media",
        "press",
        "public",
        "information",
        "relations",
        "unit",
        "office",
        "offices",
        "section",
        "department",
        "ministry",
        "team",
        "desk",
        "division",
        "embassy",
        "mission",
        "police",
        "service",
        "services",
        "commission",
        "committee",
        "secretariat",
        "agency",
        "organization",
        "organisation",
        "bureau",
        "centre",
        "center",
        "affairs",
        "general",
        "national",
        "regional",
        "deputy",
        "senior",
        "executive",
        "focal",
        "point",
        "contact",
        "contacts",
        "email",
        "e-mail",
        "phone",
        "mobile",
        "tel",
        "fax",
        "hotline",
        "support",
        "protection",
        "migration",
        "trafficking",
        "counter",
        "anti",
        "human",
        "rights",
        "foreign",
        "interior",
        "justice",
        "labour",
        "labor",
        "social",
        "welfare",
        "development",
        "cooperation",
        "international",
        "united",
        "nations",
        "union",
        "government",
        "council",
        "association",
        "foundation",
        "network",
        "coalition",
        "republic",
        "state",
        "states",
        "kingdom",
        "province",
        "district",
        "county",
        "city",
        "street",
        "road",
        "avenue",
        "square",
        "building",
        "house",
        "floor",
        "for",
        "more",
        "further",
        "please",
        "the",
        "and",
        "of",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
# A desk rather than a person: "Press Office", "OECS Commission Media Desk", "Public Affairs Section".
_OFFICE_WORDS = frozenset(["office", "desk", "section", "unit", "team", "secretariat", "bureau", "division"])
_JOB_WORDS = frozenset(
    ["officer", "director", "manager", "coordinator", "specialist", "assistant", "adviser"]
)
_OF_MORE = re.compile(r" (?:for|of|in|on|at|de|du|des|para) ")
_BEFORE_PLACE = re.compile(r"(?:\b(?:in|at|from|to|of|near|into|across|inside|for|the)|\b[A-Z]{2,}|,) $")


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


def _names_in(chunk: str, entity_texts: str) -> tuple[list[str], list[str]]:
    """Person-like names in one line, in order: not job titles, offices, places ("in Dire
    Dawa", "IOM Addis Ababa", "Nairobi, Kenya"), nor organisation or country names; and the
    desks named there ("Press Office")."""
    persons, desks = [], []
    for m in _NAME.finditer(chunk):
        name = m.group()
        words = {w.lower() for w in name.split()}
        if words & _OFFICE_WORDS and not words & _JOB_WORDS:
            if not _OF_MORE.match(chunk, m.end()):  # "Regional Office for Southern Africa": cut short
                desks.append(name)
        elif (
            name not in entity_texts
            and not words & _NOT_NAME_WORDS
            and not (m.start() and _BEFORE_PLACE.search(chunk[: m.start()]))
        ):
            persons.append(name)
    return persons, desks


def contact_name(doc: Doc, start: int, floor: int, persons, entity_texts: str) -> str | None:
    """The person's name standing before a contact detail at ``start`` (after ``floor``, the
    previous one): a PERSON entity, else a capitalised name in the same line or in the short
    lines of the contact block above it ("Jane Doe / Programme Officer / Tel: ... / Email: ...")."""
    window_start = max(floor, start - 240)
    lo = bisect.bisect_left(persons, window_start, key=lambda p: p.start_char)
    hi = bisect.bisect_left(persons, start, key=lambda p: p.start_char)
    near = [p for p in persons[lo:hi] if p.end_char <= start]
    if near:
        return near[-1].text.strip(" \t\n,:;–-")
    before = doc_text(doc)[window_start:start]
    chunks = [c.strip() for c in before.split("\n")]
    for n, chunk in enumerate(reversed(chunks)):
        if n and ((chunk.endswith(":") and len(chunk.split()) >= 3) or len(chunk.split()) > 16):
            break  # the block's opener ("For more information, please contact:") or a paragraph
        persons, desks = _names_in(chunk, entity_texts)
        if persons or desks:
            return persons[-1] if persons else desks[0]
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
