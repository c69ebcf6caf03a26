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
from .reading import InputError, convert, read_bytes
from .record import RecordBuilder

PIECE_CHARS = 100_000  # longer texts go through spaCy in pieces (its max_length, memory)
# Text in one batch through the pipeline: a statistical model's activations grow with the
# batch's tokens (en_core_web_sm's tok2vec peaks at ~3 KB per character), so 16 long Docs at
# once take gigabytes. 16 press releases fit; a longer Doc goes through alone.
BATCH_CHARS = 100_000


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


def read_document(path: str) -> list[Article]:
    """One file ('-' for standard input) of any supported format -> its articles."""
    return articles(convert(read_bytes(path), path), path)


def pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) cuts of a long text at paragraph, line or sentence ends (else anywhere),
    each at most ``limit`` characters; cut as they are asked for, so only one piece is copied
    at a time."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(". "))
        cut = cut + 1 if cut > limit // 2 else limit
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


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


@dataclass
class _Pending:
    """An item waiting for its turn in the output: an Article with its record being built."""

    item: object
    builder: RecordBuilder | None = None  # None: not an Article, passed through as it is
    in_pipeline: int = 0  # its Docs sent and not yet folded into the record
    complete: bool = True  # all its pieces have been sent


def _records(items: Iterable, nlp, batch_size: int) -> Iterator:
    """For each Article in ``items``, (article, record); anything else passes through in order.

    Memory stays bounded whatever the length of a text: a batch holds at most ``batch_size``
    Docs and ``BATCH_CHARS`` characters (one longer Doc goes alone), a long article is cut into
    pieces as the batches need them, and each Doc is folded into its article's record as soon as
    it leaves the pipeline, then dropped."""
    pending: deque[_Pending] = deque()  # in input order

    def docs() -> Iterator[tuple[_Pending, int, int, object] | None]:  # (entry, offset, length, Doc)
        for item in items:
            if not isinstance(item, Article):
                pending.append(_Pending(item))
                yield None  # nothing for the pipeline, but maybe something to pass on
                continue
            entry = _Pending(item, RecordBuilder(item), complete=False)
            pending.append(entry)
            text = item.text
            cuts = pieces(text, PIECE_CHARS) if len(text) > PIECE_CHARS else [(0, None)]
            for offset, piece in cuts:
                size = len(text) - offset if piece is None else len(piece)
                entry.in_pipeline += 1
                entry.complete = offset + size == len(text)
                yield entry, offset, size, make_doc(nlp, item, piece, first=offset == 0)

    def batches() -> Iterator[list[tuple[_Pending, int, int, object]]]:
        batch: list = []
        chars = 0
        for piece in docs():
            if piece is None:
                if not batch:
                    yield batch  # empty: lets an unreadable file's result out at once
                continue
            if batch and (len(batch) >= batch_size or chars + piece[2] > BATCH_CHARS):
                yield batch
                batch, chars = [], 0
            batch.append(piece)
            chars += piece[2]
        if batch:
            yield batch

    def fold(batch: list[tuple[_Pending, int, int, object]]) -> None:
        done = nlp.pipe([doc for *_, doc in batch], batch_size=max(1, len(batch)))
        for (entry, offset, _, _), doc in zip(batch, done, strict=True):
            entry.builder.add(doc, offset)
            entry.in_pipeline -= 1

    def ready() -> Iterator:
        while pending and pending[0].complete and not pending[0].in_pipeline:
            entry = pending.popleft()
            yield entry.item if entry.builder is None else (entry.item, entry.builder.record())

    for batch in batches():
        fold(batch)
        batch.clear()  # the Docs go before the next batch is made
        yield from ready()
    yield from ready()


def records(articles: Iterable[Article], nlp, batch_size: int = 16) -> Iterator[dict]:
    """Records for articles already read and cleaned, streaming."""
    for _, record in _records(articles, nlp, batch_size):
        yield record


def results(paths: Iterable[str], nlp, batch_size: int = 16, dedupe: bool = False) -> Iterator[Result]:
    """A Result per article (or per unreadable path), in input order. With ``dedupe`` an
    article whose text repeats an earlier one is reported as a duplicate and not processed."""
    seen: dict[str, str] = {}

    def items():
        for path in paths:
            try:
                found = read_document(path)
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


def process_chunk(paths: list[str], model: str | None, batch_size: int, dedupe: bool) -> list[Result]:
    """What a worker does with a chunk of paths (the pipeline is built once per process)."""
    from .pipeline import load_pipeline

    return list(results(paths, load_pipeline(model), batch_size, dedupe))


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
) -> Iterator[Result]:
    """Results for ``paths``: in this process, or in chunks on ``runner``'s workers. Small jobs
    are still spread over every worker (two chunks each); large ones go in ``chunk_size``."""
    if runner is None:
        from .pipeline import load_pipeline

        yield from results(paths, load_pipeline(model), batch_size, dedupe)
        return
    size = max(1, min(chunk_size, math.ceil(len(paths) / (2 * runner.workers))))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    work = partial(process_chunk, model=model, batch_size=batch_size, dedupe=dedupe)
    for chunk_results in runner.map(work, chunks):
        yield from chunk_results
