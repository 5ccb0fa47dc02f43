"""FastClient: plain HTTP/1.1 keep-alive on one asyncio connection, parsed by httptools."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import httptools

from loadgui import __version__
from loadgui.engine.http import seam as client_module
from loadgui.engine.http.seam import Outcome
from loadgui.engine.stats.basics import ErrorKind

DEFAULT_HEADERS = {
    "User-Agent": f"loadgui/{__version__}",
    "Accept": "*/*",
    # The same as httpx sends; the body is counted as received, compressed or not.
    "Accept-Encoding": "gzip, deflate",
}
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_BREAKS = frozenset("\r\n")
_ENCODED_CACHE_SIZE = 256  # distinct requests kept encoded per client (e.g. one per API key)


@dataclass(frozen=True, slots=True)
class Origin:
    host: str
    port: int
    host_header: str


@lru_cache(maxsize=64)
def split_url(url: str) -> tuple[Origin, str]:
    """The origin and request target of an http:// URL; ValueError for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise ValueError(f"FastClient speaks plain http:// only, not {parts.scheme or 'no'}"
                         f" scheme ({url!r}); use the httpx client for https")
    if not parts.hostname:
        raise ValueError(f"URL {url!r} has no host name")
    port = parts.port or 80
    host = parts.hostname
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if port == 80 else f"{shown}:{port}"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if " " in target:
        raise ValueError(f"URL {url!r} holds a space")
    return Origin(host, port, host_header), target


def encode_request(method: str, target: str, host_header: str, headers: dict[str, str],
                   content: bytes | None) -> bytes:
    lines = [f"{method} {target} HTTP/1.1"]
    given = {name.lower() for name in headers}
    if "host" not in given:
        lines.append(f"Host: {host_header}")
    lines.extend(f"{name}: {value}" for name, value in DEFAULT_HEADERS.items()
                 if name.lower() not in given)
    lines.extend(f"{name}: {value}" for name, value in headers.items())
    if content or method in _BODY_METHODS:
        lines.append(f"Content-Length: {len(content) if content else 0}")
    if any(_BREAKS.intersection(line) for line in lines):
        raise ValueError("the request line or a header holds a line break")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return data + content if content else data


