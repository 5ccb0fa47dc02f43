"""FastClient against real servers on 127.0.0.1: uvicorn apps, and raw sockets for misbehaviour.

Every test that runs the client takes `run`, so it runs on asyncio's own loop and on uvloop.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from raw_http import Runner, Seen, send_each
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from loadgui.engine import ErrorKind, Run, RunState
from loadgui.engine.http.fast_client import FastClient
from loadgui.engine.http.seam import Outcome
from loadgui.profile import Profile
from mock_server.threaded_server import ThreadedServer

CHUNKS = 5
CHUNK = b"c" * 1000


def build_app(client_ports: list[int]) -> Starlette:
    async def ok(request: Request) -> PlainTextResponse:
        assert request.client is not None
        client_ports.append(request.client.port)
        return PlainTextResponse("hello")

    async def chunked(request: Request) -> StreamingResponse:
        async def chunks() -> Iterator[bytes]:
            for _ in range(CHUNKS):
                yield CHUNK
                await asyncio.sleep(0)

        return StreamingResponse(chunks())

    async def close(request: Request) -> PlainTextResponse:
        assert request.client is not None
        client_ports.append(request.client.port)
        return PlainTextResponse("bye", headers={"Connection": "close"})

    async def slow(request: Request) -> PlainTextResponse:
        await asyncio.sleep(float(request.query_params["s"]))
        return PlainTextResponse("slow")

    async def echo_length(request: Request) -> Response:
        body = await request.body()
        return PlainTextResponse(f"{request.method} {len(body)} "
                                 f"{request.headers.get('x-test', '')}")

    return Starlette(routes=[
        Route("/ok", ok, methods=["GET", "HEAD"]),
        Route("/chunked", chunked),
        Route("/close", close),
        Route("/slow", slow),
        Route("/echo", echo_length, methods=["GET", "POST", "PUT"]),
    ])


async def abort_mid_response(scope: Scope, receive: Receive, send: Send) -> None:
    """Promises 1000 bytes, sends 10, then fails: uvicorn drops the connection."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", b"1000")]})
    await send({"type": "http.response.body", "body": b"x" * 10, "more_body": True})
    raise RuntimeError("the handler fails mid-response (on purpose)")


def dispatch(app: Starlette) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/abort":
            await abort_mid_response(scope, receive, send)
        else:
            await app(scope, receive, send)

    return asgi


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[int]]]:
    client_ports: list[int] = []
    uvicorn_error = logging.getLogger("uvicorn.error")
    level = uvicorn_error.level
    uvicorn_error.setLevel(logging.CRITICAL)  # /abort's failure is the point, not news
    threaded = ThreadedServer(dispatch(build_app(client_ports)))
    threaded.start()
    yield threaded.url, client_ports
    threaded.stop()
    uvicorn_error.setLevel(level)


def send_all(run: Runner, url: str, requests: list[tuple[str, str]], timeout: float = 5.0,
             headers: dict[str, str] | None = None, content: bytes | None = None
             ) -> list[Outcome]:
    """Send (method, path) requests one after the other on one FastClient."""

    async def go() -> list[Outcome]:
        client = FastClient(url, timeout)
        try:
            return [await client.send(method, url + path, headers or {}, content)
                    for method, path in requests]
        finally:
            await client.aclose()

    return run(go())


def test_keeps_one_connection_alive_across_requests(server, run):
    url, ports = server
    ports.clear()
    outcomes = send_all(run, url, [("GET", "/ok")] * 3)
    assert outcomes == [Outcome(200, 5)] * 3
    assert len(ports) == 3 and len(set(ports)) == 1


def test_counts_the_body_bytes_of_a_chunked_response(server, run):
    url, _ = server
    outcomes = send_all(run, url, [("GET", "/chunked"), ("GET", "/chunked")])
    assert outcomes == [Outcome(200, CHUNKS * len(CHUNK))] * 2


def test_reconnects_after_the_server_says_connection_close(server, run):
    url, ports = server
    ports.clear()
    outcomes = send_all(run, url, [("GET", "/close")] * 3)
    assert outcomes == [Outcome(200, 3)] * 3
    assert len(set(ports)) == 3


def test_a_slow_response_times_out_and_the_next_request_works(server, run):
    url, _ = server
    started = time.perf_counter()
    slow, ok = send_all(run, url, [("GET", "/slow?s=0.8"), ("GET", "/ok")], timeout=0.2)
    assert slow == Outcome(0, 0, ErrorKind.TIMEOUT, "timed out after 0.2 s")
    assert ok == Outcome(200, 5)
    assert time.perf_counter() - started < 1.0


def test_a_connection_dropped_mid_response_is_a_read_error(server, run):
    url, _ = server
    aborted, ok = send_all(run, url, [("GET", "/abort"), ("GET", "/ok")])
    assert aborted == Outcome(0, 10, ErrorKind.READ, "server closed the connection mid-response")
    assert ok == Outcome(200, 5)


def test_head_responses_have_no_body_and_keep_the_connection(server, run):
    url, ports = server
    ports.clear()
    outcomes = send_all(run, url, [("HEAD", "/ok"), ("GET", "/ok")])
    assert outcomes == [Outcome(200, 0), Outcome(200, 5)]
    assert len(set(ports)) == 1


