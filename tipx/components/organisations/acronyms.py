"""Acronyms: definitions "Long Name (ACR)", bare later uses, and linking them to their body."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .context import Candidate

ACRONYM = re.compile(r"^(?=[A-Za-z&/.-]*[A-Z][A-Za-z&/.-]*[A-Z])[A-Z][A-Za-z&/.-]{1,11}$")


def in_caps_run(span: Span) -> bool:
    """An acronym inside an ALL-CAPS heading ('WHO WE ARE') is not an acronym."""
    doc = span.doc
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(
        t.is_alpha and t.is_upper and len(t) > 1 and t.text not in ("A", "I") for t in neighbours
    ) and any(t.is_alpha and t.is_upper and len(t) > 2 for t in neighbours)


def _closing(doc: Doc, end: int) -> int | None:
    """The ')' of a short parenthesis opening at `end`."""
    if end + 2 < len(doc) and doc[end].text == "(":
        return next((j for j in range(end + 1, min(end + 14, len(doc))) if doc[j].text == ")"), None)
    return None


def definitions(doc: Doc, cands: list[Candidate]) -> dict[int, str]:
    """Candidate index -> the acronym the text defines for it: 'Name (ACR)', 'Name (Native,
    ACR)' or 'ACR (Name)'."""
    in_names = {i for c in cands if len(c.span) > 1 for i in range(c.span.start, c.span.end)}
    out = {}
    for k, c in enumerate(cands):
        if len(c.span) == 1 and ACRONYM.match(c.span.text):
            continue  # "funded by the EU (DG ECHO)": an acronym is not another's expansion
        end = c.span.end
        close = _closing(doc, end)
        if close is not None:
            inner = doc[close - 1].text
            if doc[close - 1]._.is_country:
                continue  # "Project Rescue Foundation (INDIA)": where it works, not its acronym
            if ACRONYM.match(inner) and (close == end + 2 or doc[close - 2].text == ","):
                out[k] = inner
                continue
        elif end + 2 < len(doc) and doc[end].text == "(":
            continue
        acronym = _acronym_before(c.span, in_names)
        if acronym is not None:
            out[k] = acronym
    return out


def native_names(doc: Doc, cands: list[Candidate], acronyms: dict[int, str]) -> dict[int, int]:
    """Candidate index -> the definition it is the native name in: 'Office of the Attorney
    General (Procuradoria-Geral da República, PGR)' is one body under two names."""
    out = {}
    for k in acronyms:
        end = cands[k].span.end
        close = _closing(doc, end)
        if close is None or close == end + 2:
            continue
        for j, c in enumerate(cands):
            if end < c.span.start and c.span.end <= close - 2:
                out[j] = k
    return out


def _acronym_before(span: Span, in_names: set[int]) -> str | None:
    """The acronym of 'ACR (Name)' or 'ACR (the Name)': an acronym-shaped word on its own
    (a known body's bare acronym too) right before the parenthesised name."""
    doc = span.doc
    opening = span.start - 1
    if span[0].lower_ != "the" and opening > 0 and doc[opening].lower_ == "the":
        opening -= 1
    i = opening - 1
    if i < 0 or doc[opening].text != "(" or span.end >= len(doc) or doc[span.end].text != ")":
        return None
    word = doc[i : i + 1]
    if i in in_names or word[0]._.is_country or not ACRONYM.match(word.text) or in_caps_run(word):
        return None  # "IOM Mozambique (the Office)": not an acronym on its own
    return word.text


def member_groups(
    cands: list[Candidate], acronyms: dict[int, str], plural: set[str], known: set[str]
) -> set[int]:
    """Indexes of plural groups before a known body's acronym: 'the United Nation Agencies
    (IOM)' names IOM as one of the agencies; the group is no organisation, and no definition."""
    return {k for k, acr in acronyms.items() if acr in known and cands[k].span[-1].text in plural}


def bare_mentions(doc: Doc, cands: list[Candidate], acronyms: dict[int, str]) -> list[Candidate]:
    """Bare uses of acronyms defined in this text, outside other candidates."""
    defined = {acr: k for k, acr in acronyms.items()}
    taken = {i for c in cands for i in range(c.span.start, c.span.end)}
    extra = []
    for token in doc:
        if token.text in defined and token.i not in taken and not in_caps_run(doc[token.i : token.i + 1]):
            if token.i > 0 and doc[token.i - 1].text == "(":
                continue
            extra.append(Candidate(doc[token.i : token.i + 1], "acronym", name=token.text))
    return extra


def link_acronyms(spans: list[Span], defined: dict[str, dict]) -> None:
    """Mentions of one body share its identity: two spellings of a name defining one acronym,
    and a later bare mention of a defined name. The text's own definitions come first."""
    by_acronym = dict(defined)
    same = {}  # name key -> the identity of an earlier name defining the same acronym
    for span in spans:
        info = span._.tipx_org
        if info["acronym"]:
            first = by_acronym.setdefault(info["acronym"], info)
            if info["key"].startswith("name:") and first["key"] != info["key"]:
                # "Judicial Administrative Training Institute (JATI)" and later "Judicial
                # Administration Training Institution (JATI)": one body spelt two ways
                same.setdefault(info["key"], first)
    for span in spans:
        if span._.tipx_org["key"] in same:
            span._.tipx_org = dict(same[span._.tipx_org["key"]])
    for span in spans:
        info = span._.tipx_org
        if info["acronym"] in defined and defined[info["acronym"]]["key"] != info["key"]:
            # 'Austrian Development Agency' where the text defines ADA for another body
            span._.tipx_org = info = {**info, "acronym": None}
        if info["key"].startswith("name:") and not info["acronym"]:
            # a later mention of a defined name shares its acronym
            for other in by_acronym.values():
                if other["key"] == info["key"]:
                    span._.tipx_org = dict(other)


_OPTIONAL = frozenset(
    {"of", "for", "and", "the", "on", "in", "to", "against", "&", "de", "des", "du", "la", "et"}
)


def _parts(text: str) -> list[tuple[str, bool]]:
    """The words of a token with whether each must give the acronym a letter: 'Co-operation'
    -> [('co', True), ('operation', False)]; 'Justice-10' -> [('justice', True)]."""
    out = []
    for part in (p for p in re.split(r"[-–]", text) if p):
        letters = "".join(c for c in part if c.isalpha()).lower()
        if not letters:
            continue
        required = part[0].isupper() and part.lower() not in _OPTIONAL
        out.append((letters, required))
    return out


def initials_fit(words: list[str], acronym: str) -> bool:
    """Whether an acronym spells the words' initials: every capitalised word gives it the
    first letter or a prefix ('ECOWAS': Economic COmmunity of West African States), a
    lower-case word ('of', 'and', the 'agency' of 'Inter-agency') gives a prefix or nothing."""
    letters = "".join(c for c in acronym if c.isalpha()).lower()
    parts = [p for w in words for p in _parts(w)]
    if not letters or not parts or not parts[0][1] or len(parts) > 30:
        return False
    memo: dict[tuple[int, int], bool] = {}

    def fit(p: int, k: int) -> bool:
        if p == len(parts):
            return k == len(letters)
        key = (p, k)
        if key not in memo:
            word, required = parts[p]
            ok = not required and fit(p + 1, k)
            n = 0
            while not ok and k + n < len(letters) and n < len(word) and word[n] == letters[k + n]:
                n += 1
                ok = fit(p + 1, k + n)
            memo[key] = ok
        return memo[key]

    return fit(0, 0)
