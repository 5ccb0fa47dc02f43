"""From candidates and credentials to a valid profile: the part every import shares."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from loadgui.imports.credentials import gather_credentials, key_credentials, strip_credentials
from loadgui.imports.errors import ImportInputError
from loadgui.imports.result import Candidate, Credential, ImportOptions, ImportResult
from loadgui.profile import Profile, ProfileError


def split_url(url: str) -> tuple[str, str]:
    """(origin, path with its query) of an absolute http(s) URL; user info and the fragment
    are dropped."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ImportInputError(f"the URL {url!r} cannot be parsed: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ImportInputError(f"{url!r} is not an http:// or https:// URL")
    host = parts.netloc.rpartition("@")[2].lower()
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return f"{parts.scheme.lower()}://{host}", path


def merged_headers(pairs: Iterable[tuple[str, str]],
                   leave_out: frozenset[str] = frozenset({"content-length"})) -> dict[str, str]:
    """One value per name, as the profile keeps them: a repeated header's values joined the
    way HTTP joins them (cookies with `; `) under its first spelling. Names in `leave_out`
    (lower case; by default Content-Length: the client counts the body it sends) and HTTP/2
    pseudo-headers are left out."""
    merged: dict[str, str] = {}
    names: dict[str, str] = {}
    for name, value in pairs:
        lower = name.lower()
        if lower in leave_out or name.startswith(":"):
            continue
        if lower in names:
            joiner = "; " if lower == "cookie" else ", "
            merged[names[lower]] += joiner + value
        else:
            names[lower] = name
            merged[name] = value
    return merged


def unique_name(name: str, used: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)`… when taken; the result is added to `used`."""
    candidate, number = name, 1
    while candidate in used:
        number += 1
        candidate = f"{name} ({number})"
    used.add(candidate)
    return candidate


def build_profile(candidates: list[Candidate], credentials: list[Credential], *,
                  base_url: str | None = None, timeout: float = 10.0,
                  key_slot: tuple[str, str] | None = None,
                  transport: dict[str, object] | None = None) -> Profile:
    """A validated profile of the selected candidates: one request becomes the target's own,
    several a weighted mix. The key header and scheme come from the kept auth credentials
    (or `key_slot`); the keys themselves never go in."""
    chosen = [c for c in candidates if c.selected]
    if not chosen:
        raise ImportInputError("no request is selected to import")
    origins = [base_url] if base_url else list(dict.fromkeys(c.origin for c in chosen))
    target: dict[str, Any] = {"base_url": origins[0], "extra_base_urls": origins[1:],
                              "timeout": timeout, **(transport or {})}
    data: dict[str, Any] = {"target": target}
    keys = key_credentials(credentials)
    if keys:
        key_slot = (keys[0].header, keys[0].scheme)
    if key_slot:
        data["keys"] = {"keys": [], "header": key_slot[0], "scheme": key_slot[1]}
    specs = [dataclasses.replace(c.request,
                                 headers=strip_credentials(c.request.headers, credentials))
             for c in chosen]
    if len(specs) == 1 and specs[0].body_size is None:
        only = specs[0]
        target.update(endpoint=only.path, method=only.method, headers=only.headers,
                      body=only.body)
    else:
        data["requests"] = [dataclasses.asdict(spec) for spec in specs]
    try:
        return Profile.from_dict(data)
    except ProfileError as exc:
        raise ImportInputError(f"the imported requests do not make a valid profile: "
                               f"{exc}") from None


def finish_import(source_kind: str, candidates: list[Candidate], options: ImportOptions, *,
                  keep_auth_by_default: bool, notes: list[str] | None = None,
                  warnings: list[str] | None = None, timeout: float = 10.0,
                  key_slot: tuple[str, str] | None = None,
                  transport: dict[str, object] | None = None) -> ImportResult:
    """Apply the options to the parsed candidates and build the result's profile."""
    _apply_weights(candidates, options.weights)
    keep_auth = keep_auth_by_default if options.keep_auth is None else options.keep_auth
    credentials = gather_credentials(candidates, keep_auth=keep_auth,
                                     keep_cookies=options.keep_cookies)
    warnings = list(warnings or [])
    origins = list(dict.fromkeys(c.origin for c in candidates if c.selected))
    if len(origins) > 1 and not options.base_url:
        warnings.append(f"the requests went to {len(origins)} origins ({', '.join(origins)}): "
                        f"each becomes a target, and every request is spread over all of them")
    base_url = options.base_url.rstrip("/") if options.base_url else None
    transport = dict(transport or {})
    profile = build_profile(candidates, credentials, base_url=base_url, timeout=timeout,
                            key_slot=key_slot, transport=transport)
    return ImportResult(profile, source_kind, candidates, credentials, list(notes or []),
                        warnings, base_url=base_url, timeout=timeout, key_slot=key_slot,
                        transport=transport)


def _apply_weights(candidates: list[Candidate], weights: dict[str, float]) -> None:
    for name, weight in weights.items():
        matching = [c for c in candidates if name in (c.name, c.operation_id)]
        if not matching:
            raise ImportInputError(f"no imported request is named {name!r} (for its weight)")
        if not weight > 0:
            raise ImportInputError(f"the weight of {name!r} must be above 0, got {weight:g}")
        for candidate in matching:
            candidate.request.weight = weight
