"""Whole-run totals kept up to date from new rows only, so a live snapshot costs O(new rows)."""

from __future__ import annotations

import numpy as np

from loadgui.engine.stats.basics import ErrorKind, success_mask
from loadgui.engine.stats.histogram import LatencyHistogram

LATE_SEND_S = 0.010
STATUS_SLOTS = 1000


class RunningTotals:
    """Counts, bytes and latency histograms of every row folded in so far."""

    def __init__(self) -> None:
        self.rows = 0  # rows folded in
        self.successes = 0
        self.exceptions = 0
        self.retries = 0
        self.bytes = 0
        self.late_sends = 0
        self.any_wait = False
        self.status = np.zeros(STATUS_SLOTS, np.int64)
        self.errors = np.zeros(len(ErrorKind), np.int64)
        self.latency = LatencyHistogram()  # successful attempts, from the intended send
        self.service = LatencyHistogram()  # successful attempts, from the actual send

    def fold(self, cols: dict[str, np.ndarray], upto: int) -> None:
        """Fold rows [self.rows, upto) in."""
        if upto <= self.rows:
            return
        new = slice(self.rows, upto)
        status, error = cols["status"][new], cols["error"][new]
        attempt, wait = cols["attempt"][new], cols["wait"][new]
        ok = success_mask(status, error)
        latency = cols["latency"][new][ok]
        self.successes += int(ok.sum())
        self.exceptions += int((status == 0).sum())
        self.retries += int((attempt > 1).sum())
        self.bytes += int(cols["bytes"][new].sum())
        self.late_sends += int(((attempt == 1) & (wait > LATE_SEND_S)).sum())
        self.status += np.bincount(np.clip(status, 0, STATUS_SLOTS - 1),
                                   minlength=STATUS_SLOTS)
        self.errors += np.bincount(error, minlength=len(ErrorKind))[:len(ErrorKind)]
        self.latency.add_many(latency)
        ok_wait = wait[ok]
        if ok_wait.any():
            self.any_wait = True
        self.service.add_many(np.maximum(latency - ok_wait, 0.0))
        self.rows = upto

    def status_counts(self) -> dict[int, int]:
        codes = np.flatnonzero(self.status)
        return {int(c): int(self.status[c]) for c in codes if c > 0}

    def error_counts(self) -> dict[str, int]:
        return {ErrorKind(int(e)).name.lower(): int(self.errors[e])
                for e in np.flatnonzero(self.errors) if e > 0}
