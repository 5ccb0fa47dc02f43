"""The profile as the store keeps it: no API key, no URL password, no credential header.

A stored run is shared (`loadgui runs export`, the HTML report), so it keeps how many keys
the run rotated (the attempts name them by index) but never a key itself.
"""

from __future__ import annotations

from typing import Any

from loadgui.engine.http.urls import display_url
from loadgui.profile import Profile, ProfileError

MASK = "[hidden]"
# The header names that carry credentials, as `loadgui import` reads them
# (loadgui.imports.credentials, not imported here: that package loads its parsers).
_SECRET_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "apikey",
    "x-apikey", "x-api-token", "x-auth-token", "x-access-token", "access-token",
    "private-token", "x-goog-api-key", "x-functions-key", "ocp-apim-subscription-key",
    "x-amz-security-token",
})
_SECRET_SUFFIXES = ("-key", "_key", "apikey", "-token", "_token", "secret", "password")


def is_secret_header(name: str) -> bool:
    lower = name.strip().lower()
    return lower in _SECRET_HEADERS or (lower.endswith(_SECRET_SUFFIXES)
                                        and "csrf" not in lower and "xsrf" not in lower)


def key_count(profile: Profile) -> int:
    """How many API keys the run rotated (0 when its key file can no longer be read)."""
    try:
        return len(profile.resolved_keys())
    except ProfileError:
        return 0


def stored_profile(profile: Profile) -> dict[str, Any]:
    """The profile's JSON form with every secret taken out (see the module's docstring)."""
    data = profile.to_dict()
    data["keys"]["keys"] = []
    target = data["target"]
    target["base_url"] = display_url(target["base_url"])
    target["extra_base_urls"] = [display_url(url) for url in target["extra_base_urls"]]
    if target.get("proxy"):
        target["proxy"] = display_url(target["proxy"])
    target["headers"] = masked_headers(target["headers"])
    for request in data["requests"]:
        request["headers"] = masked_headers(request["headers"])
    return data


def masked_headers(headers: dict[str, str]) -> dict[str, str]:
    return {name: MASK if is_secret_header(name) else value for name, value in headers.items()}


def profile_of(data: dict[str, Any]) -> Profile | None:
    """The stored profile as a Profile (to run it again), or None when this loadgui cannot
    read it: the run is still shown."""
    try:
        return Profile.from_dict(data)
    except (ProfileError, TypeError, ValueError):
        return None
