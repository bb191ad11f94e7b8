"""Key-point coverage benchmark on ECB+: do the key points find the facts documents share?

Each ECB+ event (subtopic) is a story and each document an outlet: the documents go into
``raw/<event>/`` (pinned) and through ``presslens run --local``; each sentence's ``key_points``
(the sentences table) are the prediction. Scored over the *annotated* sentences (those in
``validated`` or with an action mention):

- gold: the cross-document action clusters mentioned by two or more documents of the event,
  each with its (document, sentence) mentions;
- predicted: each key point with the annotated (document, sentence) pairs that report it;
- key points and gold clusters are matched one to one per event, maximising the Jaccard of
  their sentence sets (Hungarian assignment; pairs sharing no sentence stay unmatched);
- document cells: a matched pair adds TP = |Dk ∩ Dg|, FP = |Dk − Dg|, FN = |Dg − Dk| (D = the
  documents with a mention); an unmatched gold cluster adds FN = |Dg|; an unmatched key point
  is not judged (ECB+ annotates actions only). Micro precision, recall and F1 over all events.

References scored the same way: one key point per event, every sentence its own key point,
TF-IDF average-link sentence clusters (distance < 0.8), and the gold clusters (1.0). The
chance band keeps each event's key points and their sizes but gives them random annotated
sentences of their event.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Cell = tuple[str, int]  # (document, ECB+ sentence index)
CHANCE_DRAWS = 200


@dataclass
class EcbDoc:
    doc: str
    event: str
    sentences: list[str]
    annotated: set[int]
    mentions: dict[str, list[int]]


def load_docs(folder: str | Path) -> list[EcbDoc]:
    docs = []
    for line in (Path(folder) / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        mentioned = {s for sentences in d.get("events", {}).values() for s in sentences}
        docs.append(
            EcbDoc(
                d["doc"], d["subtopic"], d["sentences"], set(d.get("validated", [])) | mentioned, d.get("events", {})
            )
        )
    return docs


def gold_clusters(docs: list[EcbDoc]) -> dict[str, dict[str, set[Cell]]]:
    """event -> action cluster -> its (document, sentence) mentions, for clusters in two or more documents."""
    out: dict[str, dict[str, set[Cell]]] = {}
    for doc in docs:
        for cluster, sentences in doc.mentions.items():
            out.setdefault(doc.event, {}).setdefault(cluster, set()).update((doc.doc, s) for s in sentences)
    return {
        event: {c: cells for c, cells in clusters.items() if len({d for d, _s in cells}) >= 2}
        for event, clusters in out.items()
    }


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    predicted: dict[str, dict[str, set[Cell]]], gold: dict[str, dict[str, set[Cell]]], annotated: set[Cell]
) -> Counts:
    """Micro document cells over events (see the module docstring); ``predicted`` is event -> key point -> cells."""
    from scipy.optimize import linear_sum_assignment

    counts = Counts()
    for event, clusters in gold.items():
        points = [cells & annotated for cells in predicted.get(event, {}).values()]
        points = [p for p in points if p]
        golds = list(clusters.values())
        matched_gold: set[int] = set()
        if points and golds:
            jaccard = np.array([[len(p & g) / len(p | g) for g in golds] for p in points])
            rows, cols = linear_sum_assignment(-jaccard)
            for r, c in zip(rows, cols, strict=True):
                if jaccard[r, c] <= 0:
                    continue
                matched_gold.add(c)
                dk, dg = {d for d, _s in points[r]}, {d for d, _s in golds[c]}
                counts.tp += len(dk & dg)
                counts.fp += len(dk - dg)
                counts.fn += len(dg - dk)
        for c, cells in enumerate(golds):
            if c not in matched_gold:
                counts.fn += len({d for d, _s in cells})
    return counts


_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text).lower()


def map_sentences(doc: EcbDoc, rows: Iterable[tuple[int, str]]) -> dict[int, int]:
    """presslens sentence index (-1 = headline) -> the ECB+ sentence it comes from (a paragraph each)."""
    normalised = [_norm(s) for s in doc.sentences]
    out: dict[int, int] = {}
    cursor = 0
    for index, text in sorted(rows):
        target = _norm(text)
        if not target:
            continue
        order = range(len(normalised)) if index < 0 else [*range(cursor, len(normalised)), *range(cursor)]
        for k in order:
            if target in normalised[k] or (len(normalised[k]) > 20 and normalised[k] in target):
                out[index] = k
                if index >= 0:
                    cursor = k
                break
    return out


def predicted_from_sentences(sentences, docs: list[EcbDoc]) -> dict[str, dict[str, set[Cell]]]:
    """event -> key point -> (document, ECB+ sentence) cells, read off a sentences table."""
    by_doc = {d.doc: d for d in docs}
    out: dict[str, dict[str, set[Cell]]] = {}
    for outlet, group in sentences.groupby("outlet"):
        doc = by_doc.get(str(outlet))
        if doc is None:
            continue
        rows = list(zip(group["index"].astype(int), group["sentence"].astype(str), strict=True))
        mapping = map_sentences(doc, rows)
        for index, ids in zip(group["index"].astype(int), group["key_points"].fillna(""), strict=True):
            if index not in mapping:
                continue
            for kp in str(ids).split():
                out.setdefault(doc.event, {}).setdefault(kp, set()).add((doc.doc, mapping[index]))
    return out


def reference_one_point(docs: list[EcbDoc]) -> dict[str, dict[str, set[Cell]]]:
    out: dict[str, dict[str, set[Cell]]] = {}
    for doc in docs:
        out.setdefault(doc.event, {}).setdefault("all", set()).update((doc.doc, s) for s in range(len(doc.sentences)))
    return out


def reference_every_sentence(docs: list[EcbDoc]) -> dict[str, dict[str, set[Cell]]]:
    out: dict[str, dict[str, set[Cell]]] = {}
    for doc in docs:
        for s in range(len(doc.sentences)):
            out.setdefault(doc.event, {})[f"{doc.doc}:{s}"] = {(doc.doc, s)}
    return out


def reference_tfidf(docs: list[EcbDoc], distance: float = 0.8) -> dict[str, dict[str, set[Cell]]]:
    """Each event's sentences clustered by TF-IDF cosine (English stop words), average linkage."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    out: dict[str, dict[str, set[Cell]]] = {}
    by_event: dict[str, list[Cell]] = {}
    texts: dict[Cell, str] = {}
    for doc in docs:
        for s, sentence in enumerate(doc.sentences):
            by_event.setdefault(doc.event, []).append((doc.doc, s))
            texts[(doc.doc, s)] = sentence
    for event, cells in by_event.items():
        if len(cells) < 2:
            out[event] = {"0": set(cells)}
            continue
        vectors = TfidfVectorizer(stop_words="english").fit_transform([texts[c] for c in cells])
        dist = (1.0 - (vectors @ vectors.T).toarray()).clip(0, None)
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=distance
        ).fit(dist)
        for cell, label in zip(cells, labels.labels_, strict=True):
            out.setdefault(event, {}).setdefault(str(label), set()).add(cell)
    return out


