"""Checks behind Profile.validated(): each bad value becomes one readable ProfileError.

The ranges and choices of each field live here; what goes on the wire (URLs, headers, keys)
is checked by profile_http. Nothing here imports profile.py, which re-exports the constants
and ProfileError.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from loadgui.profile_assertions import normalise_checks
from loadgui.profile_errors import ProfileError, about, shown
from loadgui.profile_http import (
    check_api_key,
    check_headers,
    check_host,
    check_key_header,
    validate_base_url,
)
from loadgui.profile_retry import normalise_retry
from loadgui.profile_sections import Load, RequestSpec
from loadgui.profile_thresholds import normalise_thresholds
from loadgui.profile_transport import normalise_transport

if TYPE_CHECKING:
    from loadgui.profile import Profile

PATTERNS = ("constant", "linear", "sin", "step", "spike")
BACKOFFS = ("fixed", "exponential", "jitter")
LOAD_MODES = ("concurrency", "rate", "burst")
BALANCES = ("round_robin", "sticky")
MAX_BODY_SIZE = 1024**3
CLIENTS = ("httpx", "fast")
MIN_RATE = 0.1
MAX_RATE = 1_000_000
MAX_PROCESSES = 256
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
MAX_CONCURRENCY = 10_000
MAX_RETRIES = 100
CLUSTER_SCHEMES = ("tcp", "tls")
DEFAULT_SCHEDULER_PORT = 8786
# The recorder keeps a request's and a target's index as uint16.
MAX_MIX_REQUESTS = 65_535
MAX_TARGETS = 65_535


def _number(value: Any, name: str, *, integer: bool = False) -> float:
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


def _in_range(value: Any, name: str, low: float, high: float, *, integer: bool = False) -> None:
    _number(value, name, integer=integer)
    if not low <= value <= high:
        raise ProfileError(f"{name} must be between {low:g} and {high:g}, got {shown(value)}")


def _one_of(value: Any, name: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ProfileError(f"{name} must be one of {', '.join(choices)}, got {shown(value)}")


def process_count(load: Load) -> int:
    """How many worker processes run the load: one per core for "auto", never more than
    there are workers to share out."""
    wanted = (os.cpu_count() or 1) if load.processes == "auto" else int(load.processes)
    return max(1, min(wanted, load.concurrency))


def normalise_in_place(p: Profile) -> None:
    """Raise ProfileError for the first invalid value; fix up what is unambiguous.

    Mutates `p`: call it on a private draft, as Profile.validated() does.
    """
    _check_target(p)
    _check_keys(p)
    _check_load_and_retry(p)
    _check_cluster(p)
    _check_requests(p)
    _check_limits(p)
    # The newer sections validate in modules of their own.
    normalise_checks(p)
    normalise_thresholds(p)
    normalise_transport(p)
    normalise_retry(p)


def _check_target(p: Profile) -> None:
    t = p.target
    with about("target.base_url"):
        t.base_url = validate_base_url(t.base_url, allow_mock=True)
    with about("target.endpoint"):
        if not isinstance(t.endpoint, str):
            raise ProfileError(f"endpoint must be a path such as /test, got {shown(t.endpoint)}")
        t.endpoint = t.endpoint.strip() or "/"
        if "://" in t.endpoint:
            raise ProfileError(f"endpoint must be a path such as /test, not a URL: "
                               f"{shown(t.endpoint)}")
        if not t.endpoint.startswith("/"):
            t.endpoint = "/" + t.endpoint
    with about("target.method"):
        t.method = _check_method(t.method)
    with about("target.headers"):
        check_headers(t.headers)
    with about("target.body"):
        if t.body is not None and not isinstance(t.body, str):
            raise ProfileError("body must be text")
    with about("target.extra_base_urls"):
        if not isinstance(t.extra_base_urls, list):
            raise ProfileError("extra base URLs must be a list of URLs")
        if 1 + len(t.extra_base_urls) > MAX_TARGETS:
            raise ProfileError(f"the profile has {1 + len(t.extra_base_urls):,} targets (the "
                               f"base URL and more targets); at most {MAX_TARGETS:,} are "
                               f"allowed")
        t.extra_base_urls = [validate_base_url(u) for u in t.extra_base_urls]
    with about("target.balance"):
        _one_of(t.balance, "balance", BALANCES)
    with about("target.id_range"):
        _in_range(t.id_range, "id range", 1, 10**12, integer=True)
        t.id_range = int(t.id_range)
    with about("target.client"):
        _one_of(t.client, "client", CLIENTS)
        if t.client == "fast" and any(u.startswith("https://") for u in p.base_urls()):
            raise ProfileError("the fast client speaks plain http:// only; use --client "
                               "httpx for https")
    with about("target.timeout"):
        _in_range(t.timeout, "timeout", 0.001, 3600)


def _check_keys(p: Profile) -> None:
    k = p.keys
    with about("keys.keys"):
        if not isinstance(k.keys, list) or not all(isinstance(x, str) and x for x in k.keys):
            raise ProfileError("API keys must be a list of non-empty strings")
        for number, key in enumerate(k.keys, 1):
            check_api_key(key, number)
    with about("keys.file"):
        if k.file is not None and not isinstance(k.file, str):
            raise ProfileError("API key file must be a path")
    check_key_header(k.header, k.scheme)


def _check_load_and_retry(p: Profile) -> None:
    load = p.load
    with about("load.mode"):
        _one_of(load.mode, "load mode", LOAD_MODES)
    with about("load.concurrency"):
        _in_range(load.concurrency, "concurrency", 1, MAX_CONCURRENCY, integer=True)
        load.concurrency = int(load.concurrency)
    with about("load.rate"):
        _in_range(load.rate, "rate", MIN_RATE, MAX_RATE)
    with about("load.processes"):
        if load.processes != "auto":
            _in_range(load.processes, "processes", 1, MAX_PROCESSES, integer=True)
            load.processes = int(load.processes)
    with about("load.pattern"):
        _one_of(load.pattern, "traffic pattern", PATTERNS)

    r = p.retry
    with about("retry.retries"):
        _in_range(r.retries, "retries", 0, MAX_RETRIES, integer=True)
        r.retries = int(r.retries)
    with about("retry.backoff"):
        _one_of(r.backoff, "backoff method", BACKOFFS)
    with about("retry.base"):
        _in_range(r.base, "backoff base", 0, 3600)
    with about("retry.cap"):
        _in_range(r.cap, "backoff cap", 0, 86400)
        if r.cap < r.base:
            raise ProfileError(f"backoff cap ({r.cap:g} s) must not be below backoff base "
                               f"({r.base:g} s)")

    with about("load.burst_interval"):
        _in_range(load.burst_interval, "burst interval", 0, 86400)
    with about("load.processes"):
        if load.mode == "burst" and load.processes != 1:
            raise ProfileError("burst mode runs in one process, so that a burst's requests "
                               "leave together; set processes to 1")
        count = process_count(load)
        if load.mode == "rate" and load.rate / count < MIN_RATE:
            raise ProfileError(f"a rate of {load.rate:g}/s split across {count} processes "
                               f"leaves {load.rate / count:.3g}/s to each, below the minimum "
                               f"of {MIN_RATE:g}/s per process; use fewer processes or a "
                               f"higher rate")


def _check_cluster(p: Profile) -> None:
    load = p.load
    with about("load.cluster"):
        load.cluster = cluster_address(load.cluster)
        if load.cluster is not None and load.processes != 1:
            raise ProfileError("a cluster run uses the cluster's worker processes; set "
                               "processes to 1")
        if load.cluster is not None and load.mode == "burst":
            raise ProfileError("burst mode runs in one process, so that a burst's requests "
                               "leave together; it cannot run on a cluster")
    with about("load.cluster_workers"):
        if load.cluster_workers is None:
            return
        _in_range(load.cluster_workers, "cluster workers", 1, MAX_CONCURRENCY, integer=True)
        load.cluster_workers = int(load.cluster_workers)
        if load.cluster is None:
            raise ProfileError("cluster workers needs a cluster: the address of a Dask "
                               "scheduler, such as tcp://HOST:8786")
        count = min(load.cluster_workers, load.concurrency)
        if load.mode == "rate" and load.rate / count < MIN_RATE:
            raise ProfileError(f"a rate of {load.rate:g}/s split across {count} cluster "
                               f"workers leaves {load.rate / count:.3g}/s to each, below the "
                               f"minimum of {MIN_RATE:g}/s per worker")


def cluster_address(value: Any, name: str = "cluster") -> str | None:
    """A Dask scheduler address as tcp://HOST:PORT or tls://HOST:PORT (tcp and port 8786
    when not given), None for none, or a readable ProfileError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    expected = f"{name} must be a Dask scheduler address such as tcp://HOST:8786"
    if not isinstance(value, str):
        raise ProfileError(f"{expected}, got {shown(value)}")
    scheme, sep, rest = value.strip().partition("://")
    scheme, rest = (scheme.lower(), rest) if sep else ("tcp", scheme)
    try:
        parts = urlsplit("//" + rest)
        port = DEFAULT_SCHEDULER_PORT if parts.port is None else parts.port
    except ValueError as exc:
        raise ProfileError(f"{expected}: {exc}, got {shown(value)}") from None
    if scheme not in CLUSTER_SCHEMES or not parts.hostname or parts.username or port == 0 \
            or parts.path or parts.query or parts.fragment \
            or any(c.isspace() or not c.isprintable() for c in rest):
        raise ProfileError(f"{expected} (tcp:// or tls://), got {shown(value)}")
    check_host(parts.hostname)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{scheme}://{host}:{port}"


