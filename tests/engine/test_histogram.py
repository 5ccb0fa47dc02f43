"""LatencyHistogram against exact numpy percentiles on 100k-value samples."""

import math

import numpy as np
import pytest

from loadgui.engine.stats.histogram import BUCKETS, HIGHEST_S, LOWEST_S, LatencyHistogram

QS = (50.0, 90.0, 99.0, 99.9)
N = 100_000


def samples(name: str) -> np.ndarray:
    rng = np.random.default_rng(6)
    if name == "lognormal":
        return rng.lognormal(mean=math.log(0.020), sigma=0.9, size=N)
    if name == "uniform":
        return rng.uniform(0.0005, 2.0, size=N)
    # bimodal: fast cache hits and slow misses, far apart
    fast = rng.normal(0.004, 0.0004, size=N * 7 // 10)
    slow = rng.normal(0.250, 0.030, size=N - len(fast))
    return rng.permutation(np.concatenate([fast, slow]))


@pytest.mark.parametrize("name", ["lognormal", "uniform", "bimodal"])
def test_percentiles_are_within_one_percent_of_exact(name):
    values = samples(name)
    histogram = LatencyHistogram.from_values(values)
    exact = np.percentile(values, QS)
    estimated = np.array(histogram.percentiles(QS))
    relative_error = np.abs(estimated / exact - 1)
    assert relative_error.max() <= 0.01, dict(zip(QS, relative_error, strict=True))


@pytest.mark.parametrize("name", ["lognormal", "bimodal"])
def test_min_max_mean_and_count_are_exact(name):
    values = samples(name)
    histogram = LatencyHistogram.from_values(values)
    assert histogram.count == len(histogram) == N
    assert histogram.min == values.min() and histogram.max == values.max()
    assert histogram.mean == pytest.approx(values.mean(), rel=1e-12)
    assert histogram.percentiles([0, 100]) == [values.min(), values.max()]


def test_merging_two_halves_equals_the_whole():
    values = samples("lognormal")
    whole = LatencyHistogram.from_values(values)
    first = LatencyHistogram.from_values(values[: N // 3])
    first.merge(LatencyHistogram.from_values(values[N // 3:]))
    assert first.count == whole.count
    assert first.percentiles(QS) == whole.percentiles(QS)
    assert (first.min, first.max) == (whole.min, whole.max)
    assert first.mean == pytest.approx(whole.mean, rel=1e-12)


def test_batches_add_up_to_the_same_histogram_as_one_call():
    values = samples("uniform")
    batched = LatencyHistogram()
    for batch in np.array_split(values, 37):
        batched.add_many(batch)
    assert batched.percentiles(QS) == LatencyHistogram.from_values(values).percentiles(QS)


def test_empty_histogram_reports_nan():
    histogram = LatencyHistogram()
    histogram.add_many(np.array([]))
    assert histogram.count == 0
    assert all(math.isnan(v) for v in histogram.percentiles(QS))
    assert math.isnan(histogram.min) and math.isnan(histogram.max)
    assert math.isnan(histogram.mean)


def test_covers_one_microsecond_to_one_hour():
    values = np.geomspace(LOWEST_S, HIGHEST_S, 20_001)
    histogram = LatencyHistogram.from_values(values)
    qs = np.linspace(0, 100, 41)
    relative_error = np.abs(np.array(histogram.percentiles(qs)) / np.percentile(values, qs) - 1)
    assert relative_error.max() <= 0.01


def test_values_outside_the_range_are_counted_and_clamped_to_min_and_max():
    values = np.array([0.0, 1e-9, 0.010, 7200.0])
    histogram = LatencyHistogram.from_values(values)
    assert histogram.count == 4
    low, high = histogram.percentiles([0, 100])
    assert (low, high) == (0.0, 7200.0)
    assert histogram.percentiles([50])[0] >= 0.0


def test_a_single_value_is_reported_exactly():
    histogram = LatencyHistogram.from_values(np.array([0.0123]))
    assert histogram.percentiles(QS) == [0.0123] * len(QS)


def test_memory_is_fixed_and_small():
    histogram = LatencyHistogram.from_values(samples("uniform"))
    assert histogram._counts.nbytes == BUCKETS * 8 < 32_000


@pytest.mark.parametrize("bad", [[-0.001], [math.nan], [math.inf]])
def test_rejects_negative_and_non_finite_latencies(bad):
    histogram = LatencyHistogram()
    with pytest.raises(ValueError, match="finite and non-negative"):
        histogram.add_many(np.array(bad))
    assert histogram.count == 0


def test_rejects_percentiles_outside_0_to_100():
    with pytest.raises(ValueError, match="between 0 and 100"):
        LatencyHistogram.from_values(np.array([0.1])).percentiles([101])
