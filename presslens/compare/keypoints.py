"""Key points: the facts of a story, aligned across its outlets.

1. Every article is cut into *units*: sentences, split further at clause boundaries
   (";", ", which", ", while", ", but", ", and <verb>", ", <verb>ing", "as per", a dash,
   and a passive "… <verb>ed … by Name") so a sentence that reports two facts gives two units.
2. Units are compared by TF-IDF cosine over prefix stems and stem bigrams (so "economic"
   matches "economics" and "information security" counts as a phrase), raised to half the
   idf-weighted containment of a short unit in a longer one. Only units that share a
   feature are compared (an inverted index), so a story of 1,000 articles costs about 1,000
   times one article, not a million times: the similarity graph is sparse, and in big stories
   each unit keeps only its strongest partners (:data:`EXACT_UNITS`, :data:`MAX_NEIGHBOURS`).
3. Units are clustered across outlets (average linkage over that graph, mean similarity >=
   SIMILARITY); two units of the same outlet are never linked, so a cluster is one fact as
   several outlets report it, not one outlet's paragraph.
4. An outlet *covers* a key point when one of its units is in the cluster, or when one of
   its units is at least COVER_SIMILARITY-similar to a unit of it (one long sentence can
   report several facts). The sentences holding those units are the key point's *evidence*.

Each key point's label is its most central unit. The default backend is lexical and needs no
model. The optional *semantic* backend (``PRESSLENS_SIMILARITY=semantic`` or ``presslens run
--similarity semantic``; installed by ``make install-semantic``) compares units by the cosine of
their all-MiniLM-L6-v2 sentence embeddings (:mod:`presslens.compare.embeddings`) instead, with
its own thresholds: embedding cosines run higher than TF-IDF cosines for the same pair.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from presslens.clean.topic import content_stems
from presslens.linkage import average_linkage, shared_term_candidates
from presslens.sentences import split_sentences

SIMILARITY = 0.22  # cosine needed to put two outlets' units in one key point (see README: chosen on the seeds)
COVER_SIMILARITY = 0.35  # cosine for a unit outside the cluster to count as covering it
SEMANTIC_SIMILARITY = 0.65  # the same two thresholds for embedding cosines (README: chosen on the seeds)
SEMANTIC_COVER = 0.6
BACKEND_ENV = "PRESSLENS_SIMILARITY"
# backend -> (clustering threshold, cover threshold); both chosen where the seeds' acceptance holds (README)
BACKENDS = {"lexical": (SIMILARITY, COVER_SIMILARITY), "semantic": (SEMANTIC_SIMILARITY, SEMANTIC_COVER)}
MAX_UNITS_PER_ARTICLE = 250  # key points come from an article's first 250 clauses (the stories table counts cuts)
MIN_UNIT_STEMS = 3  # shorter clause fragments stay with their neighbour
LIST_ITEM_STEMS = 4  # both sides of a comma need this many content words to become two units
CONTAINMENT_WEIGHT = 0.5  # a unit whose weighted words all appear in a longer one counts as 0.5 similar
HEADLINE_SIMILARITY = 0.15  # headlines are short and worded apart from the body: a lower bar
HEADLINE_NEAR_BEST = 0.8  # and only the key points nearly as close as the closest one
# bounds of the similarity graph (near-linear in the units of a story, whatever its size)
MAX_POSTINGS = 2000  # a feature in more units than this is too common to find partners by
MAX_CANDIDATES = 400  # partners scored per unit: those sharing the most features
EXACT_UNITS = 3000  # up to this many units every pair that can be similar is kept
MAX_NEIGHBOURS = 40  # beyond it each unit keeps its 40 most similar partners ...
COVER_NEIGHBOURS = 200  # ... and up to 200 at cover level (wire copies repeat a unit many times)
SEMANTIC_CHUNK = 512  # units whose embedding similarities are computed at once
SEMANTIC_FLOOR = 0.2  # beyond EXACT_UNITS, embedding similarities below this are not kept

_CLAUSE = re.compile(
    r";\s+"
    r"|,\s+(?=(?:which|while|but|whereas|although|with)\b)"
    r"|,\s+(?=and\s+[a-z]+\b(?!\s+(?:and|or)\b))"
    r"|,\s+(?=[a-z]+ing\b)"
    r"|\s+as per\s+"
    r"|\s+[–—]\s+"
    r"|\s+(?=[a-z]+ed\s+(?:[a-z]+\s+){0,3}by\s+[A-Z])"
)


@dataclass
class Unit:
    outlet: str
    article_id: str
    order: int  # unit index in the article (0 = the article's first clause)
    sentence: int  # sentence index in the article (0 = first)
    paragraph: int  # paragraph index (0 = first)
    position: float  # sentence / number of sentences, 0–1
    text: str


@dataclass
class KeyPoint:
    id: str
    label: str
    units: list[Unit] = field(default_factory=list)
    covered_by: dict[str, float] = field(default_factory=dict)  # outlet -> first position (0-1)
    sentences: dict[str, list[int]] = field(default_factory=dict)  # outlet -> sentence indexes
    evidence: dict[str, set[int]] = field(default_factory=dict)  # article id -> sentences that report it


_COMMA_LOWER = re.compile(r",\s+(?=(?!and\b|or\b|nor\b)[a-z])")


def _split_long_list(part: str) -> list[str]:
    """Split "A, b …" at a comma before a lower-case word when both sides carry a fact of their own
    ("Promote cooperation in information security, defend equal rights …"); short list items
    ("agriculture, education, health") stay together."""
    pieces = _COMMA_LOWER.split(part)
    out: list[str] = []
    for piece in pieces:
        if out and len(content_stems(out[-1])) >= LIST_ITEM_STEMS and len(content_stems(piece)) >= LIST_ITEM_STEMS:
            out.append(piece)
        elif out:
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def split_units(text: str) -> list[tuple[int, int, str]]:
    """(sentence index, paragraph index, clause) for every clause-level unit of an article."""
    units: list[tuple[int, int, str]] = []
    sentence_index = 0
    for p_index, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
        for sentence in split_sentences(paragraph):
            bullet = sentence.lstrip()[:1] in "–—-•*"
            parts = [p.strip(" ,.;–—-") for p in _CLAUSE.split(sentence.lstrip("–—-•* ")) if p and p.strip(" ,.;")]
            if bullet:  # list items join imperative clauses with bare commas ("Promote X, defend Y")
                parts = [piece for part in parts for piece in _split_long_list(part)]
            merged: list[str] = []
            for part in parts:
                if merged and len(content_stems(part)) < MIN_UNIT_STEMS:
                    merged[-1] = f"{merged[-1]}, {part}"
                elif not merged or len(content_stems(merged[-1])) >= MIN_UNIT_STEMS:
                    merged.append(part)
                else:
                    merged[-1] = f"{merged[-1]}, {part}"
            units += [(sentence_index, p_index, m) for m in merged if content_stems(m)]
            sentence_index += 1
    return units


def features(text: str) -> list[str]:
    """Prefix stems and adjacent stem bigrams of a unit."""
    from presslens.clean.topic import STEM_LEN, STOPWORDS, WORD

    stems = [
        w.lower()[:STEM_LEN]
        for w in WORD.findall(text)
        if len(w) >= 3 and not w.isdigit() and w.lower() not in STOPWORDS
    ]
    return stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]


def similarity_backend(name: str | None = None) -> str:
    """The key-point similarity backend: ``name``, else $PRESSLENS_SIMILARITY, else lexical."""
    chosen = (name or os.environ.get(BACKEND_ENV) or "lexical").strip().lower()
    if chosen not in BACKENDS:
        raise ValueError(f"unknown key-point similarity backend {chosen!r}: choose one of {', '.join(BACKENDS)}")
    return chosen


class LexicalIndex:
    """TF-IDF vectors (sublinear tf, smoothed idf) of texts over :func:`features`, and their containment.

    Similarity of two texts is the cosine of their vectors, raised to CONTAINMENT_WEIGHT × the
    idf-weighted share of the shorter text's features found in the other (a short unit whose
    words all sit in a longer one).
    """

    def __init__(self, texts: list[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.n = len(texts)
        vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True)
        self.vectors = vectorizer.fit_transform(texts).tocsr() if texts else sp.csr_matrix((0, 0))
        self.presence = (self.vectors > 0).astype(np.float64).tocsr()
        idf = vectorizer.idf_ if texts else np.zeros(0)
        self.weights = self.presence.multiply(idf).tocsr()
        self.own = np.asarray(self.weights.sum(axis=1)).ravel()
        df = np.asarray(self.presence.sum(axis=0)).ravel()
        self.retrieval = self.presence @ sp.diags((df <= MAX_POSTINGS).astype(np.float64)) if texts else self.presence
        self.retrieval = sp.csr_matrix(self.retrieval)

    def similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Similarity of the pairs (i[k], j[k]), 0–1."""
        if not len(i):
            return np.zeros(0)
        cosine = np.asarray(self.vectors[i].multiply(self.vectors[j]).sum(axis=1)).ravel()
        shared_ij = np.asarray(self.weights[i].multiply(self.presence[j]).sum(axis=1)).ravel()
        shared_ji = np.asarray(self.weights[j].multiply(self.presence[i]).sum(axis=1)).ravel()
        contain = np.maximum(shared_ij / np.maximum(self.own[i], 1e-9), shared_ji / np.maximum(self.own[j], 1e-9))
        return np.clip(np.maximum(cosine, CONTAINMENT_WEIGHT * contain), 0.0, 1.0)

    def candidate_pairs(self, rows, among=None):
        """(pairs, rows capped) per chunk: the texts sharing a retrievable feature with each row."""
        return shared_term_candidates(self.retrieval, rows, among, MAX_CANDIDATES)


