"""The JSON Schema of a record, as `tipx extract -f json` writes it (`tipx schema` prints it)."""

from __future__ import annotations

from .pipeline import FIELDS

_WHERE = {
    "text": {"type": "string"},
    "start_char": {"type": "integer", "minimum": 0},
    "end_char": {"type": "integer", "minimum": 0},
    "sentence": {"type": "string"},
}
_ISO = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}


def _item(properties: dict, required: list[str]) -> dict:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


_MENTION = _item(_WHERE, list(_WHERE))
_NULLABLE_STR = {"type": ["string", "null"]}

RECORD_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://tipx.invalid/record.schema.json",
    "title": "tipx record",
    "description": "One document, or one article of a file that holds several.",
    "type": "object",
    "additionalProperties": False,
    "required": ["source", "title", "published", *FIELDS, "warnings"],
    "properties": {
        "source": {"type": "string", "description": "The path as given ('-' for standard input)."},
        "title": _NULLABLE_STR,
        "published": {"anyOf": [_ISO, {"type": "null"}]},
        "article": {"type": "integer", "minimum": 1, "description": "1-based, where a file holds several."},
        "warnings": {
            "type": "array",
            "items": {"type": "string"},
            "description": "What reading the file had to guess, e.g. 'not UTF-8; decoded as cp1252'.",
        },
        "organisations": {
            "type": "array",
            "items": _item(
                {
                    "name": {"type": "string"},
                    "acronym": _NULLABLE_STR,
                    "mentions": {"type": "array", "items": _MENTION, "minItems": 1},
                },
                ["name", "acronym", "mentions"],
            ),
        },
        "countries": {
            "type": "array",
            "items": _item(
                {
                    "name": {"type": "string"},
                    "iso2": {"type": "string", "pattern": "^[A-Z]{2}$"},
                    "iso3": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    "mentions": {"type": "array", "items": _MENTION, "minItems": 1},
                },
                ["name", "iso2", "iso3", "mentions"],
            ),
        },
        "dates": {
            "type": "array",
            "items": _item(
                {"start": _ISO, "end": _ISO, **_WHERE},
                ["text", "start", "end", "start_char", "end_char", "sentence"],
            ),
        },
        "participants": {
            "type": "array",
            "items": _item(
                {"count": {"type": "integer", "minimum": 1}, "qualifier": _NULLABLE_STR, **_WHERE},
                ["count", "qualifier", "text", "start_char", "end_char", "sentence"],
            ),
        },
        "funders": {
            "type": "array",
            "items": _item(
                {
                    "name": {"type": "string"},
                    "acronym": _NULLABLE_STR,
                    "evidence": {"type": "string"},
                    **_WHERE,
                },
                ["name", "acronym", "evidence", "text", "start_char", "end_char", "sentence"],
            ),
        },
        "emails": {
            "type": "array",
            "items": _item(
                {
                    "address": {"type": "string", "pattern": "^[^A-Z@\\s]+@[^A-Z@\\s]+$"},
                    "name": _NULLABLE_STR,
                    **_WHERE,
                },
                ["address", "name", "text", "start_char", "end_char", "sentence"],
            ),
        },
    },
}
