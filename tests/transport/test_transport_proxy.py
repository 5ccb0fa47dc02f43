"""The httpx client through an HTTP proxy: a raw-socket proxy on loopback that answers itself."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator

import pytest
from tls_helpers import free_port
from transport_helpers import run, send_each

from loadgui.engine.http.httpx_client import HttpxClient, shared_ssl_context
from loadgui.engine.stats.basics import ErrorKind

REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nproxied"
REFUSED = (b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n"
           b"Connection: close\r\n\r\n")


@pytest.fixture
def proxy(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[bytes]]]:
    """A proxy's address and the request heads it received (it answers them itself, with
    the reply given by indirect parametrisation, else REPLY)."""
    reply = getattr(request, "param", REPLY)
    heads: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def serve() -> None:
        try:
            while True:
                connection, _ = listener.accept()
                with connection:
                    head = b""
                    while b"\r\n\r\n" not in head:
                        chunk = connection.recv(4096)
                        if not chunk:
                            break
                        head += chunk
                    heads.append(head)
                    connection.sendall(reply)
        except OSError:  # the listener was closed, or nobody came
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"127.0.0.1:{listener.getsockname()[1]}", heads
    listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in the thread
    listener.close()
    thread.join(5)


def test_requests_go_through_the_proxy_with_its_credentials(proxy):
    address, heads = proxy
    target = "http://127.0.0.1:9/item"  # discard port: nothing answers there but the proxy
    client = HttpxClient(shared_ssl_context(), 5.0, proxy=f"http://tester:s3cret@{address}")
    outcomes = run(send_each(client, target, 2, connection="close"))
    assert [(o.status, o.nbytes) for o in outcomes] == [(200, 7)] * 2
    assert len(heads) == 2
    request_line, *header_lines = heads[0].decode("latin-1").split("\r\n")
    assert request_line == f"GET {target} HTTP/1.1"
    token = base64.b64encode(b"tester:s3cret").decode()
    assert f"Proxy-Authorization: Basic {token}" in header_lines


def test_a_proxy_that_is_not_there_is_named_in_the_connect_error():
    port = free_port()
    client = HttpxClient(shared_ssl_context(), 5.0, proxy=f"http://tester:s3cret@127.0.0.1:{port}")
    [outcome] = run(send_each(client, "http://127.0.0.1:9/item", 1))
    assert (outcome.error, outcome.message) == (
        ErrorKind.CONNECT, f"connection refused (127.0.0.1:{port})")


@pytest.mark.parametrize("proxy", [REFUSED], indirect=True)
def test_a_refused_tunnel_is_a_connect_error_without_the_password(proxy):
    address, heads = proxy
    client = HttpxClient(shared_ssl_context(), 5.0, proxy=f"http://tester:s3cret@{address}")
    [outcome] = run(send_each(client, "https://127.0.0.1:9/item", 1))
    assert outcome.error is ErrorKind.CONNECT
    assert outcome.message.startswith("proxy refused the connection")
    assert "s3cret" not in outcome.message
    assert heads[0].startswith(b"CONNECT 127.0.0.1:9 HTTP/1.1")
