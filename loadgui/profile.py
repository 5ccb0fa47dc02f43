"""The profile: everything a run needs, validated, with JSON load/save."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loadgui.profile_checks import (
    BACKOFFS,
    BALANCES,
    CLIENTS,
    DEFAULT_BASE_URL,
    LOAD_MODES,
    MAX_BODY_SIZE,
    MAX_CONCURRENCY,
    MAX_PROCESSES,
    MAX_RATE,
    MAX_RETRIES,
    METHODS,
    PATTERNS,
    ProfileError,
    validate_base_url,
    validate_profile,
)

# The profile's vocabulary is re-exported, so callers import it from here.
__all__ = [
    "BACKOFFS", "BALANCES", "CLIENTS", "DEFAULT_BASE_URL", "LOAD_MODES", "MAX_BODY_SIZE",
    "MAX_CONCURRENCY", "MAX_PROCESSES", "MAX_RATE", "MAX_RETRIES", "METHODS", "PATTERNS",
    "SCHEMA_VERSION", "Keys", "Limits", "Load", "Profile", "ProfileError", "RequestSpec",
    "Retry", "Target", "read_key_file", "validate_base_url",
]

SCHEMA_VERSION = 1


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
        validate_profile(self)
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
