"""How the window names and lists stored runs: one row of the history per run, the filter,
and which earlier run "the last run of the same profile" is. Qt-free."""

from __future__ import annotations

import math
from collections.abc import Sequence

from loadgui.engine.stats.units import ms_text
from loadgui.store import RunInfo
from loadgui.threshold_verdicts import Verdict

# The target last: on a small screen it is the one cut short (its tooltip has it whole).
COLUMNS = ("#", "Name", "Started", "Requests", "Req/s", "p99 ms", "Errors", "State",
           "Thresholds", "Target")
NUMERIC = frozenset({0, 3, 4, 5, 6})  # right-aligned, sorted by value
STATE_COLUMN, THRESHOLDS_COLUMN, TARGET_COLUMN = 7, 8, 9
STATE_MARKS = {"completed": "✓", "stopped": "■", "failed": "✗", "interrupted": "⚠",
               "running": "…"}
BAD_STATES = frozenset({"failed", "interrupted"})


def when(info: RunInfo) -> str:
    return f"{info.started:%Y-%m-%d %H:%M}"


def stored_caption(info: RunInfo) -> str:
    """"Stored run 12 (2026-05-01 14:12)": what the status bar and the bar above the plots
    call a run opened from the history."""
    return f"Stored run {info.id} ({when(info)})"


def run_label(info: RunInfo) -> str:
    """"run 12 · smoke · 05-01 14:12": a run in the compare view's legend and headings."""
    return f"run {info.id} · {info.name} · {info.started:%m-%d %H:%M}"


def state_text(info: RunInfo) -> str:
    return f"{STATE_MARKS.get(info.status, '')} {info.status}".strip()


def row_texts(info: RunInfo, verdict: Verdict | None = None) -> tuple[str, ...]:
    """The history's columns for one run; figures are "–" until the run has its report."""
    figures = ("–",) * 4
    if info.requests is not None:
        p99 = math.nan if info.p99 is None else info.p99
        figures = (f"{info.requests:,}", f"{info.rps or 0.0:,.1f}", ms_text(p99),
                   f"{(info.error_rate or 0.0) * 100:.2f} %")
    target = info.target.removeprefix("http://")  # in full in the tooltip
    return (str(info.id), name_text(info), when(info), *figures, state_text(info),
            thresholds_text(verdict), target)


def thresholds_text(verdict: Verdict | None) -> str:
    """"✓ 3/3" or "✗ 1/3" (passed of all); empty for a run without thresholds."""
    return verdict.text() if verdict is not None else ""


def thresholds_sort_key(verdict: Verdict | None) -> float:
    """Failed runs first when ascending, by how many passed; runs without thresholds last."""
    if verdict is None:
        return math.inf
    return verdict.total - len(verdict.failed) + (1000 if verdict.passed else 0)


def name_text(info: RunInfo) -> str:
    """"smoke [nightly, release]": the run's name and its tags, if any."""
    return f"{info.name} [{', '.join(info.tags)}]" if info.tags else info.name


def sort_keys(info: RunInfo, verdict: Verdict | None = None) -> tuple[float | str, ...]:
    """What each column sorts by: numbers as numbers, a missing figure lowest."""
    def number(value: float | None) -> float:
        return -math.inf if value is None or math.isnan(value) else value

    return (info.id, info.name.lower(), info.started_at, number(info.requests),
            number(info.rps), number(info.p99), number(info.error_rate), info.status,
            thresholds_sort_key(verdict), info.target.lower())


def matches(info: RunInfo, text: str) -> bool:
    """The filter: every word in the run's name, its tags or the target, ignoring case."""
    haystack = "\n".join((info.name, *info.tags, info.target)).lower()
    return all(word in haystack for word in text.lower().split())


def previous_of(runs: Sequence[RunInfo], run_id: int) -> RunInfo | None:
    """The last finished run of the same profile (by name) before run `run_id`, from a
    listing newest first; None when there is none, or `run_id` is not listed."""
    current = next((run for run in runs if run.id == run_id), None)
    if current is None:
        return None
    return next((run for run in runs if run.id < run_id and run.finished
                 and run.name == current.name), None)
