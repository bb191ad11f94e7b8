"""Key points: the facts of a story, aligned across its outlets.

1. Every article is cut into *units*: sentences, split further at clause boundaries
   (";", ", which", ", while", ", but", ", and <verb>", ", <verb>ing", "as per", a dash,
   and a passive "… <verb>ed … by Name") so a sentence that reports two facts gives two units.
2. Units are compared by TF-IDF cosine over prefix stems and stem bigrams (so "economic"
   matches "economics" and "information security" counts as a phrase).
3. Units are clustered across outlets (average linkage, cosine >= SIMILARITY); two units
   of the same outlet are never similar to each other here, so a cluster is one fact as
   several outlets report it, not one outlet's paragraph.
4. An outlet *covers* a key point when one of its units is in the cluster, or when one of
   its units is at least COVER_SIMILARITY-similar to the cluster's label unit (one long
   sentence can report several facts).

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

from presslens.clean.topic import content_stems
from presslens.sentences import split_sentences

SIMILARITY = 0.22  # cosine needed to put two outlets' units in one key point (see README: chosen on the seeds)
COVER_SIMILARITY = 0.35  # cosine for a unit outside the cluster to count as covering it
SEMANTIC_SIMILARITY = 0.65  # the same two thresholds for embedding cosines (README: chosen on the seeds)
SEMANTIC_COVER = 0.6
BACKEND_ENV = "PRESSLENS_SIMILARITY"
# backend -> (clustering threshold, cover threshold); both chosen where the seeds' acceptance holds (README)
BACKENDS = {"lexical": (SIMILARITY, COVER_SIMILARITY), "semantic": (SEMANTIC_SIMILARITY, SEMANTIC_COVER)}
MAX_UNITS_PER_ARTICLE = 250  # key points come from an article's first 250 clauses (bounds memory: n^2)
MIN_UNIT_STEMS = 3  # shorter clause fragments stay with their neighbour
LIST_ITEM_STEMS = 4  # both sides of a comma need this many content words to become two units
CONTAINMENT_WEIGHT = 0.5  # a unit whose weighted words all appear in a longer one counts as 0.5 similar

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


def similarity_matrix(texts: list[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors (sublinear tf, smoothed idf) over stems and bigrams."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not texts:
        return np.zeros((0, 0))
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True)
    vectors = vectorizer.fit_transform(texts)
    cosine = (vectors @ vectors.T).toarray()
    # idf-weighted containment: how much of a short unit's weight the other unit contains.
    presence = (vectors > 0).astype(float)
    weights = presence.multiply(vectorizer.idf_).tocsr()
    shared = (weights @ presence.T).toarray()  # shared[i, j] = idf weight of i's features found in j
    own = np.asarray(weights.sum(axis=1)).ravel()
    contain = shared / np.maximum(own[:, None], 1e-9)
    containment = np.maximum(contain, contain.T)
    sim = np.maximum(cosine, CONTAINMENT_WEIGHT * containment)
    return np.clip(sim, 0.0, 1.0)


def similarity_backend(name: str | None = None) -> str:
    """The key-point similarity backend: ``name``, else $PRESSLENS_SIMILARITY, else lexical."""
    chosen = (name or os.environ.get(BACKEND_ENV) or "lexical").strip().lower()
    if chosen not in BACKENDS:
        raise ValueError(f"unknown key-point similarity backend {chosen!r}: choose one of {', '.join(BACKENDS)}")
    return chosen


def unit_similarity(texts: list[str], backend: str = "lexical") -> np.ndarray:
    """Pairwise similarity of key-point units under the chosen backend, 0–1."""
    if backend == "semantic" and texts:
        from presslens.compare.embeddings import encoder

        vectors = encoder().encode(texts)
        return np.clip(vectors @ vectors.T, 0.0, 1.0)
    return similarity_matrix(texts)


def cluster(sim: np.ndarray, owners: list[str], threshold: float = SIMILARITY) -> list[list[int]]:
    """Average-linkage clusters where units of the same outlet never pull each other in."""
    n = len(owners)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from sklearn.cluster import AgglomerativeClustering

    cross = sim.copy()
    same = np.equal.outer(np.array(owners), np.array(owners))
    cross[same] = 0.0
    np.fill_diagonal(cross, 1.0)
    labels = (
        AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
        )
        .fit(1.0 - cross)
        .labels_
    )
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    return sorted(groups.values(), key=lambda g: min(g))


def story_key_points(
    articles: list[tuple[str, str, str]],
    threshold: float | None = None,
    cover_threshold: float | None = None,
    backend: str | None = None,
) -> list[KeyPoint]:
    """Key points of one story from its articles [(article_id, outlet, text)], in story order.

    Thresholds default to the backend's own (:data:`BACKENDS`); the backend to :func:`similarity_backend`.
    """
    backend = similarity_backend(backend)
    default_threshold, default_cover = BACKENDS[backend]
    threshold = default_threshold if threshold is None else threshold
    cover_threshold = default_cover if cover_threshold is None else cover_threshold
    units: list[Unit] = []
    for article_id, outlet, text in articles:
        parts = split_units(text)[:MAX_UNITS_PER_ARTICLE]
        n_sentences = max((s for s, _p, _t in parts), default=0) + 1
        units += [Unit(outlet, article_id, k, s, p, round(s / n_sentences, 4), t) for k, (s, p, t) in enumerate(parts)]
    if not units:
        return []
    sim = unit_similarity([u.text for u in units], backend)
    groups = cluster(sim, [u.outlet for u in units], threshold)
    key_points = []
    for group in groups:
        if len(group) == 1:
            label_index = group[0]
        else:
            centrality = sim[np.ix_(group, group)].sum(axis=1)
            label_index = group[int(np.argmax(centrality))]
        kp = KeyPoint(id="", label=units[label_index].text, units=[units[i] for i in group])  # numbered below
        members = set(group)
        nearest = sim[:, group].max(axis=1)
        for i, unit in enumerate(units):
            if i in members or nearest[i] >= cover_threshold:
                kp.covered_by[unit.outlet] = min(kp.covered_by.get(unit.outlet, 1.0), unit.position)
                kp.sentences.setdefault(unit.outlet, [])
                if unit.sentence not in kp.sentences[unit.outlet]:
                    kp.sentences[unit.outlet].append(unit.sentence)
        key_points.append(kp)
    key_points.sort(key=lambda k: (-len(k.covered_by), min(k.covered_by.values())))
    for number, kp in enumerate(key_points, start=1):
        kp.id = f"kp{number:03d}"
    return key_points
