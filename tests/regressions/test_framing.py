"""Framing on FRAC dev (../shared/bench/framing, the regression gate): above the target and the baseline."""

from __future__ import annotations

from benchmarks.framing import load_frac, scores, to_frac
from benchmarks.framing import run as run_frac
from presslens.metrics.frames import classify_sentence
from tests.conftest import SHARED, need_shared


def test_frac_benchmark_beats_target_and_baseline():
    path = need_shared(SHARED / "bench" / "framing" / "frac-dev.csv")
    rows = load_frac(path)
    gold = [c for _s, c in rows]
    predicted = [to_frac(classify_sentence(s).frame, set(gold)) for s, _c in rows]
    _acc, macro, _ = scores(gold, predicted)
    assert macro >= 0.45
    assert "majority class" in run_frac(path)