def chance_band(
    predicted: dict[str, dict[str, set[Cell]]], gold, annotated: set[Cell], draws: int = CHANCE_DRAWS, seed: int = 0
) -> tuple[float, float]:
    """95% range of F1 when each key point keeps its size but reports random annotated sentences of its event."""
    rng = np.random.default_rng(seed)
    pool: dict[str, list[Cell]] = {}
    for cell in sorted(annotated):
        pool.setdefault(cell[0], []).append(cell)
    event_cells: dict[str, list[Cell]] = {}
    for event, clusters in gold.items():
        docs = {d for cells in clusters.values() for d, _s in cells}
        docs |= {d for cells in predicted.get(event, {}).values() for d, _s in cells}
        event_cells[event] = [c for d in sorted(docs) for c in pool.get(d, [])]
    values = []
    for _ in range(draws):
        shuffled = {}
        for event, points in predicted.items():
            cells = event_cells.get(event, [])
            if not cells:
                continue
            shuffled[event] = {
                kp: {cells[i] for i in rng.choice(len(cells), size=min(len(c & annotated), len(cells)), replace=False)}
                for kp, c in points.items()
                if c & annotated
            }
        values.append(score(shuffled, gold, annotated).f1)
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def write_raw(docs: list[EcbDoc], raw: Path) -> None:
    for doc in docs:
        folder = raw / doc.event
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{doc.doc}.txt").write_text("\n\n".join(doc.sentences) + "\n", encoding="utf-8")
        (folder / f"{doc.doc}.txt.meta.json").write_text(json.dumps({"outlet": doc.doc}), encoding="utf-8")


def line(label: str, counts: Counts) -> str:
    return f"  {label:<46} P {counts.precision:.3f}  R {counts.recall:.3f}  F1 {counts.f1:.3f}"


def run(folder: str | Path, backend: str | None = None) -> str:
    from presslens.compare.keypoints import BACKENDS, similarity_backend
    from presslens.corpus_tables import read_table
    from presslens.pipeline import run_pipeline
    from presslens.settings import default_workers

    backend = similarity_backend(backend)
    docs = load_docs(folder)
    gold = gold_clusters(docs)
    annotated = {(d.doc, s) for d in docs for s in d.annotated}
    threshold, cover = BACKENDS[backend]
    lines = [
        f"key-point coverage benchmark: {folder} ({len(docs)} documents, {len(gold)} events, "
        f"{sum(len(c) for c in gold.values())} shared action clusters; {backend} similarity {threshold}, "
        f"cover {cover})"
    ]
    with tempfile.TemporaryDirectory(prefix="presslens-ecb-") as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        write_raw(docs, raw)
        summary = run_pipeline(raw, out, similarity=backend, workers=default_workers())
        sentences = read_table(out, "sentences")
        predicted = predicted_from_sentences(sentences, docs)
        shutil.rmtree(tmp, ignore_errors=True)
    ours = score(predicted, gold, annotated)
    lines.append(line(f"presslens key points ({backend})", ours))
    low, high = chance_band(predicted, gold, annotated)
    lines.append(f"  chance band (our key points' sizes, random sentences of their event): F1 {low:.3f} to {high:.3f}")
    lines.append(line("reference: one key point per event", score(reference_one_point(docs), gold, annotated)))
    lines.append(
        line("reference: every sentence its own key point", score(reference_every_sentence(docs), gold, annotated))
    )
    lines.append(line("reference: TF-IDF sentence clusters (< 0.8)", score(reference_tfidf(docs), gold, annotated)))
    lines.append(line("reference: the gold clusters", score(gold, gold, annotated)))
    lines.append(f"  {len(summary.failed)} document(s) failed to process (their facts count as omitted)")
    return "\n".join(lines)
