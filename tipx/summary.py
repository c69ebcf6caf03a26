"""Summary of a folder of documents: find them, stream them through the pipeline (in one or
several processes), and fold every record into one picture without holding the texts."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .formats import DOCUMENT_SUFFIXES
from .pipeline import FIELDS
from .reader import Article, InputError, read_path
from .resources import load_json


@dataclass
class Result:
    path: str
    article: Article | None = None
    record: dict | None = None
    error: str | None = None


def find_documents(targets: Iterable[str], pattern: str | None = None) -> tuple[list[str], list[Result]]:
    """Documents under the targets, recursively, in a stable (sorted) order; links to folders
    are not followed, so a symlink loop cannot trap the walk. Missing targets are errors."""
    found: set[str] = set()
    errors: list[Result] = []
    for target in targets:
        if os.path.isfile(target):
            found.add(target)
            continue
        if not os.path.isdir(target):
            errors.append(Result(target, error="no such file or directory"))
            continue
        for root, dirs, files in os.walk(target, onerror=None, followlinks=False):
            dirs.sort()
            for name in files:
                path = os.path.join(root, name)
                if not name.lower().endswith(DOCUMENT_SUFFIXES):
                    continue
                rel = os.path.relpath(path, target)
                if pattern and not (fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(name, pattern)):
                    continue
                found.add(path)
    return sorted(found), errors


# ---------------------------------------------------------------------------- processing


def records_of(paths: Iterable[str], nlp, batch_size: int) -> Iterator[Result]:
    """Results in input order, with Docs batched across files by nlp.pipe."""
    from .extraction import process_items

    def items():
        for path in paths:
            try:
                yield from read_path(path)
            except InputError as exc:
                yield Result(path, error=str(exc))
            except (OSError, ValueError, RecursionError) as exc:
                yield Result(path, error=f"cannot be read ({type(exc).__name__})")

    for out in process_items(items(), nlp, batch_size):
        if isinstance(out, Result):
            yield out
        else:
            article, record = out
            yield Result(article.source, article=article, record=record)


_WORKER_NLP = None


def _init_worker(model: str | None) -> None:
    global _WORKER_NLP
    import signal

    from .pipeline import build

    # Ctrl-C reaches the whole process group: the parent stops the pool and reports it once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_NLP = build(model)


def _work(chunk: list[str], batch_size: int = 16) -> list[Result]:
    return list(records_of(chunk, _WORKER_NLP, batch_size))


def process_paths(
    paths: list[str], model: str | None = None, jobs: int = 1, batch_size: int = 16, chunk_size: int = 32
) -> Iterator[Result]:
    """Stream results for ``paths``: one process builds the pipeline once; with jobs > 1 each
    worker builds it once and processes chunks of files, results coming back in order."""
    if jobs <= 1:
        from .pipeline import build

        yield from records_of(paths, build(model), batch_size)
        return
    import functools
    import multiprocessing

    chunks = [paths[i : i + chunk_size] for i in range(0, len(paths), chunk_size)]
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(model,)) as pool:
        for results in pool.imap(functools.partial(_work, batch_size=batch_size), chunks):
            yield from results


# ---------------------------------------------------------------------------- the summary


def _fingerprint(text: str) -> str:
    return hashlib.sha1(re.sub(r"\s+", " ", text).strip().lower().encode()).hexdigest()


def organisation_of_address(address: str) -> str | None:
    vocab = load_json("domains.json")
    domain = address.rsplit("@", 1)[-1].lower()
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        known = vocab["domains"].get(".".join(parts[i:]))
        if known:
            return known
    if len(parts) >= 3 and parts[-2] in vocab["government_prefixes"] and len(parts[-1]) == 2:
        from .components.countries import country_name

        try:
            return f"Government of {country_name(parts[-1].upper())}"
        except (AttributeError, KeyError):
            return None
    return None


@dataclass
class Summary:
    documents: list[dict] = field(default_factory=list)  # one small row per record
    errors: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    _seen: dict[str, str] = field(default_factory=dict)
    _orgs: dict[str, dict] = field(default_factory=dict)
    _countries: dict[str, dict] = field(default_factory=dict)
    _funders: dict[str, dict] = field(default_factory=dict)
    _timeline: Counter = field(default_factory=Counter)
    _participants: list[dict] = field(default_factory=list)
    _contacts: dict[str, dict] = field(default_factory=dict)

    def add(self, result: Result) -> bool:
        """Fold one result in; False for a document whose text repeats an earlier one."""
        if result.error:
            self.errors.append({"source": result.path, "error": result.error})
            return True
        record, article = result.record, result.article
        label = record["source"] + (f"#{record['article']}" if "article" in record else "")
        fingerprint = _fingerprint(article.text)
        if fingerprint in self._seen:
            self.duplicates.append({"source": label, "duplicate_of": self._seen[fingerprint]})
            return False
        self._seen[fingerprint] = label
        self.documents.append(
            {
                "source": record["source"],
                **({"article": record["article"]} if "article" in record else {}),
                "title": record["title"],
                "published": record["published"],
                **{f: len(record[f]) for f in FIELDS},
            }
        )
        for org in record["organisations"]:
            entry = self._orgs.setdefault(
                org["name"], {"name": org["name"], "acronym": org["acronym"], "documents": 0, "mentions": 0}
            )
            entry["documents"] += 1
            entry["mentions"] += len(org["mentions"])
            entry["acronym"] = entry["acronym"] or org["acronym"]
        for country in record["countries"]:
            entry = self._countries.setdefault(
                country["iso2"],
                {k: country[k] for k in ("name", "iso2", "iso3")} | {"documents": 0, "mentions": 0},
            )
            entry["documents"] += 1
            entry["mentions"] += len(country["mentions"])
        for funder in record["funders"]:
            entry = self._funders.setdefault(
                funder["name"],
                {"name": funder["name"], "acronym": funder["acronym"], "documents": 0, "sources": []},
            )
            entry["documents"] += 1
            entry["sources"].append(label)
        for item in record["dates"]:
            if len(item["start"]) >= 7:  # a lone year has no month on the timeline
                self._timeline[item["start"][:7]] += 1
        for item in record["participants"]:
            self._participants.append(
                {
                    "source": label,
                    "count": item["count"],
                    "text": item["text"],
                    "qualifier": item["qualifier"],
                }
            )
        for email in record["emails"]:
            entry = self._contacts.setdefault(
                email["address"],
                {
                    "address": email["address"],
                    "name": email["name"],
                    "organisation": organisation_of_address(email["address"]),
                    "sources": [],
                },
            )
            entry["name"] = entry["name"] or email["name"]
            entry["sources"].append(label)
        return True

    def to_dict(self) -> dict:
        by_documents = lambda e: (-e["documents"], e["name"])  # noqa: E731
        largest: dict[str, int] = {}
        for item in self._participants:
            largest[item["source"]] = max(largest.get(item["source"], 0), item["count"])
        return {
            "documents": len(self.documents),
            "failed": len(self.errors),
            "duplicates": self.duplicates,
            "per_document": self.documents,
            "organisations": sorted(self._orgs.values(), key=by_documents),
            "countries": sorted(self._countries.values(), key=by_documents),
            "funders": sorted(self._funders.values(), key=by_documents),
            "timeline": [{"month": month, "events": n} for month, n in sorted(self._timeline.items())],
            "participants": {"total": sum(largest.values()), "per_document": self._participants},
            "contacts": sorted(self._contacts.values(), key=lambda c: c["address"]),
        }
