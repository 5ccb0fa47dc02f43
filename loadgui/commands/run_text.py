"""The report as text, for the terminal: `loadgui run`'s progress line and summary."""

from __future__ import annotations

from loadgui.commands.checks_text import check_lines
from loadgui.commands.threshold_text import thresholds_text
from loadgui.engine import Report
from loadgui.engine.stats.bursts import BurstStats
from loadgui.engine.stats.figures import GroupFigures
from loadgui.engine.stats.report import BREAKDOWN_TITLES
from loadgui.engine.stats.units import ms_text

MAX_ERROR_LINES = 5
LATENCY_FIGURES = ("mean", "min", "p50", "p90", "p95", "p99", "p99.9", "max")


def progress_line(r: Report) -> str:
    attempts = f" ({r.attempts} attempts)" if r.attempts != r.requests else ""
    resting = ("  all API keys resting" if r.keys and all(k.resting for k in r.keys)
               else "")
    return (f"{r.elapsed:6.1f}s  requests {r.requests:>8}{attempts}  rps {r.rps:8.1f}  "
            f"p50 {ms_text(r.latency.p50, '-'):>7} ms  p99 {ms_text(r.latency.p99, '-'):>7} ms"
            f"  errors {r.error_rate * 100:5.1f}%{resting}")


def summary_text(r: Report) -> str:
    """The whole summary: totals, then breakdowns, failures and bursts when there are any."""
    parts = [summary_table(r)]
    for name, groups in r.breakdowns.items():
        if name != "key" or not r.keys:  # the keys table below says more
            parts.append(breakdown_table(BREAKDOWN_TITLES.get(name, name), groups))
    if r.keys:
        parts.append(key_lines(r))
    if r.checks:
        parts.append("\n".join(check_lines(r)))
    if r.errors:
        parts.append(error_lines(r))
    if r.bursts:
        parts.append(burst_lines(r.bursts))
    return "\n".join(parts) + thresholds_text(r)


def _ms_figures(figures: object, *names: str) -> str:
    """'p50 1.20  p99 3.40': the named figures (p99.9 is `p999`) of a latency summary, in ms."""
    return "  ".join(f"{name} {ms_text(getattr(figures, name.replace('.', '')), '-')}"
                     for name in names)


def connect_lines(r: Report) -> list[str]:
    """New connections' connect times, when the run opened any it measured."""
    c = r.connect
    if c is None or not c.count:
        return []
    figures = _ms_figures(c, "mean", "p50", "p95", "p99", "max")
    return [f"  connect ms   {figures}   ({c.count:,} new connections; inside the latency "
            f"above)"]


def open_model_lines(r: Report) -> list[str]:
    """What a rate-mode run asked for and what it got; empty for the closed model."""
    g = r.generator
    if r.service is None:
        return []
    service = _ms_figures(r.service, "p50", "p90", "p99")
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
        *request_lines(r),
        f"  successes    {r.successes:>10}   (attempts answered 2xx/3xx)",
        f"  failures     {r.failures:>10}   (attempts answered with a status >= 400 or "
        f"failing a check)",
        f"  exceptions   {r.exceptions:>10}   (no response; {r.cancelled} cancelled at the end)",
        f"  error rate   {r.error_rate * 100:>9.2f}%   (of attempts)",
        f"  throughput   {r.rps:>10.1f}   attempts/s",
        f"  received     {r.bytes_received:>10}   bytes",
        f"  latency ms   {_ms_figures(r.latency, *LATENCY_FIGURES)}   (attempts answered "
        f"2xx/3xx{_approximate(r)})",
        *connect_lines(r),
        *open_model_lines(r),
        f"  status       {statuses}",
        f"  errors       {errors}",
    ]
    return "\n".join(rows)


def _approximate(r: Report) -> str:
    if r.final and r.latency.approximate:
        return "; percentiles within 0.5 %: a long run kept only its latest rows in memory"
    return ""


def request_lines(r: Report) -> list[str]:
    """Requests (what -n counts) beside attempts (each send, retries included)."""
    f = r.request_figures
    lines = [f"  requests     {r.requests:>10}   (requests sent: -n/--total-requests counts "
             f"these)",
             f"  attempts     {r.attempts:>10}   ({r.retries} of them retries)"]
    if f is None or not f.requests:
        return lines
    lines.append(f"  retried      {f.amplification:>10.3f}x  attempts per request; "
                 f"requests by retries: " + "  ".join(
                     f"{n}: {count}" for n, count in f.retries_per_request.items()))
    waiting = (f"; {f.awaiting_retry} ended while waiting to retry" if f.awaiting_retry
               and r.final else f"; {f.awaiting_retry} waiting to retry"
               if f.awaiting_retry else "")
    lines.append(f"  succeeded    {f.final_success_rate * 100:>9.2f}%   of requests in the end; "
                 f"{f.first_attempt_success_rate * 100:.2f}% at the first attempt{waiting}")
    if f.retries_per_request.keys() - {0}:
        lines.append(f"  request ms   {_ms_figures(f.latency, 'p50', 'p90', 'p99', 'max')}   "
                     f"(successful requests: first send to final answer, waits included)")
    if f.retry_after_waits:
        lines.append(f"  retry-after  {f.retry_after_waits:>10}   retries waited as the "
                     f"server's Retry-After said")
    return lines


def key_lines(r: Report) -> str:
    """One line per API key (by index), then its rests (quarantine)."""
    lines = [f"  {'API key':<8} {'attempts':>9} {'ok':>8} {'401':>6} {'403':>6} {'429':>6} "
             f"{'p50':>8} {'p99':>8} {'last':>5}  resting"]
    for k in r.keys:
        resting = ("-" if not k.resting else "for good" if k.resting_until is None
                   else f"until {k.resting_until:.1f} s")
        lines.append(f"  {'key ' + str(k.key):<8} {k.attempts:>9} {k.successes:>8} "
                     f"{k.unauthorized:>6} {k.forbidden:>6} {k.rate_limited:>6} "
                     f"{ms_text(k.latency.p50, '-'):>8} {ms_text(k.latency.p99, '-'):>8} "
                     f"{k.last_status or '-':>5}  {resting}")
    for rest in r.key_rests:
        until = "for good" if rest.end is None else f"until {rest.end:.1f} s"
        lines.append(f"  key {rest.key} rested from {rest.start:.1f} s {until}: {rest.reason}")
    return "\n".join(lines)


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
