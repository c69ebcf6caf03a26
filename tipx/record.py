"""The record schema: one JSON object per document (or per article of a multi-article file)."""

from __future__ import annotations

from spacy.tokens import Doc

from .components.common import provenance
from .components.countries import country_record
from .reader import Article


def build_record(doc: Doc, article: Article) -> dict:
    record: dict = {"source": article.source, "title": article.title, "published": article.published}
    if article.index is not None:
        record["article"] = article.index

    organisations = []
    for spans in _group_by(doc.spans["organisations"], lambda s: s._.tipx_org["key"]).values():
        info = spans[0]._.tipx_org
        organisations.append(
            {
                "name": info["name"] or info["acronym"],
                "acronym": info["acronym"] if info["name"] else None,
                "mentions": [provenance(s) for s in spans],
            }
        )
    record["organisations"] = organisations

    record["countries"] = [
        country_record(iso2, spans)
        for iso2, spans in _group_by(doc.spans["countries"], lambda s: s._.tipx_country).items()
    ]

    seen = set()
    dates = []
    for span in doc.spans["dates"]:
        item = span._.tipx_date
        if (item["start"], item["end"]) not in seen:
            seen.add((item["start"], item["end"]))
            dates.append(item)
    record["dates"] = dates

    seen = set()
    participants = []
    for span in doc.spans["participants"]:
        item = span._.tipx_participant
        key = (item["count"], item["text"].lower())
        if key not in seen:
            seen.add(key)
            participants.append(item)
    record["participants"] = participants

    funders = []
    for spans in _group_by(doc.spans["funders"], lambda s: s._.tipx_funder["key"]).values():
        info = dict(spans[0]._.tipx_funder)
        info.pop("key")
        funders.append(info)
    record["funders"] = funders

    emails = []
    seen = set()
    for span in doc.spans["emails"]:
        item = span._.tipx_email
        if item["address"] not in seen:
            seen.add(item["address"])
            emails.append(item)
    record["emails"] = emails
    return record


def _group_by(spans, key):
    groups: dict = {}
    for span in spans:
        groups.setdefault(key(span), []).append(span)
    return groups
