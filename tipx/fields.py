"""The field registry: every extracted field declared once.

A field names the pipeline component that fills its span group, the Span extension that holds
each span's value, the JSON Schema of its items, and how it is shown (terminal table, CSV
row, HTML highlight), scored (match keys against a gold file) and summarised over a folder.
Records, the schema, exporters, tables, the report, the summary and evaluation all iterate
over FIELDS; adding a field is its component, its resource and one entry here.

Plain Python: importing this module does not import spaCy.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from .aggregate import Aggregate, Chart, Listing, Tally, Timeline
from .normalise import norm_key, organisation_of_address

# ---------------------------------------------------------------------------- schema pieces

WHERE = {
    "text": {"type": "string"},
    "start_char": {"type": "integer", "minimum": 0},
    "end_char": {"type": "integer", "minimum": 0},
    "sentence": {"type": "string"},
}
ISO_DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
NULLABLE_STR = {"type": ["string", "null"]}


def item_schema(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


MENTION = item_schema(WHERE)

# The CSV columns an item fills itself (Field.csv), between the text found and its place: the
# same columns for every field, so a column means one thing in every row.
CSV_ITEM_COLUMNS = ("normalised", "iso3", "count", "qualifier", "name", "evidence")


# ---------------------------------------------------------------------------- the declaration


@dataclass(frozen=True)
class Field:
    name: str  # record key, span group and gold-file key
    title: str  # heading of its tables and its legend entry
    short: str  # a narrow column heading (terminal tables)
    component: str  # the spaCy factory that fills doc.spans[name]
    extension: str  # the Span extension holding each span's value
    properties: dict  # JSON Schema of an item's own properties
    identify: Callable[[dict], Hashable]  # a span value's identity: one item per identity
    # Grouped fields give one item per thing with all its "mentions" (organisations); the others
    # one item per distinct value, carrying its first occurrence's text and offsets.
    grouped: bool
    columns: tuple[tuple[str, Callable[[dict], Any]], ...]  # terminal table
    # CSV: the item's cells among CSV_ITEM_COLUMNS (a row per occurrence adds its text and place)
    csv: Callable[[dict], dict[str, Any]]
    match: Callable[[dict], set]  # evaluation keys of a prediction or of a gold entry
    describe: Callable[[dict], str]  # a prediction or gold entry in `tipx evaluate -v`
    mark: tuple[str, str]  # HTML highlight: CSS class, colour
    summary: Callable[[], Aggregate]  # a fresh aggregate for a folder summary
    make_item: Callable[[dict], dict] | None = None  # grouped: span value -> item (less mentions)
    needs: tuple[str, ...] = ()  # fields whose spans the component reads (it runs after them)
    in_macro: bool = True  # counts in macro-F1 (GOLD.md: phones do not)
    normalised: Callable[[dict], str] = str  # an item's normalised value (the HTML highlight's tooltip)

    @property
    def schema(self) -> dict:
        if self.grouped:
            properties = {**self.properties, "mentions": {"type": "array", "items": MENTION, "minItems": 1}}
        else:
            properties = {**self.properties, **WHERE}
        return {"type": "array", "items": item_schema(properties)}

    def item(self, value: dict) -> dict:
        """The record item for a span value (grouped fields add the mentions themselves)."""
        if self.grouped:
            return self.make_item(value)
        return {k: v for k, v in value.items() if not k.startswith("_")}

    def occurrences(self, item: dict) -> list[dict]:
        """The places in the text an item stands (each with text and offsets)."""
        return item["mentions"] if self.grouped else [item]


def _names(item: dict) -> set[str]:
    """Keys of an organisation or funder: a prediction's name and acronym, or a gold entry's names."""
    names = item.get("names") or (item.get("name"), item.get("acronym"))
    return {norm_key(n) for n in names if n}


def _name_label(item: dict) -> str:
    return " / ".join(
        filter(None, (item.get("name") or ", ".join(item.get("names", [])), item.get("acronym")))
    )


def _mentions(item: dict) -> str:
    n = len(item["mentions"])
    return f"{n} mention" + "s" * (n != 1)


def _span_of(item: dict) -> str:
    return item["start"] if item["start"] == item["end"] else f"{item['start']}/{item['end']}"


def _with_text(head: str, item: dict) -> str:
    return head + (f" ({item['text']})" if "text" in item else "")


def _canonical(item: dict) -> str:
    """'International Organization for Migration (IOM)', or the acronym alone when it is the name."""
    acronym = item.get("acronym")
    return item["name"] + (f" ({acronym})" if acronym and acronym != item["name"] else "")


def _named(value: str, item: dict) -> str:
    return value + (f" ({item['name']})" if item.get("name") else "")


def _by_documents(entry: dict) -> tuple:
    return (-entry["documents"], entry["name"])


ORGANISATIONS = Field(
    name="organisations",
    short="orgs",
    needs=("countries",),
    title="Organisations",
    component="tipx_organisations",
    extension="tipx_org",
    properties={"name": {"type": "string"}, "acronym": NULLABLE_STR},
    identify=lambda v: v["key"],
    grouped=True,
    make_item=lambda v: {"name": v["name"] or v["acronym"], "acronym": v["acronym"] if v["name"] else None},
    columns=(("name", lambda o: o["name"]), ("acronym", lambda o: o["acronym"]), ("mentions", _mentions)),
    csv=lambda o: {"normalised": o["acronym"], "name": o["name"]},
    match=_names,
    describe=_name_label,
    mark=("org", "#ffe08a"),
    normalised=_canonical,
    summary=lambda: Tally(
        "organisations",
        "Organisations",
        identify=lambda o: o["name"],
        fields=("name", "acronym"),
        counts=("documents", "mentions"),
        fill=("acronym",),
        order=_by_documents,
        chart=Chart("Organisations (documents)", lambda o: o["acronym"] or o["name"], "documents"),
    ),
)

COUNTRIES = Field(
    name="countries",
    short="ctry",
    title="Countries",
    component="tipx_countries",
    extension="tipx_country",
    properties={
        "name": {"type": "string"},
        "iso2": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "iso3": {"type": "string", "pattern": "^[A-Z]{3}$"},
    },
    identify=lambda v: v["iso2"],
    grouped=True,
    make_item=lambda v: {"name": v["name"], "iso2": v["iso2"], "iso3": v["iso3"]},
    columns=(
        ("country", lambda c: c["name"]),
        ("ISO2", lambda c: c["iso2"]),
        ("ISO3", lambda c: c["iso3"]),
        ("mentions", lambda c: len(c["mentions"])),
    ),
    csv=lambda c: {"normalised": c["iso2"], "iso3": c["iso3"], "name": c["name"]},
    match=lambda c: {c["iso2"].upper()},
    describe=lambda c: c["iso2"],
    mark=("cty", "#b5e3b0"),
    normalised=lambda c: f"{c['name']} ({c['iso2']} / {c['iso3']})",
    summary=lambda: Tally(
        "countries",
        "Countries",
        identify=lambda c: c["iso2"],
        fields=("name", "iso2", "iso3"),
        counts=("documents", "mentions"),
        order=_by_documents,
        chart=Chart("Countries (documents)", lambda c: f"{c['name']} ({c['iso2']})", "documents"),
    ),
)

DATES = Field(
    name="dates",
    short="dates",
    title="Dates",
    component="tipx_dates",
    extension="tipx_date",
    properties={"start": ISO_DATE, "end": ISO_DATE},
    identify=lambda d: (d["start"], d["end"]),
    grouped=False,
    columns=(("text", lambda d: d["text"]), ("start", lambda d: d["start"]), ("end", lambda d: d["end"])),
    csv=lambda d: {"normalised": _span_of(d)},
    match=lambda d: {(d["start"], d.get("end") or d["start"])},
    describe=lambda d: _with_text(f"{d['start']}..{d.get('end') or d['start']}", d),
    mark=("dat", "#b9d7f5"),
    normalised=_span_of,
    summary=lambda: Timeline(
        "timeline",
        "Timeline",
        chart=Chart("Timeline (dated events per month)", lambda t: t["month"], "events", limit=60),
    ),
)

PARTICIPANTS = Field(
    name="participants",
    short="ppl",
    needs=("dates",),
    title="Participants",
    component="tipx_participants",
    extension="tipx_participant",
    properties={"count": {"type": "integer", "minimum": 1}, "qualifier": NULLABLE_STR},
    identify=lambda p: (p["count"], p["text"].lower()),
    grouped=False,
    columns=(
        ("count", lambda p: p["count"]),
        ("qualifier", lambda p: p["qualifier"]),
        ("text", lambda p: p["text"]),
    ),
    csv=lambda p: {"normalised": p["count"], "count": p["count"], "qualifier": p["qualifier"]},
    match=lambda p: {p["count"]},
    describe=lambda p: _with_text(str(p["count"]), p),
    mark=("par", "#f5c2b9"),
    normalised=lambda p: f"{p['count']}" + (f" ({p['qualifier']})" if p["qualifier"] else ""),
    summary=lambda: Listing("participants", "Participants", ("count", "qualifier", "text")),
)

FUNDERS = Field(
    name="funders",
    short="fund",
    needs=("organisations", "countries"),
    title="Funders",
    component="tipx_funders",
    extension="tipx_funder",
    properties={"name": {"type": "string"}, "acronym": NULLABLE_STR, "evidence": {"type": "string"}},
    identify=lambda f: f["_key"],
    grouped=False,
    columns=(
        ("name", lambda f: f["name"]),
        ("acronym", lambda f: f["acronym"]),
        ("evidence", lambda f: f["evidence"]),
    ),
    csv=lambda f: {"normalised": f["acronym"], "name": f["name"], "evidence": f["evidence"]},
    match=_names,
    describe=_name_label,
    mark=("fun", "#e2c2f5"),
    normalised=_canonical,
    summary=lambda: Tally(
        "funders",
        "Funders",
        identify=lambda f: f["name"],
        fields=("name", "acronym"),
        counts=("documents", "sources"),
        order=_by_documents,
        chart=Chart("Funders (documents)", lambda f: f["acronym"] or f["name"], "documents"),
    ),
)

EMAILS = Field(
    name="emails",
    short="mail",
    needs=("organisations", "countries"),
    title="Contacts",
    component="tipx_contacts",
    extension="tipx_email",
    properties={"address": {"type": "string", "pattern": "^[^A-Z@\\s]+@[^A-Z@\\s]+$"}, "name": NULLABLE_STR},
    identify=lambda e: e["address"],
    grouped=False,
    columns=(("address", lambda e: e["address"]), ("name", lambda e: e["name"])),
    csv=lambda e: {"normalised": e["address"], "name": e["name"]},
    match=lambda e: {e["address"].lower()},
    describe=lambda e: e["address"],
    mark=("eml", "#d9d9d9"),
    normalised=lambda e: _named(e["address"], e),
    summary=lambda: Tally(
        "contacts",
        "Contacts",
        identify=lambda e: e["address"],
        fields=("address", "name", "organisation"),
        counts=("sources",),
        derive={"organisation": lambda e: organisation_of_address(e["address"])},
        fill=("name",),
        order=lambda e: e["address"],
    ),
)

PHONES = Field(
    name="phones",
    short="tel",
    needs=("dates", "countries"),
    title="Phones",
    component="tipx_phones",
    extension="tipx_phone",
    properties={"number": {"type": "string", "pattern": r"^\+?\d{2,16}$"}, "name": NULLABLE_STR},
    identify=lambda p: p["number"],
    grouped=False,
    columns=(("number", lambda p: p["number"]), ("text", lambda p: p["text"]), ("name", lambda p: p["name"])),
    csv=lambda p: {"normalised": p["number"], "name": p["name"]},
    match=lambda p: {"".join(c for c in p["number"] if c == "+" or c.isdigit())},
    describe=lambda p: _with_text(p["number"], p),
    mark=("tel", "#9fe0dc"),
    normalised=lambda p: _named(p["number"], p),
    summary=lambda: Tally(
        "phones",
        "Phones",
        identify=lambda p: p["number"],
        fields=("number", "name"),
        counts=("sources",),
        fill=("name",),
        order=lambda p: p["number"],
    ),
    in_macro=False,
)

FIELDS: tuple[Field, ...] = (ORGANISATIONS, COUNTRIES, DATES, PARTICIPANTS, FUNDERS, EMAILS, PHONES)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