def _check_limits(p: Profile) -> None:
    lim = p.limits
    with about("limits.total_requests"):
        if lim.total_requests is not None:
            _in_range(lim.total_requests, "total requests", 1, 10**12, integer=True)
            lim.total_requests = int(lim.total_requests)
    with about("limits.duration"):
        if lim.duration is not None:
            _number(lim.duration, "duration")
            if lim.duration <= 0:
                raise ProfileError(f"duration must be a positive number of seconds, "
                                   f"got {shown(lim.duration)}")


def _check_method(method: Any) -> str:
    if isinstance(method, str):
        method = method.upper()
    _one_of(method, "method", METHODS)
    return str(method)


def _check_requests(p: Profile) -> None:
    if not isinstance(p.requests, list):
        raise ProfileError("requests must be a list", "requests")
    if len(p.requests) > MAX_MIX_REQUESTS:
        raise ProfileError(f"the request mix holds {len(p.requests):,} requests; at most "
                           f"{MAX_MIX_REQUESTS:,} are allowed", "requests")
    seen: set[str] = set()
    for i, spec in enumerate(p.requests):
        where = f"requests[{i}]"
        if not isinstance(spec, RequestSpec):
            raise ProfileError(f"{where} must be a request, got {shown(spec)}", where)
        with about(where + ".name"):
            if not isinstance(spec.name, str) or not spec.name.strip():
                raise ProfileError(f"{where}: a request needs a name")
            if spec.name in seen:
                raise ProfileError(f"{where}: the request name {shown(spec.name)} is used twice")
            seen.add(spec.name)
        with about(where + ".method"):
            spec.method = _check_method(spec.method)
        with about(where + ".path"):
            if not isinstance(spec.path, str) or not spec.path.startswith("/"):
                raise ProfileError(f"{where}: path must start with /, got {shown(spec.path)}")
        with about(where + ".headers"):
            check_headers(spec.headers)
        with about(where + ".body"):
            if spec.body is not None and not isinstance(spec.body, str):
                raise ProfileError(f"{where}: body must be text")
            if spec.body is not None and spec.body_size is not None:
                raise ProfileError(f"{where}: give a body or a body size, not both")
        with about(where + ".body_size"):
            if spec.body_size is not None:
                _in_range(spec.body_size, f"{where} body size", 2, MAX_BODY_SIZE,
                          integer=True)
                spec.body_size = int(spec.body_size)
        with about(where + ".weight"):
            _number(spec.weight, f"{where} weight")
            if spec.weight <= 0:
                raise ProfileError(f"{where} weight must be above 0, got {shown(spec.weight)}")
