"""Retry-After (RFC 9110 §10.2.3): how long a 429 or 503 asks the client to wait."""

from __future__ import annotations

import email.utils
import math
from datetime import UTC


def retry_after_delay(value: str | None, cap: float, now: float) -> float | None:
    """Seconds to wait before the retry, from the header's value: a number of seconds or an
    HTTP date (relative to `now`, seconds since the epoch); never below 0 nor above `cap`.

    None when there is no usable value (absent, empty, unparsable): the backoff decides.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    seconds = _seconds(text)
    if seconds is None:
        seconds = _until_date(text, now)
    if seconds is None:
        return None
    return min(max(seconds, 0.0), cap)


def _seconds(text: str) -> float | None:
    # The RFC says a whole number; a few servers send "1.5", which means what it says.
    if not text[0].isdigit():
        return None
    try:
        seconds = float(text)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) else None


def _until_date(text: str, now: float) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000" or no zone: HTTP dates are always GMT
        when = when.replace(tzinfo=UTC)
    return when.timestamp() - now
