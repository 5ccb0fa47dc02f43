"""Checks in real runs against the mock server, through both HTTP clients."""

import asyncio
import random

import numpy as np
import pytest

from loadgui.engine import ErrorKind, Run
from loadgui.profile import Profile

TOTAL = 1000
CLIENTS = ("httpx", "fast")


@pytest.fixture(scope="module")
def failing_mock():
    """The mock answering /test with 500 on 10 % of requests, at random, without delay."""
    from mock_server.embedded import EmbeddedMockServer
    from mock_server.settings import MockSettings

    server = EmbeddedMockServer(MockSettings(min_latency=0, max_latency=0, error_rate=0.1))
    server.start()
    yield server
    server.stop()


def run(data: dict, seed: int = 1) -> Run:
    r = Run(Profile.from_dict(data), rng=random.Random(seed))
    asyncio.run(r.run())
    return r


def load(url: str, client: str, target: dict, total: int = TOTAL) -> dict:
    return {"target": {"base_url": url, "client": client, **target},
            "load": {"concurrency": 8}, "retry": {"retries": 0},
            "limits": {"total_requests": total}}


@pytest.mark.parametrize("client", CLIENTS)
def test_a_status_check_failing_on_10_percent_shows_as_10_percent_check_failures(
        failing_mock, client):
    r = run(load(failing_mock.url, client, {"endpoint": "/test", "checks": [
        {"status": "2xx"}, {"name": "has ok", "json_path": "ok"},
        {"name": "instance header", "header": "X-Instance"}, {"max_latency_ms": 60000}]}))
    report = r.report()
    cols = r.recorder.columns()
    failed_status = cols["status"] == 500
    # The mock picks 10 % at random: 1000 draws land within 5 standard deviations (±47).
    assert 53 <= failed_status.sum() <= 147
    assert report.requests == TOTAL and report.error_counts == {"check": int(failed_status.sum())}
    # Every 500 fails the status and the body checks, nothing else fails; status is kept.
    assert (cols["checks"][failed_status] == 0b011).all()
    assert (cols["checks"][~failed_status] == 0).all()
    assert (cols["error"][failed_status] == ErrorKind.CHECK).all()
    figures = {c.name: (c.passes, c.fails) for c in report.checks}
    fails = int(failed_status.sum())
    assert figures == {"status 2xx": (TOTAL - fails, fails), "has ok": (TOTAL - fails, fails),
                       "instance header": (TOTAL, 0), "latency <= 60000 ms": (TOTAL, 0)}
    assert {c.request for c in report.checks} == {"/test"}
    [group] = report.errors
    assert (group.kind, group.status, group.count) == ("check", 500, fails)
    assert group.message == 'check "status 2xx" failed: status 500 is not 2xx (and 1 more)'
    assert report.to_dict()["checks"][0] == {"request": "/test", "name": "status 2xx",
                                             "passes": TOTAL - fails, "fails": fails}


@pytest.mark.parametrize("client", CLIENTS)
def test_a_body_check_failing_on_one_id_in_ten(quiet_mock, client):
    # {id} is drawn from 1 to 10 by the run's seeded generator; the check fails on id 10.
    data = load(quiet_mock.url, client, {"endpoint": "/echo", "id_range": 10, "checks": []})
    data["requests"] = [{"name": "echo", "path": "/echo?n={id}", "checks": [
        {"name": "id below ten", "body_matches": r'"query":"n=[1-9]"'},
        {"name": "query", "json_path": "query"}]}]
    r = run(data, seed=7)
    report = r.report()
    cols = r.recorder.columns()
    fails = int((cols["checks"] == 1).sum())
    assert 53 <= fails <= 147
    assert report.status_counts == {200: TOTAL}
    assert report.error_counts == {"check": fails}
    assert [(c.name, c.passes, c.fails) for c in report.checks] == [
        ("id below ten", TOTAL - fails, fails), ("query", TOTAL, 0)]
    assert report.errors[0].message == \
        'check "id below ten" failed: body does not match /"query":"n=[1-9]"/'
    again = run(data, seed=7).report()
    assert [c.fails for c in again.checks] == [fails, 0]  # the same draws, the same count


def test_no_checks_leave_the_checks_column_empty_and_the_report_without_checks(quiet_mock):
    r = run(load(quiet_mock.url, "fast", {"endpoint": "/test"}, total=50))
    assert r.report().checks == () and not np.any(r.recorder.columns()["checks"])
    assert r.report().to_dict()["checks"] == []


def test_checks_in_worker_processes_add_up_in_the_parents_report(failing_mock):
    from loadgui.engine import make_run

    data = load(failing_mock.url, "fast", {"endpoint": "/test", "checks": [
        {"status": "2xx"}, {"name": "instance header", "header": "X-Instance"}]}, total=400)
    data["load"]["processes"] = 2
    r = make_run(Profile.from_dict(data))
    asyncio.run(r.run())
    report = r.report()
    fails = report.status_counts.get(500, 0)
    assert [(c.name, c.passes, c.fails) for c in report.checks] == [
        ("status 2xx", 400 - fails, fails), ("instance header", 400, 0)]
    assert report.error_counts == ({"check": fails} if fails else {})
