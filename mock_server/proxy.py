"""The cluster's front door: a round-robin reverse proxy that streams bodies both ways."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qs, unquote

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from mock_server.pool import InstancePool, NoInstanceAvailable
from mock_server.supervisor import LIVE_SETTINGS, ClusterSupervisor

HOP_BY_HOP = {
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization",
    b"te", b"trailer", b"trailers", b"transfer-encoding", b"upgrade",
}  # fmt: skip
# Set by the proxy's own server on its responses.
_OWN_RESPONSE_HEADERS = {b"date", b"server"}
_ITEM_PATH = re.compile(r"^/items/([^/]+)$")
_CREATE_PATHS = {"/items", "/items/"}
_ATTEMPTS = 3
_IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"}
PROXY_ID = b"proxy"


class _ClientGone(Exception):
    pass


def create_proxy_app(supervisor: ClusterSupervisor) -> Starlette:
    """The proxy app. Its lifespan starts the instances and stops them again."""
    forwarder = Forwarder(supervisor.pool, supervisor.settings.queue_timeout)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The pool must never close an idle connection to an instance on its own (no expiry, no
        # cap on idle connections): httpcore 1.0 can close one it has just handed to a request,
        # which then fails after it was sent and cannot be resent (encode/httpcore#1110). Instances
        # keep idle connections open for a day (INSTANCE_KEEP_ALIVE), so neither side closes one
        # while the other may use it. Connections to a stopped instance close with it.
        limits = httpx.Limits(
            max_connections=None, max_keepalive_connections=None, keepalive_expiry=None
        )
        timeout = httpx.Timeout(connect=5.0, read=300.0, write=300.0, pool=None)
        async with httpx.AsyncClient(trust_env=False, limits=limits, timeout=timeout) as client:
            forwarder.client = client
            try:
                await supervisor.start(client)
            except Exception as exc:
                # Reported by the embedding side as one line; uvicorn would print a traceback.
                app.state.startup_error = exc
            try:
                yield
            finally:
                await supervisor.close()

    async def cluster_report(request: Request) -> JSONResponse:
        return JSONResponse(supervisor.snapshot(), headers={"x-instance": "proxy"})

    async def update_settings(request: Request) -> JSONResponse:
        try:
            changes = await request.json()
            unknown = set(changes) - set(LIVE_SETTINGS)
            if unknown:
                raise ValueError(f"cannot change {', '.join(sorted(unknown))} live")
            settings = dataclasses.replace(supervisor.instance_settings, **changes)
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, 422, headers={"x-instance": "proxy"})
        applied = await supervisor.apply_settings(settings)
        body = {"applied": applied, "settings": dataclasses.asdict(settings)}
        return JSONResponse(body, headers={"x-instance": "proxy"})

    routes = [
        Route("/_cluster", cluster_report, methods=["GET"]),
        Route("/_cluster/settings", update_settings, methods=["PUT"]),
        Route("/{path:path}", forwarder),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.startup_error = None
    return app


class Forwarder:
    """ASGI endpoint forwarding any request to an instance chosen by the pool."""

    def __init__(self, pool: InstancePool, queue_timeout: float) -> None:
        self.pool = pool
        self.queue_timeout = queue_timeout
        self.client: httpx.AsyncClient | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.client is not None
        method: str = scope["method"]
        path: str = scope["path"]
        creates = method == "POST" and path in _CREATE_PATHS
        created_item = _created_item_id(scope) if creates else None
        # Creating a known item goes to its owner too, which answers 400 for the duplicate.
        item_id = created_item if created_item is not None else _item_in_path(method, path)
        headers = [(k, v) for k, v in scope["headers"] if k not in HOP_BY_HOP and k != b"host"]
        has_body = any(k in (b"content-length", b"transfer-encoding") for k, _ in scope["headers"])
        target = (scope.get("raw_path") or path.encode()) + (
            b"?" + scope["query_string"] if scope["query_string"] else b""
        )
        body_read = False

        async def body() -> AsyncGenerator[bytes, None]:
            nonlocal body_read
            body_read = True
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise _ClientGone
                more = message.get("more_body", False)
                yield message.get("body", b"")

        for _ in range(_ATTEMPTS):
            try:
                instance = await self.pool.acquire(item_id, self.queue_timeout)
            except NoInstanceAvailable as exc:
                await _send_error(send, 503, str(exc))
                return
            served = False
            try:
                url = httpx.URL(f"http://127.0.0.1:{instance.port}").copy_with(raw_path=target)
                request = self.client.build_request(
                    method, url, headers=headers, content=body() if has_body else None
                )
                try:
                    response = await self.client.send(request, stream=True)
                except httpx.ConnectError:
                    # Refused: nothing was sent, so another instance may take the request.
                    await self.pool.mark_unreachable(instance, "connection refused")
                    continue
                except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
                    # Closed before answering (an instance dying; idle connections are never
                    # closed by either side, see lifespan): the instance may have acted on the
                    # request, so only one that is safe to repeat and has no body is resent.
                    if method in _IDEMPOTENT and not body_read:
                        continue
                    await _send_error(send, 502, f"instance {instance.instance_id}: {exc!r}")
                    return
                except httpx.TimeoutException:
                    await _send_error(send, 504, f"instance {instance.instance_id} timed out")
                    return
                except (httpx.HTTPError, _ClientGone) as exc:
                    await _send_error(send, 502, f"instance {instance.instance_id}: {exc!r}")
                    return
                if created_item is not None and 200 <= response.status_code < 300:
                    self.pool.remember_item(created_item, instance)
                served = await _relay(response, send)
                return
            finally:
                await self.pool.release(instance, served=served)
        await _send_error(send, 502, "no instance accepted the connection")


async def _relay(response: httpx.Response, send: Send) -> bool:
    """Stream the instance's response to the client. False if it broke off midway."""
    try:
        headers = [
            (k, v)
            for k, v in response.headers.raw
            if k.lower() not in HOP_BY_HOP and k.lower() not in _OWN_RESPONSE_HEADERS
        ]
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": headers}
        )
        async for chunk in response.aiter_raw():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return True
    except (httpx.HTTPError, OSError):
        # The instance died mid-response. Returning without finishing makes uvicorn close the
        # client's connection, which is the honest signal that the body is incomplete.
        return False
    finally:
        await response.aclose()


def _item_in_path(method: str, path: str) -> str | None:
    match = _ITEM_PATH.match(path) if method != "POST" else None
    return unquote(match.group(1)) if match else None


def _created_item_id(scope: Scope) -> str | None:
    values = parse_qs(scope["query_string"].decode("latin-1")).get("item_id")
    return values[0] if values else None


async def _send_error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-instance", PROXY_ID),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
