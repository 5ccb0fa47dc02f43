"""FastClient: plain HTTP/1.1 on one asyncio connection at a time, parsed by httptools."""

from __future__ import annotations

import asyncio
import time

from loadgui.engine.http import messages
from loadgui.engine.http import seam as client_module
from loadgui.engine.http.fast_connection import HttpConnection
from loadgui.engine.http.fast_request import (
    DEFAULT_HEADERS,
    BadRequest,
    Origin,
    RequestEncoder,
    split_url,
)
from loadgui.engine.http.policy import CLOSE, KEEP_ALIVE, closing
from loadgui.engine.http.seam import Outcome
from loadgui.engine.stats.basics import ErrorKind

__all__ = ["DEFAULT_HEADERS", "FastClient", "split_url"]

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class FastClient:
    """Plain-HTTP/1.1 client for one worker: one keep-alive connection, reopened as needed;
    a request whose policy is close or new goes on a connection of its own, closed after.

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
        self._connection: HttpConnection | None = None
        self._origin: Origin | None = None
        self._idle_since = 0.0  # loop time the connection last finished a request
        self._encoder = RequestEncoder()

    async def send(self, method: str, url: str, headers: dict[str, str],
                   content: bytes | None, *, capture: bool = False,
                   connection: str = KEEP_ALIVE) -> Outcome:
        try:
            if connection == CLOSE:
                headers = closing(headers)
            try:
                origin, data = self._encoder.encode(method, url, headers, content)
            except BadRequest as exc:
                return Outcome(0, 0, exc.kind, str(exc))
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self._timeout
            head = method == "HEAD"
            reuse = connection == KEEP_ALIVE
            outcome, resend = await self._attempt(loop, origin, data, head, deadline,
                                                  capture, reuse)
            if resend and method in _IDEMPOTENT_METHODS:
                outcome, _ = await self._attempt(loop, origin, data, head, deadline,
                                                 capture, reuse)
            return outcome
        except Exception as exc:  # errors are values: whatever went wrong is a row, not a crash
            self._drop()
            return Outcome(0, 0, ErrorKind.OTHER,
                           messages.unexpected(exc, messages.secrets_of(headers, url)))

    async def _attempt(self, loop: asyncio.AbstractEventLoop, origin: Origin, data: bytes,
                       head: bool, deadline: float, capture: bool, reuse: bool
                       ) -> tuple[Outcome, bool]:
        """The outcome, and whether it is worth sending once more on a new connection.

        Without `reuse` (policies close and new), the attempt opens a connection of its own
        and closes it after; the kept-alive connection, if any, stays for later requests.
        """
        connection = self._connection
        fresh_enough = loop.time() - self._idle_since < client_module.IDLE_REUSE_LIMIT_S
        reused = (reuse and connection is not None and connection.open
                  and origin == self._origin and fresh_enough)
        connect = 0.0
        if not reused:
            if reuse:
                self._drop(gracefully=True)
            started = time.perf_counter()  # uvloop's loop.time() is the loop's, cached
            try:
                async with asyncio.timeout_at(deadline):
                    _, connection = await loop.create_connection(
                        HttpConnection, origin.host, origin.port)
            except TimeoutError:
                return Outcome(0, 0, ErrorKind.TIMEOUT, self._timed_out), False
            except OSError as exc:
                return Outcome(0, 0, ErrorKind.CONNECT,
                               messages.connect_failed(exc, origin.host, origin.port)), False
            connect = time.perf_counter() - started
            if reuse:  # else the kept-alive connection stays for the requests that reuse it
                self._connection, self._origin = connection, origin
        assert connection is not None
        timer = None
        try:
            waiter = connection.request(data, head, capture, connect)
            timer = loop.call_at(deadline, _expire, waiter, self._timed_out, connect)
            outcome = await waiter
        except BaseException:
            connection.abort()  # cancelled mid-request: the connection is unusable
            raise
        finally:
            if timer is not None:
                timer.cancel()
            if reuse:
                self._idle_since = loop.time()
        if outcome.error is ErrorKind.NONE:
            if not reuse:
                connection.close()
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
                _, connection = await loop.create_connection(HttpConnection, origin.host,
                                                             origin.port)
        except Exception:  # the first request will say why, as an Outcome
            return False
        self._connection, self._origin = connection, origin
        self._idle_since = loop.time()
        return True

    async def aclose(self) -> None:
        self._drop(gracefully=True)


def _expire(waiter: asyncio.Future[Outcome], message: str, connect: float) -> None:
    if not waiter.done():
        waiter.set_result(Outcome(0, 0, ErrorKind.TIMEOUT, message, connect=connect))
