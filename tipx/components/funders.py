"""Funders: organisations or governments that pay for the activity, with the sentence saying so."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ..resources import load_json
from .common import provenance, sentence_of
from .countries import country_name


class FunderFinder:
    def __init__(self, nlp: Language, resource: str):
        v = load_json(resource)
        self.not_financial = set(v["not_financial_before"])
        self.stops = set(v["window_stops"])
        self.window = v["window_max_tokens"]
        self.joiners = set(v["joiners"])
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("OBJECT", [[{"LOWER": w} for w in cue] for cue in v["object"]], greedy="LONGEST")
        self.matcher.add("SUBJECT", [[{"LOWER": w} for w in cue] for cue in v["subject"]], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        payers = sorted(
            [s for s in doc.spans.get("organisations", [])]
            + [
                s
                for s in doc.spans.get("countries", [])
                if not _inside(s, doc.spans.get("organisations", []))
            ],
            key=lambda s: s.start,
        )
        found: list[Span] = []
        for match_id, start, end in self.matcher(doc):
            cue = doc[start:end]
            if start > 0 and doc[start - 1].lower_ in self.not_financial:
                continue
            if doc.vocab.strings[match_id] == "OBJECT":
                found += self._after(doc, cue, payers)
            else:
                found += self._before(cue, payers)
        spans = []
        for span in found:
            org = span._.tipx_org
            if org:
                name, acronym, key = (
                    org["name"] or org["acronym"],
                    org["acronym"] if org["name"] else None,
                    org["key"],
                )
            else:
                name, acronym, key = country_name(span._.tipx_country), None, span._.tipx_country
            span._.tipx_funder = {
                "key": key,
                "name": name,
                "acronym": acronym,
                "evidence": sentence_of(span),
                **provenance(span),
            }
            spans.append(span)
        doc.spans["funders"] = spans
        return doc

    def _after(self, doc: Doc, cue: Span, payers: list[Span]) -> list[Span]:
        """The payer(s) right after the cue: 'funded by the Norwegian government and the US
        State Department's Bureau of ... (PRM)'. A few words may lead to the first payer; after
        it only joiners may stand between payers, so 'funded by X, marks the first ... IOM'
        stops at 'marks'."""
        limit = min(len(doc), cue.end + self.window)
        if doc.has_annotation("SENT_START"):
            limit = min(limit, cue.sent.end)
        by_start = {p.start: p for p in payers}
        out: list[Span] = []
        i, lead = cue.end, 0
        while i < limit:
            payer = by_start.get(i)
            if payer is not None:
                out.append(payer)
                i = payer.end
                continue
            token = doc[i]
            if not out:
                lead += 1
                if lead > 4 or token.lower_ in self.stops or (token.is_punct and token.text != "'"):
                    break
            elif token.lower_ not in self.joiners and not (token.text.isupper() and doc[i - 1].text == "("):
                break
            i += 1
        return out

    def _before(self, cue: Span, payers: list[Span]) -> list[Span]:
        start = max(cue.sent.start if cue.doc.has_annotation("SENT_START") else 0, cue.start - 8)
        candidates = [p for p in payers if start <= p.start and p.end <= cue.start]
        return candidates[-1:]


def _inside(span: Span, others) -> bool:
    return any(o.start <= span.start and span.end <= o.end for o in others)


@Language.factory("tipx_funders", default_config={"resource": "funding_cues.json"})
def make_funders(nlp: Language, name: str, resource: str) -> FunderFinder:
    return FunderFinder(nlp, resource)
