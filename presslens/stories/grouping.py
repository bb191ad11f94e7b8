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
   than themselves are two events of the same kind. Copies (pairs at :data:`COPY_SIMILARITY`
   or more: a wire story on two sites, one page saved twice) do not count towards a group's
   own similarity, or a story's syndicated copies would wall it off from its other reports.
   Articles pinned to different stories never meet; articles pinned to the same story start
   as one group.

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
COPY_SIMILARITY = 0.8  # a pair this similar is one text twice, not two reports
ROW_CHUNK = 256  # articles whose candidates are retrieved and scored at once (bounds the memory of one step)


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
    edges: dict[tuple[int, int], float] = {}
    capped = 0
    for first in range(0, len(rows), ROW_CHUNK):  # a chunk of rows at a time bounds the memory of the step
        chunk = rows[first : first + ROW_CHUNK]
        shared = sp.csr_matrix(retrieval[chunk] @ pool.T)  # shared retrieval terms, row x article
        left, right = [], []
        for k, i in enumerate(chunk):
            start, end = shared.indptr[k], shared.indptr[k + 1]
            others, counts = shared.indices[start:end], shared.data[start:end]
            keep = others != i
            others, counts = others[keep], counts[keep]
            if len(others) > MAX_CANDIDATES:
                capped += 1
                others = others[np.lexsort((others, -counts))[:MAX_CANDIDATES]]
            left.append(np.minimum(others, i))
            right.append(np.maximum(others, i))
        pairs = np.unique(np.stack([np.concatenate(left), np.concatenate(right)], axis=1), axis=0)
        pairs = [(a, b) for a, b in pairs.tolist() if (a, b) not in edges]
        if not pairs:
            continue
        i, j = np.array([a for a, _b in pairs]), np.array([b for _a, b in pairs])
        sims = np.asarray(corpus.vectors[i].multiply(corpus.vectors[j]).sum(axis=1)).ravel()
        for a, b, value in zip(i.tolist(), j.tolist(), sims.tolist(), strict=True):
            value *= date_factor(corpus.days[a], corpus.days[b])
            edges[(a, b)] = round(value, 6)
    edges = {pair: value for pair, value in edges.items() if value >= MIN_SIMILARITY}
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
    nodes with different pins never end together. Work is proportional to the edges (a merge
    touches the two groups' neighbours), not to n².
    """
    pins = pins or {}
    members: dict[int, set[int]] = {}
    label: dict[int, str | None] = {}
    inner: dict[int, float] = {}  # sum of similarities inside a group, copies left out
    copies: dict[int, int] = {}  # pairs of copies inside a group
    copy_of: dict[int, list[int]] = {}  # node -> the nodes it is a copy of
    of: dict[int, int] = {}
    seeds: dict[str, int] = {}
    next_id = 0
    for node in sorted(nodes):
        pin = pins.get(node)
        if pin is not None and pin in seeds:
            cid = seeds[pin]
            members[cid].add(node)
        else:
            cid = next_id
            next_id += 1
            members[cid], label[cid], inner[cid], copies[cid] = {node}, pin, 0.0, 0
            if pin is not None:
                seeds[pin] = cid
        of[node] = cid
    sums: dict[int, dict[int, float]] = {cid: {} for cid in members}
    for (i, j), s in edges.items():
        if i not in of or j not in of:
            continue
        a, b = of[i], of[j]
        if s >= COPY_SIMILARITY:
            copy_of.setdefault(i, []).append(j)
            copy_of.setdefault(j, []).append(i)
        if a == b and s >= COPY_SIMILARITY:
            copies[a] += 1
        elif a == b:
            inner[a] += s
        else:
            sums[a][b] = sums[a].get(b, 0.0) + s
            sums[b][a] = sums[b].get(a, 0.0) + s
    similarity = {pair: s for pair, s in edges.items() if s >= COPY_SIMILARITY}

    def mean(a: int, b: int) -> float:
        return sums[a].get(b, 0.0) / (len(members[a]) * len(members[b]))

    def own(c: int) -> float | None:
        """Mean similarity of the group's pairs that are not copies; None for a single text."""
        k = len(members[c])
        pairs = k * (k - 1) // 2 - copies[c]
        return inner[c] / pairs if pairs > 0 else None

    def copies_between(small: set[int], large: set[int]) -> tuple[int, float]:
        count, total = 0, 0.0
        for i in small:
            for j in copy_of.get(i, ()):
                if j in large:
                    count += 1
                    total += similarity[(min(i, j), max(i, j))]
        return count, total

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
        small, large = sorted((members.pop(a), members.pop(b)), key=len)
        n_copies, copy_sum = copies_between(small, large)
        large |= small
        members[c] = large
        label_a, label_b = label.pop(a), label.pop(b)
        label[c] = label_a if label_a is not None else label_b
        inner[c] = inner.pop(a) + inner.pop(b) + sums[a].get(b, 0.0) - copy_sum
        copies[c] = copies.pop(a) + copies.pop(b) + n_copies
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
