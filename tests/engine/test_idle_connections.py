"""Connections idle past IDLE_REUSE_LIMIT_S are replaced, not reused (servers close them)."""

import asyncio
from collections.abc import Coroutine
from typing import Any

import pytest
import uvloop
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from loadgui.engine.http import seam as client_module
from loadgui.engine.http.fast_client import FastClient
from loadgui.engine.http.httpx_client import HttpxClient, shared_ssl_context
from mock_server.threaded_server import ThreadedServer


@pytest.fixture(scope="module")
def port_echo():
    """A real server that answers with the client's port as it saw it."""

    async def port(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(request.client.port))

    server = ThreadedServer(Starlette(routes=[Route("/port", port, methods=["POST"])]))
    server.start(10.0)
    yield server.url + "/port"
    server.stop(5.0)


async def client_port(client: FastClient | HttpxClient, url: str) -> int:
    """Send one POST through the client's connection and return that connection's port.

    send() reports only status and sizes, so the port is read where each client keeps its
    connection: httpx's own response body, or the fast client's socket.
    """
    if isinstance(client, HttpxClient):
        return int((await client._client.post(url, content=b"x")).text)
    assert (await client.send("POST", url, {}, b"x")).status == 200
    return client._connection.transport.get_extra_info("sockname")[1]


def run_on(loop: str, coroutine: Coroutine[Any, Any, set[int]]) -> set[int]:
    factory = uvloop.new_event_loop if loop == "uvloop" else None
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(coroutine)


@pytest.mark.parametrize(("kind", "loop"), [("fast", "asyncio"), ("fast", "uvloop"),
                                            ("httpx", "asyncio")])
def test_idle_connection_is_replaced_after_the_limit(port_echo, monkeypatch, kind, loop):
    monkeypatch.setattr(client_module, "IDLE_REUSE_LIMIT_S", 0.3)

    async def ports(pause: float) -> set[int]:
        client = FastClient(port_echo, 5) if kind == "fast" else HttpxClient(
            shared_ssl_context(), 5)
        seen = set()
        for _ in range(3):
            seen.add(await client_port(client, port_echo))
            await asyncio.sleep(pause)
        await client.aclose()
        return seen

    assert len(run_on(loop, ports(0.0))) == 1  # kept alive and reused
    assert len(run_on(loop, ports(0.5))) == 3  # idle past the limit: a new connection each time
