"""The record: one JSON object per document (or per article of a multi-article file).

A record is built from one Doc, or from several Docs when a long text was processed in
pieces; each piece comes with the offset of its first character in the prepared text. Every
field is built the same way from its span group (see fields.py). ``RecordBuilder`` folds the
pieces in one at a time, so each Doc can be freed as soon as it has been read: a long text's
memory is its record, not its Docs."""

from __future__ import annotations

from .cleaning import Article
from .fields import FIELDS, Field
from .language import language_warning
from .provenance import provenance, shifted


def fold_items(field: Field, items: dict, doc, offset: int) -> None:
    """Add a field's items from one piece's span group to ``items`` (identity -> item), in text
    order: one per identity, grouped fields with every mention, the others with their first
    occurrence."""
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


class RecordBuilder:
    """An article's record, built from its pieces' Docs in text order as they come."""

    def __init__(self, article: Article):
        self.article = article
        self.items: dict[str, dict] = {field.name: {} for field in FIELDS}
        self.errors: dict[str, None] = {}  # the components' errors, once each, in order
        self.language: str | None = None  # judged on the first piece: enough text to tell

    def add(self, doc, offset: int = 0) -> None:
        """Fold in the Doc of the piece starting at ``offset``; the Doc is not kept."""
        if offset == 0:
            self.language = language_warning(doc)
        for field in FIELDS:
            fold_items(field, self.items[field.name], doc, offset)
        self.errors.update(dict.fromkeys(doc.user_data.get("tipx_errors", [])))

    def record(self) -> dict:
        article = self.article
        record: dict = {"source": article.source, "title": article.title, "published": article.published}
        if article.index is not None:
            record["article"] = article.index
        for field in FIELDS:
            record[field.name] = list(self.items[field.name].values())
        language = [self.language] if self.language else []
        record["warnings"] = list(dict.fromkeys([*article.warnings, *self.errors, *language]))
        return record


def build_record(parts: list[tuple[object, int]], article: Article) -> dict:
    """The record of an article from all its (Doc, offset) pieces at once."""
    builder = RecordBuilder(article)
    for doc, offset in parts:
        builder.add(doc, offset)
    return builder.record()
