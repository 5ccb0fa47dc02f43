"""/status renders the run's Report: the seed's fields in seconds beside `report`, its JSON;
and a bare POST /trigger runs the service's default profile, or is refused without one."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from loadgui.profile import Profile, ProfileError
from loadgui.service.app import create_service_app
from loadgui.service.profiles import NO_DEFAULT
from loadgui.service.registry import RunRegistry


def shape(value: Any) -> Any:
    """The keys of every nested JSON object: what stays the same while the numbers change."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return None


def test_seed_fields_are_in_seconds_and_come_from_the_report(service, mock_factory) -> None:
    mock = mock_factory(min_latency=0.05, max_latency=0.05, error_rate=0.25)
    run_id = service.trigger({"target": {"base_url": mock.url}, "load": {"concurrency": 4},
                              "retry": {"retries": 0}, "limits": {"total_requests": 40}})
    service.wait_finished(run_id)

    status = service.status(run_id, latencies="true")

    report = status["report"]
    assert 0.05 <= status["average_latency"] < 0.5  # seconds, not milliseconds
    assert all(0.05 <= latency < 0.5 for latency in status["latencies"])
    assert len(status["latencies"]) == status["successful_responses"]
    assert 0.05 <= status["total_time"] < 10
    assert status["average_latency"] == pytest.approx(report["latency_ms"]["mean"] / 1000,
                                                      abs=1e-6)
    assert status["total_time"] == report["duration_s"]
    assert (status["successful_responses"], status["failed_responses"], status["exceptions"],
            status["requests"], status["rps"], status["status_counts"]) == (
        report["successes"], report["failures"], report["exceptions"], report["requests"],
        report["rps"], report["status_counts"])
    assert status["failed_responses"] == report["status_counts"].get("500", 0) > 0


def test_status_report_is_the_runs_report_to_dict(service, quiet_mock, long_profile) -> None:
    running = service.trigger(long_profile)
    done = service.trigger({"target": {"base_url": quiet_mock.url},
                            "limits": {"total_requests": 20}})
    service.wait_finished(done)
    time.sleep(0.3)  # a few of the long run's answers

    live, final = service.status(running)["report"], service.status(done)["report"]

    # Once ended, the report is the run's own, cached by the run (so reading it from this
    # thread is safe), as JSON.
    expected = service.registry.get(done).run.report().to_dict()
    assert final == json.loads(json.dumps(expected))
    assert final["final"] is True and final["state"] == "completed"
    # While running, a live report of the same shape, not yet final.
    assert live["state"] == "running" and live["final"] is False
    assert shape(live) == shape(final)


@pytest.mark.parametrize("body", [None, b"", b" \n\t"])
def test_an_empty_body_without_a_default_profile_is_a_422(service, body) -> None:
    response = service.client.post("/trigger", content=body)

    assert response.status_code == 422
    assert response.json() == {"detail": NO_DEFAULT, "field": None}
    assert "loadgui serve --profile PATH" in NO_DEFAULT
    assert service.client.get("/runs").json() == []


def test_an_empty_body_runs_the_default_profile(start_service, quiet_mock) -> None:
    default = Profile.from_dict({"target": {"base_url": quiet_mock.url, "endpoint": "/ping"},
                                 "load": {"concurrency": 2}, "limits": {"total_requests": 12}})
    service = start_service(default_profile=default)

    response = service.client.post("/trigger")  # curl -X POST localhost:8181/trigger

    assert response.status_code == 202
    run_id = response.json()["request_id"]
    final = service.wait_finished(run_id)
    assert final["status"] == "completed" and final["successful_responses"] == 12
    assert service.registry.get(run_id).profile == default
    [listed] = service.client.get("/runs").json()
    assert listed["target"] == f"{quiet_mock.url}/ping"
    # A body still wins over the default.
    other = service.trigger({"target": {"base_url": quiet_mock.url},
                             "limits": {"total_requests": 3}})
    assert service.wait_finished(other)["requests"] == 3


def test_an_unbounded_default_profile_is_refused_when_the_app_is_made() -> None:
    with pytest.raises(ProfileError, match=r"limits\.total_requests or limits\.duration"):
        create_service_app(RunRegistry(), default_profile=Profile())
