"""Latency figures and one group's figures: computed exactly from values, or from a histogram."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from loadgui.engine.stats.basics import percentiles
from loadgui.engine.stats.histogram import LatencyHistogram
from loadgui.engine.stats.units import to_ms

REPORT_PERCENTILES = (50.0, 90.0, 95.0, 99.0, 99.9)


@dataclass(frozen=True, slots=True)
class LatencyFigures:
    """Latencies in seconds over successful attempts; NaN when there is none."""

    count: int = 0
    min: float = math.nan
    mean: float = math.nan
    p50: float = math.nan
    p90: float = math.nan
    p95: float = math.nan
    p99: float = math.nan
    p999: float = math.nan
    max: float = math.nan
    # Percentiles from a histogram, each within 0.5 % (a live report, or a final one of a run
    # too long to hold every row); count, min, mean and max are exact either way.
    approximate: bool = False

    @classmethod
    def exact(cls, values: np.ndarray) -> LatencyFigures:
        """numpy over every value (the final report)."""
        if len(values) == 0:
            return cls()
        p50, p90, p95, p99, p999 = percentiles(values, REPORT_PERCENTILES)
        return cls(len(values), float(values.min()), float(values.mean()), p50, p90, p95, p99,
                   p999, float(values.max()))

    @classmethod
    def estimated(cls, histogram: LatencyHistogram) -> LatencyFigures:
        """From a log-bucketed histogram, each percentile within 0.5 % (live views)."""
        if histogram.count == 0:
            return cls()
        p50, p90, p95, p99, p999 = histogram.percentiles(REPORT_PERCENTILES)
        return cls(histogram.count, histogram.min, histogram.mean, p50, p90, p95, p99, p999,
                   histogram.max, approximate=True)

    def to_dict(self) -> dict[str, Any]:
        return {"min": to_ms(self.min), "mean": to_ms(self.mean), "p50": to_ms(self.p50),
                "p90": to_ms(self.p90), "p95": to_ms(self.p95), "p99": to_ms(self.p99),
                "p99_9": to_ms(self.p999), "max": to_ms(self.max), "exact": not self.approximate}


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """The attempts of one request, target, key, status or error kind: the totals' figures."""

    name: str
    requests: int
    successes: int
    failures: int
    exceptions: int
    bytes_received: int
    latency: LatencyFigures
    rps: float

    @property
    def error_rate(self) -> float:
        return (self.failures + self.exceptions) / self.requests if self.requests else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "requests": self.requests, "successes": self.successes,
                "failures": self.failures, "exceptions": self.exceptions,
                "error_rate": round(self.error_rate, 6), "rps": round(self.rps, 2),
                "bytes_received": self.bytes_received, "latency_ms": self.latency.to_dict()}
