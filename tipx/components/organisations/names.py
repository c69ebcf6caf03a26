"""Naming patterns: 'Ministry of ...', '... Police Force', '<country> Government', and
names led by a French, Portuguese or Spanish head ('Direction Générale de ...').

The open-ended patterns are found by one linear scan over runs of name-like tokens; each run
is cut into noun phrases, cleaned (job titles and people before 'of the', possessives, places
after 'in', a country after 'of'), checked, and coordinations ('Ministries of X and of Y',
'Immigration and Customs Services', 'Moldovan and Romanian Border Police') are distributed
into one name per body."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ...normalise import norm_key
from .acronyms import ACRONYM, initials_fit
from .context import Candidate, DocContext

POSSESSIVE = {"'s", "’s", "'", "’"}
_WORD = re.compile(r"^[\w.&'’/-]+$")
_ELISION = re.compile(r"^[dlDL]['’]\w")  # "l’Enfant", "d'Ivoire"
_ENGLISH_STOPS = {"of", "for", "in", "to", "on", "the", "and", "with", "at", "by", "from", "against"}
_JOINERS = {",", "and", "&"}


def is_name_word(text: str) -> bool:
    """A capitalised word or an acronym ('Ministry', 'Êtres', 'SafeHome9ja', 'NGOs')."""
    return bool(text) and text[0].isupper() and bool(_WORD.match(text))


_LIST_CLOSERS = frozenset({"and", "&", "y", "e", "et", "și"})


class NamePatterns:
    def __init__(self, nlp: Language, v: dict, evidence: set[str] | frozenset[str]):
        self.of_heads = set(v["of_heads"])
        self.suffix_heads = set(v["suffix_heads"])
        self.foreign_heads = set(v["foreign_heads"])
        self.foreign_connectors = set(v["foreign_connectors"])
        self.heads = self.of_heads | self.suffix_heads
        self.generic = set(v["generic_modifiers"])
        self.job_titles = set(v["job_titles"])
        self.leading_stop = set(v["leading_stopwords"])
        self.not_orgs = {norm_key(x) for x in v["not_organisations"]}
        self.connectors = set(v["connectors"]) | self.foreign_connectors
        self.never_in_names = set(v["never_in_names"])
        self.honorifics = set(v["honorifics"])
        # "... Enforcement and Administration Act": a law, plan or event named after a body
        self.title_words = set(v.get("not_organisation_heads", ())) - self.heads
        self.lowercase_heads = set(v["lowercase_heads_after_acronym"])
        self.max_tokens = v["max_name_tokens"]
        self.continuation_heads = {k: set(heads) for k, heads in v["continuation_heads"].items()}
        self.in_names = {k: set(words) for k, words in v["in_names"].items()}
        self.plural_heads = dict(v["plural_heads"])
        self.country_titles = set(v["country_titles"])
        self.portfolio_heads = set(v["portfolio_heads"])
        self.office_words = {norm_key(x) for x in v["office_words"]}
        venue = v.get("venue_tail", {})
        self.venue_words = set(venue.get("words", ()))
        self.venue_modifiers = set(venue.get("modifiers", ()))
        self.use_heads = "heads" in evidence
        self.use_foreign = "foreign" in evidence
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
        if self.use_heads:
            for _, start, end in self.matcher(doc):
                if doc[start].idx >= ctx.title_end:
                    out.append(Candidate(doc[start:end], "government"))
        fits = self._acronym_fits(ctx) if self.use_heads else {}
        for start, end in fits.items():
            pieces = self._clean(ctx, doc[start:end], self._fit_label(doc, start), fits)
            out.extend(Candidate(piece, "pattern") for piece, _ in pieces)
        for label, alternatives in self._runs(ctx):
            # the earliest start that gives a name wins: a later start is a part of that name
            for start, end in alternatives:
                pieces = self._clean(ctx, doc[start:end], label, fits)
                for piece, piece_label in pieces:
                    if fits.get(piece.start) == piece.end:
                        out.append(Candidate(piece, "pattern"))
                    else:
                        out.extend(self._distribute(ctx, piece, piece_label))
                if pieces:
                    break
        return out

    # ------------------------------------------------------------------ acronyms spelt out

    def _fit_word(self, doc: Doc, k: int) -> bool:
        """A token a name defined by an acronym may hold: a name word, a connector, a dash, the
        lower-case part of a hyphened word ('Inter-agency')."""
        token = doc[k]
        if token.lower_ in self.never_in_names or token.lower_.rstrip(".") in self.honorifics:
            return False
        if is_name_word(token.text) or token.lower_ in self.connectors or token.text == "–":
            return True
        return (
            token.is_alpha
            and k > 0
            and doc[k - 1].text in ("-", "–")
            and not doc[k - 1].whitespace_
            or (k + 1 < len(doc) and doc[k + 1].text == "-" and not token.whitespace_)
        )

    def _acronym_fits(self, ctx: DocContext) -> dict[int, int]:
        """Start -> end of the names an acronym after them spells out: 'Office of Planning,
        Outreach, and Research (OPOR)', 'City Inter-agency Council Against Trafficking (CIACAT)'.
        The longest span whose initials fit wins; it holds an organisation word."""
        doc = ctx.doc
        fits: dict[int, int] = {}
        for i in range(1, len(doc) - 2):
            if doc[i].text != "(" or doc[i + 2].text != ")" or doc[i].idx < ctx.title_end:
                continue
            acronym = doc[i + 1].text
            if not ACRONYM.match(acronym) or (i + 3 < len(doc) and self.is_head(doc, i + 3)):
                continue  # "Trafficking in Persons (TiP) Secretariat": the name goes on
            j = i
            while j > 0 and i - j < self.max_tokens and self._fit_word(doc, j - 1):
                j -= 1
            for start in range(j, i):
                first = doc[start]
                if (
                    not is_name_word(first.text)
                    or first.lower_ in self.leading_stop
                    or first.lower_ in self.job_titles
                    or first.text in POSSESSIVE
                ):
                    continue
                if not initials_fit([t.text for t in doc[start:i]], acronym):
                    continue
                if not any(t.text in self.heads for t in doc[start:i]):
                    # "Office of [Prosecutorial Development and Training] (PDT)"
                    k = start - 1 - (start > 1 and doc[start - 1].lower_ == "the")
                    if not (k > 0 and doc[k].lower_ in ("of", "for") and doc[k - 1].text in self.of_heads):
                        break
                    start = k - 1
                fits[start] = i
                break
        return fits

    def _fit_label(self, doc: Doc, start: int) -> str:
        if doc[start].text in self.of_heads and doc[start + 1].lower_ in ("of", "for", "on", "to"):
            return "OF"
        return "SUFFIX"

    # ------------------------------------------------------------------ the scan

    def _namey(self, ctx: DocContext, i: int) -> bool:
        doc = ctx.doc
        token = doc[i]
        text = token.text
        if token.lower_ in self.never_in_names or token.is_space:
            return False
        if token.lower_.rstrip(".") in self.honorifics and i + 1 < len(doc) and is_name_word(doc[i + 1].text):
            return False  # "... of Uzbekistan and Ms. Olga Zudova"
        if is_name_word(text) or token.lower_ in self.connectors or _ELISION.match(text):
            return True
        if token.is_alpha and i > 1 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_:
            return is_name_word(doc[i - 2].text) and not doc[i - 2].whitespace_  # "Inter-agency"
        if text == "(":
            return self._acronym_inside(ctx, i)
        if text == ")":
            return i >= 2 and doc[i - 2].text == "(" and self._acronym_inside(ctx, i - 2)
        return token.lower_ in self.lowercase_heads and i > 0 and doc[i - 1].text == ")"

    def _acronym_inside(self, ctx: DocContext, i: int) -> bool:
        """'(TiP)' in 'Trafficking in Persons (TiP) Secretariat' is part of the name; '(IOM)' in
        'International Organization for Migration (IOM) in Lusaka' closes it, as does the
        acronym of a known body ('Organisation of Eastern Caribbean States (OECS) Commission')."""
        doc = ctx.doc
        if not (i + 3 < len(doc) and ACRONYM.match(doc[i + 1].text) and doc[i + 2].text == ")"):
            return False
        return (i - 1) not in ctx.gazetteer_ends and self.is_head(doc, i + 3)

    def is_head(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        return token.text in self.suffix_heads or (
            token.lower_ in self.lowercase_heads and i > 0 and doc[i - 1].text == ")"
        )

    def _modifier(self, token) -> bool:
        """'Supreme' Court of Serbia: a capitalised word that belongs to the name after it (the
        name then starts there, not at the head)."""
        return (
            is_name_word(token.text)
            and token.lower_ not in self.leading_stop
            and token.lower_ not in self.job_titles
            and token.lower_[:-1] not in self.job_titles
            and token.lower_.rstrip(".") not in self.honorifics
            and not token._.is_country
            and token.text not in self.heads
            and not token.is_sent_start
        )

    def _foreign_start(self, doc: Doc, k: int) -> int:
        """A hyphenated head keeps its first part: 'Sous-Direction', 'Haut-Commissariat'."""
        if k >= 2 and doc[k - 1].text == "-" and is_name_word(doc[k - 2].text) and not doc[k - 2].whitespace_:
            return k - 2
        return k

    def _runs(self, ctx: DocContext):
        """(label, [(start, end), ...]) for every name-like run: from each of-head ('Ministry
        of') to the end of the run, from each capitalised word to each suffix head ('... Police
        Force', optionally continued by 'of/for/on ...'), and from each foreign head
        ('Direction', 'Polícia', 'Procuraduría') to the first English word. Alternatives are in
        order of preference. Linear in the text: names are at most max_tokens long."""
        doc, title_end = ctx.doc, ctx.title_end
        n, i = len(doc), 0
        while i < n:
            if doc[i].idx < title_end or not self._namey(ctx, i):
                i += 1
                continue
            run_start = i
            while i < n and self._namey(ctx, i):
                i += 1
            run_end = i
            for k in range(run_start, run_end):
                token = doc[k]
                follows = doc[k + 1].lower_ if k + 1 < run_end else ""
                if self.use_foreign and token.text in self.foreign_heads and k + 1 < run_end:
                    end = k + 1
                    while end < min(run_end, k + self.max_tokens) and doc[end].lower_ not in _ENGLISH_STOPS:
                        end += 1
                    if end > k + 1:
                        yield "FOREIGN", [(self._foreign_start(doc, k), end)]
                if not self.use_heads:
                    continue
                if (
                    token.text in self.of_heads
                    and follows in ("of", "for", "on", "to", "against")
                    and not (
                        k > run_start and doc[k - 1].text in POSSESSIVE
                    )  # "Prosecutor General's Office of"
                    and not (k > run_start and self.is_head(doc, k) and self._modifier(doc[k - 1]))
                ):
                    yield "OF", [(k, min(run_end, k + self.max_tokens))]
                if self.is_head(doc, k):
                    starts = [
                        start
                        for start in range(max(run_start, k - self.max_tokens), k + 1)
                        if is_name_word(doc[start].text)
                    ]
                    # "... Secretariat of the Ministry": that Ministry opens a new name
                    if not (follows in ("of", "for") and token.text in self.of_heads):
                        yield "SUFFIX", [(start, k + 1) for start in starts]
                    if follows in ("of", "for", "on", "against"):  # "Council Against Trafficking"
                        yield "SUFFIX", [(start, min(run_end, k + self.max_tokens)) for start in starts]

    # ------------------------------------------------------------------ coordinations

    def _distribute(self, ctx: DocContext, span: Span, label: str) -> list[Candidate]:
        """'Departments of Home Affairs, Social Development & Health, Justice' -> one each;
        'Ministries of Justice and of Labour' -> two; 'Immigration and Customs Services',
        'Moldovan and Romanian Border Police' -> two."""
        tokens = list(span)
        plural = next(
            (
                p
                for p, t in enumerate(tokens[:-2])
                if t.text in self.plural_heads and tokens[p + 1].lower_ == "of" and label != "FOREIGN"
            ),
            None,
        )
        if plural is not None:
            return self._distribute_of(ctx, span, plural)
        if label == "SUFFIX" and tokens[-1].text in self.suffix_heads:
            out = self._distribute_suffix(span)
            if out:
                return out
        return [Candidate(span, "pattern")]

    def _prefix_before(self, doc: Doc, start: int) -> list:
        """Capitalised modifiers right before a head: 'Kampong Chhnang Provincial' Departments;
        not a country or demonym ('the Ethiopian Ministries of ...')."""
        j = start
        while (
            j > 0
            and is_name_word(doc[j - 1].text)
            and not doc[j - 1]._.is_country
            and doc[j - 1].lower_ not in self.leading_stop
            and doc[j - 1].lower_ not in self.job_titles
            and start - j < 4
        ):
            j -= 1
        return list(doc[j:start])

    def _distribute_of(self, ctx: DocContext, span: Span, p: int) -> list[Candidate]:
        doc = span.doc
        tokens = list(span)
        head = tokens[p]
        singular = self.plural_heads[head.text]
        prefix = [t for t in tokens[:p] if not t._.is_country and t.text not in POSSESSIVE]
        if p == 0:
            prefix = self._prefix_before(doc, span.start)
        items: list[list] = [[]]
        rest = tokens[p + 2 :]
        split_on_of = any(
            t.lower_ == "of" and k > 0 and rest[k - 1].text in _JOINERS for k, t in enumerate(rest)
        )
        for k, token in enumerate(rest):
            if split_on_of:
                if token.text in _JOINERS and k + 1 < len(rest) and rest[k + 1].lower_ == "of":
                    items.append([])
                    continue
                if token.lower_ == "of" and k > 0 and rest[k - 1].text in _JOINERS:
                    continue
                items[-1].append(token)
            elif token.text == ",":
                items.append([])
            elif not (token.lower_ in ("and", "&") and not items[-1]):
                items[-1].append(token)
        last = items[-1]
        if not split_on_of and len(last) == 3 and last[1].lower_ in ("and", "&"):
            # The plural says there are several: "Ministries of Foreign Affairs, Interior and
            # Health", "Ministries of Justice and Labour". A longer last item is more often one
            # portfolio ("Justice and Constitutional Development") and stays whole.
            items[-1:] = [[last[0]], [last[2]]]
        out = []
        lead = " ".join([t.text for t in prefix] + [singular])
        for item in items:
            item = self._strip_country_qualifier([t.i for t in item], doc)
            while item and doc[item[-1]].lower_ in ("and", "&", ",", "of", "the"):
                item = item[:-1]
            if not item:
                continue
            part = doc[item[0] : item[-1] + 1]
            out.append(Candidate(part, "pattern", name=f"{lead} of {part.text}"))
        return out

    def _distribute_suffix(self, span: Span) -> list[Candidate] | None:
        tokens = list(span)
        head = tokens[-1]
        body = tokens[:-1]
        if any(t.lower_ in ("of", "for", "on", "in", "against") for t in body):
            return None
        conjuncts: list[list] = [[]]
        for token in body:
            if token.text in _JOINERS:
                if conjuncts[-1]:
                    conjuncts.append([])
            else:
                conjuncts[-1].append(token)
        if len(conjuncts) < 2 or not all(conjuncts):
            return None
        doc = span.doc
        out = []
        first, last = conjuncts[0], conjuncts[-1]
        if (
            all(len(c) == 1 and c[0]._.is_country for c in conjuncts[:-1])
            and last[0]._.is_country
            and len(last) >= 2
        ):
            # "Moldovan and Romanian Border Police": the demonyms share the rest
            tail = " ".join(t.text for t in last[1:] + [head])
            for c in conjuncts[:-1]:
                out.append(Candidate(doc[c[0].i : c[0].i + 1], "pattern", name=f"{c[0].text} {tail}"))
            out.append(Candidate(doc[last[0].i : head.i + 1], "pattern", name=f"{last[0].text} {tail}"))
            return out
        singular = self.plural_heads.get(head.text)
        if singular is None or any(len(c) > 2 for c in conjuncts):
            return None
        # "Nigeria Immigration and Customs Services": a leading country is shared
        prefix = [t.text for t in first if t._.is_country][:1] if len(first) == 2 else []
        for n, c in enumerate(conjuncts):
            words = [t for t in c if not (n == 0 and prefix and t._.is_country)]
            if not words or not all(is_name_word(t.text) for t in words):
                return None
            end = head.i if n == len(conjuncts) - 1 else c[-1].i
            name = " ".join(prefix + [t.text for t in words] + [singular])
            out.append(Candidate(doc[c[0].i : end + 1], "pattern", name=name))
        return out

    # ------------------------------------------------------------------ cleaning

    def _clean(
        self, ctx: DocContext, span: Span, label: str, fits: dict[int, int] | None = None
    ) -> list[tuple[Span, str]]:
        doc = span.doc
        # A name an acronym spells out is one piece; parts of it elsewhere are dropped.
        whole: list[list[int]] = []
        dropped: set[int] = set()
        for start, end in (fits or {}).items():
            if end <= span.start or start >= span.end:
                continue
            if span.start <= start and end <= span.end:
                whole.append(list(range(start, end)))
            dropped.update(range(start, end))
        tokens = [i for i in range(span.start, span.end) if i not in dropped]
        # A new noun phrase starts at ", the", "and the", ", including", or a comma before a head.
        pieces, current = [], []
        for i in tokens:
            tok = doc[i]
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            if current and i - 1 in dropped:
                pieces.append(current)
                current = []
            if (
                tok.text in (",", "and", "&")
                and nxt is not None
                and (
                    nxt.lower_ in ("the", "and", "including", "or")
                    or nxt.i in ctx.gazetteer_starts
                    or (nxt.text in self.of_heads and i + 2 < len(doc) and doc[i + 2].lower_ in ("of", "for"))
                    or nxt._.is_country
                    and tok.text == ","
                    or tok.text == ","
                    and self._titled_office_next(doc, i + 1, span.end)
                    or tok.text != ","
                    and self._second_body(doc, current, i + 1, span.end)
                )
            ):
                pieces.append(current)
                current = []
                continue
            current.append(i)
        pieces.append(current)
        out = []
        for piece in [*pieces, *whole]:
            if not (whole and piece in whole):
                piece = self._continuation(ctx, piece)
                piece = self._commas(doc, piece, label)
            piece = self._strip(doc, piece)
            piece = self._person_tail(doc, piece)
            piece = self._venue_tail(doc, piece)
            piece, owner = self._possessive(ctx, piece)
            if owner:
                owner = self._strip(doc, owner)
                owner_label = "OF" if owner and doc[owner[0]].text in self.of_heads else "SUFFIX"
                if owner and self._acceptable(doc, owner, owner_label):
                    out.append((doc[owner[0] : owner[-1] + 1], owner_label))
            if owner and label != "FOREIGN":
                label = "SUFFIX"
            piece = self._strip(doc, piece)
            piece = self._of_cut(doc, piece)
            piece = self._qualifier(doc, piece, label)
            kind = label
            if piece and label != "FOREIGN" and doc[piece[0]].text in self.of_heads and len(piece) > 2:
                kind = "OF" if doc[piece[1]].lower_ in ("of", "for", "on", "to") else label
            if kind == "SUFFIX" and piece and self._indefinite(doc, piece):
                continue
            if piece and self._acceptable(doc, piece, kind):
                out.append((doc[piece[0] : piece[-1] + 1], kind))
        return out

    @staticmethod
    def _indefinite(doc: Doc, piece: list[int]) -> bool:
        """'Creating an Anti-trafficking NGO Network in the Balkans', 'set up a Child Protection
        Unit': a kind of body, not a name. 'a National Police Service spokesman' names one."""
        nxt = doc[piece[-1] + 1] if piece[-1] + 1 < len(doc) else None
        if nxt is not None and nxt.is_alpha and not nxt.is_stop:
            return False  # the article is the following noun's
        k = piece[0] - 1
        while (
            k >= 0
            and piece[0] - k <= 4
            and doc[k].lower_ not in ("a", "an")
            and (
                doc[k].text in ("-", "–")
                or is_name_word(doc[k].text)
                or (doc[k].is_alpha and doc[k].is_lower and k + 1 < len(doc) and doc[k + 1].text == "-")
                or (k > 0 and doc[k].is_alpha and doc[k].is_lower and doc[k - 1].text == "-")
            )
        ):
            k -= 1
        return k >= 0 and doc[k].lower_ in ("a", "an")

    def _second_body(self, doc: Doc, current: list[int], start: int, end: int) -> bool:
        """'Department of Justice and City Inter-agency Council': a named body on each side of
        'and' (a head word, and a capitalised modifier before the second one's), not one body's
        portfolio ('Ministry of Health and Social Services', 'Ministry of Justice and Police')."""
        while current and doc[current[0]].lower_ in self.leading_stop:
            current = current[1:]
        if not any(doc[i].text in self.of_heads for i in current[:1]) or len(current) < 3:
            return False
        if doc[current[1]].lower_ not in ("of", "for", "on", "to"):
            return False
        modifiers = 0
        for i in range(start, min(end, start + 6)):
            token = doc[i]
            if token.text in self.suffix_heads and token.text not in self.portfolio_heads:
                return modifiers > 0
            if is_name_word(token.text) and token.lower_ not in self.generic:
                modifiers += 1
            elif not (token.text == "-" or (token.is_alpha and doc[i - 1].text == "-")):
                return False
        return False

    def _person_tail(self, doc: Doc, piece: list[int]) -> list[int]:
        """'Ministry of Justice Deputy Secretary Marco Pellin' -> 'Ministry of Justice': a
        title and a person's name end the name."""
        fallback: list[int] = []
        for k in range(2, len(piece) - 1):
            if not (doc[piece[k]].text[:1].isupper() and self._title(doc[piece[k]])):
                continue
            j = k
            while j < len(piece) and (self._title(doc[piece[j]]) or doc[piece[j]].lower_ == "general"):
                j += 1
            rest = [doc[i] for i in piece[j:]]
            before = doc[piece[k - 1]]
            if (
                1 <= len(rest) <= 4
                and all(
                    is_name_word(t.text)
                    and t.text not in self.heads
                    and not t._.is_country
                    and t.lower_ not in self.generic
                    for t in rest
                )
                and any(doc[i].text in self.heads for i in piece[:k])
            ):
                if is_name_word(before.text):
                    return piece[:k]
                # "Office of the Prosecutor General Ana Pop": the title belongs to the name
                fallback = fallback or piece[:j]
        return fallback or piece

    def _venue_at(self, doc: Doc, i: int) -> bool:
        """Venue modifiers and a venue word from token i on: 'Conference Room', 'Board Room'."""
        while i < len(doc) and doc[i].lower_ in self.venue_modifiers:
            i += 1
        return i < len(doc) and doc[i].lower_ in self.venue_words and is_name_word(doc[i].text)

    def _venue_tail(self, doc: Doc, piece: list[int]) -> list[int]:
        """'Ministry of Foreign Affairs Conference Room', 'Police Headquarters Auditorium': a room
        or building of the body ends its name. A modifier goes with the venue only while a head
        word is left before it, so 'City Hall' and 'City Council Hall' keep their body."""
        if not piece:
            return piece
        end = len(piece)
        after = piece[-1] + 1
        if after < len(doc) and doc[after].lower_ in self.venue_words and is_name_word(doc[after].text):
            pass  # 'Headquarters' closed the run, 'Auditorium' follows it
        elif doc[piece[-1]].lower_ in self.venue_words:
            while end > 0 and doc[piece[end - 1]].lower_ in self.venue_words:
                end -= 1
        else:
            return piece

        def headed(k: int) -> bool:
            return any(doc[i].text in self.heads or doc[i].text in self.foreign_heads for i in piece[:k])

        if not headed(end):
            return piece
        while end > 1 and doc[piece[end - 1]].lower_ in self.venue_modifiers and headed(end - 1):
            end -= 1
        return piece[:end]

    def _title(self, token) -> bool:
        return token.lower_ in self.job_titles or token.lower_[:-1] in self.job_titles

    def _titled_office_next(self, doc: Doc, start: int, end: int) -> bool:
        """', Prosecutor General's Office': the next list item is a titled office, a body of its
        own, not a part of the name before ('Ministry of Gender, Community Development and ...')."""
        for i in range(start, min(end, start + 5) - 1):
            if doc[i].text in (",", "and", "&"):
                return False
            if doc[i].text in POSSESSIVE and doc[i + 1].text in self.heads:
                return True
        return False

    def _continuation(self, ctx: DocContext, piece: list[int]) -> list[int]:
        """A place after 'in'/'to' qualifies the name and is not part of it ('US Embassy in
        Maseru', 'Delegation of the European Union to Zimbabwe'), while 'Trafficking in Persons
        Unit' keeps its 'in'. 'Secretariat of the Ministry of X' is the Ministry of X."""
        doc = ctx.doc
        for k, i in enumerate(piece):
            word = doc[i].lower_
            if word in ("in", "to") and k and self._is_place(ctx, piece[:k], piece[k + 1 :], word):
                return piece[:k]
            if word == "in" and k and self._inside_body(doc, piece[:k], piece[k + 1 :]):
                # "Observance of Laws in the Ministry of Interior": that Ministry
                return piece[k + 1 + (doc[piece[k + 1]].lower_ == "the") :]
            if word == "of" and 0 < k < len(piece) - 2 and self._office_of(doc, piece[:k], piece[k + 1 :]):
                return piece[k + 1 + (doc[piece[k + 1]].lower_ == "the") :]
            if word == "of" and 0 < k < len(piece) - 2:
                j = k + 1 + (doc[piece[k + 1]].lower_ == "the")
                if (
                    j + 1 < len(piece)
                    and doc[piece[j]].text in self.of_heads
                    and doc[piece[j + 1]].lower_ in ("of", "for")
                    and doc[piece[k - 1]].text in self.heads
                ):
                    return piece[j:]
        return piece

    def _inside_body(self, doc: Doc, name: list[int], rest: list[int]) -> bool:
        """What comes before 'in the Ministry of X' names no body (no head word of its own)."""
        j = 1 if rest and doc[rest[0]].lower_ == "the" else 0
        return (
            len(rest) > j + 2
            and doc[rest[j]].text in self.of_heads
            and doc[rest[j + 1]].lower_ in ("of", "for")
            and not any(doc[i].text in self.heads or doc[i].text in self.foreign_heads for i in name)
        )

    def _office_of(self, doc: Doc, office: list[int], rest: list[int]) -> bool:
        """'(Press) Office of the General Police Inspectorate' is that Inspectorate."""
        words = [doc[i] for i in office]
        rest_words = [doc[i] for i in rest if doc[i].lower_ != "the"]
        return (
            norm_key(words[-1].text) in self.office_words
            and all(t.lower_ in self.generic for t in words[:-1])
            and len(rest_words) > 1
            and rest_words[-1].text in self.suffix_heads
            and all(is_name_word(t.text) for t in rest_words)
        )

    def _is_place(self, ctx: DocContext, name: list[int], rest: list[int], word: str = "in") -> bool:
        doc = ctx.doc
        words = [doc[i] for i in rest if doc[i].lower_ not in ("the", "and", ",")]
        if not words or any(t.text in self.heads for t in words):
            return False
        if all(
            t._.is_country
            or (t.ent_type_ in ("GPE", "LOC") and t.lower_ not in self.in_names["after"])
            or t.i in ctx.gazetteer_tokens
            for t in words
        ):
            return True  # "US Embassy in Namibia"; not "Centre for Human Rights in Africa"
        # Without a statistical model a city is just a capitalised word: trust it only after
        # heads that usually carry a location (Embassy, High Commission, Delegation, ...).
        # "Centre for Support to Displaced Families": after 'to' only those heads take a place.
        located = self.continuation_heads[word]
        text = " ".join(doc[i].text for i in name)
        if len(words) <= 2 and any(h in text for h in located) and all(t.text[:1].isupper() for t in words):
            return True
        return word == "in" and self._city_after(doc, name, rest)

    def _city_after(self, doc: Doc, name: list[int], rest: list[int]) -> bool:
        """'Ministry of Legal Affairs in Port of Spain': a complete name, then 'in' and a short
        capitalised run that ends the name is where the body sits; 'Office to Monitor and Combat
        Trafficking in Persons', 'Centre for Human Rights in Africa' keep theirs."""
        while rest and doc[rest[-1]].text == ",":  # the run may end at the comma after the place
            rest = rest[:-1]
        if not name or not rest or len(rest) > 4 or doc[name[-1]].lower_ in self.in_names["before"]:
            return False
        first, last = doc[rest[0]], doc[rest[-1]]
        if not (is_name_word(first.text) and is_name_word(last.text)):
            return False
        if any(doc[i].lower_ in self.in_names["after"] or doc[i].like_num for i in rest):
            return False
        if any(not is_name_word(doc[i].text) and doc[i].lower_ not in self.in_names["inside"] for i in rest):
            return False
        words = [doc[i] for i in name]
        if words[-1].text in self.suffix_heads:
            return True
        return words[-1].text[:1].isupper() and any(
            t.text in self.of_heads and words[j + 1].lower_ in ("of", "for", "on", "to")
            for j, t in enumerate(words[:-2])
        )

    def _commas(self, doc: Doc, piece: list[int], label: str) -> list[int]:
        """'Ministry of Gender Equality, Poverty Eradication and Social Welfare' keeps its commas
        (a list closed by 'and', or 'y'/'e'/'et'/'și' in a Spanish, Portuguese, French or
        Romanian name); 'Ministry of Social Services, Prosecutors, ...' stops at one.
        Before a suffix head a comma ends what precedes ('Dr. X, Health Division')."""
        while piece and doc[piece[-1]].lower_ in (",", "and", "&"):
            piece = piece[:-1]
        commas = [k for k, i in enumerate(piece) if doc[i].text == ","]
        if not commas:
            return piece
        first_head = next((k for k, i in enumerate(piece) if doc[i].text in self.heads), len(piece))
        if label == "SUFFIX" and commas[0] < first_head:
            before = [k for k in commas if k < first_head]
            piece = piece[before[-1] + 1 :]
            return self._commas(doc, piece, "OF")
        last = commas[-1]
        if any(doc[i].lower_ in _LIST_CLOSERS for i in piece[last + 1 :]):
            return piece
        return piece[: commas[0]]

    def _possessive(self, ctx: DocContext, piece: list[int]) -> tuple[list[int], list[int]]:
        """The name after an owner ("Kenya's", "the Command's", "DCI's"); the owner is returned
        too, as it may be an organisation of its own."""
        doc = ctx.doc
        # A name never starts inside a known one: "[U.S. Department of] State's Bureau of ..."
        while piece and piece[0] in ctx.gazetteer_tokens and piece[0] not in ctx.gazetteer_starts:
            piece = piece[1:]
        if piece and doc[piece[0]].text in POSSESSIVE:
            piece = piece[1:]
        for k, i in enumerate(piece):
            if doc[i].text in POSSESSIVE and 0 < k < len(piece) - 1:
                left = [doc[j] for j in piece[:k]]
                if left[-1]._.is_country and not all(t._.is_country for t in left):
                    # "IOM and Myanmar's Ministry of ...": the owner is the country
                    j = k
                    while j > 0 and doc[piece[j - 1]]._.is_country:
                        j -= 1
                    return piece[k + 1 :], piece[j:k]
                owner_is_org = (
                    all(t._.is_country for t in left)
                    or left[-1].text in self.suffix_heads
                    or (len(left) == 1 and ACRONYM.match(left[0].text))
                    or " ".join(t.text for t in left) in ctx.known_names
                    or (
                        left[0].text in self.of_heads
                        and len(left) > 2
                        and left[1].lower_ in ("of", "for")
                        and any(doc[j].text in self.heads for j in piece[k + 1 :])
                    )
                )
                if owner_is_org:
                    return piece[k + 1 :], piece[:k]
        if piece and doc[piece[-1]].text in POSSESSIVE:
            return piece[:-1], []
        return piece, []

    def _titled_office(self, doc: Doc, piece: list[int]) -> bool:
        """'Prosecutor General's Office', 'Director of Public Prosecutions' Office': a title
        that owns a head names the office."""
        return any(
            doc[i].text in POSSESSIVE
            and 0 < k < len(piece) - 1
            and doc[piece[k + 1]].text in self.heads
            and not doc[piece[k - 1]]._.is_country
            for k, i in enumerate(piece)
        )

    def _strip(self, doc: Doc, piece: list[int]) -> list[int]:
        # job titles: "Head of Office", "Registrar and Master of the High Court"
        if (
            piece
            and (doc[piece[0]].lower_ in self.job_titles or doc[piece[0]].lower_[:-1] in self.job_titles)
            and not self._titled_office(doc, piece)
        ):
            ofs = [k for k, i in enumerate(piece) if doc[i].lower_ in ("of", "at")]
            piece = piece[ofs[0] + 1 :] if ofs else []
        while piece and (doc[piece[0]].lower_ in self.leading_stop or not doc[piece[0]].text[:1].isupper()):
            piece = piece[1:]
        if len(piece) > 2 and doc[piece[0]].lower_ in ("ngo", "cso") and doc[piece[1]].text not in self.heads:
            piece = piece[1:]  # "NGO Women and Society"; not "NGO Forum on Cambodia"
        # "the Zambian Ministry of Labour", "Kenya Ministry of Health": the Ministry of ...
        k = 0
        while k < len(piece) and doc[piece[k]]._.is_country:
            k += 1
        if (
            0 < k < len(piece) - 2
            and doc[piece[k]].text in self.of_heads
            and doc[piece[k + 1]].lower_ in ("of", "for")
        ):
            piece = piece[k:]
        if len(piece) > 3 and doc[piece[-1]].text == ")" and doc[piece[-3]].text == "(":
            piece = piece[:-3]  # "Name (ACR)": the acronym is read after the name, not in it
        if len(piece) > 2 and ACRONYM.match(doc[piece[-1]].text):
            words = [doc[i].text for i in piece[:-1]]
            if initials_fit(words, doc[piece[-1]].text):
                piece = piece[:-1]  # "Name ACR": its acronym without brackets is no part of it
        while piece and not (
            is_name_word(doc[piece[-1]].text)
            or _ELISION.match(doc[piece[-1]].text)
            or self.is_head(doc, piece[-1])
        ):
            piece = piece[:-1]  # a name ends on a capitalised word: not "and", "of", "de", "'s"
        return piece

    def _of_cut(self, doc: Doc, piece: list[int]) -> list[int]:
        """'Border Control of the National Migration Service', 'Deputy Chief of Mission Karen
        Whitfield of the U.S. Embassy', 'Inspector Jane Doe of the Border Police': what comes
        before 'of' is not a body (no head word, or a head followed by a person's name), so the
        organisation is what follows."""
        while True:
            k = next((k for k, i in enumerate(piece) if k and doc[i].lower_ == "of"), None)
            if k is None:
                return piece
            rest = piece[k + 1 :]
            if rest and doc[rest[0]].lower_ == "the":
                rest = rest[1:]
            if not rest or any(doc[i].text in POSSESSIVE for i in rest):
                return piece
            heads = [j for j in range(k) if doc[piece[j]].text in self.heads | self.foreign_heads]
            if heads:
                last = heads[-1]
                between = [doc[piece[j]] for j in range(last + 1, k)]
                if not between or any(not is_name_word(t.text) for t in between):
                    return piece
            if not any(doc[i].text in self.heads or doc[i].text in self.foreign_heads for i in rest):
                return piece
            piece = rest

    def _strip_country_qualifier(self, piece: list[int], doc: Doc) -> list[int]:
        for k in range(len(piece) - 1, 0, -1):
            if doc[piece[k]].lower_ == "of":
                rest = [i for i in piece[k + 1 :] if doc[i].lower_ != "the"]
                if (
                    rest
                    and all(doc[i]._.is_country for i in rest)
                    and doc[piece[k - 1]].text not in self.country_titles
                ):
                    return piece[:k]
                return piece
        return piece

    def _qualifier(self, doc: Doc, piece: list[int], label: str) -> list[int]:
        """'Ministry of Internal Affairs of the Kyrgyz Republic' -> 'Ministry of Internal
        Affairs'; 'Police of the Czech Republic' stays whole (nothing would be left)."""
        if not piece:
            return piece
        shorter = self._strip_country_qualifier(piece, doc)
        if shorter != piece and self._acceptable(doc, shorter, label):
            return shorter
        return piece

    def _acceptable(self, doc: Doc, piece: list[int], label: str) -> bool:
        words = [doc[i] for i in piece]
        text = " ".join(t.text for t in words)
        if norm_key(text) in self.not_orgs or any(t.like_num for t in words):
            return False
        if words[-1].text in self.title_words or (
            piece[-1] + 1 < len(doc)
            and doc[piece[-1] + 1].text in self.title_words
            and not self._venue_at(doc, piece[-1] + 1)  # "... Conference Room" is a room
        ):
            return False  # "Trafficking in Persons (Prohibition) Enforcement and Administration Act"
        capitalised = [t for t in words if t.text[:1].isupper()]
        if capitalised and all(t._.is_country for t in capitalised):
            return False  # "Russian Federation" is a country
        if label == "FOREIGN":
            head = next((k for k, t in enumerate(words) if t.text in self.foreign_heads), None)
            if head is None or head > 2 or len(words) < head + 2:
                return False
            after = piece[-1] + 1
            defined = after + 1 < len(doc) and doc[after].text == "(" and ACRONYM.match(doc[after + 1].text)
            romance = any(t.lower_ in self.foreign_connectors or _ELISION.match(t.text) for t in words)
            return bool(defined or romance) and any(t.text[:1].isupper() for t in words[head + 1 :])
        if label == "OF":
            if words[0].text not in self.of_heads or len(words) < 3:
                return False
            return any(t.text[:1].isupper() for t in words[2:])
        heads = [t for t in words if self.is_head(doc, t.i)]
        if not heads:
            return False
        after = piece[-1] + 1
        if (
            after < len(doc)
            and words[-1] in heads
            and doc[after].text[:1].isupper()
            and (doc[after].lower_ in self.job_titles or doc[after].lower_[:-1] in self.job_titles)
        ):
            return False  # "Divisional Police Officers", "Police Commissioner"
        modifiers = [t for t in words if t not in heads and t.text[:1].isupper()]
        if len({t.lower_ for t in heads}) > 1 and modifiers:
            return True  # "General Police Inspectorate", "National Police Service"
        return any(t.lower_ not in self.generic for t in modifiers) or self._own_acronym(doc, piece)

    @staticmethod
    def _own_acronym(doc: Doc, piece: list[int]) -> bool:
        """'National Executive Council (NEC)': generic words the text gives an acronym of their
        own, every word capitalised, are a proper name ('the national committee' stays none)."""
        after = piece[-1] + 1
        words = [doc[i].text for i in piece]
        return (
            after + 2 < len(doc)
            and doc[after].text == "("
            and doc[after + 2].text == ")"
            and bool(ACRONYM.match(doc[after + 1].text))
            and all(w[:1].isupper() for w in words)
            and initials_fit(words, doc[after + 1].text)
        )
