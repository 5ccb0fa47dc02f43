"""A report's per-interval series as rows of the catalog's `series` table, and back."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from loadgui.engine.stats.report import Report
from loadgui.engine.stats.series import STATUS_CLASSES, Series
from loadgui.store.info import real

OVERALL, FINE = "", "~fine"  # scope names beside "request: NAME" and "target: URL"
_VALUES = ("t", "requests", "avg", "p50", "p90", "p99", "error_rate")
_GAUGES = ("level", "in_flight", "asked_rps")  # empty arrays when the run had no gauges
COLUMNS = (*_VALUES, *(f"c_{name}" for name in STATUS_CLASSES), *_GAUGES)


def report_series(report: Report) -> dict[str, Series]:
    series = {OVERALL: report.series, **report.scopes}
    if report.fine_series is not None:
        series[FINE] = report.fine_series
    return series


def series_rows(run_id: int, report: Report) -> Iterator[tuple[Any, ...]]:
    """(run_id, scope, i, *COLUMNS) for each interval of each of the report's series."""
    for scope, s in report_series(report).items():
        arrays = [getattr(s, name) for name in _VALUES]
        arrays += [s.classes.get(name, np.zeros(0)) for name in STATUS_CLASSES]
        arrays += [getattr(s, name) for name in _GAUGES]
        columns = [a.tolist() for a in arrays]
        for i in range(len(s.t)):
            yield (run_id, scope, i, *(real(c[i]) if i < len(c) else None for c in columns))


def series_of_rows(rows: Iterable[tuple[Any, ...]]) -> dict[str, Series]:
    """From (scope, i, *COLUMNS) rows ordered by scope and i."""
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row[2:])
    return {scope: _series(values) for scope, values in grouped.items()}


def _series(rows: list[tuple[Any, ...]]) -> Series:
    table = np.array([[math.nan if v is None else v for v in row] for row in rows],
                     dtype=np.float64).reshape(-1, len(COLUMNS))
    columns = dict(zip(COLUMNS, table.T, strict=True))

    def gauge(name: str) -> np.ndarray:
        values = columns[name]
        return np.zeros(0) if np.isnan(values).all() else np.nan_to_num(values)

    classes = {name: columns[f"c_{name}"] for name in STATUS_CLASSES
               if not np.isnan(columns[f"c_{name}"]).all()}
    return Series(t=columns["t"], requests=columns["requests"], avg=columns["avg"],
                  p50=columns["p50"], p90=columns["p90"], p99=columns["p99"],
                  error_rate=columns["error_rate"], classes=classes, level=gauge("level"),
                  in_flight=gauge("in_flight"), asked_rps=gauge("asked_rps"))
