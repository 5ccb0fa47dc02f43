"""The badges over the plots and the form's thresholds editor, on a real (offscreen) Qt."""

from __future__ import annotations

import asyncio

import pytest

from loadgui.engine import ErrorKind, Recorder, make_run
from loadgui.engine.stats.gauges import Gauges
from loadgui.engine.stats.report_build import RunFacts, build_report
from loadgui.profile import Profile
from loadgui.ui.profile_form import ProfileForm
from loadgui.ui.results_view import ResultsView

THRESHOLDS = ("p99 < 50ms", "error_rate < 10%")


def live(recorder: Recorder, elapsed: float, final: bool = False):
    return build_report(recorder, Gauges(), RunFacts(
        state="completed" if final else "running", reason=None, final=final,
        mode="concurrency", client="", target="", elapsed=elapsed, progress=None,
        thresholds=THRESHOLDS))


@pytest.fixture
def view(qtbot) -> ResultsView:
    shown = ResultsView()
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_badges_wait_then_turn_green_then_red_as_the_run_goes(view):
    badges = view.thresholds
    assert badges.objectName() == "thresholdBadges" and not badges.isVisible()
    recorder = Recorder()
    view.show_report(live(recorder, 0.0))  # nothing recorded yet: undecided, not red
    assert badges.isVisible() and badges.verdicts() == ["waiting", "waiting"]
    assert badges.badges[0].text() == "p99 < 50ms … waiting"
    assert badges.badges[0].toolTip() == "p99: no successful response yet"
    for i in range(20):
        recorder.add(i * 0.01, 0.010, 200, 10, 1, -1, ErrorKind.NONE)
    view.show_report(live(recorder, 1.0))
    assert badges.verdicts() == ["pass", "pass"]
    assert badges.badges[0].text().startswith("p99 < 50ms ✓ 10.")
    assert badges.badges[1].text() == "error_rate < 10% ✓ 0.00 %"
    for i in range(5):  # slow answers and failures arrive
        recorder.add(1.0 + i * 0.01, 0.400, 200, 10, 1, -1, ErrorKind.NONE)
        recorder.add(1.0 + i * 0.01, 0.010, 503, 0, 1, -1, ErrorKind.NONE)
    view.show_report(live(recorder, 2.0))
    assert badges.verdicts() == ["fail", "fail"]
    assert badges.badges[1].text() == "error_rate < 10% ✗ 16.67 %"
    assert badges.badges[1].toolTip() == "error_rate = 16.67 % (limit < 10.00 %)"
    view.clear()
    assert not badges.isVisible()


def test_a_final_report_without_the_figure_is_red_not_waiting(view):
    view.show_report(live(Recorder(), 1.0, final=True))
    assert view.thresholds.verdicts() == ["fail", "fail"]
    assert view.thresholds.badges[0].text() == "p99 < 50ms ✗ no value"


def test_a_real_run_carries_the_profiles_thresholds_into_its_report(view, quiet_mock):
    draft = Profile()
    draft.target.base_url, draft.limits.total_requests = quiet_mock.url, 20
    draft.load.concurrency, draft.load.pattern = 2, "constant"
    draft.thresholds = ["p99 < 10s", "requests == 20", "p95 < 0.001ms"]
    report = asyncio.run(make_run(draft.validated()).run())
    assert [t.passed for t in report.thresholds] == [True, True, False]
    view.show_report(report)
    assert view.thresholds.verdicts() == ["pass", "pass", "fail"]


def test_the_form_edits_thresholds_and_marks_a_bad_line(qtbot):
    form = ProfileForm()
    qtbot.addWidget(form)
    profile = Profile()
    profile.thresholds = ["p95 < 300ms", "checks > 99%"]
    form.set_profile(profile)
    assert form.thresholds.text.toPlainText() == "p95 < 300ms\nchecks > 99%"
    assert form.profile().thresholds == ["p95 < 300ms", "checks > 99%"]
    assert form.is_valid()
    assert form._sections["thresholds"].summary.full_text == "2: p95 < 300ms, checks > 99%"
    with qtbot.waitSignal(form.errorsChanged):
        form.thresholds.text.setPlainText("p95 < 300ms\n\np97 < 1s")
    assert not form.is_valid()
    error = form.errors["thresholds"]
    assert str(error).startswith("thresholds[1]: 'p97 < 1s': 'p97' is not a figure")
    assert form.label("thresholds") == "Thresholds"
    edit = form.thresholds.text
    assert edit.property("invalid") is True and edit.toolTip() == str(error)
    assert form.thresholds.error.text().startswith("line 2: 'p97' is not a figure")
    form.thresholds.text.setPlainText("p95 < 300ms")
    assert form.is_valid() and edit.property("invalid") is False
    assert form.validated_profile().thresholds == ["p95 < 300ms"]
