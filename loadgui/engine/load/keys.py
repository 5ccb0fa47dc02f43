"""API key rotation (round robin per request), how a key is sent, and key quarantine.

Quarantine (`quarantine_after` > 0): a key answered with that many 401/403/429 in a row
rests. After a 429 it rests `rest` seconds and then comes back; after a 401 or 403 it is out
for the rest of the run (the server refuses it: sending it again only adds noise). The
rotation skips resting keys. Times come from the run's clock, so tests can inject it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from loadgui.engine.stats.key_totals import KeyRest

NO_KEY = -1
REFUSED = (401, 403)  # the key is not accepted: out for good
STRIKES = (401, 403, 429)
# A float clock moved by a sleep may land a hair before the rest's end: that is the end.
CLOCK_SLACK_S = 1e-9


@dataclass(slots=True)
class _Rest:
    key: int
    start: float  # on the run's clock
    end: float  # math.inf: for good
    reason: str


class KeyRing:
    """Hands out keys round robin; `next()` returns (key index, headers to add)."""

    def __init__(self, keys: list[str], header: str = "Authorization", scheme: str = "Bearer",
                 *, quarantine_after: int = 0, rest: float = 60.0,
                 clock: Callable[[], float] = time.perf_counter):
        self._keys = list(keys)
        prefix = f"{scheme} " if scheme else ""
        # Made once: next() hands these out per request (merged by the caller, never changed).
        self._headers = [{header: prefix + key} for key in self._keys]
        self._next = 0
        self._quarantine_after = quarantine_after
        self._rest = rest
        self._clock = clock
        self._strikes = [0] * len(self._keys)
        self._resting: list[_Rest | None] = [None] * len(self._keys)
        self._rests: list[_Rest] = []

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def quarantining(self) -> bool:
        """Keys may be put to rest (else `next()` is plain round robin)."""
        return self._quarantine_after > 0 and bool(self._keys)

    def next(self) -> tuple[int, dict[str, str]]:
        """The next key that is not resting (see `wait()`: call it first when quarantining)."""
        if not self._keys:
            return NO_KEY, {}
        count = len(self._keys)
        if self._quarantine_after <= 0:
            index = self._next
            self._next = (index + 1) % count
            return index, self._headers[index]
        now = self._clock()
        for step in range(count):
            index = (self._next + step) % count
            if not self.resting(index, now):
                self._next = (index + 1) % count
                return index, self.headers(index)
        index = self._next  # every key rests: the caller should have waited
        self._next = (index + 1) % count
        return index, self.headers(index)

    def headers(self, index: int) -> dict[str, str]:
        """The headers that send key `index` (shared: read, don't change them)."""
        return {} if index < 0 else self._headers[index]

    def resting(self, index: int, now: float | None = None) -> bool:
        rest = self._resting[index] if index >= 0 else None
        if rest is None:
            return False
        if rest.end - CLOCK_SLACK_S <= (self._clock() if now is None else now):
            self._resting[index] = None  # back in the rotation, with a clean slate
            self._strikes[index] = 0
            return False
        return True

    def wait(self) -> float | None:
        """0 when a key can be used now; else the seconds until the first resting key comes
        back, or None when every key is out for good (or 0 without keys)."""
        if not self._keys:
            return 0.0
        now = self._clock()
        ends = []
        for index in range(len(self._keys)):
            if not self.resting(index, now):
                return 0.0
            rest = self._resting[index]
            assert rest is not None
            ends.append(rest.end)
        earliest = min(ends)
        return None if math.isinf(earliest) else max(earliest - now, 0.0)

    def observe(self, index: int, status: int) -> None:
        """Count a key's answer: a run of 401/403/429 puts it to rest; any other answer
        (not a missing one: status 0 says nothing about the key) ends the run of them."""
        if index < 0 or self._quarantine_after <= 0:
            return
        if status not in STRIKES:
            if status:
                self._strikes[index] = 0
            return
        self._strikes[index] += 1
        now = self._clock()
        if self._strikes[index] < self._quarantine_after or self.resting(index, now):
            return
        for_good = status in REFUSED
        end = math.inf if for_good else now + self._rest
        strikes = self._strikes[index]
        answers = (f"answered {status}" if strikes == 1 else
                   f"{strikes} answers of 401/403/429 in a row, the last {status}")
        reason = answers + (": refused, out for the rest of the run" if for_good else
                            f": resting {self._rest:g} s")
        rest = _Rest(index, now, end, reason)
        self._resting[index] = rest
        self._rests.append(rest)

    def refused(self) -> list[int] | None:
        """The keys, when every one of them is out for good; else None."""
        if not self._keys or self.wait() is not None:
            return None
        return list(range(len(self._keys)))

    def rests(self, t0: float) -> tuple[KeyRest, ...]:
        """Every rest so far, its times in seconds since `t0` (end None: for good)."""
        return tuple(KeyRest(r.key, r.start - t0, None if math.isinf(r.end) else r.end - t0,
                             r.reason) for r in self._rests)


def mask(key: str) -> str:
    """How a key is shown to people: its last four characters only."""
    return "••••" + key[-4:] if len(key) > 4 else "••••"
