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


def read_document(path: str, max_bytes: int | None = MAX_BYTES) -> list[Article]:
    """One file ('-' for standard input) of any supported format -> its articles; a file
    larger than ``max_bytes`` is refused (None or 0: no limit)."""
    return articles(convert(read_bytes(path, max_bytes), path), path)


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


def results(
    paths: Iterable[str], nlp, batch_size: int = 16, dedupe: bool = False, max_bytes: int | None = MAX_BYTES
) -> Iterator[Result]:
    """A Result per article (or per unreadable path), in input order. With ``dedupe`` an
    article whose text repeats an earlier one is reported as a duplicate and not processed.
    A document that fails in any way, at reading or in the NLP, is that document's one-line
    error; the others go on."""
    seen: dict[str, str] = {}

    def items():
        for path in paths:
            try:
                found = read_document(path, max_bytes)
                keys = [article.fingerprint for article in found] if dedupe else []
            except InputError as exc:
                yield Result(path, error=str(exc))
                continue
            except Exception as exc:  # a parser's AssertionError, a MemoryError: this file only
                yield Result(path, error=f"cannot be read ({type(exc).__name__})")
                continue
            for article, key in zip(found, keys or found, strict=True):
                result = Result(path, article=article)
                if dedupe:
                    first = seen.setdefault(key, result.label)
                    if first != result.label:
                        result.duplicate_of = first
                        yield result
                        continue
                yield article

    source = items()
    inflight: deque = deque()  # items handed to the NLP whose results are not out yet, in order

    def tracked():
        for item in source:
            inflight.append(item)
            yield item

    while True:
        try:
            for out in _records(tracked(), nlp, batch_size):
                inflight.popleft()
                yield _result(out)
            return
        except Exception:
            # one document broke nlp.pipe's batch: redo the batch's items one by one, so only
            # the culprit is lost, then go on with the items not read yet
            while inflight:
                yield _alone(inflight.popleft(), nlp)


def _result(out) -> Result:
    if isinstance(out, Result):
        return out
    article, record = out
    return Result(article.source, article=article, record=record)


def _alone(item, nlp) -> Result:
    """The Result of one item (a Result passes through) through the NLP on its own."""
    if isinstance(item, Result):
        return item
    try:
        (out,) = _records([item], nlp, 1)
        return _result(out)
    except Exception as exc:
        where = "" if item.index is None else f"article {item.index}: "
        return Result(item.source, article=item, error=f"{where}cannot be processed ({type(exc).__name__})")


# ---------------------------------------------------------------------------- runners

WORKER_DIED = "worker died (out of memory?)"


class ClusterError(Exception):
    """A Dask scheduler that cannot be reached or is not one (a usage error)."""


def process_chunk(
    paths: list[str], model: str | None, batch_size: int, dedupe: bool, max_bytes: int | None = MAX_BYTES
) -> list[Result]:
    """What a worker does with a chunk of paths (the pipeline is built once per process)."""
    from .pipeline import load_pipeline

    return list(results(paths, load_pipeline(model), batch_size, dedupe, max_bytes))


def failed(paths: list[str], reason: str) -> list[Result]:
    return [Result(path, error=reason) for path in paths]


class Runner:
    """Maps ``process_chunk`` over chunks of paths somewhere, yielding results in input order.
    ``map`` sets up (and raises a usage error) when called, and works as it is iterated."""

    workers: int = 1

    def map(self, fn: Callable[[list[str]], list[Result]], chunks: list[list[str]]) -> Iterator[list[Result]]:
        raise NotImplementedError  # pragma: no cover


def _work(conn, fn: Callable, others: list) -> None:
    """A pool worker: run ``fn`` on each chunk received until told to stop."""
    import signal

    # Ctrl-C reaches the whole process group: the parent stops the pool and reports it once.
    # SIGTERM and SIGHUP end a worker at once (the parent's handlers, inherited by fork, would not).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, signal.SIG_DFL)
    for other in others:  # the parent's pipe ends, inherited by fork: closed, so EOFs are seen
        other.close()
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the parent is gone
            return
        if task is None:
            return
        key, paths = task
        try:
            payload = fn(paths)
        except Exception as exc:  # results() keeps per-file errors: this is the chunk's only
            payload = f"cannot be processed ({type(exc).__name__})"
        try:
            conn.send((key, payload))
        except OSError:  # the parent is gone
            return


