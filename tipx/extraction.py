"""The library entry point: files or text in, records out.

>>> from tipx import extract
>>> records = extract("samples/press_release.txt")
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from .reader import Article, InputError, prepare, read_path
from .record import build_record

PIECE_CHARS = 100_000  # longer texts go through spaCy in pieces (its max_length, memory)


def _doc_for(nlp, article: Article, text: str | None = None, first: bool = True):
    doc = nlp.make_doc(article.text if text is None else text)
    title_end = (
        len(article.title) if first and article.title and article.text.startswith(article.title) else 0
    )
    doc._.tipx_meta = {
        "published": article.published,
        "context_year": article.context_year,
        "title_end": title_end,
    }
    return doc


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) cuts of a long text at paragraph, line or sentence ends (else anywhere),
    each at most ``limit`` characters."""
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "))
        cut = cut + 1 if cut > limit // 2 else limit
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def process_items(items: Iterable, nlp, batch_size: int = 16) -> Iterator:
    """For each Article in ``items``, (article, record); anything else passes through in order.
    Docs are batched by nlp.pipe across articles; a long article is processed in pieces and its
    record built from all of them, offsets pointing into the whole prepared text."""
    pending: deque = deque()  # [item, pieces still to come, [(doc, offset)]] in input order
    awaiting: deque = deque()  # the pending entry of each Doc sent to nlp.pipe, in order

    def docs():
        for item in items:
            if not isinstance(item, Article):
                pending.append([item, 0, None])
                continue
            cuts = pieces(item.text) if len(item.text) > PIECE_CHARS else [(0, None)]
            entry = [item, len(cuts), []]
            pending.append(entry)
            for n, (offset, text) in enumerate(cuts):
                awaiting.append(entry)
                yield _doc_for(nlp, item, text, first=n == 0), offset

    def ready():
        while pending and pending[0][1] == 0:
            item, _, parts = pending.popleft()
            yield item if parts is None else (item, build_record(parts, item))

    for doc, offset in _pipe(nlp, docs(), batch_size):
        entry = awaiting.popleft()
        entry[2].append((doc, offset))
        entry[1] -= 1
        yield from ready()
    yield from ready()


def _pipe(nlp, pairs, batch_size: int):
    offsets: deque[int] = deque()

    def docs():
        for doc, offset in pairs:
            offsets.append(offset)
            yield doc

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        yield doc, offsets.popleft()


def process(articles: Iterable[Article], nlp, batch_size: int = 16) -> Iterator[dict]:
    """Records for articles, streaming (one batch of Docs in memory at a time)."""
    for _, record in process_items(articles, nlp, batch_size):
        yield record


def extract(
    path: str | Path | None = None, *, text: str | None = None, source: str = "-", model: str | None = None
) -> list[dict]:
    """Records for one file (or for ``text``); one record per article.

    A file that cannot be read raises InputError (its message names the reason); a text with
    nothing in it gives no records."""
    from .pipeline import build

    if (path is None) == (text is None):
        raise ValueError("give a path or text=")
    if path is not None:
        articles = read_path(str(path))
    else:
        try:
            articles = prepare(text, source)
        except InputError:
            return []
    return list(process(articles, build(model)))


def extract_many(
    paths: Iterable[str], model: str | None = None
) -> Iterator[tuple[str, list[dict] | None, str | None]]:
    """(path, records, error) for each path; a bad file yields its error and the rest go on."""
    from .pipeline import build

    nlp = build(model)
    for path in paths:
        try:
            articles = read_path(path)
            yield path, list(process(articles, nlp)), None
        except InputError as exc:
            yield path, None, str(exc)
