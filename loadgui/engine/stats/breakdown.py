"""Figures per request of the mix or per target, computed from the recorder's columns."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from loadgui.engine.stats.basics import percentiles, success_mask, to_ms
from loadgui.engine.stats.recorder import Recorder

BREAKDOWN_PERCENTILES = (50.0, 90.0, 95.0, 99.0)


@dataclass(frozen=True)
class GroupStats:
    """One request's (or target's) attempts. Latencies in seconds over successes, NaN if none."""

    label: str
    count: int
    successes: int
    failures: int
    exceptions: int
    min: float
    p50: float
    mean: float
    p90: float
    p95: float
    p99: float
    max: float

    def to_dict(self) -> dict:

        return {"name": self.label, "count": self.count, "successes": self.successes,
                "failures": self.failures, "exceptions": self.exceptions,
                "latency_ms": {"min": to_ms(self.min), "median": to_ms(self.p50),
                               "mean": to_ms(self.mean), "p90": to_ms(self.p90),
                               "p95": to_ms(self.p95), "p99": to_ms(self.p99),
                               "max": to_ms(self.max)}}


def breakdown(columns: dict[str, np.ndarray], labels: list[str], column: str) -> list[GroupStats]:
    """Stats for each label of `column` ("request" or "target"), in label order; O(rows)."""
    groups = columns[column]
    ok_all = success_mask(columns["status"], columns["error"])
    out = []
    for index, label in enumerate(labels):
        mine = groups == index
        ok = ok_all & mine
        latency = columns["latency"][ok]
        count, successes = int(mine.sum()), int(ok.sum())
        exceptions = int((mine & (columns["status"] == 0)).sum())
        p50, p90, p95, p99 = percentiles(latency, BREAKDOWN_PERCENTILES)
        has = len(latency) > 0
        out.append(GroupStats(
            label=label, count=count, successes=successes,
            failures=count - successes - exceptions, exceptions=exceptions,
            min=float(latency.min()) if has else math.nan, p50=p50,
            mean=float(latency.mean()) if has else math.nan, p90=p90, p95=p95, p99=p99,
            max=float(latency.max()) if has else math.nan))
    return out


def breakdowns(recorder: Recorder) -> dict[str, list[GroupStats]]:
    """Per request and per target figures, for whichever of the two a run has several of."""
    labels, columns = recorder.labels, recorder.columns()
    return {name: breakdown(columns, labels[name], name)
            for name in ("request", "target") if len(labels[name]) > 1}
