"""The seam between the runner and an HTTP library: send one request, get an Outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from loadgui.engine.stats.basics import ErrorKind

# A connection idle this long is not reused but replaced. Common servers close idle
# connections after 5 s (uvicorn, Node); reusing one just as the server closes it fails a
# request that was never answered, an error the load tester would invent.
IDLE_REUSE_LIMIT_S = 4.0
# The statuses whose Retry-After header a client reports (Outcome.retry_after) and a run
# honours; elsewhere the header means nothing to a retry.
RETRY_AFTER_STATUSES = (429, 503)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int  # 0 when there was no complete response
    nbytes: int
    error: ErrorKind = ErrorKind.NONE
    # Why, in words a person can act on, when there was an error (e.g. "connection refused
    # (127.0.0.1:8000)"); never holds an API key or a URL password.
    message: str = ""
    # With send(capture=True): the response body and headers (names lower-case), for checks.
    body: bytes | None = None
    headers: dict[str, str] | None = None
    # The Retry-After header of a 429 or 503, as sent (seconds or an HTTP date), always.
    retry_after: str | None = None
    # Seconds spent opening a new connection for this attempt (0 when one was reused); a
    # measurement, like a latency, so outcomes compare equal whatever it is.
    connect: float = field(default=0.0, compare=False)


# A request's connection policy: reuse one connection (keep-alive); ask the server to close
# it after each response and open the next (close); a fresh connection for every attempt,
# its connect time inside the latency (new).
CONNECTION_POLICIES = ("keep-alive", "close", "new")


class Client(Protocol):
    async def send(self, method: str, url: str, headers: dict[str, str],
                   content: bytes | None, *, capture: bool = False,
                   connection: str = "keep-alive") -> Outcome: ...

    async def connect(self) -> bool:
        """Open the connection ahead of the first request, if the client can; True if open."""
        ...

    async def aclose(self) -> None: ...
