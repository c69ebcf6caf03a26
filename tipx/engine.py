"""The engine: paths in, results out.

``results`` is the one way a document becomes a result: read -> clean -> nlp -> record, with
one error policy (a file that cannot be read gives a Result with its one-line reason and
the others go on). Docs are batched by ``nlp.pipe`` across files, and a long article goes
through spaCy in pieces whose record offsets point into the whole prepared text.

``run`` spreads chunks of paths over a ``Runner``: the local process pool or a Dask cluster.
Both run the same ``process_chunk`` in each worker, which builds the pipeline once per process.
"""

from __future__ import annotations

import logging
import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from .cleaning import Article, articles
from .reading import MAX_BYTES, InputError, convert, read_bytes
from .record import build_record

PIECE_CHARS = 100_000  # longer texts go through spaCy in pieces (its max_length, memory)


@dataclass
class Result:
    path: str
    article: Article | None = None
    record: dict | None = None
    error: str | None = None
    duplicate_of: str | None = None  # the label of the earlier article with the same text

    @property
    def label(self) -> str:
        if self.article is None or self.article.index is None:
            return self.path
        return f"{self.path}#{self.article.index}"


def read_document(path: str, max_bytes: int | None = MAX_BYTES) -> list[Article]:
    """One file ('-' for standard input) of any supported format -> its articles; a file
    larger than ``max_bytes`` is refused (None or 0: no limit)."""
    return articles(convert(read_bytes(path, max_bytes), path), path)


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


def make_doc(nlp, article: Article, text: str | None = None, first: bool = True):
    """The Doc of an article (or of one piece of it), with the article's context attached."""
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


def _records(items: Iterable, nlp, batch_size: int) -> Iterator:
    """For each Article in ``items``, (article, record); anything else passes through in order."""
    pending: deque = deque()  # [item, pieces still to come, [(doc, offset)]] in input order
    offsets: deque = deque()  # (entry, offset) of each Doc sent to nlp.pipe, in order

    def docs():
        for item in items:
            if not isinstance(item, Article):
                pending.append([item, 0, None])
                continue
            cuts = pieces(item.text) if len(item.text) > PIECE_CHARS else [(0, None)]
            entry = [item, len(cuts), []]
            pending.append(entry)
            for n, (offset, text) in enumerate(cuts):
                offsets.append((entry, offset))
                yield make_doc(nlp, item, text, first=n == 0)

    def ready():
        while pending and pending[0][1] == 0:
            item, _, parts = pending.popleft()
            yield item if parts is None else (item, build_record(parts, item))

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        entry, offset = offsets.popleft()
        entry[2].append((doc, offset))
        entry[1] -= 1
        yield from ready()
    yield from ready()


def records(articles: Iterable[Article], nlp, batch_size: int = 16) -> Iterator[dict]:
    """Records for articles already read and cleaned, streaming."""
    for _, record in _records(articles, nlp, batch_size):
        yield record


def results(
    paths: Iterable[str], nlp, batch_size: int = 16, dedupe: bool = False, max_bytes: int | None = MAX_BYTES
) -> Iterator[Result]:
    """A Result per article (or per unreadable path), in input order. With ``dedupe`` an
    article whose text repeats an earlier one is reported as a duplicate and not processed."""
    seen: dict[str, str] = {}

    def items():
        for path in paths:
            try:
                found = read_document(path, max_bytes)
            except InputError as exc:
                yield Result(path, error=str(exc))
                continue
            except (OSError, ValueError, RecursionError) as exc:
                yield Result(path, error=f"cannot be read ({type(exc).__name__})")
                continue
            for article in found:
                result = Result(path, article=article)
                if dedupe:
                    first = seen.setdefault(article.fingerprint, result.label)
                    if first != result.label:
                        result.duplicate_of = first
                        yield result
                        continue
                yield article

    for out in _records(items(), nlp, batch_size):
        if isinstance(out, Result):
            yield out
        else:
            article, record = out
            yield Result(article.source, article=article, record=record)


# ---------------------------------------------------------------------------- runners


def process_chunk(
    paths: list[str], model: str | None, batch_size: int, dedupe: bool, max_bytes: int | None = MAX_BYTES
) -> list[Result]:
    """What a worker does with a chunk of paths (the pipeline is built once per process)."""
    from .pipeline import load_pipeline

    return list(results(paths, load_pipeline(model), batch_size, dedupe, max_bytes))


class Runner:
    """Maps ``process_chunk`` over chunks of paths somewhere, yielding results in input order."""

    workers: int = 1

    def map(self, fn: Callable[[list[str]], list[Result]], chunks: list[list[str]]) -> Iterator[list[Result]]:
        raise NotImplementedError  # pragma: no cover


def _ignore_sigint() -> None:
    import signal

    # Ctrl-C reaches the whole process group: the parent stops the pool and reports it once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ProcessPool(Runner):
    """This machine's processes (``--jobs N``)."""

    def __init__(self, workers: int):
        self.workers = workers

    def map(self, fn, chunks):
        import multiprocessing

        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with context.Pool(self.workers, initializer=_ignore_sigint) as pool:
            yield from pool.imap(fn, chunks)


class DaskCluster(Runner):
    """A Dask cluster (``pip install 'tipx[dask]'``): the scheduler at ``scheduler``
    (``tcp://host:8786``), or a local cluster of ``workers`` processes when none is given.
    Workers read the files themselves, so on a real cluster the paths must name the same files
    on every machine. At most two chunks per worker are in flight, so the client's memory stays
    bounded on millions of files."""

    def __init__(self, scheduler: str | None = None, workers: int = 2):
        self.scheduler, self.workers = scheduler, workers

    def map(self, fn, chunks):
        from dask.distributed import Client, LocalCluster

        cluster = None
        if self.scheduler is None:
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,  # one pipeline per process; spaCy gains nothing from threads
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        client = Client(cluster if cluster is not None else self.scheduler)
        try:
            window = 2 * (len(client.scheduler_info().get("workers", {})) or self.workers)
            pending: deque = deque()
            for chunk in chunks:
                pending.append(client.submit(fn, chunk, pure=False))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def run(
    paths: list[str],
    model: str | None = None,
    runner: Runner | None = None,
    batch_size: int = 16,
    chunk_size: int = 32,
    dedupe: bool = False,
    max_bytes: int | None = MAX_BYTES,
) -> Iterator[Result]:
    """Results for ``paths``: in this process, or in chunks on ``runner``'s workers. Small jobs
    are still spread over every worker (two chunks each); large ones go in ``chunk_size``."""
    if runner is None:
        from .pipeline import load_pipeline

        yield from results(paths, load_pipeline(model), batch_size, dedupe, max_bytes)
        return
    size = max(1, min(chunk_size, math.ceil(len(paths) / (2 * runner.workers))))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    work = partial(process_chunk, model=model, batch_size=batch_size, dedupe=dedupe, max_bytes=max_bytes)
    for chunk_results in runner.map(work, chunks):
        yield from chunk_results
