"""FastClient against raw socket servers on 127.0.0.1 (raw_http.py) that answer oddly, on
asyncio and uvloop."""

from __future__ import annotations

import logging
import time

import pytest
from raw_http import OK, answer_ok, raw_server, send_each

from loadgui.engine import ErrorKind
from loadgui.engine.http.fast_client import FastClient
from loadgui.engine.http.seam import Outcome


def test_a_101_switching_protocols_is_a_protocol_error_with_no_loop_errors(run, caplog):
    async def handler(seen, connection, reader, writer):
        if connection > 1:
            return await answer_ok(seen, connection, reader, writer)
        await seen.read_request(reader)
        writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\n\r\n\x81\x05hello")
        await writer.drain()
        await reader.read()  # until the client drops the connection

    with caplog.at_level(logging.DEBUG, logger="asyncio"):
        outcomes, seen = run(send_each(handler, [("GET", "/ws", {}, None)] * 2))
    assert outcomes == [
        Outcome(0, 0, ErrorKind.PROTOCOL,
                "server switched protocols (101), which a load test cannot follow"),
        Outcome(200, 2)]
    assert seen.connections == 2
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize(("close", "connections"), [(False, 1), (True, 3)])
def test_a_head_response_without_content_length_keeps_the_connection_unless_told(
        run, close, connections):
    def answer(head: bytes) -> bytes:
        if head.startswith(b"HEAD "):  # no Content-Length: the body's length is not said
            return (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    + (b"Connection: close\r\n" if close else b"") + b"\r\n")
        return OK

    async def handler(seen, connection, reader, writer):
        await seen.answer_each(reader, writer, answer)

    methods = ["HEAD", "GET", "HEAD", "GET"]
    outcomes, seen = run(send_each(handler, [(m, "/", {}, None) for m in methods]))
    assert outcomes == [Outcome(200, 0), Outcome(200, 2)] * 2
    assert seen.connections == connections


def test_a_host_name_with_a_64_character_label_is_an_outcome_not_an_exception(run):
    url = "http://" + "x" * 64 + ".invalid:8000"

    async def go() -> tuple[bool, Outcome]:
        client = FastClient(url, 2.0)
        try:
            return await client.connect(), await client.send("GET", url + "/", {}, None)
        finally:
            await client.aclose()

    started = time.perf_counter()
    connected, outcome = run(go())
    assert connected is False
    assert outcome == Outcome(0, 0, ErrorKind.CONNECT,
                              f"host name '{'x' * 39}…' is not valid: label too long")
    assert time.perf_counter() - started < 1.0  # refused before any name lookup


@pytest.mark.parametrize(("headers", "content", "message"), [
    ({}, "a str where bytes belong", "TypeError: can't concat str to bytes"),
    ({"X-Count": 5}, None, "TypeError: 'int' object is not iterable"),
], ids=["str body", "int header value"])
def test_an_unexpected_failure_inside_send_is_an_other_outcome_and_the_client_recovers(
        run, headers, content, message):
    outcomes, _ = run(send_each(answer_ok, [("POST", "/", headers, content),
                                            ("GET", "/", {}, None)]))
    assert outcomes == [Outcome(0, 0, ErrorKind.OTHER, message), Outcome(200, 2)]


@pytest.mark.parametrize("name", ["Content-Length", "content-length", "CONTENT-LENGTH"])
def test_a_content_length_among_the_headers_is_sent_once(run, name):
    outcomes, seen = run(send_each(answer_ok, [("POST", "/", {name: "5"}, b"hello")] * 2))
    assert outcomes == [Outcome(200, 2)] * 2  # both bodies framed right, on one connection
    assert seen.connections == 1
    for head in seen.heads:
        lengths = [line for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")]
        assert lengths == [f"{name}: 5".encode()]


def test_the_scheme_is_read_without_regard_to_case(run):
    async def go() -> list[Outcome]:
        async with raw_server(answer_ok) as seen:
            shouted = seen.url.replace("http://", "HTTP://")
            client = FastClient(shouted, 2.0)
            try:
                return [await client.send("GET", url + "/", {}, None) for url in (
                    shouted, seen.url.replace("http", "Http"), "https" + seen.url[4:])]
            finally:
                await client.aclose()

    assert run(go()) == [Outcome(200, 2), Outcome(200, 2), Outcome(
        0, 0, ErrorKind.OTHER, "the fast client speaks http:// only; use --client httpx for https")]
