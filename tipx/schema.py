"""The JSON Schema of a record (`tipx schema` prints it). `tipx extract -f json` writes an array
of these records, always; `-f jsonl` one per line; `tipx summarize -f json` holds them in
"documents"."""

from __future__ import annotations

from .fields import FIELD_NAMES, FIELDS, ISO_DATE, NULLABLE_STR

RECORD_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://tipx.invalid/record.schema.json",
    "title": "tipx record",
    "description": (
        "One document, or one article of a file that holds several. `tipx extract -f json` writes "
        "an array of these records, always (one file, an archive of several articles, or many "
        "files: `jq '.[]'` works on all); `-f jsonl` writes one per line; `tipx summarize -f json` "
        'holds them in its "documents" array.'
    ),
    "type": "object",
    "additionalProperties": False,
    "required": ["source", "title", "published", *FIELD_NAMES, "warnings"],
    "properties": {
        "source": {"type": "string", "description": "The path as given ('-' for standard input)."},
        "title": NULLABLE_STR,
        "published": {"anyOf": [ISO_DATE, {"type": "null"}]},
        "article": {"type": "integer", "minimum": 1, "description": "1-based, where a file holds several."},
        "warnings": {
            "type": "array",
            "items": {"type": "string"},
            "description": "What reading the file had to guess, e.g. 'not UTF-8; decoded as cp1252'.",
        },
        **{field.name: field.schema for field in FIELDS},
    },
}
