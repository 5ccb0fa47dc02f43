"""Requests, as the user asked for them, beside attempts: retries, amplification, latency
from a request's first send to its final outcome.

A request is one row with `attempt == 1` (its first send) plus a row for each retry; its
outcome is its `final` row. Everything here is folded from new rows only: bincounts of
the attempt numbers, counts, and a histogram of request latencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from loadgui.engine.stats.figures import LatencyFigures
from loadgui.engine.stats.histogram import LatencyHistogram

ATTEMPT_SLOTS = 256  # the attempt column is a uint8


@dataclass(frozen=True, slots=True)
class RequestFigures:
    """Requests beside attempts (docs/report.md, `request_figures`).

    `requests` counts requests sent (their first attempt recorded); a request's outcome is
    its final attempt. Rates are over `requests`. `latency` is over successful requests, from
    the first intended send to the end of the successful attempt, backoff included.
    """

    requests: int = 0
    attempts: int = 0
    first_attempt_successes: int = 0  # requests whose first attempt succeeded
    final_successes: int = 0  # requests whose final attempt succeeded
    # Requests with no final attempt yet: waiting to retry (live), or the run ended during
    # their wait (final report).
    awaiting_retry: int = 0
    retries_per_request: dict[int, int] = field(default_factory=dict)  # retries -> requests
    latency: LatencyFigures = field(default_factory=LatencyFigures)
    retry_after_waits: int = 0  # retries whose wait the server's Retry-After set

    @property
    def amplification(self) -> float:
        """Attempts per request (1.0: no retries); 0 before any request."""
        return self.attempts / self.requests if self.requests else 0.0

    @property
    def first_attempt_success_rate(self) -> float:
        return self.first_attempt_successes / self.requests if self.requests else 0.0

    @property
    def final_success_rate(self) -> float:
        return self.final_successes / self.requests if self.requests else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests, "attempts": self.attempts,
            "amplification": round(self.amplification, 6),
            "first_attempt_successes": self.first_attempt_successes,
            "final_successes": self.final_successes,
            "first_attempt_success_rate": round(self.first_attempt_success_rate, 6),
            "final_success_rate": round(self.final_success_rate, 6),
            "awaiting_retry": self.awaiting_retry,
            "retries_per_request": {str(k): v for k, v in self.retries_per_request.items()},
            "latency_ms": self.latency.to_dict(),
            "retry_after_waits": self.retry_after_waits,
        }


class RequestTotals:
    """Kept up to date from new rows only (O(new rows))."""

    def __init__(self) -> None:
        self.rows = 0  # rows folded in: every attempt
        self.by_attempt = np.zeros(ATTEMPT_SLOTS, np.int64)  # attempt number -> rows
        self.first_successes = 0
        self.finals = 0
        self.final_successes = 0
        self.latency = LatencyHistogram()  # successful requests' latencies

    def fold(self, cols: dict[str, np.ndarray], new: slice, ok: np.ndarray,
             timed: np.ndarray) -> None:
        """Fold the rows `new` of `cols` in; `ok` is their success mask, `timed` the mask of
        those whose latency counts (basics.timed_mask)."""
        attempt = cols["attempt"][new]
        final = cols["final"][new].astype(bool)
        self.rows += len(attempt)
        self.by_attempt += np.bincount(attempt, minlength=ATTEMPT_SLOTS)[:ATTEMPT_SLOTS]
        self.first_successes += int((ok & (attempt == 1)).sum())
        self.finals += int(final.sum())
        self.final_successes += int((final & ok).sum())
        # Timed like attempts: answered 2xx/3xx, whether or not a check failed.
        final_timed = final & timed
        if final_timed.any():
            self.latency.add_many(_request_latency(cols["req_latency"][new][final_timed]))

    @property
    def requests(self) -> int:
        return int(self.by_attempt[1])

    def retries_per_request(self) -> dict[int, int]:
        """Retries -> requests with that many: those that reached attempt k + 1 but not k + 2
        (exact even for a request whose retry never went)."""
        reached = self.by_attempt[1:]
        exactly = reached - np.append(reached[1:], 0)
        return {int(k): int(exactly[k]) for k in np.flatnonzero(exactly)}

    def figures(self, retry_after_waits: int = 0, cols: dict[str, np.ndarray] | None = None,
                timed: np.ndarray | None = None) -> RequestFigures | None:
        """None before any request. Given every row (`cols`, with `timed` their timed mask:
        a final report that still holds them), exact latency percentiles; otherwise they
        come from the histogram."""
        if not self.rows:
            return None
        if cols is None or timed is None:
            latency = LatencyFigures.estimated(self.latency)
        else:
            chosen = cols["final"].astype(bool) & timed
            latency = LatencyFigures.exact(_request_latency(cols["req_latency"][chosen]))
        return RequestFigures(
            requests=self.requests, attempts=self.rows,
            first_attempt_successes=self.first_successes,
            final_successes=self.final_successes,
            awaiting_retry=max(self.requests - self.finals, 0),
            retries_per_request=self.retries_per_request(), latency=latency,
            retry_after_waits=retry_after_waits)


def _request_latency(values: np.ndarray) -> np.ndarray:
    """Request latencies (a float32 column) as seconds to count: never negative."""
    return np.maximum(values.astype(np.float64), 0.0)