class ProcessPool(Runner):
    """This machine's processes (``--jobs N``), at most one per chunk. A worker that dies
    (killed, out of memory) is replaced; its chunk's files are retried once, each on its own,
    and a file whose worker dies again is reported as an error, so lost work never hangs the
    run nor goes unsaid."""

    def __init__(self, workers: int):
        self.workers = workers

    def map(self, fn, chunks):
        return self._map(fn, chunks)

    def _map(self, fn, chunks):  # noqa: C901 - one loop: hand out, collect, replace the dead
        import multiprocessing
        from multiprocessing.connection import wait

        fork = hasattr(os, "fork")
        context = multiprocessing.get_context("fork" if fork else "spawn")
        workers: list[list] = []  # [process, connection, task or None]

        def start() -> list:
            ours, theirs = context.Pipe()
            # the parent's ends a forked child inherits, its own included: closed there, so a
            # parent that dies (kill -9, out of memory) is an EOF, not a send blocked forever
            others = [*(w[1] for w in workers), ours] if fork else []
            process = context.Process(target=_work, args=(theirs, fn, others), daemon=True)
            process.start()
            theirs.close()
            return [process, ours, None]

        def replace(n: int) -> list:
            """A fresh worker instead of worker ``n`` (dead, or past trusting)."""
            process, conn, _ = workers[n]
            process.terminate()
            process.join()
            conn.close()
            workers[n] = start()
            return workers[n]

        # a task: (chunk index, part or None, paths, retry); a retried chunk is split in parts
        todo: deque = deque()
        parts: dict[int, list] = {}
        done: dict[int, list[Result]] = {}
        pending = iter(enumerate(chunks))
        window = 4 * max(1, self.workers)  # chunks ahead of the one to yield next: bounded memory
        next_out, total = 0, len(chunks)

        def finish(task, payload) -> None:
            index, part, paths, _ = task
            if isinstance(payload, str):
                payload = failed(paths, payload)
            if part is None:
                done[index] = payload
                return
            parts[index][part] = payload
            if all(p is not None for p in parts[index]):
                done[index] = [r for p in parts.pop(index) for r in p]

        def died(task) -> None:
            index, part, paths, retry = task
            if retry:
                finish(task, WORKER_DIED)
            elif part is None and len(paths) > 1:
                parts[index] = [None] * len(paths)
                todo.extendleft((index, n, [path], True) for n, path in reversed(list(enumerate(paths))))
            else:
                todo.appendleft((index, part, paths, True))

        def next_task():
            if not todo:
                for index, chunk in pending:
                    todo.append((index, None, chunk, False))
                    break
            if todo and todo[0][0] < next_out + window:
                return todo.popleft()
            return None

        try:
            for _ in range(min(self.workers, total)):
                workers.append(start())
            while next_out < total:
                for n, worker in enumerate(workers):  # hand out work first, then yield
                    if worker[2] is None and (task := next_task()) is not None:
                        if not worker[0].is_alive():
                            worker = replace(n)
                        try:
                            worker[1].send((task[:2], task[2]))
                            worker[2] = task
                        except OSError:  # died just now, before it took the task: no retry spent
                            todo.appendleft(task)
                            replace(n)
                if next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                    continue
                busy = [w for w in workers if w[2] is not None]
                if not busy:  # cannot happen: the chunk to yield next is always done or in flight
                    raise RuntimeError(f"process pool: chunk {next_out} lost")
                ready = set(wait([w[1] for w in busy] + [w[0].sentinel for w in busy]))
                for n, (process, conn, task) in enumerate(list(workers)):
                    if task is None or not (conn in ready or process.sentinel in ready):
                        continue
                    try:
                        _, payload = conn.recv()
                    except Exception:  # killed (EOF) or a garbled answer: no answer will come
                        replace(n)
                        died(task)
                        continue
                    workers[n][2] = None
                    finish(task, payload)
        finally:
            for process, conn, _ in workers:
                process.terminate()
                conn.close()
            for process, _, _ in workers:
                process.join(5)
                if process.is_alive():
                    process.kill()
                    process.join()


