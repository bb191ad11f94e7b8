"""The coverage benchmarks' own scoring: per-event Spearman, references, chance band, ECB+ pairs."""

from __future__ import annotations

import re

import pytest

from benchmarks.coverage import run as run_coverage_bench
from tests.conftest import SHARED, need_shared


def test_coverage_benchmark_reports_per_event_and_mean():
    out = run_coverage_bench(need_shared(SHARED / "bench" / "coverage" / "newswcl50-dev"))
    assert out.count("Spearman") >= 6 and "mean Spearman over events" in out
    assert "reference, length product: mean" in out and "reference, shared names: mean" in out
    assert "ceiling, annotated concepts as key points: mean" in out and "chance band" in out
    sweep = re.search(r"mean by clustering threshold[^:]*: (.*)", out).group(1)
    from presslens.compare.keypoints import SIMILARITY

    assert f"{SIMILARITY:g}: " in sweep and len(sweep.split(", ")) >= 3


def test_coverage_benchmark_reference_pairings_are_scored_like_ours():
    """The length-product reference is Spearman of word-count products against the gold concept Jaccard."""
    from itertools import combinations

    from scipy.stats import spearmanr

    from benchmarks.coverage import jaccard, load_event, reference_correlations

    texts, concepts = load_event(need_shared(SHARED / "bench" / "coverage" / "newswcl50-dev" / "event-0"))
    pairs = list(combinations(sorted(texts), 2))
    lengths = [len(texts[a].split()) * len(texts[b].split()) for a, b in pairs]
    gold = [jaccard(concepts[a], concepts[b]) for a, b in pairs]
    refs = reference_correlations(texts, concepts)
    assert refs["length product"] == pytest.approx(spearmanr(lengths, gold).statistic)
    assert -1.0 <= refs["shared names"] <= 1.0
    both = [len(concepts[a] & concepts[b]) for a, b in pairs]
    assert refs["ceiling, annotated concepts as key points"] == pytest.approx(spearmanr(both, gold).statistic)


def test_chance_band_is_centred_and_narrows_with_more_events():
    """Random pairings' mean Spearman: about as often above 0 as below, and less spread over more events."""
    from benchmarks.coverage import chance_band

    gold = [0.6, 0.8, 0.8, 0.65, 0.6, 0.75, 0.5, 0.8, 0.63, 0.61]  # ten pairs, with ties like the real gold
    low5, high5 = chance_band([gold] * 5)
    low20, high20 = chance_band([gold] * 20)
    assert low5 < 0 < high5 and abs(low5 + high5) < 0.05
    assert 1.7 < (high5 - low5) / (high20 - low20) < 2.3  # spread of a mean falls as 1/sqrt(events)


def test_ecbplus_pairwise_counts_pairs_of_different_documents_and_what_a_key_point_joins_wrongly():
    """Issue 29: the cell measure never counted a key point that joins sentences no gold cluster joins;
    the pairwise measure does, and pairs within one document are not scored."""
    from benchmarks.coverage_ecbplus import EcbDoc, pair_counts, score, shuffled_band

    docs = [EcbDoc("a", "e", ["x"] * 3, {0, 1, 2}, {}), EcbDoc("b", "e", ["x"] * 3, {0, 1, 2}, {})]
    annotated = {(d.doc, s) for d in docs for s in d.annotated}
    gold = {"e": {"fire": {("a", 0), ("b", 0)}, "arrest": {("a", 1), ("b", 1)}}}
    right = {"e": {"k1": {("a", 0), ("b", 0)}, "k2": {("a", 1), ("b", 1)}}}
    joined = {"e": {"k1": {("a", 0), ("b", 0), ("a", 2), ("b", 2), ("b", 1)}, "k2": {("a", 1), ("b", 1)}}}
    assert pair_counts(right, gold, annotated).f1 == 1.0
    counts = pair_counts(joined, gold, annotated)
    assert (counts.tp, counts.fn, counts.fp) == (2, 0, 5)  # a0-b1, a0-b2, a2-b0, a2-b1, a2-b2 wrongly joined
    assert score(joined, gold, annotated).f1 == 1.0  # the cell measure does not see it
    assert pair_counts({"e": {"k": {("a", 0), ("a", 1)}}}, gold, annotated).tp == 0  # one document: no pair
    band = shuffled_band(gold, gold, docs, draws=50)
    assert band.pairwise[0] < 1.0 and band.cell[0] < 1.0  # the gold shuffled scores less than the gold

