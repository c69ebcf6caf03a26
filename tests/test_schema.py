"""Every record validates against the JSON Schema that `tipx schema` prints."""

import json

import jsonschema
from typer.testing import CliRunner

from tipx.cli import app

from conftest import SAMPLES


def test_schema_command_prints_a_valid_schema():
    result = CliRunner().invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)


def test_records_of_samples_and_dev_corpus_validate(dev_corpus):
    from tipx.schema import RECORD_SCHEMA

    validator = jsonschema.Draft202012Validator(RECORD_SCHEMA)
    paths = [
        *map(str, SAMPLES.iterdir()),
        *(str(p) for p in dev_corpus.iterdir() if not p.name.endswith(".json")),
    ]
    result = CliRunner().invoke(app, ["extract", *paths, "-f", "jsonl"])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) >= len(paths)
    for record in records:
        validator.validate(record)


def test_schema_rejects_a_malformed_record():
    from tipx.schema import RECORD_SCHEMA

    bad = {
        "source": "x",
        "title": None,
        "published": "14 March 2023",
        "organisations": [],
        "countries": [],
        "dates": [],
        "participants": [],
        "funders": [],
        "emails": [],
    }
    assert not jsonschema.Draft202012Validator(RECORD_SCHEMA).is_valid(bad)
