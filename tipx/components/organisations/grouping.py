"""Grouping mentions into organisations: overlaps, canonical names, offices, prefixes."""

from __future__ import annotations

import re

from spacy.tokens import Span

from ...normalise import norm_key
from .context import Candidate
from .gazetteer import Gazetteer
from .names import POSSESSIVE


def filter_spans_keep(cands: list[Candidate]) -> list[Candidate]:
    """Longest non-overlapping candidates; at equal length the gazetteer wins."""
    priority = {"government": 0, "gazetteer": 1}
    order = sorted(
        cands,
        key=lambda c: (
            c.source != "government",
            -(c.span.end - c.span.start),
            priority.get(c.source, 2),
            c.span.start,
        ),
    )
    taken: set[int] = set()
    out = []
    for c in order:
        rng = set(range(c.span.start, c.span.end))
        if rng & taken:
            continue
        taken |= rng
        out.append(c)
    return sorted(out, key=lambda c: c.span.start)


def display_name(span: Span) -> str:
    text = re.sub(r"\s+", " ", span.text).strip()
    text = re.sub(r"^(?:the|The)\s", "", text)
    text = re.sub(r"\s*\([^()]{1,15}\)\s*", " ", text).strip()  # "Trafficking in Persons (TiP) Secretariat"
    return text


def _after_countries(span: Span) -> Span | None:
    """The name after a leading country word, if any: 'German Federal Ministry ...'."""
    k = span.start + (span[0].lower_ == "the")
    start = k
    while k < span.end and span.doc[k]._.is_country:
        k += 1
    return span.doc[k : span.end] if start < k < span.end - 1 else None


def _country_codes(span: Span) -> list[str]:
    countries = span.doc.spans.get("countries", [])
    return sorted({c._.tipx_country["iso2"] for c in countries if span.start <= c.start < span.end})


_OFFICE_MODIFIERS = {
    "regional",
    "sub-regional",
    "subregional",
    "sub",
    "-",
    "country",
    "national",
    "field",
    "liaison",
    "special",
    "programme",
    "project",
    "area",
    "local",
    "provincial",
    "district",
    "coordination",
    "representation",
}


_ORGANS = frozenset({"commission", "centre", "center"})


class Grouper:
    def __init__(self, gazetteer: Gazetteer, office_words: list[str]):
        self.gazetteer = gazetteer
        self.office_words = {norm_key(x) for x in office_words}
        # "ECOWAS Commission", "OSCE Centre in Bishkek": after a known acronym, the body's own
        # organ or field presence ('UN Centre for Human Rights' is a body of its own)
        self.parent_words = self.office_words | _ORGANS

    def describe(self, cand: Candidate, acronym: str | None, defined: dict[str, dict]) -> dict:
        """The identity of a candidate: a gazetteer entry or a name key. `defined` maps the
        acronyms this text defines to their bodies: there a text's definition outranks the
        gazetteer's ('Attorney General's Office (PGR)' is not the gazetteer's PGR)."""
        bare = cand.name if cand.source == "acronym" else cand.span.text
        if bare in defined:
            return dict(defined[bare])
        if cand.entry is None:
            # a pattern that spelled out a known name ("International Organization for Migration (IOM)")
            cand.entry = self.gazetteer.lookup(cand.name or display_name(cand.span))
            if cand.entry is None and cand.name is None:
                # "German Federal Ministry for Economic Cooperation and Development" is the BMZ
                rest = _after_countries(cand.span)
                if rest is not None:
                    cand.entry = self.gazetteer.lookup(display_name(rest))
        if cand.source == "government":
            codes = _country_codes(cand.span)
            if codes:  # "British Government", "UK Government", "Government of the United Kingdom"
                key, name = "gov:" + "+".join(codes), display_name(cand.span)
                return {"key": key, "name": name, "acronym": None, "kind": "organisation"}
        if cand.entry is not None:
            return self.gazetteer.info(cand.entry)
        name = cand.name or display_name(cand.span)
        parent = self.office_parent(cand.span, defined)
        if parent is not None:
            return parent
        key = norm_key(name)
        key = re.sub(r"(services|forces)$", lambda m: m.group(1)[:-1], key)
        info = {"key": f"name:{key}", "name": name, "acronym": acronym, "kind": "organisation"}
        qualified = _country_qualifier(cand.span) if cand.name is None else None
        if qualified is not None:  # "Supreme Court" of Serbia
            code, full = qualified
            info["key"] += "@" + code
            info["qualified"] = full
        return info

    def _acronym_body(self, acronym: str, defined: dict[str, dict]) -> dict | None:
        """The body an acronym names: the text's own definition, else the gazetteer's."""
        if acronym in defined:
            return dict(defined[acronym])
        entries = self.gazetteer.acronym_entries.get(acronym)
        return self.gazetteer.info(entries[0]) if entries else None

    def office_parent(self, span: Span, defined: dict[str, dict]) -> dict | None:
        """'IOM Regional Office for Southern Africa', 'UNODC Southern Africa', 'IOM's Special
        Liaison Office to the African Union' -> the parent body."""
        doc = span.doc
        if (
            span.start >= 2
            and doc[span.start - 1].text in POSSESSIVE
            and not doc[span.start - 2].whitespace_
            and self._is_office(list(span))
        ):
            parent = self._acronym_body(doc[span.start - 2].text, defined)
            if parent is not None:
                return parent
        if (
            span.start >= 3
            and doc[span.start - 1].text == ")"
            and doc[span.start - 3].text == "("
            and (self._is_office(list(span)) or self._place_office(list(span)))
        ):
            # "International Organization for Migration (IOM) Kampala Office"
            parent = self._acronym_body(doc[span.start - 2].text, defined)
            if parent is not None:
                return parent
        parent = self._acronym_body(span[0].text, defined)
        if parent is None or len(span) < 2:
            return None
        rest = span[1:]
        rest_key = norm_key(" ".join(t.text for t in rest))
        if (
            any(rest_key.startswith(w) for w in self.office_words)
            or self._is_office(list(rest))
            or self._place_office(list(rest))
            or all(t._.is_country or t.ent_type_ in ("GPE", "LOC") or not t.text[:1].isupper() for t in rest)
        ):
            return parent
        return None

    def _is_office(self, words: list) -> bool:
        """'Regional Office for Southern Africa', 'Special Liaison Office to the African Union',
        'Country Office': an office word after modifiers only ('Office of the Prosecutor' and
        'Office on Drugs and Crime' are bodies of their own)."""
        for k, token in enumerate(words):
            if norm_key(token.text) in self.parent_words and token.text[:1].isupper():
                after = words[k + 1].lower_ if k + 1 < len(words) else ""
                allowed = ("", "in") if norm_key(token.text) in _ORGANS else ("", "for", "to", "in")
                return after in allowed and all(t.lower_ in _OFFICE_MODIFIERS for t in words[:k])
        return False

    def _place_office(self, words: list) -> bool:
        """'Kampala Office', 'Budapest Sub-Office': a place (one or two capitalised words)
        and an office word."""
        if not 2 <= len(words) <= 5:
            return False
        for k in range(1, min(3, len(words) - 1) + 1):
            if norm_key(" ".join(t.text for t in words[k:])) in self.office_words:
                return all(t.text[:1].isupper() and t.is_alpha for t in words[:k])
        return False


