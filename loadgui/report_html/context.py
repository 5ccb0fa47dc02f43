"""What the HTML template shows, as plain values: every figure comes from the stored
report (formatted by the same milliseconds formatter as the terminal's summary)."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from markupsafe import Markup

from loadgui import __version__
from loadgui.engine.stats.figures import GroupFigures
from loadgui.engine.stats.report import BREAKDOWN_TITLES, Report
from loadgui.engine.stats.thresholds import value_text as threshold_value
from loadgui.engine.stats.units import ms_text
from loadgui.report_html.charts import comparison_charts, run_charts
from loadgui.store.compare import MetricDelta, RunDiff
from loadgui.store.diff_text import change_text, value_text
from loadgui.store.opened import StoredRun

LATENCY_NAMES = ("min", "mean", "p50", "p90", "p95", "p99", "p999", "max")
MAX_ERRORS = 50


def run_context(run: StoredRun, baseline: StoredRun | None,
                diff: RunDiff | None) -> dict[str, Any]:
    info, report = run.info, run.report
    return {
        "title": f"loadgui run {info.id}: {info.name}",
        "run": info, "report": report,
        "started": _when(info.started_at), "ended": _when(info.ended_at),
        "summary": summary_rows(report),
        "thresholds": threshold_rows(report),
        "checks": [{"request": c.request, "name": c.name, "passes": f"{c.passes:,}",
                    "fails": f"{c.fails:,}",
                    "rate": "–" if math.isnan(c.pass_rate) else f"{c.pass_rate:.2%}",
                    "verdict": "fail" if c.fails else "pass"} for c in report.checks],
        "cards": [(f"{report.requests:,}", "requests"),
                  *([(f"{report.attempts:,}", "attempts (retries included)")]
                    if report.attempts != report.requests else []),
                  (f"{report.rps:,.1f}", "attempts/s" if report.attempts != report.requests
                   else "requests/s"),
                  (f"{ms_text(report.latency.p50)} ms", "p50 latency"),
                  (f"{ms_text(report.latency.p99)} ms", "p99 latency"),
                  (f"{report.error_rate:.2%}", "error rate"),
                  (f"{report.elapsed:,.1f} s", "duration")],
        "latency": [(_latency_label(n), ms_text(getattr(report.latency, n)))
                    for n in LATENCY_NAMES],
        "breakdowns": [{"title": BREAKDOWN_TITLES.get(name, name),
                        "rows": [group_row(g) for g in groups]}
                       for name, groups in report.breakdowns.items()],
        "errors": report.errors[:MAX_ERRORS], "more_errors": max(0, len(report.errors)
                                                                   - MAX_ERRORS),
        "charts": [Markup(svg) for svg in run_charts(report)],
        "profile_json": json.dumps(run.profile_data, indent=2),
        "environment": [("loadgui", run.environment.get("loadgui", "?")),
                        ("Python", f"{run.environment.get('implementation', '')} "
                                   f"{run.environment.get('python', '?')}".strip()),
                        ("OS", f"{run.environment.get('os', '?')} "
                               f"({run.environment.get('machine', '?')})"),
                        ("saved", run.environment.get("saved", "?"))],
        "problems": list(dict.fromkeys(run.problems + (baseline.problems if baseline else []))),
        "comparison": comparison(baseline, run, diff) if baseline and diff else None,
        "generated": time.strftime("%Y-%m-%d %H:%M:%S %z"), "version": __version__,
    }


def summary_rows(r: Report) -> list[tuple[str, str]]:
    return [
        ("duration", f"{r.elapsed:,.2f} s"),
        ("requests", f"{r.requests:,}" + (f" ({r.retries:,} retries)" if r.retries else "")),
        ("requests/s", f"{r.rps:,.1f}"),
        ("successes", f"{r.successes:,}"),
        ("failures (HTTP ≥ 400)", f"{r.failures:,}"),
        ("no response", f"{r.exceptions:,}" + (f" ({r.cancelled:,} cancelled at the end)"
                                                if r.cancelled else "")),
        ("error rate", f"{r.error_rate:.2%}"),
        ("received", f"{r.bytes_received / 1e6:,.2f} MB"),
        ("status codes", ", ".join(f"{code}: {n:,}" for code, n in
                                   sorted(r.status_counts.items())) or "–"),
        ("mode / client", f"{r.mode} / {r.client or '–'}"),
    ]


def threshold_rows(r: Report) -> dict[str, Any] | None:
    """The thresholds' table: each one's pass or fail, figure and detail; None without."""
    if not r.thresholds:
        return None
    passed = sum(t.passed for t in r.thresholds)
    return {"passed": passed, "verdict": "pass" if passed == len(r.thresholds) else "fail",
            "rows": [{"expression": t.expression, "verdict": "pass" if t.passed else "fail",
                      "value": threshold_value(t) or "–", "detail": t.detail}
                     for t in r.thresholds]}


def group_row(g: GroupFigures) -> list[str]:
    f = g.latency
    return [g.name, f"{g.requests:,}", f"{g.rps:,.1f}", f"{g.error_rate:.2%}",
            *(ms_text(v) for v in (f.p50, f.p90, f.p95, f.p99, f.max))]


def comparison(a: StoredRun, b: StoredRun, diff: RunDiff) -> dict[str, Any]:
    a_name, b_name = f"A: run {a.info.id}", f"B: run {b.info.id}"
    return {
        "a": a.info, "b": b.info, "a_started": _when(a.info.started_at),
        "verdict": diff.verdict, "noise": f"{diff.noise:.0%}",
        "overall": [_delta_row(m) for m in diff.overall.metrics],
        "headers": [m.metric.label for m in diff.overall.metrics],
        "groups": [{"title": title, "rows": [
            {"name": s.name, "only": None if s.in_a and s.in_b else ("A" if s.in_a else "B"),
             "cells": [_delta_row(m) for m in s.metrics]} for s in scopes]}
            for title, scopes in (("request", diff.requests), ("target", diff.targets))
            if scopes],
        "profile_changes": [c.text() for c in diff.profile_changes],
        "charts": [Markup(svg) for svg in
                   comparison_charts(a.report, b.report, a_name, b_name)],
    }


def _delta_row(m: MetricDelta) -> dict[str, str]:
    return {"label": m.metric.label, "a": value_text(m, m.a, unit=True),
            "b": value_text(m, m.b, unit=True), "change": change_text(m), "verdict": m.verdict}


def _latency_label(name: str) -> str:
    return "p99.9" if name == "p999" else name


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "–"
    return time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(epoch))
