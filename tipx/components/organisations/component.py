"""The organisations component: candidates from the gazetteer, naming patterns and acronym
definitions, resolved longest-first and grouped into one entry per organisation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ...resources import Spec
from ..base import ResourceComponent
from ..common import meta
from .acronyms import bare_mentions, definitions, link_acronyms, member_groups, native_names
from .context import Candidate, DocContext
from .evidence import EvidenceFinder
from .gazetteer import Gazetteer
from .grouping import Grouper, filter_spans_keep, merge_country_forms, merge_prefixes, qualified_names
from .names import NamePatterns

# Sources of candidates and evidence that verifies them; each can be switched off in the
# component's config ("evidence") to measure what it adds.
EVIDENCE = (
    "gazetteer",  # known bodies, their aliases and acronyms
    "heads",  # naming patterns around an organisation word: "Ministry of ...", "... Police Force"
    "foreign",  # French/Portuguese/Spanish names led by their head: "Direction Générale de ..."
    "acronym",  # a defined acronym after a name: "Ligue ... (LICADHO)"
    "apposition",  # "X, a local NGO", "X, the mobile operator"
    "introducer",  # "the NGO X", "the charity X"
    "role",  # "X organised / trained / donated ..."
    "member",  # "X staff / lawyers / officials", "representatives of X"
    "coordination",  # "X and the Ministry of Y"
    "ner",  # the statistical model's ORG entities (and its PERSON/GPE ones as rejections)
)


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
                "foreign_heads": list,
                "foreign_connectors": list,
                "plural_heads": dict,
                "country_titles": list,
                "lowercase_heads_after_acronym": list,
                "continuation_heads": dict,
                "in_names": dict,
                "connectors": list,
                "generic_modifiers": list,
                "job_titles": list,
                "portfolio_heads": list,
                "leading_stopwords": list,
                "not_organisations": list,
                "office_words": list,
                "never_in_names": list,
                "honorifics": list,
                "max_name_tokens": int,
            },
            optional={"venue_tail": dict},
        ),
        "cues": Spec(
            keys={
                "descriptors": list,
                "role_verbs": list,
                "member_nouns": list,
                "not_organisation_heads": list,
                "person_titles": list,
                "inner_connectors": list,
                "list_introducers": list,
            }
        ),
    }

    def __init__(self, nlp: Language, name: str, *, evidence: Iterable[str] = EVIDENCE, **sources: str):
        super().__init__(nlp, name, **sources)
        unknown = set(evidence) - set(EVIDENCE)
        if unknown:
            raise ValueError(f"{name}: unknown evidence {sorted(unknown)} (known: {', '.join(EVIDENCE)})")
        self.evidence = frozenset(evidence)

    def build(self, data: dict[str, Any]) -> None:
        self.gazetteer = Gazetteer(self.nlp, data["gazetteer"])
        titles = {"not_organisation_heads": data["cues"]["not_organisation_heads"]}
        self.names = NamePatterns(self.nlp, {**data["patterns"], **titles}, self.evidence)
        self.grouper = Grouper(self.gazetteer, data["patterns"]["office_words"])
        self.cues = EvidenceFinder(
            {**data["patterns"], **data["cues"]},
            self.evidence,
            self.names.heads | self.names.foreign_heads,
            self.names.job_titles,
        )

    def _definitions(
        self, doc: Doc, cands: list[Candidate]
    ) -> tuple[list[Candidate], dict[int, str], dict[int, dict], dict[str, dict]]:
        """The acronyms the text defines, described first: a definition decides what its
        acronym means everywhere in the text, over the gazetteer's expansion. Returns the
        candidates (without plural groups naming a member), candidate index -> acronym,
        the definitions' identities by candidate index, and acronym -> identity."""
        acronyms = definitions(doc, cands)
        known = set(self.gazetteer.acronym_entries)
        groups = member_groups(cands, acronyms, set(self.names.plural_heads), known)
        if groups:
            cands = [c for k, c in enumerate(cands) if k not in groups]
            acronyms = definitions(doc, cands)
        defined: dict[str, dict] = {}
        infos = {}
        for k in sorted(acronyms):
            acronym = acronyms[k]
            infos[k] = info = self.grouper.describe(cands[k], acronym, defined)
            if acronym in known and info["key"].startswith("gaz:") and info["acronym"] != acronym:
                # "the US Department of State (J/TIP)", "INL (US Department of State)": two
                # known bodies side by side, not a definition
                del acronyms[k]
                continue
            defined.setdefault(acronym, info)
        for j, k in native_names(doc, cands, acronyms).items():
            infos[j] = dict(infos[k])
        return cands, acronyms, infos, defined

    def process(self, doc: Doc) -> Doc:
        found = self.gazetteer.find(doc) if "gazetteer" in self.evidence else []
        ctx = DocContext.create(doc, meta(doc).get("title_end", 0), found)
        cands = filter_spans_keep(ctx.gazetteer + self.names.find(ctx))
        cands = sorted(cands + self.cues.find(ctx, cands), key=lambda c: c.span.start)
        cands, acronyms, infos, defined = self._definitions(doc, cands)
        spans = []
        for k, cand in enumerate(cands + bare_mentions(doc, cands, acronyms)):
            span = cand.span
            span._.tipx_org = infos.get(k) or self.grouper.describe(cand, acronyms.get(k), defined)
            spans.append(span)
        link_acronyms(spans, defined)
        qualified_names(spans)
        merge_prefixes(spans)
        merge_country_forms(spans)
        doc.spans["organisations"] = spans
        return doc


@Language.factory(
    "tipx_organisations",
    default_config={
        "gazetteer": "organisations.jsonl",
        "patterns": "organisation_patterns.json",
        "cues": "organisation_cues.json",
        "evidence": list(EVIDENCE),
    },
    assigns=["doc.spans", "span._.tipx_org"],
    requires=["token._.is_country"],
)
def make_organisations(
    nlp: Language, name: str, gazetteer: str, patterns: str, cues: str, evidence: list[str]
) -> OrganisationFinder:
    return OrganisationFinder(nlp, name, evidence=evidence, gazetteer=gazetteer, patterns=patterns, cues=cues)
