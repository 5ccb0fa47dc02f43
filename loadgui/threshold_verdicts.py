"""Stored runs against their thresholds: pass or fail per run, for the history list and
`loadgui runs list`. Qt-free.

Read from each stored report's `thresholds` (the catalog keeps the report as JSON in
`runs.report`), taking only the part from the `"thresholds":` key on: the rest of a report,
tens of kilobytes, is neither sent out of SQLite nor parsed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loadgui.store import catalog

if TYPE_CHECKING:
    from loadgui.engine.stats.thresholds import ThresholdResult
    from loadgui.store import RunStore

PASS_MARK, FAIL_MARK = "✓", "✗"
_KEY = '"thresholds":['  # the stored report's key; only at its top level
_SELECT = ("SELECT id, CASE WHEN instr(report, ?) > 0 THEN substr(report, instr(report, ?) + ?)"
           " END FROM runs WHERE report IS NOT NULL")


@dataclass(frozen=True, slots=True)
class Verdict:
    """A run's thresholds: how many there were and which failed."""

    total: int
    failed: tuple[str, ...]  # the expressions that failed

    @property
    def passed(self) -> bool:
        return not self.failed

    def text(self) -> str:
        """"✓ 3/3" or "✗ 1/3": passed of all, for a list's column."""
        mark = PASS_MARK if self.passed else FAIL_MARK
        return f"{mark} {self.total - len(self.failed)}/{self.total}"

    def tooltip(self) -> str:
        if self.passed:
            return f"every threshold passed ({self.total})"
        return "failed: " + "; ".join(self.failed)

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "total": self.total, "failed": list(self.failed)}


def verdict_of(results: Sequence[ThresholdResult]) -> Verdict | None:
    """None for a run without thresholds."""
    if not results:
        return None
    return Verdict(len(results), tuple(r.expression for r in results if not r.passed))


def stored_verdicts(store: RunStore) -> dict[int, Verdict]:
    """Run id -> its verdict, for every stored run that has thresholds and a report."""
    with catalog.connection(store.catalog_path) as conn:
        try:
            rows = conn.execute(_SELECT, (_KEY, _KEY, len(_KEY) - 1)).fetchall()
        except sqlite3.Error:  # an older or damaged catalog: no verdicts, not an error
            return {}
    verdicts = {}
    for run_id, tail in rows:
        verdict = _verdict_of_json(tail) if tail else None
        if verdict is not None:
            verdicts[int(run_id)] = verdict
    return verdicts


def _verdict_of_json(tail: str) -> Verdict | None:
    """From the text that starts at the thresholds' list (and runs on to the report's end)."""
    try:
        results, _ = json.JSONDecoder().raw_decode(tail)
    except ValueError:
        return None
    if not isinstance(results, list) or not results:
        return None
    failed = tuple(str(r.get("expression", "?")) for r in results
                   if isinstance(r, dict) and not r.get("passed", False))
    return Verdict(len(results), failed)
