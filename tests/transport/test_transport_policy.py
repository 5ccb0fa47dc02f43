"""Connection policies keep-alive, close and new, in both clients, against real uvicorn."""

from __future__ import annotations

from typing import Any

import pytest
from transport_helpers import echoed, make_client, run, send_each

from loadgui.engine import Run, RunState
from loadgui.engine.http.seam import Outcome
from loadgui.profile import Profile
from loadgui.profile_sections import RequestSpec

KINDS = ["fast", "httpx"]


@pytest.fixture
def echo_url(base_url: str) -> str:
    return base_url + "/echo"


def three_echoes(kind: str, url: str, connection: str) -> tuple[list[Outcome], list[Any]]:
    """Three GETs of /echo with `connection`: the outcomes, and what the server saw of each."""
    outcomes = run(send_each(make_client(kind, url), url, 3, capture=True,
                             connection=connection))
    return outcomes, [echoed(o.body) for o in outcomes]


@pytest.mark.parametrize("kind", KINDS)
def test_keep_alive_reuses_one_connection(echo_url, kind):
    outcomes, seen = three_echoes(kind, echo_url, "keep-alive")
    assert len({s["port"] for s in seen}) == 1
    assert [o.connect > 0 for o in outcomes] == [True, False, False]
    assert all("close" not in s["headers"].get("connection", "") for s in seen)


@pytest.mark.parametrize("kind", KINDS)
def test_close_asks_the_server_to_close_and_opens_a_connection_each_time(echo_url, kind):
    outcomes, seen = three_echoes(kind, echo_url, "close")
    assert len({s["port"] for s in seen}) == 3
    assert all(s["headers"]["connection"] == "close" for s in seen)
    assert all(o.connect > 0 for o in outcomes)


@pytest.mark.parametrize("kind", KINDS)
def test_new_opens_a_connection_each_time_without_asking_the_server_to_close(echo_url, kind):
    outcomes, seen = three_echoes(kind, echo_url, "new")
    assert len({s["port"] for s in seen}) == 3
    assert all("close" not in s["headers"].get("connection", "") for s in seen)
    assert all(o.connect > 0 for o in outcomes)


@pytest.mark.parametrize("kind", KINDS)
def test_close_replaces_a_connection_header_of_the_profile(echo_url, kind):
    async def go() -> bytes | None:
        client = make_client(kind, echo_url)
        try:
            outcome = await client.send("GET", echo_url, {"connection": "keep-alive"}, None,
                                        capture=True, connection="close")
            return outcome.body
        finally:
            await client.aclose()

    assert echoed(run(go()))["headers"]["connection"] == "close"


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_or_closed_connection_leaves_the_kept_alive_one_alone(echo_url, kind):
    async def go() -> list[int]:
        client = make_client(kind, echo_url)
        ports = []
        try:
            for policy in ("keep-alive", "new", "keep-alive", "close", "keep-alive"):
                outcome = await client.send("GET", echo_url, {}, None, capture=True,
                                            connection=policy)
                ports.append(echoed(outcome.body)["port"])
            return ports
        finally:
            await client.aclose()

    kept, new, kept_again, closed, kept_at_last = run(go())
    assert kept == kept_again == kept_at_last
    assert len({kept, new, closed}) == 3


@pytest.mark.parametrize("kind", KINDS)
def test_a_run_reports_connect_times_by_policy_and_a_request_may_override_it(echo_url, kind):
    base_url = echo_url.removesuffix("/echo")
    profile = Profile()
    profile.target.base_url = base_url
    profile.target.client = kind
    profile.target.connection = "new"
    profile.requests = [RequestSpec(name="fresh", path="/echo", weight=1),
                        RequestSpec(name="kept", path="/echo", weight=1,
                                    connection="keep-alive")]
    profile.load.concurrency = 2
    profile.retry.retries = 0
    profile.limits.total_requests = 40
    load = Run(profile.validated())
    report = run(load.run())
    assert load.state is RunState.COMPLETED and report.successes == 40
    columns = load.recorder.columns()
    connect, request = columns["connect"], columns["request"]
    assert (connect[request == 0] > 0).all()  # every "new" attempt opened a connection
    assert (connect[request == 1] > 0).sum() <= 2  # "kept": once per worker, at most
    assert report.connect is not None
    assert report.connect.count == int((connect > 0).sum())
