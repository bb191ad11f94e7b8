"""The BASIL claims benchmark's scoring: each claim judged by the sentence it shows."""

from __future__ import annotations


def test_claims_benchmark_judges_each_claim_by_the_sentence_it_shows():
    """Issue 29: an "only X" claim is right only when X's sentence states a fact X alone states; an "every
    outlet" claim only when each outlet's sentence states one fact all three state (own-written gold)."""
    from benchmarks.claims import Event, score_event

    facts = [
        {"id": "f1", "support": {"fox": [[0, 0]], "nyt": [[0, 0]], "hpo": [[1, 0]]}},  # everyone
        {"id": "f2", "support": {"fox": [[2, 0]], "nyt": [], "hpo": []}},  # fox alone
        {"id": "f3", "support": {"fox": [], "nyt": [[3, 1]], "hpo": [[0, 0]]}},  # nyt and hpo
    ]
    event = Event("e", 2012, {}, facts)
    claims = [
        ("every", ["fox", "hpo", "nyt"], {"fox": {(0, 0)}, "nyt": {(0, 0)}, "hpo": {(1, 0)}}),  # right
        ("every", ["fox", "hpo", "nyt"], {"fox": {(2, 0)}, "nyt": {(0, 0)}, "hpo": {(1, 0)}}),  # fox's lead is not it
        ("only", ["fox"], {"fox": {(2, 0)}}),  # right
        ("only", ["nyt"], {"nyt": {(3, 1)}}),  # hpo has it too
        ("only", ["hpo"], {"hpo": {(9, 9)}}),  # states no gold fact: not judged
    ]
    scores = score_event(event, claims)
    assert (scores.claims["every"].right, scores.claims["every"].judged) == (1, 2)
    assert (scores.claims["only"].right, scores.claims["only"].judged, scores.claims["only"].unjudged) == (1, 2, 1)
    assert (scores.unique_found, scores.unique_total) == (1, 1)

