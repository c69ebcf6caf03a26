"""Phones: telephone, mobile, fax and hotline numbers, normalised to E.164 by ``phonenumbers``.

A number written with its international prefix ("+266 2232 0011", "(+373) 22 254 525") is
taken when phonenumbers finds it possible for its country. One written without it ("0800 222
777", "116") takes the country the document is about (its first country mention: the dateline
or the office's country) and counts only after a cue on the same line ("Tel:", "call",
"toll-free"), since a bare digit run is more often a count, a year or a reference. Nothing
inside a date is a number.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberFormat, shortnumberinfo
from spacy.language import Language
from spacy.tokens import Doc

from ..provenance import doc_text, sentence_of
from ..resources import Spec
from .base import ResourceComponent
from .contacts import contact_name, people

VOCABULARY = Spec(keys={"cues": list, "cue_window_chars": int, "min_digits": int, "max_digits": int})

# A digit run with the separators people write: "+266 2232 0011", "(+373) 22 254 525",
# "+27 (0)12 342-2789", "0800 222 777". Each repetition is bounded, so matching is linear.
_CANDIDATE = re.compile(
    r"(?<![\w+/.,-])(?:\(?\+ ?|00)?\(?\d{1,5}\)?(?:[ .\-\u00a0]{1,2}\(?\d{1,6}(?:\)\d{0,6})?){0,7}(?![\w/])"
)
# between two numbers of one contact: "/", "or", ",", a label in brackets ("(office) or ")
_NEXT_NUMBER = re.compile(r"(?i)\s{0,3}(?:\([a-z ]{1,16}\)\s{0,3})?(?:/|,|;|\||or|and)\s{0,3}")
_MONEY_BEFORE = re.compile(r"(?:[$€£¥₦]|\b(?:US\$|USD|EUR|GBP|ZAR|[A-Z]{3}))\s?$")


class PhoneFinder(ResourceComponent):
    specs = {"vocabulary": VOCABULARY}

    def build(self, data: dict) -> None:
        v = data["vocabulary"]
        cues = sorted((re.escape(c) for c in v["cues"]), key=len, reverse=True)
        # a cue, then only punctuation, spaces, "us on", "number": "Tel:", "call the hotline on"
        self.cue = re.compile(r"(?i)\b(?:%s)\b[^\n\w]{0,6}(?:[a-z]{1,12}[^\n\w]{1,3}){0,4}$" % "|".join(cues))
        self.window = v["cue_window_chars"]
        self.min_digits, self.max_digits = v["min_digits"], v["max_digits"]

    def process(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        dates = sorted((s.start_char, s.end_char) for s in doc.spans.get("dates", []))
        countries = doc.spans.get("countries", [])
        region = countries[0]._.tipx_country["iso2"] if countries else None
        persons, entity_texts = people(doc)
        spans, previous_end, previous = [], 0, ""
        for m in _CANDIDATE.finditer(text):
            raw = m.group().strip()
            digits = sum(c.isdigit() for c in raw)
            if not self.min_digits <= digits <= self.max_digits:
                continue
            if any(s < m.end() and m.start() < e for s, e in dates):
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = text[max(line_start, m.start() - self.window) : m.start()]
            if _MONEY_BEFORE.search(before):
                continue
            cued, here = bool(self.cue.search(before)), region
            if spans and _NEXT_NUMBER.fullmatch(text[previous_end : m.start()]):
                # "Tel: +373 22 23 43 45 (office) or 069 123 456": the cue and the country
                # of the number just before
                cued, here = True, phonenumbers.region_code_for_number(phonenumbers.parse(previous))
            number = self._number(raw, here, cued=cued)
            if number is None:
                continue
            previous = number
            span = doc.char_span(m.start(), m.start() + len(raw), alignment_mode="expand")
            if span is None:
                continue
            span._.tipx_phone = {
                "number": number,
                "name": contact_name(doc, m.start(), previous_end, persons, entity_texts),
                "text": raw,
                "start_char": m.start(),
                "end_char": m.start() + len(raw),
                "sentence": sentence_of(span),
            }
            previous_end = m.end()
            spans.append(span)
        doc.spans["phones"] = spans
        return doc

    @staticmethod
    def _number(raw: str, region: str | None, cued: bool) -> str | None:
        international = raw.lstrip("(").startswith(("+", "00"))
        if not international and not (cued and region):
            return None
        try:
            parsed = phonenumbers.parse(raw, None if international else region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_possible_number(parsed) and (
            international or phonenumbers.is_valid_number(parsed)
        ):
            return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        if cued and not international and shortnumberinfo.is_valid_short_number(parsed):
            return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        if cued and not international and raw[:1] in "123456789":
            # a foreign number written without its "+": "Hotline 1-800-555-0199" in Kenya
            try:
                foreign = phonenumbers.parse("+" + raw, None)
            except phonenumbers.NumberParseException:
                return None
            if phonenumbers.is_valid_number(foreign):
                return phonenumbers.format_number(foreign, PhoneNumberFormat.E164)
        return None


@Language.factory(
    "tipx_phones",
    default_config={"vocabulary": "phones.json"},
    assigns=["doc.spans", "span._.tipx_phone"],
    requires=["doc.spans", "span._.tipx_country", "span._.tipx_date"],  # its country; never a date
)
def make_phones(nlp: Language, name: str, vocabulary: str) -> PhoneFinder:
    return PhoneFinder(nlp, name, vocabulary=vocabulary)
