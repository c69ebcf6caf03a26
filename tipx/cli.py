"""The command line: parses options and calls the library. spaCy is imported only by the
commands that extract, so `tipx --help` and `tipx --version` stay fast."""

from __future__ import annotations

import errno
import importlib.util
import os
import re
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand

from . import __version__
from .export import Format, choose
from .language import PREFIX as LANGUAGE_WARNING
from .terminal import printable

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_CODES = (
    "\n\nExit codes: 0 all processed, 1 some documents failed, 2 usage error, 130 interrupted "
    "(143 SIGTERM, 129 SIGHUP)."
)
# Filled in when help is shown, from the suffixes reading knows (spares every run importing it).
INPUT_TYPES = "{input_types}"


def _input_types() -> str:
    from .reading import DOCUMENT_SUFFIXES

    return ", ".join(DOCUMENT_SUFFIXES)


class _Command(TyperCommand):
    """Arguments shown by their metavar (FILE...), not Typer's "{files}..." and "<list[str]>";
    the input types filled in."""

    def _argument_name(self, param) -> str:
        name = param.metavar or param.name.upper()
        return name + ("..." if param.nargs != 1 and not name.endswith("...") else "")

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = self._argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx, formatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if INPUT_TYPES in record[1]:
                record = (record[0], record[1].replace(INPUT_TYPES, _input_types()))
            if param.param_type_name == "argument":
                arguments.append((self._argument_name(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


app = typer.Typer(
    name="tipx",
    help=(
        "Turn counter-trafficking press releases, news and reports into structured, verifiable "
        "records: organisations, countries, dates, participants, funders and contacts." + EXIT_CODES
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion; costs --help nothing measurable
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,  # errors are one line of ours; also spares importing rich.traceback
)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class EvalFormat(str, Enum):
    auto = "auto"
    table = "table"
    json = "json"


def _choice(kind: type[Enum], what: str):
    """A parser for an Enum option: case-insensitive, with a suggestion for a typo."""

    def parse(value):
        import difflib

        if isinstance(value, kind):
            return value
        try:
            return kind(str(value).lower())
        except ValueError:
            names = [m.value for m in kind]
            close = difflib.get_close_matches(str(value).lower(), names, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "one of " + ", ".join(names)
            raise typer.BadParameter(f"{value!r} is not a {what}; {hint}") from None

    return parse


def _choice_option(kind: type[Enum], *flags: str, help: str):
    """A case-insensitive Enum option named by ``flags`` (the first, less its dashes, in errors)."""
    return typer.Option(*flags, parser=_choice(kind, flags[0].lstrip("-")), help=help)


# Options the commands share (sqlite-utils' output_options, Typer-style).
FormatOption = Annotated[
    Format,
    _choice_option(
        Format, "--format", "-f", help="auto: tables on a terminal, JSON when piped, else by the -o suffix."
    ),
]
OutputOption = Annotated[
    str | None,  # a string: "-" is stdout, and a trailing "/" (a folder) must survive
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout ('-': stdout); a folder (DIR/) for summary CSV.",
        show_default=False,
        metavar="PATH",
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
        metavar="NAME",
        help="spaCy pipeline: 'blank' (rules only, the default), 'sm' (with en_core_web_sm), "
        "a package name or a saved pipeline folder. Default: $TIPX_MODEL, else blank.",
    ),
]
JobsOption = Annotated[
    int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes (one spaCy pipeline each).")
]
GlobOption = Annotated[
    list[str] | None,
    typer.Option(
        "--glob",
        "-g",
        metavar="PATTERN",
        help="In folders, only documents whose name or path matches (repeatable: any of them).",
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        "-x",
        metavar="PATTERN",
        help="In folders, skip files and folders whose name or path matches (repeatable).",
    ),
]
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress bar and no 'wrote' line; errors are still shown."),
]


def _size(text: str | int) -> int:
    from .reading import parse_size

    try:
        return text if isinstance(text, int) else parse_size(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


MaxBytesOption = Annotated[
    int,
    typer.Option(
        "--max-bytes",
        parser=_size,
        metavar="SIZE",
        help="Refuse files larger than this (50MB, 800kB, 1G; 0: no limit).",
        show_default="50MB",
    ),
]

FollowLinksOption = Annotated[
    bool,
    typer.Option(
        "--follow-links", help="Read links to files outside the folders given (not links to folders)."
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


def _run(paths: list[str], **options):
    """The engine's results. The model is built and a Dask scheduler reached here, before any
    output starts: one that cannot be used is a usage error, said once. Nothing to do (all
    skipped by --update) runs no NLP."""
    if not paths:
        return iter(())
    from .engine import ClusterError, run
    from .pipeline import ModelError
    from .resources import ResourceError

    try:
        return run(paths, **options)
    except (ModelError, ResourceError, ClusterError) as exc:
        raise _usage(str(exc)) from None


def _reported(stream, total: int, strict: bool = False, quiet: bool = False):
    """The results, each error reported on stderr as it comes, with a progress bar on a
    terminal (not with ``quiet``); with ``strict`` the first error stops the run."""
    progress = None if quiet else _progress(total)
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


# what writing standard output can meet: its reader gone, a full disk or quota, an I/O error
_OUTPUT_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}


def _stdout_failed(exc: OSError) -> int:
    """Standard output cannot take more: its reader went away (| head: exit 0, as head
    expects) or it failed (a full disk: one line, exit 1). stdout then points at /dev/null
    so the final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    if isinstance(exc, BrokenPipeError):
        return EXIT_OK
    _error("standard output", exc.strerror or str(exc))
    return EXIT_SOME_FAILED


def _emit(
    fmt: Format,
    stream,
    output: Path | None,
    is_summary: bool,
    missing=(),
    inputs: list[str] = (),
    model: str | None = None,
    update=None,
    quiet: bool = False,
):
    """Run the stream through the one writer table; say what -o wrote; exit 1 if a document failed."""
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
    except OSError as exc:  # disk full while writing -o: the old file is left as it was
        if output is None:  # standard output (said here: Click would exit 1 on a closed pipe)
            if exc.errno not in _OUTPUT_ERRNOS:
                raise
            raise typer.Exit(_stdout_failed(exc)) from None
        _error(f"-o {printable(output)}", exc.strerror or str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    if output is not None and not quiet and update is not None:  # --update: what was added
        n = len(summary.duplicates) + len(update.copies)
        copies = f" and {n} {'copy' if n == 1 else 'copies'} of documents already there" if n else ""
        added = _count(len(summary.documents), "new document") + copies
        sys.stderr.write(f"tipx: added {added} to {printable(output)}\n")
    elif output is not None and not quiet:
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

    try:
        todo, found = plan_update(fmt, output, paths)
    except OutputError as exc:
        raise _usage(str(exc)) from None
    if found.skipped:
        from .report import _count

        sys.stderr.write(
            f"tipx: {printable(str(output))}: {_count(len(found.skipped), 'file')} already there, skipped\n"
        )
    return todo, found


def _run_record(inputs: list[str], model: str | None) -> dict:
    """The run record of the outputs that have room for one (tipx.runinfo.run_info)."""
    from .pipeline import load_pipeline, resolve_model
    from .runinfo import run_info

    return run_info(inputs, resolve_model(model), load_pipeline(model).meta)


_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def _refuse_urls(targets: list[str]) -> None:
    """tipx reads files: a URL argument is a usage error with the command that fetches it."""
    import shlex

    for target in targets:
        if _URL.match(target) and not os.path.exists(target):
            raise _usage(
                f"{printable(target)}: tipx reads files, not URLs; fetch it first: "
                f"curl -sL {printable(shlex.quote(target))} | tipx extract -"
            )


def _paths_from_stdin() -> list[str]:
    """A list of paths on standard input: one a line, or NUL-separated (find -print0)."""
    data = os.fsdecode(sys.stdin.buffer.read())
    lines = data.split("\0") if "\0" in data else data.splitlines()
    return [line for line in lines if line.strip()]


def _runner(jobs: int):
    from .engine import ProcessPool

    return ProcessPool(jobs) if jobs > 1 else None


# ---------------------------------------------------------------------------- commands


@app.command(
    cls=_Command,
    epilog=(
        "Examples:\n\n"
        "  tipx extract samples/press_release.txt\n\n"
        "  tipx extract page.html report.md -f json | jq '.[].countries[].iso2'\n\n"
        "  curl -sL URL | tipx extract - --name page.html -f jsonl\n\n"
        "  tipx extract archive/ --glob '*.html' --exclude drafts --jobs 2 -f jsonl\n\n"
        "  tipx extract *.txt -f csv -o items.csv\n\n"
        "  tipx extract *.pdf -o report.html" + EXIT_CODES
    ),
)
def extract(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE...",
            help=f"Documents ({INPUT_TYPES}) or folders, searched recursively for them; "
            "'-' reads standard input.",
            show_default=False,
        ),
    ],
    fmt: FormatOption = Format.auto,
    output: OutputOption = None,
    model: ModelOption = None,
    jobs: JobsOption = 1,
    globs: GlobOption = None,
    excludes: ExcludeOption = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="NAME",
            help="The source name of standard input in records; its suffix picks the parser "
            "(page.html, update.md).",
        ),
    ] = None,
    quiet: QuietOption = False,
    update: UpdateOption = False,
    max_bytes: MaxBytesOption = "50MB",
    follow_links: FollowLinksOption = False,
) -> None:
    """Extract one record per document (or per article of an archive page)."""
    from .engine import Result
    from .reading import StdinName, read_stdin
    from .summary import find_documents

    _refuse_urls(inputs)
    if "-" in inputs and sys.stdin.isatty() and not quiet:  # else it looks hung
        sys.stderr.write("tipx: reading standard input (Ctrl-D to end)\n")
    if name is not None:
        if "-" not in inputs:
            raise _usage("--name names standard input: give '-' among the inputs")
        if not name.strip():
            raise _usage("--name needs a name")
    fmt, output = _target(output, fmt, False, inputs)
    paths: list[str] = []
    empty: list[Result] = []  # folders without documents: failed inputs, like a missing file
    for target in inputs:  # in the order given; a folder's documents in sorted order
        if target != "-" and os.path.isdir(target):
            found, skipped = find_documents([target], globs, excludes or (), follow_links=follow_links)
            paths += found
            for result in skipped:  # a link out of the folder: named, as summarize names it
                empty.append(result)
                _error(result.path, result.error)
            if not found:
                reason = "no documents in this folder" + (" matching --glob" if globs else "")
                empty.append(Result(target, error=reason))
                _error(target, empty[-1].error)
        elif target == "-" and (name or jobs > 1):
            paths.append(StdinName(name or "-"))
            if jobs > 1:
                paths[-1].data = read_stdin(max_bytes)  # workers' stdin is /dev/null
        else:
            paths.append(target)
    todo, found = _not_in_database(fmt, output, paths, update)
    # tables printed to the terminal as records come would garble a progress bar: they are the progress
    tables_here = fmt is Format.table and output is None and sys.stdout.isatty()
    stream = _reported(
        _run(todo, model=model, runner=_runner(jobs), max_bytes=max_bytes),
        len(todo),
        quiet=quiet or tables_here,
    )
    _emit(fmt, stream, output, False, empty, inputs, model, found, quiet)


@app.command(
    cls=_Command,
    epilog="Examples:\n\n  tipx evaluate ../shared/corpus/dev -v\n\n"
    "  tipx evaluate ../shared/corpus/dev --fail-under 0.95 -f json > scores.json\n\n"
    "Exit codes: 0 scored, 1 macro-F1 below --fail-under or a document unreadable, 2 usage error "
    "(no gold files, a malformed gold file, a gold file whose document is missing).",
)
def evaluate(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER", help="Folder of documents with their NAME.gold.json answer keys (GOLD.md)."
        ),
    ],
    fmt: Annotated[
        EvalFormat,
        _choice_option(EvalFormat, "--format", "-f", help="auto: a table on a terminal, JSON when piped."),
    ] = EvalFormat.auto,
    as_json: Annotated[bool, typer.Option("--json", help="The same as -f json.")] = False,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            min=0.0,
            max=1.0,
            metavar="F1",
            help="Exit 1 when macro-F1 is below this (0 to 1), e.g. in CI.",
        ),
    ] = None,
    model: ModelOption = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List misses and false positives per document."),
    ] = False,
) -> None:
    """Score extraction against gold files (precision, recall, F1 per field, macro-F1)."""
    import json

    from .evaluate import GoldError, macro_f1
    from .evaluate import evaluate as run
    from .fields import FIELDS
    from .pipeline import ModelError
    from .resources import ResourceError

    if not gold_dir.is_dir():
        what = (
            "a file, not a folder: give the folder that holds it" if gold_dir.is_file() else "no such folder"
        )
        _error(str(gold_dir), what)
        raise typer.Exit(EXIT_USAGE)
    failed: list[str] = []

    def unreadable(path: str, reason: str) -> None:
        failed.append(path)
        _error(path, reason)

    try:
        scores = run(gold_dir, model=model, on_error=unreadable)
    except GoldError as exc:
        _error(exc.path, exc.reason)
        raise typer.Exit(EXIT_USAGE) from None
    except (ModelError, ResourceError) as exc:
        raise _usage(str(exc)) from None
    macro = macro_f1(scores)
    if as_json:
        fmt = EvalFormat.json
    if fmt is EvalFormat.auto:
        fmt = EvalFormat.table if sys.stdout.isatty() else EvalFormat.json
    if fmt is EvalFormat.json:
        payload = {
            f: {
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "misses": s.misses,
                "false_positives": s.false_positives,
            }
            for f, s in scores.items()
        }
        print(json.dumps({"fields": payload, "macro_f1": macro}, indent=2, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text  # the folder name is text, never markup

        console = Console(highlight=False)
        table = Table(title=Text(f"tipx evaluate {printable(gold_dir)}"), title_justify="left")
        for column in ("field", "precision", "recall", "F1", "TP", "FP", "FN"):
            table.add_column(column, justify="left" if column == "field" else "right")
        for field, s in scores.items():
            table.add_row(
                field, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn)
            )
        console.print(table)
        fields = ", ".join(f.name for f in FIELDS if f.in_macro)
        console.print(f"macro-F1 {macro:.3f} (the mean over {fields})")
        if verbose:
            for field, s in scores.items():
                for kind, found in (("miss", s.misses), ("false positive", s.false_positives)):
                    for doc, items in found.items():
                        for item in items:
                            print(f"{field:13s} {kind:15s} {printable(doc)}: {printable(item)}")
    if fail_under is not None and macro < fail_under:
        sys.stderr.write(f"tipx: macro-F1 {macro:.3f} is below --fail-under {fail_under}\n")
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


@app.command(cls=_Command)
def schema() -> None:
    """Print the JSON Schema of one record: `tipx extract -f json` writes an array of them,
    always (validate each item against it)."""
    import json

    from .schema import RECORD_SCHEMA

    print(json.dumps(RECORD_SCHEMA, indent=2))


SUMMARIZE_EPILOG = (
    "Examples:\n\n"
    "  tipx summarize press-releases/\n\n"
    "  tipx summarize archive/ --glob '*.html' --exclude drafts --jobs 2 -o report.html\n\n"
    "  find archive -name '*.pdf' -mtime -7 | tipx summarize - -o week.html\n\n"
    "  tipx summarize archive/ -f json | jq .summary.countries\n\n"
    "  tipx summarize archive/ -f csv -o tables/\n\n"
    "  tipx summarize archive/ --engine dask --jobs 4\n\n"
    "  tipx summarize /shared/archive/ --engine dask --scheduler tcp://10.0.0.5:8786 -o summary.json"
    + EXIT_CODES
)


def summarize(
    folders: Annotated[
        list[str],
        typer.Argument(
            metavar="FOLDER...",
            help=f"Folders, searched recursively for documents ({INPUT_TYPES}), or files; "
            "'-' reads a list of paths from standard input (one a line, or NUL-separated).",
            show_default=False,
        ),
    ],
    globs: GlobOption = None,
    excludes: ExcludeOption = None,
    fmt: FormatOption = Format.auto,
    output: OutputOption = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N", help="Worker processes (the local cluster's size with dask)."
        ),
    ] = 1,
    engine: Annotated[
        Engine,
        _choice_option(
            Engine, "--engine", "-e", help="local: this machine's processes; dask: a Dask cluster."
        ),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Dask scheduler address (tcp://host:8786); default: a local cluster.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first document that fails.")] = False,
    connect_timeout: Annotated[
        float,
        typer.Option(
            "--connect-timeout",
            min=0.1,
            metavar="SECONDS",
            help="Seconds to wait for the Dask scheduler to answer.",
        ),
    ] = 10.0,
    model: ModelOption = None,
    quiet: QuietOption = False,
    update: UpdateOption = False,
    max_bytes: MaxBytesOption = "50MB",
    follow_links: FollowLinksOption = False,
) -> None:
    """Summarise a folder: organisations, countries, funders, timeline, participants, contacts."""
    from .engine import DaskCluster
    from .summary import find_documents

    _refuse_urls(folders)
    # a list on standard input is read first: -o is checked against the paths it names too
    targets = [path for target in folders for path in (_paths_from_stdin() if target == "-" else [target])]
    fmt, output = _target(output, fmt, True, targets)
    if fmt is Format.csv and output is None:
        raise _usage("csv writes one file per table: give a folder with -o")
    if scheduler and engine is not Engine.dask:
        raise _usage("--scheduler needs --engine dask")
    if engine is Engine.dask and (
        importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None
    ):
        raise _usage("the dask engine needs the extra: pip install 'tipx[dask]'")
    paths, missing = find_documents(
        targets, globs, excludes or (), exclude=[output] if output else (), follow_links=follow_links
    )
    for result in missing:
        _error(result.path, result.error)
    if not paths:
        where = "standard input's list" if folders == ["-"] else ", ".join(folders)
        where += f" matching {' or '.join(map(repr, globs))}" if globs else ""
        sys.stderr.write(f"tipx: no documents found in {printable(where)}\n")
        raise typer.Exit(EXIT_SOME_FAILED)
    runner = (
        DaskCluster(scheduler, workers=jobs, timeout=connect_timeout)
        if engine is Engine.dask
        else _runner(jobs)
    )
    todo, found = _not_in_database(fmt, output, paths, update)
    stream = _run(todo, model=model, runner=runner, dedupe=True, max_bytes=max_bytes)
    _emit(
        fmt, _reported(stream, len(todo), strict, quiet), output, True, missing, folders, model, found, quiet
    )


app.command(cls=_Command, epilog=SUMMARIZE_EPILOG)(summarize)
app.command("summarise", cls=_Command, epilog=SUMMARIZE_EPILOG, hidden=True)(summarize)


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
        try:
            app(prog_name="tipx")  # also under `python -m tipx`: one name for usage and completion
        finally:
            sys.stdout.flush()  # here, not at exit: a failed flush is then one line, not a traceback
    except OSError as exc:
        if exc.filename is not None or exc.errno not in _OUTPUT_ERRNOS:  # a bug of ours: show it
            raise
        sys.exit(_stdout_failed(exc))
    except _Terminated as stop:
        sys.exit(128 + stop.signum)
