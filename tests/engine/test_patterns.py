import itertools

import pytest

from loadgui.engine.load import patterns


def levels(pattern: str, peak: int = 100, points: int = 101) -> list[int]:
    return [patterns.level(pattern, i / (points - 1), peak) for i in range(points)]


def test_constant_is_peak_throughout():
    assert set(levels("constant")) == {100}


def test_linear_ramps_from_one_to_peak_without_going_back():
    values = levels("linear")
    assert values[0] == 1 and values[-1] == 100
    assert all(b >= a for a, b in itertools.pairwise(values))
    assert values[50] == pytest.approx(50, abs=1)


def test_sin_oscillates_between_low_and_peak_a_few_times():
    values = levels("sin", points=601)
    assert min(values) == 10 and max(values) == 100
    peaks = sum(1 for a, b, c in zip(values, values[1:], values[2:], strict=False)
                if b == 100 and a < 100)
    assert peaks == patterns.SIN_CYCLES


def test_step_climbs_in_four_equal_steps():
    values = levels("step")
    assert sorted(set(values)) == [25, 50, 75, 100]
    assert values[10] == 25 and values[30] == 50 and values[60] == 75 and values[90] == 100


def test_spike_jumps_to_peak_in_the_middle_only():
    values = levels("spike")
    assert values[0] == 20 and values[40] == 20 and values[99] == 20
    assert values[50] == 100
    assert values.count(100) == 10


def test_levels_stay_within_one_and_peak_for_tiny_peaks():
    for pattern in ("constant", "linear", "sin", "step", "spike"):
        assert set(levels(pattern, peak=1)) == {1}
        assert all(1 <= v <= 3 for v in levels(pattern, peak=3))


def test_progress_follows_time_then_count_then_repeats():
    assert patterns.progress(5, 0, duration=10, total=None) == 0.5
    assert patterns.progress(5, 30, duration=None, total=60) == 0.5
    assert patterns.progress(90, 0, None, None) == pytest.approx(0.5)
