"""The README's examples run as written, from a copy of the repository's samples.

Each runnable line of the README's ```bash blocks is run by bash (globs, quotes, pipes and
redirects as a user's shell does them) in a temporary folder holding a copy of samples/.
`tipx` there is a small client that hands its arguments, working folder and standard input to
this test process, which runs the command line in-process: one spaCy start-up for the whole
README instead of one per line.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import tipx
from tipx.cli import app

from conftest import ROOT, SAMPLES

README = ROOT / "README.md"

# Lines that need what the README cannot bundle: a URL, a Dask cluster, the package index, the
# development corpora (tests/test_evaluate.py runs `tipx evaluate` on them).
SKIP = re.compile(r"://|\$|--engine|--scheduler|^pip |pytest")

CLIENT = r"""
import json, os, socket, sys
port = int(os.environ["TIPX_README_PORT"])
stdin = b"" if os.isatty(0) else sys.stdin.buffer.read()
request = {"args": sys.argv[1:], "cwd": os.getcwd(), "stdin": stdin.decode("latin-1")}
with socket.create_connection(("127.0.0.1", port)) as sock:
    sock.sendall(json.dumps(request).encode())
    sock.shutdown(socket.SHUT_WR)
    reply = json.loads(b"".join(iter(lambda: sock.recv(65536), b"")))
