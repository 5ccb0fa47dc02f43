"""The report as text, for the terminal: `loadgui run`'s progress line and summary."""

from __future__ import annotations

from loadgui.engine import Report
from loadgui.engine.stats.bursts import BurstStats
from loadgui.engine.stats.figures import GroupFigures
from loadgui.engine.stats.report import BREAKDOWN_TITLES
from loadgui.engine.stats.units import ms_text

MAX_ERROR_LINES = 5


def progress_line(r: Report) -> str:
    return (f"{r.elapsed:6.1f}s  requests {r.requests:>8}  rps {r.rps:8.1f}  "
            f"p50 {ms_text(r.latency.p50, '-'):>7} ms  p99 {ms_text(r.latency.p99, '-'):>7} ms"
            f"  errors {r.error_rate * 100:5.1f}%")


def summary_text(r: Report) -> str:
    """The whole summary: totals, then breakdowns, failures and bursts when there are any."""
    parts = [summary_table(r)]
    for name, groups in r.breakdowns.items():
        parts.append(breakdown_table(BREAKDOWN_TITLES.get(name, name), groups))
    if r.errors:
        parts.append(error_lines(r))
    if r.bursts:
        parts.append(burst_lines(r.bursts))
    return "\n".join(parts)


def _latency_line(r: Report) -> str:
    figures = r.latency
    return "  ".join(f"{name} {ms_text(value, '-')}" for name, value in (
        ("mean", figures.mean), ("min", figures.min), ("p50", figures.p50),
        ("p90", figures.p90), ("p95", figures.p95), ("p99", figures.p99),
        ("p99.9", figures.p999), ("max", figures.max)))


def open_model_lines(r: Report) -> list[str]:
    """What a rate-mode run asked for and what it got; empty for the closed model."""
    g = r.generator
    if r.service is None:
        return []
    service = "  ".join(f"{name} {ms_text(value, '-')}" for name, value in (
        ("p50", r.service.p50), ("p90", r.service.p90), ("p99", r.service.p99)))
    lines = [
        f"  asked        {g.asked_rps:>10.1f}   requests/s scheduled ({g.asked} sends; "
        f"achieved {r.rps:.1f}/s)",
        f"  service ms   {service}   (from the actual send; latency above counts from the "
        f"intended send)",
    ]
    if g.dropped or g.late_sends:
        lines.append(f"  behind       {g.late_sends:>10}   sends started >10 ms late; "
                     f"{g.dropped} dropped: the generator or its in-flight limit could not "
                     "keep up")
    if g.warmup_late_sends:
        lines.append(f"  warm-up      {g.warmup_late_sends:>10}   sends started >10 ms late in "
                     "the first 0.5 s (connections opening)")
    return lines


def summary_table(r: Report) -> str:
    statuses = "  ".join(f"{code}: {n}" for code, n in sorted(r.status_counts.items())) or "-"
    errors = "  ".join(f"{kind}: {n}" for kind, n in sorted(r.error_counts.items())) or "-"
    rows = [
        f"loadgui run {r.state} after {r.elapsed:.2f} s",
        *([f"  reason       {r.reason}"] if r.reason else []),
        f"  requests     {r.requests:>10}   (attempts; {r.retries} of them retries)",
        f"  successes    {r.successes:>10}",
        f"  failures     {r.failures:>10}   (HTTP status >= 400)",
        f"  exceptions   {r.exceptions:>10}   (no response; {r.cancelled} cancelled at the end)",
        f"  error rate   {r.error_rate * 100:>9.2f}%",
        f"  throughput   {r.rps:>10.1f}   requests/s",
        f"  received     {r.bytes_received:>10}   bytes",
        f"  latency ms   {_latency_line(r)}   (successful requests)",
        *open_model_lines(r),
        f"  status       {statuses}",
        f"  errors       {errors}",
    ]
    return "\n".join(rows)


def breakdown_table(title: str, groups: tuple[GroupFigures, ...]) -> str:
    """Side by side, one line per group: count, errors and latency figures in ms."""
    width = max(len(title), *(len(g.name) for g in groups))
    head = (f"  {title:<{width}} {'count':>8} {'errors':>7} {'min':>8} {'p50':>8} "
            f"{'mean':>8} {'p90':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    lines = [head]
    for g in groups:
        f = g.latency
        figures = " ".join(f"{ms_text(v, '-'):>8}" for v in (f.min, f.p50, f.mean, f.p90,
                                                              f.p95, f.p99, f.max))
        lines.append(f"  {g.name:<{width}} {g.requests:>8} {g.failures + g.exceptions:>7} "
                     f"{figures}")
    return "\n".join(lines)


def error_lines(r: Report) -> str:
    lines = ["  failures (most frequent first)"]
    for group in r.errors[:MAX_ERROR_LINES]:
        where = f"  [{group.request}]" if len(r.breakdowns.get("request", ())) > 1 else ""
        lines.append(f"  {group.count:>10} × {group.message}{where}  "
                     f"(first at {group.first_seen:.2f} s, last at {group.last_seen:.2f} s)")
    if len(r.errors) > MAX_ERROR_LINES:
        lines.append(f"  … and {len(r.errors) - MAX_ERROR_LINES} more kinds (see --json)")
    return "\n".join(lines)


def burst_lines(bursts: tuple[BurstStats, ...]) -> str:
    lines = [f"  {'burst':>6} {'at s':>7} {'size':>6} {'sent within':>12} "
             f"{'first done':>11} {'median done':>12} {'last done':>10}   (ms from release)"]
    for i, b in enumerate(bursts, 1):
        lines.append(f"  {i:>6} {b.start:7.2f} {b.size:>6} {ms_text(b.send_spread, '-'):>12} "
                     f"{ms_text(b.first_done, '-'):>11} {ms_text(b.median_done, '-'):>12} "
                     f"{ms_text(b.last_done, '-'):>10}")
    return "\n".join(lines)
