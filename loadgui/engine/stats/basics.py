"""The statistics every view shares: error kinds, what counts as success, percentiles."""

from __future__ import annotations

import enum
import math

import numpy as np

PERCENTILES = (50.0, 90.0, 99.0)


class ErrorKind(enum.IntEnum):
    NONE = 0
    TIMEOUT = 1
    CONNECT = 2
    READ = 3
    PROTOCOL = 4
    OTHER = 5
    CANCELLED = 6  # still in flight when the run ended, past the grace period
    CHECK = 7  # answered, but a check of the profile failed (the status is kept)


def percentiles(values: np.ndarray, qs: tuple[float, ...] = PERCENTILES) -> list[float]:
    """The one percentile function behind the summary, the plots and the exports.

    numpy's default (linear interpolation); NaN for each q when there are no values.
    """
    if len(values) == 0:
        return [math.nan] * len(qs)
    return [float(v) for v in np.percentile(values, qs)]


def timed_mask(status: np.ndarray, error: np.ndarray) -> np.ndarray:
    """The attempts whose latency the figures count: answered 2xx or 3xx, whether or not
    their checks passed (a latency check must not hide slow answers from the percentiles)."""
    mask: np.ndarray = ((status >= 200) & (status < 400)
                        & ((error == ErrorKind.NONE) | (error == ErrorKind.CHECK)))
    return mask


def success_mask(status: np.ndarray, error: np.ndarray) -> np.ndarray:
    mask: np.ndarray = (status >= 200) & (status < 400) & (error == ErrorKind.NONE)
    return mask



def grown(values: np.ndarray, size: int, axis: int = 0) -> np.ndarray:
    """`values` padded with zeros to `size` along `axis` (itself when already that long): the
    per-value counts of the running totals grow as new values (requests, keys) turn up."""
    have = values.shape[axis]
    if have >= size:
        return values
    pad = [(0, 0)] * values.ndim
    pad[axis] = (0, size - have)
    return np.pad(values, pad)
