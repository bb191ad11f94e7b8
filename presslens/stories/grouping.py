"""Which articles report the same event: candidate retrieval, then average-linkage clustering.

1. Every article is a TF-IDF vector of its event features (:mod:`.features`; sublinear term
   weights, smoothed idf over the articles being grouped).
2. Candidates: an article is compared only with the articles that share one of its
   :data:`RETRIEVAL_TERMS` heaviest features (an inverted index; features in more than
   :data:`MAX_POSTINGS` articles are too common to retrieve by), at most
   :data:`MAX_CANDIDATES` of them — never with the whole corpus.
3. Similarity = cosine × a date factor: articles whose publication dates are more than
   :data:`DATE_GRACE_DAYS` apart lose similarity exponentially (a tenfold drop per
   :data:`DATE_DECAY_DAYS` × ln 10 days), so two floods years apart stay two stories.
4. Average linkage over the candidate graph (a missing pair counts as 0): the two groups with
   the highest mean similarity merge while it reaches :data:`THRESHOLD`. Two groups of two or
   more articles do not merge when their mean similarity is below :data:`COHESION` × the
   looser group's own mean similarity: two tight groups that resemble each other much less
   than themselves are two events of the same kind. Articles pinned to different stories never
   meet; articles pinned to the same story start as one group.

Groups that share no pair of similarity ≥ THRESHOLD can never merge, so clustering a part of
the corpus that new articles touch gives the same result as clustering everything.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp

from presslens.stories.features import EventFeatures

THRESHOLD = 0.18
COHESION = 0.7
DATE_GRACE_DAYS = 7
DATE_DECAY_DAYS = 10.0
RETRIEVAL_TERMS = 25
MAX_POSTINGS = 2000
MAX_CANDIDATES = 300
MIN_SIMILARITY = 0.02  # pairs below this are left out of the graph (they only lower an average)


@dataclass
class Corpus:
    """The articles being grouped as TF-IDF rows, with their days (None when unknown)."""

    ids: list[str]
    vectors: sp.csr_matrix
    days: list[date | None]
    retrieval: sp.csr_matrix  # each row's heaviest retrievable features, 0/1

    @property
    def index(self) -> dict[str, int]:
        return {aid: i for i, aid in enumerate(self.ids)}


def build_corpus(features: Sequence[EventFeatures]) -> Corpus:
    """TF-IDF vectors (1 + ln tf, smoothed idf, L2-normalised) and the retrieval index."""
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, feat in enumerate(features):
        for term, count in feat.terms.items():
            c = vocab.setdefault(term, len(vocab))
            rows.append(r)
            cols.append(c)
            vals.append(1.0 + math.log(count) if count >= 1 else count)
    n = len(features)
    tf = sp.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
    df = np.bincount(cols, minlength=len(vocab)) if cols else np.zeros(0, dtype=int)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    weighted = tf @ sp.diags(idf) if len(vocab) else tf
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    vectors = sp.diags(1.0 / np.maximum(norms, 1e-12)) @ weighted
    vectors = sp.csr_matrix(vectors)
    retrievable = df <= MAX_POSTINGS
    r_rows, r_cols = [], []
    for r in range(n):
        start, end = vectors.indptr[r], vectors.indptr[r + 1]
        terms, weights = vectors.indices[start:end], vectors.data[start:end]
        keep = retrievable[terms]
        terms, weights = terms[keep], weights[keep]
        top = terms[np.argsort(-weights, kind="stable")[:RETRIEVAL_TERMS]]
        r_rows += [r] * len(top)
        r_cols += top.tolist()
    retrieval = sp.csr_matrix((np.ones(len(r_rows)), (r_rows, r_cols)), shape=(n, len(vocab)))
    days = []
    for feat in features:
        try:
            days.append(date.fromisoformat(feat.day) if feat.day else None)
        except ValueError:
            days.append(None)
    return Corpus([f.article_id for f in features], vectors, days, retrieval)


def date_factor(a: date | None, b: date | None) -> float:
    """1 within DATE_GRACE_DAYS (or when a date is unknown), then an exponential decay."""
    if a is None or b is None:
        return 1.0
    gap = abs((a - b).days)
    return 1.0 if gap <= DATE_GRACE_DAYS else math.exp(-(gap - DATE_GRACE_DAYS) / DATE_DECAY_DAYS)


@dataclass
class Candidates:
    """Similar pairs {(i, j): similarity} with i < j, and how many articles had candidates left out."""

    edges: dict[tuple[int, int], float]
    capped: int = 0


def candidate_edges(corpus: Corpus, rows: Sequence[int], among: Sequence[int] | None = None) -> Candidates:
    """Similarity of each article in ``rows`` to its retrieved candidates (within ``among`` when given).

    An article with more than MAX_CANDIDATES candidates is compared with those sharing the most
    retrieval terms; ``capped`` counts such articles. Pairs below MIN_SIMILARITY are dropped.
    """
    rows = np.asarray(sorted(set(rows)), dtype=int)
    if not len(rows):
        return Candidates({})
    retrieval = corpus.retrieval
    if among is not None:
        mask = np.zeros(retrieval.shape[0])
        mask[np.asarray(list(among), dtype=int)] = 1.0
        pool = sp.diags(mask) @ retrieval
    else:
        pool = retrieval
    shared = sp.csr_matrix(retrieval[rows] @ pool.T)  # shared retrieval terms, row x article
    edges: dict[tuple[int, int], float] = {}
    capped = 0
    for k, i in enumerate(rows):
        start, end = shared.indptr[k], shared.indptr[k + 1]
        others, counts = shared.indices[start:end], shared.data[start:end]
        keep = others != i
        others, counts = others[keep], counts[keep]
        if len(others) > MAX_CANDIDATES:
            capped += 1
            order = np.lexsort((others, -counts))[:MAX_CANDIDATES]
            others = others[order]
        if not len(others):
            continue
        sims = np.asarray(corpus.vectors[others] @ corpus.vectors[i].T.toarray()).ravel()
        for j, s in zip(others.tolist(), sims.tolist(), strict=True):
            s *= date_factor(corpus.days[i], corpus.days[j])
            if s >= MIN_SIMILARITY:
                edges[(min(i, j), max(i, j))] = round(s, 6)
    return Candidates(edges, capped)


def average_linkage(
    nodes: Sequence[int],
    edges: dict[tuple[int, int], float],
    pins: dict[int, str] | None = None,
    threshold: float = THRESHOLD,
    cohesion: float = COHESION,
) -> list[list[int]]:
    """Groups of ``nodes`` by average linkage over a sparse similarity graph (see the module docstring).

    ``pins`` maps a node to the story it must be in: nodes with the same pin start together,
    nodes with different pins never end together. Work is proportional to the edges, not n².
    """
    pins = pins or {}
    members: dict[int, list[int]] = {}
    label: dict[int, str | None] = {}
    inner: dict[int, float] = {}
    of: dict[int, int] = {}
    seeds: dict[str, int] = {}
    next_id = 0
    for node in sorted(nodes):
        pin = pins.get(node)
        if pin is not None and pin in seeds:
            cid = seeds[pin]
            members[cid].append(node)
        else:
            cid = next_id
            next_id += 1
            members[cid], label[cid], inner[cid] = [node], pin, 0.0
            if pin is not None:
                seeds[pin] = cid
        of[node] = cid
    sums: dict[int, dict[int, float]] = {cid: {} for cid in members}
    for (i, j), s in edges.items():
        if i not in of or j not in of:
            continue
        a, b = of[i], of[j]
        if a == b:
            inner[a] += s
        else:
            sums[a][b] = sums[a].get(b, 0.0) + s
            sums[b][a] = sums[b].get(a, 0.0) + s

    def mean(a: int, b: int) -> float:
        return sums[a].get(b, 0.0) / (len(members[a]) * len(members[b]))

    def own(c: int) -> float | None:
        k = len(members[c])
        return inner[c] / (k * (k - 1) / 2) if k > 1 else None

    heap = [(-mean(a, b), a, b) for a in sums for b in sums[a] if a < b]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        value = mean(a, b)
        if abs(value + negative) > 1e-12:
            continue  # stale entry
        if value < threshold:
            break
        if label[a] is not None and label[b] is not None and label[a] != label[b]:
            continue
        own_a, own_b = own(a), own(b)
        if own_a is not None and own_b is not None and value < cohesion * min(own_a, own_b):
            continue
        c = next_id
        next_id += 1
        members[c] = members.pop(a) + members.pop(b)
        label_a, label_b = label.pop(a), label.pop(b)
        label[c] = label_a if label_a is not None else label_b
        inner[c] = inner.pop(a) + inner.pop(b) + sums[a].get(b, 0.0)
        merged: dict[int, float] = {}
        for old in (a, b):
            for other, s in sums.pop(old).items():
                if other in (a, b):
                    continue
                merged[other] = merged.get(other, 0.0) + s
                sums[other].pop(old, None)
        sums[c] = merged
        for other, s in merged.items():
            sums[other][c] = s
            heapq.heappush(heap, (-(s / (len(members[other]) * len(members[c]))), min(other, c), max(other, c)))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])
