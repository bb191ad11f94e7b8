"""Coverage benchmark on NewsWCL50: does key-point overlap between outlets track concept overlap?

For each event, every pair of outlets gets (a) the share of the event's key points that both
outlets cover and (b) the gold Jaccard of the concept sets the annotators found in each
outlet's article. The score is Spearman's rank
correlation of (a) and (b) over the event's 10 outlet pairs; the benchmark reports it per
event and the mean over events.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from presslens.compare.keypoints import COVER_SIMILARITY, SIMILARITY, story_key_points


def spearman(x: list[float], y: list[float]) -> float:
    from scipy.stats import spearmanr

    rho = spearmanr(x, y).statistic
    return float(rho) if rho == rho else 0.0  # NaN when one side is constant


def load_event(folder: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    texts, concepts = {}, {}
    for meta_path in sorted(folder.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        code = meta_path.stem
        texts[code] = meta_path.with_suffix(".txt").read_text(encoding="utf-8")
        concepts[code] = {c for c, n in meta.get("concept_mentions", {}).items() if n}
    return texts, concepts


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def event_correlation(
    texts: dict[str, str], concepts: dict[str, set[str]], threshold: float = SIMILARITY, cover: float = COVER_SIMILARITY
) -> float:
    kps = story_key_points([(code, code, text) for code, text in texts.items()], threshold, cover)
    covered = {code: {kp.id for kp in kps if code in kp.covered_by} for code in texts}
    pairs = list(combinations(sorted(texts), 2))
    ours = [len(covered[a] & covered[b]) / max(1, len(kps)) for a, b in pairs]
    gold = [jaccard(concepts[a], concepts[b]) for a, b in pairs]
    return spearman(ours, gold)


def run(folder: str | Path, threshold: float = SIMILARITY, cover: float = COVER_SIMILARITY) -> str:
    root = Path(folder)
    events = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("event"))
    lines = [f"coverage benchmark: {root} ({len(events)} events; similarity {threshold}, cover {cover})"]
    rhos = []
    for event in events:
        rho = event_correlation(*load_event(event), threshold, cover)
        rhos.append(rho)
        lines.append(f"  {event.name}: Spearman {rho:+.3f}")
    lines.append(f"mean Spearman over events: {sum(rhos) / len(rhos):+.3f}" if rhos else "no events found")
    return "\n".join(lines)
