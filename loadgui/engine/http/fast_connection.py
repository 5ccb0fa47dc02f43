"""One HTTP/1.1 connection of FastClient: an asyncio Protocol parsing with httptools."""

from __future__ import annotations

import asyncio
import zlib
from typing import cast

import httptools

from loadgui.engine.http import messages
from loadgui.engine.http.seam import RETRY_AFTER_STATUSES, Outcome
from loadgui.engine.stats.basics import ErrorKind

# Deflate window bits: gzip with its header (16 + 15), zlib-wrapped (15) or raw (-15).
_WBITS = {"gzip": 31, "x-gzip": 31, "deflate": 15}


class HttpConnection(asyncio.Protocol):
    """One TCP connection; one request at a time; its response resolves the waiter."""

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
        self._retry_after: bytes | None = None
        self._head = False
        self._connect = 0.0  # seconds spent opening this connection, for its first request
        # With capture: the response's headers and body chunks; None costs nothing.
        self._headers: dict[str, str] | None = None
        self._body: list[bytes] | None = None

    # --- used by FastClient ----------------------------------------------------------------
    def request(self, data: bytes, head: bool, capture: bool = False,
                connect: float = 0.0) -> asyncio.Future[Outcome]:
        """Send `data`; `connect`: the seconds opening this connection took, to report."""
        assert self.transport is not None
        self._status = self._nbytes = 0
        self._received_any = self._headers_done = self._length_known = False
        self._connection_header = b""
        self._retry_after = None
        self._head = head
        self._connect = connect
        if capture:
            self._headers, self._body = {}, []
        else:
            self._headers = self._body = None
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
                self._complete()
            else:
                self._finish(Outcome(0, self._nbytes, ErrorKind.READ,
                                     messages.connection_lost(exc, self._received_any),
                                     connect=self._connect))

    # --- httptools callbacks ---------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()
        if lowered == b"content-length" or (
                lowered == b"transfer-encoding" and b"chunked" in value.lower()):
            self._length_known = True
        elif lowered == b"connection":
            self._connection_header = value.lower()
        elif lowered == b"retry-after":
            self._retry_after = value  # reported only with a 429 or 503
        if self._headers is not None:
            key = lowered.decode("latin-1")
            text = value.decode("latin-1")
            earlier = self._headers.get(key)
            self._headers[key] = text if earlier is None else f"{earlier}, {text}"

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
        if self._body is not None:
            self._body.append(body)

    def on_message_complete(self) -> None:
        if 100 <= self._status < 200:
            # interim; the real one follows, with headers of its own
            self._headers_done = self._length_known = False
            self._retry_after = None
            if self._headers is not None:
                self._headers.clear()
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
        retry_after = None
        if self._retry_after is not None and self._status in RETRY_AFTER_STATUSES:
            retry_after = self._retry_after.decode("latin-1")
        if self._body is None:
            outcome = Outcome(self._status, self._nbytes, retry_after=retry_after,
                              connect=self._connect)
        else:
            headers = self._headers or {}
            body = decoded(b"".join(self._body), headers.get("content-encoding", ""))
            outcome = Outcome(self._status, self._nbytes, body=body, headers=headers,
                              retry_after=retry_after, connect=self._connect)
        self._finish(outcome)
        if not self.open and self.transport is not None:
            self.transport.close()

    def _fail(self, message: str) -> None:
        self._finish(Outcome(0, self._nbytes, ErrorKind.PROTOCOL, message,
                             connect=self._connect))
        self.abort()

    def _finish(self, outcome: Outcome) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(outcome)


def decoded(body: bytes, content_encoding: str) -> bytes:
    """The body as the server meant it: gzip or deflate undone (we ask for both), else as is.

    A body that does not decode is given as received; checks then see why.
    """
    wbits = _WBITS.get(content_encoding.strip().lower())
    if wbits is None or not body:
        return body
    try:
        return zlib.decompress(body, wbits)
    except zlib.error:
        if wbits == 15:  # "deflate" sent raw, without the zlib wrapper, as some servers do
            try:
                return zlib.decompress(body, -15)
            except zlib.error:
                pass
        return body
