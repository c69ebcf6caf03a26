"""Countries from names, short names, abbreviations, historic names and demonyms."""

from __future__ import annotations

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..resources import load_json


def country_names(resource: str) -> dict[str, str]:
    """Surface form -> ISO alpha-2, from pycountry plus our additions."""
    extra = load_json(resource)
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names[value] = country.alpha_2
    for key in ("aliases", "historic"):
        for iso2, forms in extra[key].items():
            for form in forms:
                names[form] = iso2
    no_plural = set(extra["no_plural"])
    for iso2, forms in extra["demonyms"].items():
        for form in forms:
            names[form] = iso2
            if form not in no_plural and not form.endswith(("s", "ese")):
                names[form + "s"] = iso2
    for form, iso2 in list(names.items()):  # "Côte d’Ivoire" as typeset
        if "'" in form:
            names[form.replace("'", "’")] = iso2
    return names


class CountryMatcher:
    def __init__(self, nlp: Language, resource: str):
        self.names = country_names(resource)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for form, iso2 in self.names.items():
            self.matcher.add(iso2, [nlp.make_doc(form)])
        self.blocker = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.blocker.add("BLOCK", [nlp.make_doc(p) for p in load_json(resource)["block"]])

    def __call__(self, doc: Doc) -> Doc:
        blocked: set[int] = set()
        for _, start, end in self.blocker(doc):
            blocked.update(range(start, end))
        spans = [
            Span(doc, start, end, label=match_id)
            for match_id, start, end in self.matcher(doc)
            if not blocked.intersection(range(start, end))
        ]
        spans = filter_spans(spans)
        for span in spans:
            span._.tipx_country = span.label_
            for token in span:
                token._.is_country = True
        doc.spans["countries"] = spans
        return doc


def country_name(iso2: str) -> str:
    country = pycountry.countries.get(alpha_2=iso2)
    display = load_json("countries.json")["display_names"]
    return display.get(iso2) or getattr(country, "common_name", None) or country.name


def country_record(iso2: str, mentions: list[dict]) -> dict:
    country = pycountry.countries.get(alpha_2=iso2)
    return {"name": country_name(iso2), "iso2": iso2, "iso3": country.alpha_3, "mentions": mentions}


@Language.factory("tipx_countries", default_config={"resource": "countries.json"})
def make_countries(nlp: Language, name: str, resource: str) -> CountryMatcher:
    return CountryMatcher(nlp, resource)
