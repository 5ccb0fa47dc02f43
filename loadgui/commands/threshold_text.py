"""`loadgui run`'s thresholds: the flags that add them, their lines in the summary, and the
one stderr line that says which failed (the exit code's reason)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from loadgui.profile import ProfileError
from loadgui.profile_thresholds import ThresholdSyntaxError, parse_threshold

if TYPE_CHECKING:  # the parser is built without the engine
    from loadgui.engine.stats.report import Report
    from loadgui.engine.stats.thresholds import ThresholdResult

PASS_MARK, FAIL_MARK = "✓", "✗"


def add_threshold_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--threshold", action="append", metavar="EXPR",
                       help="a pass/fail expression over the report, added to the profile's "
                            "(repeatable), e.g. 'p95 < 300ms', 'error_rate < 1%%', "
                            "'rps > 500', 'checks > 99%%', 'request:login p99 < 1s'; the run "
                            "exits 1 when one fails")
    group.add_argument("--junit", metavar="PATH",
                       help="write JUnit XML when the run ends: one test case per threshold "
                            "and per check (for Jenkins, GitLab, GitHub)")


def shorthand_expressions(args: argparse.Namespace) -> dict[str, str]:
    """--max-error-rate and --max-p99-ms as the thresholds they are, each mapped to its
    flag."""
    shorthands = {}
    if args.max_error_rate is not None:
        shorthands[f"error_rate <= {args.max_error_rate:g}"] = "--max-error-rate"
    if args.max_p99_ms is not None:
        if not args.max_p99_ms >= 0:
            raise ProfileError(f"--max-p99-ms must be 0 or more, got {args.max_p99_ms:g}")
        shorthands[f"p99 <= {args.max_p99_ms:g}ms"] = "--max-p99-ms"
    return shorthands


def cli_thresholds(args: argparse.Namespace) -> list[str]:
    """The thresholds the flags add to the profile's; a bad --threshold is a ProfileError
    that names the flag."""
    given = [text.strip() for text in args.threshold or []]
    for text in given:
        try:
            parse_threshold(text)
        except ThresholdSyntaxError as exc:
            raise ProfileError(f"--threshold {text!r}: {exc}") from None
    return [*given, *shorthand_expressions(args)]


def thresholds_text(report: Report) -> str:
    """The summary's thresholds section ("" without thresholds), led by a line break."""
    if not report.thresholds:
        return ""
    failed = sum(not result.passed for result in report.thresholds)
    width = max(len(result.expression) for result in report.thresholds)
    lines = [f"  thresholds   {len(report.thresholds) - failed} of {len(report.thresholds)} "
             "passed"]
    for result in report.thresholds:
        mark = PASS_MARK if result.passed else FAIL_MARK
        verdict = "pass" if result.passed else "FAIL"
        lines.append(f"    {mark} {verdict}  {result.expression:<{width}}   {result.detail}")
    return "\n" + "\n".join(lines)


def failure_line(report: Report, args: argparse.Namespace) -> str | None:
    """Why the thresholds fail the run, in one line; None when every one passed."""
    shorthands = shorthand_expressions(args)
    failed = [result for result in report.thresholds if not result.passed]
    if not failed:
        return None
    reasons = [_reason(result, shorthands.get(result.expression), args, report)
               for result in failed]
    if all(result.expression in shorthands for result in failed):
        return "; ".join(reasons)
    return (f"{len(failed)} of {len(report.thresholds)} thresholds failed: "
            + "; ".join(reasons))


def _reason(result: ThresholdResult, flag: str | None, args: argparse.Namespace,
            report: Report) -> str:
    """The shorthands' own wording, as before they were thresholds; else the detail."""
    if flag == "--max-error-rate":
        return (f"error rate {report.error_rate:.2%} is above --max-error-rate "
                f"{args.max_error_rate:.2%}")
    if flag == "--max-p99-ms":
        from loadgui.engine.stats.thresholds import value_text

        shown = value_text(result) or "unknown (no successful request)"
        return f"p99 latency {shown} is above --max-p99-ms {args.max_p99_ms:g}"
    return f"{result.expression} ({result.detail})"
