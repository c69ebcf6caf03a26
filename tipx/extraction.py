"""The library entry point: files or text in, records out.

>>> from tipx import extract
>>> records = extract("samples/press_release.txt")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .reader import Article, InputError, prepare, read_path
from .record import build_record


def _doc_for(nlp, article: Article):
    doc = nlp.make_doc(article.text)
    title_end = len(article.title) if article.title and article.text.startswith(article.title) else 0
    doc._.tipx_meta = {
        "published": article.published,
        "context_year": article.context_year,
        "title_end": title_end,
    }
    return doc


def process(articles: Iterable[Article], nlp, batch_size: int = 16) -> Iterator[dict]:
    """Run the pipeline over articles, streaming (one batch of Docs in memory at a time)."""
    articles = iter(articles)
    pending: list[Article] = []

    def docs():
        for article in articles:
            pending.append(article)
            yield _doc_for(nlp, article)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        yield build_record(doc, pending.pop(0))


def extract(
    path: str | Path | None = None, *, text: str | None = None, source: str = "-", model: str | None = None
) -> list[dict]:
    """Records for one file (or for ``text``); one record per article."""
    from .pipeline import build

    if (path is None) == (text is None):
        raise ValueError("give a path or text=")
    articles = read_path(str(path)) if path is not None else prepare(text, source)
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
