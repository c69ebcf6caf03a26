"""Score extraction against gold files exactly as ../shared/GOLD.md defines it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .formats import DOCUMENT_SUFFIXES
from .normalise import norm_key
from .pipeline import FIELDS


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


def _keys(field_name: str, item: dict) -> set:
    """Match keys of a prediction or a gold entry (gold names an organisation by "names")."""
    if field_name in ("organisations", "funders"):
        names = item.get("names") or (item.get("name"), item.get("acronym"))
        return {norm_key(n) for n in names if n}
    if field_name == "countries":
        return {item["iso2"].upper()}
    if field_name == "dates":
        return {(item["start"], item.get("end") or item["start"])}
    if field_name == "participants":
        return {item["count"]}
    return {item["address"].lower()}


def _label(field_name: str, item: dict) -> str:
    if field_name in ("organisations", "funders"):
        return " / ".join(
            filter(None, (item.get("name") or ", ".join(item.get("names", [])), item.get("acronym")))
        )
    if field_name == "dates":
        return f"{item['start']}..{item.get('end') or item['start']}" + (
            f" ({item['text']})" if "text" in item else ""
        )
    if field_name == "participants":
        return f"{item['count']}" + (f" ({item['text']})" if "text" in item else "")
    return str(item.get("iso2") or item.get("address"))


def score_document(records: list[dict], gold: dict, scores: dict[str, FieldScore], name: str) -> None:
    for field_name in FIELDS:
        score = scores[field_name]
        entries = gold.get(field_name, [])
        predictions = [item for record in records for item in record.get(field_name, [])]
        pred_keys = [_keys(field_name, p) for p in predictions]
        for entry in entries:
            keys = _keys(field_name, entry)
            matched = any(keys & pk for pk in pred_keys)
            if entry.get("optional"):
                continue
            if matched:
                score.tp += 1
            else:
                score.fn += 1
                score.misses.setdefault(name, []).append(_label(field_name, entry))
        all_gold = [_keys(field_name, e) for e in entries]
        for prediction, pk in zip(predictions, pred_keys, strict=False):
            if not any(pk & g for g in all_gold):
                score.fp += 1
                score.false_positives.setdefault(name, []).append(_label(field_name, prediction))


def evaluate(gold_dir: str | Path, model: str | None = None) -> dict[str, FieldScore]:
    from .extraction import extract_many

    pairs = gold_documents(Path(gold_dir))
    scores = {f: FieldScore() for f in FIELDS}
    golds = {str(path): gold for path, gold in pairs}
    # an unreadable document scores as one with nothing extracted
    for path, records, _error in extract_many([str(p) for p, _ in pairs], model=model):
        score_document(records or [], golds[path], scores, Path(path).name)
    return scores


def macro_f1(scores: dict[str, FieldScore]) -> float:
    return sum(s.f1 for s in scores.values()) / len(scores)
