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

Pairwise (issue 29): every two annotated sentences of *different* documents of one event are a
pair; a pair is predicted when one key point holds both, gold when one action cluster mentions
both. Micro precision, recall and F1 over the pairs of all events. Unlike the cells, a key point
that joins sentences no gold cluster joins is counted against it.

References scored the same way: one key point per event, every sentence its own key point,
TF-IDF average-link sentence clusters (distance < 0.8), and the gold clusters (1.0). Each score
is printed beside its *shuffled band*: the annotated sentences of each event are permuted at
random (the key points keep their sizes and overlaps but hold random sentences of their event),
95% range over CHANCE_DRAWS permutations. The gold clusters shuffled the same way are the
ceiling of what a shuffle can score, which says how much of a score the measure gives away.

With ``--references`` (:func:`reference_rows`): outputs that read no word — every sentence of the event as
one key point, copied once per annotated sentence; random key points of presslens' sizes, 1, 16 and 64
times as many; presslens' own key points with those copies beside them — and oracles: presslens' key
points cut along the gold clusters, joined by gold cluster, and the gold kept to the sentences presslens
puts in key points of two or more documents.

Topics are split once: odd topics tune (thresholds may be chosen on them), even topics are held
out and never tuned on (:data:`TUNING_TOPICS`); every score is printed for both.
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

from benchmarks.counts import Counts

Cell = tuple[str, int]  # (document, ECB+ sentence index)
Clusters = dict[str, dict[str, set[Cell]]]  # event -> key point (or gold cluster) -> cells
CHANCE_DRAWS = 200  # permutations per shuffled band


def is_tuning_topic(topic: int) -> bool:
    """The fixed split of ECB+ dev's topics 1-22: odd topics tune, even topics are held out."""
    return topic % 2 == 1


TUNING_TOPICS = "odd topics (1, 3, ..., 21)"
HELD_OUT_TOPICS = "even topics (2, 4, ..., 22)"


@dataclass
class EcbDoc:
    doc: str
    event: str
    sentences: list[str]
    annotated: set[int]
    mentions: dict[str, list[int]]
    topic: int = 0


