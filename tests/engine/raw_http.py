"""Raw socket servers on 127.0.0.1 for the HTTP client tests, and the loops they run on.

Each server counts the connections it accepts, so a test can tell reuse from reconnection,
and keeps every request head it read.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import uvloop

from loadgui.engine.http.fast_client import FastClient
from loadgui.engine.http.seam import Outcome

T = TypeVar("T")
Runner = Callable[[Coroutine[Any, Any, T]], T]
LOOPS = ["asyncio", "uvloop"]
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def loop_runner(loop: str) -> Runner[Any]:
    """Runs a coroutine to completion on a new loop: asyncio's own, or uvloop's."""
    factory = uvloop.new_event_loop if loop == "uvloop" else None

    def run(coroutine: Coroutine[Any, Any, T]) -> T:
        with asyncio.Runner(loop_factory=factory) as runner:
            return runner.run(coroutine)

    return run


@dataclass
class Seen:
    """What a raw server saw: its URL, the connections it accepted, the request heads."""

    url: str = ""
    connections: int = 0
    heads: list[bytes] = field(default_factory=list)

    async def read_request(self, reader: asyncio.StreamReader) -> bytes:
        """One request's head, recorded, and its body if it announces one."""
        head = await reader.readuntil(b"\r\n\r\n")
        self.heads.append(head)
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                await reader.readexactly(int(value))
        return head

    async def answer_each(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                          answer: Callable[[bytes], bytes]) -> None:
        """Answer every request on this connection with answer(its head)."""
        while True:
            writer.write(answer(await self.read_request(reader)))
            await writer.drain()


# handler(seen, number of this connection from 1, reader, writer)
Handler = Callable[[Seen, int, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(handler: Handler) -> AsyncIterator[Seen]:
    """A server on 127.0.0.1 running `handler` per connection; awaits them all on exit."""
    seen = Seen()
    handlers: list[asyncio.Task[Any]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.append(asyncio.current_task())  # type: ignore[arg-type]
        seen.connections += 1
        try:
            await handler(seen, seen.connections, reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client closed the connection: the normal end here
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    seen.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield seen
    finally:
        server.close()
        if handlers:
            await asyncio.wait(handlers, timeout=2.0)


def answering(response: bytes) -> Handler:
    """A handler answering every request on its connection with `response`."""

    async def handler(seen: Seen, connection: int, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        await seen.answer_each(reader, writer, lambda head: response)

    return handler


answer_ok = answering(OK)


async def send_each(handler: Handler, requests: list[tuple[str, str, dict[str, str], Any]]
                    ) -> tuple[list[Outcome], Seen]:
    """Send (method, path, headers, content) requests one by one on one FastClient."""
    async with raw_server(handler) as seen:
        client = FastClient(seen.url, 2.0)
        try:
            outcomes = [await client.send(method, seen.url + path, headers, content)
                        for method, path, headers, content in requests]
        finally:
            await client.aclose()
    return outcomes, seen
