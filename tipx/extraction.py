"""The library entry point: files or text in, records out.

>>> from tipx import extract
>>> records = extract("samples/press_release.txt")
"""

from __future__ import annotations

from pathlib import Path

from .cleaning import prepare
from .engine import records, results
from .reading import InputError


def extract(
    path: str | Path | None = None, *, text: str | None = None, source: str = "-", model: str | None = None
) -> list[dict]:
    """Records for one file (or for ``text``); one record per article.

    A file that cannot be read raises InputError (its message names the reason); a text with
    nothing in it gives no records. ``model`` is as for ``load_pipeline``."""
    from .pipeline import load_pipeline

    if (path is None) == (text is None):
        raise ValueError("give a path or text=")
    nlp = load_pipeline(model)
    if text is not None:
        try:
            return list(records(prepare(text, source), nlp))
        except InputError:
            return []
    found = list(results([str(path)], nlp))
    for result in found:
        if result.error:
            raise InputError(result.error)
    return [result.record for result in found]
