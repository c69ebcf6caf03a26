"""Organisations: a gazetteer of known bodies, naming patterns, acronym definitions.

Three sources of candidates, resolved longest-first:
1. the gazetteer (UN agencies, donors, regional bodies, NGOs) with their acronyms;
2. naming patterns: "Ministry of ...", "Office of the ...", "... Police Force", "... Committee",
   "<country> Government", "Government of <country>" (heads and modifiers in JSON);
3. acronym definitions, "Long Name (ACR)", which make later bare "ACR" mentions of it.
Mentions are then grouped into one entry per organisation with a canonical name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ..normalise import norm_key
from ..resources import Spec
from .base import ResourceComponent
from .common import meta

_ACRONYM = re.compile(r"^(?=[A-Za-z&/.-]*[A-Z][A-Za-z&/.-]*[A-Z])[A-Z][A-Za-z&/.-]{1,11}$")
_POSSESSIVE = {"'s", "’s", "'", "’"}
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w.&'’/-]*|[A-Z]{2,}s?)$")


@dataclass
class Candidate:
    span: Span
    source: str  # "gazetteer", "pattern", "acronym"
    entry: int | None = None  # gazetteer index
    name: str | None = None


GAZETTEER = Spec(
    rows=True,
    keys={"name": str},
    optional={"acronym": (str, type(None)), "aliases": list, "kind": str, "acronym_needs_name": bool},
)
PATTERNS = Spec(
    keys={
        "of_heads": list,
        "suffix_heads": list,
        "lowercase_heads_after_acronym": list,
        "continuations": (list, dict),
        "continuation_heads": dict,
        "connectors": list,
        "generic_modifiers": list,
        "job_titles": list,
        "leading_stopwords": list,
        "not_organisations": list,
        "office_words": list,
        "never_in_names": list,
        "max_name_tokens": int,
    }
)


class OrganisationFinder(ResourceComponent):
    specs = {"gazetteer": GAZETTEER, "patterns": PATTERNS}

    def build(self, data: dict) -> None:
        nlp = self.nlp
        self.entries = list(data["gazetteer"])
        self.vocab = data["patterns"]
        v = self.vocab
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronym_entries: dict[str, list[int]] = {}
        self.name_index: dict[str, int] = {}  # normalised name or alias -> gazetteer entry
        for i, entry in enumerate(self.entries):
            forms = [entry["name"], *entry.get("aliases", [])]
            for form in forms:
                self.name_index.setdefault(norm_key(form), i)
            if entry.get("acronym"):
                forms.append(entry["acronym"])
                self.acronym_entries.setdefault(entry["acronym"], []).append(i)
            for form in forms:
                doc = nlp.make_doc(form)
                target = self.exact if len(doc) == 1 or form.isupper() else self.lower
                target.add(str(i), [doc])
        self.of_heads = set(v["of_heads"])
        self.suffix_heads = set(v["suffix_heads"])
        self.generic = set(v["generic_modifiers"])
        self.job_titles = set(v["job_titles"])
        self.leading_stop = set(v["leading_stopwords"])
        self.not_orgs = {norm_key(x) for x in v["not_organisations"]}
        self.office_words = {norm_key(x) for x in v["office_words"]}
        self.connectors = set(v["connectors"])
        self.never_in_names = set(v["never_in_names"])
        self.lowercase_heads = set(v["lowercase_heads_after_acronym"])
        self.max_tokens = v["max_name_tokens"]
        # Governments are the one pattern fixed enough for the Matcher; the open-ended naming
        # patterns are found by one linear scan over runs of name-like tokens (_candidates).
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add(
            "GOV",
            [
                [{"_": {"is_country": True}, "OP": "+"}, {"LOWER": "government"}],
                [
                    {"LOWER": "government"},
                    {"LOWER": "of"},
                    {"LOWER": "the", "OP": "?"},
                    {"_": {"is_country": True}, "OP": "+"},
                ],
            ],
        )
        self.continuation_heads = {k: set(heads) for k, heads in v["continuation_heads"].items()}
        self.plural_heads = {
            "Ministries": "Ministry",
            "Departments": "Department",
            "Embassies": "Embassy",
            "Offices": "Office",
            "Directorates": "Directorate",
        }

    # ------------------------------------------------------------------ candidates

    def _gazetteer(self, doc: Doc) -> list[Candidate]:
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
                if _in_caps_run(span):
                    continue
                choices = self.acronym_entries.get(span.text, [entry])
                if len(choices) > 1 and entry not in named and any(c in named for c in choices):
                    continue
                if self.entries[entry].get("acronym_needs_name") and entry not in named:
                    continue
            out.append(Candidate(span, "gazetteer", entry))
        return out

    def _patterns(self, doc: Doc, title_end: int) -> list[Candidate]:
        out = []
        for _, start, end in self.matcher(doc):
            if doc[start].idx >= title_end:
                out.append(Candidate(doc[start:end], "government"))
        for label, start, end in self._candidates(doc, title_end):
            for piece in self._clean(doc[start:end], label):
                out.extend(self._distribute(piece))
        return out

    def _namey(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        text = token.text
        if token.lower_ in self.never_in_names or token.is_space:
            return False
        if _NAME_TOKEN.match(text) or token.lower_ in self.connectors:
            return True
        if text == "(":  # "(ACR)" inside a name: "Trafficking in Persons (TiP) Secretariat"
            return i + 2 < len(doc) and bool(_ACRONYM.match(doc[i + 1].text)) and doc[i + 2].text == ")"
        if text == ")":
            return i >= 2 and doc[i - 2].text == "("
        return token.lower_ in self.lowercase_heads and i > 0 and doc[i - 1].text == ")"

    def _is_head(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        return token.text in self.suffix_heads or (
            token.lower_ in self.lowercase_heads and i > 0 and doc[i - 1].text == ")"
        )

    def _candidates(self, doc: Doc, title_end: int):
        """(label, start, end) for every name-like run: from each of-head ('Ministry of') to the
        end of the run, and from each capitalised word to each suffix head ('... Police Force',
        optionally continued by 'of/for/on ...'). Linear in the text: names are at most
        max_tokens long."""
        n, i = len(doc), 0
        while i < n:
            if doc[i].idx < title_end or not self._namey(doc, i):
                i += 1
                continue
            run_start = i
            while i < n and self._namey(doc, i):
                i += 1
            run_end = i
            for k in range(run_start, run_end):
                token = doc[k]
                follows = doc[k + 1].lower_ if k + 1 < run_end else ""
                if token.text in self.of_heads and follows in ("of", "for", "on", "to"):
                    yield "OF", k, min(run_end, k + self.max_tokens)
                if self._is_head(doc, k):
                    for start in range(max(run_start, k - self.max_tokens), k + 1):
                        if _NAME_TOKEN.match(doc[start].text):
                            # "... Secretariat of the Ministry": that Ministry opens a new name
                            if not (follows in ("of", "for") and token.text in self.of_heads):
                                yield "SUFFIX", start, k + 1
                            if follows in ("of", "for", "on"):
                                yield "SUFFIX", start, min(run_end, k + self.max_tokens)

    def _distribute(self, span: Span) -> list[Candidate]:
        """'Departments of Home Affairs, Social Development & Health, Justice' -> one each."""
        singular = self.plural_heads.get(span[0].text)
        if not singular or len(span) < 3 or span[1].lower_ != "of":
            return [Candidate(span, "pattern")]
        out, item = [], []
        for token in list(span[2:]) + [None]:
            if token is None or token.text == ",":
                if item:
                    part = span.doc[item[0].i : item[-1].i + 1]
                    out.append(Candidate(part, "pattern", name=f"{singular} of {part.text}"))
                item = []
            elif not (token.lower_ in ("and", "&") and not item):
                item.append(token)
        return out

    def _clean(self, span: Span, label: str) -> list[Span]:
        doc = span.doc
        tokens = list(range(span.start, span.end))
        # A new noun phrase starts at ", the", "and the", ", including", or a comma before a head.
        pieces, current = [], []
        for i in tokens:
            tok = doc[i]
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            if (
                tok.text in (",", "and", "&")
                and nxt is not None
                and (
                    nxt.lower_ in ("the", "and", "including", "or")
                    or nxt.i in self._gazetteer_starts
                    or (nxt.text in self.of_heads and i + 2 < len(doc) and doc[i + 2].lower_ in ("of", "for"))
                    or nxt._.is_country
                    and tok.text == ","
                )
            ):
                pieces.append(current)
                current = []
                continue
            current.append(i)
        pieces.append(current)
        out = []
        for piece in pieces:
            piece = self._continuation(doc, piece)
            piece = self._commas(doc, piece)
            piece = self._strip(doc, piece)
            piece = self._possessive(doc, piece)
            piece = self._strip(doc, piece)
            if piece and self._acceptable(doc, piece, label):
                out.append(doc[piece[0] : piece[-1] + 1])
        return out

    def _continuation(self, doc: Doc, piece: list[int]) -> list[int]:
        """A place after 'in'/'to' qualifies the name and is not part of it ('US Embassy in
        Maseru', 'Delegation of the European Union to Zimbabwe'), while 'Trafficking in Persons
        Unit' keeps its 'in'. 'Secretariat of the Ministry of X' is the Ministry of X."""
        for k, i in enumerate(piece):
            word = doc[i].lower_
            if word in ("in", "to") and k and self._is_place(doc, piece[:k], piece[k + 1 :]):
                return piece[:k]
            if word == "of" and 0 < k < len(piece) - 2:
                j = k + 1 + (doc[piece[k + 1]].lower_ == "the")
                if (
                    j + 1 < len(piece)
                    and doc[piece[j]].text in self.of_heads
                    and doc[piece[j + 1]].lower_ in ("of", "for")
                    and doc[piece[k - 1]].text in self.of_heads | self.suffix_heads
                ):
                    return piece[j:]
        return piece

    def _is_place(self, doc: Doc, name: list[int], rest: list[int]) -> bool:
        words = [doc[i] for i in rest if doc[i].lower_ not in ("the", "and", ",")]
        if not words or any(t.text in self.suffix_heads or t.text in self.of_heads for t in words):
            return False
        if all(
            t._.is_country or t.ent_type_ in ("GPE", "LOC") or t.i in self._gazetteer_tokens for t in words
        ):
            return True
        # Without a statistical model a city is just a capitalised word: trust it only after
        # heads that usually carry a location (Embassy, High Commission, Delegation, ...).
        located = self.continuation_heads["in"] | self.continuation_heads["to"]
        text = " ".join(doc[i].text for i in name)
        return (
            len(words) <= 2 and any(h in text for h in located) and all(t.text[:1].isupper() for t in words)
        )

    def _commas(self, doc: Doc, piece: list[int]) -> list[int]:
        """'Ministry of Gender Equality, Poverty Eradication and Social Welfare' keeps its commas
        (a list closed by 'and'); 'Ministry of Social Services, Prosecutors, ...' stops at one."""
        commas = [k for k, i in enumerate(piece) if doc[i].text == ","]
        if not commas:
            return piece
        last = commas[-1]
        if any(doc[i].lower_ in ("and", "&") for i in piece[last + 1 :]):
            return piece
        return piece[: commas[0]]

    def _possessive(self, doc: Doc, piece: list[int]) -> list[int]:
        # A name never starts inside a known one: "[U.S. Department of] State's Bureau of ..."
        while piece and piece[0] in self._gazetteer_tokens and piece[0] not in self._gazetteer_starts:
            piece = piece[1:]
        if piece and doc[piece[0]].text in _POSSESSIVE:
            piece = piece[1:]
        for k, i in enumerate(piece):
            if doc[i].text in _POSSESSIVE and 0 < k < len(piece) - 1:
                left = [doc[j] for j in piece[:k]]
                owner_is_org = (
                    all(t._.is_country for t in left)
                    or left[-1].text in self.suffix_heads
                    or (len(left) == 1 and _ACRONYM.match(left[0].text))
                    or " ".join(t.text for t in left) in self._known_names
                )
                if owner_is_org:
                    return piece[k + 1 :]
        if piece and doc[piece[-1]].text in _POSSESSIVE:
            return piece[:-1]
        return piece

    def _strip(self, doc: Doc, piece: list[int]) -> list[int]:
        # job titles: "Head of Office", "Registrar and Master of the High Court"
        if piece and (
            doc[piece[0]].lower_ in self.job_titles or doc[piece[0]].lower_[:-1] in self.job_titles
        ):
            ofs = [k for k, i in enumerate(piece) if doc[i].lower_ in ("of", "at")]
            piece = piece[ofs[-1] + 1 :] if ofs else []
        while piece and (doc[piece[0]].lower_ in self.leading_stop or not doc[piece[0]].text[:1].isupper()):
            piece = piece[1:]
        if len(piece) > 3 and doc[piece[-1]].text == ")" and doc[piece[-3]].text == "(":
            piece = piece[:-3]  # "Name (ACR)": the acronym is read after the name, not in it
        trailing = {"and", "&", "of", "for", "the", "on", "in", "to", ",", "-", "against", *_POSSESSIVE}
        while piece and doc[piece[-1]].lower_ in trailing:
            piece = piece[:-1]
        return piece

    def _acceptable(self, doc: Doc, piece: list[int], label: str) -> bool:
        words = [doc[i] for i in piece]
        text = " ".join(t.text for t in words)
        if norm_key(text) in self.not_orgs or any(t.like_num for t in words):
            return False
        if label == "OF":
            if words[0].text not in self.of_heads or len(words) < 3:
                return False
            return any(t.text[:1].isupper() for t in words[2:])
        heads = [t for t in words if self._is_head(doc, t.i)]
        if not heads:
            return False
        modifiers = [t for t in words if t not in heads and t.text not in "()"]
        return any(t.lower_ not in self.generic and not t.is_punct for t in modifiers)

    # ------------------------------------------------------------------ acronyms

    def _definitions(self, doc: Doc, cands: list[Candidate]) -> dict[int, str]:
        """Candidate index -> acronym defined right after it: 'Name (ACR)' or 'Name (Native, ACR)'."""
        out = {}
        for k, c in enumerate(cands):
            end = c.span.end
            if end + 2 < len(doc) and doc[end].text == "(":
                close = next((j for j in range(end + 1, min(end + 14, len(doc))) if doc[j].text == ")"), None)
                if close is None:
                    continue
                inner = doc[close - 1].text
                if _ACRONYM.match(inner) and (close == end + 2 or doc[close - 2].text == ","):
                    out[k] = inner
        return out

    # ------------------------------------------------------------------ component

    def process(self, doc: Doc) -> Doc:
        title_end = meta(doc).get("title_end", 0)
        gaz = self._gazetteer(doc)
        self._known_names = {c.span.text for c in gaz}
        self._gazetteer_starts = {c.span.start for c in gaz}
        self._gazetteer_tokens = {i for c in gaz for i in range(c.span.start, c.span.end)}
        cands = filter_spans_keep(gaz + self._patterns(doc, title_end))
        acronyms = self._definitions(doc, cands)
        # Bare uses of acronyms defined in this text become mentions of their organisation.
        defined = {acr: k for k, acr in acronyms.items()}
        taken = {i for c in cands for i in range(c.span.start, c.span.end)}
        extra = []
        for token in doc:
            if (
                token.text in defined
                and token.i not in taken
                and not _in_caps_run(doc[token.i : token.i + 1])
            ):
                if token.i > 0 and doc[token.i - 1].text == "(":
                    continue
                extra.append(Candidate(doc[token.i : token.i + 1], "acronym", name=token.text))
        spans = []
        for k, cand in enumerate(cands + extra):
            info = self._describe(cand, acronyms.get(k))
            if info is None:
                continue
            span = cand.span
            span._.tipx_org = info
            spans.append(span)
        _link_acronyms(spans)
        _merge_prefixes(spans)
        doc.spans["organisations"] = spans
        return doc

    def _describe(self, cand: Candidate, acronym: str | None) -> dict | None:
        if cand.entry is None and cand.source != "acronym":
            # a pattern that spelled out a known name ("International Organization for Migration (IOM)")
            cand.entry = self.name_index.get(norm_key(cand.name or _display_name(cand.span)))
        if cand.entry is not None:
            entry = self.entries[cand.entry]
            return {
                "key": f"gaz:{cand.entry}",
                "name": entry["name"],
                "acronym": entry.get("acronym"),
                "kind": entry.get("kind", "organisation"),
            }
        if cand.source == "acronym":
            return {"key": f"acr:{cand.name}", "name": None, "acronym": cand.name, "kind": "organisation"}
        name = cand.name or _display_name(cand.span)
        parent = self._office_parent(cand.span)
        if parent is not None:
            return parent
        key = norm_key(name)
        key = re.sub(r"(services|forces)$", lambda m: m.group(1)[:-1], key)
        return {"key": f"name:{key}", "name": name, "acronym": acronym, "kind": "organisation"}

    def _office_parent(self, span: Span) -> dict | None:
        """'IOM Regional Office for Southern Africa', 'UNODC Southern Africa' -> the parent body."""
        first = span[0].text
        entries = self.acronym_entries.get(first)
        if not entries or len(span) < 2:
            return None
        rest = span[1:]
        rest_key = norm_key(" ".join(t.text for t in rest))
        if any(rest_key.startswith(w) for w in self.office_words) or all(
            t._.is_country or t.ent_type_ in ("GPE", "LOC") or not t.text[:1].isupper() for t in rest
        ):
            entry = self.entries[entries[0]]
            return {
                "key": f"gaz:{entries[0]}",
                "name": entry["name"],
                "acronym": entry.get("acronym"),
                "kind": entry.get("kind", "organisation"),
            }
        return None


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


def _in_caps_run(span: Span) -> bool:
    """An acronym inside an ALL-CAPS heading ('WHO WE ARE') is not an acronym."""
    doc = span.doc
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(
        t.is_alpha and t.is_upper and len(t) > 1 and t.text not in ("A", "I") for t in neighbours
    ) and any(t.is_alpha and t.is_upper and len(t) > 2 for t in neighbours)


def _display_name(span: Span) -> str:
    text = re.sub(r"\s+", " ", span.text).strip()
    text = re.sub(r"^(?:the|The)\s", "", text)
    text = re.sub(r"\s*\([^()]{1,15}\)\s*", " ", text).strip()  # "Trafficking in Persons (TiP) Secretariat"
    return text


def _link_acronyms(spans: list[Span]) -> None:
    """A bare acronym takes the identity of the organisation it was defined for."""
    by_acronym = {}
    for span in spans:
        info = span._.tipx_org
        if info["acronym"] and not info["key"].startswith("acr:"):
            by_acronym.setdefault(info["acronym"], info)
    for span in spans:
        info = span._.tipx_org
        if info["key"].startswith("acr:") and info["acronym"] in by_acronym:
            span._.tipx_org = dict(by_acronym[info["acronym"]])
        elif info["key"].startswith("name:") and not info["acronym"]:
            # a later mention of a defined name shares its acronym
            for other in by_acronym.values():
                if other["key"] == info["key"]:
                    span._.tipx_org = dict(other)


def _merge_prefixes(spans: list[Span]) -> None:
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


@Language.factory(
    "tipx_organisations",
    default_config={"gazetteer": "organisations.jsonl", "patterns": "organisation_patterns.json"},
    assigns=["doc.spans", "span._.tipx_org"],
    requires=["token._.is_country"],
)
def make_organisations(nlp: Language, name: str, gazetteer: str, patterns: str) -> OrganisationFinder:
    return OrganisationFinder(nlp, name, gazetteer=gazetteer, patterns=patterns)
