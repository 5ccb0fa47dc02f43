"""Regression gates for CI: B may be this much worse than A, and no more."""

from __future__ import annotations

import math
from dataclasses import dataclass

from loadgui.store.compare import RunDiff


@dataclass(frozen=True, slots=True)
class Gates:
    """Fractions: p99 may rise by `max_p99_regression` (0.1 = 10 %), requests/s fall by
    `max_rps_drop`; the error rate may rise by `max_error_rate_increase` (absolute)."""

    max_p99_regression: float | None = None
    max_rps_drop: float | None = None
    max_error_rate_increase: float | None = None

    def failures(self, diff: RunDiff) -> list[str]:
        """One line per gate crossed (or that cannot be checked); empty when all hold."""
        out = []
        overall = diff.overall
        if self.max_p99_regression is not None:
            p99 = overall.metric("p99")
            if math.isnan(p99.a) or math.isnan(p99.b):
                side = "A" if math.isnan(p99.a) else "B"
                out.append(f"cannot check --max-p99-regression: run {side} has no "
                           "successful request to time")
            elif p99.change is not None and p99.change > self.max_p99_regression:
                out.append(f"p99 latency rose {p99.change:.1%} ({p99.a:,.1f} ms → "
                           f"{p99.b:,.1f} ms), above --max-p99-regression "
                           f"{self.max_p99_regression:.1%}")
        if self.max_rps_drop is not None:
            rps = overall.metric("rps")
            drop = -(rps.change or 0.0)
            if rps.a > 0 and drop > self.max_rps_drop:
                out.append(f"throughput fell {drop:.1%} ({rps.a:,.1f} → {rps.b:,.1f} "
                           f"requests/s), more than --max-rps-drop {self.max_rps_drop:.1%}")
        if self.max_error_rate_increase is not None:
            errors = overall.metric("error_rate")
            rise = errors.b - errors.a
            if rise > self.max_error_rate_increase:
                out.append(f"error rate rose {rise * 100:.2f} points ({errors.a:.2%} → "
                           f"{errors.b:.2%}), "
                           f"more than --max-error-rate-increase "
                           f"{self.max_error_rate_increase:g}")
        return out