def load_docs(folder: str | Path) -> list[EcbDoc]:
    docs = []
    for line in (Path(folder) / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        mentioned = {s for sentences in d.get("events", {}).values() for s in sentences}
        docs.append(
            EcbDoc(
                d["doc"],
                d["subtopic"],
                d["sentences"],
                set(d.get("validated", [])) | mentioned,
                d.get("events", {}),
                int(d.get("topic", 0)),
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


def matched_pairs(points: list[set[Cell]], golds: list[set[Cell]]) -> list[tuple[int, int]]:
    """(key point, gold cluster) index pairs of one event, one to one, maximising the Jaccard of their
    sentence sets (Hungarian); pairs sharing no sentence are left out."""
    from scipy.optimize import linear_sum_assignment

    if not points or not golds:
        return []
    jaccard = np.array([[len(p & g) / len(p | g) for g in golds] for p in points])
    rows, cols = linear_sum_assignment(-jaccard)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if jaccard[r, c] > 0]


def score(
    predicted: dict[str, dict[str, set[Cell]]], gold: dict[str, dict[str, set[Cell]]], annotated: set[Cell]
) -> Counts:
    """Micro document cells over events (see the module docstring); ``predicted`` is event -> key point -> cells."""
    counts = Counts()
    for event, clusters in gold.items():
        points = [cells & annotated for cells in predicted.get(event, {}).values()]
        points = [p for p in points if p]
        golds = list(clusters.values())
        matched_gold: set[int] = set()
        for r, c in matched_pairs(points, golds):
            matched_gold.add(c)
            dk, dg = {d for d, _s in points[r]}, {d for d, _s in golds[c]}
            counts.tp += len(dk & dg)
            counts.fp += len(dk - dg)
            counts.fn += len(dg - dk)
        for c, cells in enumerate(golds):
            if c not in matched_gold:
                counts.fn += len({d for d, _s in cells})
    return counts


def false_positives_by_source(predicted: Clusters, gold: Clusters, annotated: set[Cell]) -> tuple[int, int]:
    """The cells' false positives (documents a matched key point holds outside its gold cluster), and how many
    of them it holds through a sentence of another shared gold cluster of the event (ECB+'s granularity)."""
    false_positives = other_cluster = 0
    for event, clusters in gold.items():
        points = [p for p in (cells & annotated for cells in predicted.get(event, {}).values()) if p]
        golds = list(clusters.values())
        in_any_cluster = set().union(*golds)
        for r, c in matched_pairs(points, golds):
            documents = {d for d, _s in golds[c]}
            for document in {d for d, _s in points[r]} - documents:
                false_positives += 1
                other_cluster += any(cell in in_any_cluster for cell in points[r] if cell[0] == document)
    return false_positives, other_cluster


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
        for index, ids in zip(group["index"].astype(int), group["key_points"], strict=True):
            if index not in mapping:
                continue
            for kp in ids:  # a list column
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


def reference_event_copies(docs: list[EcbDoc]) -> Clusters:
    """One key point per event holding every sentence, copied once per annotated sentence of the event
    (at least as many copies as the event has gold clusters): reads no word, matches every gold cluster."""
    out: Clusters = {}
    for event, cells in annotated_by_event(docs).items():
        every = {(d.doc, s) for d in docs if d.event == event for s in range(len(d.sentences))}
        out[event] = {f"all-{k}": set(every) for k in range(len(cells))}
    return out


def random_key_points(predicted: Clusters, docs: list[EcbDoc], copies: int, seed: int = 0) -> Clusters:
    """``copies`` times as many key points as ``predicted`` holds in each event, each of the size of one of
    them, holding annotated sentences of its event drawn at random: reads no word (copies=1 is one shuffle)."""
    rng = np.random.default_rng(seed)
    annotated = {(d.doc, s) for d in docs for s in d.annotated}
    out: Clusters = {}
    for event, cells in annotated_by_event(docs).items():
        sizes = [len(c & annotated) for c in predicted.get(event, {}).values() if c & annotated]
        for k in range(len(sizes) * copies):
            size = min(sizes[k % len(sizes)], len(cells))
            out.setdefault(event, {})[f"random-{k}"] = {cells[i] for i in rng.choice(len(cells), size, replace=False)}
    return out


def split_by_gold(predicted: Clusters, gold: Clusters) -> Clusters:
    """Oracle: each key point cut into its part in each gold cluster of its event (a sentence in two clusters
    goes to both parts) and the rest: what the key points would score if they never joined two facts."""
    out: Clusters = {}
    for event, points in predicted.items():
        for kp, cells in points.items():
            rest = set(cells)
            for cluster, gold_cells in gold.get(event, {}).items():
                if cells & gold_cells:
                    out.setdefault(event, {})[f"{kp}|{cluster}"] = cells & gold_cells
                    rest -= gold_cells
            if rest:
                out.setdefault(event, {})[f"{kp}|-"] = rest
    return out


def merged_by_gold(predicted: Clusters, gold: Clusters) -> Clusters:
    """Oracle: the key points of an event whose sentences fall most in one gold cluster joined into one
    (key points in no gold cluster kept): what they would score if they never split a fact."""
    out: Clusters = {}
    for event, points in predicted.items():
        clusters = gold.get(event, {})
        for kp, cells in points.items():
            shared = {cluster: len(cells & gold_cells) for cluster, gold_cells in clusters.items()}
            best = max(shared, key=shared.__getitem__, default=None)
            key = f"gold:{best}" if best is not None and shared[best] else kp
            out.setdefault(event, {}).setdefault(key, set()).update(cells)
    return out


def gold_within_reach(predicted: Clusters, gold: Clusters, min_documents: int = 2) -> Clusters:
    """Oracle: the gold clusters kept to the sentences some key point reaching ``min_documents`` documents
    holds: the ceiling of any joining of the sentences presslens puts in shared key points."""
    reached = {
        cell
        for points in predicted.values()
        for cells in points.values()
        if len({d for d, _s in cells}) >= min_documents
        for cell in cells
    }
    out: Clusters = {}
    for event, clusters in gold.items():
        kept = {cluster: cells & reached for cluster, cells in clusters.items()}
        out[event] = {cluster: cells for cluster, cells in kept.items() if cells}
    return out


def with_points(predicted: Clusters, added: Clusters) -> Clusters:
    """``predicted`` with the key points of ``added`` beside its own (padded with points that read no word)."""
    out = {event: dict(points) for event, points in predicted.items()}
    for event, points in added.items():
        out.setdefault(event, {}).update({f"added:{kp}": cells for kp, cells in points.items()})
    return out


def reference_rows(predicted: Clusters, gold: Clusters, docs: list[EcbDoc]) -> list[tuple[str, Clusters, bool]]:
    """The ``--references`` rows (label, key points, with a shuffled band): outputs that read no word and
    oracles that show where presslens' key points lose (docs/benchmarks.md, 2026-12-06)."""
    return [
        ("no words: every sentence, once per sentence", reference_event_copies(docs), False),
        ("no words: random, presslens' sizes, x1", random_key_points(predicted, docs, 1), False),
        ("no words: random, presslens' sizes, x16", random_key_points(predicted, docs, 16), False),
        ("no words: random, presslens' sizes, x64", random_key_points(predicted, docs, 64), False),
        ("presslens + no words: every sentence, copied", with_points(predicted, reference_event_copies(docs)), True),
        ("oracle: presslens cut along gold clusters", split_by_gold(predicted, gold), True),
        ("oracle: presslens joined by gold cluster", merged_by_gold(predicted, gold), True),
        ("oracle: gold within shared key points", gold_within_reach(predicted, gold), False),
    ]


def pair_counts(predicted: Clusters, gold: Clusters, annotated: set[Cell]) -> Counts:
    """Pairs of annotated sentences of different documents of one event (see the module docstring):
    TP = pairs one key point and one gold cluster both hold, FP = held by a key point only, FN = gold only."""
    counts = Counts()
    for event in set(gold) | set(predicted):
        predicted_pairs = _pairs(predicted.get(event, {}), annotated)
        gold_pairs = _pairs(gold.get(event, {}), annotated)
        both = len(predicted_pairs & gold_pairs)
        counts.tp += both
        counts.fp += len(predicted_pairs) - both
        counts.fn += len(gold_pairs) - both
    return counts


def _pairs(points: dict[str, set[Cell]], annotated: set[Cell]) -> set[tuple[Cell, Cell]]:
    """Every (a, b), a < b, of annotated cells of different documents that one of ``points`` holds."""
    out: set[tuple[Cell, Cell]] = set()
    for cells in points.values():
        kept = sorted(cells & annotated)
        for k, a in enumerate(kept):
            out.update((a, b) for b in kept[k + 1 :] if b[0] != a[0])
    return out


def shuffled(points: Clusters, event_cells: dict[str, list[Cell]], rng: np.random.Generator) -> Clusters:
    """``points`` with each event's annotated cells permuted at random (sizes and overlaps kept)."""
    out: Clusters = {}
    for event, clusters in points.items():
        cells = event_cells.get(event, [])
        moved = dict(zip(cells, [cells[i] for i in rng.permutation(len(cells))], strict=True))
        out[event] = {kp: {moved[c] for c in members if c in moved} for kp, members in clusters.items()}
    return out


def annotated_by_event(docs: list[EcbDoc]) -> dict[str, list[Cell]]:
    """event -> its annotated cells, in a fixed order."""
    out: dict[str, list[Cell]] = {}
    for doc in sorted(docs, key=lambda d: d.doc):
        out.setdefault(doc.event, []).extend((doc.doc, s) for s in sorted(doc.annotated))
    return out


@dataclass
class Band:
    """95% range of the cell F1 and of the pairwise F1 over CHANCE_DRAWS permutations."""

    cell: tuple[float, float]
    pairwise: tuple[float, float]


def shuffled_band(
    predicted: Clusters, gold: Clusters, docs: list[EcbDoc], draws: int = CHANCE_DRAWS, seed: int = 0
) -> Band:
    """F1 of ``predicted`` with the annotated sentences of each event permuted (see the module docstring)."""
    rng = np.random.default_rng(seed)
    annotated = {(d.doc, s) for d in docs for s in d.annotated}
    event_cells = annotated_by_event(docs)
    cells, pairs = [], []
    for _ in range(draws):
        moved = shuffled(predicted, event_cells, rng)
        cells.append(score(moved, gold, annotated).f1)
        pairs.append(pair_counts(moved, gold, annotated).f1)
    return Band(_range(cells), _range(pairs))


def _range(values: list[float]) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def subset(points: Clusters, events: set[str]) -> Clusters:
    return {event: clusters for event, clusters in points.items() if event in events}


def write_raw(docs: list[EcbDoc], raw: Path) -> None:
    for doc in docs:
        folder = raw / doc.event
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{doc.doc}.txt").write_text("\n\n".join(doc.sentences) + "\n", encoding="utf-8")
        (folder / f"{doc.doc}.txt.meta.json").write_text(json.dumps({"outlet": doc.doc}), encoding="utf-8")


def line(label: str, counts: Counts) -> str:
    return f"  {label:<46} P {counts.precision:.3f}  R {counts.recall:.3f}  F1 {counts.f1:.3f}"


def _band(band: tuple[float, float]) -> str:
    return f"shuffled {band[0]:.3f}-{band[1]:.3f}"


def scored_lines(label: str, predicted: Clusters, gold: Clusters, docs: list[EcbDoc], band: bool = True) -> list[str]:
    """Cell and pairwise P/R/F1 of ``predicted`` on ``docs``' events, each beside its shuffled band."""
    annotated = {(d.doc, s) for d in docs for s in d.annotated}
    events = {d.event for d in docs}
    predicted, gold = subset(predicted, events), subset(gold, events)
    cell, pair = score(predicted, gold, annotated), pair_counts(predicted, gold, annotated)
    shuffle = shuffled_band(predicted, gold, docs) if band else None
    out = []
    for name, counts, rng in (("cells", cell, shuffle and shuffle.cell), ("pairs", pair, shuffle and shuffle.pairwise)):
        text = f"  {label:<44} {name}  P {counts.precision:.3f}  R {counts.recall:.3f}  F1 {counts.f1:.3f}"
        if rng:
            text += f"   ({_band(rng)}; above it by {counts.f1 - rng[1]:+.3f})"
        out.append(text)
    return out


def run(folder: str | Path, backend: str | None = None, references: bool = False) -> str:
    from presslens.compare.keypoints import BACKENDS, similarity_backend
    from presslens.corpus_tables import read_table
    from presslens.pipeline import run_pipeline
    from presslens.settings import default_workers

    backend = similarity_backend(backend)
    docs = load_docs(folder)
    gold = gold_clusters(docs)
    threshold, cover = BACKENDS[backend]
    lines = [
        f"key-point coverage benchmark: {folder} ({len(docs)} documents, {len(gold)} events, "
        f"{sum(len(c) for c in gold.values())} shared action clusters; {backend} similarity {threshold}, "
        f"cover {cover})",
        "  cells = documents of key points matched to gold clusters; pairs = two annotated sentences of different",
        "  documents of one event in one key point, against: in one gold action cluster. shuffled = 95% range",
        f"  with each event's annotated sentences permuted ({CHANCE_DRAWS} draws); aims on held-out topics:",
        "  pairs F1 >= 0.60, cells F1 >= 0.75, each >= 0.15 above its shuffled band. The cells F1 alone is no",
        "  aim: key points that read no word reach 0.75 (--references); read the margin over the band.",
    ]
    with tempfile.TemporaryDirectory(prefix="presslens-ecb-") as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        write_raw(docs, raw)
        summary = run_pipeline(raw, out, similarity=backend, workers=default_workers())
        sentences = read_table(out, "sentences")
        predicted = predicted_from_sentences(sentences, docs)
        shutil.rmtree(tmp, ignore_errors=True)
    rows = [
        ("reference: one key point per event", reference_one_point(docs), False),
        ("reference: every sentence its own key point", reference_every_sentence(docs), False),
        ("reference: TF-IDF sentence clusters (< 0.8)", reference_tfidf(docs), True),
        ("ceiling: the gold clusters", gold, True),
    ]
    if references:
        rows += reference_rows(predicted, gold, docs)
    for part, chosen in (
        (f"tuning, {TUNING_TOPICS}", [d for d in docs if is_tuning_topic(d.topic)]),
        (f"held out, {HELD_OUT_TOPICS}, never tuned on", [d for d in docs if not is_tuning_topic(d.topic)]),
        ("all topics", docs),
    ):
        events = {d.event for d in chosen}
        lines.append(f" {part}: {len(chosen)} documents, {len(events)} events")
        lines += scored_lines(f"presslens key points ({backend})", predicted, gold, chosen)
        if references:
            annotated = {(d.doc, s) for d in chosen for s in d.annotated}
            wrong, other = false_positives_by_source(subset(predicted, events), subset(gold, events), annotated)
            lines.append(f"  cells' false positives: {wrong} documents, {other} by another gold cluster's sentence")
        for label, points, band in rows:
            lines += scored_lines(label, points, gold, chosen, band)
    lines.append(f"  {len(summary.failed)} document(s) failed to process (their facts count as omitted)")
    return "\n".join(lines)
