"""Score extraction against gold files exactly as ../shared/GOLD.md defines it."""

from __future__ import annotations

import json
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


def gold_documents(gold_dir: Path) -> list[tuple[Path, dict]]:
    out = []
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc_path = gold_dir / gold.get("document", "")
        if not doc_path.is_file():
            stem = gold_path.name[: -len(".gold.json")]
            doc_path = next(
                (gold_dir / (stem + s) for s in DOCUMENT_SUFFIXES if (gold_dir / (stem + s)).is_file()),
                doc_path,
            )
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


def evaluate(gold_dir: str | Path, model: str | None = None, nlp=None) -> dict[str, FieldScore]:
    """Scores per field, in registry order; a field no gold file scores is absent. ``nlp`` is
    a pipeline to use instead of loading ``model`` (an ablation, a customised pipeline)."""
    from .engine import results, run

    pairs = gold_documents(Path(gold_dir))
    scores = {f.name: FieldScore() for f in FIELDS if f.in_macro}
    golds = {str(path): gold for path, gold in pairs}
    records: dict[str, list[dict]] = {path: [] for path in golds}
    # an unreadable document scores as one with nothing extracted
    for result in run(list(golds), model=model) if nlp is None else results(list(golds), nlp):
        if result.record is not None:
            records[result.path].append(result.record)
    for path, gold in golds.items():
        score_document(records[path], gold, scores, Path(path).name)
    return {f.name: scores[f.name] for f in FIELDS if f.name in scores}


def macro_f1(scores: dict[str, FieldScore]) -> float:
    """The mean F1 of the fields GOLD.md averages (phones are reported, not averaged)."""
    macro = [scores[f.name].f1 for f in FIELDS if f.in_macro and f.name in scores]
    return sum(macro) / len(macro)
