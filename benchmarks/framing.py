"""Framing benchmark on FrAC (9 Policy Frames + Other): accuracy and macro-F1 of the default classifier.

FrAC uses frames 1, 3, 4, 5, 6, 8, 9, 11, 12 and 15 (Other); a prediction of any other
frame, or none, is scored as Other, as the issue defines.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from presslens.metrics.frames import FRAME_CODES, classify_sentence

OTHER = 15


def load_frac(path: str | Path) -> list[tuple[str, int]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [(row["sentence"], int(row["frame_code"])) for row in csv.DictReader(fh)]


def to_frac(frame: str | None, codes: set[int]) -> int:
    code = FRAME_CODES.get(frame) if frame else None
    return code if code in codes else OTHER


def scores(gold: list[int], predicted: list[int]) -> tuple[float, float, dict[int, float]]:
    """(accuracy, macro-F1 over the gold classes, F1 per class)."""
    labels = sorted(set(gold))
    per_class = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_class[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    return accuracy, sum(per_class.values()) / len(per_class), per_class


def run(path: str | Path) -> str:
    rows = load_frac(path)
    gold = [code for _s, code in rows]
    codes = set(gold)
    predicted = [to_frac(classify_sentence(s).frame, codes) for s, _c in rows]
    accuracy, macro, per_class = scores(gold, predicted)
    majority = Counter(gold).most_common(1)[0][0]
    base_acc, base_macro, _ = scores(gold, [majority] * len(gold))
    names = {v: k for k, v in FRAME_CODES.items()}
    lines = [
        f"framing benchmark: {path} ({len(rows)} sentences, {len(codes)} classes)",
        f"presslens lexicon          accuracy {accuracy:.3f}  macro-F1 {macro:.3f}",
        f"majority class ({names[majority][:20]})  accuracy {base_acc:.3f}  macro-F1 {base_macro:.3f}",
        "per frame F1: " + ", ".join(f"{names[c].split(',')[0]} {f:.2f}" for c, f in sorted(per_class.items())),
    ]
    return "\n".join(lines)
