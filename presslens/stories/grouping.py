"""Which articles report the same event: candidate retrieval, a pair model, then average linkage.

1. Every article is a TF-IDF vector of its event features (:mod:`.features`; sublinear term
   weights, smoothed idf over the articles being grouped).
2. Candidates: an article is compared only with the articles that share one of its
   :data:`RETRIEVAL_TERMS` heaviest features (an inverted index; features in more than
   :data:`MAX_POSTINGS` articles are too common to retrieve by), at most
   :data:`MAX_CANDIDATES` of them — never with the whole corpus.
3. Each candidate pair gets :data:`PAIR_FEATURES` — how similar the whole texts, the headlines,
   the names, the streets and ages, the numbers are; how much rare vocabulary and how many rare
   names they share; how many days lie between their dates (publication and the days the texts
   name); whether one outlet wrote both; whether both name days, ages or streets and none in
   common — and a logistic model (:class:`PairModel`, fitted on the dev corpora by
   ``benchmarks/stories.py --train``) turns them into the probability that the two report one
   event. Days apart weigh against a pair unless names, streets or dates the texts share say
   otherwise; a page that names another incident's place and victims scores low however alike
   the words of the kind are.
4. Average linkage over the candidate graph (a missing pair counts as 0): the two groups with
   the highest mean probability merge while it reaches the model's ``threshold``. Two groups of
   two or more articles do not merge when their mean is below ``cohesion`` × the looser group's
   own mean: two tight groups that resemble each other much less than themselves are two events
   of the same kind. Copies (texts with a cosine of :data:`COPY_SIMILARITY` or more: a wire story
   on two sites, one page saved twice) do not count towards a group's own mean. Articles pinned
   to different stories never meet; articles pinned to the same story start as one group.

Groups that share no pair at the threshold can never merge, so clustering a part of the corpus
that new articles touch gives the same result as clustering everything.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from itertools import chain

import numpy as np
import scipy.sparse as sp

from presslens.linkage import average_linkage, shared_term_candidates, unique_pairs
from presslens.stories.features import EventFeatures

RETRIEVAL_TERMS = 25
MAX_POSTINGS = 2000
MAX_CANDIDATES = 100
MIN_SIMILARITY = 0.02  # pairs below this are left out of the graph (they only lower an average)
COPY_SIMILARITY = 0.8  # texts this similar (cosine) are one text twice, not two reports
RARE_DF = 10  # a word in at most this many articles is rare: it names this event's things
MODEL_FILE = "grouping_model.json"

PAIR_FEATURES = (
    "similarity",  # cosine of the whole feature vectors
    "headline",  # cosine of the headlines' features
    "names",  # cosine of the capitalised words (N:)
    "identity",  # cosine of the runs of names, streets and ages (P:, S:, A:)
    "numbers",  # cosine of the numbers and ages (#:, A:)
    "rare_names",  # log(1 + idf of the names, runs and streets both have)
    "rare_words",  # log(1 + idf of the words in at most RARE_DF articles both have)
    "days_apart",  # log(1 + fewest days between a date of one and a date of the other)
    "undated",  # 1 when either has no date at all (neither published nor named)
    "same_outlet",  # 1 when one outlet wrote both
    "other_days",  # both texts name days, none in common
    "other_ages",  # both name ages, none in common
    "other_streets",  # both name streets, none in common
)
_KINDS = {"N:": 1, "P:": 2, "S:": 3, "A:": 4, "#:": 5, "Y:": 6}  # term prefix -> kind; 0: a word
_KIND_GROUPS = {"names": (1,), "identity": (2, 3, 4), "numbers": (4, 5)}


@dataclass(frozen=True)
class PairModel:
    """Logistic weights over PAIR_FEATURES, and the clustering settings chosen with them."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float  # average linkage merges groups while their mean probability reaches this
    cohesion: float = 0.0

    def probability(self, features: np.ndarray) -> np.ndarray:
        """P(one event) for each row of a pairs x PAIR_FEATURES matrix."""
        return 1.0 / (1.0 + np.exp(-(features @ np.asarray(self.weights) + self.intercept)))

    def to_dict(self) -> dict:
        return {
            "features": list(PAIR_FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "intercept": round(self.intercept, 6),
            "threshold": self.threshold,
            "cohesion": self.cohesion,
        }

    @classmethod
    def from_dict(cls, data: dict) -> PairModel:
        if list(data.get("features") or []) != list(PAIR_FEATURES):
            raise ValueError(f"{MODEL_FILE}: its features are not {', '.join(PAIR_FEATURES)}: train it again")
        return cls(
            tuple(float(w) for w in data["weights"]),
            float(data["intercept"]),
            float(data["threshold"]),
            float(data.get("cohesion") or 0.0),
        )


@functools.cache
def shipped_model() -> PairModel:
    """The pair model in presslens/data/grouping_model.json."""
    text = resources.files("presslens.data").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return PairModel.from_dict(json.loads(text))


@dataclass
class Corpus:
    """The articles being grouped: weighted term rows and what the pair features need."""

    ids: list[str]
    vectors: sp.csr_matrix  # L2-normalised TF-IDF rows
    weighted: sp.csr_matrix  # the same rows before normalisation
    norms: np.ndarray  # each weighted row's norm
    kind_norms: dict[str, np.ndarray]  # each kind group's part of a row's norm
    kind_columns: sp.csr_matrix  # term x (KIND_GROUPS, rare names, rare words, ages, streets) weights
    counts: np.ndarray  # articles x (ages, streets): how many of each an article names
    titles: sp.csr_matrix  # L2-normalised TF-IDF of the headlines' features
    days: list[date | None]  # publication days
    dates: np.ndarray  # articles x (1 + MAX_DATES) day ordinals, publication first; NaN: none
    outlets: np.ndarray  # an int per outlet, -1 - row for an unknown one (never the same)
    retrieval: sp.csr_matrix  # each row's heaviest retrievable features, 0/1

    @property
    def index(self) -> dict[str, int]:
        return {aid: i for i, aid in enumerate(self.ids)}


def _tfidf(bags: Sequence[dict[str, float]]) -> tuple[sp.csr_matrix, np.ndarray, list[str]]:
    """Sublinear tf x smoothed idf rows (not normalised), the document frequencies and the vocabulary."""
    n = len(bags)
    flat = list(chain.from_iterable(bags))
    counts = np.fromiter(chain.from_iterable(bag.values() for bag in bags), dtype=float, count=len(flat))
    rows = np.repeat(np.arange(n), [len(bag) for bag in bags])
    vocab: dict[str, int] = {}
    cols = np.fromiter((vocab.setdefault(t, len(vocab)) for t in flat), dtype=np.int64, count=len(flat))
    values = np.where(counts >= 1, 1.0 + np.log(np.maximum(counts, 1e-12)), counts)
    tf = sp.csr_matrix((values, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
    df = np.bincount(cols, minlength=len(vocab))
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    weighted = sp.csr_matrix(tf @ sp.diags(idf)) if len(vocab) else tf
    return weighted, df, list(vocab)


def _normalised(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix)


def build_corpus(features: Sequence[EventFeatures]) -> Corpus:
    """TF-IDF vectors (1 + ln tf, smoothed idf, L2-normalised), the pair features' parts, the retrieval index."""
    n = len(features)
    weighted, df, terms = _tfidf([f.terms for f in features])
    kind = np.array([_KINDS.get(t[:2], 0) for t in terms], dtype=int)
    squares = weighted.multiply(weighted).tocsr()
    kind_norms = {}
    for name, kinds in _KIND_GROUPS.items():
        mask = np.isin(kind, kinds).astype(float)
        kind_norms[name] = np.sqrt(np.asarray(squares @ mask).ravel())
    idf = np.log((1.0 + n) / (1.0 + df)) if len(terms) else np.zeros(0)
    columns = [np.isin(kind, kinds).astype(float) for kinds in _KIND_GROUPS.values()]
    columns.append(np.where(np.isin(kind, (1, 2, 3)), idf, 0.0))  # rare names
    columns.append(np.where((kind == 0) & (df <= RARE_DF), idf, 0.0))  # rare words
    columns.append((kind == 4).astype(float))  # ages
    columns.append((kind == 3).astype(float))  # streets
    kind_columns = sp.csr_matrix(np.column_stack(columns)) if len(terms) else sp.csr_matrix((0, len(columns)))
    present = sp.csr_matrix(weighted, copy=True)
    present.data[:] = 1.0
    counts = np.asarray(present @ kind_columns[:, -2:].toarray()) if len(terms) else np.zeros((n, 2))
    vectors = _normalised(weighted)
    norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
    titles = _normalised(_tfidf([f.title_terms for f in features])[0])

    retrieval = _retrieval(vectors, df <= MAX_POSTINGS)
    days = [_day(f.day) for f in features]
    width = 1 + max((len(f.dates) for f in features), default=0)
    dates = np.full((n, width), np.nan)
    for r, feat in enumerate(features):
        if days[r] is not None:
            dates[r, 0] = days[r].toordinal()
        named = [d.toordinal() for d in map(_day, feat.dates) if d is not None]
        dates[r, 1 : 1 + len(named)] = named
    codes: dict[str, int] = {}
    outlets = np.array(
        [codes.setdefault(f.outlet, len(codes)) if f.outlet else -1 - r for r, f in enumerate(features)], dtype=int
    )
    return Corpus(
        [f.article_id for f in features],
        vectors,
        weighted,
        norms,
        kind_norms,
        kind_columns,
        counts,
        titles,
        days,
        dates,
        outlets,
        retrieval,
    )


def _retrieval(vectors: sp.csr_matrix, retrievable: np.ndarray) -> sp.csr_matrix:
    """Each row's RETRIEVAL_TERMS heaviest retrievable features as 0/1 (ties: the earlier feature)."""
    position = np.arange(len(vectors.data))
    keep = retrievable[vectors.indices]
    rows = np.repeat(np.arange(vectors.shape[0]), np.diff(vectors.indptr))[keep]
    order = np.lexsort((position[keep], -vectors.data[keep], rows))
    rows, cols = rows[order], vectors.indices[keep][order]
    first = np.searchsorted(rows, rows, side="left")
    top = np.arange(len(rows)) - first < RETRIEVAL_TERMS
    return sp.csr_matrix((np.ones(top.sum()), (rows[top], cols[top])), shape=vectors.shape)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _row_dots(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()


def pair_features(corpus: Corpus, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The PAIR_FEATURES of the pairs (i[k], j[k]), one row each."""
    out = np.zeros((len(i), len(PAIR_FEATURES)))
    if not len(i):
        return out
    shared = corpus.weighted[i].multiply(corpus.weighted[j]).tocsr()  # the terms both have, weight²
    by_kind = np.asarray(shared @ corpus.kind_columns[:, : len(_KIND_GROUPS)].toarray())
    both = sp.csr_matrix(shared, copy=True)
    both.data[:] = 1.0
    rare_and_kinds = np.asarray(both @ corpus.kind_columns[:, len(_KIND_GROUPS) :].toarray())
    out[:, 0] = np.asarray(shared.sum(axis=1)).ravel() / np.maximum(corpus.norms[i] * corpus.norms[j], 1e-12)
    out[:, 1] = _row_dots(corpus.titles[i], corpus.titles[j])
    for k, name in enumerate(_KIND_GROUPS):
        norms = corpus.kind_norms[name]
        out[:, 2 + k] = by_kind[:, k] / np.maximum(norms[i] * norms[j], 1e-12)
    out[:, 5] = np.log1p(rare_and_kinds[:, 0])
    out[:, 6] = np.log1p(rare_and_kinds[:, 1])
    nearest, named = _nearest_days(corpus.dates, i, j)
    dated = np.isfinite(nearest)
    out[:, 7] = np.log1p(np.where(dated, nearest, 0.0))
    out[:, 8] = ~dated
    out[:, 9] = corpus.outlets[i] == corpus.outlets[j]
    out[:, 10] = np.isfinite(named) & (named > 0)
    counts_i, counts_j = corpus.counts[i], corpus.counts[j]
    out[:, 11] = (counts_i[:, 0] > 0) & (counts_j[:, 0] > 0) & (rare_and_kinds[:, 2] == 0)
    out[:, 12] = (counts_i[:, 1] > 0) & (counts_j[:, 1] > 0) & (rare_and_kinds[:, 3] == 0)
    return out


DATE_CHUNK = 8192  # pairs whose day gaps are compared at once (each pair: (1 + MAX_DATES)² gaps)


def _nearest_days(dates: np.ndarray, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the fewest days between any date of one and any of the other, and between
    the days their texts name (inf when a side has none)."""
    nearest, named = np.full(len(i), np.inf), np.full(len(i), np.inf)
    filled = np.where(np.isnan(dates), np.inf, dates)
    for start in range(0, len(i), DATE_CHUNK):
        left, right = filled[i[start : start + DATE_CHUNK]], filled[j[start : start + DATE_CHUNK]]
        with np.errstate(invalid="ignore"):  # inf - inf: no date on either side
            gaps = np.abs(left[:, :, None] - right[:, None, :])
        gaps = np.where(np.isnan(gaps), np.inf, gaps)
        nearest[start : start + DATE_CHUNK] = gaps.min(axis=(1, 2))
        if gaps.shape[1] > 1:
            named[start : start + DATE_CHUNK] = gaps[:, 1:, 1:].min(axis=(1, 2))
    return nearest, named


@dataclass
class Candidates:
    """Similar pairs {(i, j): probability} with i < j, the pairs that are copies, and how many
    articles had candidates left out."""

    edges: dict[tuple[int, int], float]
    capped: int = 0
    copies: set[tuple[int, int]] = field(default_factory=set)


def candidate_pairs(
    corpus: Corpus, rows: Sequence[int], among: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """Each article of ``rows`` with its retrieved candidates (within ``among`` when given): (i, j)
    index arrays with i < j, each pair once (at most MAX_CANDIDATES x rows of them), and how many
    articles had more than MAX_CANDIDATES (they keep those sharing the most retrieval terms)."""
    lefts, rights, capped = [], [], 0
    for left, right, chunk_capped in shared_term_candidates(corpus.retrieval, rows, among, MAX_CANDIDATES):
        lefts.append(left)
        rights.append(right)
        capped += len(chunk_capped)
    if not lefts:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int), capped
    pairs = unique_pairs(np.concatenate(lefts), np.concatenate(rights))
    return pairs[:, 0], pairs[:, 1], capped


def scored_pairs(i: np.ndarray, j: np.ndarray, features: np.ndarray, model: PairModel) -> Candidates:
    """The pairs' probabilities as graph edges (those of MIN_SIMILARITY or more), and which are copies."""
    probabilities = np.round(model.probability(features), 6)
    keep = probabilities >= MIN_SIMILARITY
    copy = keep & (features[:, PAIR_FEATURES.index("similarity")] >= COPY_SIMILARITY)
    pairs = zip(i[keep].tolist(), j[keep].tolist(), strict=True)
    edges = dict(zip(pairs, probabilities[keep].tolist(), strict=True))
    return Candidates(edges, 0, set(zip(i[copy].tolist(), j[copy].tolist(), strict=True)))


PAIR_CHUNK = 5_000  # pairs whose features are computed at once (their rows copied: memory)


def candidate_edges(
    corpus: Corpus, rows: Sequence[int], among: Sequence[int] | None = None, model: PairModel | None = None
) -> Candidates:
    """The probability that each article in ``rows`` reports one event with each of its retrieved
    candidates (within ``among`` when given); ``capped`` counts the articles that had too many."""
    model = model or shipped_model()
    i, j, capped = candidate_pairs(corpus, rows, among)
    found = Candidates({}, capped)
    for start in range(0, len(i), PAIR_CHUNK):
        left, right = i[start : start + PAIR_CHUNK], j[start : start + PAIR_CHUNK]
        chunk = scored_pairs(left, right, pair_features(corpus, left, right), model)
        found.edges.update(chunk.edges)
        found.copies |= chunk.copies
    return found


def group_articles(
    nodes: Sequence[int],
    candidates: Candidates,
    pins: dict[int, str] | None = None,
    model: PairModel | None = None,
) -> list[list[int]]:
    """Stories of ``nodes``: average linkage at the model's threshold with the cohesion and copy rules above."""
    model = model or shipped_model()
    return average_linkage(
        nodes, candidates.edges, model.threshold, pins=pins, cohesion=model.cohesion, copies=candidates.copies
    )
