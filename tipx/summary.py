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
from .runinfo import written_by_tipx

# A link in a folder to a file elsewhere (/etc/passwd) would put that file in a report meant to be
# shared: it is skipped, and said, unless --follow-links.
OUTSIDE_LINK = "skipped: link to outside the folder (--follow-links to read it)"


def _outside(path: str, folder: str) -> bool:
    """Whether the link ``path`` leads to an existing file outside ``folder``
    (the real path of the folder given)."""
    real = os.path.realpath(path)
    return os.path.exists(real) and os.path.commonpath([real, folder]) != folder


def find_documents(
    targets: Iterable[str],
    pattern: str | Iterable[str] | None = None,
    exclude_patterns: Iterable[str] = (),
    exclude: Iterable[str | os.PathLike] = (),
    follow_links: bool = False,
) -> tuple[list[str], list[Result]]:
    """Documents under the targets, recursively, in a stable (sorted) order; links to folders
    are not followed, so a symlink loop cannot trap the walk, and links to files outside the
    folder only with ``follow_links``. Missing targets and skipped links are errors.

    In folders, a document is kept if it matches one of ``pattern`` (all when none), and files
    and folders matching one of ``exclude_patterns`` are skipped; a pattern is matched against
    the path below the target and against the name. Files named as targets are always kept.
    Never read back: the paths in ``exclude`` (the run's -o target) and, in folders, files
    tipx wrote (a report saved into the folder it summarises)."""
    patterns = [pattern] if isinstance(pattern, str) else list(pattern or ())
    excludes = [g.rstrip("/") or g for g in exclude_patterns]  # "drafts/" names a folder

    def matches(rel: str, name: str, globs: list[str]) -> bool:
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in globs)

    found: set[str] = set()
    errors: list[Result] = []
    skip = {os.path.realpath(path) for path in exclude}
    for target in targets:
        if target == "-" or (os.path.exists(target) and not os.path.isdir(target)):
            if target == "-" or os.path.realpath(target) not in skip:
                found.add(target)  # named: read whatever it is, or said why not (a pipe, a device)
            continue
        if not os.path.isdir(target):
            errors.append(Result(target, error="no such file or directory"))
            continue
        folder = os.path.realpath(target)
        for root, dirs, files in os.walk(target, onerror=None, followlinks=False):
            dirs[:] = sorted(
                d for d in dirs if not matches(os.path.relpath(os.path.join(root, d), target), d, excludes)
            )
            for name in sorted(files):
                path = os.path.join(root, name)
                if not name.lower().endswith(DOCUMENT_SUFFIXES):
                    continue
                rel = os.path.relpath(path, target)
                if (patterns and not matches(rel, name, patterns)) or matches(rel, name, excludes):
                    continue
                if os.path.realpath(path) in skip or written_by_tipx(path):
                    continue
                if not follow_links and os.path.islink(path) and _outside(path, folder):
                    errors.append(Result(path, error=OUTSIDE_LINK))
                    continue
                found.add(path)
    return sorted(found), errors


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
