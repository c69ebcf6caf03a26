"""The record: one JSON object per document (or per article of a multi-article file).

A record is built from one Doc, or from several Docs when a long text was processed in
pieces; each piece comes with the offset of its first character in the prepared text. Every
field is built the same way from its span group (see fields.py)."""

from __future__ import annotations

from .cleaning import Article
from .fields import FIELDS, Field
from .language import language_warning
from .provenance import provenance, shifted


def field_items(field: Field, parts: list[tuple[object, int]]) -> list[dict]:
    """A field's items from its span group in each (Doc, offset) piece, in text order: one per
    identity, grouped fields with every mention, the others with their first occurrence."""
    items: dict = {}
    for doc, offset in parts:
        for span in doc.spans.get(field.name, []):
            value = getattr(span._, field.extension)
            key = field.identify(value)
            if field.grouped:
                entry = items.get(key)
                if entry is None:
                    entry = items[key] = {**field.item(value), "mentions": []}
                entry["mentions"].append(shifted(provenance(span), offset))
            elif key not in items:
                items[key] = shifted(field.item(value), offset)
    return list(items.values())


def build_record(parts: list[tuple[object, int]], article: Article) -> dict:
    record: dict = {"source": article.source, "title": article.title, "published": article.published}
    if article.index is not None:
        record["article"] = article.index
    for field in FIELDS:
        record[field.name] = field_items(field, parts)
    errors = [e for doc, _ in parts for e in doc.user_data.get("tipx_errors", [])]
    warnings = [*article.warnings, *errors]
    if language := language_warning(parts[0][0]):
        warnings.append(language)
    record["warnings"] = list(dict.fromkeys(warnings))
    return record
