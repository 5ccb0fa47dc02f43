"""The sections of a profile, as mutable drafts and as the frozen copies of a validated one.

A draft is plain dataclasses, lists and dicts that the CLI and the window fill field by
field. `Profile.validated()` returns a copy whose sections refuse attribute assignment and
whose lists and dicts refuse changes; the read-only containers subclass list and dict, so
they compare equal to a draft's, and json and dataclasses.asdict take them as they are.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeVar

DEFAULT_BASE_URL = "http://127.0.0.1:8000"

_T = TypeVar("_T")
_K = TypeVar("_K")
_V = TypeVar("_V")


def _refuse(self: object, *args: object, **kwargs: object) -> NoReturn:
    raise TypeError(f"this {type(self).__name__} belongs to a validated profile and cannot "
                    f"change; edit profile.draft() instead")


class ReadOnlyList(list[_T]):
    __slots__ = ()
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        # copy and pickle would otherwise rebuild the list with append().
        return type(self), (list(self),)


class ReadOnlyDict(dict[_K, _V]):
    __slots__ = ()
    clear = pop = popitem = setdefault = update = _refuse
    __setitem__ = __delitem__ = __ior__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (dict(self),)


class Freezable:
    """Mutable until frozen; then every attribute assignment raises FrozenInstanceError."""

    _frozen = False  # set per instance by freeze(); not a dataclass field
    if TYPE_CHECKING:  # every subclass is a dataclass, which dataclasses.fields() asks for
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def __setattr__(self, name: str, value: Any) -> None:
        self._refuse_if_frozen("set", name)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._refuse_if_frozen("delete", name)
        super().__delattr__(name)

    def _refuse_if_frozen(self, action: str, name: str) -> None:
        if self._frozen:
            raise dataclasses.FrozenInstanceError(
                f"cannot {action} {type(self).__name__}.{name}: a validated profile is "
                f"read-only; edit profile.draft() instead")


@dataclass
class Check(Freezable):
    """One assertion on a response, like a k6 check or a JMeter assertion. Exactly one of
    the assertion fields is set; a failed check makes the attempt a `check` failure."""

    name: str = ""  # shown in the report; made from the assertion when empty
    status: str | None = None  # "200", "200,201", "200-299", "2xx"
    body_contains: str | None = None
    body_matches: str | None = None  # a regular expression, searched in the body
    json_path: str | None = None  # JMESPath; alone: the value exists (is not null)
    json_equals: Any = None  # with json_path: the value equals this JSON value
    header: str | None = None  # alone: the header is present
    header_equals: str | None = None  # with header: its value equals this
    max_latency_ms: float | None = None


@dataclass
class Target(Freezable):
    base_url: str = DEFAULT_BASE_URL
    endpoint: str = "/test"
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    timeout: float = 10.0
    # httpx: full featured (TLS, HTTP/2, proxies). fast: plain http:// HTTP/1.1 keep-alive,
    # many times the requests per core.
    client: str = "httpx"
    # More targets beside base_url. round_robin: requests take turns; sticky: requests with
    # the same {id} always go to the same target.
    extra_base_urls: list[str] = field(default_factory=list)
    balance: str = "round_robin"
    # `{id}` in a path or header value becomes a random whole number from 1 to id_range.
    id_range: int = 1000
    # Checks on every response of the target's request (a mix's requests have their own).
    checks: list[Check] = field(default_factory=list)
    # keep-alive | close | new (seam.CONNECTION_POLICIES); a mix's request may override it.
    connection: str = "keep-alive"
    # httpx client only (the fast client refuses them): HTTP/2, TLS and a proxy.
    http2: bool = False
    verify_tls: bool = True
    client_cert: str | None = None  # a PEM file: certificate (and key, unless client_key)
    client_key: str | None = None
    proxy: str | None = None  # http://[user:password@]host:port


@dataclass
class RequestSpec(Freezable):
    """One request of a weighted mix. A body is literal text, or with `body_size` a JSON
    document of that many bytes generated once per run."""

    name: str = "request"
    method: str = "GET"
    path: str = "/test"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    body_size: int | None = None
    weight: float = 1.0
    checks: list[Check] = field(default_factory=list)
    connection: str | None = None  # None: the target's policy


@dataclass
class Keys(Freezable):
    keys: list[str] = field(default_factory=list)
    file: str | None = None
    header: str = "Authorization"
    scheme: str = "Bearer"
    # Quarantine: a key answered with this many 401/403/429 in a row rests (0: never); after
    # 429 it rests `quarantine_rest` seconds, after 401/403 for the rest of the run.
    quarantine_after: int = 0
    quarantine_rest: float = 60.0


@dataclass
class Load(Freezable):
    """`concurrency`: N workers, each sending when its last request ends (closed model).
    `rate`: `rate` requests/s at intended send times, at most `concurrency` in flight (open
    model; latency counts from the intended time, so a stalled server is not hidden)."""

    mode: str = "concurrency"
    concurrency: int = 50
    pattern: str = "constant"
    rate: float = 100.0
    processes: int | str = 1  # worker processes sharing the load, or "auto" (one per core)
    burst_interval: float = 0.0  # burst mode: seconds between bursts; 0 = one burst
    # A Dask scheduler (tcp://HOST:8786 or tls://...): the load is split across the worker
    # processes of that cluster, every one of them or `cluster_workers` of them.
    cluster: str | None = None
    cluster_workers: int | None = None


@dataclass
class Retry(Freezable):
    retries: int = 3
    backoff: str = "exponential"
    base: float = 1.0
    cap: float = 30.0
    # A 429 or 503 with Retry-After waits that long (capped at `cap`) instead of the backoff.
    respect_retry_after: bool = True


@dataclass
class Limits(Freezable):
    total_requests: int | None = None
    duration: float | None = None


def copied(value: Any) -> Any:
    """A mutable copy of a profile or one of its sections, draft or frozen.

    Lists and dicts are copied one level deep, the deepest a valid profile nests them; a
    draft may hold anything in them, and validation refuses it.
    """
    if isinstance(value, Freezable):
        return type(value)(**{f.name: copied(getattr(value, f.name))
                              for f in dataclasses.fields(value)})
    if isinstance(value, list):
        return [copied(item) if isinstance(item, Freezable) else item for item in value]
    if isinstance(value, dict):
        return dict(value)
    return value


def freeze(value: Freezable) -> None:
    """Make `value` read-only in place, with the sections, lists and dicts it holds."""
    if value._frozen:
        return
    for f in dataclasses.fields(value):
        held = getattr(value, f.name)
        if isinstance(held, Freezable):
            freeze(held)
        elif isinstance(held, list) and not isinstance(held, ReadOnlyList):
            for item in held:
                if isinstance(item, Freezable):
                    freeze(item)
            object.__setattr__(value, f.name, ReadOnlyList(held))
        elif isinstance(held, dict) and not isinstance(held, ReadOnlyDict):
            object.__setattr__(value, f.name, ReadOnlyDict(held))
    object.__setattr__(value, "_frozen", True)


def is_frozen(value: Freezable) -> bool:
    return value._frozen
