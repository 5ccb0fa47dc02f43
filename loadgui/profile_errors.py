"""ProfileError, the helpers every profile check uses to word one, and the range checks."""

from __future__ import annotations

import math
import reprlib
from typing import Any


class ProfileError(ValueError):
    """A profile value is invalid; the message is one readable sentence naming the field.

    `field` is the dotted path of the offending value (e.g. "load.concurrency") when known.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class about:
    """Tag a ProfileError raised inside with the field it is about.

    A class rather than a @contextmanager: a profile with a large request mix enters it
    hundreds of thousands of times, and this is several times cheaper.
    """

    def __init__(self, field_path: str):
        self.field_path = field_path

    def __enter__(self) -> None:
        pass

    def __exit__(self, kind: object, exc: BaseException | None, traceback: object) -> None:
        if isinstance(exc, ProfileError):
            exc.field = exc.field or self.field_path


# A profile file can hold a megabyte string or a list nested hundreds deep where a number
# belongs; a message quotes a short, shallow form of it.
_short = reprlib.Repr()
_short.maxstring = _short.maxother = 80
_short.maxlevel = 2
_short.maxlist = _short.maxdict = 4


def shown(value: Any) -> str:
    """The value as a message quotes it: its repr, cut short when long or deep."""
    return _short.repr(value)


def number(value: Any, name: str, *, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "a whole number" if integer else "a number"
        raise ProfileError(f"{name} must be {kind}, got {shown(value)}")
    if isinstance(value, int):  # as a float, a 400-digit whole number would overflow
        return value
    if integer and not value.is_integer():
        raise ProfileError(f"{name} must be a whole number, got {shown(value)}")
    if not math.isfinite(value):
        raise ProfileError(f"{name} must be a finite number, got {shown(value)}")
    return value


def in_range(value: Any, name: str, low: float, high: float, *, integer: bool = False) -> None:
    number(value, name, integer=integer)
    if not low <= value <= high:
        raise ProfileError(f"{name} must be between {low:g} and {high:g}, got {shown(value)}")


def boolean(value: Any, name: str) -> None:
    if not isinstance(value, bool):
        raise ProfileError(f"{name} must be true or false, got {shown(value)}")


def one_of(value: Any, name: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ProfileError(f"{name} must be one of {', '.join(choices)}, got {shown(value)}")
