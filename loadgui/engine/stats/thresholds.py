"""k6-style thresholds: expressions over the report ("p95 < 300ms"), each pass or fail.

The grammar (a small hand-written parser) is in loadgui/profile_thresholds.py, where the
profile validates its expressions before a run; this module reads each one's figure from a
report. A figure the report does not have yet (no success, no check ran, no such request)
fails with a detail that says why; `waiting()` tells a live view to show it as not decided.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loadgui.engine.stats.units import ms_text
from loadgui.profile_thresholds import (
    COUNT,
    FRACTION,
    LATENCY,
    Threshold,
    ThresholdSyntaxError,
    parse_threshold,
)

if TYPE_CHECKING:
    from loadgui.engine.stats.check_totals import CheckFigures
    from loadgui.engine.stats.figures import LatencyFigures
    from loadgui.engine.stats.report import Report

__all__ = ["Threshold", "ThresholdResult", "ThresholdSyntaxError", "evaluate",
           "parse_threshold", "value_text"]

_LATENCY_FIELDS = {"p50": "p50", "p90": "p90", "p95": "p95", "p99": "p99", "p99.9": "p999",
                   "avg": "mean", "min": "min", "max": "max"}


@dataclass(frozen=True, slots=True)
class ThresholdResult:
    expression: str
    passed: bool
    # The report's figure the expression compares, None when absent: latency in ms,
    # error_rate and checks as fractions, rps in requests/s, counts.
    value: float | None
    detail: str  # e.g. "p95 = 312 ms (limit < 300 ms)"

    def to_dict(self) -> dict[str, Any]:
        return {"expression": self.expression, "passed": self.passed, "value": self.value,
                "detail": self.detail}

    @property
    def waiting(self) -> bool:
        """No figure to compare yet: a live view shows it undecided rather than failed."""
        return self.value is None


@dataclass(frozen=True, slots=True)
class _Scope:
    """The figures a threshold can read, of the whole run or of one request or target."""

    requests: int
    failed: int  # attempts answered >= 400 or not answered
    error_rate: float | None  # failed attempts / attempts, None without any
    rps: float | None
    latency: LatencyFigures
    checks: Sequence[CheckFigures]


def evaluate(expressions: Sequence[str], report: Report) -> tuple[ThresholdResult, ...]:
    """Each threshold against the report (expressions were validated with the profile)."""
    return tuple(evaluate_one(expression, report) for expression in expressions)


def evaluate_one(expression: str, report: Report) -> ThresholdResult:
    try:
        threshold = parse_threshold(expression)
    except ThresholdSyntaxError as exc:  # a stored or hand-made report: say so, don't raise
        return ThresholdResult(expression, False, None, f"does not parse: {exc}")
    scope = _scope(threshold, report)
    if isinstance(scope, str):
        return ThresholdResult(expression, False, None, scope)
    value = _figure(threshold, scope)
    if isinstance(value, str):
        return ThresholdResult(expression, False, None, f"{threshold.subject()}: {value}")
    passed = threshold.holds(value)
    shown = _shown(threshold.kind, value)
    limit = _shown(threshold.kind, threshold.limit)
    return ThresholdResult(expression, passed, _reported(threshold.kind, value),
                           f"{threshold.subject()} = {shown} (limit {threshold.op} {limit})")


def value_text(result: ThresholdResult) -> str:
    """The result's figure as people read it ("212 ms", "0.35 %", "512.0/s"), "" when
    absent or the expression does not parse."""
    if result.value is None:
        return ""
    try:
        kind = parse_threshold(result.expression).kind
    except ThresholdSyntaxError:
        return ""
    value = result.value / 1000 if kind == LATENCY else result.value
    return _shown(kind, value)


def _scope(threshold: Threshold, report: Report) -> _Scope | str:
    whole = _Scope(report.requests, report.failures + report.exceptions,
                   report.error_rate if report.attempts else None,
                   report.rps if report.elapsed > 0 else None, report.latency, report.checks)
    if not threshold.scope:
        return whole
    groups = report.breakdowns.get(threshold.scope)
    if groups is None:
        # One request or target in the run: its figures are the whole run's. A request's
        # name was checked against the mix with the profile; a target's is the report's.
        if threshold.scope == "target" and _url(threshold.name) != _url(report.target):
            return f"no target {threshold.name} in this run"
        return whole
    wanted = threshold.name if threshold.scope == "request" else _url(threshold.name)
    for group in groups:
        name = group.name if threshold.scope == "request" else _url(group.name)
        if name == wanted:
            checks = tuple(c for c in report.checks if c.request == group.name)
            return _Scope(group.requests, group.failures + group.exceptions,
                          group.error_rate if group.requests else None,
                          group.rps if report.elapsed > 0 else None, group.latency, checks)
    return (f"no {threshold.scope} named {threshold.name}"
            + (" has been sent yet" if not report.final else " in this run"))


def _url(text: str) -> str:
    return text.strip().rstrip("/").lower()


def _figure(threshold: Threshold, scope: _Scope) -> float | str:
    """The figure in the threshold's units (seconds, fraction, /s, count), or why none."""
    figure = threshold.figure
    if figure in _LATENCY_FIELDS:
        value: float = getattr(scope.latency, _LATENCY_FIELDS[figure])
        return "no successful response yet" if math.isnan(value) else value
    if figure == "error_rate":
        return "no requests yet" if scope.error_rate is None else scope.error_rate
    if figure == "checks":
        passes = sum(c.passes for c in scope.checks)
        total = passes + sum(c.fails for c in scope.checks)
        return passes / total if total else "no check has run yet"
    if figure == "rps":
        return "no time has passed yet" if scope.rps is None else scope.rps
    if figure == "requests":
        return float(scope.requests)
    return float(scope.failed)


def _reported(kind: str, value: float) -> float:
    """The value as the report's JSON gives figures: latency in ms, rounded like them."""
    if kind == LATENCY:
        return round(value * 1000, 3)
    return round(value, 6) if kind == FRACTION else value


def _shown(kind: str, value: float) -> str:
    if kind == LATENCY:
        return f"{ms_text(value)} ms"
    if kind == FRACTION:
        return f"{value * 100:.2f} %"
    if kind == COUNT:
        return f"{value:,.0f}"
    return f"{value:,.1f}/s"
