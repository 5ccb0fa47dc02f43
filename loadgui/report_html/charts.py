"""The dashboard's charts, drawn from a report's series: requests, latency percentiles,
responses per second by class, error rate, and the latency histogram."""

from __future__ import annotations

import dataclasses

import numpy as np

from loadgui.engine.stats.histogram import RELATIVE_ACCURACY
from loadgui.engine.stats.report import Report
from loadgui.engine.stats.series import STATUS_CLASSES, Series
from loadgui.report_html.svg import Line, histogram_chart, line_chart, number

# The window's colours (loadgui/ui/theme.py, which imports Qt, so not imported here).
THROUGHPUT = "#3b82f6"
LEVEL = "#8b5cf6"
LATENCY = {"avg": "#94a3b8", "p50": "#22c55e", "p90": "#f59e0b", "p99": "#ef4444"}
CLASSES = {"2xx": "#22c55e", "3xx": "#06b6d4", "4xx": "#f59e0b", "5xx": "#ef4444",
           "errors": "#a855f7"}
RUN_A, RUN_B = "#94a3b8", "#2563eb"


def chart_series(report: Report) -> Series:
    """The 0.1 s series for short runs (what the dashboard shows then), else 1 s."""
    fine = report.fine_series
    return drawn(fine if fine is not None and len(fine.t) >= 4 else report.series)


def drawn(s: Series) -> Series:
    """The series without a last interval of a sliver of its width (the attempts that ended
    as the run stopped): their count over that sliver would draw a spike of requests/s."""
    t = s.t
    if len(t) < 3 or (t[-1] - t[-2]) >= 0.25 * (t[-2] - t[-3]):
        return s
    def cut(values: np.ndarray) -> np.ndarray:
        return values[:-1] if len(values) == len(t) else values

    arrays = {f.name: cut(getattr(s, f.name)) for f in dataclasses.fields(s)
              if f.name != "classes"}
    return dataclasses.replace(s, **arrays, classes={k: cut(v) for k, v in s.classes.items()})


def run_charts(report: Report) -> list[str]:
    s = chart_series(report)
    ms = {name: getattr(s, name) * 1000 for name in LATENCY}
    charts = [
        line_chart("Requests per second", [Line("requests/s", s.t, s.rps, THROUGHPUT,
                                                fill=True)], y_label="requests/s"),
        line_chart("Latency of successes", [Line(name, s.t, ms[name], LATENCY[name])
                                            for name in LATENCY], y_label="ms"),
        line_chart("Responses per second by class", _class_lines(s), y_label="responses/s"),
        line_chart("Error rate", [Line("error rate", s.t, s.error_rate * 100, CLASSES["5xx"],
                                       fill=True)], y_label="% of attempts",
                   y_format=lambda v: f"{number(v)} %",
                   y_max=None if np.nanmax(s.error_rate, initial=0) > 0 else 1.0),
        histogram(report),
    ]
    if len(s.level) and s.level.any():
        charts.insert(3, line_chart("Workers and attempts in flight", [
            Line("workers allowed", s.t, s.level, LEVEL),
            Line("in flight", s.t, s.in_flight, THROUGHPUT, width=1.5)], y_label="count"))
    return charts


def _class_lines(s: Series) -> list[Line]:
    widths = np.diff(s.t, prepend=0.0)
    safe = np.where(widths > 0, widths, 1.0)
    lines = [Line("total", s.t, s.rps, THROUGHPUT)]
    for name in STATUS_CLASSES:
        counts = s.classes.get(name)
        if counts is not None and counts.any():
            lines.append(Line(name, s.t, counts / safe, CLASSES[name], width=1.5))
    if len(s.asked_rps) and s.asked_rps.any():
        lines.append(Line("asked", s.t, s.asked_rps, THROUGHPUT, dashed=True, width=1.5))
    return lines


def histogram(report: Report) -> str:
    values = np.array([v for v, _ in report.histogram], dtype=float) * 1000
    counts = np.array([n for _, n in report.histogram], dtype=float)
    marks = [(name, getattr(report.latency, name) * 1000, LATENCY[name])
             for name in ("p50", "p90", "p99")]
    return histogram_chart("Latency histogram", values, counts, RELATIVE_ACCURACY, marks)


def comparison_charts(a: Report, b: Report, a_name: str, b_name: str) -> list[str]:
    """Both runs on one time axis: requests/s, p50 and p99."""
    sa, sb = chart_series(a), chart_series(b)
    if (a.fine_series is None) != (b.fine_series is None):  # one time step for both
        sa, sb = drawn(a.series), drawn(b.series)
    return [
        line_chart("Requests per second: A and B", [
            Line(a_name, sa.t, sa.rps, RUN_A), Line(b_name, sb.t, sb.rps, RUN_B)],
            y_label="requests/s"),
        line_chart("p50 and p99 latency: A and B", [
            Line(f"{a_name} p50", sa.t, sa.p50 * 1000, RUN_A, dashed=True, width=1.5),
            Line(f"{a_name} p99", sa.t, sa.p99 * 1000, RUN_A),
            Line(f"{b_name} p50", sb.t, sb.p50 * 1000, RUN_B, dashed=True, width=1.5),
            Line(f"{b_name} p99", sb.t, sb.p99 * 1000, RUN_B)], y_label="ms"),
    ]
