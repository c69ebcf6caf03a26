"""The record schema: one JSON object per document (or per article of a multi-article file).

A record is built from one Doc, or from several Docs when a long text was processed in
pieces; each piece comes with the offset of its first character in the prepared text."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Doc

from .components.common import provenance
from .components.countries import country_record
from .reader import Article


def _spans(parts: list[tuple[Doc, int]], group: str):
    for doc, offset in parts:
        for span in doc.spans[group]:
            yield span, offset


def _shifted(item: dict, offset: int) -> dict:
    if not offset:
        return item
    return {**item, "start_char": item["start_char"] + offset, "end_char": item["end_char"] + offset}


def _where(span, offset: int) -> dict:
    return _shifted(provenance(span), offset)


def _group_by(pairs: Iterable, key: Callable) -> dict:
    groups: dict = {}
    for span, offset in pairs:
        groups.setdefault(key(span), []).append((span, offset))
    return groups


def _first_by(items: Iterable[dict], key: Callable) -> list[dict]:
    """Items in text order, one per key (the first occurrence)."""
    seen, out = set(), []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def build_record(doc: Doc | list[tuple[Doc, int]], article: Article) -> dict:
    parts = [(doc, 0)] if isinstance(doc, Doc) else doc
    record: dict = {"source": article.source, "title": article.title, "published": article.published}
    if article.index is not None:
        record["article"] = article.index

    record["organisations"] = []
    for group in _group_by(_spans(parts, "organisations"), lambda s: s._.tipx_org["key"]).values():
        info = group[0][0]._.tipx_org
        record["organisations"].append(
            {
                "name": info["name"] or info["acronym"],
                "acronym": info["acronym"] if info["name"] else None,
                "mentions": [_where(span, offset) for span, offset in group],
            }
        )
    record["countries"] = [
        country_record(iso2, [_where(span, offset) for span, offset in group])
        for iso2, group in _group_by(_spans(parts, "countries"), lambda s: s._.tipx_country).items()
    ]
    record["dates"] = _first_by(
        (_shifted(s._.tipx_date, o) for s, o in _spans(parts, "dates")), lambda d: (d["start"], d["end"])
    )
    record["participants"] = _first_by(
        (_shifted(s._.tipx_participant, o) for s, o in _spans(parts, "participants")),
        lambda p: (p["count"], p["text"].lower()),
    )
    funders = _first_by(
        (_shifted(s._.tipx_funder, o) for s, o in _spans(parts, "funders")), lambda f: f["key"]
    )
    record["funders"] = [{k: v for k, v in f.items() if k != "key"} for f in funders]
    record["emails"] = _first_by(
        (_shifted(s._.tipx_email, o) for s, o in _spans(parts, "emails")), lambda e: e["address"]
    )
    record["warnings"] = list(dict.fromkeys(article.warnings))
    return record
