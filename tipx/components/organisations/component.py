"""The organisations component: candidates from the gazetteer, naming patterns and acronym
definitions, resolved longest-first and grouped into one entry per organisation."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ...resources import Spec
from ..base import ResourceComponent
from ..common import meta
from .acronyms import bare_mentions, definitions, link_acronyms
from .context import DocContext
from .gazetteer import Gazetteer
from .grouping import Grouper, filter_spans_keep, merge_prefixes
from .names import NamePatterns


class OrganisationFinder(ResourceComponent):
    specs = {
        "gazetteer": Spec(
            rows=True,
            keys={"name": str, "acronym": (str, type(None))},
            optional={"aliases": list, "acronym_needs_name": bool, "kind": str},
        ),
        "patterns": Spec(
            keys={
                "of_heads": list,
                "suffix_heads": list,
                "plural_heads": dict,
                "lowercase_heads_after_acronym": list,
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
        ),
    }

    def build(self, data: dict[str, Any]) -> None:
        self.gazetteer = Gazetteer(self.nlp, data["gazetteer"])
        self.names = NamePatterns(self.nlp, data["patterns"])
        self.grouper = Grouper(self.gazetteer, data["patterns"]["office_words"])

    def process(self, doc: Doc) -> Doc:
        ctx = DocContext.create(doc, meta(doc).get("title_end", 0), self.gazetteer.find(doc))
        cands = filter_spans_keep(ctx.gazetteer + self.names.find(ctx))
        acronyms = definitions(doc, cands)
        spans = []
        for k, cand in enumerate(cands + bare_mentions(doc, cands, acronyms)):
            info = self.grouper.describe(cand, acronyms.get(k))
            if info is None:
                continue
            span = cand.span
            span._.tipx_org = info
            spans.append(span)
        link_acronyms(spans)
        merge_prefixes(spans)
        doc.spans["organisations"] = spans
        return doc


@Language.factory(
    "tipx_organisations",
    default_config={"gazetteer": "organisations.jsonl", "patterns": "organisation_patterns.json"},
    assigns=["doc.spans", "span._.tipx_org"],
    requires=["token._.is_country"],
)
def make_organisations(nlp: Language, name: str, gazetteer: str, patterns: str) -> OrganisationFinder:
    return OrganisationFinder(nlp, name, gazetteer=gazetteer, patterns=patterns)
