import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CORPUS = Path(os.environ.get("TIPX_CORPUS", ROOT.parent / "shared" / "corpus"))
DEV = Path(os.environ.get("TIPX_DEV_CORPUS", CORPUS / "dev"))


def record_items(record: dict) -> list[dict]:
    """Every item of a record that carries offsets: mentions of organisations and countries,
    dates, participants, funders and e-mails."""
    items = [m for f in ("organisations", "countries") for o in record[f] for m in o["mentions"]]
    return items + [i for f in ("dates", "participants", "funders", "emails") for i in record[f]]


def corpus(path: Path) -> Path:
    """A development corpus folder: CI must have it; elsewhere its tests are skipped."""
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"development corpus missing at {path}")
        pytest.skip(f"development corpus not present at {path}")
    return path


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    return corpus(DEV)


@pytest.fixture(scope="session")
def corpus_scores():
    """``tipx.evaluate`` of a development corpus ("dev", "dev2"), rules only (the default), run
    once per session: the quality bar and the README's quality table share it."""
    from tipx.evaluate import evaluate

    done: dict[str, dict] = {}

    def scores(folder: str) -> dict:
        if folder not in done:
            done[folder] = evaluate(corpus(CORPUS / folder), model="blank")
        return done[folder]

    return scores


@pytest.fixture(scope="session")
def nlp():
    from tipx.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def run(nlp):
    """Extract records from a text, as the library does for a file."""
    from tipx.cleaning import prepare
    from tipx.engine import records as process

    def _run(text: str, source: str = "test.txt") -> list[dict]:
        records = list(process(prepare(text, source), nlp))
        # a component that raised is reported in warnings, not raised: fail loudly in tests
        assert not [w for r in records for w in r["warnings"] if w.startswith("internal error")], records
        return records

    return _run


@pytest.fixture(scope="module", params=["blank", "sm"], ids=["blank", "model"])
def nlp_both(request):
    """The pipeline rules-only (the default) and with the statistical model, in turn."""
    from tipx.pipeline import ModelError, load_pipeline

    try:
        return load_pipeline(request.param)
    except ModelError:
        pytest.skip("no statistical model installed")


# Field helpers for tests on invented sentences behind a dateline.
DATELINE = "Maseru, 2 May 2024 – "


def one(run, text: str) -> dict:
    (record,) = run(DATELINE + text)
    return record


def participants(run, text: str) -> list[tuple[int, str]]:
    return [(p["count"], p["text"]) for p in one(run, text)["participants"]]


def funders(run, text: str) -> set[str]:
    return {f["name"] for f in one(run, text)["funders"]}
