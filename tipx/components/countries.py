"""Countries from names, short names, abbreviations, historic names and demonyms.

Surface forms come from pycountry (English names, and French, Portuguese and Spanish names
through its gettext catalogues) and from countries.json (aliases, historic names, demonyms in
English and in French/Portuguese/Spanish). Spelling variants are generated, not listed:
"Saint" -> "St"/"St.", "and" -> "&", demonym plurals and the inflections of Romance demonyms.

Forms are matched as written; a form is also matched regardless of case where the text sets
it in capitals (datelines, headlines: "DUSHANBE, TAJIKISTAN") or, for a form of several
words, in title case ("Republic Of Moldova"). Acronyms (US, UK, DRC) are only matched as
written, so "us", "in" or "no" can never become countries.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

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
        "homonym_cities": dict,
        "language_demonyms": list,
        "language_cues": list,
        "foreign_skip": list,
        "foreign_demonyms": dict,
    }
)
_NAME_ATTRS = ("name", "common_name", "official_name")
_LANGUAGES = ("fr", "pt", "es")


def _variants(form: str) -> set[str]:
    """'Saint Vincent and the Grenadines' -> St/St. and &/and spellings."""
    out = {form}
    if form.startswith("Saint ") or " Saint " in form:
        out |= {v.replace("Saint ", "St ") for v in out} | {v.replace("Saint ", "St. ") for v in out}
    if " and " in form:
        out |= {v.replace(" and ", " & ") for v in out}
    return out


def _usable(form: str) -> bool:
    # "Korea, Republic of" and "Saint Martin (French part)" are catalogue entries, not prose.
    return bool(form) and not any(c in form for c in ",()")


def _romance_inflections(form: str) -> set[str]:
    """Masculine singular demonym -> its feminine and plural forms (fr, pt, es)."""
    out = {form}
    if form.endswith("ien"):  # ivoirien -> ivoirienne, ivoiriens, ivoiriennes
        out |= {form + "ne", form + "s", form + "nes"}
    elif form.endswith(("ais", "ois")):  # congolais -> congolaise(s)
        out |= {form + "e", form + "es"}
    elif form.endswith(("ain", "an", "in")):  # marocain -> marocaine(s), marocains
        out |= {form + "e", form + "s", form + "es"}
    elif form.endswith("o"):  # moçambicano -> moçambicana, moçambicanos, moçambicanas
        out |= {form[:-1] + "a", form + "s", form[:-1] + "as"}
    elif form.endswith(("ês", "és")):  # português -> portuguesa, portugueses, portuguesas
        stem = form[:-2] + "es"
        out |= {stem + "a", stem + "es", stem + "as"}
    elif not form.endswith(("s", "x")):  # malgache -> malgaches, guineense -> guineenses
        out |= {form + "s"}
    return out


@lru_cache(maxsize=4)
def _translations(skip: frozenset[str]) -> dict[str, str]:
    """French, Portuguese and Spanish country names from pycountry's catalogues."""
    found: dict[str, set[str]] = {}
    for lang in _LANGUAGES:
        try:
            catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:  # a pycountry built without its locales
            continue
        for country in pycountry.countries:
            for attr in _NAME_ATTRS:
                value = getattr(country, attr, None)
                translated = catalogue.gettext(value) if value else None
                if translated and translated != value and _usable(translated) and translated not in skip:
                    found.setdefault(translated, set()).add(country.alpha_2)
    return {form: codes.pop() for form, codes in found.items() if len(codes) == 1}


