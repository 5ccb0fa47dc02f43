"""Validation of Retry-After handling and API key quarantine."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from loadgui.profile_errors import ProfileError, about, boolean, shown

if TYPE_CHECKING:
    from loadgui.profile import Profile

MAX_QUARANTINE_AFTER = 1_000_000
MAX_QUARANTINE_REST_S = 86_400.0


def normalise_retry(p: Profile) -> None:
    """Raise ProfileError for the first invalid value of retry and quarantine."""
    with about("retry.respect_retry_after"):
        boolean(p.retry.respect_retry_after, "respect Retry-After")
    keys = p.keys
    with about("keys.quarantine_after"):
        value = keys.quarantine_after
        if not _whole(value) or not 0 <= value <= MAX_QUARANTINE_AFTER:
            raise ProfileError(f"quarantine after must be a whole number of answers from 0 "
                               f"(never) to {MAX_QUARANTINE_AFTER:,}, got {shown(value)}")
        keys.quarantine_after = int(value)
    with about("keys.quarantine_rest"):
        rest = keys.quarantine_rest
        if (isinstance(rest, bool) or not isinstance(rest, int | float)
                or not math.isfinite(rest) or not 0 < rest <= MAX_QUARANTINE_REST_S):
            raise ProfileError(f"quarantine rest must be a number of seconds above 0 and at "
                               f"most {MAX_QUARANTINE_REST_S:g}, got {shown(rest)}")
        keys.quarantine_rest = float(rest)


def _whole(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()
