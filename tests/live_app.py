"""A small ASGI app the engine tests aim at: it records what it receives and misbehaves on cue.

Served by real uvicorn on 127.0.0.1 (mock_server's ThreadedServer), reached by real httpx.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from mock_server.threaded_server import ThreadedServer


@dataclass
class Seen:
    """What the app received, in arrival order."""

    auth: list[str] = field(default_factory=list)
    custom: list[str] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    flaky_calls: int = 0
    hang_calls: int = 0
    first_call_at: float | None = None
    items: list[str] = field(default_factory=list)
    upload_sizes: list[int] = field(default_factory=list)


def build_app(seen: Seen) -> Starlette:
    async def ok(request: Request) -> PlainTextResponse:
        seen.auth.append(request.headers.get("authorization", ""))
        seen.custom.append(request.headers.get("x-api-key", ""))
        seen.methods.append(request.method)
        seen.bodies.append(await request.body())
        return PlainTextResponse("hello")

    async def status(request: Request) -> PlainTextResponse:
        return PlainTextResponse("x", status_code=int(request.path_params["code"]))

    async def flaky(request: Request) -> PlainTextResponse:
        """Fails (503) on the first `n` calls in total, then succeeds."""
        seen.flaky_calls += 1
        fail_first = int(request.query_params.get("n", "2"))
        code = 503 if seen.flaky_calls <= fail_first else 200
        return PlainTextResponse("flaky", status_code=code)

    async def slow(request: Request) -> PlainTextResponse:
        await asyncio.sleep(float(request.query_params.get("s", "30")))
        return PlainTextResponse("slow")

    async def hang_after(request: Request) -> PlainTextResponse:
        """Answers the first `n` calls at once, then hangs for 30 s."""
        seen.hang_calls += 1
        if seen.hang_calls > int(request.query_params["n"]):
            await asyncio.sleep(30)
        return PlainTextResponse("fast")

    async def stall(request: Request) -> PlainTextResponse:
        """Answers at once, except from `after` s to `after + s` s after the first call, when
        every response is held until the stall ends (a GC pause, a failover...)."""
        now = time.monotonic()
        if seen.first_call_at is None:
            seen.first_call_at = now
        start = seen.first_call_at + float(request.query_params["after"])
        end = start + float(request.query_params["s"])
        if start <= now < end:
            await asyncio.sleep(end - now)
        return PlainTextResponse("ok")

    async def item(request: Request) -> PlainTextResponse:
        seen.items.append(request.path_params["item_id"])
        return PlainTextResponse("item")

    async def upload(request: Request) -> JSONResponse:
        """Reads the whole body, checks it is JSON, and answers with its size."""
        body = await request.body()
        json.loads(body)
        seen.upload_sizes.append(len(body))
        return JSONResponse({"received": len(body)})

    async def size(request: Request) -> PlainTextResponse:
        return PlainTextResponse("x" * int(request.path_params["n"]))

    async def echo_json(request: Request) -> JSONResponse:
        return JSONResponse({"headers": dict(request.headers)})

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return Starlette(routes=[
        Route("/ok", ok, methods=methods),
        Route("/status/{code:int}", status, methods=methods),
        Route("/flaky", flaky, methods=methods),
        Route("/slow", slow, methods=methods),
        Route("/size/{n:int}", size, methods=methods),
        Route("/hang-after", hang_after, methods=methods),
        Route("/stall", stall, methods=methods),
        Route("/items/{item_id}", item, methods=methods),
        Route("/upload", upload, methods=methods),
        Route("/echo", echo_json, methods=methods),
    ])


@contextmanager
def serve_live_app() -> Iterator[tuple[str, Seen]]:
    seen = Seen()
    with ThreadedServer(build_app(seen)) as server:
        yield server.url, seen
