"""A real ASGI app for the transport tests, and the two clients made alike."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Coroutine
from typing import Any, TypeVar

from starlette.types import Receive, Scope, Send

from loadgui.engine.http.fast_client import FastClient
from loadgui.engine.http.httpx_client import HttpxClient, shared_ssl_context
from loadgui.engine.http.seam import Client

T = TypeVar("T")
GZIPPED = b'{"greeting": "hello"}'


def make_client(kind: str, base_url: str, timeout: float = 5.0) -> Client:
    if kind == "fast":
        return FastClient(base_url, timeout)
    return HttpxClient(shared_ssl_context(), timeout)


async def answer(scope: Scope, receive: Receive, send: Send) -> None:
    """/echo: the request as the server saw it (JSON); /status/N: status N with a
    Retry-After of 7; /gzip: a gzip-encoded body; /repeat: a header sent twice."""
    if scope["type"] != "http":
        return
    path: str = scope["path"]
    headers: list[tuple[bytes, bytes]] = [(b"x-served-by", b"transport-tests")]
    status, body = 200, b""
    if path == "/echo":
        seen = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        client = scope.get("client") or ("", 0)
        body = json.dumps({"port": client[1], "headers": seen,
                           "http_version": scope.get("http_version", "")}).encode()
        headers.append((b"content-type", b"application/json"))
    elif path.startswith("/status/"):
        status = int(path.rpartition("/")[2])
        headers.append((b"retry-after", b"7"))
        body = b"slow down"
    elif path == "/gzip":
        body = gzip.compress(GZIPPED)
        headers.append((b"content-encoding", b"gzip"))
    elif path == "/repeat":
        headers += [(b"x-tag", b"one"), (b"X-Tag", b"two")]
        body = b"ok"
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def echoed(body: bytes | None) -> dict[str, Any]:
    assert body is not None
    result: dict[str, Any] = json.loads(body)
    return result


async def send_each(client: Client, url: str, count: int, **options: Any) -> list[Any]:
    """`count` GETs of `url`, one after the other; the client is closed after."""
    try:
        return [await client.send("GET", url, {}, None, **options) for _ in range(count)]
    finally:
        await client.aclose()


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)
