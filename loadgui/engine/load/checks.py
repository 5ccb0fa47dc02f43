"""The checks of a run's requests, compiled once, evaluated on each response.

Each check becomes a small function of (outcome, latency, response) that returns None when
it passes and the reason when it fails. The body is decoded and parsed at most once per
response, and only when a check of that request reads it (check_json); a response that
passes every status and latency check costs one set lookup and one comparison for them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import jmespath
import msgspec
from jmespath.exceptions import JMESPathError

from loadgui.engine.http.seam import Outcome
from loadgui.engine.load.check_json import BodyDecoder, field_chain, json_equal, path_search
from loadgui.profile import Check, Profile
from loadgui.profile_assertions import cut, quoted, status_codes

__all__ = ["RunChecks", "check_names"]

QUOTE_LIMIT = 80  # characters of a response value a message quotes
_NOT_JSON = object()  # the body did not parse as JSON
_NO_BODY = object()  # the client kept no body


class Response:
    """What the checks of one response read, worked out on first use."""

    __slots__ = ("_decoder", "_text", "outcome", "parsed")

    def __init__(self, outcome: Outcome, decoder: BodyDecoder):
        self.outcome = outcome
        self._decoder = decoder
        self._text: str | None = None
        # The parsed body once document() ran (read directly: it saves a call per check).
        self.parsed: Any = _NO_BODY if outcome.body is None else None

    def text(self) -> str | None:
        if self._text is None and self.outcome.body is not None:
            self._text = self.outcome.body.decode("utf-8", "replace")
        return self._text

    def document(self) -> Any:
        """The parsed JSON body; _NOT_JSON or _NO_BODY when there is none."""
        if self.parsed is None:
            try:
                self.parsed = self._decoder.decode(self.outcome.body or b"")
            except msgspec.DecodeError:
                self.parsed = _NOT_JSON
        return self.parsed


# (outcome, latency in seconds, response) -> None (passed) or why it failed
Test = Callable[[Outcome, float, Response], str | None]


def check_names(profile: Profile) -> dict[str, list[str]]:
    """Per request name of the mix, its checks' names in bit order (for the report): every
    request of the mix, in mix order, so that the i-th key is request index i; {} when no
    request has a check."""
    mix = profile.validated().request_mix()
    if not any(spec.checks for spec in mix):
        return {}
    return {spec.name: [check.name for check in spec.checks] for spec in mix}


class RunChecks:
    """Per request of the mix (by index): whether its responses must be captured, and
    which of its checks a response fails."""

    def __init__(self, profile: Profile):
        profile = profile.validated()
        mix = profile.request_mix()
        self._requests = [_RequestChecks(spec.checks) if spec.checks else None
                          for spec in mix]
        self.active = any(self._requests)  # no request has a check: nothing to do
        # A response may echo the request (an echo endpoint): a quoted value must not carry
        # one of the run's API keys.
        keys = sorted(profile.resolved_keys(), key=len, reverse=True) if self.active else []
        self._keys = re.compile("|".join(map(re.escape, keys))) if keys else None

    def capture(self, request: int) -> bool:
        """Whether responses of this request need their body and headers kept."""
        checks = self._requests[request]
        return checks is not None and bool(checks.reading)

    def evaluate(self, request: int, outcome: Outcome, latency: float) -> tuple[int, str]:
        """(bit mask of the failed checks, message naming the first) for an answered
        attempt; (0, "") when every check passed."""
        checks = self._requests[request]
        if checks is None:
            return 0, ""
        # Most responses pass every check: status and latency checks come down to one set
        # lookup and one comparison, and the rest stop at the first failure.
        if (checks.statuses is None or outcome.status in checks.statuses) \
                and latency <= checks.max_latency:
            if not checks.reading:
                return 0, ""
            response = Response(outcome, checks.decoder)
            try:
                for test in checks.reading:
                    if test(outcome, latency, response) is not None:
                        break
                else:
                    return 0, ""
            except Exception:  # failures() runs every check again and names the error
                pass
        mask, message = checks.failures(outcome, latency)
        if self._keys is not None and mask:
            message = self._keys.sub("[API key]", message)
        return mask, message


class _RequestChecks:
    """One request's checks, compiled."""

    __slots__ = ("decoder", "max_latency", "reading", "statuses", "tests")

    def __init__(self, checks: list[Check]):
        chains = [field_chain(jmespath.compile(check.json_path)) for check in checks
                  if check.json_path is not None]
        self.decoder = BodyDecoder(None if None in chains else
                                   [chain for chain in chains if chain is not None])
        self.tests = [(check.name, _compiled(check)) for check in checks]
        self.reading = [test for check, (_, test) in zip(checks, self.tests, strict=True)
                        if _reads_response(check)]
        # The statuses every status check allows (None: no status check), and the lowest
        # latency limit in seconds.
        allowed = [status_codes(check.status) for check in checks if check.status is not None]
        self.statuses = frozenset.intersection(*allowed) if allowed else None
        self.max_latency = min((check.max_latency_ms / 1000 for check in checks
                                if check.max_latency_ms is not None), default=math.inf)

    def failures(self, outcome: Outcome, latency: float) -> tuple[int, str]:
        """Every check run: the mask of those failed, the message naming the first."""
        response = Response(outcome, self.decoder)
        mask, message, others = 0, "", 0
        for bit, (name, test) in enumerate(self.tests):
            try:
                reason = test(outcome, latency, response)
            except Exception as exc:  # a check's own bug fails the check, never the worker
                reason = f"it could not be evaluated ({type(exc).__name__})"
            if reason is not None:
                if mask:
                    others += 1
                else:
                    message = f"check {quoted(name, QUOTE_LIMIT)} failed: {reason}"
                mask |= 1 << bit
        if others:
            message += f" (and {others} more)"
        return mask, message


