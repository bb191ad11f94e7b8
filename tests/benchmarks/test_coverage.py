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


def _three_document_event():
    from benchmarks.coverage_ecbplus import EcbDoc

    docs = [
        EcbDoc("a", "e", ["x"] * 4, {0, 1, 2, 3}, {}),
        EcbDoc("b", "e", ["x"] * 4, {0, 1, 2, 3}, {}),
        EcbDoc("c", "e", ["x"] * 4, {0, 1, 2, 3}, {}),
    ]
    gold = {
        "e": {
            "fire": {("a", 0), ("b", 0), ("c", 0)},
            "arrest": {("a", 1), ("b", 1)},
            "trial": {("b", 2), ("c", 2)},
        }
    }
    return docs, gold, {(d.doc, s) for d in docs for s in d.annotated}


def test_ecbplus_cells_give_full_recall_to_copies_of_one_key_point_that_reads_no_word():
    """Issue 29 (cells aim): a key point left unmatched is not judged, so every sentence of the event copied
    once per annotated sentence matches every gold cluster: recall 1 without reading a word."""
    from benchmarks.coverage_ecbplus import reference_event_copies, reference_one_point, score

    docs, gold, annotated = _three_document_event()
    copies = score(reference_event_copies(docs), gold, annotated)
    assert copies.recall == 1.0 and copies.precision == 7 / 9  # each cluster's documents over all three
    assert score(reference_one_point(docs), gold, annotated).recall < 1.0  # one copy matches one cluster


def test_ecbplus_random_key_points_keep_sizes_and_scale_with_copies():
    """The content-free reference: presslens' key-point sizes, ``copies`` times as many, sentences drawn at
    random within the event; reproducible by seed."""
    from benchmarks.coverage_ecbplus import random_key_points

    docs, _gold, _annotated = _three_document_event()
    predicted = {"e": {"k1": {("a", 0), ("b", 0), ("c", 3)}, "k2": {("a", 2)}, "off": {("a", 9)}}}
    drawn = random_key_points(predicted, docs, copies=3, seed=4)
    sizes = sorted(len(c) for c in drawn["e"].values())
    assert sizes == [1, 1, 1, 3, 3, 3]  # the key point holding no annotated sentence is not drawn
    assert all(c <= {(d.doc, s) for d in docs for s in d.annotated} for c in drawn["e"].values())
    assert drawn == random_key_points(predicted, docs, copies=3, seed=4)


def test_ecbplus_oracles_cut_a_key_point_that_joins_two_facts_and_join_one_fact_split_in_two():
    """The oracles that say where key points lose: cut along gold clusters a point joining fire and arrest
    scores precision 1; joined by gold cluster, two points of one fact become one."""
    from benchmarks.coverage_ecbplus import gold_within_reach, merged_by_gold, score, split_by_gold

    docs, gold, annotated = _three_document_event()
    joined = {"e": {"k1": {("a", 0), ("b", 0), ("c", 1)}, "k2": {("a", 1), ("c", 3)}}}
    cut = split_by_gold(joined, gold)
    assert cut["e"]["k1|fire"] == {("a", 0), ("b", 0)} and cut["e"]["k1|-"] == {("c", 1)}
    assert score(joined, gold, annotated).precision < 1.0 and score(cut, gold, annotated).precision == 1.0
    halves = {"e": {"k1": {("a", 0)}, "k2": {("b", 0), ("c", 0)}, "k3": {("a", 3)}}}
    merged = merged_by_gold(halves, gold)
    assert merged["e"] == {"gold:fire": {("a", 0), ("b", 0), ("c", 0)}, "k3": {("a", 3)}}
    reach = gold_within_reach(halves, gold)  # only k2 reaches two documents
    assert reach == {"e": {"fire": {("b", 0), ("c", 0)}}}


def test_ecbplus_cells_rise_when_key_points_that_read_no_word_are_added():
    """Issue 29 (cells aim): padding an output with copies of the whole event raises its cell F1 (unmatched points
    are free), which is why the aim is read as a margin over the output's own shuffled band."""
    from benchmarks.coverage_ecbplus import reference_event_copies, score, with_points

    docs, gold, annotated = _three_document_event()
    ours = {"e": {"k1": {("a", 0), ("b", 0)}, "k2": {("a", 3)}}}
    padded = with_points(ours, reference_event_copies(docs))
    assert set(ours["e"]) < set(padded["e"]) and len(padded["e"]) == 2 + 12
    assert score(padded, gold, annotated).f1 > score(ours, gold, annotated).f1


def test_ecbplus_false_positives_are_told_apart_by_whether_another_gold_cluster_holds_the_sentence():
    """The cells count a document outside the matched cluster as wrong; the benchmark says how many of those come
    through a sentence ECB+ files under another action of the event (granularity) and how many through none."""
    from benchmarks.coverage_ecbplus import false_positives_by_source, score

    docs, gold, annotated = _three_document_event()
    ours = {"e": {"k1": {("a", 0), ("b", 0)}, "k2": {("a", 1), ("b", 1), ("c", 2)}, "k3": {("b", 2), ("a", 3)}}}
    # k2 matches arrest and holds c by c2, trial's sentence; k3 matches trial and holds a by a3, in no gold cluster
    assert score(ours, gold, annotated).fp == 2
    assert false_positives_by_source(ours, gold, annotated) == (2, 1)
