"""k6-style thresholds: expressions over the report ("p95 < 300ms"), each pass or fail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loadgui.engine.stats.report import Report


@dataclass(frozen=True, slots=True)
class ThresholdResult:
    expression: str
    passed: bool
    value: float | None  # the report's figure the expression compares, None when absent
    detail: str  # e.g. "p95 = 312 ms (limit 300 ms)"

    def to_dict(self) -> dict[str, Any]:
        return {"expression": self.expression, "passed": self.passed, "value": self.value,
                "detail": self.detail}


def evaluate(expressions: Sequence[str], report: Report) -> tuple[ThresholdResult, ...]:
    """Each threshold against the report (expressions were validated with the profile)."""
    return ()
