"""HttpxClient: the full-featured client (TLS, HTTP/2, proxies) behind the seam."""

from __future__ import annotations

import asyncio
import ssl

import certifi
import httpx

from loadgui.engine.http import messages, seam
from loadgui.engine.http.seam import Outcome
from loadgui.engine.http.urls import address, host_and_port
from loadgui.engine.stats.basics import ErrorKind

# h11's words (through httpcore) for a server that closed the connection early.
_CLOSED_BEFORE_ANSWER = "Server disconnected without sending a response"
_CLOSED_MID_RESPONSE = "peer closed connection without sending complete message body"
_SWITCHED_PROTOCOLS = "_SWITCH_UPGRADE"


def shared_ssl_context() -> ssl.SSLContext:
    """Build once per run: loading the CA bundle costs ~20 ms, too much per worker."""
    return ssl.create_default_context(cafile=certifi.where())


class HttpxClient:
    """One httpx.AsyncClient holding one connection, for one worker.

    A shared client with a large pool is ~8x slower here: httpcore scans every pooled
    connection for each request, so each worker owns a pool of one instead. `timeout`
    bounds each request as a whole: connect, send and the complete response.
    """

    def __init__(self, ssl_context: ssl.SSLContext, timeout: float):
        self._timeout = timeout
        self._timed_out = messages.timed_out(timeout)
        self._client = httpx.AsyncClient(
            verify=ssl_context,
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1,
                                keepalive_expiry=seam.IDLE_REUSE_LIMIT_S),
            # Never route load through a proxy from the environment, nor read .netrc.
            trust_env=False,
            follow_redirects=False,
        )

    async def send(self, method: str, url: str, headers: dict[str, str],
                   content: bytes | None, *, capture: bool = False,
                   connection: str = "keep-alive") -> Outcome:
        answered = False
        try:
            # httpx's own timeout bounds each read, so a trickling body would never end.
            async with asyncio.timeout(self._timeout), self._client.stream(
                    method, url, headers=headers, content=content) as response:
                answered = True
                nbytes = 0
                async for chunk in response.aiter_raw():
                    nbytes += len(chunk)
                return Outcome(response.status_code, nbytes)
        except (httpx.TimeoutException, TimeoutError):
            return Outcome(0, 0, ErrorKind.TIMEOUT, self._timed_out)
        except httpx.ConnectError as exc:
            return Outcome(0, 0, ErrorKind.CONNECT, _connect_failed(exc, url))
        except (httpx.ReadError, httpx.WriteError) as exc:
            return Outcome(0, 0, ErrorKind.READ,
                           messages.connection_lost(_os_error(exc) or exc, answered))
        except httpx.RemoteProtocolError as exc:
            return Outcome(0, 0, ErrorKind.PROTOCOL, _remote_protocol_error(exc))
        except httpx.ProtocolError as exc:
            return Outcome(0, 0, ErrorKind.PROTOCOL, _sentence(
                "invalid request", exc, messages.secrets_of(headers, url)))
        except httpx.InvalidURL as exc:
            return Outcome(0, 0, ErrorKind.OTHER, _sentence(
                "URL is not valid", exc, messages.secrets_of(headers, url)))
        except Exception as exc:  # errors are values: a failed request is a row, never a crash
            return Outcome(0, 0, ErrorKind.OTHER,
                           messages.unexpected(exc, messages.secrets_of(headers, url)))

    async def connect(self) -> bool:
        return False  # httpx opens its connection with the first request

    async def aclose(self) -> None:
        await self._client.aclose()


def _os_error(exc: BaseException) -> OSError | None:
    """The innermost OSError behind an httpx error (httpcore and anyio wrap the socket's)."""
    found = None
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError):
            found = cause
        cause = cause.__cause__ or cause.__context__
    return found


def _connect_failed(exc: httpx.ConnectError, url: str) -> str:
    where = host_and_port(url)
    cause = _os_error(exc)
    if where is None:
        return messages.shorten(f"cannot connect: {exc}")
    if cause is None:
        return messages.shorten(f"cannot connect to {address(*where)}: {exc}")
    return messages.connect_failed(cause, *where)


def _remote_protocol_error(exc: httpx.RemoteProtocolError) -> str:
    text = str(exc)
    if text.startswith(_CLOSED_BEFORE_ANSWER):
        return messages.CLOSED_BEFORE_ANSWER
    if text.startswith(_CLOSED_MID_RESPONSE):
        return messages.CLOSED_MID_RESPONSE
    if _SWITCHED_PROTOCOLS in text:
        return messages.SWITCHED_PROTOCOLS
    return messages.invalid_response(text)


def _sentence(what: str, exc: Exception, secrets: list[str]) -> str:
    text = str(exc)
    for secret in secrets:
        text = text.replace(secret, "…")
    return messages.shorten(f"{what}: {text}" if text else what)