sys.stdout.buffer.write(reply["stdout"].encode("latin-1"))
sys.stderr.buffer.write(reply["stderr"].encode("latin-1"))
sys.exit(reply["code"])
"""


def bash_lines(text: str) -> list[str]:
    """The command lines of the ```bash blocks, a line whose quote is still open joined to the next."""
    lines: list[str] = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, re.M | re.S):
        pending = ""
        for line in block.splitlines():
            pending = f"{pending}\n{line}" if pending else line
            try:
                shlex.split(pending, comments=True)
            except ValueError:  # an open quote: the command goes on on the next line
                continue
            if pending.strip() and not pending.lstrip().startswith("#"):
                lines.append(pending)
            pending = ""
    return lines


def runnable(line: str) -> bool:
    """A line that needs only samples/ (and programs this machine has)."""
    if SKIP.search(line):
        return False
    words = shlex.split(line, comments=True)
    if any("/" in w and not w.startswith(("samples/", "-")) and not w.endswith("/") for w in words):
        return False  # a path outside samples/ (an -o folder such as tables/ is written, not read)
    programs = [shlex.split(part, comments=True)[0] for part in re.split(r"\s\|\s", line.split("#")[0])]
    return all(p == "tipx" or shutil.which(p) for p in programs)


def test_the_readme_has_runnable_examples():
    lines = bash_lines(README.read_text(encoding="utf-8"))
    chosen = [line for line in lines if runnable(line)]
    # the selection is not empty by mistake: extract, summarize, the database and stdin are in it
    assert sum(" tipx " in f" {line} " for line in chosen) >= 15, chosen
    for needed in ("tipx extract samples/", "tipx summarize samples/ -o records.db", "| tipx extract -"):
        assert any(needed in line for line in chosen), needed
    # and what is left out is left out for a reason that the line shows
    left_out = [line for line in lines if line not in chosen]
    assert all(SKIP.search(line) or re.search(r"\.\./shared/|/mnt/", line) for line in left_out), left_out


def _receive(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _serve(server: socket.socket, proc: subprocess.Popen, monkeypatch) -> None:
    """Run the tipx commands the client sends until bash is done."""
    runner = CliRunner()
    server.settimeout(0.05)
    while proc.poll() is None:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(None)
            request = json.loads(_receive(conn))
            monkeypatch.chdir(request["cwd"])
            result = runner.invoke(app, request["args"], input=request["stdin"].encode("latin-1"))
            stderr = result.stderr_bytes or b""
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                stderr += repr(result.exception).encode()
            reply = {
                "stdout": result.stdout_bytes.decode("latin-1"),
                "stderr": stderr.decode("latin-1"),
                "code": result.exit_code,
            }
            conn.sendall(json.dumps(reply).encode())


def test_every_readme_example_runs_as_written(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLES, repo / "samples")
    (tmp_path / "tipx_client.py").write_text(CLIENT)
    package = str(Path(tipx.__file__).parents[1])
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        # `python` and `import tipx` in the examples: the interpreter and the package under test
        "PYTHONPATH": os.pathsep.join([package, os.environ.get("PYTHONPATH", "")]),
    }
    client = shlex.join([sys.executable, str(tmp_path / "tipx_client.py")])
    prelude = f'tipx() {{ {client} "$@"; }}\n'
    failures = []
    with socket.create_server(("127.0.0.1", 0)) as server:
        env["TIPX_README_PORT"] = str(server.getsockname()[1])
        for line in filter(runnable, bash_lines(README.read_text(encoding="utf-8"))):
            out, err = tmp_path / "stdout", tmp_path / "stderr"
            with out.open("wb") as stdout, err.open("wb") as stderr:
                proc = subprocess.Popen(
                    ["bash", "-o", "pipefail", "-c", prelude + line],
                    cwd=repo,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=stdout,
                    stderr=stderr,
                )
                _serve(server, proc, monkeypatch)
            if proc.returncode != 0 or "Traceback" in err.read_text(errors="replace"):
                failures.append(f"{line}\n  exit {proc.returncode}: {err.read_text(errors='replace')[-500:]}")
            monkeypatch.chdir(tmp_path)
    assert not failures, "\n".join(failures)
    # what the examples say they write is there
    for written in ("records.jsonl", "items.csv", "report.html", "tables/countries.csv", "records.db"):
        assert (repo / written).stat().st_size > 0, written


def test_the_readme_python_example_runs_as_written(tmp_path, monkeypatch, capsys):
    (code,) = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)
    shutil.copytree(SAMPLES, tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "samples/missing.txt: no such file" in printed and "'MW', 'ZM'" in printed
    assert (tmp_path / "my_pipeline" / "config.cfg").is_file()


def _quality_table():
    spec = importlib.util.spec_from_file_location("quality_table", ROOT / "bench" / "quality_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_quality_table_is_what_the_script_computes(corpus_scores):
    """The rules-only columns of the README's table against a fresh evaluation (shared with the
    quality-bar test); `python bench/quality_table.py --write` regenerates the whole table."""
    qt = _quality_table()
    shown = qt.parse(README.read_text(encoding="utf-8"))
    computed = qt.rows({(folder, "blank"): corpus_scores(folder) for folder in qt.CORPORA})
    # the README's columns: every corpus in both modes, in the script's order
    assert shown[0] == ["field", *(qt.column(c, m) for c in qt.CORPORA for m in qt.MODES)]
    assert [row[0] for row in shown] == [row[0] for row in computed]
    picked = [shown[0].index(header) for header in computed[0]]
    assert [[row[i] for i in picked] for row in shown] == computed
    # and the script writes back what it read
    text = README.read_text(encoding="utf-8")
    assert qt.replace(text, qt.markdown(shown)) == text


def test_a_file_name_starting_with_a_dash_goes_after_double_dash(tmp_path, monkeypatch):
    """As "Limits and safety" says: options first, then `--`, then such names."""
    shutil.copy(SAMPLES / "update.md", tmp_path / "-notes.md")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["extract", "-f", "json", "--", "-notes.md"])
    assert result.exit_code == 0, result.stderr
    assert [r["source"] for r in json.loads(result.stdout)] == ["-notes.md"]
    assert runner.invoke(app, ["extract", "-notes.md"]).exit_code == 2  # read as options
    after = runner.invoke(app, ["extract", "--", "-notes.md", "-f", "json"])  # names, all of them
    assert after.exit_code == 1 and after.stderr == "tipx: -f: no such file\ntipx: json: no such file\n"
