"""The report's checks as text for the terminal summary: a line for the totals, then each
failing check with its request, failures and pass rate."""

from __future__ import annotations

from loadgui.engine import Report

MAX_CHECK_LINES = 10


def check_lines(r: Report) -> list[str]:
    """Nothing when the run has no checks; else a totals line and the failing checks, the
    most failed first (at most MAX_CHECK_LINES of them)."""
    if not r.checks:
        return []
    failing = sorted((c for c in r.checks if c.fails), key=lambda c: (-c.fails, c.request))
    lines = [f"  checks       {len(r.checks) - len(failing):>10}   of {len(r.checks)} passed "
             f"on every answered attempt"]
    for check in failing[:MAX_CHECK_LINES]:
        answered = check.passes + check.fails
        lines.append(f"    failing  {check.request}  {check.name}: {check.fails:,} of {answered:,} "
                     f"failed ({check.fails / answered * 100:.2f}%)")
    if len(failing) > MAX_CHECK_LINES:
        lines.append(f"    … and {len(failing) - MAX_CHECK_LINES} more failing checks")
    return lines
