"""A mergeable, fixed-size latency histogram with log-spaced buckets (HDR/DDSketch-like)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

LOWEST_S = 1e-6  # 1 µs
HIGHEST_S = 3600.0  # 1 hour
RELATIVE_ACCURACY = 0.005

_GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LOG_GAMMA = math.log(_GAMMA)
_INDEX_SCALE = 1 / _LOG_GAMMA
_INDEX_OFFSET = math.log(LOWEST_S) * _INDEX_SCALE
# Bucket i (1..N) holds values in (LOWEST_S * γ^(i-1), LOWEST_S * γ^i]; bucket 0 holds
# everything at or below LOWEST_S and the last bucket everything above HIGHEST_S.
_TOP_INDEX = math.ceil(math.log(HIGHEST_S / LOWEST_S) / _LOG_GAMMA)
BUCKETS = _TOP_INDEX + 2
# The value reported for a bucket: the harmonic mean of its bounds, 2·hi/(γ+1), which is
# within RELATIVE_ACCURACY of every value the bucket can hold.
_REPRESENTATIVE = LOWEST_S * np.power(_GAMMA, np.arange(BUCKETS, dtype=np.float64)) * 2 / (
    _GAMMA + 1)


class LatencyHistogram:
    """Latencies in seconds, counted in ~2,200 log-spaced buckets (about 18 KB, fixed).

    Accuracy bound: for every latency between 1 µs and 1 hour, each percentile is within
    0.5 % (relative) of the exact `np.percentile` (linear interpolation) of the same values,
    so well inside 1 %. Values below 1 µs or above 1 hour are still counted; percentiles that
    land on them are clamped to the exact min and max. `min`, `max`, `mean` and `count` are
    exact. Two histograms merge by adding counts, so per-worker or per-process histograms
    combine into exactly the histogram of all their values.
    """

    __slots__ = ("_count", "_counts", "_max", "_min", "_sum")

    def __init__(self) -> None:
        self._counts = np.zeros(BUCKETS, dtype=np.int64)
        self._count = 0
        self._sum = 0.0
        self._min = math.inf
        self._max = -math.inf

    @classmethod
    def from_values(cls, latencies_seconds: np.ndarray) -> LatencyHistogram:
        histogram = cls()
        histogram.add_many(latencies_seconds)
        return histogram

    def add_many(self, latencies_seconds: np.ndarray) -> None:
        """Count a batch of finite, non-negative latencies in seconds (O(n), vectorised)."""
        values = np.asarray(latencies_seconds, dtype=np.float64).ravel()
        if values.size == 0:
            return
        low, high = float(values.min()), float(values.max())
        if not (math.isfinite(low) and math.isfinite(high)) or low < 0:
            raise ValueError("latencies must be finite and non-negative")
        # index = ceil(log_γ(v / LOWEST_S)), computed in place on one scratch array
        scratch = np.clip(values, LOWEST_S, HIGHEST_S * _GAMMA)
        np.log(scratch, out=scratch)
        scratch *= _INDEX_SCALE
        scratch -= _INDEX_OFFSET
        np.ceil(scratch, out=scratch)
        index = scratch.astype(np.intp)
        np.minimum(index, BUCKETS - 1, out=index)
        self._counts += np.bincount(index, minlength=BUCKETS)
        self._count += values.size
        self._sum += float(values.sum())
        self._min = min(self._min, low)
        self._max = max(self._max, high)

    def merge(self, other: LatencyHistogram) -> None:
        """Add every value counted by `other` to this histogram."""
        self._counts += other._counts
        self._count += other._count
        self._sum += other._sum
        self._min = min(self._min, other._min)
        self._max = max(self._max, other._max)

    def copy(self) -> LatencyHistogram:
        twin = LatencyHistogram()
        twin.merge(self)
        return twin

    @property
    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    @property
    def min(self) -> float:
        return self._min if self._count else math.nan

    @property
    def max(self) -> float:
        return self._max if self._count else math.nan

    @property
    def mean(self) -> float:
        return self._sum / self._count if self._count else math.nan

    def percentiles(self, qs: Sequence[float]) -> list[float]:
        """The q-th percentiles (q in 0..100), as `np.percentile` would estimate them.

        Like numpy's default method, a percentile between two ranks interpolates linearly
        between the values at those ranks. NaN for each q when nothing has been counted.
        """
        q = np.asarray(qs, dtype=np.float64)
        if np.any((q < 0) | (q > 100)) or np.any(np.isnan(q)):
            raise ValueError("percentiles must be between 0 and 100")
        if self._count == 0:
            return [math.nan] * len(q)
        rank = q / 100 * (self._count - 1)
        below, above = np.floor(rank), np.ceil(rank)
        cumulative = np.cumsum(self._counts)
        value_below = self._value_at_rank(cumulative, below)
        value_above = self._value_at_rank(cumulative, above)
        estimate = value_below + (rank - below) * (value_above - value_below)
        return [float(v) for v in np.clip(estimate, self._min, self._max)]

    def _value_at_rank(self, cumulative: np.ndarray, rank: np.ndarray) -> np.ndarray:
        """The rank-th smallest value (0-based): exact at both ends, else its bucket's value."""
        bucket = np.searchsorted(cumulative, rank, side="right")
        values = _REPRESENTATIVE[bucket]
        values[rank == 0] = self._min
        values[rank == self._count - 1] = self._max
        return values

    def buckets(self) -> tuple[np.ndarray, np.ndarray]:
        """The non-empty buckets: each one's representative latency (s) and its count."""
        used = np.flatnonzero(self._counts)
        values = _REPRESENTATIVE[used].copy()
        if len(used):
            values[0] = max(values[0], self._min) if used[0] == 0 else values[0]
            values[-1] = min(values[-1], self._max) if used[-1] == BUCKETS - 1 else values[-1]
        return values, self._counts[used].copy()

    def __repr__(self) -> str:
        return (f"LatencyHistogram(count={self._count}, min={self.min:.6g}, "
                f"max={self.max:.6g})")
