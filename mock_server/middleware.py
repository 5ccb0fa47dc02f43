"""Pure ASGI middleware shared by every mock endpoint (no BaseHTTPMiddleware: it buffers)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.settings import MockSettings

# Past this many bytes an oversized body is no longer drained before the 413.
_DRAIN_FACTOR = 4


def _settings(scope: Scope) -> MockSettings:
    settings: MockSettings = scope["app"].state.settings
    return settings


class InstanceHeaderMiddleware:
    """Adds `X-Instance: <instance id>` to every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        instance = _settings(scope).instance_id.encode("latin-1", "replace")

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-instance"]
                headers.append((b"x-instance", instance))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_header)


class BodyLimitMiddleware:
    """Answers 413 once a request body grows past `settings.max_body_bytes`.

    The rest of the body is read and dropped before the 413 so that the client, which is still
    sending, reads a clean response instead of a connection reset.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = _settings(scope).max_body_bytes
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    await _drain(receive, received, limit * _DRAIN_FACTOR, message)
                    raise HTTPException(413, f"request body is larger than {limit} bytes")
            return message

        await self.app(scope, limited_receive, send)


async def _drain(receive: Receive, received: int, cap: int, message: Message) -> None:
    while message.get("more_body", False) and received <= cap:
        message = await receive()
        if message["type"] != "http.request":
            return
        received += len(message.get("body", b""))
