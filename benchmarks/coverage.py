"""Coverage benchmark on NewsWCL50: does key-point overlap between outlets track concept overlap?

For each event, every pair of outlets gets (a) the share of the event's key points that both
outlets cover and (b) the gold Jaccard of the concept sets the annotators found in each
outlet's article. The score is Spearman's rank
correlation of (a) and (b) over the event's 10 outlet pairs; the benchmark reports it per
event and the mean over events.

Two reference pairings that know nothing of facts are scored the same way, so the number can
be read against them: the product of the two articles' lengths in words, and the Jaccard
of the capitalised names each article uses. Two more say what the number can reach: the
*ceiling* scores the benchmark's own measure with the annotators' concepts standing in for
key points (the number of concepts both articles mention) — what an extractor whose key
points were exactly the annotated concepts would score; the *chance band* is the range 95%
of random pairings' means fall in (ten often tied pairs per event: one pair moves a
correlation a lot). A sweep over the clustering threshold shows how the mean trades
against the granularity of key points.
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import numpy as np

from presslens.compare.keypoints import BACKENDS, similarity_backend, story_key_points

SWEEP_STEPS = (-0.1, -0.05, 0.0, 0.04, 0.08)  # clustering thresholds also scored, around the backend's own
CHANCE_DRAWS = 4000


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
        "ceiling, annotated concepts as key points": spearman([len(concepts[a] & concepts[b]) for a, b in pairs], gold),
    }


def chance_band(golds: list[list[float]], draws: int = CHANCE_DRAWS, seed: int = 0) -> tuple[float, float]:
    """2.5th and 97.5th percentile of the mean Spearman over events when every event's pairs get random scores."""
    from scipy.stats import rankdata

    rng = np.random.default_rng(seed)
    means = np.zeros(draws)
    for gold in golds:
        g = rankdata(gold)
        g = (g - g.mean()) / (np.linalg.norm(g - g.mean()) or 1.0)
        x = np.argsort(rng.random((draws, len(gold))), axis=1).astype(float)  # random ranks, no ties
        x -= x.mean(axis=1, keepdims=True)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        means += x @ g / len(golds)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def gold_overlaps(concepts: dict[str, set[str]]) -> list[float]:
    """The gold: Jaccard of the two outlets' concept sets, for every outlet pair in sorted order."""
    return [jaccard(concepts[a], concepts[b]) for a, b in combinations(sorted(concepts), 2)]


def event_correlation(
    texts: dict[str, str],
    concepts: dict[str, set[str]],
    threshold: float | None = None,
    cover: float | None = None,
    backend: str | None = None,
) -> float:
    kps = story_key_points([(code, code, text) for code, text in texts.items()], threshold, cover, backend)
    covered = {code: {kp.id for kp in kps if code in kp.covered_by} for code in texts}
    ours = [len(covered[a] & covered[b]) / max(1, len(kps)) for a, b in combinations(sorted(texts), 2)]
    return spearman(ours, gold_overlaps(concepts))


def run(
    folder: str | Path, threshold: float | None = None, cover: float | None = None, backend: str | None = None
) -> str:
    backend = similarity_backend(backend)
    threshold = BACKENDS[backend][0] if threshold is None else threshold
    cover = BACKENDS[backend][1] if cover is None else cover
    root = Path(folder)
    events = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("event"))
    lines = [f"coverage benchmark: {root} ({len(events)} events; {backend} similarity {threshold}, cover {cover})"]
    rhos = []
    references: dict[str, list[float]] = {}
    loaded = [load_event(event) for event in events]
    for event, (texts, concepts) in zip(events, loaded, strict=True):
        rho = event_correlation(texts, concepts, threshold, cover, backend)
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
    low, high = chance_band([gold_overlaps(concepts) for _texts, concepts in loaded])
    lines.append(f"  chance band (95% of random pairings' means): {low:+.3f} to {high:+.3f}")
    sweep = []
    for step in SWEEP_STEPS:
        value = round(threshold + step, 3)
        event_rhos = [event_correlation(texts, concepts, value, cover, backend) for texts, concepts in loaded]
        sweep.append(f"{value:g}: {sum(event_rhos) / len(event_rhos):+.3f}")
    lines.append("  mean by clustering threshold (finer key points to the right): " + ", ".join(sweep))
    return "\n".join(lines)
