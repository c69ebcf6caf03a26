"""Funders: organisations or governments that pay for the activity, with the sentence saying so.

A payer is an organisation span or, where no organisation was found around it, a country span
("the Swiss government", "Switzerland"). Evidence that a payer pays, from funding_cues.json:

- an ``object`` cue followed by the payer(s): "funded by X and Y", "with funding by X";
- a ``conditional_object`` cue that is financial only after a funding word ("The funding for
  the workshop was provided by X", "made possible through support provided by X"), while
  "with technical support from X" or "supported by X" alone are not;
- a ``subject`` cue after the payer: "X will provide financial support";
- the payer as the first part of a compound: "EU-funded project", "an EU funded project";
- a possessive: "Japan's donation", "the EU's financial support";
- a fund's own project: "an IOM Development Fund project".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ..provenance import provenance, sentence_of
from ..resources import Spec
from .base import ResourceComponent

CUES = Spec(
    keys={
        "object": list,
        "subject": list,
        "not_financial_before": list,
        "window_stops": list,
        "window_max_tokens": int,
        "joiners": list,
        "conditional_object": list,
        "funding_context": list,
        "funding_context_window": int,
        "compound_verbs": list,
        "donor_compound_verbs": list,
        "possessed_funding": list,
        "fund_heads": list,
        "project_nouns": list,
        "implementing_funds": list,
        "money_words": list,
        "channel_words": list,
        "implementers": list,
        "donor_agency_words": list,
        "money_verbs": list,
        "currencies": list,
        "donor_support": list,
        "donor_subject": list,
        "donor_bodies": list,
        "donor_unions": list,
        "donor_agencies": list,
        "donor_countries": list,
        "amount_links": list,
        "amount_nouns": list,
    }
)


# "EU)-funded" when the tokenizer leaves a parenthesised acronym glued to its compound verb
_GLUED_COMPOUND = re.compile(r"^[A-Z][A-Za-z0-9.&/]*\)[-–]?([a-z-]+)$")


@dataclass
class _Payers:
    """Per document: who can pay (organisations, and countries outside their names), indexed."""

    by_start: dict[int, Span]
    by_end: dict[int, list[Span]]
    has_sents: bool


class FunderFinder(ResourceComponent):
    specs = {"cues": CUES}

    def build(self, data: dict) -> None:
        nlp = self.nlp
        v = data["cues"]
        self.not_financial = set(v["not_financial_before"])
        self.stops = set(v["window_stops"])
        self.window = v["window_max_tokens"]
        self.joiners = set(v["joiners"])
        self.context_words = {tuple(w.split()) for w in v["funding_context"]}
        self.context_window = v["funding_context_window"]
        self.compound_verbs = set(v["compound_verbs"])
        self.donor_compound_verbs = set(v["donor_compound_verbs"])
        self.possessed = {tuple(w.split()) for w in v["possessed_funding"]}
        self.fund_heads = set(v["fund_heads"])
        self.project_nouns = set(v["project_nouns"])
        self.implementing_funds = set(v["implementing_funds"])
        self.money = set(v["money_words"])
        self.channels = set(v["channel_words"])
        self.implementers = set(v["implementers"])
        self.donor_words = set(v["donor_agency_words"])
        self.matcher = Matcher(nlp.vocab)
        self.currencies = set(v["currencies"])
        self.donor_bodies = v["donor_bodies"]
        self.donor_unions = set(v["donor_unions"])
        self.donor_agencies = set(v["donor_agencies"])
        self.donor_countries = set(v["donor_countries"])
        self.amount_links = set(v["amount_links"])
        self.amount_nouns = set(v["amount_nouns"])
        self.matcher.add("MONEY", [[{"LOWER": {"IN": v["money_verbs"]}}]])
        keys = {
            "OBJECT": "object",
            "CONDITIONAL": "conditional_object",
            "SUBJECT": "subject",
            "DONOR_SUPPORT": "donor_support",
            "DONOR_SUBJECT": "donor_subject",
        }
        for label, key in keys.items():
            self.matcher.add(label, [[{"LOWER": w} for w in cue] for cue in v[key]], greedy="LONGEST")

    def process(self, doc: Doc) -> Doc:
        organisations = list(doc.spans.get("organisations", []))
        covered = {i: n for n, o in enumerate(organisations) for i in range(o.start, o.end)}
        payers = sorted(
            organisations
            + [
                s
                for s in doc.spans.get("countries", [])  # not a country inside an organisation's name
                if covered.get(s.start, -1) != covered.get(s.end - 1, -2)
            ],
            key=lambda s: s.start,
        )
        found: list[Span] = []
        by_end: dict[int, list[Span]] = {}
        for p in payers:
            by_end.setdefault(p.end, []).append(p)
        # has_annotation scans every token: once per doc
        ctx = _Payers({p.start: p for p in payers}, by_end, doc.has_annotation("SENT_START"))
        payer_tokens = {i for p in payers for i in range(p.start, p.end)}
        for match_id, start, end in self.matcher(doc):
            cue = doc[start:end]
            if start > 0 and doc[start - 1].lower_ in self.not_financial:
                continue
            label = doc.vocab.strings[match_id]
            if label == "DONOR_SUPPORT":  # "with support from the EU": support from a donor
                after = self._after(doc, cue, ctx)
                # "support from the governments of Norway and Sweden": the body leads the list
                lead = doc[cue.end : after[0].start].text.lower() if after else ""
                led = any(b in lead for b in self.donor_bodies)
                found += [p for p in after if self._donor(doc, p, led)]
            elif label == "DONOR_SUBJECT":  # "the Japanese Government provided support"
                found += [p for p in self._before(cue, ctx) if self._donor(doc, p)]
            elif label == "SUBJECT" or (label == "MONEY" and self._amount_after(doc, end)):
                found += self._before(cue, ctx)
            elif label == "OBJECT" or self._funding_context(doc, cue, payer_tokens, ctx):
                found += self._after(doc, cue, ctx)
        for payer in payers:
            if self._compound(doc, payer) or self._possessive(doc, payer) or self._fund_project(doc, payer):
                found.append(payer)
        spans = []
        for span in sorted({(s.start, s.end): s for s in found}.values(), key=lambda s: s.start):
            org = span._.tipx_org
            if org:
                name, acronym, key = (
                    org["name"] or org["acronym"],
                    org["acronym"] if org["name"] else None,
                    org["key"],
                )
            else:
                name, acronym, key = span._.tipx_country["name"], None, span._.tipx_country["iso2"]
            span._.tipx_funder = {
                "_key": key,
                "name": name,
                "acronym": acronym,
                "evidence": sentence_of(span),
                **provenance(span),
            }
            spans.append(span)
        doc.spans["funders"] = spans
        return doc

    # ------------------------------------------------------------------ cue then payer

    def _funding_context(self, doc: Doc, cue: Span, payer_tokens: set[int], ctx: _Payers) -> bool:
        """A funding word shortly before a conditional cue, with no payer in between: 'the
        funding for the workshop was provided by'; not 'with funding by X, and with support
        from Y'."""
        lo = max(cue.sent.start if ctx.has_sents else 0, cue.start - self.context_window)
        for i in range(cue.start - 1, lo - 1, -1):
            if i in payer_tokens:
                return False
            for words in self.context_words:
                n = len(words)
                if i - n + 1 >= lo and tuple(t.lower_ for t in doc[i - n + 1 : i + 1]) == words:
                    return True
        return False

    def _amount_after(self, doc: Doc, i: int) -> bool:
        """'has provided $500,000', 'contributed EUR 2 million', 'pledged 3 million euros': an
        amount of money (a currency and a number) right after the verb, or after a short noun
        phrase and a link: 'will provide a non-refundable assistance worth more than 482,000 USD',
        'allocated a grant of EUR 50,000'."""
        if self._amount_at(doc, i):
            return True
        for j in range(i + 1, min(len(doc), i + 6)):  # not "donated equipment worth US$ 68,500"
            if doc[j].is_punct and doc[j].text != "-":
                return False
            if doc[j].lower_ in self.amount_links and doc[j - 1].lower_ in self.amount_nouns:
                return self._amount_at(doc, j + 1)
        return False

    def _amount_at(self, doc: Doc, i: int) -> bool:
        while i < len(doc) and doc[i].lower_ in self.money and doc[i].lower_ not in self.currencies:
            i += 1  # "over", "some", "a total of"
        words = doc[i : i + 3]
        if not len(words) or not (words[0].like_num or words[0].lower_ in self.currencies):
            return False  # "donated equipment worth US$ 68,500" is not giving money
        return any(t.lower_ in self.currencies for t in words) and any(t.like_num for t in words)

    def _skip_money(self, doc: Doc, i: int, limit: int) -> int | None:
        """'a grant of US$ 500,000 from X': past the amount and its 'from'/'by'; i unchanged
        when no amount stands there; None when an amount is not followed by from/by."""
        j = i
        while j < limit and (doc[j].lower_ in self.money or doc[j].like_num):
            j += 1
        if j == i or not any(doc[k].like_num for k in range(i, j)):
            return i
        if j < limit and doc[j].lower_ in ("from", "by"):
            return j + 1
        return None

    def _after(self, doc: Doc, cue: Span, ctx: _Payers) -> list[Span]:
        """The payer(s) right after the cue: 'funded by the Norwegian government and the US
        State Department's Bureau of ... (PRM)'. A few words may lead to the first payer; after
        it only joiners may stand between payers, so 'funded by X, marks the first ... IOM'
        stops at 'marks'."""
        limit = min(len(doc), cue.end + self.window)
        if ctx.has_sents:
            limit = min(limit, cue.sent.end)
        out: list[Span] = []
        i, lead = self._skip_money(doc, cue.end, limit), 0
        if i is None:
            return out
        channel = False  # after "through"/"via": an agency of the donor, not the implementer
        # after a bare comma a payer is one of a list only if "and" comes later: "funded by A,
        # B and C"; not "sponsored by A, the Attorney General's Office announced"
        pending: list[Span] = []
        linked = comma = False
        while i < limit:
            payer = ctx.by_start.get(i)
            if payer is not None:
                if channel and not self._donor_channel(doc, payer, out):
                    break
                organisation = ctx.by_start.get(payer.end)
                if not payer._.tipx_org and organisation is not None and organisation._.tipx_org:
                    i = payer.end  # "the Australian Department of Home Affairs": one payer
                    continue
                if out and comma and not linked and not channel:
                    pending.append(payer)
                else:
                    out += pending + [payer]
                    pending = []
                linked = comma = False
                i = payer.end
                continue
            token = doc[i]
            if token.lower_ in ("and", "&", "(", "well") or token.lower_ in self.channels:
                linked = True
            comma = comma or token.text == ","
            if out and token.lower_ in self.channels:
                channel = True
            if not out:
                lead += 1
                if lead > 4 or token.lower_ in self.stops or (token.is_punct and token.text != "'"):
                    break
            elif token.lower_ not in self.joiners and not (token.text.isupper() and doc[i - 1].text == "("):
                break
            i += 1
        return out

    def _countries(self, doc: Doc, payer: Span) -> set[str]:
        countries = doc.spans.get("countries", [])
        inside = {c._.tipx_country["iso2"] for c in countries if payer.start <= c.start < payer.end}
        return inside | ({payer._.tipx_country["iso2"]} if payer._.tipx_country else set())

    def _donor_channel(self, doc: Doc, payer: Span, before: list[Span]) -> bool:
        """'funded by Sweden through the Swedish International Development Cooperation Agency
        (Sida)', 'by the United Kingdom through the Foreign, Commonwealth & Development Office':
        yes; 'funded by the U.S. Department of State through UNODC and the national agency': no."""
        org = payer._.tipx_org or {}
        names = " ".join(filter(None, (payer.text, org.get("name"), org.get("acronym")))).lower()
        words = set(names.replace(",", " ").split())
        if words & self.implementers or any(w in names for w in self.implementers if " " in w):
            return False
        if self._countries(doc, payer) & set().union(*(self._countries(doc, p) for p in before)):
            return True
        return bool(words & self.donor_words) or any(w in names for w in self.donor_words if " " in w)

    def _donor(self, doc: Doc, payer: Span, led: bool = False) -> bool:
        """Is support from this payer money? A government, embassy or foreign ministry of a
        donor country ('the Japanese Government', 'Embassy of Sweden', 'the Kingdom of the
        Netherlands'), a donor agency ('Swiss Agency for Development and Cooperation'), the
        European Union; never an implementer (IOM, UNODC) or a host government's body. ``led``:
        a body heads the list the payer stands in ('the governments of Norway and Sweden')."""
        org = payer._.tipx_org or {}
        names = [n.lower() for n in (payer.text, org.get("name"), org.get("acronym")) if n]
        names = [n[4:] if n.startswith("the ") else n for n in names]
        if any(n in self.donor_unions or n in self.donor_agencies for n in names):
            return True  # the EU; a donor country's aid agency by name ("USAID", "JICA")
        joined = " ".join(names)
        words = set(joined.replace(",", " ").split())
        if words & self.implementers or any(w in joined for w in self.implementers if " " in w):
            return False
        # its countries, and a demonym right before it ("the Canada Fund", "Australian Department")
        countries = self._countries(doc, payer) | {
            c._.tipx_country["iso2"] for c in doc.spans.get("countries", []) if c.end == payer.start
        }
        if not countries & self.donor_countries:
            return False
        nxt = doc[payer.end].lower_ if payer.end < len(doc) else ""
        body = led or any(b in joined for b in self.donor_bodies) or nxt in ("government", "embassy")
        agency = bool(org) and (
            bool(words & self.donor_words) or any(w in joined for w in self.donor_words if " " in w)
        )
        return body or agency

    def _before(self, cue: Span, ctx: _Payers) -> list[Span]:
        """The last payer ending before the cue, at most eight tokens before it and in its
        sentence: 'The US Trafficking in Persons Office (G/TIP) funds this training'."""
        lo = cue.sent.start if ctx.has_sents else 0
        candidates = [
            p
            for end in range(max(lo, cue.start - 8), cue.start + 1)
            for p in ctx.by_end.get(end, ())
            if p.start >= lo
        ]
        return sorted(candidates, key=lambda p: (p.end, p.end - p.start))[-1:]

    # ------------------------------------------------------------------ payer in a phrase

    def _compound(self, doc: Doc, payer: Span) -> bool:
        """'EU-funded project', 'an EU funded project', 'Japan-financed shelters'; not 'IOM
        funded by the EU'."""
        before = doc[payer.start - 1] if payer.start > 0 else None
        if before is not None and before.text in ("/", "-") and not before.whitespace_:
            return False  # "USAID/Bangladesh funded": the payer is the whole chain
        i = payer.end
        if i + 1 < len(doc) and doc[i].text == "(":  # "the European Union (EU)-funded project"
            glued = _GLUED_COMPOUND.match(doc[i + 1].text)
            if glued:  # the tokenizer kept "EU)-funded" whole
                return self._compound_verb(doc, payer, glued.group(1).lower(), i + 2)
            if i + 2 < len(doc) and doc[i + 2].text == ")" and doc[i + 1].text.isupper():
                i += 3
        elif payer.start > 0 and doc[payer.start - 1].text == "(" and i < len(doc) and doc[i].text == ")":
            i += 1  # the acronym itself: "European Union (EU)-funded"
        if i < len(doc) and doc[i].text in ("-", "–") and not doc[i - 1].whitespace_:
            i += 1
        if i >= len(doc):
            return False
        return self._compound_verb(doc, payer, doc[i].lower_, i + 1)

    def _compound_verb(self, doc: Doc, payer: Span, verb: str, after: int) -> bool:
        """'funded' after any payer; 'supported' only after a donor ('the EU-supported project',
        not 'an IOM-supported training'); never followed by its agent ('funded by')."""
        donor = verb in self.donor_compound_verbs and self._donor(doc, payer)
        if verb not in self.compound_verbs and not donor:
            return False
        return after >= len(doc) or doc[after].lower_ not in ("by", "through", "with")

    def _possessive(self, doc: Doc, payer: Span) -> bool:
        """'Japan's donation', 'the EU's generous financial support'."""
        i = payer.end
        if i >= len(doc) or doc[i].lower_ not in ("'s", "’s", "'"):
            return False
        rest = [t.lower_ for t in doc[i + 1 : i + 5]]
        return any(tuple(rest[k : k + len(w)]) == w for w in self.possessed for k in range(0, 2))

    def _fund_project(self, doc: Doc, payer: Span) -> bool:
        """A fund named as the owner of a project pays for it: 'an IOM Development Fund project'
        (not a fund that implements its own programmes, such as UNICEF)."""
        if payer[-1].lower_ not in self.fund_heads or payer.end >= len(doc):
            return False
        if doc[payer.end].lower_ not in self.project_nouns:
            return False
        org = payer._.tipx_org or {}
        names = {payer.text.lower(), (org.get("name") or "").lower(), (org.get("acronym") or "").lower()}
        return not any(f in n for n in names for f in self.implementing_funds if n)


@Language.factory(
    "tipx_funders",
    default_config={"cues": "funding_cues.json"},
    assigns=["doc.spans", "span._.tipx_funder"],
    requires=["doc.spans", "span._.tipx_org", "span._.tipx_country"],  # organisations and countries
)
def make_funders(nlp: Language, name: str, cues: str) -> FunderFinder:
    return FunderFinder(nlp, name, cues=cues)
