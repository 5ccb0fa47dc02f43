"""Who may call the service: a bearer token, or (without one) only a loopback Host."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(auto_error=False, description="Needed when the service has a --token.")


def is_loopback_host(host: str) -> bool:
    """True for localhost and loopback addresses; any other name or address is not."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(header: str) -> str:
    """The host of a Host header, without its port ("[::1]:8181" -> "::1")."""
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def access_check(token: str | None) -> Callable[..., Awaitable[None]]:
    """A FastAPI dependency: with a token, require `Authorization: Bearer <token>` (401).

    Without one, answer only requests addressed to a loopback Host and, when they carry an
    Origin (browsers do, scripts don't), from a loopback origin (403 otherwise): a web page
    must not start runs through a local service, whether by a cross-site POST or by making
    its own domain resolve to 127.0.0.1 (DNS rebinding).
    """
    expected = token.encode() if token is not None else None

    async def check(request: Request,
                    credentials: Annotated[HTTPAuthorizationCredentials | None,
                                           Security(_bearer)]) -> None:
        if expected is None:
            host = _host_name(request.headers.get("host", ""))
            if not is_loopback_host(host):
                raise HTTPException(403, f"Host {host!r} is not a loopback name; without a "
                                    "token the service only answers requests for localhost")
            origin = request.headers.get("origin")
            if origin is not None and not is_loopback_host(urlsplit(origin).hostname or ""):
                raise HTTPException(403, f"requests from web pages ({origin}) are refused")
            return
        given = credentials.credentials.encode() if credentials is not None else b""
        if credentials is None or not hmac.compare_digest(given, expected):
            raise HTTPException(401,
                                "missing or wrong bearer token",
                                headers={"WWW-Authenticate": "Bearer"})

    return check