def similarity_matrix(texts: list[str]) -> np.ndarray:
    """Dense pairwise similarity of a few texts (benchmarks and tests; stories use the sparse graph)."""
    index = LexicalIndex(texts)
    i, j = np.triu_indices(len(texts), k=1)
    sim = np.eye(len(texts))
    sim[i, j] = sim[j, i] = index.similarity(i, j)
    return sim


@dataclass
class UnitGraph:
    """Similarities between the units of different outlets, sparse: {(i, j): similarity}, i < j."""

    edges: dict[tuple[int, int], float]
    candidates_capped: int = 0  # units with more candidate partners than MAX_CANDIDATES
    neighbours_capped: int = 0  # units whose similar partners were cut to the strongest (big stories only)


def _keep_strongest(pairs: np.ndarray, sims: np.ndarray, n: int, cover: float) -> tuple[np.ndarray, int]:
    """For big stories: each unit's MAX_NEIGHBOURS most similar partners, and up to COVER_NEIGHBOURS at cover level."""
    keep = np.zeros(len(pairs), dtype=bool)
    capped = 0
    order = np.argsort(-sims, kind="stable")
    taken = np.zeros(n, dtype=int)
    strong = np.zeros(n, dtype=int)
    cut = np.zeros(n, dtype=bool)
    for k in order:
        i, j = pairs[k]
        s = sims[k]
        ok_i = taken[i] < MAX_NEIGHBOURS or (s >= cover and strong[i] < COVER_NEIGHBOURS)
        ok_j = taken[j] < MAX_NEIGHBOURS or (s >= cover and strong[j] < COVER_NEIGHBOURS)
        if ok_i or ok_j:
            keep[k] = True
            for u in (i, j):
                taken[u] += 1
                strong[u] += s >= cover
        else:
            cut[i] = cut[j] = True
    capped = int(cut.sum())
    return keep, capped


