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
from .language import PREFIX as LANGUAGE_WARNING
from .terminal import printable

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_CODES = "\n\nExit codes: 0 all processed, 1 some documents failed, 2 usage error, 130 interrupted."

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
    str | None,  # a string: "-" is stdout, and a trailing "/" (a folder) must survive
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout ('-': stdout); a folder (DIR/) for summary CSV.",
        show_default=False,
    ),
]
UpdateOption = Annotated[
    bool,
    typer.Option(
        "--update",
        help="With -f sqlite: add to the database at -o; files whose bytes are already in it are skipped.",
    ),
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
    # one plain line, never wrapped: scripts grep for "tipx: PATH: reason"; a newline or an escape
    # sequence in a file name is shown escaped, so it can neither forge a line nor drive the terminal
    sys.stderr.write(f"tipx: {printable(path)}: {printable(reason)}\n")


def _usage(message: str) -> typer.Exit:
    sys.stderr.write(f"tipx: {printable(message)}\n")
    return typer.Exit(EXIT_USAGE)


class _StrictStop(Exception):
    pass


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
                # a bug of ours, or a text not in English: say so, once per record
                if warning.startswith(("internal error", LANGUAGE_WARNING)):
                    _error(result.label, warning)
            if progress is not None and (result.article is None or result.article.index in (None, 1)):
                done += 1
                rate = done / max(time.perf_counter() - started, 1e-6)
                progress.update(progress.task_ids[0], advance=1, rate=f"{rate:.1f} docs/s")
            yield result
    finally:
        if progress is not None:
            progress.stop()


def _target(
    output: str | None, fmt: Format, is_summary: bool, inputs: list[str]
) -> tuple[Format, Path | None]:
    """The format and the -o path (None: stdout), checked before any work is done: a path
    that cannot take the output is one line `tipx: -o PATH: reason` and exit 2."""
    from .export import OutputError, check_target

    path = None if output in (None, "-") else Path(output)
    fmt = choose(fmt, path, is_summary)
    if path is not None:
        try:
            check_target(output, folder=fmt is Format.csv and is_summary, inputs=inputs)
        except OutputError as exc:
            raise _usage(f"-o {printable(output)}: {exc}") from None
    return fmt, path


def _wrote(what: str, output: Path) -> None:
    """Say on stderr what -o wrote: nothing else tells that a run without output succeeded."""
    sys.stderr.write(f"tipx: wrote {what} to {printable(output)}\n")


def _stdout_closed() -> typer.Exit:
    """The reader of stdout went away (| head): stop quietly with 0, as head expects, and
    point stdout at /dev/null so the final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return typer.Exit(EXIT_OK)


def _emit(
    fmt: Format,
    stream,
    output: Path | None,
    is_summary: bool,
    missing=(),
    inputs: list[str] = (),
    model: str | None = None,
    update=None,
):
    """Run the stream through the one writer table; exit 1 if a document failed."""
    from .export import Output, OutputError, carries_run, emit
    from .pipeline import ModelError
    from .report import _count
    from .resources import ResourceError
    from .summary import Summary

    summary = Summary()
    for result in missing:
        summary.add(result)
    try:
        out = Output(stream, summary, is_summary)
        if carries_run(fmt, is_summary):
            out.run = _run_record(inputs, model)
        emit(fmt, out, output, update)
    except (OutputError, ModelError, ResourceError) as exc:
        raise _usage(str(exc)) from None
    except _StrictStop:
        sys.stderr.write("tipx: stopped at the first failure (--strict)\n")
        raise typer.Exit(EXIT_SOME_FAILED) from None
    except BrokenPipeError:
        raise _stdout_closed() from None
    except OSError as exc:  # disk full while writing -o: the old file is left as it was
        if output is None:
            raise
        _error(f"-o {printable(output)}", exc.strerror or str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    if output is not None:
        documents = _count(len(summary.documents), "document" if is_summary else "record")
        _wrote(f"a summary of {documents}" if is_summary else documents, output)
    raise typer.Exit(EXIT_SOME_FAILED if summary.errors else EXIT_OK)


def _not_in_database(fmt: Format, output: Path | None, paths: list[str], update: bool):
    """--update: the paths whose bytes the database at -o does not hold yet (hashed before any
    NLP), and what it found; without --update, the paths as they are."""
    if not update:
        return paths, None
    from .database import plan_update
    from .export import OutputError
    from .terminal import printable

    try:
        todo, found = plan_update(fmt, output, paths)
    except OutputError as exc:
        raise _usage(str(exc)) from None
    if found.skipped:
        n = len(found.skipped)
        sys.stderr.write(f"tipx: {printable(str(output))}: {n} file{'s' * (n != 1)} already there, skipped\n")
    return todo, found


def _run(paths: list[str], **options):
    """The engine's results; nothing to do (all skipped by --update) loads no pipeline."""
    from .engine import run

    return run(paths, **options) if paths else iter(())


def _run_record(inputs: list[str], model: str | None) -> dict:
    """The run record of the outputs that have room for one (tipx.runinfo.run_info)."""
    from .pipeline import load_pipeline, resolve_model
    from .runinfo import run_info

    return run_info(inputs, resolve_model(model), load_pipeline(model).meta)


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
    update: UpdateOption = False,
) -> None:
    """Extract one record per document (or per article of an archive page)."""
    fmt, output = _target(output, fmt, False, files)
    todo, found = _not_in_database(fmt, output, files, update)
    stream = _reported(_run(todo, model=model), len(todo))
    _emit(fmt, stream, output, False, inputs=files, model=model, update=found)


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
    from rich.text import Text

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
    table = Table(title=Text(f"tipx evaluate {printable(gold_dir)}"), title_justify="left")  # not markup
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
                        print(f"{field:13s} {kind:15s} {printable(doc)}: {printable(item)}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of one record: `tipx extract -f json` writes an array of them,
    always (validate each item against it)."""
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
    strict: bool = typer.Option(False, "--strict", help="Stop at the first document that fails."),
    model: ModelOption = None,
    update: UpdateOption = False,
) -> None:
    """Summarise a folder: organisations, countries, funders, timeline, participants, contacts."""
    from .engine import DaskCluster, ProcessPool
    from .summary import find_documents

    fmt, output = _target(output, fmt, True, folders)
    if fmt is Format.csv and output is None:
        raise _usage("csv writes one file per table: give a folder with -o")
    if scheduler and engine is not Engine.dask:
        raise _usage("--scheduler needs --engine dask")
    if engine is Engine.dask and (
        importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None
    ):
        raise _usage("the dask engine needs the extra: pip install 'tipx[dask]'")
    paths, missing = find_documents(folders, pattern, exclude=[output] if output else ())
    for result in missing:
        _error(result.path, result.error)
    if not paths:
        where = ", ".join(folders) + (f" matching {pattern!r}" if pattern else "")
        sys.stderr.write(f"tipx: no documents found in {printable(where)}\n")
        raise typer.Exit(EXIT_SOME_FAILED)
    runner = None
    if engine is Engine.dask:
        runner = DaskCluster(scheduler, workers=jobs)
    elif jobs > 1:
        runner = ProcessPool(jobs)
    todo, found = _not_in_database(fmt, output, paths, update)
    stream = _run(todo, model=model, runner=runner, dedupe=True)
    _emit(fmt, _reported(stream, len(todo), strict), output, True, missing, folders, model, found)


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


def main() -> None:
    """Console-script entry point: also ends quietly when stdout is closed early (| head)."""
    try:
        app()
    except BrokenPipeError:
        sys.exit(_stdout_closed().exit_code)
