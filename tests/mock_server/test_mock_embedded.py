"""EmbeddedMockServer lifecycle: start, stop, ports, live settings."""

import socket
from collections.abc import Callable

import httpx
import pytest

from mock_server.embedded import EmbeddedMockServer, MockServerError
from mock_server.settings import MockSettings

MakeServer = Callable[..., EmbeddedMockServer]


def test_start_picks_a_free_port_and_stop_frees_it(client: httpx.Client) -> None:
    server = EmbeddedMockServer(MockSettings(min_latency=0, max_latency=0, error_rate=0))
    server.start()
    try:
        assert server.running
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert client.get(f"{server.url}/health").status_code == 200
    finally:
        server.stop()
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        client.get(f"{server.url}/health")
    with socket.socket() as sock:
        # What any server does; the old listener is gone, only TIME_WAIT connections remain.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", server.port))
        sock.listen()


def test_stop_is_idempotent_and_safe_before_start() -> None:
    server = EmbeddedMockServer()
    server.stop()
    server.start()
    server.stop()
    server.stop()
    assert not server.running


def test_context_manager_and_restart_on_the_same_port(client: httpx.Client) -> None:
    with EmbeddedMockServer(MockSettings(min_latency=0, max_latency=0)) as first:
        port = first.port
        client.get(f"{first.url}/test")
    with EmbeddedMockServer(MockSettings(min_latency=0, max_latency=0), port=port) as second:
        assert client.get(f"{second.url}/ping").json()["port"] == port


def test_port_in_use_raises_a_one_line_error(make_server: MakeServer) -> None:
    busy = make_server()
    with pytest.raises(MockServerError) as caught:
        EmbeddedMockServer(port=busy.port).start()
    assert str(caught.value) == f"port {busy.port} on 127.0.0.1 is already in use"
    assert isinstance(caught.value, OSError)


def test_settings_change_applies_live(make_server: MakeServer, client: httpx.Client) -> None:
    server = make_server(error_rate=0.0)
    assert client.get(f"{server.url}/test").status_code == 200
    server.settings.error_rate = 1.0
    assert client.get(f"{server.url}/test").status_code == 500
    server.settings = MockSettings(min_latency=0, max_latency=0, error_rate=0, instance_id="new")
    response = client.get(f"{server.url}/test")
    assert response.status_code == 200
    assert response.headers["x-instance"] == "new"


def test_stop_does_not_wait_for_slow_requests(make_server: MakeServer) -> None:
    import threading
    import time

    server = make_server(min_latency=30, max_latency=30)
    outcome: list[object] = []

    def slow_request() -> None:
        try:
            with httpx.Client(trust_env=False, timeout=40) as http:
                outcome.append(http.get(f"{server.url}/test"))
        except httpx.HTTPError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=slow_request)
    thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 4.0
    thread.join(10)
    assert outcome and not thread.is_alive()