def country_names(extra: dict) -> dict[str, str]:
    """Surface form -> ISO alpha-2, from pycountry plus our additions (countries.json)."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in _NAME_ATTRS:
            value = getattr(country, attr, None)
            if value and _usable(value):
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
    for form, iso2 in list(names.items()):
        for variant in _variants(form):
            names.setdefault(variant, iso2)
    # Romance names and demonyms never override an English form ("Chile", "Congo").
    foreign: dict[str, str] = dict(_translations(frozenset(extra["foreign_skip"])))
    for iso2, forms in extra["foreign_demonyms"].items():
        for form in forms:
            for inflected in _romance_inflections(form):
                foreign[inflected] = iso2
                foreign[inflected[:1].upper() + inflected[1:]] = iso2
    for form, iso2 in foreign.items():
        if form not in extra["foreign_skip"]:
            names.setdefault(form, iso2)
    for form, iso2 in list(names.items()):  # "Côte d’Ivoire" as typeset
        if "'" in form:
            names[form.replace("'", "’")] = iso2
    return names


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


def _caps_or_title(span: Span) -> bool:
    """Case-free matches count only where the text capitalises the whole run (or, for a
    name of several words, at least its first and last word)."""
    words = [t for t in span if t.is_alpha]
    if not words:
        return False
    if all(t.is_upper for t in words):
        return True
    return len(words) > 1 and all(t.text[:1].isupper() for t in (words[0], words[-1]))


def _inside_person_name(doc: Doc, span: Span) -> bool:
    return any(
        e.label_ == "PERSON"
        and e.start <= span.start
        and span.end <= e.end
        and len(e) > 1
        and all(t.text[:1].isupper() for t in e)
        for e in doc.ents
    )


class CountryMatcher(ResourceComponent):
    specs = {"names": NAMES}

    def build(self, data: dict) -> None:
        nlp = self.nlp
        data = data["names"]
        self.names = country_names(data)
        self.display = data["display_names"]
        self.values: dict[str, dict] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.caseless = PhraseMatcher(nlp.vocab, attr="LOWER")
        lowered: dict[str, set[str]] = {}
        for form, iso2 in self.names.items():
            self.matcher.add(iso2, [nlp.make_doc(form)])
            # an acronym's lower case is a word ("US" / "us"): never matched without its case
            lowered.setdefault(form.lower(), set()).add("" if _is_acronym(form) else iso2)
        for form, codes in lowered.items():
            if len(codes) == 1 and "" not in codes:  # one country, no acronym
                self.caseless.add(codes.pop(), [nlp.make_doc(form)])
        self.blocker = PhraseMatcher(nlp.vocab, attr="LOWER")  # "LATIN AMERICA" too
        blocks = {v.lower() for p in data["block"] for v in _variants(p)}
        self.blocker.add("BLOCK", [nlp.make_doc(p) for p in sorted(blocks)])
        self.block_label = nlp.vocab.strings["BLOCK"]
        self.homonym_cities = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.homonym_cities.add("CITY", [nlp.make_doc(c.lower()) for c in data["homonym_cities"]])
        # "benin" -> "NG": the name the city shares with a country, and where the city lies
        self.homonym_names = {c.rsplit(" ", 1)[0].lower(): home for c, home in data["homonym_cities"].items()}
        self.languages = set(data["language_demonyms"])
        self.language_cues = set(data["language_cues"])

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
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)]
        exact = {(s.start, s.end) for s in spans}
        for match_id, start, end in self.caseless(doc):
            span = Span(doc, start, end, label=match_id)
            if (start, end) not in exact and _caps_or_title(span):
                spans.append(span)
        # Block phrases compete with the country names: the longest wins, so "Latin America"
        # hides "America" but "Papua New Guinea" outlasts the block on "New Guinea".
        spans += [Span(doc, s, e, label=self.block_label) for _, s, e in self.blocker(doc)]
        spans = [s for s in filter_spans(spans) if s.label != self.block_label]
        spans = [s for s in spans if self._keep(doc, s)]
        if spans:
            spans = self._drop_homonym_city_names(doc, spans)
        for span in spans:
            span._.tipx_country = self.value(span.label_)
            for token in span:
                token._.is_country = True
        doc.spans["countries"] = spans
        return doc

    def _keep(self, doc: Doc, span: Span) -> bool:
        nxt = doc[span.end] if span.end < len(doc) else None
        # "Mexico City", "BENIN CITY": a city, not the country (Vatican City is the state).
        if nxt is not None and nxt.text in ("City", "CITY") and span.label_ != "VA":
            return False
        # "Ibero-American", "Afro-Caribbean": a combining form makes a region of it; a country
        # before the hyphen keeps both ("Malawi-Zambia border").
        if span.start >= 2 and doc[span.start - 1].text == "-" and not doc[span.start - 2].whitespace_:
            before = doc[span.start - 2]
            if before.is_alpha and before.text not in self.names and not doc[span.start - 1].whitespace_:
                return False
        # "available in French", "Portuguese-speaking", "a Russian interpreter": a language.
        if span.text in self.languages:
            after = doc[span.end + 1] if span.end + 1 < len(doc) else None
            if nxt is not None and (
                nxt.lower_ in self.language_cues
                or (nxt.text == "-" and after is not None and "-" + after.lower_ in self.language_cues)
            ):
                return False
            if any(e.label_ == "LANGUAGE" and e.start <= span.start < e.end for e in doc.ents):
                return False
            if self._after_in(doc, span.start) and (
                nxt is None or nxt.is_punct or nxt.is_space or nxt.lower_ in ("and", "or")
            ):
                return False
        # "Jordan Smith", "Chad Johnson": one word of a person's name.
        return not (len(span) == 1 and _inside_person_name(doc, span))

    def _after_in(self, doc: Doc, start: int) -> bool:
        """'in French', 'in English, French and Portuguese': the list opens with 'in'."""
        i = start - 1
        for _ in range(10):
            if i < 0:
                return False
            if doc[i].lower_ in ("in", "into"):
                return True
            if doc[i].lower_ not in (",", "and", "or") or i == 0:
                return False
            if doc[i - 1].text not in self.languages and doc[i - 1].text != "English":
                return False
            i -= 2
        return False

    def _drop_homonym_city_names(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Benin City lies in Nigeria, and Nigerian writers call it "Benin" ("the Benin Zonal
        Command", "in Benin on Monday"); the state there is "Benin Republic" or "the Republic of
        Benin". So where a document names the city or the country it lies in, a bare "Benin" is
        the city, unless it stands in a list of countries ("Nigeria, Benin and Togo")."""
        codes = {s.label_ for s in spans}
        named = {doc[s:e].text.rsplit(" ", 1)[0].lower() for _, s, e in self.homonym_cities(doc)}
        named |= {name for name, home in self.homonym_names.items() if home in codes}
        if not named:
            return spans
        starts = {s.start: s for s in spans}
        ends = {s.end: s for s in spans}
        kept = []
        for span in spans:
            if span.text.lower() in named and not self._stated_as_country(doc, span, starts, ends):
                continue
            kept.append(span)
        return kept

    @staticmethod
    def _stated_as_country(doc: Doc, span: Span, starts: dict, ends: dict) -> bool:
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lower_ == "republic":  # "Benin Republic"
            return True
        before = span.start - 1
        if before >= 0 and doc[before].lower_ in (",", "and", "or") and before in ends:
            return True  # "Nigeria, Benin"
        # "Benin and Togo"
        return nxt is not None and nxt.lower_ in (",", "and", "or") and span.end + 1 in starts


@Language.factory(
    "tipx_countries",
    default_config={"names": "countries.json"},
    assigns=["doc.spans", "span._.tipx_country", "token._.is_country"],
)
def make_countries(nlp: Language, name: str, names: str) -> CountryMatcher:
    return CountryMatcher(nlp, name, names=names)
