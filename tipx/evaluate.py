"""Score extraction against gold files exactly as ../shared/GOLD.md defines it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .fields import FIELDS
from .reading import DOCUMENT_SUFFIXES


@dataclass
class FieldScore:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    misses: dict[str, list] = field(default_factory=dict)
    false_positives: dict[str, list] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        if self.tp + self.fp + self.fn == 0:
            return 1.0
        return 2 * p * r / (p + r) if p + r else 0.0


class GoldError(Exception):
    """A gold folder or file that cannot be scored: ``path`` and a one-line ``reason``."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


def read_gold(gold_path: Path) -> dict:
    """A gold file, checked against GOLD.md's format: every scored entry must give a match key
    (an entry that can match nothing would count as a silent miss)."""
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GoldError(gold_path, f"not JSON (line {exc.lineno}: {exc.msg})") from None
    except UnicodeDecodeError:
        raise GoldError(gold_path, "not UTF-8 text") from None
    except OSError as exc:
        raise GoldError(gold_path, (exc.strerror or str(exc)).lower()) from None
    if not isinstance(gold, dict):
        raise GoldError(gold_path, "not a gold file: a JSON object expected (see GOLD.md)")
    if not isinstance(gold.get("document", ""), str):
        raise GoldError(gold_path, '"document" is not a file name')
    for fld in scored_fields(gold):
        entries = gold.get(fld.name, [])
        if not isinstance(entries, list):
            raise GoldError(gold_path, f'"{fld.name}" is not a list')
        for n, entry in enumerate(entries, 1):
            if not _valid_entry(fld, entry):
                shown = json.dumps(entry, ensure_ascii=False)
                shown = shown if len(shown) <= 60 else shown[:57] + "..."
                raise GoldError(gold_path, f"{fld.name} entry {n} is not as GOLD.md describes: {shown}")
    return gold


_JSON_TYPES = {"string": str, "integer": int, "null": type(None), "boolean": bool}


def _valid_entry(fld, entry) -> bool:
    """An object whose values have the types of the field's record items ("names" a list of
    names, "optional" a flag) and that gives the field's match keys."""
    if not isinstance(entry, dict):
        return False
    names = entry.get("names", ["-"])
    if not (isinstance(names, list) and names and all(isinstance(n, str) and n.strip() for n in names)):
        return False
    specs = {**fld.properties, "optional": {"type": "boolean"}}
    for key, value in entry.items():
        if key in specs:
            kinds = specs[key]["type"] if isinstance(specs[key]["type"], list) else [specs[key]["type"]]
            if isinstance(value, bool) and "boolean" not in kinds:  # JSON true is not an integer
                return False
            if not any(isinstance(value, _JSON_TYPES[kind]) for kind in kinds):
                return False
    try:
        keys = fld.match(entry)
    except (KeyError, TypeError, AttributeError, ValueError):
        return False
    return bool(keys) and all(keys)


def gold_documents(gold_dir: Path) -> list[tuple[Path, dict]]:
    """(document, gold) for each NAME.gold.json; GoldError for a folder without gold files, a
    malformed gold file or a gold file whose document is missing."""
    gold_paths = sorted(gold_dir.glob("*.gold.json"))
    if not gold_paths:
        raise GoldError(gold_dir, "no NAME.gold.json answer keys in this folder (see GOLD.md)")
    out = []
    for gold_path in gold_paths:
        gold = read_gold(gold_path)
        doc_path = gold_dir / gold.get("document", "")
        stem = gold_path.name[: -len(".gold.json")]
        if not doc_path.is_file():
            doc_path = next(
                (gold_dir / (stem + s) for s in DOCUMENT_SUFFIXES if (gold_dir / (stem + s)).is_file()), None
            )
        if doc_path is None:
            named = gold.get("document") or f"{stem}.*"
            raise GoldError(gold_path, f"its document {named} is missing")
        out.append((doc_path, gold))
    return out


def scored_fields(gold: dict) -> list:
    """The fields a gold file is scored on: every macro field, and the others (phones) only
    where the gold file has their list."""
    return [f for f in FIELDS if f.in_macro or f.name in gold]


def score_document(records: list[dict], gold: dict, scores: dict[str, FieldScore], name: str) -> None:
    for fld in scored_fields(gold):
        score = scores.setdefault(fld.name, FieldScore())
        entries = gold.get(fld.name, [])
        predictions = [item for record in records for item in record.get(fld.name, [])]
        pred_keys = [fld.match(p) for p in predictions]
        for entry in entries:
            if entry.get("optional"):
                continue
            if any(fld.match(entry) & pk for pk in pred_keys):
                score.tp += 1
            else:
                score.fn += 1
                score.misses.setdefault(name, []).append(fld.describe(entry))
        all_gold = [fld.match(e) for e in entries]
        for prediction, pk in zip(predictions, pred_keys, strict=True):
            if not any(pk & g for g in all_gold):
                score.fp += 1
                score.false_positives.setdefault(name, []).append(fld.describe(prediction))


def evaluate(
    gold_dir: str | Path,
    model: str | None = None,
    nlp=None,
    on_error: Callable[[str, str], None] | None = None,
) -> dict[str, FieldScore]:
    """Scores per field, in registry order; a field no gold file scores is absent. ``nlp`` is
    a pipeline to use instead of loading ``model`` (an ablation, a customised pipeline).
    GoldError when the gold files cannot be scored (see ``gold_documents``)."""
    from .engine import results, run

    pairs = gold_documents(Path(gold_dir))
    scores = {f.name: FieldScore() for f in FIELDS if f.in_macro}
    golds = {str(path): gold for path, gold in pairs}
    records: dict[str, list[dict]] = {path: [] for path in golds}
    # an unreadable document scores as one with nothing extracted; ``on_error`` hears of it
    for result in run(list(golds), model=model) if nlp is None else results(list(golds), nlp):
        if result.error and on_error is not None:
            on_error(result.path, result.error)
        if result.record is not None:
            records[result.path].append(result.record)
    for path, gold in golds.items():
        score_document(records[path], gold, scores, Path(path).name)
    return {f.name: scores[f.name] for f in FIELDS if f.name in scores}


def macro_f1(scores: dict[str, FieldScore]) -> float:
    """The mean F1 of the fields GOLD.md averages (phones are reported, not averaged)."""
    macro = [scores[f.name].f1 for f in FIELDS if f.in_macro and f.name in scores]
    return sum(macro) / len(macro)
