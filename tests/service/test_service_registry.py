"""RunRegistry on a plain asyncio loop, no HTTP: the engine's other clients can use it too."""

from __future__ import annotations

import asyncio

import pytest

from loadgui.profile import Profile, ProfileError
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
        assert second.status == "completed" and second.snapshot().requests == 10
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
