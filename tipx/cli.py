"""The command line: parses options and calls the library. spaCy is imported only by the
commands that extract, so `tipx --help` and `tipx --version` stay fast."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .export import Format, choose

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_CODES = (
    "\n\nExit codes: 0 all processed, 1 some documents failed, 2 usage error, 130 interrupted "
    "(143 SIGTERM, 129 SIGHUP)."
)

app = typer.Typer(
    name="tipx",
    help=(
        "Turn counter-trafficking press releases, news and reports into structured, verifiable "
        "records: organisations, countries, dates, participants, funders and contacts." + EXIT_CODES
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,  # errors are one line of ours; also spares importing rich.traceback
)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


# Options every command that writes results shares (sqlite-utils' output_options, Typer-style).
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="auto: tables on a terminal, JSON when piped, else by the -o suffix."
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout (a folder for summary CSV)."),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="spaCy pipeline: 'blank' (rules only, the default), 'sm' (with en_core_web_sm), "
        "a package name or a saved pipeline folder. Default: $TIPX_MODEL, else blank.",
    ),
]


def _version(value: bool) -> None:
    if value:
        print(f"tipx {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    pass


def _error(path: str, reason: str) -> None:
    # one plain line, never wrapped: scripts grep for "tipx: PATH: reason"
    sys.stderr.write(f"tipx: {path}: {reason}\n")


def _usage(message: str) -> typer.Exit:
    sys.stderr.write(f"tipx: {message}\n")
    return typer.Exit(EXIT_USAGE)


class _StrictStop(Exception):
    pass


def _stream(paths: list[str], **options):
    """The engine's results. The model is built and a Dask scheduler reached here, before any
    output starts: one that cannot be used is a usage error, said once."""
    from .engine import ClusterError, run
    from .pipeline import ModelError
    from .resources import ResourceError

    try:
        return run(paths, **options)
    except (ModelError, ResourceError, ClusterError) as exc:
        raise _usage(str(exc)) from None


def _reported(stream, total: int, strict: bool = False):
    """The results, each error reported on stderr as it comes, with a progress bar on a
    terminal; with ``strict`` the first error stops the run."""
    progress = _progress(total)
    started, done = time.perf_counter(), 0
    try:
        for result in stream:
            if result.error:
                _error(result.path, result.error)
                if strict:
                    raise _StrictStop(result.path)
            for warning in result.record["warnings"] if result.record else ():
                if warning.startswith("internal error"):  # a bug of ours: say so, once per record
                    _error(result.label, warning)
            if progress is not None and (result.article is None or result.article.index in (None, 1)):
                done += 1
                rate = done / max(time.perf_counter() - started, 1e-6)
                progress.update(progress.task_ids[0], advance=1, rate=f"{rate:.1f} docs/s")
            yield result
    finally:
        if progress is not None:
            progress.stop()


def _emit(fmt: Format, stream, output: Path | None, is_summary: bool, single: bool = False, missing=()):
    """Run the stream through the one writer table; exit 1 if a document failed."""
    from .export import Output, OutputError, emit
    from .pipeline import ModelError
    from .resources import ResourceError
    from .summary import Summary

    summary = Summary()
    for result in missing:
        summary.add(result)
    try:
        emit(fmt, Output(stream, summary, is_summary, single), output)
    except (OutputError, ModelError, ResourceError) as exc:
        raise _usage(str(exc)) from None
    except _StrictStop:
        sys.stderr.write("tipx: stopped at the first failure (--strict)\n")
        raise typer.Exit(EXIT_SOME_FAILED) from None
    raise typer.Exit(EXIT_SOME_FAILED if summary.errors else EXIT_OK)


@app.command(
    epilog=(
        "Examples:\n\n"
        "  tipx extract samples/press_release.txt\n\n"
        "  tipx extract page.html report.md -f json | jq '.[].countries[].iso2'\n\n"
        "  curl -s URL | tipx extract - -f jsonl\n\n"
        "  tipx extract *.txt -f csv -o items.csv\n\n"
        "  tipx extract *.pdf -o report.html" + EXIT_CODES
    )
)
def extract(
    files: list[str] = typer.Argument(
        ..., help="Documents to read (.txt, .md, .html, .pdf, .docx); '-' reads standard input."
    ),
    fmt: FormatOption = Format.auto,
    output: OutputOption = None,
    model: ModelOption = None,
) -> None:
    """Extract one record per document (or per article of an archive page)."""
    fmt = choose(fmt, output, summary=False)
    _emit(fmt, _reported(_stream(files, model=model), len(files)), output, False, single=len(files) == 1)


@app.command(epilog="Example:\n\n  tipx evaluate ../shared/corpus/dev -v")
def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of documents with NAME.gold.json answer keys."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    model: ModelOption = None,
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="List misses and false positives per document."
    ),
) -> None:
    """Score extraction against gold files (precision, recall, F1 per field, macro-F1)."""
    import json

    from rich.console import Console
    from rich.table import Table

    from .evaluate import evaluate as run
    from .evaluate import macro_f1
    from .fields import FIELDS
    from .pipeline import ModelError
    from .resources import ResourceError

    if not gold_dir.is_dir():
        _error(str(gold_dir), "not a directory")
        raise typer.Exit(EXIT_USAGE)
    try:
        scores = run(gold_dir, model=model)
    except (ModelError, ResourceError) as exc:
        raise _usage(str(exc)) from None
    macro = macro_f1(scores)
    if as_json:
        payload = {
            f: {
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                **({"misses": s.misses, "false_positives": s.false_positives} if verbose else {}),
            }
            for f, s in scores.items()
        }
        print(json.dumps({"fields": payload, "macro_f1": macro}, indent=2))
        return
    console = Console(highlight=False)
    table = Table(title=f"tipx evaluate {gold_dir}", title_justify="left")
    for column in ("field", "precision", "recall", "F1", "TP", "FP", "FN"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for field, s in scores.items():
        table.add_row(
            field, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn)
        )
    console.print(table)
    console.print(f"macro-F1 {macro:.3f} (the mean over {', '.join(f.name for f in FIELDS if f.in_macro)})")
    if verbose:
        for field, s in scores.items():
            for kind, found in (("miss", s.misses), ("false positive", s.false_positives)):
                for doc, items in found.items():
                    for item in items:
                        print(f"{field:13s} {kind:15s} {doc}: {item}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of a record (validate `tipx extract -f json` output against it)."""
    import json

    from .schema import RECORD_SCHEMA

    print(json.dumps(RECORD_SCHEMA, indent=2))


