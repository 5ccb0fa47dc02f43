"""FastClient: plain HTTP/1.1 keep-alive on one asyncio connection, parsed by httptools."""

from __future__ import annotations

import asyncio
from typing import cast

import httptools

from loadgui.engine.http import messages
from loadgui.engine.http import seam as client_module
from loadgui.engine.http.fast_request import (
    DEFAULT_HEADERS,
    BadRequest,
    Origin,
    RequestEncoder,
    split_url,
)
from loadgui.engine.http.seam import Outcome
from loadgui.engine.stats.basics import ErrorKind

__all__ = ["DEFAULT_HEADERS", "FastClient", "split_url"]

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


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
        self._connection_header = b""
        self._head = False

    # --- used by FastClient ----------------------------------------------------------------
    def request(self, data: bytes, head: bool) -> asyncio.Future[Outcome]:
        assert self.transport is not None
        self._status = self._nbytes = 0
        self._received_any = self._headers_done = self._length_known = False
        self._connection_header = b""
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
        # uvloop's transports have asyncio.Transport's methods but not its class.
        self.transport = cast(asyncio.Transport, transport)
        self.open = True

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self.abort()  # bytes nobody asked for: this connection can't be trusted
            return
        self._received_any = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(messages.SWITCHED_PROTOCOLS)
        except httptools.HttpParserError as exc:
            self._fail(messages.invalid_response(str(exc) or type(exc).__name__))

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        if self._waiter is not None and not self._waiter.done():
            if self._headers_done and not self._length_known and exc is None:
                self._finish(Outcome(self._status, self._nbytes))
            else:
                self._finish(Outcome(0, self._nbytes, ErrorKind.READ,
                                     messages.connection_lost(exc, self._received_any)))

    # --- httptools callbacks ---------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()
        if lowered == b"content-length" or (
                lowered == b"transfer-encoding" and b"chunked" in value.lower()):
            self._length_known = True
        elif lowered == b"connection":
            self._connection_header = value.lower()

    def on_headers_complete(self) -> None:
        self._status = self._parser.get_status_code()
        self._headers_done = True
        if self._status == 101:
            self._fail(messages.SWITCHED_PROTOCOLS)
        elif self._head and self._status >= 200:
            # httptools cannot be told the response is to HEAD: finish here, parse anew next.
            # Its keep-alive verdict would wait for a body to end at EOF, so judge it here.
            self.open = self.open and self._keeps_alive()
            self._parser = httptools.HttpResponseParser(self)
            self._complete()

    def on_body(self, body: bytes) -> None:
        self._nbytes += len(body)

    def on_message_complete(self) -> None:
        if 100 <= self._status < 200:
            self._headers_done = self._length_known = False  # interim; the real one follows
            return
        if self._waiter is None or self._waiter.done():
            return
        if not self._parser.should_keep_alive():
            self.open = False
        self._complete()

    def _keeps_alive(self) -> bool:
        if self._parser.get_http_version() == "1.0":
            return b"keep-alive" in self._connection_header
        return b"close" not in self._connection_header

    def _complete(self) -> None:
        self._finish(Outcome(self._status, self._nbytes))
        if not self.open and self.transport is not None:
            self.transport.close()

    def _fail(self, message: str) -> None:
        self._finish(Outcome(0, self._nbytes, ErrorKind.PROTOCOL, message))
        self.abort()

    def _finish(self, outcome: Outcome) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(outcome)


class FastClient:
    """Plain-HTTP/1.1 client for one worker: one keep-alive connection, reopened as needed.

    On one core it sends 10-20x the requests per second of HttpxClient and adds far less
    of its own queueing to the latency it measures (bench/throughput.py). `timeout` bounds
    each attempt as a whole: connect, send and the complete response. URLs are read and
    percent-encoded as httpx does, `user:pass@` included (Basic auth). Only http:// is
    spoken: any other scheme in `base_url` is refused here, at construction, with a
    ValueError; every other problem is an Outcome of send().
    """

    def __init__(self, base_url: str, timeout: float):
        if base_url.partition("://")[0].lower() != "http":
            raise ValueError(messages.HTTP_ONLY)
        self._base_url = base_url
        self._timeout = timeout
        self._timed_out = messages.timed_out(timeout)
        self._connection: _Connection | None = None
        self._origin: Origin | None = None
        self._idle_since = 0.0  # loop time the connection last finished a request
        self._encoder = RequestEncoder()

    async def send(self, method: str, url: str, headers: dict[str, str],
                   content: bytes | None, *, capture: bool = False,
                   connection: str = "keep-alive") -> Outcome:
        try:
            try:
                origin, data = self._encoder.encode(method, url, headers, content)
            except BadRequest as exc:
                return Outcome(0, 0, exc.kind, str(exc))
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self._timeout
            head = method == "HEAD"
            outcome, resend = await self._attempt(loop, origin, data, head, deadline)
            if resend and method in _IDEMPOTENT_METHODS:
                outcome, _ = await self._attempt(loop, origin, data, head, deadline)
            return outcome
        except Exception as exc:  # errors are values: whatever went wrong is a row, not a crash
            self._drop()
            return Outcome(0, 0, ErrorKind.OTHER,
                           messages.unexpected(exc, messages.secrets_of(headers, url)))

    async def _attempt(self, loop: asyncio.AbstractEventLoop, origin: Origin, data: bytes,
                       head: bool, deadline: float) -> tuple[Outcome, bool]:
        """The outcome, and whether it is worth sending once more on a new connection."""
        connection = self._connection
        fresh_enough = loop.time() - self._idle_since < client_module.IDLE_REUSE_LIMIT_S
        reused = (connection is not None and connection.open and origin == self._origin
                  and fresh_enough)
        if not reused:
            self._drop(gracefully=True)
            try:
                async with asyncio.timeout_at(deadline):
                    _, connection = await loop.create_connection(
                        _Connection, origin.host, origin.port)
            except TimeoutError:
                return Outcome(0, 0, ErrorKind.TIMEOUT, self._timed_out), False
            except OSError as exc:
                return Outcome(0, 0, ErrorKind.CONNECT,
                               messages.connect_failed(exc, origin.host, origin.port)), False
            self._connection, self._origin = connection, origin
        assert connection is not None
        waiter = connection.request(data, head)
        timer = loop.call_at(deadline, _expire, waiter, self._timed_out)
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

    def _drop(self, gracefully: bool = False) -> None:
        if self._connection is not None:
            if gracefully:
                self._connection.close()
            else:
                self._connection.abort()
            self._connection = None

    async def connect(self) -> bool:
        """Open the connection to the base URL now, so a burst's requests leave together."""
        if self._connection is not None and self._connection.open:
            return True
        loop = asyncio.get_running_loop()
        try:
            origin, _ = split_url(self._base_url)
            async with asyncio.timeout(self._timeout):
                _, connection = await loop.create_connection(_Connection, origin.host,
                                                             origin.port)
        except Exception:  # the first request will say why, as an Outcome
            return False
        self._connection, self._origin = connection, origin
        self._idle_since = loop.time()
        return True

    async def aclose(self) -> None:
        self._drop(gracefully=True)


def _expire(waiter: asyncio.Future[Outcome], message: str) -> None:
    if not waiter.done():
        waiter.set_result(Outcome(0, 0, ErrorKind.TIMEOUT, message))
