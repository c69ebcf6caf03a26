"""How a field's items fold into a folder summary: a tally per distinct thing, a timeline of
months, or a listing with a total. A field's registry entry names one; the summary runs them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    title: str
    label: Callable[[dict], str]
    value: str
    limit: int = 15


class Aggregate:
    """One summary table: ``add`` a record's items, ``result`` the JSON, ``rows`` the table."""

    key: str  # the summary's JSON key
    title: str  # the table's title
    columns: tuple[str, ...]
    chart: Chart | None = None

    def add(self, items: list[dict], label: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def result(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def rows(self, result) -> list[dict]:
        return result


class Tally(Aggregate):
    """One row per distinct thing (by ``identify``): the item's ``fields`` (or values computed by
    ``derive``), then the documents it occurs in and, as asked, its mentions and the labels of
    its documents."""

    def __init__(
        self,
        key: str,
        title: str,
        identify: Callable[[dict], Hashable],
        fields: tuple[str, ...],
        counts: tuple[str, ...] = ("documents",),
        derive: dict[str, Callable[[dict], object]] | None = None,
        fill: tuple[str, ...] = (),
        order: Callable[[dict], tuple] = lambda e: (-e["documents"], e["name"]),
        chart: Chart | None = None,
    ):
        self.key, self.title, self.identify, self.fields = key, title, identify, fields
        self.counts, self.derive, self.fill, self.order, self.chart = counts, derive or {}, fill, order, chart
        self.columns = (*fields, *counts)
        self._entries: dict[Hashable, dict] = {}
        self._seen: set[tuple[Hashable, str]] = set()

    def _row(self, item: dict) -> dict:
        return {f: self.derive[f](item) if f in self.derive else item[f] for f in self.fields}

    def add(self, items: list[dict], label: str) -> None:
        for item in items:
            k = self.identify(item)
            entry = self._entries.get(k)
            if entry is None:
                entry = self._entries[k] = {
                    **self._row(item),
                    **{c: [] if c == "sources" else 0 for c in self.counts},
                }
            for name in self.fill:  # a later document may know what the first did not
                entry[name] = entry[name] or item[name]
            first_here = (k, label) not in self._seen
            self._seen.add((k, label))
            if "documents" in self.counts and first_here:
                entry["documents"] += 1
            if "mentions" in self.counts:
                entry["mentions"] += len(item.get("mentions", [item]))
            if "sources" in self.counts and first_here:
                entry["sources"].append(label)

    def result(self) -> list[dict]:
        return sorted(self._entries.values(), key=self.order)


class Timeline(Aggregate):
    """Dated events per month (a lone year has no month and is left out)."""

    def __init__(self, key: str, title: str, chart: Chart | None = None):
        self.key, self.title, self.chart = key, title, chart
        self.columns = ("month", "events")
        self._months: Counter = Counter()

    def add(self, items: list[dict], label: str) -> None:
        for item in items:
            if len(item["start"]) >= 7:
                self._months[item["start"][:7]] += 1

    def result(self) -> list[dict]:
        return [{"month": month, "events": n} for month, n in sorted(self._months.items())]


class Listing(Aggregate):
    """Every item with its document, and a total of the largest count per document (one
    activity's participants are often given twice: "30 officers ... the 30 participants")."""

    def __init__(self, key: str, title: str, fields: tuple[str, ...]):
        self.key, self.title, self.fields = key, title, fields
        self.columns = ("source", *fields)
        self._rows: list[dict] = []

    def add(self, items: Iterable[dict], label: str) -> None:
        self._rows += [{"source": label, **{f: item[f] for f in self.fields}} for item in items]

    def result(self) -> dict:
        largest: dict[str, int] = {}
        for row in self._rows:
            largest[row["source"]] = max(largest.get(row["source"], 0), row["count"])
        return {"total": sum(largest.values()), "per_document": self._rows}

    def rows(self, result) -> list[dict]:
        return result["per_document"]
