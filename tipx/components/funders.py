"""Funders: organisations or governments that pay for the activity, with the sentence saying so."""

from __future__ import annotations

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
    }
)


class FunderFinder(ResourceComponent):
    specs = {"cues": CUES}

    def build(self, data: dict) -> None:
        v = data["cues"]
        self.not_financial = set(v["not_financial_before"])
        self.stops = set(v["window_stops"])
        self.window = v["window_max_tokens"]
        self.joiners = set(v["joiners"])
        self.matcher = Matcher(self.nlp.vocab)
        self.matcher.add("OBJECT", [[{"LOWER": w} for w in cue] for cue in v["object"]], greedy="LONGEST")
        self.matcher.add("SUBJECT", [[{"LOWER": w} for w in cue] for cue in v["subject"]], greedy="LONGEST")

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
        by_start = {p.start: p for p in payers}
        has_sents = doc.has_annotation("SENT_START")  # scans every token: once per doc
        for match_id, start, end in self.matcher(doc):
            cue = doc[start:end]
            if start > 0 and doc[start - 1].lower_ in self.not_financial:
                continue
            if doc.vocab.strings[match_id] == "OBJECT":
                found += self._after(doc, cue, by_start, has_sents)
            else:
                found += self._before(cue, by_start, has_sents)
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

    def _after(self, doc: Doc, cue: Span, by_start: dict[int, Span], has_sents: bool) -> list[Span]:
        """The payer(s) right after the cue: 'funded by the Norwegian government and the US
        State Department's Bureau of ... (PRM)'. A few words may lead to the first payer; after
        it only joiners may stand between payers, so 'funded by X, marks the first ... IOM'
        stops at 'marks'."""
        limit = min(len(doc), cue.end + self.window)
        if has_sents:
            limit = min(limit, cue.sent.end)
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

    def _before(self, cue: Span, by_start: dict[int, Span], has_sents: bool) -> list[Span]:
        """The last payer ending before the cue, within eight tokens and the sentence."""
        start = max(cue.sent.start if has_sents else 0, cue.start - 8)
        candidates = [by_start[i] for i in range(start, cue.start) if i in by_start]
        return [p for p in candidates if p.end <= cue.start][-1:]


@Language.factory(
    "tipx_funders",
    default_config={"cues": "funding_cues.json"},
    assigns=["doc.spans", "span._.tipx_funder"],
    requires=["doc.spans", "span._.tipx_org", "span._.tipx_country"],  # organisations and countries
)
def make_funders(nlp: Language, name: str, cues: str) -> FunderFinder:
    return FunderFinder(nlp, name, cues=cues)
