"""tipx summarize over the development corpus, in every format; errors, duplicates, browser."""

import csv
import json
import shutil
import sys

import pytest
from typer.testing import CliRunner

from tipx.cli import app

from conftest import SAMPLES

runner = CliRunner()


def summarize(*args):
    return runner.invoke(app, ["summarize", *map(str, args)])


@pytest.fixture(scope="module")
def dev_json(dev_corpus):
    result = summarize(dev_corpus, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return without_run(result.stdout)


def without_run(stdout: str) -> dict:
    """A summary's JSON less its run record (which holds the time of the run)."""
    payload = json.loads(stdout)
    assert payload.pop("run")["tool"] == "tipx"
    return payload


def test_json_holds_the_records_as_extract_gives_them(dev_json, dev_corpus):
    from tipx import extract

    d04 = str(dev_corpus / "d04.html")
    in_summary = [r for r in dev_json["documents"] if r["source"] == d04]
    assert in_summary == extract(d04)
    assert dev_json["errors"] == []
    assert len(dev_json["documents"]) == dev_json["summary"]["documents"] == 19  # 15 files, two archives


def test_summary_tables(dev_json):
    summary = dev_json["summary"]
    iom = next(o for o in summary["organisations"] if o["acronym"] == "IOM")
    assert iom["documents"] >= 14 and iom["mentions"] > iom["documents"]
    za = next(c for c in summary["countries"] if c["iso2"] == "ZA")
    assert za["iso3"] == "ZAF" and za["documents"] >= 5
    eu = next(f for f in summary["funders"] if f["acronym"] == "EU")
    assert eu["documents"] == len(eu["sources"]) >= 5
    assert {"month": "2023-03", "events": 5} in summary["timeline"]  # d01: 2, d07: 3
    assert all(len(t["month"]) == 7 for t in summary["timeline"])
    per_doc = summary["participants"]["per_document"]
    assert any(p["count"] == 2563 and p["text"] == "2,563 individuals" for p in per_doc)
    assert summary["participants"]["total"] == sum(
        max(p["count"] for p in per_doc if p["source"] == source) for source in {p["source"] for p in per_doc}
    )
    contact = next(c for c in summary["contacts"] if c["address"] == "tipsecretariat@mhach.gov.zw")
    assert contact["organisation"] == "Government of Zimbabwe"
    assert next(c for c in summary["contacts"] if c["address"] == "pshikongo@ilo.org")["organisation"] == (
        "International Labour Organization (ILO)"
    )


def test_jsonl_md_csv_table_formats(dev_corpus, tmp_path):
    jsonl = summarize(dev_corpus, "-f", "jsonl")
    assert len([json.loads(line) for line in jsonl.stdout.splitlines()]) == 19
    md = summarize(dev_corpus, "-f", "md")
    assert "## Organisations" in md.stdout and "| name | acronym | documents | mentions |" in md.stdout
    out = tmp_path / "tables"
    result = summarize(dev_corpus, "-f", "csv", "-o", out)
    assert result.exit_code == 0
    with open(out / "countries.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {"ZA", "BW", "NA"} <= {r["iso2"] for r in rows}
    assert {p.name for p in out.iterdir()} >= {
        "documents.csv",
        "organisations.csv",
        "funders.csv",
        "timeline.csv",
        "participants.csv",
        "contacts.csv",
    }
    table = summarize(dev_corpus, "-f", "table")
    assert "Organisations" in table.stdout and "International Organization for Migration" in table.stdout
    assert summarize(dev_corpus, "-f", "csv").exit_code == 2  # csv needs a folder


def test_duplicates_errors_glob_and_strict(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "press_release.txt", folder / "a.txt")
    shutil.copy(SAMPLES / "press_release.txt", folder / "sub" / "copy.txt")
    shutil.copy(SAMPLES / "story.html", folder / "b.html")
    (folder / "empty.txt").write_text("")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    result = summarize(folder, "-f", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["errors"] == [{"source": str(folder / "empty.txt"), "error": "empty file"}]
    assert f"tipx: {folder / 'empty.txt'}: empty file" in result.stderr
    assert payload["summary"]["documents"] == 2
    assert payload["summary"]["duplicates"] == [
        {"source": str(folder / "sub" / "copy.txt"), "duplicate_of": str(folder / "a.txt")}
    ]
    narrowed = json.loads(summarize(folder, "--glob", "*.html", "-f", "json").stdout)
    assert [r["source"] for r in narrowed["documents"]] == [str(folder / "b.html")]
    nothing = summarize(folder, "--glob", "*.pdf")
    assert nothing.exit_code == 1 and "no documents found" in nothing.stderr
    strict = summarize(folder, "--strict", "-f", "json", "-o", tmp_path / "out.json")
    assert strict.exit_code == 1 and not (tmp_path / "out.json").exists()


def test_two_processes_give_the_same_summary(dev_corpus, dev_json):
    result = summarize(dev_corpus, "-f", "json", "--jobs", "2")
    assert without_run(result.stdout) == dev_json


def test_dask_cluster_gives_the_same_summary(dev_corpus, dev_json, tmp_path):
    """A local Dask cluster of two worker processes, reached through its scheduler address as a
    real cluster would be; the summary and the documents equal the single-process run."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster:
        result = summarize(
            dev_corpus, "-f", "json", "--engine", "dask", "--scheduler", cluster.scheduler_address
        )
        assert result.exit_code == 0, result.stderr
        with distributed.Client(cluster) as client:  # each worker built the pipeline and used it
            built = client.run(lambda: sys.modules["tipx.pipeline"].load_pipeline.cache_info().currsize)
            assert list(built.values()) == [1, 1]
    assert without_run(result.stdout) == dev_json
    local = summarize(dev_corpus, "-f", "json", "--engine", "dask", "--jobs", "2")  # a cluster of its own
    assert without_run(local.stdout) == dev_json
    usage = summarize(dev_corpus, "--scheduler", "tcp://127.0.0.1:1")
    assert usage.exit_code == 2 and "--scheduler needs --engine dask" in usage.stderr


@pytest.mark.parametrize("fmt", ["table", "html", "md"])
def test_relative_and_absolute_paths_mixed(tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(SAMPLES.parent)  # one path relative to here, one absolute
    result = summarize(
        "samples/story.html", str(SAMPLES / "update.md"), "-f", fmt, "-o", tmp_path / f"s.{fmt}"
    )
    assert result.exit_code == 0, result.stderr
    assert "samples/story.html" in (tmp_path / f"s.{fmt}").read_text().replace("<wbr>", "")
