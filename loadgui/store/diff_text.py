"""A comparison as text, for the terminal (`loadgui compare`) or a clipboard."""

from __future__ import annotations

import math

from loadgui.engine.stats.units import ms_text
from loadgui.store.compare import MetricDelta, RunDiff, ScopeDiff
from loadgui.store.info import RunInfo


def diff_text(diff: RunDiff) -> str:
    """The comparison for the terminal: the overall table, one per request and target, and
    what differs in the profiles."""
    def who(info: RunInfo | None) -> str:
        if info is None:
            return "?"
        return f"run {info.id} ({info.name}, {info.started:%Y-%m-%d %H:%M})"

    lines = [f"B {who(diff.b)} against A {who(diff.a)}: {diff.verdict} "
             f"(changes within {diff.noise:.0%} count as the same)"]
    for scope in diff.scopes:
        lines.extend(_scope_lines(scope))
    if diff.profile_changes:
        lines.append("profiles differ:")
        lines.extend(f"  {change.text()}" for change in diff.profile_changes)
    else:
        lines.append("same profile")
    return "\n".join(lines)


def _scope_lines(scope: ScopeDiff) -> list[str]:
    title = "overall" if scope.kind == "overall" else f"{scope.kind} {scope.name}"
    if not (scope.in_a and scope.in_b):
        return [f"{title}: only in run {'A' if scope.in_a else 'B'}"]
    lines = [f"{title:<28} {'A':>11} {'B':>11} {'change':>9}  verdict"]
    lines.extend(f"  {m.metric.label + (' ms' if m.metric.unit == 'ms' else ''):<26} "
                 f"{value_text(m, m.a):>11} {value_text(m, m.b):>11} {change_text(m):>9}  "
                 f"{m.verdict}"
                 for m in scope.metrics)
    return lines


def value_text(m: MetricDelta, value: float, *, unit: bool = False) -> str:
    """One run's figure: ms with one decimal below 100, a rate in %, requests/s."""
    if math.isnan(value):  # no successful attempt to time
        return "–"
    if m.metric.unit == "ms":
        return ms_text(value / 1000) + (" ms" if unit else "")
    return f"{value:.2%}" if m.metric.unit == "" else f"{value:,.1f}"


def change_text(m: MetricDelta) -> str:
    return "–" if m.change is None else f"{m.change:+.1%}"
