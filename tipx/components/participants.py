"""Participants: how many people attended, were trained or took part ("42 frontline officers")."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from ..provenance import doc_text, provenance
from ..resources import Spec
from .base import ResourceComponent

VOCABULARY = Spec(
    keys={
        "heads": list,
        "multiword_heads": list,
        "number_words": dict,
        "qualifiers": list,
        "modifier_blockers": list,
        "money_before": list,
        "single_modifier_only": list,
    }
)


def parse_number(words: list[str], number_words: dict[str, int]) -> int | None:
    """'2,563' -> 2563; 'Thirty - six' -> 36; 'forty-two' -> 42."""
    text = " ".join(words).replace(" - ", "-").strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", text):
        return int(text.replace(",", ""))
    total = 0
    for part in re.split(r"[-\s]+", text.lower()):
        if part not in number_words:
            return None
        value = number_words[part]
        total = total * value if value in (100, 1000) and total else total + value
    return total or None


class ParticipantFinder(ResourceComponent):
    specs = {"vocabulary": VOCABULARY}

    def build(self, data: dict) -> None:
        v = data["vocabulary"]
        self.number_words = v["number_words"]
        self.qualifiers = sorted(v["qualifiers"], key=len, reverse=True)
        self.money = set(v["money_before"])
        heads = [h for h in v["heads"] if " " not in h and h not in v["single_modifier_only"]]
        number = {"LIKE_NUM": True}
        modifier = {"IS_ALPHA": True, "LOWER": {"NOT_IN": v["modifier_blockers"]}, "OP": "{0,3}"}
        hyphen_mod = [{"IS_ALPHA": True, "OP": "?"}, {"ORTH": "-"}, {"IS_ALPHA": True}]
        self.matcher = Matcher(self.nlp.vocab)
        for num in ([number], [number, {"ORTH": "-"}, number]):
            self.matcher.add(
                "PEOPLE",
                [
                    [*num, modifier, {"LOWER": {"IN": heads}}],
                    [*num, *hyphen_mod, modifier, {"LOWER": {"IN": heads}}],
                    *[[*num, modifier, *({"LOWER": w} for w in multi)] for multi in v["multiword_heads"]],
                ],
                greedy="LONGEST",
            )

    def process(self, doc: Doc) -> Doc:
        date_tokens = {i for span in doc.spans.get("dates", []) for i in range(span.start, span.end)}
        spans = []
        for _, start, end in self.matcher(doc):
            span = doc[start:end]
            num_end = start + 1
            while (
                num_end < end
                and (doc[num_end].like_num or doc[num_end].text == "-")
                and (doc[num_end].text != "-" or (num_end + 1 < end and doc[num_end + 1].like_num))
            ):
                num_end += 1
            if date_tokens.intersection(range(start, num_end)):
                continue
            if start > 0 and doc[start - 1].text in self.money:
                continue
            if end < len(doc) and doc[end].lower_ in ("%", "percent"):
                continue
            count = parse_number([t.text for t in doc[start:num_end]], self.number_words)
            if not count:
                continue
            before = doc_text(doc)[max(0, span.start_char - 20) : span.start_char].lower()
            qualifier = next((q for q in self.qualifiers if before.rstrip().endswith(q)), None)
            span._.tipx_participant = {"count": count, "qualifier": qualifier, **provenance(span)}
            spans.append(span)
        doc.spans["participants"] = spans
        return doc


@Language.factory(
    "tipx_participants",
    default_config={"vocabulary": "participants.json"},
    assigns=["doc.spans", "span._.tipx_participant"],
    requires=["doc.spans"],  # the dates group: a year is never a count
)
def make_participants(nlp: Language, name: str, vocabulary: str) -> ParticipantFinder:
    return ParticipantFinder(nlp, name, vocabulary=vocabulary)
