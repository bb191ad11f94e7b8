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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp

from presslens.linkage import average_linkage, shared_term_candidates, unique_pairs
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
    edges: dict[tuple[int, int], float] = {}
    capped = 0
    for left, right, chunk_capped in shared_term_candidates(corpus.retrieval, rows, among, MAX_CANDIDATES):
        capped += len(chunk_capped)
        pairs = [(a, b) for a, b in unique_pairs(left, right).tolist() if (a, b) not in edges]
        if not pairs:
            continue
        i, j = np.array([a for a, _b in pairs]), np.array([b for _a, b in pairs])
        sims = np.asarray(corpus.vectors[i].multiply(corpus.vectors[j]).sum(axis=1)).ravel()
        for a, b, value in zip(i.tolist(), j.tolist(), sims.tolist(), strict=True):
            edges[(a, b)] = round(value * date_factor(corpus.days[a], corpus.days[b]), 6)
    edges = {pair: value for pair, value in edges.items() if value >= MIN_SIMILARITY}
    return Candidates(edges, capped)


def group_articles(
    nodes: Sequence[int], edges: dict[tuple[int, int], float], pins: dict[int, str] | None = None
) -> list[list[int]]:
    """Stories of ``nodes``: average linkage at THRESHOLD with the cohesion and copy rules above."""
    return average_linkage(nodes, edges, THRESHOLD, pins=pins, cohesion=COHESION, copy_similarity=COPY_SIMILARITY)
