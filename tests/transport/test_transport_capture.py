"""Both clients against a real uvicorn server: captured bodies and headers, Retry-After,
and the time spent opening a connection."""

from __future__ import annotations

import asyncio

import pytest
import uvloop
from transport_helpers import GZIPPED, echoed, make_client, run, send_each

from loadgui.engine.stats.basics import ErrorKind

KINDS = ["fast", "httpx"]


@pytest.mark.parametrize("kind", KINDS)
def test_capture_gives_the_body_and_lower_case_headers(base_url, kind):
    [outcome] = run(send_each(make_client(kind, base_url), base_url + "/echo", 1,
                              capture=True))
    assert outcome.status == 200 and outcome.error is ErrorKind.NONE
    assert echoed(outcome.body)["headers"]["host"].startswith("127.0.0.1:")
    assert outcome.nbytes == len(outcome.body)
    assert outcome.headers is not None
    assert outcome.headers["x-served-by"] == "transport-tests"
    assert outcome.headers["content-type"] == "application/json"
    assert all(name == name.lower() for name in outcome.headers)


@pytest.mark.parametrize("kind", KINDS)
def test_without_capture_there_is_no_body_nor_headers(base_url, kind):
    [outcome] = run(send_each(make_client(kind, base_url), base_url + "/echo", 1))
    assert outcome.status == 200 and outcome.nbytes > 0
    assert outcome.body is None and outcome.headers is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_repeated_header_is_joined_with_commas(base_url, kind):
    [outcome] = run(send_each(make_client(kind, base_url), base_url + "/repeat", 1,
                              capture=True))
    assert outcome.headers is not None and outcome.headers["x-tag"] == "one, two"


@pytest.mark.parametrize("kind", KINDS)
def test_a_gzip_body_is_captured_decoded_and_counted_as_received(base_url, kind):
    [outcome] = run(send_each(make_client(kind, base_url), base_url + "/gzip", 1,
                              capture=True))
    assert outcome.body == GZIPPED
    assert outcome.nbytes != len(GZIPPED)  # the compressed size, as on the wire


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_reported_with_a_429_or_503(base_url, kind, status):
    [outcome] = run(send_each(make_client(kind, base_url), f"{base_url}/status/{status}", 1))
    assert (outcome.status, outcome.retry_after) == (status, "7")


@pytest.mark.parametrize("kind", KINDS)
def test_retry_after_is_not_reported_with_other_statuses(base_url, kind):
    [outcome] = run(send_each(make_client(kind, base_url), f"{base_url}/status/500", 1))
    assert (outcome.status, outcome.retry_after) == (500, None)


@pytest.mark.parametrize("kind", KINDS)
def test_connect_time_is_reported_for_a_new_connection_only(base_url, kind):
    first, second, third = run(send_each(make_client(kind, base_url), base_url + "/echo", 3,
                                          capture=True))
    assert 0 < first.connect < 1
    assert second.connect == 0 and third.connect == 0
    assert len({echoed(o.body)["port"] for o in (first, second, third)}) == 1


def test_the_fast_client_on_uvloop_captures_and_times_the_same(base_url):

    async def go() -> list:
        client = make_client("fast", base_url)
        try:
            return [await client.send("GET", base_url + "/echo", {}, None, capture=True),
                    await client.send("GET", base_url + "/status/429", {}, None)]
        finally:
            await client.aclose()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        echo, limited = runner.run(go())
    assert echoed(echo.body)["port"] > 0 and echo.headers is not None
    assert 0 < echo.connect < 1 and limited.connect == 0
    assert limited.retry_after == "7"
