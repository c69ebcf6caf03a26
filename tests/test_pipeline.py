"""The pipeline as spaCy sees it: saved and loaded back in a fresh process, resources swapped
through the config, dependencies declared, broken resources named."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from tipx.engine import read_document, records
from tipx.pipeline import build_pipeline, load_pipeline
from tipx.resources import ResourceError

from conftest import SAMPLES

TEXT = (
    "Maseru, 4 March 2024 - The Blue Lantern Trust (BLT) and the International Organization for "
    "Migration (IOM) trained 25 social workers in Maseru. BLT will repeat the course in May."
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory, nlp):
    path = tmp_path_factory.mktemp("pipeline") / "tipx_pipeline"
    nlp.to_disk(path)
    return path


def _records_in_fresh_process(pipeline: str, paths: list[str]) -> list:
    """Records from a new interpreter that loads the pipeline with plain spacy.load."""
    code = (
        "import json, sys, spacy\n"
        "from tipx.engine import read_document, records\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "print(json.dumps([list(records(read_document(p), nlp)) for p in sys.argv[2:]]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, pipeline, *paths], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.slow
def test_saved_pipeline_loads_with_spacy_load_in_a_fresh_process(saved, nlp, dev_corpus):
    paths = sorted(str(p) for p in dev_corpus.iterdir() if not p.name.endswith(".gold.json"))
    expected = [list(records(read_document(p), nlp)) for p in paths]
    assert _records_in_fresh_process(str(saved), paths) == expected


def test_saved_pipeline_carries_its_resources(saved):
    assert (saved / "tipx_organisations" / "gazetteer.jsonl").is_file()
    assert (saved / "tipx_countries" / "names.json").is_file()
    config = (saved / "config.cfg").read_text()
    assert 'factory = "tipx_organisations"' in config


def test_saved_resources_are_what_loads_not_the_installed_files(saved, tmp_path):
    """A gazetteer edited inside the saved folder is the one used."""
    import shutil

    copy = tmp_path / "edited"
    shutil.copytree(saved, copy)
    gazetteer = copy / "tipx_organisations" / "gazetteer.jsonl"
    with gazetteer.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"name": "Blue Lantern Trust", "acronym": "BLT"}) + "\n")
    nlp = spacy.load(copy)
    doc = nlp(TEXT.replace("The Blue Lantern Trust (BLT)", "Blue Lantern Trust"))  # no definition
    assert "Blue Lantern Trust" in {s.text for s in doc.spans["organisations"]}


def test_model_option_takes_a_saved_pipeline_without_adding_components_twice(saved):
    nlp = load_pipeline(str(saved))
    assert len(nlp.pipe_names) == len(set(nlp.pipe_names))
    sample = str(SAMPLES / "press_release.txt")
    assert list(records(read_document(sample), nlp)) == list(records(read_document(sample), load_pipeline()))


def test_a_gazetteer_swapped_through_the_config_changes_the_result(tmp_path):
    custom = tmp_path / "gazetteer.jsonl"
    custom.write_text(json.dumps({"name": "Kindred Harbour", "acronym": "KH"}) + "\n", encoding="utf-8")
    text = "Kindred Harbour opened a shelter in Maseru. Kindred Harbour staff trained 25 social workers."
    stock = build_pipeline("blank")
    swapped = build_pipeline("blank", {"tipx_organisations": {"gazetteer": str(custom)}})
    before, after = stock(text), swapped(text)
    assert "Kindred Harbour" not in {s.text for s in before.spans["organisations"]}
    assert [s.text for s in after.spans["organisations"]] == ["Kindred Harbour"] * 2


def test_dependencies_are_declared():
    summary = load_pipeline("blank").analyze_pipes()["summary"]
    assert "span._.tipx_org" in summary["tipx_funders"]["requires"]
    assert "span._.tipx_country" in summary["tipx_funders"]["requires"]
    assert "span._.tipx_org" in summary["tipx_organisations"]["assigns"]
    assert "token._.is_country" in summary["tipx_organisations"]["requires"]
    names = load_pipeline("blank").pipe_names
    assert names.index("tipx_dates") < names.index("tipx_participants")
    assert names.index("tipx_organisations") < names.index("tipx_funders")


def test_a_broken_resource_is_named_with_its_key(tmp_path):
    broken = tmp_path / "patterns.json"
    broken.write_text(json.dumps({"cues": ["tel"], "min_digits": 3}), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"patterns\.json: missing key 'cue_window_chars'"):
        build_pipeline("blank", {"tipx_phones": {"vocabulary": str(broken)}})
    extra = tmp_path / "extra.json"
    extra.write_text(
        json.dumps({"cues": [], "cue_window_chars": 1, "min_digits": 3, "max_digits": 9, "colour": 1}),
        encoding="utf-8",
    )
    with pytest.raises(ResourceError, match=r"extra\.json: unexpected key 'colour'"):
        build_pipeline("blank", {"tipx_phones": {"vocabulary": str(extra)}})
    with pytest.raises(ResourceError, match=r"missing\.json: no such resource file"):
        build_pipeline("blank", {"tipx_phones": {"vocabulary": str(tmp_path / "missing.json")}})


def test_cli_names_a_broken_resource_in_one_line(tmp_path):
    import os
    import shutil

    from tipx.resources import models_dir

    models = tmp_path / "models"
    shutil.copytree(models_dir(), models)
    (models / "funding_cues.json").write_text("{not json", encoding="utf-8")
    code = "from tipx.cli import main; main()"
    out = subprocess.run(
        [sys.executable, "-c", code, "extract", str(SAMPLES / "press_release.txt"), "-m", "blank"],
        capture_output=True,
        text=True,
        env={**os.environ, "TIPX_MODELS_DIR": str(models)},  # read once per process: a subprocess
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "funding_cues.json: not JSON" in out.stderr, out.stderr


def test_a_component_that_fails_on_one_document_costs_only_its_items(monkeypatch, tmp_path):
    """A bug must not stop a batch: the other documents are whole, the failing one keeps its
    other fields, and its record and stderr say what went wrong."""
    from typer.testing import CliRunner

    from tipx.cli import app
    from tipx.components.funders import FunderFinder

    original = FunderFinder.process

    def flaky(self, doc):
        if "Lesotho" in doc.text:
            raise KeyError("boom")
        return original(self, doc)

    monkeypatch.setattr(FunderFinder, "process", flaky)
    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    bad.write_text("Maseru, Lesotho, 4 March 2024 - Funded by the European Union, IOM trained 30 officers.")
    good.write_text("Lilongwe, Malawi, 4 March 2024 - Funded by the European Union, IOM trained 30 officers.")
    result = CliRunner().invoke(app, ["extract", str(bad), str(good), "-f", "json", "-m", "blank"])
    assert result.exit_code == 0, result.stderr
    by_source = {Path(r["source"]).name: r for r in json.loads(result.stdout)}
    assert by_source["good.txt"]["funders"] and by_source["good.txt"]["warnings"] == []
    assert by_source["bad.txt"]["funders"] == [] and by_source["bad.txt"]["participants"]
    assert "internal error in tipx_funders (KeyError" in by_source["bad.txt"]["warnings"][0]
    assert result.stderr.count("internal error") == 1 and "bad.txt" in result.stderr
