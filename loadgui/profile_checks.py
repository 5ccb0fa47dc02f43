"""Checks behind Profile.validated(): each bad value becomes one readable ProfileError.

The ranges and choices of what to send (target, keys, request mix, limits) live here, those
of the load (load, retry backoff, cluster) in profile_load; what goes on the wire (URLs,
headers, keys) is checked by profile_http. Nothing here imports profile.py, which
re-exports the constants and ProfileError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loadgui.profile_assertions import normalise_checks
from loadgui.profile_errors import ProfileError, about, in_range, number, one_of, shown
from loadgui.profile_http import (
    check_api_key,
    check_headers,
    check_key_header,
    validate_base_url,
)
from loadgui.profile_load import check_cluster, check_load_and_retry
from loadgui.profile_retry import normalise_retry
from loadgui.profile_sections import RequestSpec
from loadgui.profile_thresholds import normalise_thresholds
from loadgui.profile_transport import normalise_transport

if TYPE_CHECKING:
    from loadgui.profile import Profile

BALANCES = ("round_robin", "sticky")
MAX_BODY_SIZE = 1024**3
CLIENTS = ("httpx", "fast")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# The recorder keeps a request's and a target's index as uint16.
MAX_MIX_REQUESTS = 65_535
MAX_TARGETS = 65_535


def normalise_in_place(p: Profile) -> None:
    """Raise ProfileError for the first invalid value; fix up what is unambiguous.

    Mutates `p`: call it on a private draft, as Profile.validated() does.
    """
    _check_target(p)
    _check_keys(p)
    check_load_and_retry(p)
    check_cluster(p)
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
        one_of(t.balance, "balance", BALANCES)
    with about("target.id_range"):
        in_range(t.id_range, "id range", 1, 10**12, integer=True)
        t.id_range = int(t.id_range)
    with about("target.client"):
        one_of(t.client, "client", CLIENTS)
        if t.client == "fast" and any(u.startswith("https://") for u in p.base_urls()):
            raise ProfileError("the fast client speaks plain http:// only; use --client "
                               "httpx for https")
    with about("target.timeout"):
        in_range(t.timeout, "timeout", 0.001, 3600)


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


def _check_limits(p: Profile) -> None:
    lim = p.limits
    with about("limits.total_requests"):
        if lim.total_requests is not None:
            in_range(lim.total_requests, "total requests", 1, 10**12, integer=True)
            lim.total_requests = int(lim.total_requests)
    with about("limits.duration"):
        if lim.duration is not None:
            number(lim.duration, "duration")
            if lim.duration <= 0:
                raise ProfileError(f"duration must be a positive number of seconds, "
                                   f"got {shown(lim.duration)}")


def _check_method(method: Any) -> str:
    if isinstance(method, str):
        method = method.upper()
    one_of(method, "method", METHODS)
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
                in_range(spec.body_size, f"{where} body size", 2, MAX_BODY_SIZE,
                          integer=True)
                spec.body_size = int(spec.body_size)
        with about(where + ".weight"):
            number(spec.weight, f"{where} weight")
            if spec.weight <= 0:
                raise ProfileError(f"{where} weight must be above 0, got {shown(spec.weight)}")
