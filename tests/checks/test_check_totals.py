"""CheckTotals folds the `checks` column: passes and failures per check, per request."""

import math

import numpy as np

from loadgui.engine.stats.check_totals import CheckFigures, CheckTotals
from loadgui.engine.stats.recorder import Recorder

NAMES = {"GET /a": ["status 2xx", "has id"], "GET /b": [], "POST /c": ["fast"] + [
    f"c{i}" for i in range(1, 32)]}


def record(recorder: Recorder, request: int, status: int, checks: int = 0) -> None:
    recorder.add(0.0, 0.01, status, 10, 1, -1, 7 if checks else 0, request=request,
                 checks=checks)


def folded(recorder: Recorder, totals: CheckTotals, start: int = 0) -> None:
    cols = recorder.columns()
    totals.fold(cols, slice(start, len(cols["status"])))


def test_passes_are_answered_attempts_less_failures_per_check():
    recorder, totals = Recorder(), CheckTotals()
    for mask in (0, 0, 0b01, 0b10, 0b11):
        record(recorder, 0, 200, mask)
    record(recorder, 0, 0)  # no answer: no check ran
    record(recorder, 1, 200)
    record(recorder, 2, 500, 1 << 31)
    record(recorder, 2, 200)
    folded(recorder, totals)
    assert totals.figures(NAMES) == (
        CheckFigures("GET /a", "status 2xx", 3, 2), CheckFigures("GET /a", "has id", 3, 2),
        CheckFigures("POST /c", "fast", 2, 0),
        *(CheckFigures("POST /c", f"c{i}", 2, 0) for i in range(1, 31)),
        CheckFigures("POST /c", "c31", 1, 1))


def test_folding_in_pieces_adds_up_to_folding_at_once():
    rng = np.random.default_rng(3)
    whole, pieces = CheckTotals(), CheckTotals()
    recorder = Recorder()
    for _ in range(2000):
        request = int(rng.integers(0, 3))
        status = int(rng.choice([0, 200, 500]))
        mask = int(rng.integers(0, 2**32, dtype=np.uint64)) if status and rng.random() < 0.3 \
            else 0
        record(recorder, request, status, mask)
    folded(recorder, whole)
    cols = recorder.columns()
    for start in range(0, 2000, 333):
        pieces.fold(cols, slice(start, min(start + 333, 2000)))
    assert pieces.figures(NAMES) == whole.figures(NAMES)
    answered = cols["status"] != 0
    expected_fails = int(((cols["checks"][cols["request"] == 2] >> 31) & 1).sum())
    last = whole.figures(NAMES)[-1]
    assert last.fails == expected_fails
    assert last.passes + last.fails == int((answered & (cols["request"] == 2)).sum())


def test_figures_before_any_answer_are_zero_and_the_pass_rate_unknown():
    figures = CheckTotals().figures({"GET /a": ["status 2xx"]})
    assert figures == (CheckFigures("GET /a", "status 2xx", 0, 0),)
    assert math.isnan(figures[0].pass_rate)
    assert CheckFigures("r", "c", 9, 1).pass_rate == 0.9
    assert CheckFigures("r", "c", 9, 1).to_dict() == {"request": "r", "name": "c",
                                                       "passes": 9, "fails": 1}


def test_no_checks_no_figures():
    recorder, totals = Recorder(), CheckTotals()
    record(recorder, 0, 200)
    folded(recorder, totals)
    assert totals.figures({}) == ()
