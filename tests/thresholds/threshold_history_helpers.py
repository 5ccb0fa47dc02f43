"""Stored runs with thresholds, saved the way a finished run saves itself."""

from __future__ import annotations

import dataclasses

from loadgui.engine import ErrorKind, Recorder
from loadgui.engine.stats.report_build import report_of_rows
from loadgui.engine.stats.thresholds import evaluate
from loadgui.profile import Profile
from loadgui.store import RunInfo, RunStore


def save_run_with(store: RunStore, name: str, thresholds: list[str],
                  latency: float = 0.010) -> RunInfo:
    """20 successful attempts of `latency` seconds, with the thresholds evaluated on them."""
    recorder = Recorder()
    for i in range(20):
        recorder.add(i * 0.05, latency, 200, 10, 1, -1, ErrorKind.NONE)
    draft = Profile()
    draft.thresholds = list(thresholds)
    profile = draft.validated()
    report = report_of_rows(recorder, 1.0)
    report = dataclasses.replace(report, thresholds=evaluate(profile.thresholds, report))
    return store.save_run(profile, report, recorder, name=name, source="cli")