def unit_graph(units: list[Unit], backend: str, cover: float, lexical: LexicalIndex | None = None) -> UnitGraph:
    """The similarity graph of a story's units under ``backend``; units of one outlet are never linked.

    Up to EXACT_UNITS units every pair that can be similar is kept (lexical: every pair sharing a
    feature; semantic: every pair); beyond, each unit keeps its strongest partners, so memory
    and time grow with the number of units, not its square.
    """
    n = len(units)
    owners = np.array([u.outlet for u in units])
    edges: dict[tuple[int, int], float] = {}
    graph = UnitGraph(edges)
    all_pairs, all_sims = [], []
    if backend == "semantic" and n:
        from presslens.compare.embeddings import encoder

        vectors = encoder().encode([u.text for u in units])
        for first in range(0, n, SEMANTIC_CHUNK):
            block = np.clip(vectors[first : first + SEMANTIC_CHUNK] @ vectors.T, 0.0, 1.0)
            rows, cols = np.nonzero(block > (0 if n <= EXACT_UNITS else SEMANTIC_FLOOR))
            rows = rows + first
            keep = (cols > rows) & (owners[rows] != owners[cols])
            all_pairs.append(np.stack([rows[keep], cols[keep]], axis=1))
            all_sims.append(block[rows[keep] - first, cols[keep]])
    elif n:
        index = lexical or LexicalIndex([u.text for u in units])
        for pairs, capped in index.candidate_pairs(range(n), among=range(n)):
            graph.candidates_capped += capped
            pairs = pairs[owners[pairs[:, 0]] != owners[pairs[:, 1]]] if len(pairs) else pairs
            all_pairs.append(pairs)
            all_sims.append(index.similarity(pairs[:, 0], pairs[:, 1]))
    if not all_pairs:
        return graph
    pairs, sims = np.concatenate(all_pairs), np.concatenate(all_sims)
    pairs, unique = np.unique(pairs, axis=0, return_index=True)
    sims = sims[unique]
    positive = sims > 0
    pairs, sims = pairs[positive], sims[positive]
    if n > EXACT_UNITS:
        keep, graph.neighbours_capped = _keep_strongest(pairs, sims, n, cover)
        pairs, sims = pairs[keep], sims[keep]
    edges.update(zip(map(tuple, pairs.tolist()), sims.tolist(), strict=True))
    return graph