class DaskCluster(Runner):
    """A Dask cluster (``pip install 'tipx[dask]'``): the scheduler at ``scheduler``
    (``tcp://host:8786``), or a local cluster of ``workers`` processes when none is given.
    Workers read the files themselves, so on a real cluster the paths must name the same files
    on every machine. At most two chunks per worker are in flight, so the client's memory stays
    bounded on millions of files. A scheduler must answer within ``timeout`` seconds."""

    def __init__(self, scheduler: str | None = None, workers: int = 2, timeout: float = 10.0):
        self.scheduler, self.workers, self.timeout = scheduler, workers, timeout

    def map(self, fn, chunks):
        if self.scheduler is not None:
            check_scheduler(self.scheduler, self.timeout)
        return self._map(fn, chunks)

    def _map(self, fn, chunks):
        import dask
        from dask.distributed import Client, LocalCluster

        cluster = None
        try:
            if self.scheduler is None:
                # a task whose worker dies is retried once (on another worker), then reported
                with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
                    cluster = LocalCluster(
                        n_workers=max(1, min(self.workers, len(chunks))),
                        threads_per_worker=1,  # one pipeline per process; spaCy gains nothing from threads
                        processes=True,
                        dashboard_address=None,
                        # its HTTP endpoints on any free local port: 8787 may be taken (a warning)
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                        silence_logs=logging.ERROR,
                    )
            client = Client(cluster if cluster is not None else self.scheduler, timeout=self.timeout)
            try:
                window = 2 * (len(client.scheduler_info().get("workers", {})) or self.workers)
                pending: deque = deque()
                for chunk in chunks:
                    pending.append((chunk, client.submit(fn, chunk, pure=False)))
                    if len(pending) >= window:
                        yield _collect(*pending.popleft())
                while pending:
                    yield _collect(*pending.popleft())
            finally:
                client.close()
        finally:
            if cluster is not None:
                cluster.close()


def _collect(chunk: list[str], future) -> list[Result]:
    from distributed.scheduler import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        return failed(chunk, WORKER_DIED)
    except Exception as exc:  # results() keeps per-file errors: this is the chunk's only
        return failed(chunk, f"cannot be processed ({type(exc).__name__})")


def check_scheduler(address: str, timeout: float) -> None:
    """Raise ClusterError unless a Dask scheduler answers at ``address`` within ``timeout``
    seconds. The client would wait forever on a silent listener or an HTTP server (the
    handshake read has no timeout), so ask for its identity under a deadline first."""
    import asyncio

    from distributed.comm import connect

    from .terminal import printable

    async def identity():
        # connect() retries a refused connection until its timeout (then OSError), and then
        # reads the handshake with none: the whole exchange gets the deadline
        comm = await connect(address, timeout=0.8 * timeout)
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            comm.abort()

    async def bounded():
        return await asyncio.wait_for(identity(), timeout)

    where = f"--scheduler {printable(address)}"
    try:
        answer = asyncio.run(bounded())
    except ValueError as exc:
        raise ClusterError(f"{where}: not a scheduler address, e.g. tcp://host:8786 ({exc})") from None
    except (asyncio.TimeoutError, TimeoutError):  # a silent listener, an HTTP server
        raise ClusterError(f"{where}: no Dask scheduler answered within {timeout:g} s") from None
    except OSError:  # refused or unresolvable, retried until the timeout
        raise ClusterError(f"{where}: cannot connect within {timeout:g} s (nothing listening?)") from None
    except Exception as exc:  # a reply that is not Dask's (a frame length of exabytes...)
        raise ClusterError(f"{where}: not a Dask scheduler ({type(exc).__name__})") from None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        kind = answer.get("type") if isinstance(answer, dict) else None
        raise ClusterError(f"{where}: not a Dask scheduler" + (f" (a {printable(kind)})" if kind else ""))


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
    are still spread over every worker (two chunks each); large ones go in ``chunk_size``.
    The pipeline is built here, before any worker starts, and a Dask scheduler is reached: a
    model that cannot load (ModelError) or a cluster that cannot be used (ClusterError) is
    raised by this call, before any result, once (forked workers inherit the pipeline)."""
    from .pipeline import load_pipeline

    nlp = load_pipeline(model)
    if runner is None:
        return results(paths, nlp, batch_size, dedupe, max_bytes)
    size = max(1, min(chunk_size, math.ceil(len(paths) / (2 * runner.workers))))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    work = partial(process_chunk, model=model, batch_size=batch_size, dedupe=dedupe, max_bytes=max_bytes)
    return (result for chunk_results in runner.map(work, chunks) for result in chunk_results)
