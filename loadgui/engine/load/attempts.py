"""One request's attempts: the key it goes with, each send recorded exactly once, the wait
before each retry (backoff, or the server's Retry-After), and which attempt is final."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import Awaitable, Callable

from loadgui.engine.http.seam import RETRY_AFTER_STATUSES, Client, Outcome
from loadgui.engine.load.backoff import Backoff
from loadgui.engine.load.checks import RunChecks
from loadgui.engine.load.keys import KeyRing
from loadgui.engine.load.mix import Plan
from loadgui.engine.load.retry_after import retry_after_delay
from loadgui.engine.stats.basics import ErrorKind
from loadgui.engine.stats.recorder import Recorder
from loadgui.profile import Profile

CANCELLED_MESSAGE = "still in flight when the run ended"

Sleep = Callable[[float], Awaitable[None]]


def is_retryable(outcome: Outcome) -> bool:
    return outcome.status == 0 or outcome.status == 429 or outcome.status >= 500


def refused_reason(keys: list[int]) -> str:
    return ("every API key was refused (401/403): keys " + ", ".join(map(str, keys))
            + "; check the keys and the key header")


class Attempts:
    """Sends requests for one run: what is in flight, and how often Retry-After set a wait.

    `clock` and `sleep` are the run's (injectable); `wall_clock` (seconds since the epoch)
    dates a Retry-After given as an HTTP date; `fail` ends the run with a reason.
    """

    def __init__(self, profile: Profile, recorder: Recorder, *, clock: Callable[[], float],
                 sleep: Sleep, wall_clock: Callable[[], float], rng: random.Random,
                 fail: Callable[[str], None]):
        keys = profile.keys
        self.keys = KeyRing(profile.resolved_keys(), keys.header, keys.scheme,
                            quarantine_after=keys.quarantine_after, rest=keys.quarantine_rest,
                            clock=clock)
        self.checks = RunChecks(profile)
        self.in_flight = 0
        self.draining = False  # the run is ending: no new attempt, no retry
        self.idle = asyncio.Event()  # set when draining and nothing is in flight
        self.retry_after_waits = 0  # retries whose wait the server's Retry-After set
        self._retry = profile.retry
        self._recorder = recorder
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._rng = rng
        self._fail = fail

    async def _key(self) -> tuple[int, dict[str, str]] | None:
        """The next key in the rotation, waiting while every key rests; None (and the run
        failed) when every key is out for good."""
        while (wait := self.keys.wait()) != 0.0:
            if wait is None:
                refused = self.keys.refused() or []
                self._fail(refused_reason(refused))
                return None
            await self._sleep(wait)
        return self.keys.next()

    def _delay(self, outcome: Outcome, attempt: int, backoff: Backoff | None) -> tuple[
            float, Backoff | None]:
        retry = self._retry
        if retry.respect_retry_after and outcome.status in RETRY_AFTER_STATUSES:
            delay = retry_after_delay(outcome.retry_after, retry.cap, self._wall_clock())
            if delay is not None:
                self.retry_after_waits += 1
                return delay, backoff
        if backoff is None:  # made on the first retry: most requests need none
            backoff = Backoff(retry.backoff, retry.base, retry.cap, self._rng)
        return backoff.delay(attempt), backoff

    async def send(self, client: Client, plan: Plan, intended: float | None, t0: float) -> None:
        """One request: its attempts, each recorded exactly once, with a wait between them.

        The last attempt of a request is recorded `final`, with the request's latency from
        its first intended send; an attempt a retry follows is not. A request whose retry
        was still waiting when the run ended has no final attempt (the report counts it).
        """
        retry, keys = self._retry, self.keys
        quarantining = keys.quarantining
        key = await self._key() if quarantining else keys.next()
        if key is None:
            return
        key_index, headers = key[0], _with_key(plan.headers, key[1])
        backoff: Backoff | None = None
        method, url, content = plan.method, plan.url, plan.content
        checks = self.checks if self.checks.active else None
        capture = checks is not None and checks.capture(plan.request)
        clock, record = self._clock, self._recorder.add
        first_planned: float | None = None
        for attempt in range(1, retry.retries + 2):
            start = clock()
            # A retry is sent when its wait ends, so only a first attempt can be late.
            planned = intended if intended is not None and attempt == 1 else start
            if first_planned is None:
                first_planned = planned
            self.in_flight += 1
            try:
                outcome = await client.send(method, url, headers, content, capture=capture,
                                            connection=plan.connection)
            except asyncio.CancelledError:
                now = clock()
                record(planned - t0, now - planned, 0, 0, attempt, key_index,
                       ErrorKind.CANCELLED, start - planned, plan.request, plan.target,
                       CANCELLED_MESSAGE, final=1, req_latency=now - first_planned)
                raise
            except Exception as exc:  # a client's bug is this attempt's failure, not a crash
                outcome = Outcome(0, 0, ErrorKind.OTHER, f"{type(exc).__name__}: {exc}")
            finally:
                self.in_flight -= 1
                if self.draining and not self.in_flight:
                    self.idle.set()
            end = clock()
            failed_checks = 0
            if checks is not None and outcome.status:
                failed_checks, message = checks.evaluate(plan.request, outcome, end - planned)
                if failed_checks:
                    outcome = dataclasses.replace(outcome, error=ErrorKind.CHECK,
                                                  message=message)
            if quarantining:
                keys.observe(key_index, outcome.status)
            final = (attempt > retry.retries or not is_retryable(outcome) or self.draining
                     or (quarantining and keys.resting(key_index) and keys.wait() is None))
            record(planned - t0, end - planned, outcome.status, outcome.nbytes, attempt,
                   key_index, outcome.error, start - planned, plan.request, plan.target,
                   outcome.message, checks=failed_checks, connect=outcome.connect,
                   final=int(final), req_latency=end - first_planned)
            if final:
                return
            delay, backoff = self._delay(outcome, attempt, backoff)
            await self._sleep(delay)
            if quarantining and keys.resting(key_index):  # the retry goes with another key
                key = await self._key()
                if key is None:
                    return
                key_index, headers = key[0], _with_key(plan.headers, key[1])


def _with_key(headers: dict[str, str], key_headers: dict[str, str]) -> dict[str, str]:
    """A request's headers with its API key's, merged once per key rather than per attempt."""
    return {**headers, **key_headers} if key_headers else headers
