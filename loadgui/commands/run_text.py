"""The summary as text, for the terminal."""

from __future__ import annotations

import math

from loadgui.engine.load.burst import BurstStats
from loadgui.engine.stats.breakdown import GroupStats
from loadgui.engine.stats.recorder import Snapshot


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def progress_line(s: Snapshot) -> str:
    return (f"{s.elapsed:6.1f}s  requests {s.requests:>8}  rps {s.rps:8.1f}  "
            f"p50 {ms(s.latency_p50):>7} ms  p99 {ms(s.latency_p99):>7} ms  "
            f"errors {s.error_rate * 100:5.1f}%")


def open_model_lines(s: Snapshot, asked_rps: float) -> list[str]:
    """What a rate-mode run asked for and what it got; empty for the closed model."""
    if not s.asked:
        return []
    service = "  ".join(f"{name} {ms(value)}" for name, value in (
        ("p50", s.service_p50), ("p90", s.service_p90), ("p99", s.service_p99)))
    lines = [
        f"  asked        {asked_rps:>10.1f}   requests/s scheduled ({s.asked} sends; "
        f"achieved {s.rps:.1f}/s)",
        f"  service ms   {service}   (from the actual send; latency above counts from the "
        f"intended send)",
    ]
    if s.dropped or s.late_sends:
        lines.append(f"  behind       {s.late_sends:>10}   sends started >10 ms late; "
                     f"{s.dropped} dropped: the generator or its in-flight limit could not "
                     "keep up")
    return lines


def breakdown_table(title: str, groups: list[GroupStats]) -> str:
    """Side by side, one line per request or target: count and latency figures in ms."""
    width = max(len(title), *(len(g.label) for g in groups))
    head = (f"  {title:<{width}} {'count':>8} {'errors':>7} {'min':>8} {'median':>8} "
            f"{'mean':>8} {'p90':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    lines = [head]
    for g in groups:
        figures = " ".join(f"{ms(v):>8}" for v in (g.min, g.p50, g.mean, g.p90, g.p95, g.p99,
                                                   g.max))
        lines.append(f"  {g.label:<{width}} {g.count:>8} {g.failures + g.exceptions:>7} "
                     f"{figures}")
    return "\n".join(lines)


def burst_lines(bursts: list[BurstStats]) -> str:
    lines = [f"  {'burst':>6} {'at s':>7} {'size':>6} {'sent within':>12} "
             f"{'first done':>11} {'median done':>12} {'last done':>10}   (ms from release)"]
    for i, b in enumerate(bursts, 1):
        lines.append(f"  {i:>6} {b.start:7.2f} {b.size:>6} {ms(b.send_spread):>12} "
                     f"{ms(b.first_done):>11} {ms(b.median_done):>12} {ms(b.last_done):>10}")
    return "\n".join(lines)


def summary_table(s: Snapshot, state: str, asked_rps: float = 0.0) -> str:
    statuses = "  ".join(f"{code}: {n}" for code, n in sorted(s.status_counts.items())) or "-"
    errors = "  ".join(f"{kind}: {n}" for kind, n in sorted(s.error_counts.items())) or "-"
    latency = "  ".join(f"{name} {ms(value)}" for name, value in (
        ("avg", s.latency_avg), ("min", s.latency_min), ("p50", s.latency_p50),
        ("p90", s.latency_p90), ("p99", s.latency_p99), ("max", s.latency_max)))
    rows = [
        f"loadgui run {state} after {s.elapsed:.2f} s",
        f"  requests     {s.requests:>10}   (attempts; {s.retries} of them retries)",
        f"  successes    {s.successes:>10}",
        f"  failures     {s.failures:>10}   (HTTP status >= 400)",
        f"  exceptions   {s.exceptions:>10}   (no response)",
        f"  error rate   {s.error_rate * 100:>9.2f}%",
        f"  throughput   {s.rps:>10.1f}   requests/s",
        f"  received     {s.bytes_received:>10}   bytes",
        f"  latency ms   {latency}   (successful requests)",
        *open_model_lines(s, asked_rps),
        f"  status       {statuses}",
        f"  errors       {errors}",
    ]
    return "\n".join(rows)