@dataclass
class KeyPointAnalysis:
    """A story's key points, which article headlines report which, and what was bounded."""

    points: list[KeyPoint]
    headline_points: dict[str, set[str]] = field(default_factory=dict)  # article id -> key point ids
    units: int = 0
    truncated_articles: int = 0  # articles with more than MAX_UNITS_PER_ARTICLE units (the rest unused)
    candidates_capped: int = 0
    neighbours_capped: int = 0


def key_point_analysis(
    articles: list[tuple[str, str, str]],
    headlines: dict[str, str] | None = None,
    threshold: float | None = None,
    cover_threshold: float | None = None,
    backend: str | None = None,
) -> KeyPointAnalysis:
    """Key points of one story from its articles [(article_id, outlet, text)] and their ``headlines``.

    Thresholds default to the backend's own (:data:`BACKENDS`); the backend to :func:`similarity_backend`.
    Headlines are matched lexically whatever the backend (they are short and worded apart from the body).
    """
    backend = similarity_backend(backend)
    default_threshold, default_cover = BACKENDS[backend]
    threshold = default_threshold if threshold is None else threshold
    cover_threshold = default_cover if cover_threshold is None else cover_threshold
    headlines = {a: h for a, h in (headlines or {}).items() if h and h.strip()}
    units: list[Unit] = []
    truncated = 0
    for article_id, outlet, text in articles:
        parts = split_units(text)
        truncated += len(parts) > MAX_UNITS_PER_ARTICLE
        parts = parts[:MAX_UNITS_PER_ARTICLE]
        n_sentences = max((s for s, _p, _t in parts), default=0) + 1
        units += [Unit(outlet, article_id, k, s, p, round(s / n_sentences, 4), t) for k, (s, p, t) in enumerate(parts)]
    analysis = KeyPointAnalysis([], units=len(units), truncated_articles=truncated)
    if not units:
        return analysis
    lexical = LexicalIndex([u.text for u in units] + list(headlines.values()))
    graph = unit_graph(units, backend, cover_threshold, lexical)
    analysis.candidates_capped, analysis.neighbours_capped = graph.candidates_capped, graph.neighbours_capped
    groups = average_linkage(range(len(units)), graph.edges, threshold)
    group_of = {i: g for g, group in enumerate(groups) for i in group}
    centrality = np.zeros(len(units))
    covering: dict[int, set[int]] = {}  # group -> units outside it at cover level with one of its units
    for (i, j), s in graph.edges.items():
        if group_of[i] == group_of[j]:
            centrality[i] += s
            centrality[j] += s
        elif s >= cover_threshold:
            covering.setdefault(group_of[j], set()).add(i)
            covering.setdefault(group_of[i], set()).add(j)
    key_points = []
    for g, group in enumerate(groups):
        label_index = max(group, key=lambda i: (round(centrality[i], 9), -i))
        kp = KeyPoint(id="", label=units[label_index].text, units=[units[i] for i in group])  # numbered below
        for i in sorted(set(group) | covering.get(g, set())):
            unit = units[i]
            kp.covered_by[unit.outlet] = min(kp.covered_by.get(unit.outlet, 1.0), unit.position)
            kp.sentences.setdefault(unit.outlet, [])
            if unit.sentence not in kp.sentences[unit.outlet]:
                kp.sentences[unit.outlet].append(unit.sentence)
            kp.evidence.setdefault(unit.article_id, set()).add(unit.sentence)
        key_points.append(kp)
    key_points.sort(key=lambda k: (-len(k.covered_by), min(k.covered_by.values())))
    for number, kp in enumerate(key_points, start=1):
        kp.id = f"kp{number:03d}"
    analysis.points = key_points
    analysis.headline_points = headline_points(lexical, units, key_points, headlines)
    return analysis


