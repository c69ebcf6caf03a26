"""Naming patterns: 'Ministry of ...', '... Police Force', '<country> Government'.

The open-ended patterns are found by one linear scan over runs of name-like tokens; each run
is cut into noun phrases, cleaned (job titles, possessives, places after 'in'), checked, and
'Ministries of X and Y' is distributed into one name per body."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ...normalise import norm_key
from .acronyms import ACRONYM
from .context import Candidate, DocContext

POSSESSIVE = {"'s", "’s", "'", "’"}
NAME_TOKEN = re.compile(r"^(?:[A-Z][\w.&'’/-]*|[A-Z]{2,}s?)$")


class NamePatterns:
    def __init__(self, nlp: Language, v: dict):
        self.of_heads = set(v["of_heads"])
        self.suffix_heads = set(v["suffix_heads"])
        self.generic = set(v["generic_modifiers"])
        self.job_titles = set(v["job_titles"])
        self.leading_stop = set(v["leading_stopwords"])
        self.not_orgs = {norm_key(x) for x in v["not_organisations"]}
        self.connectors = set(v["connectors"])
        self.never_in_names = set(v["never_in_names"])
        self.lowercase_heads = set(v["lowercase_heads_after_acronym"])
        self.max_tokens = v["max_name_tokens"]
        self.continuation_heads = {k: set(heads) for k, heads in v["continuation_heads"].items()}
        self.plural_heads = dict(v["plural_heads"])
        # Governments are the one pattern fixed enough for the Matcher.
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

    def find(self, ctx: DocContext) -> list[Candidate]:
        doc = ctx.doc
        out = []
        for _, start, end in self.matcher(doc):
            if doc[start].idx >= ctx.title_end:
                out.append(Candidate(doc[start:end], "government"))
        for label, start, end in self._runs(doc, ctx.title_end):
            for piece in self._clean(ctx, doc[start:end], label):
                out.extend(self._distribute(piece))
        return out

    # ------------------------------------------------------------------ the scan

    def _namey(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        text = token.text
        if token.lower_ in self.never_in_names or token.is_space:
            return False
        if NAME_TOKEN.match(text) or token.lower_ in self.connectors:
            return True
        if text == "(":  # "(ACR)" inside a name: "Trafficking in Persons (TiP) Secretariat"
            return i + 2 < len(doc) and bool(ACRONYM.match(doc[i + 1].text)) and doc[i + 2].text == ")"
        if text == ")":
            return i >= 2 and doc[i - 2].text == "("
        return token.lower_ in self.lowercase_heads and i > 0 and doc[i - 1].text == ")"

    def is_head(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        return token.text in self.suffix_heads or (
            token.lower_ in self.lowercase_heads and i > 0 and doc[i - 1].text == ")"
        )

    def _runs(self, doc: Doc, title_end: int):
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
                if self.is_head(doc, k):
                    for start in range(max(run_start, k - self.max_tokens), k + 1):
                        if NAME_TOKEN.match(doc[start].text):
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

    # ------------------------------------------------------------------ cleaning

    def _clean(self, ctx: DocContext, span: Span, label: str) -> list[Span]:
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
                    or nxt.i in ctx.gazetteer_starts
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
            piece = self._continuation(ctx, piece)
            piece = self._commas(doc, piece)
            piece = self._strip(doc, piece)
            piece = self._possessive(ctx, piece)
            piece = self._strip(doc, piece)
            if piece and self._acceptable(doc, piece, label):
                out.append(doc[piece[0] : piece[-1] + 1])
        return out

    def _continuation(self, ctx: DocContext, piece: list[int]) -> list[int]:
        """A place after 'in'/'to' qualifies the name and is not part of it ('US Embassy in
        Maseru', 'Delegation of the European Union to Zimbabwe'), while 'Trafficking in Persons
        Unit' keeps its 'in'. 'Secretariat of the Ministry of X' is the Ministry of X."""
        doc = ctx.doc
        for k, i in enumerate(piece):
            word = doc[i].lower_
            if word in ("in", "to") and k and self._is_place(ctx, piece[:k], piece[k + 1 :]):
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

    def _is_place(self, ctx: DocContext, name: list[int], rest: list[int]) -> bool:
        doc = ctx.doc
        words = [doc[i] for i in rest if doc[i].lower_ not in ("the", "and", ",")]
        if not words or any(t.text in self.suffix_heads or t.text in self.of_heads for t in words):
            return False
        if all(t._.is_country or t.ent_type_ in ("GPE", "LOC") or t.i in ctx.gazetteer_tokens for t in words):
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

    def _possessive(self, ctx: DocContext, piece: list[int]) -> list[int]:
        doc = ctx.doc
        # A name never starts inside a known one: "[U.S. Department of] State's Bureau of ..."
        while piece and piece[0] in ctx.gazetteer_tokens and piece[0] not in ctx.gazetteer_starts:
            piece = piece[1:]
        if piece and doc[piece[0]].text in POSSESSIVE:
            piece = piece[1:]
        for k, i in enumerate(piece):
            if doc[i].text in POSSESSIVE and 0 < k < len(piece) - 1:
                left = [doc[j] for j in piece[:k]]
                owner_is_org = (
                    all(t._.is_country for t in left)
                    or left[-1].text in self.suffix_heads
                    or (len(left) == 1 and ACRONYM.match(left[0].text))
                    or " ".join(t.text for t in left) in ctx.known_names
                )
                if owner_is_org:
                    return piece[k + 1 :]
        if piece and doc[piece[-1]].text in POSSESSIVE:
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
        trailing = {"and", "&", "of", "for", "the", "on", "in", "to", ",", "-", "against", *POSSESSIVE}
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
        heads = [t for t in words if self.is_head(doc, t.i)]
        if not heads:
            return False
        modifiers = [t for t in words if t not in heads and t.text not in "()"]
        return any(t.lower_ not in self.generic and not t.is_punct for t in modifiers)