class _Connection(asyncio.Protocol):
    """One TCP connection; one request at a time; its response resolves `waiter`."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.open = False
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[Outcome] | None = None
        self._status = 0
        self._nbytes = 0
        self._received_any = False
        self._headers_done = False
        self._length_known = False  # Content-Length or chunked; else the body ends at EOF
        self._head = False

    # --- used by FastClient ----------------------------------------------------------------
    def request(self, data: bytes, head: bool) -> asyncio.Future[Outcome]:
        assert self.transport is not None
        self._status = self._nbytes = 0
        self._received_any = self._headers_done = self._length_known = False
        self._head = head
        self._waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self._waiter

    @property
    def received_any(self) -> bool:
        return self._received_any

    def close(self) -> None:
        self.open = False
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        """Close at once: a half-read response makes a graceful close pointless."""
        self.open = False
        if self.transport is not None:
            self.transport.abort()

    # --- asyncio.Protocol ------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.open = True

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self.abort()  # bytes nobody asked for: this connection can't be trusted
            return
        self._received_any = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._finish(Outcome(0, self._nbytes, ErrorKind.PROTOCOL))
            self.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        if self._waiter is not None and not self._waiter.done():
            if self._headers_done and not self._length_known and exc is None:
                self._finish(Outcome(self._status, self._nbytes))
            else:
                self._finish(Outcome(0, self._nbytes, ErrorKind.READ))

    # --- httptools callbacks ---------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()
        if lowered == b"content-length" or (
                lowered == b"transfer-encoding" and b"chunked" in value.lower()):
            self._length_known = True

    def on_headers_complete(self) -> None:
        self._status = self._parser.get_status_code()
        self._headers_done = True
        if self._head and self._status >= 200:
            # httptools cannot be told the response is to HEAD: finish here, parse anew next.
            self.open = self.open and self._parser.should_keep_alive()
            self._parser = httptools.HttpResponseParser(self)
            self._complete()

    def on_body(self, body: bytes) -> None:
        self._nbytes += len(body)

    def on_message_complete(self) -> None:
        if 100 <= self._status < 200 and self._status != 101:
            self._headers_done = self._length_known = False  # interim; the real one follows
            return
        if self._waiter is None or self._waiter.done():
            return
        if not self._parser.should_keep_alive():
            self.open = False
        self._complete()

    def _complete(self) -> None:
        self._finish(Outcome(self._status, self._nbytes))
        if not self.open and self.transport is not None:
            self.transport.close()

    def _finish(self, outcome: Outcome) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(outcome)


class FastClient:
    """Plain-HTTP/1.1 client for one worker: one keep-alive connection, reopened as needed.

    On one core it sends 10-20x the requests per second of HttpxClient and adds far less
    of its own queueing to the latency it measures (bench/throughput.py). `timeout` bounds
    each attempt as a whole: connect, send and the complete response. Only http:// is
    spoken: an https `base_url` is refused here, at construction, with a ValueError.
    """

    def __init__(self, base_url: str, timeout: float):
        self._base_origin, _ = split_url(base_url.rstrip("/") + "/")  # ValueError for https
        self._timeout = timeout
        self._connection: _Connection | None = None
        self._origin: Origin | None = None
        self._idle_since = 0.0  # loop time the connection last finished a request
        self._encoded: dict[tuple, tuple[Origin, bytes]] = {}

    async def send(self, method: str, url: str, headers: dict[str, str],
                   content: bytes | None) -> Outcome:
        key = (method, url, content, *headers.items())
        cached = self._encoded.get(key)
        if cached is None:
            try:
                origin, target = split_url(url)
                cached = origin, encode_request(method, target, origin.host_header, headers,
                                                content)
            except ValueError:
                return Outcome(0, 0, ErrorKind.OTHER)
            if len(self._encoded) >= _ENCODED_CACHE_SIZE:
                self._encoded.clear()
            self._encoded[key] = cached
        origin, data = cached
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        outcome, resend = await self._attempt(loop, origin, data, method == "HEAD", deadline)
        if resend and method in _IDEMPOTENT_METHODS:
            outcome, _ = await self._attempt(loop, origin, data, method == "HEAD", deadline)
        return outcome

    async def _attempt(self, loop: asyncio.AbstractEventLoop, origin: Origin, data: bytes,
                       head: bool, deadline: float) -> tuple[Outcome, bool]:
        """The outcome, and whether it is worth sending once more on a new connection."""
        connection = self._connection
        fresh_enough = loop.time() - self._idle_since < client_module.IDLE_REUSE_LIMIT_S
        reused = (connection is not None and connection.open and origin == self._origin
                  and fresh_enough)
        if not reused:
            if connection is not None:
                connection.close()
            self._connection = None
            try:
                async with asyncio.timeout_at(deadline):
                    _, connection = await loop.create_connection(
                        _Connection, origin.host, origin.port)
            except TimeoutError:
                return Outcome(0, 0, ErrorKind.TIMEOUT), False
            except OSError:
                return Outcome(0, 0, ErrorKind.CONNECT), False
            self._connection, self._origin = connection, origin
        assert connection is not None
        waiter = connection.request(data, head)
        timer = loop.call_at(deadline, _expire, waiter)
        try:
            outcome = await waiter
        except BaseException:
            connection.abort()  # cancelled mid-request: the connection is unusable
            raise
        finally:
            timer.cancel()
            self._idle_since = loop.time()
        if outcome.error is ErrorKind.NONE:
            return outcome, False
        connection.abort()
        # A kept-alive connection the server closed just as we reused it: no response began,
        # so an idempotent request may be sent again on a fresh one, as browsers do.
        return outcome, reused and outcome.error is ErrorKind.READ and not connection.received_any

    async def connect(self) -> bool:
        """Open the connection to the base URL now, so a burst's requests leave together."""
        if self._connection is not None and self._connection.open:
            return True
        loop = asyncio.get_running_loop()
        origin = self._base_origin
        try:
            async with asyncio.timeout(self._timeout):
                _, connection = await loop.create_connection(_Connection, origin.host,
                                                             origin.port)
        except (TimeoutError, OSError):
            return False
        self._connection, self._origin = connection, origin
        self._idle_since = loop.time()
        return True

    async def aclose(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _expire(waiter: asyncio.Future[Outcome]) -> None:
    if not waiter.done():
        waiter.set_result(Outcome(0, 0, ErrorKind.TIMEOUT))
