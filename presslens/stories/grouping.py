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
   name, one of them a publication date when both are dated: two reports months apart that both name the
   day of an old attack are not close; unknown when an undated page names only days before the other's
   publication); whether one outlet wrote both, and whether it then names other days or streets (an
   outlet's two reports of different incidents); whether both name days, ages or streets and none in
   common; whether both name a holder of one office and never the same one — and a
   logistic model (:class:`PairModel`, fitted on the dev corpora by ``benchmarks/stories.py
   --train``) turns them into the probability that the two report one event. Days apart weigh
   against a pair unless names, streets or dates the texts share say otherwise; a page that
   names another incident's place and victims scores low however alike the words of the kind are.
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

import numpy as np
import scipy.sparse as sp

from presslens.linkage import average_linkage, shared_term_candidates, unique_pairs
from presslens.stories.features import EventFeatures, office_holder
from presslens.stories.grouping_store import GroupingStore, Row

RETRIEVAL_TERMS = 25
MAX_POSTINGS = 2000
MAX_CANDIDATES = 100
TOP_CHUNK_ROWS = 256  # rows whose retrieval terms are found at once (~10 arrays of MAX_TERMS float64 each: ~6 MB)
MIN_SIMILARITY = 0.02  # pairs below this are left out of the graph (they only lower an average)
COPY_SIMILARITY = 0.8  # texts this similar (cosine) are one text twice, not two reports
RARE_DF = 10  # a word in at most this many articles is rare: it names this event's things
MIN_IDF_ARTICLES = 10  # rarity is judged as in a corpus of at least this many articles (:func:`_idf_articles`)
MODEL_FILE = "grouping_model.json"

PAIR_FEATURES = (
    "similarity",  # cosine of the whole feature vectors
    "headline",  # cosine of the headlines' features
    "names",  # cosine of the capitalised words (N:)
    "identity",  # cosine of the runs of names, streets and ages (P:, S:, A:)
    "numbers",  # cosine of the numbers and ages (#:, A:)
    "rare_names",  # log(1 + idf of the names, runs and streets both have)
    "rare_words",  # log(1 + idf of the words in at most RARE_DF articles both have)
    "days_apart",  # log(1 + fewest days between the dates of the two, one a publication date when both have one)
    "undated",  # 1 when either has no date at all (neither published nor named)
    "same_outlet",  # 1 when one outlet wrote both
    "other_days",  # both texts name days, none in common
    "other_ages",  # both name ages, none in common
    "other_streets",  # both name streets, none in common
    "outlet_other_days",  # one outlet wrote both, and they name days, none in common
    "outlet_other_streets",  # one outlet wrote both, and they name streets, none in common
    "other_holders",  # both name a holder of one office (:func:`.features.office_holder`), never the same person
)
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


class Corpus:
    """The articles being grouped, as raw term counts (rows in the order given) and the document
    frequencies over them. Weights are applied to the rows a step scores, not to the whole corpus:
    a row's TF-IDF depends on the idf, which every new article moves, and weighing the same counts
    with the same idf gives the same numbers whether the rows came from a store or from scratch."""

    def __init__(self, store: GroupingStore, rows: Sequence[int]):
        self.store = store
        self.rows = np.asarray(rows, dtype=np.int64)  # corpus row -> store row
        self.position = np.full(len(store.ids), -1, dtype=np.int64)  # store row -> corpus row (-1: none)
        self.position[self.rows] = np.arange(len(self.rows))
        order = self.rows.tolist()
        self.ids = [store.ids[r] for r in order]
        self.titles = [store.titles[r] for r in order]
        self.pinned = [store.pinned[r] for r in order]
        self.vocab, self.title_vocab = store.vocab, store.title_vocab
        self.dates = store.dates[self.rows]
        codes: dict[str, int] = {}
        self.outlets = np.array(
            [
                codes.setdefault(store.outlets[r], len(codes)) if store.outlets[r] else -1 - k
                for k, r in enumerate(order)
            ],
            dtype=int,
        )
        n = len(self.rows)
        self.idf_articles = _idf_articles(n)  # what every idf of this corpus is taken over
        self.idf = np.log((1.0 + self.idf_articles) / (1.0 + self.vocab.df)) + 1.0
        self.title_idf = np.log((1.0 + self.idf_articles) / (1.0 + self.title_vocab.df)) + 1.0
        self.retrievable = self.vocab.df <= MAX_POSTINGS
        self._top_found = np.zeros(n, dtype=bool)  # rows whose retrieval terms are found
        self._top: list[tuple[np.ndarray, np.ndarray]] = []  # (row, term) of those rows
        self.prepared: np.ndarray = np.zeros(0, dtype=np.int64)  # the rows weighed, sorted
        self.local = np.full(n, -1, dtype=np.int64)  # row -> its place among the weighed rows

    @property
    def index(self) -> dict[str, int]:
        return {aid: i for i, aid in enumerate(self.ids)}

    @property
    def days(self) -> list[date | None]:
        """Publication days (None: none)."""
        return [date.fromordinal(int(d)) if np.isfinite(d) else None for d in self.dates[:, 0]]

    @property
    def terms(self) -> np.ndarray:
        """Every row's term ids (-1: none), in the vocabulary's (sorted) order."""
        return self.store.terms.block(self.rows)[0]

    @property
    def retrieval(self) -> sp.csr_matrix:
        """Each row's RETRIEVAL_TERMS heaviest retrievable features as 0/1 (rows x vocabulary)."""
        return self.retrieval_for(np.arange(len(self.rows)))

    def _top_terms(self, rows: np.ndarray) -> None:
        """Find the retrieval terms of ``rows`` not found yet (kept for the next call of this run)."""
        rows = rows[~self._top_found[rows]]
        if not len(rows):
            return
        for start in range(0, len(rows), TOP_CHUNK_ROWS):
            chunk = rows[start : start + TOP_CHUNK_ROWS]
            store_rows = self.rows[chunk]
            local, terms = _top_terms(*self.store.terms.block(store_rows), self.idf, self.retrievable)
            self._top.append((chunk[local], terms))
        self._top_found[rows] = True

    def _found(self) -> tuple[np.ndarray, np.ndarray]:
        if not self._top:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate([r for r, _ in self._top]), np.concatenate([t for _, t in self._top])

    def retrieval_for(self, query: Sequence[int]) -> sp.csr_matrix:
        """The retrieval rows that candidates of ``query`` depend on: those of ``query`` and of every
        row holding one of their retrieval terms (the others are left empty: they share none). A row's
        heaviest terms depend only on its counts and the idf, so they are the same computed alone."""
        query = np.unique(np.asarray(query, dtype=np.int64))
        shape = (len(self.rows), max(len(self.idf), 1))
        self._top_terms(query)
        rows, terms = self._found()
        if len(query) < len(self.rows):
            of_query = np.zeros(len(self.rows), dtype=bool)
            of_query[query] = True
            wanted = np.zeros(len(self.idf) + 1, dtype=bool)  # the last slot: -1, no term
            wanted[terms[of_query[rows]]] = True
            holders = self.position[self.store.terms.holding(wanted)]
            query = np.union1d(query, holders[holders >= 0])
            self._top_terms(query)
            rows, terms = self._found()
        keep = np.isin(rows, query)
        return sp.csr_matrix((np.ones(int(keep.sum())), (rows[keep], terms[keep])), shape=shape)

    def prepare(self, rows: np.ndarray) -> None:
        """Weigh ``rows`` (with those weighed already): their TF-IDF rows and what pair features need."""
        wanted = np.union1d(self.prepared, np.asarray(rows, dtype=np.int64))
        if len(wanted) == len(self.prepared):
            return
        self.prepared = wanted
        self.local[:] = -1
        self.local[wanted] = np.arange(len(wanted))
        store_rows = self.rows[wanted]
        weighted, terms = _weighted_rows(*self.store.terms.block(store_rows), self.idf)
        self.weighted = weighted
        df = self.vocab.df[terms]
        kind = self.vocab.kinds[terms].astype(int)
        squares = weighted.multiply(weighted).tocsr()
        self.kind_norms = {}
        for name, kinds in _KIND_GROUPS.items():
            mask = np.isin(kind, kinds).astype(float)
            self.kind_norms[name] = np.sqrt(np.asarray(squares @ mask).ravel())
        idf = np.log((1.0 + self.idf_articles) / (1.0 + df))
        columns = [np.isin(kind, kinds).astype(float) for kinds in _KIND_GROUPS.values()]
        columns.append(np.where(np.isin(kind, (1, 2, 3)), idf, 0.0))  # rare names
        columns.append(np.where((kind == 0) & (df <= RARE_DF), idf, 0.0))  # rare words
        columns.append((kind == 4).astype(float))  # ages
        columns.append((kind == 3).astype(float))  # streets
        self.kind_columns = np.column_stack(columns)
        present = sp.csr_matrix(weighted, copy=True)
        present.data[:] = 1.0
        self.kind_counts = np.asarray(present @ self.kind_columns[:, -2:])  # ages, streets
        self.norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
        title_rows = _weighted_rows(*self.store.title_terms.block(store_rows), self.title_idf)[0]
        self.headlines = _normalised(title_rows)
        self.holders = _office_holders(weighted, terms, kind, self.vocab.terms)
        self.has_holders = np.array([h is not None for h in self.holders], dtype=bool)


def _office_holders(
    weighted: sp.csr_matrix, terms: np.ndarray, kind: np.ndarray, vocabulary: list[str]
) -> list[dict[str, set[str]] | None]:
    """Each weighed row's {office: holders' surnames} from the ``P:`` runs it holds (``weighted``'s columns are
    the vocabulary ids ``terms``, of kinds ``kind``); None when it names no holder of an office."""
    holder_of: dict[int, tuple[str, str]] = {}  # weighted's column -> (office, holder)
    for column in np.flatnonzero(kind == 2).tolist():
        found = office_holder(vocabulary[terms[column]])
        if found:
            holder_of[column] = found
    out: list[dict[str, set[str]] | None] = [None] * weighted.shape[0]
    if not holder_of:
        return out
    columns = np.fromiter(holder_of, dtype=np.int64, count=len(holder_of))
    runs = weighted[:, columns].tocsr()
    for row in np.flatnonzero(np.diff(runs.indptr)).tolist():
        offices: dict[str, set[str]] = {}
        for k in runs.indices[runs.indptr[row] : runs.indptr[row + 1]].tolist():
            office, holder = holder_of[int(columns[k])]
            offices.setdefault(office, set()).add(holder)
        out[row] = offices
    return out


def _other_holders(left: dict[str, set[str]] | None, right: dict[str, set[str]] | None) -> bool:
    """Both name a holder of one office, and for no office they both fill the same person."""
    shared = left.keys() & right.keys() if left and right else ()
    return bool(shared) and all(not left[office] & right[office] for office in shared)


def _idf_articles(n: int) -> int:
    """The article count an idf is taken over: a few articles cannot tell which words are rare (two reports of
    one event share every name, each then "in all articles"), so a corpus under MIN_IDF_ARTICLES counts as that
    many, the missing ones without the term — as in the stream of other events around any story."""
    return max(n, MIN_IDF_ARTICLES)


def _sublinear(counts: np.ndarray) -> np.ndarray:
    """1 + ln(count) (counts below 1 as they are), in float64 (the store keeps whole counts in float32)."""
    counts = counts.astype(np.float64)
    return np.where(counts >= 1, 1.0 + np.log(np.maximum(counts, 1e-12)), counts)


def _weighted_rows(terms: np.ndarray, counts: np.ndarray, idf: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sublinear tf x idf of term-block rows, over the terms they hold (columns in vocabulary order,
    which is the terms' sorted order), and those terms' vocabulary ids."""
    present = terms >= 0
    ids = terms[present]
    columns, local = np.unique(ids, return_inverse=True)
    values = _sublinear(counts[present]) * idf[ids]
    rows = np.repeat(np.arange(len(terms)), present.sum(axis=1))
    matrix = sp.csr_matrix((values, (rows, local.ravel())), shape=(len(terms), len(columns)), dtype=np.float64)
    return matrix, columns


def _normalised(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix)


def build_corpus(features: Sequence[EventFeatures]) -> Corpus:
    """The corpus of ``features``, in their order (counted from scratch, as a store rebuilt would)."""
    store = GroupingStore()
    store.apply([Row(f.article_id, 0, 0, "", f) for f in features])
    return Corpus(store, range(len(features)))


def corpus_of(store: GroupingStore) -> Corpus:
    """The store's live articles, in article id order."""
    return Corpus(store, store.articles())


def _top_terms(
    terms: np.ndarray, counts: np.ndarray, idf: np.ndarray, retrievable: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's RETRIEVAL_TERMS heaviest retrievable features as (row, term id) arrays (ties: the
    earlier feature in the row, rows holding their terms in sorted order), the block at once."""
    present = terms >= 0
    safe = np.where(present, terms, 0)
    weights = np.where(present & retrievable[safe], _sublinear(counts) * idf[safe], -np.inf)
    k = RETRIEVAL_TERMS
    width = weights.shape[1]
    kth = np.partition(weights, width - k, axis=1)[:, width - k] if width > k else np.full(len(weights), -np.inf)
    finite = np.isfinite(weights)
    above = weights > kth[:, None]
    tied = (weights == kth[:, None]) & finite
    room = k - above.sum(axis=1)
    take = (above | (tied & (np.cumsum(tied, axis=1) <= room[:, None]))) & finite
    rows, positions = np.nonzero(take)
    return rows, terms[rows, positions]


def _row_dots(left: sp.csr_matrix, right: sp.csr_matrix) -> np.ndarray:
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()


def pair_features(corpus: Corpus, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The PAIR_FEATURES of the pairs (i[k], j[k]), one row each (the rows they need weighed first)."""
    out = np.zeros((len(i), len(PAIR_FEATURES)))
    if not len(i):
        return out
    corpus.prepare(np.union1d(i, j))
    li, lj = corpus.local[i], corpus.local[j]
    shared = corpus.weighted[li].multiply(corpus.weighted[lj]).tocsr()  # the terms both have, weight²
    by_kind = np.asarray(shared @ corpus.kind_columns[:, : len(_KIND_GROUPS)])
    both = sp.csr_matrix(shared, copy=True)
    both.data[:] = 1.0
    rare_and_kinds = np.asarray(both @ corpus.kind_columns[:, len(_KIND_GROUPS) :])
    out[:, 0] = np.asarray(shared.sum(axis=1)).ravel() / np.maximum(corpus.norms[li] * corpus.norms[lj], 1e-12)
    out[:, 1] = _row_dots(corpus.headlines[li], corpus.headlines[lj])
    for k, name in enumerate(_KIND_GROUPS):
        norms = corpus.kind_norms[name]
        out[:, 2 + k] = by_kind[:, k] / np.maximum(norms[li] * norms[lj], 1e-12)
    out[:, 5] = np.log1p(rare_and_kinds[:, 0])
    out[:, 6] = np.log1p(rare_and_kinds[:, 1])
    nearest, named = _nearest_days(corpus.dates, i, j)
    unknown = _background_only(corpus.dates, i, j)
    nearest[unknown], named[unknown] = np.inf, np.inf
    dated = np.isfinite(nearest)
    out[:, 7] = np.log1p(np.where(dated, nearest, 0.0))
    out[:, 8] = ~dated
    out[:, 9] = corpus.outlets[i] == corpus.outlets[j]
    out[:, 10] = np.isfinite(named) & (named > 0)
    counts_i, counts_j = corpus.kind_counts[li], corpus.kind_counts[lj]
    out[:, 11] = (counts_i[:, 0] > 0) & (counts_j[:, 0] > 0) & (rare_and_kinds[:, 2] == 0)
    out[:, 12] = (counts_i[:, 1] > 0) & (counts_j[:, 1] > 0) & (rare_and_kinds[:, 3] == 0)
    out[:, 13] = out[:, 9] * out[:, 10]
    out[:, 14] = out[:, 9] * out[:, 12]
    both_hold = np.flatnonzero(corpus.has_holders[li] & corpus.has_holders[lj])  # most pages name no office's holder
    holders = corpus.holders
    pairs = zip(li[both_hold].tolist(), lj[both_hold].tolist(), strict=True)
    out[both_hold, 15] = [_other_holders(holders[a], holders[b]) for a, b in pairs]
    return out


def _background_only(dates: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Pairs whose one side has no publication date and names only days before the other's: those days bound
    when it was published from below (no earlier than the last of them), not when: the pair's distance in days
    is unknown ("undated"), not the distance to a background date ("the contract, signed on June 2, 2024" in a
    report of 2026 saved as text without its date, against the same event's dated reports)."""
    out = np.zeros(len(i), dtype=bool)
    for undated, other in ((i, j), (j, i)):
        with np.errstate(all="ignore"):  # a side that names no day: all-NaN, its latest NaN
            latest = np.fmax.reduce(dates[undated, 1:], axis=1)
        published = dates[other, 0]
        out |= np.isnan(dates[undated, 0]) & np.isfinite(published) & (latest < published)
    return out


DATE_CHUNK = 8192  # pairs whose day gaps are compared at once (each pair: (1 + MAX_DATES)² gaps)


def _nearest_days(dates: np.ndarray, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the fewest days between a date of one and a date of the other — when both are
    dated, one of the two a publication date (a day both texts name as background, an old attack or a
    law's passing, does not make reports months apart close) — and between the days their texts
    name (inf when a side has none)."""
    nearest, named = np.full(len(i), np.inf), np.full(len(i), np.inf)
    filled = np.where(np.isnan(dates), np.inf, dates)
    for start in range(0, len(i), DATE_CHUNK):
        left, right = filled[i[start : start + DATE_CHUNK]], filled[j[start : start + DATE_CHUNK]]
        with np.errstate(invalid="ignore"):  # inf - inf: no date on either side
            gaps = np.abs(left[:, :, None] - right[:, None, :])
        gaps = np.where(np.isnan(gaps), np.inf, gaps)
        published = np.minimum(gaps[:, 0, :].min(axis=1), gaps[:, :, 0].min(axis=1))
        dated = np.isfinite(left[:, 0]) & np.isfinite(right[:, 0])
        nearest[start : start + DATE_CHUNK] = np.where(dated, published, gaps.min(axis=(1, 2)))
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
    retrieval = corpus.retrieval_for(rows)
    for left, right, chunk_capped in shared_term_candidates(retrieval, rows, among, MAX_CANDIDATES):
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
    corpus.prepare(np.union1d(i, j))  # every row the pairs need, weighed once
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
