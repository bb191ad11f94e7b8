"""The framing benchmark's scoring: FRAC's codes, other frames as 'other'."""

from __future__ import annotations

import pytest

from benchmarks.framing import scores, to_frac


def test_frac_scoring_maps_other_frames_to_other():
    codes = {1, 3, 4, 5, 6, 8, 9, 11, 12, 15}
    assert to_frac("Political", codes) == 15 and to_frac(None, codes) == 15 and to_frac("Economic", codes) == 1
    acc, macro, _ = scores([1, 1, 15], [1, 15, 15])
    assert acc == pytest.approx(2 / 3) and macro == pytest.approx((2 / 3 + 2 / 3) / 2)