def _reads_response(check: Check) -> bool:
    return check.status is None and check.max_latency_ms is None


def _compiled(check: Check) -> Test:
    if check.status is not None:
        return _status_test(check.status)
    if check.max_latency_ms is not None:
        return _latency_test(check.max_latency_ms)
    if check.body_contains is not None:
        return _contains_test(check.body_contains)
    if check.body_matches is not None:
        return _matches_test(check.body_matches)
    if check.json_path is not None:
        return _json_test(check.json_path, check.json_equals)
    assert check.header is not None  # validation left exactly one assertion
    return _header_test(check.header, check.header_equals)


def _status_test(text: str) -> Test:
    allowed = status_codes(text)

    def test(outcome: Outcome, latency: float, response: Response) -> str | None:
        return None if outcome.status in allowed else f"status {outcome.status} is not {text}"
    return test


def _latency_test(max_ms: float) -> Test:
    limit = max_ms / 1000

    def test(outcome: Outcome, latency: float, response: Response) -> str | None:
        # The limit alone keeps the message the same for every slow response, so the
        # failures table groups them.
        return None if latency <= limit else f"latency over {max_ms:g} ms"
    return test


def _contains_test(needle: str) -> Test:
    wanted = needle.encode()
    reason = f"body does not contain {quoted(needle, QUOTE_LIMIT)}"

    def test(outcome: Outcome, latency: float, response: Response) -> str | None:
        body = outcome.body
        if body is None:
            return "no body was kept to check"
        return None if wanted in body else reason
    return test


def _matches_test(pattern: str) -> Test:
    compiled = re.compile(pattern)
    reason = f"body does not match /{cut(pattern, QUOTE_LIMIT)}/"

    def test(outcome: Outcome, latency: float, response: Response) -> str | None:
        text = response.text()
        if text is None:
            return "no body was kept to check"
        return None if compiled.search(text) is not None else reason
    return test


def _json_test(path: str, equals: Any) -> Test:
    expression = jmespath.compile(path)
    search = path_search(expression)
    wanted = _plain(equals)
    shown_path = cut(path, QUOTE_LIMIT)

    def test(outcome: Outcome, latency: float, response: Response) -> str | None:
        document = response.parsed
        if document is None:
            document = response.document()
        if document is _NO_BODY:
            return "no body was kept to check"
        if document is _NOT_JSON:
            return "the body is not JSON"
        try:
            value = search(document)
        except JMESPathError as exc:  # a function given the wrong type: this body's failure
            return f"json {shown_path} cannot be evaluated: {cut(str(exc), QUOTE_LIMIT)}"
        if wanted is None:
            return None if value is not None else f"json {shown_path} is null"
        if json_equal(value, wanted):
            return None
        return f"json {shown_path} is {quoted(value, QUOTE_LIMIT)}, not " \
               f"{quoted(wanted, QUOTE_LIMIT)}"
    return test


def _header_test(name: str, equals: str | None) -> Test:
    key = name.lower()

    def test(outcome: Outcome, latency: float, response: Response) -> str | None:
        headers = outcome.headers
        if headers is None:
            return "no headers were kept to check"
        value = headers.get(key)
        if value is None:
            return f"header {name} is missing"
        if equals is None or value == equals:
            return None
        return f"header {name} is {quoted(value, QUOTE_LIMIT)}, not {quoted(equals, QUOTE_LIMIT)}"
    return test


def _plain(value: Any) -> Any:
    """A frozen profile's read-only list or dict as the plain one a parsed body holds."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
