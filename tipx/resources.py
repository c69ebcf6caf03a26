"""Locate and load the data files under ``models/`` (patterns, gazetteers, vocabularies).

The wheel carries them as ``tipx/models``; a source checkout keeps them at the top level.
"""

from __future__ import annotations

import json
import os
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def models_dir() -> Path:
    override = os.environ.get("TIPX_MODELS_DIR")
    candidates = [Path(override)] if override else []
    candidates += [_HERE / "models", _HERE.parent / "models"]
    for candidate in candidates:
        if (candidate / "organisations.jsonl").is_file():
            return candidate
    raise FileNotFoundError("tipx resources not found (looked in: %s)" % ", ".join(map(str, candidates)))


def resource_path(name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else models_dir() / path


@cache
def load_json(name: str) -> Any:
    with resource_path(name).open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def load_jsonl(name: str) -> tuple[dict, ...]:
    rows = []
    with resource_path(name).open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("//"):
                rows.append(json.loads(line))
    return tuple(rows)
