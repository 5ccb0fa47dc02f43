"""The profile: everything a run needs, with JSON load/save.

A Profile is a draft to fill in field by field, or the read-only copy that validated()
returns; a run takes the validated copy, so it is checked once and cannot change after.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loadgui.private_file import write_text_atomically
from loadgui.profile_assertions import checks_from_dicts
from loadgui.profile_checks import (
    BALANCES,
    CLIENTS,
    MAX_BODY_SIZE,
    MAX_MIX_REQUESTS,
    MAX_TARGETS,
    METHODS,
    normalise_in_place,
)
from loadgui.profile_errors import ProfileError, about, shown
from loadgui.profile_http import check_api_key, validate_base_url
from loadgui.profile_load import (
    BACKOFFS,
    LOAD_MODES,
    MAX_CONCURRENCY,
    MAX_PROCESSES,
    MAX_RATE,
    MAX_RETRIES,
    MIN_RATE,
    PATTERNS,
    process_count,
)
from loadgui.profile_sections import (
    DEFAULT_BASE_URL,
    Check,
    Freezable,
    Keys,
    Limits,
    Load,
    RequestSpec,
    Retry,
    Target,
    copied,
    freeze,
    is_frozen,
)
from loadgui.profile_transport import split_password

# The profile's vocabulary is re-exported, so callers import it from here.
__all__ = [
    "BACKOFFS",
    "BALANCES",
    "CLIENTS",
    "DEFAULT_BASE_URL",
    "LOAD_MODES",
    "MAX_BODY_SIZE",
    "MAX_CONCURRENCY",
    "MAX_MIX_REQUESTS",
    "MAX_PROCESSES",
    "MAX_RATE",
    "MAX_RETRIES",
    "MAX_TARGETS",
    "METHODS",
    "MIN_RATE",
    "PATTERNS",
    "SCHEMA_VERSION",
    "Check",
    "Keys",
    "Limits",
    "Load",
    "Profile",
    "ProfileError",
    "RequestSpec",
    "Retry",
    "Target",
    "read_key_file",
    "validate_base_url",
]

SCHEMA_VERSION = 1


@dataclass
class Profile(Freezable):
    """A draft (mutable, maybe invalid) or, from validated(), a normalised read-only copy.

    Code that runs a profile takes `profile.validated()`, which is free on a validated one.
    """

    target: Target = field(default_factory=Target)
    keys: Keys = field(default_factory=Keys)
    load: Load = field(default_factory=Load)
    retry: Retry = field(default_factory=Retry)
    limits: Limits = field(default_factory=Limits)
    # A weighted mix; empty: the target's endpoint, method, headers and body, as one request.
    requests: list[RequestSpec] = field(default_factory=list)
    # k6-style pass/fail expressions over the report ("p95 < 300ms", "error_rate < 1%").
    thresholds: list[str] = field(default_factory=list)

    @property
    def is_validated(self) -> bool:
        return is_frozen(self)

    def validated(self) -> Profile:
        """A normalised, read-only copy; raises ProfileError for the first invalid value.
        Returns the profile itself when it is already validated; never changes it."""
        if self.is_validated:
            return self
        work: Profile = copied(self)
        normalise_in_place(work)
        freeze(work)
        return work

    def validate(self) -> Profile:
        """Deprecated: use validated(). Returns the validated copy; `self` is left as it was."""
        return self.validated()

    def draft(self) -> Profile:
        """A mutable copy, to edit; validated() it again before a run."""
        copy: Profile = copied(self)
        return copy

    def share(self, concurrency: int, rate: float, total_requests: int | None) -> Profile:
        """One worker process's part of this profile: the same validated profile with these
        load values, one process and no cluster. The values are the caller's split of
        validated ones, so the part is not validated again."""
        whole = self.validated()
        part = Profile(
            target=whole.target, keys=whole.keys, retry=whole.retry, requests=whole.requests,
            thresholds=whole.thresholds,
            load=dataclasses.replace(whole.load, concurrency=concurrency, rate=rate,
                                     processes=1, cluster=None, cluster_workers=None),
            limits=dataclasses.replace(whole.limits, total_requests=total_requests))
        freeze(part)
        return part

    def process_count(self) -> int:
        """How many worker processes run this profile ("auto": one per core), never more
        than its concurrency."""
        return process_count(self.validated().load)

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
                            headers=dict(t.headers), body=t.body, checks=list(t.checks),
                            connection=t.connection)]

    def to_dict(self) -> dict[str, Any]:
        # From a draft, so that the dict holds plain, mutable lists and dicts.
        return {"version": SCHEMA_VERSION, **dataclasses.asdict(self.draft())}

    @classmethod
    def from_dict(cls, data: Any) -> Profile:
        """The validated profile that a dict (parsed JSON) describes."""
        if not isinstance(data, dict):
            raise ProfileError("a profile must be a JSON object")
        data = dict(data)
        version = data.pop("version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ProfileError(
                f"profile version {shown(version)} is newer than this loadgui understands "
                f"(version {SCHEMA_VERSION}); upgrade loadgui"
            )
        sections = {f.name: f.type for f in dataclasses.fields(cls)}
        _reject_unknown(data, sections, "profile")
        kwargs: dict[str, Any] = {}
        for name, value in data.items():
            if name == "requests":
                kwargs[name] = _request_specs(value)
                continue
            if name == "thresholds":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ProfileError("thresholds must be a list of expressions such as "
                                       '"p95 < 300ms"', "thresholds")
                kwargs[name] = list(value)
                continue
            section_cls = _SECTION_CLASSES[name]
            if not isinstance(value, dict):
                raise ProfileError(f"{name} must be a JSON object")
            names = {f.name for f in dataclasses.fields(section_cls)}
            _reject_unknown(value, names, name)
            if name == "target" and "checks" in value:
                value = {**value, "checks": checks_from_dicts(value["checks"], "target.checks")}
            kwargs[name] = section_cls(**value)
        return cls(**kwargs).validated()

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Profile:
        """The validated profile that a JSON text describes."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(
                f"the profile is not valid JSON: {exc.msg} at line {exc.lineno}"
            ) from None
        except ValueError:  # Python refuses to convert integers of over 4,300 digits
            raise ProfileError("the profile holds a number with too many digits") from None
        except RecursionError:  # json gives up on deep nesting with this, not a ValueError
            raise ProfileError("the profile is nested too deeply to be read") from None
        return cls.from_dict(data)

    def write(self, path: str | Path, *, store_keys: bool = False) -> bool:
        """Save as JSON. Inline API keys and the proxy's password are left out unless
        `store_keys`; then the file is owner-only (0600). Returns True when secrets were
        written (the caller warns)."""
        proxy, proxy_password = split_password(self.target.proxy or "")
        secret = store_keys and (bool(self.keys.keys) or bool(proxy_password))
        profile = self
        if (self.keys.keys or proxy_password) and not store_keys:
            profile = self.draft()
            profile.keys.keys = []
            if proxy_password:
                profile.target.proxy = proxy
        write_text_atomically(path, profile.to_json(), private=secret)
        return secret

    @classmethod
    def read(cls, path: str | Path) -> Profile:
        """The validated profile in a JSON file."""
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
    return [RequestSpec(**{**item, "checks": checks_from_dicts(item["checks"],
                                                                f"requests[{i}].checks")})
            if "checks" in item else RequestSpec(**item) for i, item in enumerate(value)]


def read_key_file(path: str | Path) -> list[str]:
    """One key per line; blank lines and `#` comments are skipped. A UTF-8 byte order mark
    (as Windows editors write) is not part of the first key."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise ProfileError(f"cannot read API key file {path}: {exc.strerror or exc}",
                           "keys.file") from None
    except UnicodeDecodeError:
        raise ProfileError(f"API key file {path} is not a UTF-8 text file", "keys.file") from None
    keys: list[str] = []
    with about("keys.file"):
        for line_number, line in enumerate(lines, 1):
            key = line.strip()
            if key and not key.startswith("#"):
                keys.append(key)
                check_api_key(key, len(keys), f"line {line_number} of {path}")
        if not keys:
            raise ProfileError(f"API key file {path} holds no keys")
    return keys


def _reject_unknown(data: dict[str, Any], known: Any, where: str) -> None:
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ProfileError(f"unknown field{'s' if len(unknown) > 1 else ''} in {where}: "
                           + ", ".join(unknown))