def test_sends_headers_and_a_body(server, run):
    url, _ = server

    async def go() -> list[Outcome]:
        client = FastClient(url, 5)
        try:
            post = await client.send("POST", url + "/echo", {"X-Test": "yes"}, b"12345678")
            put = await client.send("PUT", url + "/echo", {}, None)
            return [post, put]
        finally:
            await client.aclose()

    post, put = run(go())
    assert post == Outcome(200, len("POST 8 yes"))
    assert put == Outcome(200, len("PUT 0 "))


def test_connection_refused_is_a_connect_error(run):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    assert send_all(run, url, [("GET", "/")]) == [
        Outcome(0, 0, ErrorKind.CONNECT, f"connection refused (127.0.0.1:{port})")]


def test_https_is_refused_at_construction():
    with pytest.raises(ValueError) as refused:
        FastClient("https://127.0.0.1:8443", 5)
    assert str(refused.value) == (
        "the fast client speaks http:// only; use --client httpx for https")


def test_header_values_with_line_breaks_are_not_sent(server, run):
    url, _ = server
    outcomes = send_all(run, url, [("GET", "/ok")], headers={"X-Evil": "a\r\nHost: elsewhere"})
    assert outcomes == [Outcome(0, 0, ErrorKind.OTHER, "header 'X-Evil' holds a line break")]


def test_the_mock_servers_test_endpoint_through_a_run(quiet_mock, run):
    profile = Profile()
    profile.target.base_url = quiet_mock.url
    profile.load.concurrency = 8
    profile.retry.retries = 0
    profile.limits.total_requests = 300
    load = Run(profile, client_factory=lambda base_url: FastClient(base_url, 5))
    snapshot = run(load.run())
    assert load.state is RunState.COMPLETED
    assert snapshot.requests == snapshot.successes == 300
    assert snapshot.status_counts == {200: 300}
    assert snapshot.bytes_received > 300 * len('{"ok":true}')


# --- misbehaving servers, on raw sockets ------------------------------------------------------

Reply = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> None:
    await reader.readuntil(b"\r\n\r\n")


def against_raw_server(run: Runner[Any], reply: Reply, requests: int = 1, method: str = "GET"
                       ) -> tuple[list[Outcome], int]:
    """Outcomes of `method` / sent `requests` times, and how many connections the server saw."""

    async def handler(seen: Seen, connection: int, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        await reply(reader, writer)

    outcomes, seen = run(send_each(handler, [(method, "/", {}, None)] * requests))
    return outcomes, seen.connections


def test_a_malformed_status_line_is_a_protocol_error(run):
    async def reply(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 two hundred OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()

    assert against_raw_server(run, reply)[0] == [
        Outcome(0, 0, ErrorKind.PROTOCOL, "invalid HTTP response: Invalid status code")]


def test_a_non_http_answer_is_a_protocol_error(run):
    async def reply(reader, writer):
        await read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH_9.6\r\n")
        await writer.drain()

    [outcome], _ = against_raw_server(run, reply)
    assert outcome.error is ErrorKind.PROTOCOL
    assert outcome.message.startswith("invalid HTTP response: ")


def test_a_reset_mid_response_is_a_read_error(run):
    async def reply(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        await writer.drain()
        await asyncio.sleep(0.05)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()  # with SO_LINGER 0: an RST, not a FIN

    [outcome], _ = against_raw_server(run, reply)
    assert outcome == Outcome(0, 10, ErrorKind.READ, "connection reset by peer mid-response")


def test_a_body_that_ends_when_the_server_closes_is_complete(run):
    async def reply(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello, until EOF")
        await writer.drain()

    outcomes, connections = against_raw_server(run, reply, requests=2)
    assert outcomes == [Outcome(200, len("hello, until EOF"))] * 2
    assert connections == 2


async def answer_once_then_close_unannounced(reader, writer):
    await read_request(reader)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    await writer.drain()
    await read_request(reader)


def test_an_idempotent_request_is_resent_once_when_a_kept_alive_connection_was_closed(run):
    outcomes, connections = against_raw_server(run, answer_once_then_close_unannounced, requests=3)
    assert outcomes == [Outcome(200, 2)] * 3
    assert connections == 3


def test_a_post_is_not_resent_when_a_kept_alive_connection_was_closed(run):
    outcomes, connections = against_raw_server(run, answer_once_then_close_unannounced, requests=2,
                                               method="POST")
    assert outcomes == [Outcome(200, 2), Outcome(0, 0, ErrorKind.READ,
                                                 "server closed the connection before answering")]
    assert connections == 1


def test_an_interim_100_continue_is_skipped(run):
    async def reply(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n"
                     b"HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone")
        await writer.drain()
        await read_request(reader)

    assert against_raw_server(run, reply)[0] == [Outcome(201, 4)]


def test_cancelling_a_send_mid_response_leaves_the_client_usable(server, run):
    url, _ = server

    async def go() -> Outcome:
        client = FastClient(url, 5)
        try:
            slow = asyncio.ensure_future(client.send("GET", url + "/slow?s=0.5", {}, None))
            await asyncio.sleep(0.1)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            return await client.send("GET", url + "/ok", {}, None)
        finally:
            await client.aclose()

    assert run(go()) == Outcome(200, 5)
