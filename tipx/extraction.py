"""The library entry point: files or text in, records out.

>>> from tipx import extract
>>> records = extract("samples/press_release.txt")
>>> records = extract(["samples/story.html", "samples/update.md"])
>>> records = extract(text="IOM trained 30 officers in Maseru.", source="note.md")
"""

from __future__ import annotations

import os

from .cleaning import prepare
from .engine import records, results
from .reading import InputError
from .terminal import printable

ACCEPTED = "a path (str or os.PathLike), a list of paths, or text=str"


def _path(item: object) -> str:
    if isinstance(item, (str, os.PathLike)):
        path = os.fspath(item)
        if isinstance(path, str):
            return path
        item = path
    if isinstance(item, (bytes, bytearray)):
        # a bytes file name and a document's bytes look alike: tipx takes neither
        raise TypeError(
            f"extract() takes {ACCEPTED}, not bytes: for a file name use os.fsdecode(name); "
            "for a document's content decode it and pass text="
        )
    raise TypeError(f"extract() takes {ACCEPTED}, not {type(item).__name__}")


def _looks_like_text(path: str) -> bool:
    """A missing "path" that is rather a document's text (several words, lines, or too long)."""
    return len(path) > 255 or "\n" in path or len(path.split()) > 3


def _error(path: str, reason: str) -> InputError:
    if not os.path.lexists(path) and _looks_like_text(path):
        shown = printable(path[:40]) + ("…" if len(path) > 40 else "")
        return InputError(f"no such file {shown!r}; to extract from a text, use extract(text=...)")
    return InputError(f"{printable(path)}: {reason}")


def extract(
    path: str | os.PathLike | list | tuple | None = None,
    *,
    text: str | None = None,
    source: str | os.PathLike = "-",
    model: str | None = None,
) -> list[dict]:
    """Records for one file, a list of files, or a text; one record per article, in order.

    ``path`` is a ``str`` or ``os.PathLike`` (``pathlib.Path``), or a list or tuple of them (one
    pipeline run for all). ``text`` is a document's text as ``str``; ``source`` names it in the
    records and its suffix says how to read it (``"page.html"``, ``"notes.md"``; by default the
    text is sniffed like standard input). A file that cannot be read raises InputError naming the
    file and the reason; a text with nothing in it gives no records. ``model`` is as for
    ``load_pipeline``."""
    from .pipeline import load_pipeline

    if (path is None) == (text is None):
        raise ValueError(f"extract() takes {ACCEPTED}: give a path or text=, not both")
    if text is not None:
        if not isinstance(text, str):
            hint = (
                ": decode it first (data.decode()), or pass the file's path"
                if isinstance(text, bytes)
                else ""
            )
            raise TypeError(f"text= takes a str, not {type(text).__name__}{hint}")
        source = os.fspath(source)
        if not isinstance(source, str):
            raise TypeError(f"source= takes a str or os.PathLike, not {type(source).__name__}")
        try:
            return list(records(prepare(text, source), load_pipeline(model)))
        except InputError:
            return []
    paths = [_path(p) for p in path] if isinstance(path, (list, tuple)) else [_path(path)]
    found = list(results(paths, load_pipeline(model)))
    for result in found:
        if result.error:
            raise _error(result.path, result.error)
    return [result.record for result in found]
