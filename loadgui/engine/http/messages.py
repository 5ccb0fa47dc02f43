"""Why a request failed, in words a person can act on and a report can group by.

Each message is short, holds no header value (API keys travel in headers) and no URL
password, and names the server's address but never the ephemeral port of our own socket.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

from loadgui.engine.http.urls import address, host_problem, shown_host, userinfo

MAX_LENGTH = 120
HTTP_ONLY = "the fast client speaks http:// only; use --client httpx for https"
CLOSED_BEFORE_ANSWER = "server closed the connection before answering"
CLOSED_MID_RESPONSE = "server closed the connection mid-response"
SWITCHED_PROTOCOLS = "server switched protocols (101), which a load test cannot follow"
_ERRNO = re.compile(r"\[Errno (\d+)\]")
_MEMORY_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
_SHORTEST_SECRET = 4  # header values this short ("gzip", "1") are not worth hiding


def shorten(text: str) -> str:
    return text if len(text) <= MAX_LENGTH else text[:MAX_LENGTH - 1] + "…"


def timed_out(timeout: float) -> str:
    return f"timed out after {timeout:g} s"


def invalid_host(host: str, problem: str) -> str:
    return f"host name {shown_host(host)!r} is not valid: {problem}"


def invalid_response(reason: str) -> str:
    return shorten(f"invalid HTTP response: {reason}")


def connect_failed(exc: OSError, host: str, port: int) -> str:
    """Why connecting to host:port failed, e.g. "connection refused (127.0.0.1:8000)"."""
    if isinstance(exc, socket.gaierror):
        problem = host_problem(host)
        if problem is not None:
            return invalid_host(host, problem)
        reason = (exc.strerror or "lookup failed").lower()
        return shorten(f"cannot resolve host name {shown_host(host)!r}: {reason}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or _tls_reason(exc)
        return shorten(f"TLS certificate of {address(host, port)} not trusted: {reason}")
    if isinstance(exc, ssl.SSLError):
        return shorten(f"TLS handshake with {address(host, port)} failed: {_tls_reason(exc)}")
    number = _errno(exc)
    if number is None:
        return shorten(f"cannot connect to {address(host, port)}")
    return shorten(f"{os.strerror(number).lower()} ({address(host, port)})")


def connection_lost(exc: BaseException | None, answered: bool) -> str:
    """Why a connection ended before the response did; `answered`: some of it had come."""
    if exc is None:
        return CLOSED_MID_RESPONSE if answered else CLOSED_BEFORE_ANSWER
    number = _errno(exc) if isinstance(exc, OSError) else None
    if isinstance(exc, ssl.SSLError):
        reason = f"TLS error ({_tls_reason(exc)})"
    elif number is not None:
        reason = os.strerror(number).lower()
    else:
        reason = "connection lost"
    return f"{reason} mid-response" if answered else f"{reason} before the server answered"


def unexpected(exc: BaseException, secrets: Iterable[str]) -> str:
    """A failure nothing more specific describes: its type and text, secrets hidden."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    try:
        text = str(exc)
    except Exception:  # a broken __str__ must not escape the client either
        text = ""
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    for secret in secrets:
        text = text.replace(secret, "…")
    return shorten(_MEMORY_ADDRESS.sub("0x…", text))


def secrets_of(headers: Mapping[str, str], url: str) -> list[str]:
    """What an error text must not show: header values and the URL's user:pass, by word."""
    # str(): this runs when something went wrong, maybe a header value of the wrong type.
    words = [word for value in headers.values() for word in str(value).split()]
    for part in re.split(r"[:@]", userinfo(str(url))):
        words.extend((part, unquote(part)))
    # Longest first, so a secret containing a shorter one is hidden whole.
    return sorted({w for w in words if len(w) >= _SHORTEST_SECRET}, key=len, reverse=True)


def _tls_reason(exc: ssl.SSLError) -> str:
    return (exc.reason or "unknown").replace("_", " ").lower()


def _errno(exc: BaseException) -> int | None:
    """The errno behind an OSError, also when asyncio merged several attempts' errors."""
    number = getattr(exc, "errno", None)
    if isinstance(number, int) and number > 0:
        return number
    found = {int(n) for n in _ERRNO.findall(str(exc))}
    return found.pop() if len(found) == 1 else None
