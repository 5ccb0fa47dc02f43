"""`loadgui serve` and the window keep a run in the store while it goes (store.live)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from loadgui.engine import make_run
from loadgui.engine.load.handle import RunHandle
from loadgui.profile import Limits, Load, Profile, Retry, Target
from loadgui.service.csv_stream import csv_chunks
from loadgui.service.registry import RunRegistry
from loadgui.store import RunStore
from loadgui.store import live as live_module
from loadgui.ui.run_history import keep_in_history


def profile_of(url: str, requests: int, seconds: float | None = None) -> Profile:
    limits = Limits(duration=seconds) if seconds else Limits(total_requests=requests)
    return Profile(target=Target(base_url=url, endpoint="/test"), load=Load(concurrency=4),
                   retry=Retry(retries=0), limits=limits).validated()


def small_hold(profile: Profile) -> RunHandle:
    run = make_run(profile)
    run.recorder.hold = 200  # a long run's 1,000,000, scaled down
    return run


def test_a_service_run_is_stored_as_it_goes_and_its_csv_has_every_row(quiet_mock, home,
                                                                      monkeypatch):
    monkeypatch.setattr(live_module, "SYNC_PERIOD_S", 0.05)

    async def main() -> tuple[RunHandle, str]:
        registry = RunRegistry(run_factory=small_hold)
        entry = registry.start(profile_of(quiet_mock.url, 0, seconds=1.5))
        assert entry.task is not None
        await asyncio.wait_for(entry.task, 60)
        await asyncio.wait_for(registry.saved(), 30)
        return entry.run, entry.id

    run, run_id = asyncio.run(main())
    rows = len(run.recorder)
    assert run.recorder.dropped > 0 and rows > 400
    (info,) = RunStore.open(home).list_runs()
    assert (info.name, info.status, info.rows, info.requests) == \
        (f"serve {run_id[:8]}", "completed", rows, rows)
    text = "".join(csv_chunks(run.recorder))
    assert text.count("\r\n") == rows + 1 and text.startswith("timestamp,latency,")


def test_the_window_keeps_its_run_while_it_goes(quiet_mock, home, monkeypatch):
    monkeypatch.setattr(live_module, "SYNC_PERIOD_S", 0.05)
    run = small_hold(profile_of(quiet_mock.url, 0, seconds=1.5))  # several syncs

    async def main() -> int | None:
        task = asyncio.ensure_future(run.run())
        keeping = asyncio.ensure_future(keep_in_history(run, task, "window run"))
        await asyncio.wait_for(task, 60)
        return await asyncio.wait_for(keeping, 30)

    run_id = asyncio.run(main())
    assert run_id is not None and run.recorder.dropped > 0
    stored = RunStore.open(home).open_run(run_id)
    rows = len(run.recorder)
    assert (stored.info.rows, stored.info.source, stored.info.name) == \
        (rows, "window", "window run")
    assert stored.report.latency.approximate and stored.report.attempts == rows


def test_a_store_that_cannot_be_opened_costs_a_warning_and_keeps_every_row(
        quiet_mock, tmp_path, monkeypatch, caplog: pytest.LogCaptureFixture):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("LOADGUI_HOME", str(blocker / "home"))
    run = small_hold(profile_of(quiet_mock.url, 600))

    async def main() -> int | None:
        task = asyncio.ensure_future(run.run())
        keeping = asyncio.ensure_future(keep_in_history(run, task, "unsaved"))
        await asyncio.wait_for(task, 60)
        return await asyncio.wait_for(keeping, 30)

    with caplog.at_level(logging.WARNING):
        assert asyncio.run(main()) is None
    assert "the run will not be saved" in caplog.text
    assert run.recorder.dropped == 0 and len(run.recorder.columns()["t_start"]) == 600
    assert not run.report().latency.approximate
