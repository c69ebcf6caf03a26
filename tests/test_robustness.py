"""The run layer under attack: workers that die, models that cannot load, schedulers that are
not schedulers, documents that fail in any way, names that are not UTF-8, and signals."""

import http.server
import json
import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tipx import engine
from tipx.cli import app
from tipx.engine import WORKER_DIED, ProcessPool, Result

from conftest import SAMPLES

runner = CliRunner()
TEXT = (SAMPLES / "press_release.txt").read_text()
POISON = "poison"


def folder_of(tmp_path: Path, names: list[str]) -> Path:
    """A folder of distinct press releases (distinct texts: no duplicates are folded)."""
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for n, name in enumerate(names):
        (folder / name).write_text(TEXT.replace("Forty-two", str(n + 2)))
    return folder


def summary_json(*args) -> tuple:
    result = runner.invoke(app, ["summarize", *map(str, args)])
    return result, result.stdout


# ---------------------------------------------------------------------------- dead workers


def _echo_or_die(paths: list[str]) -> list[Result]:
    """A chunk's work: a path naming the poison kills its worker (SIGKILL, as the OOM killer
    does), every time; a path in a folder holding "die-once" kills the first worker only."""
    for path in paths:
        if POISON in path:
            os.kill(os.getpid(), signal.SIGKILL)
        once = Path(path).parent / "die-once"
        if once.exists():
            once.unlink()
            os.kill(os.getpid(), signal.SIGKILL)
    return [Result(path, error=f"done by {os.getpid()}") for path in paths]


def test_a_killed_worker_is_replaced_and_its_chunk_retried_once_then_reported(tmp_path):
    chunks = [["a1", "a2"], ["b1", POISON, "b3"], ["c1"], [f"{POISON}2"]]
    started = time.monotonic()
    out = [r for chunk in ProcessPool(2).map(_echo_or_die, chunks) for r in chunk]
    assert time.monotonic() - started < 15  # no hang
    assert [r.path for r in out] == ["a1", "a2", "b1", POISON, "b3", "c1", f"{POISON}2"]
    errors = {r.path: r.error for r in out}
    assert errors[POISON] == errors[f"{POISON}2"] == WORKER_DIED
    # the poison's chunk-mates were retried (each on its own) and processed
    assert all(errors[p].startswith("done by") for p in ("a1", "a2", "b1", "b3", "c1"))
    assert not multiprocessing.active_children()  # every worker, dead or alive, is gone

    (tmp_path / "die-once").touch()  # a worker killed once (not by its file): nothing is lost
    again = [r for chunk in ProcessPool(2).map(_echo_or_die, [[str(tmp_path / "x")], ["y"]]) for r in chunk]
    assert [r.error.startswith("done by") for r in again] == [True, True]


def test_a_file_that_kills_its_worker_is_one_error_and_the_rest_are_summarised(tmp_path, monkeypatch):
    folder = folder_of(tmp_path, ["a.txt", "b.txt", f"{POISON}.txt", "c.txt", "d.txt"])
    real = engine.process_chunk

    def poisoned(paths, **options):
        if any(POISON in p for p in paths):  # its first worker, and the one it is retried in
            os.kill(os.getpid(), signal.SIGKILL)
        return real(paths, **options)

    monkeypatch.setattr(engine, "process_chunk", poisoned)
    result, stdout = summary_json(folder, "--jobs", "2", "-f", "json")
    assert result.exit_code == 1, result.stderr
    assert result.stderr == f"tipx: {folder / (POISON + '.txt')}: {WORKER_DIED}\n"
    payload = json.loads(stdout)
    assert payload["errors"] == [{"source": str(folder / f"{POISON}.txt"), "error": WORKER_DIED}]
    assert sorted(Path(d["source"]).name for d in payload["summary"]["per_document"]) == [
        "a.txt",
        "b.txt",
        "c.txt",
        "d.txt",
    ]


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(c) for c in handle.read().split()]
    return found


def _wait_for_temporary_output(folder: Path, process, prefix: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        p.name.startswith(prefix) and p.stat().st_size > 100 for p in folder.iterdir()
    ):
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be attacked"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds workers in /proc")
def test_workers_end_when_the_parent_is_killed(tmp_path):
    """kill -9 (or the OOM killer) on the parent: its workers see the pipe close and exit,
    rather than waiting forever to send a result nobody will read."""
    folder = folder_of(tmp_path, [f"{i:03}.txt" for i in range(400)])
    out = tmp_path / "records.jsonl"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tipx",
            "extract",
            str(folder),
            "-j",
            "2",
            "-f",
            "jsonl",
            "-o",
            str(out),
            "-q",
        ],
        stderr=subprocess.DEVNULL,
    )
    _wait_for_temporary_output(tmp_path, process, ".records.jsonl.")
    workers = _children(process.pid)
    assert len(workers) == 2
    process.kill()
    process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_state(w) != "Z" for w in workers):
        time.sleep(0.2)
    assert [_state(w) for w in workers] == ["Z", "Z"]  # gone (or dead, waiting to be reaped)


