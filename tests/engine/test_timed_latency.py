"""A failed check makes an attempt a failure, but its latency still counts: a latency check
must not cut the slow answers out of the percentiles it is about."""

import pytest

from loadgui.engine.stats.basics import ErrorKind
from loadgui.engine.stats.recorder import Recorder
from loadgui.engine.stats.report_build import report_of_rows


def recorder_with_a_slow_check_failure() -> Recorder:
    r = Recorder()
    for i in range(9):
        r.add(i * 0.1, 0.010, 200, 10, 1, -1, ErrorKind.NONE)
    r.add(0.95, 0.900, 200, 10, 1, -1, ErrorKind.CHECK, message='check "fast" failed',
          checks=1)
    r.add(0.96, 0.500, 500, 10, 1, -1, ErrorKind.NONE)  # a 5xx is not timed
    return r


@pytest.mark.parametrize("final", [True, False])
def test_check_failures_are_failures_whose_latency_counts(final):
    report = report_of_rows(recorder_with_a_slow_check_failure(), 2.0, final=final)
    assert (report.successes, report.failures, report.attempts) == (9, 2, 11)
    assert report.latency.count == 10
    assert report.latency.max == pytest.approx(0.9, rel=0.01)
    # The per-interval percentiles count it too (it ended in the second interval).
    assert report.series.p99[1] == pytest.approx(0.9, rel=0.01)
    assert report.series.error_rate[1] == 1.0  # both failures ended then
