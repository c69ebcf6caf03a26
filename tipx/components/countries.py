"""Countries from names, short names, abbreviations, historic names and demonyms."""

from __future__ import annotations

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..normalise import country_name
from ..resources import Spec
from .base import ResourceComponent

NAMES = Spec(
    keys={
        "aliases": dict,
        "historic": dict,
        "demonyms": dict,
        "no_plural": list,
        "block": list,
        "display_names": dict,
    }
)


def country_names(extra: dict) -> dict[str, str]:
    """Surface form -> ISO alpha-2, from pycountry plus our additions."""
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


class CountryMatcher(ResourceComponent):
    specs = {"names": NAMES}

    def build(self, data: dict) -> None:
        vocab = data["names"]
        self.names = country_names(vocab)
        self.display = vocab["display_names"]
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for form, iso2 in self.names.items():
            self.matcher.add(iso2, [self.nlp.make_doc(form)])
        self.blocker = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.blocker.add("BLOCK", [self.nlp.make_doc(p) for p in vocab["block"]])
        self.values: dict[str, dict] = {}

    def value(self, iso2: str) -> dict:
        """The normalised value of a country: its display name and codes."""
        if iso2 not in self.values:
            self.values[iso2] = {
                "iso2": iso2,
                "iso3": pycountry.countries.get(alpha_2=iso2).alpha_3,
                "name": self.display.get(iso2) or country_name(iso2),
            }
        return self.values[iso2]

    def process(self, doc: Doc) -> Doc:
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
            span._.tipx_country = self.value(span.label_)
            for token in span:
                token._.is_country = True
        doc.spans["countries"] = spans
        return doc


@Language.factory(
    "tipx_countries",
    default_config={"names": "countries.json"},
    assigns=["doc.spans", "span._.tipx_country", "token._.is_country"],
)
def make_countries(nlp: Language, name: str, names: str) -> CountryMatcher:
    return CountryMatcher(nlp, name, names=names)
