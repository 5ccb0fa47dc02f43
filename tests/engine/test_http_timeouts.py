"""`timeout` bounds a whole request in both clients: connect, send and the full body, even
when a raw socket server on 127.0.0.1 trickles the body a byte at a time."""

from __future__ import annotations

import asyncio
import time

import pytest

from loadgui.engine import ErrorKind
from loadgui.engine.http.seam import Outcome
from tests.transport.transport_helpers import make_client

TRICKLED = 40  # bytes, one per TRICKLE_S: 4 s in all, far past the timeout
TRICKLE_S = 0.1
TIMEOUT_S = 0.5


async def trickle_or_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """GET /trickle: the body a byte every TRICKLE_S; anything else: "ok" at once."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"GET /trickle "):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
                continue
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % TRICKLED)
            for _ in range(TRICKLED):
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(TRICKLE_S)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass  # the client gave up on the connection
    finally:
        writer.close()


@pytest.mark.parametrize("kind", ["httpx", "fast"])
def test_a_trickling_body_times_out_and_the_client_goes_on(kind):
    async def go() -> tuple[Outcome, float, Outcome]:
        server = await asyncio.start_server(trickle_or_answer, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        client = make_client(kind, url, TIMEOUT_S)
        try:
            started = time.perf_counter()
            trickled = await client.send("GET", url + "/trickle", {}, None)
            took = time.perf_counter() - started
            return trickled, took, await client.send("GET", url + "/ok", {}, None)
        finally:
            await client.aclose()
            server.close()
            await asyncio.sleep(TRICKLE_S * 2)  # the server's handler sees the close and ends

    trickled, took, after = asyncio.run(go())
    assert trickled == Outcome(0, 0, ErrorKind.TIMEOUT, "timed out after 0.5 s")
    assert TIMEOUT_S <= took < TIMEOUT_S + 0.5
    assert after == Outcome(200, 2)
