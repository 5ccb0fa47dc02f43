"""Whole-run totals kept up to date from new rows only, so a live report costs O(new rows)."""

from __future__ import annotations

import numpy as np

from loadgui.engine.stats.basics import ErrorKind, success_mask, timed_mask
from loadgui.engine.stats.check_totals import CheckTotals
from loadgui.engine.stats.errors import ErrorGroups
from loadgui.engine.stats.groups import DIMENSIONS, DimensionTotals
from loadgui.engine.stats.histogram import LatencyHistogram
from loadgui.engine.stats.key_totals import KeyTotals
from loadgui.engine.stats.request_totals import RequestTotals

LATE_SEND_S = 0.010
# Sends planned in the first WARMUP_S seconds are "warm-up": a late one there is the
# generator getting going (connections opening), not the steady state, and is counted apart.
WARMUP_S = 0.5


class RunningTotals:
    """Counts, bytes, latency histograms, groups and failures of every row folded in so far."""

    def __init__(self) -> None:
        self.rows = 0  # rows folded in
        self.successes = 0
        self.exceptions = 0
        self.bytes = 0
        self.late_sends = 0
        self.warmup_late_sends = 0
        self.any_wait = False
        self.latency = LatencyHistogram()  # successful attempts, from the intended send
        self.service = LatencyHistogram()  # successful attempts, from the actual send
        self.dimensions = {name: DimensionTotals(name) for name in DIMENSIONS}
        self.failures = ErrorGroups()
        self.connect = LatencyHistogram()  # new connections' connect times
        self.checks = CheckTotals()
        self.requests = RequestTotals()
        self.keys = KeyTotals()

    def fold(self, cols: dict[str, np.ndarray], upto: int, first: int = 0) -> None:
        """Fold rows [self.rows, upto) of the run in; `cols` holds rows [first, ...) (a
        recorder that dropped its older rows)."""
        if upto <= self.rows:
            return
        new = slice(self.rows - first, upto - first)
        status, error = cols["status"][new], cols["error"][new]
        attempt, wait = cols["attempt"][new], cols["wait"][new]
        t_start, nbytes = cols["t_start"][new], cols["bytes"][new]
        # A latency is never negative (a clock read early must not kill the report).
        all_latency = np.maximum(cols["latency"][new], 0.0)
        ok = success_mask(status, error)
        no_response = status == 0
        timed = timed_mask(status, error) if self.checks_seen(error) else ok
        latency = all_latency[timed]
        self.successes += int(ok.sum())
        self.exceptions += int(no_response.sum())
        self.bytes += int(nbytes.sum())
        late = (attempt == 1) & (wait > LATE_SEND_S)
        warmup = t_start < WARMUP_S
        self.late_sends += int((late & ~warmup).sum())
        self.warmup_late_sends += int((late & warmup).sum())
        self.latency.add_many(latency)
        ok_wait = wait[timed]
        if ok_wait.any():
            self.any_wait = True
        self.service.add_many(np.maximum(latency - ok_wait, 0.0))
        for name, dimension in self.dimensions.items():
            dimension.fold(cols[name][new], ok, no_response, nbytes, latency, timed)
        connect = cols["connect"][new]
        if connect.any():
            self.connect.add_many(connect[connect > 0].astype(np.float64))
        self.checks.fold(cols, new)
        self.requests.fold(cols, new, ok, timed)
        self.keys.fold(cols, new)
        if not ok.all():
            failed = ~ok
            self.failures.fold({
                "error": error[failed], "message": cols["message"][new][failed],
                "request": cols["request"][new][failed], "target": cols["target"][new][failed],
                "status": status[failed], "t_end": t_start[failed] + all_latency[failed]})
        self.rows = upto

    @staticmethod
    def checks_seen(error: np.ndarray) -> bool:
        """Whether any of these attempts failed a check (else the timed are the successes)."""
        return bool((error == ErrorKind.CHECK).any())

    # Counts per status and per error kind are those of the `status` and `error` dimensions
    # (their breakdowns), and retries the request totals' counts of attempts past the first.

    @property
    def retries(self) -> int:
        return int(self.requests.by_attempt[2:].sum())

    @property
    def cancelled(self) -> int:
        errors = self.dimensions["error"].requests
        return int(errors[ErrorKind.CANCELLED]) if len(errors) > ErrorKind.CANCELLED else 0

    def status_counts(self) -> dict[int, int]:
        status = self.dimensions["status"].requests
        return {int(c): int(status[c]) for c in np.flatnonzero(status) if c > 0}

    def error_counts(self) -> dict[str, int]:
        errors = self.dimensions["error"].requests[:len(ErrorKind)]
        return {ErrorKind(int(e)).name.lower(): int(errors[e])
                for e in np.flatnonzero(errors) if e > 0}