def _state(pid: int) -> str:
    """A process's state letter in /proc; "Z" once it is gone too."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except (OSError, IndexError):
        return "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds workers in /proc")
def test_summarize_survives_a_worker_killed_from_outside(tmp_path):
    folder = folder_of(tmp_path, [f"{i:03}.txt" for i in range(400)])
    out = tmp_path / "summary.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "tipx", "summarize", str(folder), "--jobs", "2", "-o", str(out), "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for_temporary_output(tmp_path, process, ".summary.json.")
    workers = _children(process.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr) == (0, "")
    assert json.loads(out.read_text())["summary"]["documents"] == 400  # its chunk was redone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "summary.json"]


# ---------------------------------------------------------------------------- models


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "{folder}/a.txt", "-f", "json"],
        ["summarize", "{folder}", "-f", "json"],
        ["summarize", "{folder}", "-f", "json", "--jobs", "2"],
        ["summarize", "{folder}", "-f", "json", "--engine", "dask", "--jobs", "2"],
        ["evaluate", "{folder}", "--json"],
    ],
    ids=["extract", "jobs-1", "jobs-2", "dask", "evaluate"],
)
def test_a_model_that_cannot_load_is_one_line_before_any_output(tmp_path, args):
    folder = folder_of(tmp_path, ["a.txt", "b.txt"])
    (folder / "a.gold.json").write_text(json.dumps({"document": "a.txt"}))
    started = time.monotonic()
    result = runner.invoke(app, [a.format(folder=folder) for a in args] + ["--model", "nosuchmodel"])
    assert result.exit_code == 2
    assert result.stdout == ""  # not even the start of a JSON document
    assert result.stderr.count("\n") == 1 and "--model nosuchmodel: no such spaCy package" in result.stderr
    assert time.monotonic() - started < 10  # no cluster started, no worker respawned


def test_any_model_that_is_not_a_pipeline_is_one_line(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "meta.json").write_text("{}")  # spaCy: ValueError, no 'lang'
    (broken / "config.cfg").write_text("[nlp]\n[[[\n")
    reasons = {}
    for model in (str(broken), "typer"):  # a folder that is not one; a package that is not one
        result = runner.invoke(app, ["extract", str(SAMPLES / "press_release.txt"), "--model", model])
        assert result.exit_code == 2 and result.stdout == "", model
        assert result.stderr.count("\n") == 1
        reasons[model] = result.stderr.split(": ", 2)[2].strip()
    assert reasons == {
        str(broken): "not a spaCy pipeline (ValueError: [E054] No valid 'lang' setting found in model "
        "meta.json.)",
        "typer": "not a spaCy pipeline (AttributeError: module 'typer' has no attribute 'load')",
    }


# ---------------------------------------------------------------------------- dask schedulers


@pytest.fixture
def not_schedulers():
    """A silent TCP listener, an HTTP server and a port where nothing listens."""
    silent = socket.create_server(("127.0.0.1", 0))

    class Quiet(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    with socket.create_server(("127.0.0.1", 0)) as closed:
        dead = closed.getsockname()[1]
    yield {
        "silent": f"tcp://127.0.0.1:{silent.getsockname()[1]}",
        "http": f"127.0.0.1:{web.server_address[1]}",
        "dead": f"tcp://127.0.0.1:{dead}",
        "not a url": "not a url",
    }
    web.shutdown()
    silent.close()


@pytest.mark.slow
def test_a_scheduler_that_is_not_one_is_one_line_within_the_timeout(tmp_path, not_schedulers):
    pytest.importorskip("dask.distributed")
    folder = folder_of(tmp_path, ["a.txt"])
    reasons = {}
    for kind, address in not_schedulers.items():
        started = time.monotonic()
        result = runner.invoke(
            app,
            ["summarize", str(folder), "-f", "json", "--engine", "dask"]
            + ["--scheduler", address, "--connect-timeout", "1"],
        )
        assert time.monotonic() - started < 6, kind
        assert result.exit_code == 2 and result.stdout == "", kind
        assert result.stderr.startswith(f"tipx: --scheduler {address}: ") and result.stderr.count("\n") == 1
        reasons[kind] = result.stderr.split(": ", 2)[2].strip()
    assert reasons == {
        "silent": "no Dask scheduler answered within 1 s",
        "http": "no Dask scheduler answered within 1 s",
        "dead": "cannot connect within 1 s (nothing listening?)",
        "not a url": "not a scheduler address, e.g. tcp://host:8786 "
        "(missing port number in address 'not a url')",
    }


# ---------------------------------------------------------------------------- any per-file failure


def test_a_document_that_breaks_the_nlp_batch_costs_only_itself(nlp, monkeypatch):
    """A lone surrogate (a PDF's ToUnicode map can give one) makes spaCy's tokenizer raise
    UnicodeEncodeError inside nlp.pipe's batch: its batch-mates still get their records."""
    from tipx.cleaning import Article

    texts = {
        "0.txt": TEXT,
        "1.txt": TEXT.replace("Forty-two", "Lone \ud800 surrogate"),
        "2.txt": TEXT.replace("Forty-two", "Nine"),
    }
    monkeypatch.setattr(engine, "read_document", lambda path, *args: [Article(path, texts[path])])
    found = list(engine.results(list(texts), nlp, batch_size=16))
    assert [(r.path, r.error) for r in found] == [
        ("0.txt", None),
        ("1.txt", "cannot be processed (UnicodeEncodeError)"),
        ("2.txt", None),
    ]
    alone = list(engine.results(["0.txt", "2.txt"], nlp, batch_size=1))
    assert [r.record for r in found if r.record] == [r.record for r in alone]


FAILURES = {
    "assert.html": AssertionError("expected name token at '<![ </body></html>'"),
    "memory.txt": MemoryError(),
    "encode.txt": UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed"),
}


def _hostile_reader(real):
    """read_document with a failure of any type for some names, and a lone surrogate in the
    text of another (the tokenizer raises in the middle of nlp.pipe's batch)."""

    def read(path, *args):
        name = Path(path).name
        if name in FAILURES:
            raise FAILURES[name]
        found = real(path, *args)
        if name == "surrogate.txt":
            found[0].text = found[0].text.replace(" ", " lone \ud800 surrogate ", 1)
        return found

    return read


@pytest.fixture
def thread_scheduler():
    """A Dask scheduler whose workers are threads of this process (so the test's reader is
    theirs too)."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=1, processes=False, dashboard_address=None, silence_logs=40
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.parametrize("engine_args", [[], ["--jobs", "2"], ["--engine", "dask"]], ids=["1", "2", "dask"])
def test_every_failure_of_any_type_is_that_files_one_line(tmp_path, monkeypatch, engine_args, request):
    if engine_args == ["--engine", "dask"]:
        engine_args = [*engine_args, "--scheduler", request.getfixturevalue("thread_scheduler")]
    names = ["a.txt", "assert.html", "b.txt", "memory.txt", "surrogate.txt", "encode.txt", "c.txt"]
    folder = folder_of(tmp_path, names)
    monkeypatch.setattr(engine, "read_document", _hostile_reader(engine.read_document))
    out = tmp_path / "summary.json"
    result = runner.invoke(app, ["summarize", str(folder), "-o", str(out), "--quiet", *engine_args])
    assert result.exit_code == 1, result.stderr
    expected = {
        "assert.html": "cannot be read (AssertionError)",
        "memory.txt": "cannot be read (MemoryError)",
        "encode.txt": "cannot be read (UnicodeEncodeError)",
        "surrogate.txt": "cannot be processed (UnicodeEncodeError)",
    }
    assert sorted(result.stderr.splitlines()) == sorted(
        f"tipx: {folder / name}: {reason}" for name, reason in expected.items()
    )
    payload = json.loads(out.read_text())
    assert sorted(Path(d["source"]).name for d in payload["summary"]["per_document"]) == [
        "a.txt",
        "b.txt",
        "c.txt",
    ]
    assert len(payload["errors"]) == 4


def test_hostile_html_never_stops_the_batch(tmp_path):
    """Real markup that made the standard library's parser raise AssertionError: whatever
    becomes of it, the other documents are processed and no traceback escapes."""
    folder = folder_of(tmp_path, ["a.txt", "c.txt"])
    (folder / "b.html").write_text("<html><body><![ </body></html>")
    out = tmp_path / "records.json"
    result = runner.invoke(app, ["extract", *sorted(map(str, folder.iterdir())), "-o", str(out)])
    assert result.exit_code in (0, 1) and result.exception is None or isinstance(result.exception, SystemExit)
    assert [Path(r["source"]).name for r in json.loads(out.read_text())] == ["a.txt", "c.txt"]


# ---------------------------------------------------------------------------- names that are not UTF-8


def _undecodable_name_beside_a_plain_one(tmp_path: Path) -> tuple[Path, bytes]:
    """docs/bad\\xff.txt and docs/ok.txt: the folder and the raw bytes of the bad name."""
    folder = tmp_path / "docs"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/bad\xff.txt"
    with open(raw, "w") as handle:
        handle.write(TEXT)
    (folder / "ok.txt").write_text(TEXT.replace("Forty-two", "Nine"))
    return folder, raw


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs a file system that takes any bytes")
def test_a_name_that_is_not_utf8_is_written_losslessly_in_every_format(tmp_path):
    folder, raw = _undecodable_name_beside_a_plain_one(tmp_path)
    name = os.fsdecode(raw)  # what the shell hands tipx: "bad\udcff.txt"
    escaped = "bad\\udcff.txt"  # data outputs: the escape json.loads reads back as the name
    shown = {"html": "bad\\xff.txt", "md": "bad\\\\xff.txt", "txt": "bad\\xff.txt"}  # shown as the byte
    for suffix in ("json", "jsonl", "csv", "html", "md", "txt"):
        out = tmp_path / f"records.{suffix}"
        result = runner.invoke(app, ["extract", name, str(folder / "ok.txt"), "-o", str(out)])
        assert result.exit_code == 0, (suffix, result.stderr, result.exception)
        written = out.read_text(encoding="utf-8")  # valid UTF-8
        assert shown.get(suffix, escaped) in written, suffix
    records = json.loads((tmp_path / "records.json").read_text())
    assert os.fsencode(records[0]["source"]) == raw  # json.loads gives the name back exactly
    for output in ("summary.json", "summary.html", "tables", "summary.db"):
        result = runner.invoke(app, ["summarize", str(folder), "-o", str(tmp_path / output)])
        assert result.exit_code == 0, (output, result.stderr, result.exception)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert os.fsencode(summary["documents"][0]["source"]) == raw
    assert shown["html"] in (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert escaped in (tmp_path / "tables" / "documents.csv").read_text(encoding="utf-8")
    with sqlite3.connect(tmp_path / "summary.db") as con:
        assert sorted(Path(s).name for (s,) in con.execute("SELECT source FROM documents")) == [
            escaped,
            "ok.txt",
        ]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs a file system that takes any bytes")
def test_a_name_that_is_not_utf8_prints_to_stdout_and_survives_the_workers(tmp_path):
    folder, raw = _undecodable_name_beside_a_plain_one(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "tipx", "summarize", str(folder), "--jobs", "2", "-f", "json"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    sources = [d["source"] for d in json.loads(result.stdout)["documents"]]
    assert os.fsencode(sources[0]) == raw


# ---------------------------------------------------------------------------- signals


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize(
    ("how", "number", "code"),
    [("parent", "SIGTERM", 143), ("group", "SIGHUP", 129), ("timeout", "SIGTERM", 143)],
)
def test_a_terminated_run_cleans_up_as_ctrl_c_does(tmp_path, how, number, code):
    folder = folder_of(tmp_path, [f"{i:04}.txt" for i in range(1500)])  # far more than 4 s of work
    out = tmp_path / "summary.json"
    out.write_text("previous run\n")
    command = [sys.executable, "-m", "tipx", "summarize", str(folder), "--jobs", "2", "-o", str(out)]
    if how == "timeout":  # the coreutils command: SIGTERM to tipx and its process group
        command = ["timeout", "--preserve-status", "4", *command]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    if how != "timeout":
        _wait_for_temporary_output(tmp_path, process, ".summary.json.")
        workers = _children(process.pid)
        assert len(workers) == 2
        if how == "parent":
            os.kill(process.pid, getattr(signal, number))
        else:
            os.killpg(process.pid, getattr(signal, number))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code and "Traceback" not in stderr
    assert out.read_text() == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "summary.json"]  # no temporary file
    if how != "timeout":
        time.sleep(0.2)
        assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # no orphan worker


# ---------------------------------------------------------------------------- --jobs


def test_jobs_beyond_the_chunks_start_no_idle_workers(tmp_path):
    seen = [len(multiprocessing.active_children()) for _ in ProcessPool(16).map(_echo_or_die, [["a"], ["b"]])]
    assert seen == [2, 2]  # two chunks, two workers (not sixteen)
    folder = folder_of(tmp_path, ["a.txt", "b.txt"])
    results = list(engine.run(sorted(map(str, folder.iterdir())), runner=ProcessPool(16)))
    assert [r.error for r in results] == [None, None]
