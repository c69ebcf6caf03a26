"""Summary of a folder of documents: find them, and fold every record into one picture
(per-field tallies declared in the field registry) without holding the texts."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from .engine import Result
from .fields import FIELDS
from .reading import DOCUMENT_SUFFIXES
from .runinfo import MARK_WINDOW, is_generated


def find_documents(
    targets: Iterable[str], pattern: str | None = None, exclude: Iterable[str | os.PathLike] = ()
) -> tuple[list[str], list[Result]]:
    """Documents under the targets, recursively, in a stable (sorted) order; links to folders
    are not followed, so a symlink loop cannot trap the walk. Missing targets are errors.
    Never read back: the paths in ``exclude`` (the run's -o target) and, in folders, files
    tipx wrote (a report saved into the folder it summarises)."""
    found: set[str] = set()
    errors: list[Result] = []
    skip = {os.path.realpath(path) for path in exclude}
    for target in targets:
        if os.path.isfile(target) or target == "-":
            if target == "-" or os.path.realpath(target) not in skip:
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
                if os.path.realpath(path) in skip or _written_by_tipx(path):
                    continue
                found.add(path)
    return sorted(found), errors


def _written_by_tipx(path: str) -> bool:
    """Whether a regular file starts with tipx's mark (never opens a FIFO or a device)."""
    if not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as handle:
            return is_generated(handle.read(MARK_WINDOW))
    except OSError:
        return False  # unreadable: the engine reports it


@dataclass
class Summary:
    documents: list[dict] = field(default_factory=list)  # one small row per record
    errors: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # source, warning: what reading had to guess
    _seen: dict[str, str] = field(default_factory=dict)
    _aggregates: list = field(default_factory=lambda: [f.summary() for f in FIELDS])

    def add(self, result: Result) -> bool:
        """Fold one result in; False for an article whose text repeats an earlier one."""
        if result.error:
            self.errors.append({"source": result.path, "error": result.error})
            return True
        label = result.label
        first = result.duplicate_of or self._seen.setdefault(result.article.fingerprint, label)
        if first != label:  # found by the engine before the NLP, or across chunks here
            self.duplicates.append({"source": label, "duplicate_of": first})
            return False
        record = result.record
        self.documents.append(
            {
                "source": record["source"],
                **({"article": record["article"]} if "article" in record else {}),
                "title": record["title"],
                "published": record["published"],
                **{f.name: len(record[f.name]) for f in FIELDS},
                "warnings": record["warnings"],  # shown beside the tables, not only in JSON
            }
        )
        self.warnings += [{"source": label, "warning": w} for w in record.get("warnings", ())]
        for fld, aggregate in zip(FIELDS, self._aggregates, strict=True):
            aggregate.add(record[fld.name], label)
        return True

    @property
    def aggregates(self) -> list:
        return self._aggregates

    def to_dict(self) -> dict:
        return {
            "documents": len(self.documents),
            "failed": len(self.errors),
            "duplicates": self.duplicates,
            "per_document": self.documents,
            **{a.key: a.result() for a in self._aggregates},
        }
