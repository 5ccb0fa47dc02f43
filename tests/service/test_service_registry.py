"""RunRegistry on a plain asyncio loop, no HTTP: the engine's other clients can use it too."""

from __future__ import annotations

import asyncio
import logging

import pytest

from loadgui.engine import Report, Run, RunHandle
from loadgui.profile import Profile, ProfileError
from loadgui.service.models import run_status
from loadgui.service.registry import RegistryFull, RunRegistry, UnknownRun


def profile_for(url: str, **limits: float) -> Profile:
    return Profile.from_dict({"target": {"base_url": url}, "load": {"concurrency": 2},
                              "retry": {"retries": 0}, "limits": limits})


def test_runs_start_finish_and_are_forgotten_beyond_the_history(quiet_mock) -> None:
    async def scenario() -> None:
        registry = RunRegistry(max_runs=2, history=1)
        first = registry.start(profile_for(quiet_mock.url, total_requests=10))
        second = registry.start(profile_for(quiet_mock.url, total_requests=10))
        assert registry.active == 2
        with pytest.raises(RegistryFull):
            registry.start(profile_for(quiet_mock.url, total_requests=10))
        await asyncio.wait({first.task, second.task}, timeout=10)
        await asyncio.sleep(0)  # the tasks' done-callbacks

        assert registry.active == 0
        assert registry.runs() == [second]
        assert second.status == "completed" and second.report().requests == 10
        assert second.reason is None and second.error is None
        with pytest.raises(UnknownRun):
            registry.get(first.id)

    asyncio.run(scenario())


def test_stop_and_shutdown_end_running_runs(slow_mock) -> None:
    async def scenario() -> None:
        registry = RunRegistry()
        stopped = registry.start(profile_for(slow_mock.url, duration=30))
        left = registry.start(profile_for(slow_mock.url, duration=30))
        await asyncio.sleep(0.05)
        assert stopped.status == left.status == "running"

        assert await registry.stop(stopped.id) is stopped
        assert stopped.status == "stopped" and stopped.finished
        assert stopped.reason == "stopped before reaching its limits" and stopped.error is None
        await registry.shutdown()
        assert left.status == "stopped" and left.finished and registry.active == 0

    asyncio.run(scenario())


def test_an_invalid_profile_starts_nothing() -> None:
    async def scenario() -> None:
        registry = RunRegistry()
        profile = Profile()
        profile.load.concurrency = 0
        with pytest.raises(ProfileError):
            registry.start(profile)
        assert registry.runs() == [] and registry.active == 0

    asyncio.run(scenario())


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="max_runs"):
        RunRegistry(max_runs=0)
    with pytest.raises(ValueError, match="history"):
        RunRegistry(history=-1)


class CrashingRun(Run):
    """An engine bug: run() raises before the run's own supervision can catch anything."""

    async def run(self) -> Report:
        raise RuntimeError("boom")


def test_a_run_whose_task_crashes_ends_failed_with_a_reason_and_is_logged(quiet_mock,
                                                                        caplog) -> None:
    reason = "internal error: RuntimeError: boom"

    def crashing(profile: Profile) -> RunHandle:
        return CrashingRun(profile)

    async def scenario() -> str:
        registry = RunRegistry(run_factory=crashing)
        crashed = registry.start(profile_for(quiet_mock.url, total_requests=5))
        fine = RunRegistry().start(profile_for(quiet_mock.url, total_requests=5))
        await asyncio.wait({crashed.task, fine.task}, timeout=10)
        await asyncio.sleep(0)

        assert crashed.status == "failed" and crashed.finished and registry.active == 0
        assert crashed.reason == crashed.error == reason
        assert (crashed.report().state, crashed.report().reason) == ("failed", reason)
        status = run_status(crashed)
        assert (status.status, status.reason) == ("failed", reason)
        assert status.report["state"] == "failed" and status.report["reason"] == reason
        assert fine.status == "completed"
        return crashed.id

    with caplog.at_level(logging.WARNING, logger="loadgui.service"):
        crashed_id = asyncio.run(scenario())

    # One line for the failed run, none for the completed one.
    assert [(r.levelname, r.getMessage()) for r in caplog.records
            if r.name == "loadgui.service"] == [("WARNING", f"run {crashed_id} failed: {reason}")]
