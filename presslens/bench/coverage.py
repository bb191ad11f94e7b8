"""Coverage benchmark on NewsWCL50: does key-point overlap between outlets track concept overlap?

For each event, every pair of outlets gets (a) the share of the event's key points that both
outlets cover and (b) the gold Jaccard of the concept sets the annotators found in each
outlet's article. The score is Spearman's rank
correlation of (a) and (b) over the event's 10 outlet pairs; the benchmark reports it per
event and the mean over events.

Two reference pairings that know nothing of facts are scored the same way, so the number can
be read against them: the product of the two articles' lengths in words, and the Jaccard
of the capitalised names each article uses.
"""

from __future__ import annotations

import json
import re
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


_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def reference_correlations(texts: dict[str, str], concepts: dict[str, set[str]]) -> dict[str, float]:
    """Spearman against the gold for pairings that know nothing of facts (length product, shared names)."""
    pairs = list(combinations(sorted(texts), 2))
    gold = [jaccard(concepts[a], concepts[b]) for a, b in pairs]
    n_words = {code: len(text.split()) for code, text in texts.items()}
    names = {code: set(_NAME.findall(text)) for code, text in texts.items()}
    return {
        "length product": spearman([n_words[a] * n_words[b] for a, b in pairs], gold),
        "shared names": spearman([jaccard(names[a], names[b]) for a, b in pairs], gold),
    }


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
    references: dict[str, list[float]] = {}
    for event in events:
        texts, concepts = load_event(event)
        rho = event_correlation(texts, concepts, threshold, cover)
        rhos.append(rho)
        refs = reference_correlations(texts, concepts)
        for name, value in refs.items():
            references.setdefault(name, []).append(value)
        lines.append(
            f"  {event.name}: Spearman {rho:+.3f}   (references: "
            + ", ".join(f"{name} {value:+.3f}" for name, value in refs.items())
            + ")"
        )
    if not rhos:
        lines.append("no events found")
        return "\n".join(lines)
    lines.append(f"mean Spearman over events: {sum(rhos) / len(rhos):+.3f}")
    for name, values in references.items():
        lines.append(f"  reference, {name}: mean {sum(values) / len(values):+.3f}")
    return "\n".join(lines)