def headline_points(
    lexical: LexicalIndex, units: list[Unit], key_points: list[KeyPoint], headlines: dict[str, str]
) -> dict[str, set[str]]:
    """Key points each article's headline reports: units at least HEADLINE_SIMILARITY similar to it,
    and within HEADLINE_NEAR_BEST of its closest unit (``lexical`` indexes the units, then the headlines)."""
    kp_of = {}
    for kp in key_points:
        for unit in kp.units:
            kp_of[(unit.article_id, unit.order)] = kp.id
    out: dict[str, set[str]] = {a: set() for a in headlines}
    n = len(units)
    for k, article_id in enumerate(headlines):
        row = n + k
        partners = [
            pair[pair != row][0] for pairs, _capped in lexical.candidate_pairs([row], among=range(n)) for pair in pairs
        ]
        if not partners:
            continue
        partners = np.array(partners)
        sims = lexical.similarity(np.full(len(partners), row), partners)
        bar = max(HEADLINE_SIMILARITY, HEADLINE_NEAR_BEST * float(sims.max()))
        for unit_index, s in zip(partners.tolist(), sims.tolist(), strict=True):
            if s >= bar:
                unit = units[unit_index]
                out[article_id].add(kp_of[(unit.article_id, unit.order)])
    return out


def story_key_points(
    articles: list[tuple[str, str, str]],
    threshold: float | None = None,
    cover_threshold: float | None = None,
    backend: str | None = None,
) -> list[KeyPoint]:
    """Key points of one story from its articles [(article_id, outlet, text)], in story order."""
    return key_point_analysis(articles, None, threshold, cover_threshold, backend).points
