"""The gazetteer of known bodies: phrase matchers over names, aliases and acronyms."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ...normalise import norm_key
from .acronyms import in_caps_run
from .context import Candidate


def _loose(name: str) -> str:
    words = norm_key(name).replace("-", "").split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


class Gazetteer:
    def __init__(self, nlp: Language, entries: list[dict]):
        self.entries = entries
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronym_entries: dict[str, list[int]] = {}
        self.name_index: dict[str, int] = {}  # normalised name or alias -> entry
        self.loose_index: dict[str, int] = {}  # the same without plural endings
        for i, entry in enumerate(entries):
            forms = [entry["name"], *entry.get("aliases", [])]
            for form in forms:
                self.name_index.setdefault(norm_key(form), i)
                self.loose_index.setdefault(_loose(form), i)
            if entry.get("acronym"):
                forms.append(entry["acronym"])
                self.acronym_entries.setdefault(entry["acronym"], []).append(i)
            for form in forms:
                doc = nlp.make_doc(form)
                target = self.exact if len(doc) == 1 or form.isupper() else self.lower
                target.add(str(i), [doc])

    def info(self, i: int) -> dict:
        entry = self.entries[i]
        return {
            "key": f"gaz:{i}",
            "name": entry["name"],
            "acronym": entry.get("acronym"),
            "kind": entry.get("kind", "organisation"),
        }

    def lookup(self, name: str) -> int | None:
        """The entry of a name; a long name also without plural endings ('United Nation Office on
        Drugs and Crime', 'Organisation for Security and Cooperation in Europe')."""
        key = norm_key(name)
        found = self.name_index.get(key)
        if found is None and key.count(" ") >= 3:
            found = self.loose_index.get(_loose(name))
        return found

    def _in_compound(self, span) -> bool:
        """'ACP-EU': a known acronym hyphened to an unknown one is part of another name (the
        ACP-EU partnership); 'EU-funded' and 'EU-IOM' are still the EU."""
        doc = span.doc
        for hyphen, other, before in (
            (span.start - 1, span.start - 2, span.start - 2),
            (span.end, span.end + 1, span.end - 1),
        ):
            if not (0 <= other < len(doc) and doc[hyphen].text in ("-", "–")):
                continue
            joined = not doc[hyphen].whitespace_ and not doc[before].whitespace_
            word = doc[other].text
            if joined and word.isupper() and len(word) > 1 and word not in self.acronym_entries:
                return True
        return False

    def find(self, doc: Doc) -> list[Candidate]:
        found = []
        named = set()
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                entry = int(doc.vocab.strings[match_id])
                span = doc[start:end]
                is_acronym = span.text == self.entries[entry].get("acronym")
                if not is_acronym:
                    named.add(entry)
                found.append((span, entry, is_acronym))
        out = []
        for span, entry, is_acronym in found:
            if is_acronym:
                if in_caps_run(span) or self._in_compound(span):
                    continue
                choices = self.acronym_entries.get(span.text, [entry])
                if len(choices) > 1 and entry not in named and any(c in named for c in choices):
                    continue
                if self.entries[entry].get("acronym_needs_name") and entry not in named:
                    continue
            out.append(Candidate(span, "gazetteer", entry))
        return out
