"""HttpxClient: the full-featured client (TLS, HTTP/2, proxies) behind the seam."""

from __future__ import annotations

import asyncio
import ssl
import time
from typing import Any

import certifi
import httpx

from loadgui.engine.http import messages, seam
from loadgui.engine.http.policy import CLOSE, KEEP_ALIVE, closing
from loadgui.engine.http.seam import RETRY_AFTER_STATUSES, Outcome
from loadgui.engine.http.urls import address, host_and_port
from loadgui.engine.stats.basics import ErrorKind

# h11's words (through httpcore) for a server that closed the connection early.
_CLOSED_BEFORE_ANSWER = "Server disconnected without sending a response"
_CLOSED_MID_RESPONSE = "peer closed connection without sending complete message body"
_SWITCHED_PROTOCOLS = "_SWITCH_UPGRADE"
# httpcore's trace events around opening a connection ("connection.connect_tcp.started";
# "proxy.start_tls.complete" ends a tunnel through a proxy).
_CONNECT_STARTED = "connect_tcp.started"
_OPENING_COMPLETE = ("connect_tcp.complete", "start_tls.complete")


def shared_ssl_context() -> ssl.SSLContext:
    """Build once per run: loading the CA bundle costs ~20 ms, too much per worker."""
    return ssl.create_default_context(cafile=certifi.where())


class HttpxClient:
    """One httpx.AsyncClient holding one connection, for one worker.

    A shared client with a large pool is ~8x slower here: httpcore scans every pooled
    connection for each request, so each worker owns a pool of one instead. `timeout`
    bounds each request as a whole: connect, send and the complete response. `http2`
    offers HTTP/2 (by ALPN over TLS; over http:// with prior knowledge, as h2c); `proxy`
    sends every request through that HTTP proxy. Requests whose policy is close or new go
    through a second client that keeps no connection once its response has ended.
    """

    def __init__(self, ssl_context: ssl.SSLContext, timeout: float, *, http2: bool = False,
                 proxy: str | None = None, base_url: str = ""):
        self._timeout = timeout
        self._timed_out = messages.timed_out(timeout)
        self._http2 = http2
        self._proxy = proxy
        # An error's text must not show the proxy's password either.
        self._proxy_secrets = messages.secrets_of({}, proxy) if proxy else []
        # HTTP/2 without TLS has no ALPN to agree on it: prior knowledge is the only way.
        prior_knowledge = http2 and base_url.partition("://")[0].lower() == "http"
        self._options: dict[str, Any] = {
            "verify": ssl_context,
            "timeout": httpx.Timeout(timeout),
            "http2": http2,
            "http1": not prior_knowledge,
            "proxy": proxy,
            # Never route load through a proxy from the environment, nor read .netrc.
            "trust_env": False,
            "follow_redirects": False,
        }
        self._client = self._make_client(keep_alive=True)
        self._fresh: httpx.AsyncClient | None = None  # for policies close and new
        self._extensions = {"trace": self._trace}
        self._connect_started = self._connect_ended = 0.0

    def _make_client(self, *, keep_alive: bool) -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1 if keep_alive else 0,
                              keepalive_expiry=seam.IDLE_REUSE_LIMIT_S)
        return httpx.AsyncClient(limits=limits, **self._options)

    async def send(self, method: str, url: str, headers: dict[str, str],
                   content: bytes | None, *, capture: bool = False,
                   connection: str = KEEP_ALIVE) -> Outcome:
        answered = False
        client = self._client
        if connection != KEEP_ALIVE:
            if self._fresh is None:
                self._fresh = self._make_client(keep_alive=False)
            client = self._fresh
            # HTTP/2 forbids the header: its connection is closed by the client alone.
            if connection == CLOSE and not self._http2:
                headers = closing(headers)
        self._connect_started = self._connect_ended = 0.0
        try:
            # httpx's own timeout bounds each read, so a trickling body would never end.
            async with asyncio.timeout(self._timeout), client.stream(
                    method, url, headers=headers, content=content,
                    extensions=self._extensions) as response:
                answered = True
                status = response.status_code
                retry_after = (response.headers.get("retry-after")
                               if status in RETRY_AFTER_STATUSES else None)
                if capture:
                    body = b"".join([chunk async for chunk in response.aiter_bytes()])
                    headers_seen: dict[str, str] = {}
                    for name, value in response.headers.multi_items():
                        earlier = headers_seen.get(name)
                        headers_seen[name] = value if earlier is None else f"{earlier}, {value}"
                    return Outcome(status, response.num_bytes_downloaded, body=body,
                                   headers=headers_seen, retry_after=retry_after,
                                   connect=self._connect_seconds())
                nbytes = 0
                async for chunk in response.aiter_raw():
                    nbytes += len(chunk)
                return Outcome(status, nbytes, retry_after=retry_after,
                               connect=self._connect_seconds())
        except (httpx.TimeoutException, TimeoutError):
            return Outcome(0, 0, ErrorKind.TIMEOUT, self._timed_out)
        except httpx.ConnectError as exc:
            return Outcome(0, 0, ErrorKind.CONNECT, _connect_failed(exc, self._proxy or url))
        except (httpx.ReadError, httpx.WriteError) as exc:
            return Outcome(0, 0, ErrorKind.READ,
                           messages.connection_lost(_os_error(exc) or exc, answered))
        except httpx.RemoteProtocolError as exc:
            return Outcome(0, 0, ErrorKind.PROTOCOL, _remote_protocol_error(exc))
        except httpx.ProtocolError as exc:
            return Outcome(0, 0, ErrorKind.PROTOCOL, _sentence(
                "invalid request", exc, self._secrets(headers, url)))
        except httpx.InvalidURL as exc:
            return Outcome(0, 0, ErrorKind.OTHER, _sentence(
                "URL is not valid", exc, self._secrets(headers, url)))
        except httpx.ProxyError as exc:
            return Outcome(0, 0, ErrorKind.CONNECT, _sentence(
                "proxy refused the connection", exc, self._secrets(headers, url)))
        except Exception as exc:  # errors are values: a failed request is a row, never a crash
            return Outcome(0, 0, ErrorKind.OTHER,
                           messages.unexpected(exc, self._secrets(headers, url)))

    def _secrets(self, headers: dict[str, str], url: str) -> list[str]:
        secrets = messages.secrets_of(headers, url)
        if self._proxy_secrets:
            secrets = sorted({*secrets, *self._proxy_secrets}, key=len, reverse=True)
        return secrets

    async def _trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace extension: the time it took to open a new connection, if any.

        From the TCP connect's start to the end of the last step of opening (TLS, or a
        proxy's tunnel and its TLS).
        """
        if event.endswith(_CONNECT_STARTED):
            self._connect_started = time.perf_counter()
        elif event.endswith(_OPENING_COMPLETE):
            self._connect_ended = time.perf_counter()

    def _connect_seconds(self) -> float:
        return max(0.0, self._connect_ended - self._connect_started)

    async def connect(self) -> bool:
        return False  # httpx opens its connection with the first request

    async def aclose(self) -> None:
        await self._client.aclose()
        if self._fresh is not None:
            await self._fresh.aclose()


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
