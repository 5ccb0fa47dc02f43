"""The failing checks as `loadgui run` may print them."""

import dataclasses

from loadgui.commands.checks_text import MAX_CHECK_LINES, check_lines
from loadgui.engine.stats.check_totals import CheckFigures
from loadgui.engine.stats.gauges import Gauges
from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report_build import RunFacts, build_report


def report_with(*checks: CheckFigures):
    empty = build_report(Recorder(), Gauges(), RunFacts(
        state="completed", reason=None, final=True, mode="concurrency", client="fast",
        target="http://127.0.0.1:1/", elapsed=1.0, progress=1.0))
    return dataclasses.replace(empty, checks=checks)


def test_no_checks_no_lines():
    assert check_lines(report_with()) == []


def test_a_totals_line_then_the_failing_checks_most_failed_first():
    lines = check_lines(report_with(CheckFigures("/a", "status 2xx", 900, 100),
                                    CheckFigures("/a", "has id", 1000, 0),
                                    CheckFigures("/b", "quick", 1990, 10)))
    assert lines == [
        "  checks                1   of 3 passed on every answered attempt",
        "    failing  /a  status 2xx: 100 of 1,000 failed (10.00%)",
        "    failing  /b  quick: 10 of 2,000 failed (0.50%)",
    ]


def test_many_failing_checks_are_cut_short():
    checks = [CheckFigures("/a", f"c{i}", 1, 1) for i in range(MAX_CHECK_LINES + 3)]
    lines = check_lines(report_with(*checks))
    assert len(lines) == 1 + MAX_CHECK_LINES + 1
    assert lines[-1] == "    … and 3 more failing checks"