def _country_qualifier(span: Span) -> tuple[str, str] | None:
    """The country after a name that the naming patterns left out: 'Supreme Court' [of Serbia]."""
    doc = span.doc
    k = span.end
    if k + 1 >= len(doc) or doc[k].lower_ != "of":
        return None
    k += 1 + (doc[k + 1].lower_ == "the")
    for country in doc.spans.get("countries", []):
        if country.start == k:
            return country._.tipx_country["iso2"], display_name(doc[span.start : country.end])
    return None


def qualified_names(spans: list[Span]) -> None:
    """A name stripped of its country ('Prosecutor General's Office' of Moldova) is one body
    with its bare mentions when one country is named; 'Supreme Court of Kenya' and 'Supreme
    Court of Ghana' in one text keep their countries apart."""
    by_base: dict[str, dict[str, dict]] = {}
    for span in spans:
        info = span._.tipx_org
        if "@" in info["key"]:
            base = info["key"].split("@")[0]
            by_base.setdefault(base, {}).setdefault(info["key"], info)
    for span in spans:
        info = span._.tipx_org
        base = info["key"].split("@")[0]
        variants = by_base.get(base, {})
        if len(variants) == 1 and "@" not in info["key"]:
            span._.tipx_org = dict(next(iter(variants.values())))
        elif len(variants) > 1 and "@" in info["key"]:
            span._.tipx_org = {**info, "name": info["qualified"]}
    for span in spans:
        span._.tipx_org.pop("qualified", None)


def merge_country_forms(spans: list[Span]) -> None:
    """'the Border Police' is the 'Afghan Border Police' named in the same text (when one
    country's is named)."""
    longer: dict[str, list[dict]] = {}
    for span in spans:
        info = span._.tipx_org
        rest = _after_countries(span) if info["key"].startswith("name:") else None
        if rest is not None:
            forms = longer.setdefault("name:" + norm_key(display_name(rest)), [])
            if all(f["key"] != info["key"] for f in forms):
                forms.append(info)
    for span in spans:
        forms = longer.get(span._.tipx_org["key"], [])
        if len(forms) == 1:
            span._.tipx_org = dict(forms[0])


def merge_prefixes(spans: list[Span]) -> None:
    """'Ministry of Gender' is the 'Ministry of Gender Equality, Poverty Eradication and ...'
    named earlier or later in the same text."""
    names = {}
    for span in spans:
        info = span._.tipx_org
        if info["key"].startswith("name:"):
            names.setdefault(info["key"], info)
    for span in spans:
        info = span._.tipx_org
        if not info["key"].startswith("name:"):
            continue
        short = info["key"][5:]
        longer = [
            other
            for key, other in names.items()
            if key != info["key"] and key[5:].startswith(short + " ") and " of " in f" {short} "
        ]
        if len(longer) == 1:
            span._.tipx_org = dict(longer[0])
