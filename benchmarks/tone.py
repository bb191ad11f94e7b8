"""Tone benchmark on BASIL: does VADER's tone follow what annotators say the author feels?

BASIL's annotators gave each of its 300 articles ``author_feeling_main_event`` (negative, neutral or
positive: 41 / 237 / 22). For presslens's tone measure (the mean VADER compound of the body's sentences,
``tone_mean``) and for the same measure on the outlet's own words (quoted spans removed, sentences with
fewer than 4 words left out), this prints: Spearman's rho with the feeling (-1 / 0 / 1) over all
articles; the same after subtracting each event's mean (three outlets report each event, so the event's
own words cancel); how often the most negatively toned article of an event is one whose author feels most
negative, beside what picking an article at random scores; and the words that carry VADER's negative
valence in the corpus (the events' words, on hard news).
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path

from presslens.metrics.sourcing import outside_quotes
from presslens.metrics.tone import sentence_tone, valence
from presslens.text import paragraph_sentences

FEELING = {"neg": -1, "neu": 0, "pos": 1}
OWN_WORDS_MIN = 4


def load(shared: str | Path) -> list[dict]:
    root = Path(shared) / "bench" / "corpora" / "basil"
    articles = []
    for path in sorted((root / "articles").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        notes = root / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        feeling = json.loads(notes.read_text(encoding="utf-8"))["article-level-annotations"][
            "author_feeling_main_event"
        ]
        text = "\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in data["body-paragraphs"])
        articles.append({"event": path.stem.rsplit("_", 1)[0], "text": text, "feeling": FEELING[feeling]})
    return articles


def tones(text: str) -> tuple[float, float]:
    """(mean compound of all sentences, mean compound of the outlet's own words)."""
    paragraphs = paragraph_sentences(text)
    sentences = [s for p in paragraphs for s in p]
    own = outside_quotes(sentences, [i for i, p in enumerate(paragraphs) for _s in p])
    own = [o for o in own if len(o.split()) >= OWN_WORDS_MIN]
    every = [sentence_tone(s) for s in sentences]
    return (statistics.fmean(every) if every else 0.0, statistics.fmean(map(sentence_tone, own)) if own else 0.0)


def spearman(x: list[float], y: list[float]) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(x, y)[0])


def run(shared: str | Path) -> str:
    articles = load(shared)
    for a in articles:
        a["tone"], a["own"] = tones(a["text"])
    feelings = Counter(a["feeling"] for a in articles)
    lines = [
        f"tone benchmark: {len(articles)} BASIL articles; author feeling toward the main event "
        f"negative {feelings[-1]}, neutral {feelings[0]}, positive {feelings[1]}"
    ]
    events: dict[str, list[dict]] = {}
    for a in articles:
        events.setdefault(a["event"], []).append(a)
    split = [g for g in events.values() if len({a["feeling"] for a in g}) > 1]
    chance = sum(sum(a["feeling"] == min(b["feeling"] for b in g) for a in g) / len(g) for g in split)
    for key, name in (("tone", "tone_mean (all sentences)"), ("own", "own words (quotes removed)")):
        rho = spearman([a[key] for a in articles], [a["feeling"] for a in articles])
        centred, felt = [], []
        for g in split:
            mean_tone = statistics.fmean(a[key] for a in g)
            mean_feeling = statistics.fmean(a["feeling"] for a in g)
            centred += [a[key] - mean_tone for a in g]
            felt += [a["feeling"] - mean_feeling for a in g]
        picked = sum(min(g, key=lambda a: a[key])["feeling"] == min(a["feeling"] for a in g) for g in split)
        lines.append(
            f"  {name:28s} rho {rho:+.3f}; within events {spearman(centred, felt):+.3f}; most negative tone = most "
            f"negative author in {picked} of {len(split)} events (random pick {chance:.1f})"
        )
    negative: Counter = Counter()
    for a in articles:
        for word in re.findall(r"[a-z']+", a["text"].lower()):
            if (v := valence(word)) < 0:
                negative[word] -= v
    total = sum(negative.values())
    top = ", ".join(f"{w} {n / total:.1%}" for w, n in negative.most_common(15))
    lines.append(f"  negative valence carried by: {top}")
    return "\n".join(lines)
