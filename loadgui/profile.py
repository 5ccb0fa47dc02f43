"""The profile: everything a run needs, validated, with JSON load/save."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SCHEMA_VERSION = 1
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


@dataclass
class Target:
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


@dataclass
class RequestSpec:
    """One request of a weighted mix. A body is literal text, or with `body_size` a JSON
    document of that many bytes generated once per run."""

    name: str = "request"
    method: str = "GET"
    path: str = "/test"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    body_size: int | None = None
    weight: float = 1.0


@dataclass
class Keys:
    keys: list[str] = field(default_factory=list)
    file: str | None = None
    header: str = "Authorization"
    scheme: str = "Bearer"


@dataclass
class Load:
    """`concurrency`: N workers, each sending when its last request ends (closed model).
    `rate`: `rate` requests/s at intended send times, at most `concurrency` in flight (open
    model; latency counts from the intended time, so a stalled server is not hidden)."""

    mode: str = "concurrency"
    concurrency: int = 50
    pattern: str = "constant"
    rate: float = 100.0
    processes: int | str = 1  # worker processes sharing the load, or "auto" (one per core)
    burst_interval: float = 0.0  # burst mode: seconds between bursts; 0 = one burst


@dataclass
class Retry:
    retries: int = 3
    backoff: str = "exponential"
    base: float = 1.0
    cap: float = 30.0


@dataclass
class Limits:
    total_requests: int | None = None
    duration: float | None = None


@dataclass
class Profile:
    target: Target = field(default_factory=Target)
    keys: Keys = field(default_factory=Keys)
    load: Load = field(default_factory=Load)
    retry: Retry = field(default_factory=Retry)
    limits: Limits = field(default_factory=Limits)
    # A weighted mix; empty: the target's endpoint, method, headers and body, as one request.
    requests: list[RequestSpec] = field(default_factory=list)

    def validate(self) -> Profile:
        """Raise ProfileError for the first invalid value; fix up what is unambiguous."""
        _validate(self)
        return self

    def resolved_keys(self) -> list[str]:
        """The keys to rotate: the inline list, or the lines of the key file."""
        if self.keys.keys:
            return list(self.keys.keys)
        if self.keys.file:
            return read_key_file(self.keys.file)
        return []

    def url(self) -> str:
        return self.target.base_url.rstrip("/") + self.target.endpoint

    def base_urls(self) -> list[str]:
        return [self.target.base_url, *self.target.extra_base_urls]

    def request_mix(self) -> list[RequestSpec]:
        """The requests to send: the profile's mix, or the target's one request."""
        if self.requests:
            return list(self.requests)
        t = self.target
        return [RequestSpec(name=t.endpoint, method=t.method, path=t.endpoint,
                            headers=dict(t.headers), body=t.body)]

    def to_dict(self) -> dict[str, Any]:
        return {"version": SCHEMA_VERSION, **dataclasses.asdict(self)}

    @classmethod
    def from_dict(cls, data: Any) -> Profile:
        if not isinstance(data, dict):
            raise ProfileError("a profile must be a JSON object")
        data = dict(data)
        version = data.pop("version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ProfileError(
                f"profile version {version!r} is newer than this loadgui understands "
                f"(version {SCHEMA_VERSION}); upgrade loadgui"
            )
        sections = {f.name: f.type for f in dataclasses.fields(cls)}
        _reject_unknown(data, sections, "profile")
        kwargs: dict[str, Any] = {}
        for name, value in data.items():
            if name == "requests":
                kwargs[name] = _request_specs(value)
                continue
            section_cls = _SECTION_CLASSES[name]
            if not isinstance(value, dict):
                raise ProfileError(f"{name} must be a JSON object")
            names = {f.name for f in dataclasses.fields(section_cls)}
            _reject_unknown(value, names, name)
            kwargs[name] = section_cls(**value)
        return cls(**kwargs).validate()

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Profile:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(
                f"the profile is not valid JSON: {exc.msg} at line {exc.lineno}"
            ) from None
        return cls.from_dict(data)

    def write(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def read(cls, path: str | Path) -> Profile:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ProfileError(f"cannot read profile {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ProfileError(f"profile {path} is not a UTF-8 text file") from None
        return cls.from_json(text)


_SECTION_CLASSES: dict[str, type] = {
    "target": Target,
    "keys": Keys,
    "load": Load,
    "retry": Retry,
    "limits": Limits,
}


def _request_specs(value: Any) -> list[RequestSpec]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ProfileError("requests must be a list of JSON objects", "requests")
    names = {f.name for f in dataclasses.fields(RequestSpec)}
    for i, item in enumerate(value):
        _reject_unknown(item, names, f"requests[{i}]")
    return [RequestSpec(**item) for item in value]


def read_key_file(path: str | Path) -> list[str]:
    """One key per line; blank lines and `#` comments are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ProfileError(f"cannot read API key file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ProfileError(f"API key file {path} is not a UTF-8 text file") from None
    keys = [line.strip() for line in lines]
    keys = [k for k in keys if k and not k.startswith("#")]
    if not keys:
        raise ProfileError(f"API key file {path} holds no keys")
    return keys


def _reject_unknown(data: dict[str, Any], known: Any, where: str) -> None:
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ProfileError(f"unknown field{'s' if len(unknown) > 1 else ''} in {where}: "
                           + ", ".join(unknown))


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


def _validate(p: Profile) -> None:
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
