"""Every attempt as one row of growable numpy columns, and snapshots computed from them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from loadgui.engine.stats.basics import PERCENTILES, percentiles, success_mask, to_ms
from loadgui.engine.stats.series import IntervalSeries, Series
from loadgui.engine.stats.totals import RunningTotals

COLUMN_TYPES: dict[str, type] = {
    "t_start": np.float64,  # seconds since the run started (monotonic clock): intended send
    "latency": np.float64,  # seconds from the intended send to the last byte
    "status": np.int16,  # HTTP status, 0 when there was no response
    "bytes": np.int64,  # response bytes received
    "attempt": np.uint8,  # 1 for the first try of a request, 2 for its first retry, ...
    "key": np.int32,  # index of the API key used, -1 for none (never the key itself)
    "error": np.uint8,  # ErrorKind
    "wait": np.float32,  # seconds the send started late (open model); latency - wait = service
    "request": np.uint16,  # index into labels["request"]: which request of the mix
    "target": np.uint16,  # index into labels["target"]: which base URL
}


class Recorder:
    """Append-only columns; `snapshot()` summarises them for people and exports."""

    def __init__(self, capacity: int = 4096, interval: float = 1.0):
        self.interval = interval
        self._n = 0
        self._cols = {name: np.empty(capacity, dtype) for name, dtype in COLUMN_TYPES.items()}
        self._series = IntervalSeries(interval)
        self._totals = RunningTotals()
        # Names behind the request and target indices (set by the run).
        self.labels: dict[str, list[str]] = {"request": ["request"], "target": ["target"]}

    def __len__(self) -> int:
        return self._n

    def add(self, t_start: float, latency: float, status: int, nbytes: int, attempt: int,
            key: int, error: int, wait: float = 0.0, request: int = 0,
            target: int = 0) -> None:
        if self._n == len(self._cols["t_start"]):
            self._grow(self._n + 1)
        i = self._n
        c = self._cols
        c["t_start"][i] = t_start
        c["latency"][i] = latency
        c["status"][i] = status
        c["bytes"][i] = nbytes
        c["attempt"][i] = min(attempt, 255)
        c["key"][i] = key
        c["error"][i] = error
        c["wait"][i] = wait
        c["request"][i] = request
        c["target"][i] = target
        self._n = i + 1

    def extend(self, columns: dict[str, np.ndarray]) -> None:
        """Append a batch of rows (e.g. from another process), in completion order."""
        count = len(columns["t_start"])
        if self._n + count > len(self._cols["t_start"]):
            self._grow(self._n + count)
        for name, col in self._cols.items():
            col[self._n:self._n + count] = columns[name]
        self._n += count

    def _grow(self, needed: int) -> None:
        capacity = max(needed, 2 * len(self._cols["t_start"]))
        for name, col in self._cols.items():
            bigger = np.empty(capacity, col.dtype)
            bigger[:self._n] = col[:self._n]
            self._cols[name] = bigger

    def columns(self) -> dict[str, np.ndarray]:
        """Read-only views of the recorded rows (no copy)."""
        views = {}
        for name, col in self._cols.items():
            view = col[:self._n]
            view.flags.writeable = False
            views[name] = view
        return views

    def snapshot(self, elapsed: float | None = None, exact: bool = True) -> Snapshot:
        """Totals, latency percentiles of successes, status counts and per-interval series.

        `elapsed` is the run's clock now. Closed intervals and totals are cached, so a snapshot
        works only through the rows added since the last one, except the whole-run percentiles:
        exact (numpy over every success, O(rows)) by default, or with `exact=False` from a
        log-bucketed histogram within 0.5 % (LatencyHistogram), for live views.
        """
        cols = self.columns()
        if elapsed is None:
            elapsed = float((cols["t_start"] + cols["latency"]).max()) if self._n else 0.0
        series = self._series.update(cols, elapsed)
        totals = self._totals
        totals.fold(cols, self._n)
        hist = totals.latency
        if exact:
            ok = success_mask(cols["status"], cols["error"])
            ok_latency = cols["latency"][ok]
            p50, p90, p99 = percentiles(ok_latency)
            s50, s90, s99 = (percentiles(ok_latency - cols["wait"][ok]) if totals.any_wait
                             else (p50, p90, p99))
        else:
            p50, p90, p99 = hist.percentiles(PERCENTILES)
            s50, s90, s99 = (totals.service.percentiles(PERCENTILES) if totals.any_wait
                             else (p50, p90, p99))
        return Snapshot(
            elapsed=elapsed,
            requests=self._n,
            successes=totals.successes,
            failures=self._n - totals.successes - totals.exceptions,
            exceptions=totals.exceptions,
            retries=totals.retries,
            bytes_received=totals.bytes,
            latency_avg=hist.mean,
            latency_min=hist.min,
            latency_p50=p50,
            latency_p90=p90,
            latency_p99=p99,
            latency_max=hist.max,
            service_p50=s50,
            service_p90=s90,
            service_p99=s99,
            late_sends=totals.late_sends,
            status_counts=totals.status_counts(),
            error_counts=totals.error_counts(),
            series=series,
        )


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """A summary of the recorder at one moment. Latencies are in seconds, NaN when none."""

    elapsed: float
    requests: int
    successes: int
    failures: int
    exceptions: int
    retries: int
    bytes_received: int
    latency_avg: float
    latency_min: float
    latency_p50: float
    latency_p90: float
    latency_p99: float
    latency_max: float
    status_counts: dict[int, int]
    error_counts: dict[str, int]
    series: Series
    # Open model: latency counts from the intended send; service time from the actual send.
    service_p50: float = math.nan
    service_p90: float = math.nan
    service_p99: float = math.nan
    late_sends: int = 0  # first attempts that started more than LATE_SEND_S after intended
    asked: int = 0  # sends the open model scheduled (0 in the closed model)
    dropped: int = 0  # scheduled sends skipped because the in-flight limit was reached

    @property
    def error_rate(self) -> float:
        return (self.failures + self.exceptions) / self.requests if self.requests else 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict:
        """The JSON summary: counts, rates, and latencies in milliseconds (null when none)."""


        return {
            "requests": self.requests,
            "successes": self.successes,
            "failures": self.failures,
            "exceptions": self.exceptions,
            "retries": self.retries,
            "error_rate": round(self.error_rate, 6),
            "duration_s": round(self.elapsed, 3),
            "rps": round(self.rps, 2),
            "bytes_received": self.bytes_received,
            "latency_ms": {
                "avg": to_ms(self.latency_avg),
                "min": to_ms(self.latency_min),
                "p50": to_ms(self.latency_p50),
                "p90": to_ms(self.latency_p90),
                "p99": to_ms(self.latency_p99),
                "max": to_ms(self.latency_max),
            },
            "service_ms": {
                "p50": to_ms(self.service_p50),
                "p90": to_ms(self.service_p90),
                "p99": to_ms(self.service_p99),
            },
            "generator": {
                "asked": self.asked,
                "dropped": self.dropped,
                "late_sends": self.late_sends,
            },
            "status_counts": {str(k): v for k, v in sorted(self.status_counts.items())},
            "error_counts": dict(sorted(self.error_counts.items())),
        }