@app.command(
    epilog=(
        "Examples:\n\n"
        "  tipx summarize press-releases/\n\n"
        "  tipx summarize archive/ --glob '*.html' --jobs 2 -o report.html\n\n"
        "  tipx summarize archive/ -f json | jq .summary.countries\n\n"
        "  tipx summarize archive/ -f csv -o tables/\n\n"
        "  tipx summarize archive/ --engine dask --jobs 4\n\n"
        "  tipx summarize /shared/archive/ --engine dask --scheduler tcp://10.0.0.5:8786 -o summary.json"
        + EXIT_CODES
    )
)
def summarize(
    folders: list[str] = typer.Argument(..., help="Folders (searched recursively) or files."),
    pattern: str | None = typer.Option(None, "--glob", "-g", help="Only documents matching this pattern."),
    fmt: FormatOption = Format.auto,
    output: OutputOption = None,
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=1, help="Worker processes (the local cluster's size with dask)."
    ),
    engine: Engine = typer.Option(
        Engine.local, "--engine", "-e", help="local: this machine's processes; dask: a Dask cluster."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local cluster."
    ),
    connect_timeout: float = typer.Option(
        10.0, "--connect-timeout", min=0.1, help="Seconds to wait for the Dask scheduler to answer."
    ),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first document that fails."),
    model: ModelOption = None,
) -> None:
    """Summarise a folder: organisations, countries, funders, timeline, participants, contacts."""
    from .engine import DaskCluster, ProcessPool
    from .summary import find_documents

    fmt = choose(fmt, output, summary=True)
    if fmt is Format.csv and output is None:
        raise _usage("csv writes one file per table: give a folder with -o")
    if scheduler and engine is not Engine.dask:
        raise _usage("--scheduler needs --engine dask")
    if engine is Engine.dask and (
        importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None
    ):
        raise _usage("the dask engine needs the extra: pip install 'tipx[dask]'")
    paths, missing = find_documents(folders, pattern)
    for result in missing:
        _error(result.path, result.error)
    if not paths:
        where = ", ".join(folders) + (f" matching {pattern!r}" if pattern else "")
        sys.stderr.write(f"tipx: no documents found in {where}\n")
        raise typer.Exit(EXIT_SOME_FAILED)
    runner = None
    if engine is Engine.dask:
        runner = DaskCluster(scheduler, workers=jobs, timeout=connect_timeout)
    elif jobs > 1:
        runner = ProcessPool(jobs)
    stream = _stream(paths, model=model, runner=runner, dedupe=True)
    _emit(fmt, _reported(stream, len(paths), strict), output, True, missing=missing)


def _progress(total: int):
    """A progress bar on stderr when it is a terminal; None (silent) otherwise."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("documents"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=Console(stderr=True, highlight=False),
        transient=True,
    )
    progress.add_task("documents", total=total, rate="")
    progress.start()
    return progress


class _Terminated(BaseException):
    """SIGTERM or SIGHUP, raised wherever the run is, so that the cleanup Ctrl-C gets (temporary
    files removed, workers stopped) runs for them too. Not an Exception: nothing swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame) -> None:
    import signal

    for name in ("SIGTERM", "SIGHUP"):  # once: a second signal must not cut the cleanup short
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise _Terminated(signum)


def main() -> None:
    """Console-script entry point: also ends quietly when stdout is closed early (| head), and
    cleans up on SIGTERM/SIGHUP as on Ctrl-C (exit 128 + the signal: 143, 129)."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:  # nohup: keep ignoring
            signal.signal(number, _terminate)
    # a file name that is not UTF-8 (os.fsdecode's lone surrogates) prints as \udcff, not a crash
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except _Terminated as stop:
        sys.exit(128 + stop.signum)
