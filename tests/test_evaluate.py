"""Scoring as ../shared/GOLD.md defines it, and the quality bar on the development corpus."""

import json
import os
from pathlib import Path

import pytest

import tipx
from tipx.evaluate import FieldScore, evaluate, macro_f1, score_document
from tipx.normalise import norm_key


def test_norm_key_follows_gold_md():
    assert (
        norm_key("The International Organization for Migration’s")
        == "international organization for migration"
    )
    assert (
        norm_key("Foreign, Commonwealth & Development Office") == "foreign commonwealth & development office"
    )
    assert norm_key("  Anti-Trafficking   Unit ") == "anti-trafficking unit"


def test_scoring_rules():
    gold = {
        "organisations": [
            {"names": ["International Organization for Migration", "IOM"]},
            {"names": ["SAMM"], "optional": True},
            {"names": ["UNHCR"]},
        ],
        "countries": [{"iso2": "BW"}],
        "dates": [{"start": "2024-06-03", "end": "2024-06-07"}],
        "participants": [],
        "funders": [],
        "emails": [],
    }
    records = [
        {
            "organisations": [
                {"name": "IOM", "acronym": None},
                {"name": "the IOM", "acronym": None},
                {"name": "SAMM", "acronym": None},
                {"name": "Civil Society", "acronym": None},
            ],
            "countries": [{"iso2": "bw"}],
            "dates": [{"start": "2024-06-03", "end": "2024-06-07"}],
            "participants": [],
            "funders": [],
            "emails": [],
        }
    ]
    scores = {f: FieldScore() for f in gold}
    score_document(records, gold, scores, "doc")
    org = scores["organisations"]
    assert (org.tp, org.fp, org.fn) == (1, 1, 1)  # duplicate IOM and optional SAMM are not FPs
    assert scores["countries"].f1 == 1.0 and scores["participants"].f1 == 1.0


def test_tests_run_against_the_installed_package():
    if os.environ.get("CI"):
        assert "site-packages" in tipx.__file__, tipx.__file__
        assert (Path(tipx.__file__).parent / "models" / "organisations.jsonl").is_file()


@pytest.mark.parametrize("model", [None, "blank"])
def test_dev_corpus_meets_the_bar(dev_corpus, model):
    scores = evaluate(dev_corpus, model=model)
    report = {f: round(s.f1, 3) for f, s in scores.items()}
    assert macro_f1(scores) >= 0.90, report
    assert all(s.f1 >= 0.85 for s in scores.values()), report


def test_evaluate_command_json(dev_corpus):
    from typer.testing import CliRunner

    from tipx.cli import app

    result = CliRunner().invoke(app, ["evaluate", str(dev_corpus), "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert set(payload["fields"]) == {
        "organisations",
        "countries",
        "dates",
        "participants",
        "funders",
        "emails",
    }
    assert payload["macro_f1"] >= 0.90
