"""The single-instance endpoints, over a real socket."""

import time
from collections.abc import Callable

import httpx
import pytest

from mock_server.embedded import EmbeddedMockServer

MakeServer = Callable[..., EmbeddedMockServer]


def test_latency_stays_within_bounds(make_server: MakeServer, client: httpx.Client) -> None:
    server = make_server(min_latency=0.05, max_latency=0.1)
    for _ in range(8):
        started = time.perf_counter()
        response = client.get(f"{server.url}/test")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        assert 0.05 <= response.json()["latency"] <= 0.1
        assert elapsed >= 0.05
        assert elapsed < 0.1 + 2.0  # generous: a busy 2-core machine can stall a thread


def test_zero_latency_is_fast(make_server: MakeServer, client: httpx.Client) -> None:
    server = make_server()
    started = time.perf_counter()
    for _ in range(50):
        assert client.get(f"{server.url}/test").json()["latency"] == 0.0
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_error_rate_zero_always_answers_200(
    make_server: MakeServer, client: httpx.Client, method: str
) -> None:
    server = make_server(error_rate=0.0)
    statuses = {client.request(method, f"{server.url}/test").status_code for _ in range(30)}
    assert statuses == {200}


def test_error_rate_one_always_answers_500_with_json(
    make_server: MakeServer, client: httpx.Client
) -> None:
    server = make_server(error_rate=1.0)
    responses = [client.post(f"{server.url}/test", json={"x": 1}) for _ in range(30)]
    assert {r.status_code for r in responses} == {500}
    assert all(r.json()["error"] for r in responses)


def test_head_answers_without_body(make_server: MakeServer, client: httpx.Client) -> None:
    server = make_server()
    response = client.head(f"{server.url}/test")
    assert response.status_code == 200
    assert response.content == b""


def test_every_response_carries_x_instance(make_server: MakeServer, client: httpx.Client) -> None:
    server = make_server(instance_id="blue", error_rate=1.0)
    for path in ("/test", "/ping", "/health", "/no-such-path"):
        assert client.get(f"{server.url}{path}").headers["x-instance"] == "blue"


def test_ping_reports_the_bound_port(make_server: MakeServer, client: httpx.Client) -> None:
    server = make_server(instance_id="7")
    assert client.get(f"{server.url}/ping").json() == {"port": server.port, "instance": "7"}


def test_health(make_server: MakeServer, client: httpx.Client) -> None:
    server = make_server()
    assert client.get(f"{server.url}/health").json() == {"status": "ok"}
