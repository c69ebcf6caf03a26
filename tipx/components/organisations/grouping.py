"""Grouping mentions into organisations: overlaps, canonical names, offices, prefixes."""

from __future__ import annotations

import re

from spacy.tokens import Span

from ...normalise import norm_key
from .context import Candidate
from .gazetteer import Gazetteer


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


class Grouper:
    def __init__(self, gazetteer: Gazetteer, office_words: list[str]):
        self.gazetteer = gazetteer
        self.office_words = {norm_key(x) for x in office_words}

    def describe(self, cand: Candidate, acronym: str | None) -> dict | None:
        """The identity of a candidate: a gazetteer entry, a bare acronym, or a name key."""
        if cand.entry is None and cand.source != "acronym":
            # a pattern that spelled out a known name ("International Organization for Migration (IOM)")
            cand.entry = self.gazetteer.lookup(cand.name or display_name(cand.span))
        if cand.entry is not None:
            return self.gazetteer.info(cand.entry)
        if cand.source == "acronym":
            return {"key": f"acr:{cand.name}", "name": None, "acronym": cand.name, "kind": "organisation"}
        name = cand.name or display_name(cand.span)
        parent = self.office_parent(cand.span)
        if parent is not None:
            return parent
        key = norm_key(name)
        key = re.sub(r"(services|forces)$", lambda m: m.group(1)[:-1], key)
        return {"key": f"name:{key}", "name": name, "acronym": acronym, "kind": "organisation"}

    def office_parent(self, span: Span) -> dict | None:
        """'IOM Regional Office for Southern Africa', 'UNODC Southern Africa' -> the parent body."""
        entries = self.gazetteer.acronym_entries.get(span[0].text)
        if not entries or len(span) < 2:
            return None
        rest = span[1:]
        rest_key = norm_key(" ".join(t.text for t in rest))
        if any(rest_key.startswith(w) for w in self.office_words) or all(
            t._.is_country or t.ent_type_ in ("GPE", "LOC") or not t.text[:1].isupper() for t in rest
        ):
            return self.gazetteer.info(entries[0])
        return None


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
