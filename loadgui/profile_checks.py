"""Checks behind Profile.validate(): each bad value becomes one readable ProfileError.

Kept apart from profile.py (the data and its JSON) so each module has one job; nothing here
imports profile.py, which re-exports the constants and ProfileError.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from loadgui.profile import Profile

PATTERNS = ("constant", "linear", "sin", "step", "spike")
BACKOFFS = ("fixed", "exponential", "jitter")
LOAD_MODES = ("concurrency", "rate", "burst")
BALANCES = ("round_robin", "sticky")
MAX_BODY_SIZE = 1024**3
CLIENTS = ("httpx", "fast")
MAX_RATE = 1_000_000
MAX_PROCESSES = 256
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
MAX_CONCURRENCY = 10_000
MAX_RETRIES = 100
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class ProfileError(ValueError):
    """A profile value is invalid; the message is one readable sentence naming the field.

    `field` is the dotted path of the offending value (e.g. "load.concurrency") when known.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@contextlib.contextmanager
def _at(field_path: str) -> Iterator[None]:
    """Tag a ProfileError raised inside with the field it is about."""
    try:
        yield
    except ProfileError as exc:
        exc.field = exc.field or field_path
        raise


def _number(value: Any, name: str, *, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        kind = "a whole number" if integer else "a number"
        raise ProfileError(f"{name} must be {kind}, got {value!r}")
    if integer and not float(value).is_integer():
        raise ProfileError(f"{name} must be a whole number, got {value!r}")
    if not math.isfinite(value):
        raise ProfileError(f"{name} must be a finite number, got {value!r}")
    return value


def _in_range(value: Any, name: str, low: float, high: float, *, integer: bool = False) -> None:
    _number(value, name, integer=integer)
    if not low <= value <= high:
        raise ProfileError(f"{name} must be between {low:g} and {high:g}, got {value!r}")


def _one_of(value: Any, name: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ProfileError(f"{name} must be one of {', '.join(choices)}, got {value!r}")


def validate_base_url(url: Any) -> str:
    """Return the base URL without a trailing slash, or raise a readable ProfileError."""
    if not isinstance(url, str) or not url.strip():
        raise ProfileError("base URL must not be empty")
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ProfileError(f"base URL {url!r} cannot be parsed: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise ProfileError(f"base URL must start with http:// or https://, got {url!r}")
    if not parts.hostname:
        raise ProfileError(f"base URL {url!r} has no host name")
    if port == 0:
        raise ProfileError(f"base URL {url!r} has port 0")
    if parts.query or parts.fragment:
        raise ProfileError(f"base URL must not hold a query or fragment, got {url!r}")
    return url.rstrip("/")


def validate_profile(p: Profile) -> None:
    """Raise ProfileError for the first invalid value; fix up what is unambiguous."""
    t = p.target
    with _at("target.base_url"):
        t.base_url = validate_base_url(t.base_url)
    with _at("target.endpoint"):
        if not isinstance(t.endpoint, str):
            raise ProfileError(f"endpoint must be a path such as /test, got {t.endpoint!r}")
        t.endpoint = t.endpoint.strip() or "/"
        if "://" in t.endpoint:
            raise ProfileError(f"endpoint must be a path such as /test, not a URL: "
                               f"{t.endpoint!r}")
        if not t.endpoint.startswith("/"):
            t.endpoint = "/" + t.endpoint
    with _at("target.method"):
        t.method = _check_method(t.method)
    with _at("target.headers"):
        _check_headers(t.headers)
    with _at("target.body"):
        if t.body is not None and not isinstance(t.body, str):
            raise ProfileError("body must be text")
    with _at("target.extra_base_urls"):
        if not isinstance(t.extra_base_urls, list):
            raise ProfileError("extra base URLs must be a list of URLs")
        t.extra_base_urls = [validate_base_url(u) for u in t.extra_base_urls]
    with _at("target.balance"):
        _one_of(t.balance, "balance", BALANCES)
    with _at("target.id_range"):
        _in_range(t.id_range, "id range", 1, 10**12, integer=True)
        t.id_range = int(t.id_range)
    with _at("target.client"):
        _one_of(t.client, "client", CLIENTS)
        if t.client == "fast" and any(u.startswith("https://") for u in p.base_urls()):
            raise ProfileError("the fast client speaks plain http:// only; choose the httpx "
                               "client for an https:// URL")
    with _at("target.timeout"):
        _in_range(t.timeout, "timeout", 0.001, 3600)

    k = p.keys
    with _at("keys.keys"):
        if not isinstance(k.keys, list) or not all(isinstance(x, str) and x for x in k.keys):
            raise ProfileError("API keys must be a list of non-empty strings")
    with _at("keys.file"):
        if k.file is not None and not isinstance(k.file, str):
            raise ProfileError("API key file must be a path")
    with _at("keys.header"):
        if not isinstance(k.header, str) or not k.header.strip() or ":" in k.header:
            raise ProfileError(f"API key header name must be a header name, got {k.header!r}")
    with _at("keys.scheme"):
        if not isinstance(k.scheme, str):
            raise ProfileError("API key scheme must be text such as Bearer (or empty)")

    load = p.load
    with _at("load.mode"):
        _one_of(load.mode, "load mode", LOAD_MODES)
    with _at("load.concurrency"):
        _in_range(load.concurrency, "concurrency", 1, MAX_CONCURRENCY, integer=True)
        load.concurrency = int(load.concurrency)
    with _at("load.rate"):
        _in_range(load.rate, "rate", 0.1, MAX_RATE)
    with _at("load.processes"):
        if load.processes != "auto":
            _in_range(load.processes, "processes", 1, MAX_PROCESSES, integer=True)
            load.processes = int(load.processes)
    with _at("load.pattern"):
        _one_of(load.pattern, "traffic pattern", PATTERNS)

    r = p.retry
    with _at("retry.retries"):
        _in_range(r.retries, "retries", 0, MAX_RETRIES, integer=True)
        r.retries = int(r.retries)
    with _at("retry.backoff"):
        _one_of(r.backoff, "backoff method", BACKOFFS)
    with _at("retry.base"):
        _in_range(r.base, "backoff base", 0, 3600)
    with _at("retry.cap"):
        _in_range(r.cap, "backoff cap", 0, 86400)
        if r.cap < r.base:
            raise ProfileError(f"backoff cap ({r.cap:g} s) must not be below backoff base "
                               f"({r.base:g} s)")

    with _at("load.burst_interval"):
        _in_range(load.burst_interval, "burst interval", 0, 86400)
    with _at("load.processes"):
        if load.mode == "burst" and load.processes != 1:
            raise ProfileError("burst mode runs in one process, so that a burst's requests "
                               "leave together; set processes to 1")

    _validate_requests(p)

    lim = p.limits
    with _at("limits.total_requests"):
        if lim.total_requests is not None:
            _in_range(lim.total_requests, "total requests", 1, 10**12, integer=True)
            lim.total_requests = int(lim.total_requests)
    with _at("limits.duration"):
        if lim.duration is not None:
            _number(lim.duration, "duration")
            if lim.duration <= 0:
                raise ProfileError(f"duration must be a positive number of seconds, "
                                   f"got {lim.duration!r}")


def _check_method(method: Any) -> str:
    if isinstance(method, str):
        method = method.upper()
    _one_of(method, "method", METHODS)
    return method


def _check_headers(headers: Any) -> None:
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise ProfileError("headers must map header names to text values")
    for name in headers:
        if not name.strip() or any(c in name for c in " :\r\n"):
            raise ProfileError(f"header name {name!r} is not valid")


def _validate_requests(p: Profile) -> None:
    if not isinstance(p.requests, list):
        raise ProfileError("requests must be a list", "requests")
    seen: set[str] = set()
    for i, spec in enumerate(p.requests):
        where = f"requests[{i}]"
        with _at(where + ".name"):
            if not isinstance(spec.name, str) or not spec.name.strip():
                raise ProfileError(f"{where}: a request needs a name")
            if spec.name in seen:
                raise ProfileError(f"{where}: the request name {spec.name!r} is used twice")
            seen.add(spec.name)
        with _at(where + ".method"):
            spec.method = _check_method(spec.method)
        with _at(where + ".path"):
            if not isinstance(spec.path, str) or not spec.path.startswith("/"):
                raise ProfileError(f"{where}: path must start with /, got {spec.path!r}")
        with _at(where + ".headers"):
            _check_headers(spec.headers)
        with _at(where + ".body"):
            if spec.body is not None and not isinstance(spec.body, str):
                raise ProfileError(f"{where}: body must be text")
            if spec.body is not None and spec.body_size is not None:
                raise ProfileError(f"{where}: give a body or a body size, not both")
        with _at(where + ".body_size"):
            if spec.body_size is not None:
                _in_range(spec.body_size, f"{where} body size", 2, MAX_BODY_SIZE,
                          integer=True)
                spec.body_size = int(spec.body_size)
        with _at(where + ".weight"):
            _number(spec.weight, f"{where} weight")
            if spec.weight <= 0:
                raise ProfileError(f"{where} weight must be above 0, got {spec.weight!r}")
