"""Retry delays: fixed, exponential and decorrelated jitter. Pure and seedable."""

from __future__ import annotations

import random


class Backoff:
    """Delays before each retry of one request; make one per request.

    fixed:        base every time
    exponential:  base * 2 ** (attempt - 1), capped at cap
    jitter:       decorrelated jitter: uniform(base, previous * 3), capped at cap
    """

    def __init__(self, method: str, base: float, cap: float, rng: random.Random | None = None):
        if method not in ("fixed", "exponential", "jitter"):
            raise ValueError(f"unknown backoff method {method!r}")
        self.method = method
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()
        self._previous = base

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retrying after failed attempt number `attempt` (1-based)."""
        if self.method == "fixed":
            return min(self.base, self.cap)
        if self.method == "exponential":
            return float(min(self.cap, self.base * 2.0 ** (attempt - 1)))
        upper = max(self.base, self._previous * 3)
        self._previous = float(min(self.cap, self._rng.uniform(self.base, upper)))
        return self._previous
