"""Is run B better or worse than run A? The diff of two runs' reports, overall, per request
and per target, with a verdict per figure against a noise band; and what differs in their
profiles, since runs of different profiles compare too."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from loadgui.engine.stats.figures import GroupFigures, LatencyFigures
from loadgui.engine.stats.report import Report
from loadgui.store.info import RunInfo
from loadgui.store.opened import StoredRun
from loadgui.store.profile_diff import ProfileChange, profile_changes

DEFAULT_NOISE = 0.05
# Error rates compare on a relative change too, but a difference below this many (absolute)
# is the same: 1 error in 10,000 against none is not a regression.
ERROR_RATE_FLOOR = 0.001
BETTER, WORSE, SAME, MIXED, UNKNOWN = "better", "worse", "same", "mixed", "n/a"


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    label: str
    unit: str  # "/s", "ms" or "" (a fraction)
    higher_is_better: bool


METRICS = (
    Metric("rps", "requests/s", "/s", True),
    Metric("p50", "p50", "ms", False),
    Metric("p90", "p90", "ms", False),
    Metric("p95", "p95", "ms", False),
    Metric("p99", "p99", "ms", False),
    Metric("max", "max", "ms", False),
    Metric("error_rate", "error rate", "", False),
)


@dataclass(frozen=True, slots=True)
class MetricDelta:
    """One figure in both runs. Latencies in ms, rates per second, error rate a fraction;
    NaN where a run has no value (no successful attempt to time)."""

    metric: Metric
    a: float
    b: float
    change: float | None  # (b - a) / a; None when a is 0 or either is NaN
    verdict: str  # better, worse, same, n/a

    def to_dict(self) -> dict[str, Any]:
        def number(value: float) -> float | None:
            return None if math.isnan(value) else round(value, 6)

        return {"a": number(self.a), "b": number(self.b), "delta": number(self.b - self.a),
                "change_pct": None if self.change is None else round(self.change * 100, 2),
                "verdict": self.verdict}


@dataclass(frozen=True, slots=True)
class ScopeDiff:
    """The figures of one scope: `kind` overall, request or target, and its name."""

    kind: str
    name: str
    metrics: tuple[MetricDelta, ...]
    in_a: bool = True
    in_b: bool = True

    def metric(self, name: str) -> MetricDelta:
        return next(m for m in self.metrics if m.metric.name == name)

    @property
    def verdict(self) -> str:
        return overall_verdict(self.metrics)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "in_a": self.in_a, "in_b": self.in_b,
                "verdict": self.verdict,
                "metrics": {m.metric.name: m.to_dict() for m in self.metrics}}


@dataclass(frozen=True)
class RunDiff:
    """B against A. `a`/`b` are None when bare reports were compared."""

    a: RunInfo | None
    b: RunInfo | None
    noise: float
    overall: ScopeDiff
    requests: tuple[ScopeDiff, ...]
    targets: tuple[ScopeDiff, ...]
    profile_changes: tuple[ProfileChange, ...]

    @property
    def verdict(self) -> str:
        """worse if any overall figure is worse and none better; mixed if both; ..."""
        return self.overall.verdict

    @property
    def scopes(self) -> tuple[ScopeDiff, ...]:
        return (self.overall, *self.requests, *self.targets)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": None if self.a is None else self.a.to_dict(),
            "b": None if self.b is None else self.b.to_dict(),
            "noise_pct": round(self.noise * 100, 3), "verdict": self.verdict,
            "overall": self.overall.to_dict(),
            "requests": [s.to_dict() for s in self.requests],
            "targets": [s.to_dict() for s in self.targets],
            "same_profile": not self.profile_changes,
            "profile_changes": [c.to_dict() for c in self.profile_changes],
        }


def compare_runs(a: StoredRun, b: StoredRun, noise: float = DEFAULT_NOISE) -> RunDiff:
    """B against A: what the window's compare view and `loadgui compare` show."""
    diff = compare_reports(a.report, b.report, noise)
    return RunDiff(a.info, b.info, noise, diff.overall, diff.requests, diff.targets,
                   profile_changes(a.profile_data, b.profile_data))


def compare_reports(a: Report, b: Report, noise: float = DEFAULT_NOISE) -> RunDiff:
    overall = ScopeDiff("overall", "overall", _deltas(
        _figures(a.rps, a.latency, a.error_rate), _figures(b.rps, b.latency, b.error_rate),
        noise))
    return RunDiff(None, None, noise, overall, _groups("request", a, b, noise),
                   _groups("target", a, b, noise), ())


def _groups(kind: str, a: Report, b: Report, noise: float) -> tuple[ScopeDiff, ...]:
    groups_a = {g.name: g for g in a.breakdowns.get(kind, ())}
    groups_b = {g.name: g for g in b.breakdowns.get(kind, ())}
    out = []
    for name in dict.fromkeys([*groups_a, *groups_b]):
        ga, gb = groups_a.get(name), groups_b.get(name)
        out.append(ScopeDiff(kind, name, _deltas(_group(ga), _group(gb), noise),
                             ga is not None, gb is not None))
    return tuple(out)


def _group(g: GroupFigures | None) -> dict[str, float]:
    if g is None:
        return {m.name: math.nan for m in METRICS}
    return _figures(g.rps, g.latency, g.error_rate)


def _figures(rps: float, latency: LatencyFigures, error_rate: float) -> dict[str, float]:
    return {"rps": rps, "p50": latency.p50 * 1000, "p90": latency.p90 * 1000,
            "p95": latency.p95 * 1000, "p99": latency.p99 * 1000, "max": latency.max * 1000,
            "error_rate": error_rate}


def _deltas(a: dict[str, float], b: dict[str, float], noise: float) -> tuple[MetricDelta, ...]:
    return tuple(delta(m, a[m.name], b[m.name], noise) for m in METRICS)


def delta(metric: Metric, a: float, b: float, noise: float) -> MetricDelta:
    if math.isnan(a) or math.isnan(b):
        return MetricDelta(metric, a, b, None, UNKNOWN)
    change = (b - a) / abs(a) if a != 0 else None
    noisy = change is not None and abs(change) <= noise
    if a == b or noisy or (metric.name == "error_rate" and abs(b - a) < ERROR_RATE_FLOOR):
        verdict = SAME
    else:
        verdict = BETTER if (b > a) == metric.higher_is_better else WORSE
    return MetricDelta(metric, a, b, change, verdict)


def overall_verdict(metrics: tuple[MetricDelta, ...]) -> str:
    verdicts = {m.verdict for m in metrics}
    if WORSE in verdicts:
        return MIXED if BETTER in verdicts else WORSE
    if BETTER in verdicts:
        return BETTER
    return SAME if SAME in verdicts else UNKNOWN
