"""Vocabularies as data: locate the files under ``models/``, read JSON / JSON Lines, and check
them against what the code that uses them expects, so a broken or customised file fails at
load with the file and the key named, not later with a KeyError in the middle of a document.

The wheel carries the files as ``tipx/models``; a source checkout keeps them at the top level.
A setting may also name any other file by path (a customised gazetteer).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


class ResourceError(Exception):
    """A vocabulary file is missing, not JSON, or not shaped as its user expects."""


@lru_cache(maxsize=1)
def models_dir() -> Path:
    override = os.environ.get("TIPX_MODELS_DIR")
    candidates = [Path(override)] if override else []
    candidates += [_HERE / "models", _HERE.parent / "models"]
    for candidate in candidates:
        if (candidate / "organisations.jsonl").is_file():
            return candidate
    raise ResourceError("tipx resources not found (looked in: %s)" % ", ".join(map(str, candidates)))


def resource_path(name: str | Path) -> Path:
    """A bare file name is one of tipx's own vocabularies; anything else is a path."""
    path = Path(name)
    return path if path.is_absolute() or path.parent != Path(".") else models_dir() / path


@dataclass(frozen=True, eq=False)  # hashed by identity: specs are module constants
class Spec:
    """The shape of a resource: a JSON object with these keys (and types), or, with
    ``rows=True``, JSON Lines whose every row has the required keys and no others than
    ``optional``. A ``_comment`` key is always allowed."""

    keys: dict[str, type | tuple[type, ...]] = field(default_factory=dict)
    optional: dict[str, type | tuple[type, ...]] = field(default_factory=dict)
    rows: bool = False

    def check(self, value: Any, where: str) -> Any:
        if self.rows:
            if not isinstance(value, list):
                raise ResourceError(f"{where}: expected JSON Lines (one object per line)")
            for n, row in enumerate(value, 1):
                self._check_object(row, f"{where}: row {n}")
            return value
        self._check_object(value, where)
        return value

    def _check_object(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise ResourceError(f"{where}: expected a JSON object")
        for key, kind in self.keys.items():
            if key not in value:
                raise ResourceError(f"{where}: missing key {key!r}")
            _check_type(value[key], kind, f"{where}: key {key!r}")
        for key in value:
            if key == "_comment":
                continue
            if key in self.optional:
                _check_type(value[key], self.optional[key], f"{where}: key {key!r}")
            elif key not in self.keys:
                raise ResourceError(f"{where}: unexpected key {key!r} (not used by tipx)")


def _check_type(value: Any, kind, where: str) -> None:
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise ResourceError(f"{where}: expected {names}, got {type(value).__name__}")


def read_file(path: Path) -> Any:
    """JSON, or JSON Lines for a ``.jsonl`` file (blank lines and ``//`` comments skipped)."""
    try:
        with path.open(encoding="utf-8") as handle:
            if path.suffix != ".jsonl":
                return json.load(handle)
            rows = []
            for n, line in enumerate(handle, 1):
                line = line.strip()
                if line and not line.startswith("//"):
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise ResourceError(f"{path}: line {n}: not JSON ({exc.msg})") from None
            return rows
    except FileNotFoundError:
        raise ResourceError(f"{path}: no such resource file") from None
    except json.JSONDecodeError as exc:
        raise ResourceError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{path}: cannot be read ({exc})") from None


def load(name: str | Path, spec: Spec | None = None) -> Any:
    """Read and check one resource (a fresh copy: callers may keep and change it)."""
    path = resource_path(name)
    value = read_file(path)
    return spec.check(value, str(path)) if spec else value


@cache
def load_shared(name: str, spec: Spec | None = None) -> Any:
    """A resource read once per process, for code outside the pipeline (input cleaning, the
    summary); do not change what it returns."""
    return load(name, spec)
