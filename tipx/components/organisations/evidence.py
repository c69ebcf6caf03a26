"""Names with no organisation word ('Haki Kwanza', 'Ncell', 'SafeHome9ja', 'La Strada'),
accepted on evidence from their context.

Candidates are runs of capitalised words (and, with a statistical model, its ORG entities)
not already taken by the gazetteer or the naming patterns. Evidence is gathered over every
mention of the same name in the document:
- strong: an apposition ("X, a local NGO", "X, the mobile operator") or an introducer ("the
  NGO X", "the charity X");
- weak: a role verb after it ("X organised / trained / donated ..."), a member noun next to it
  ("X staff", "lawyers of X"), a defined acronym ("X (XYZ)"), a coordination with an
  organisation ("X and the Ministry of Y"), the model's ORG label.
A name is accepted on one strong or two different weak kinds. People (the model's PERSON, a
title before the name), places (countries, GPE/LOC), laws, plans and events are rejected.
Everything is one pass over the tokens plus constant work per candidate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ...normalise import norm_key
from .acronyms import ACRONYM
from .context import Candidate, DocContext
from .names import POSSESSIVE, is_name_word

STRONG = ("apposition", "introducer")
WEAK = ("role", "member", "acronym", "coordination", "ner")
_DETERMINERS = {"a", "an", "the", "its", "their", "our", "local", "this"}
_AUXILIARIES = {
    "has",
    "have",
    "had",
    "will",
    "would",
    "also",
    "now",
    "recently",
    "then",
    "already",
    "is",
    "was",
}
_REJECT_LABELS = {
    "PERSON",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "LAW",
    "EVENT",
    "DATE",
    "TIME",
    "MONEY",
    "WORK_OF_ART",
}


@dataclass
class _Name:
    spans: list[Span] = field(default_factory=list)
    evidence: set[str] = field(default_factory=set)
    person: bool = False  # the model calls some mention a person or a place
    caps: bool = False  # all capitals ('ASTRA'): a heading or acronym unless introduced


class EvidenceFinder:
    def __init__(self, v: dict, enabled: frozenset[str], heads: set[str], job_titles: set[str]):
        self.enabled = enabled
        self.descriptors = set(v["descriptors"])
        self.role_verbs = set(v["role_verbs"])
        self.member_nouns = set(v["member_nouns"])
        self.not_org_heads = set(v["not_organisation_heads"])
        self.job_titles = job_titles
        self.titles = {t.lower() for t in v["person_titles"]} | job_titles
        self.inner = set(v["inner_connectors"])
        self.leading_stop = set(v["leading_stopwords"])
        self.never = set(v["never_in_names"])
        self.heads = heads
        self.list_introducers = set(v["list_introducers"])
        self.not_orgs = {norm_key(x) for x in v["not_organisations"]}

    @property
    def active(self) -> bool:
        return any(kind in self.enabled for kind in STRONG + WEAK)

    # ------------------------------------------------------------------ candidates

    def _runs(self, ctx: DocContext, taken: set[int]) -> list[Span]:
        doc = ctx.doc
        out, i, n = [], 0, len(doc)
        while i < n:
            if doc[i].idx < ctx.title_end or i in taken or not is_name_word(doc[i].text):
                i += 1
                continue
            start = i
            while (
                i < n
                and i not in taken
                and (
                    is_name_word(doc[i].text)
                    or (
                        doc[i].lower_ in self.inner
                        and i + 1 < n
                        and is_name_word(doc[i + 1].text)
                        and not doc[i].is_sent_start
                    )
                )
            ):
                i += 1
                if i < n and doc[i].is_sent_start:
                    break
            span = self._trim(doc[start:i])
            if span is not None:
                out.append(span)
        if ctx.has_entities and "ner" in self.enabled:
            seen = {(s.start, s.end) for s in out}
            for ent in doc.ents:
                if ent.label_ != "ORG" or any(t in taken for t in range(ent.start, ent.end)):
                    continue
                span = self._trim(ent)
                if span is not None and (span.start, span.end) not in seen and span[0].idx >= ctx.title_end:
                    seen.add((span.start, span.end))
                    out.append(span)
        return out

    def _trim(self, span: Span) -> Span | None:
        doc = span.doc
        start, end = span.start, span.end
        while start < end and (
            doc[start].lower_ in self.leading_stop
            or doc[start].lower_ in self.descriptors  # "the NGO Bon Pasteur"
            or not is_name_word(doc[start].text)
        ):
            start += 1
        while end > start and (doc[end - 1].text in POSSESSIVE or not is_name_word(doc[end - 1].text)):
            end -= 1
        if start >= end or end - start > 6:
            return None
        if any(not is_name_word(t.text) and t.lower_ not in self.inner for t in doc[start:end]):
            return None  # "Trafficking in Persons" is a topic
        return doc[start:end]

    # ------------------------------------------------------------------ evidence

    def _rejected(self, ctx: DocContext, span: Span) -> bool:
        """Not an organisation whatever the context says."""
        doc = ctx.doc
        words = list(span)
        if any(t.text in self.heads for t in words):
            return True  # a name with a head word is the naming patterns' business
        if all(t._.is_country for t in words) or words[-1].text in self.not_org_heads:
            return True
        if any(t.lower_ in self.never or t.like_num for t in words) or norm_key(span.text) in self.not_orgs:
            return True
        if any(t.lower_ in self.job_titles or t.lower_[:-1] in self.job_titles for t in words):
            return True  # "National Press Officer"
        if words[0].lower_ in self.titles or (all(t.is_upper for t in words) and len(words) > 3):
            return True  # job titles; headings
        # "Ms Sonia Hazel", "Inspector Jane Doe"
        return span.start > 0 and doc[span.start - 1].lower_.rstrip(".") in self.titles

    def _person_or_place(self, ctx: DocContext, span: Span) -> bool:
        """The model calls it a person or a place: only strong evidence counts then."""
        if not (ctx.has_entities and "ner" in self.enabled):
            return False
        labels = {t.ent_type_ for t in span if t.ent_type_}
        return bool(labels & _REJECT_LABELS) and "ORG" not in labels

    def _descriptor_at(self, doc: Doc, k: int) -> bool:
        """doc[k] is an organisation noun heading its phrase ('NGO', 'shelter', 'operator')."""
        if k >= len(doc) or doc[k].lower_ not in self.descriptors:
            return False
        nxt = doc[k + 1] if k + 1 < len(doc) else None
        return (
            nxt is None
            or not nxt.is_alpha
            or nxt.is_stop
            or nxt.lower_.endswith("ing")
            or nxt.lower_ == "based"
        )

    def _apposition(self, doc: Doc, span: Span) -> bool:
        """'X, a Mombasa-based group that ...', 'X, the mobile operator, ...'."""
        k = span.end
        if k + 2 >= len(doc) or doc[k].text != "," or doc[k + 1].lower_ not in _DETERMINERS:
            return False
        for j in range(k + 2, min(k + 8, len(doc))):
            if doc[j].lower_ in self.job_titles or doc[j].lower_[:-1] in self.job_titles:
                return False  # "X, the acting chief of the Organization ...": a person
            if self._descriptor_at(doc, j) and not doc[j].is_title:
                return True
            if doc[j].is_punct and doc[j].text != "-" or doc[j].lower_ in ("who", "which", "that"):
                return False
        return False

    def _listed_items(self, ctx: DocContext) -> set[int]:
        """Starts of the names listed after a plural introducer: 'the NGOs Alpha, Beta and
        Gamma', 'local partners Sunrise, Harbour and Lantern'."""
        doc = ctx.doc
        out: set[int] = set()
        for token in doc:
            k = token.i
            if token.lower_ not in self.list_introducers or token.is_title or token.idx < ctx.title_end:
                continue
            if not any(doc[j].lower_ in _DETERMINERS for j in range(max(0, k - 3), k)):
                continue
            i, items = k + 1, []
            while i < len(doc) and is_name_word(doc[i].text) and not doc[i]._.is_country:
                items.append(i)
                while i < len(doc) and (
                    is_name_word(doc[i].text)
                    or (doc[i].lower_ in self.inner and i + 1 < len(doc) and is_name_word(doc[i + 1].text))
                ):
                    i += 1
                if i + 1 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ in ("and", "&"):
                    i += 1  # an Oxford comma
                if i + 1 < len(doc) and doc[i].lower_ in (",", "and", "&"):
                    i += 1
                else:
                    break
            out.update(items)
        return out

    def _introducer(self, doc: Doc, span: Span, listed: set[int] | frozenset[int] = frozenset()) -> bool:
        """'the NGO X', 'the local NGO X', 'the mobile operator X'."""
        if span.start in listed:
            return True
        k = span.start - 1
        if k < 1 or doc[k].lower_ not in self.descriptors or doc[k].is_title:
            return False  # a common noun ("the charity X", "the NGO X"), not a name's end ("Union")
        if doc[k].is_upper and not is_name_word(doc[k - 1].text):
            return True  # "staff of NGO X": an abbreviation ('NGO', 'CSO') needs no article
        return any(doc[j].lower_ in _DETERMINERS for j in range(max(0, k - 4), k))

    def _role(self, doc: Doc, span: Span, org_starts: dict[int, int] | None = None) -> bool:
        k = end = (
            self._list_end(doc, span.end, org_starts or {}) if self._opens_clause(doc, span) else span.end
        )
        while k < len(doc) and k < end + 3 and doc[k].lower_ in _AUXILIARIES:
            k += 1
        return k < len(doc) and doc[k].lower_ in self.role_verbs

    def _opens_clause(self, doc: Doc, span: Span) -> bool:
        """The list the name is in opens its clause, so the list may be the verb's subject;
        'officers from X, Y and the Ministry of Z received': the verb is the officers'."""
        k = span.start - 1
        while k >= 0 and not doc[k + 1].is_sent_start:
            token = doc[k]
            inside = token.lower_ in ("of", "for", "on") or token.lower_ in self.inner
            if not (
                token.text in (",", "&")
                or token.lower_ in ("and", "the")
                or (is_name_word(token.text) and token.lower_ not in self.leading_stop)
                or (inside and k > 0 and is_name_word(doc[k - 1].text))
            ):
                break
            k -= 1
        return k < 0 or doc[k + 1].is_sent_start or (doc[k].is_punct and doc[k].text not in ("(", "-"))

    def _list_end(self, doc: Doc, k: int, org_starts: dict[int, int]) -> int:
        """Where the coordination that follows a name ends: 'X, Y and the Ministry of Z train
        ...' -> at 'train', so what the list does, its first items do. k itself if no list
        joined by 'and' follows."""
        start, joined, i = k, False, k
        while i < len(doc) and i - start < 25 and not (i > start and doc[i].is_sent_start):
            token = doc[i]
            if token.lower_ in (",", "and", "&"):
                joined |= token.lower_ != ","
                i += 1
            elif token.lower_ == "the" or is_name_word(token.text):
                i = org_starts.get(i, i + 1)
            elif token.lower_ in self.inner and i + 1 < len(doc) and is_name_word(doc[i + 1].text):
                i += 1
            else:
                break
        if not joined or i == start or not is_name_word(doc[i - 1].text):
            return start
        return i

    def _member(self, doc: Doc, span: Span) -> bool:
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and after.lower_ in self.member_nouns:
            return True
        k = span.start - 1
        if k >= 0 and doc[k].lower_ == "the":
            k -= 1
        return k >= 1 and doc[k].lower_ == "of" and doc[k - 1].lower_ in self.member_nouns

    def _acronym(self, doc: Doc, span: Span) -> bool:
        k = span.end
        return (
            k + 2 < len(doc)
            and doc[k].text == "("
            and doc[k + 2].text == ")"
            and bool(ACRONYM.match(doc[k + 1].text))
            and doc[k + 1].text[0].upper() in {t.text[0].upper() for t in span}
        )

    def _coordination(self, doc: Doc, span: Span, org_ends: set[int], org_starts: dict[int, int]) -> bool:
        """'X and the Ministry of Y', 'UNICEF, X and Y'. A comma alone is no list: 'Thandiwe
        Mwale, IOM Malawi' signs a contact."""
        k = span.start - 1
        if k >= 1 and doc[k].lower_ in ("and", "&", ",") and (k - 1) in org_ends:
            return doc[k].text != "," or self._listed(doc, span.end)
        k = span.end
        if k < len(doc) and doc[k].lower_ in ("and", "&", ","):
            nxt = k + 1 + (k + 1 < len(doc) and doc[k + 1].lower_ == "the")
            if nxt not in org_starts:
                return False
            return doc[k].text != "," or self._listed(doc, org_starts[nxt])
        return False

    @staticmethod
    def _listed(doc: Doc, end: int) -> bool:
        """A list goes on after the token before `end`: ', ...' or 'and ...'."""
        return end < len(doc) and doc[end].lower_ in (",", "and", "&", "or")

    def _acronym_uses(self, doc: Doc, names: dict[str, _Name]) -> None:
        """What a name's acronym does counts for the name: 'X (XYZ) ... XYZ staff said'."""
        if "acronym" not in self.enabled:
            return
        by_acronym = {}
        for name in names.values():
            if "acronym" in name.evidence:
                for span in name.spans:
                    if self._acronym(doc, span):
                        by_acronym[doc[span.end + 1].text] = name
        if not by_acronym:
            return
        for token in doc:
            name = by_acronym.get(token.text)
            if name is None or (token.i and doc[token.i - 1].text == "("):
                continue
            use = doc[token.i : token.i + 1]
            for kind, check in (("role", self._role), ("member", self._member)):
                if kind in self.enabled and check(doc, use):
                    name.evidence.add(kind)

    # ------------------------------------------------------------------ the finder

    def find(self, ctx: DocContext, cands: list[Candidate]) -> list[Candidate]:
        if not self.active:
            return []
        doc = ctx.doc
        taken = {i for c in cands for i in range(c.span.start, c.span.end)}
        org_ends = {c.span.end - 1 for c in cands}
        org_starts = {c.span.start: c.span.end for c in cands}
        names: dict[str, _Name] = defaultdict(_Name)
        listed = self._listed_items(ctx) if "introducer" in self.enabled else set()
        for span in self._runs(ctx, taken):
            if self._rejected(ctx, span):
                continue
            name = names[norm_key(span.text)]
            name.spans.append(span)
            name.person |= self._person_or_place(ctx, span)
            name.caps |= all(t.is_upper for t in span)
            checks = {
                "apposition": lambda s=span: self._apposition(doc, s),
                "introducer": lambda s=span: self._introducer(doc, s, listed),
                "role": lambda s=span: self._role(doc, s, org_starts),
                "member": lambda s=span: self._member(doc, s),
                "acronym": lambda s=span: self._acronym(doc, s),
                "coordination": lambda s=span: self._coordination(doc, s, org_ends, org_starts),
                "ner": lambda s=span: ctx.has_entities and any(t.ent_type_ == "ORG" for t in s),
            }
            for kind, check in checks.items():
                if kind in self.enabled and kind not in name.evidence and check():
                    name.evidence.add(kind)
        self._acronym_uses(doc, names)
        out = []
        for name in names.values():
            strong = name.evidence & set(STRONG)
            weak = name.evidence & set(WEAK)
            # an all-capitals word is a heading or an acronym (the acronym module's) unless
            # introduced: "the non-governmental organization ASTRA"
            if name.caps:
                strong = name.evidence & {"introducer"}
            if strong or (len(weak) >= 2 and not name.person and not name.caps):
                used: set[int] = set()
                for span in name.spans:
                    if not used.intersection(range(span.start, span.end)):
                        used.update(range(span.start, span.end))
                        out.append(Candidate(span, "evidence"))
        return out
