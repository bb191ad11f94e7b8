"""The extraction benchmarks' own scoring (Zyte's shingles, trafilatura's snippets) and the profiler."""

from __future__ import annotations

import pytest

from benchmarks.zyte import page_scores, shingles
from tests.conftest import SHARED, need_shared


def test_metric_matches_the_benchmark_definition():
    assert sum(shingles("a b c").values()) == 1  # fewer than 4 tokens: one shingle
    assert sum(shingles("one two three four five").values()) == 2
    assert page_scores("", "some truth text here") == (None, 0.0)
    p, r = page_scores("w x y z extra words here", "w x y z")
    assert p == pytest.approx(1 / 4) and r == 1.0


def test_the_profiler_charges_nested_stages_to_the_innermost():
    """A stage's time excludes the wrapped stages it calls (trafilatura inside cleaning is trafilatura's)."""
    from benchmarks import profile

    ticks = iter([0.0, 1.0, 4.0, 10.0])  # outer starts, inner starts, inner ends, outer ends
    clock = profile.ExclusiveClock()
    original = profile.time.process_time
    profile.time.process_time = lambda: next(ticks)
    try:
        inner = clock.wrap("inner", lambda: None)
        clock.wrap("outer", lambda: inner())()
    finally:
        profile.time.process_time = original
    assert clock.seconds == {"inner": 3.0, "outer": 7.0}


def test_traf_eval_metric_matches_trafilaturas_definition():
    """trafilatura's snippet scoring (tests/comparison.py): whitespace-normalised substring
    presence; a 'with' snippet found is a tp, not found a fn; a 'without' snippet found a fp."""
    from benchmarks.counts import Counts
    from benchmarks.traf_eval import EvalPage, page_counts

    page = EvalPage("http://example.org/a", "a.html", "", ("the first  point", "missing words"), ("Sign up",))
    counts = page_counts("Intro.\n\nThe start: the first\npoint here. Sign up now", page)
    assert (counts.tp, counts.fn, counts.fp) == (1, 1, 1)
    empty = page_counts("", page)
    assert (empty.tp, empty.fn, empty.fp) == (0, 2, 0)
    total = Counts()
    total.add(counts)
    total.add(empty)
    assert total.precision == pytest.approx(1 / 2) and total.recall == pytest.approx(1 / 4)


def test_traf_eval_halves_are_fixed_by_file_name():
    from benchmarks.traf_eval import EvalPage, load_pages

    assert EvalPage("u1", "same.html", "x", (), ()).half == EvalPage("u2", "same.html", "y", (), ()).half
    pages = load_pages(need_shared(SHARED / "bench" / "extraction" / "traf-eval-dev"))
    halves = [p.half for p in pages]
    assert len(pages) == 343 and 0.4 < halves.count("A") / len(halves) < 0.6

