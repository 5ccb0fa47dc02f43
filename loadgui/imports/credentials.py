"""Which request headers carry secrets, and the credentials gathered from a set of requests."""

from __future__ import annotations

import base64

from loadgui.imports.result import (
    API_KEY,
    AUTH_KINDS,
    BASIC,
    BEARER,
    COOKIE,
    OTHER_AUTH,
    Candidate,
    Credential,
)
from loadgui.profile_http import fits_an_api_key

API_KEY_HEADERS = frozenset({
    "x-api-key", "api-key", "apikey", "x-apikey", "x-api-token", "x-auth-token",
    "x-access-token", "access-token", "private-token", "x-goog-api-key", "x-functions-key",
    "ocp-apim-subscription-key", "x-amz-security-token",
})
# X-Admin-Key, Service_Token…: a header named for a key or token carries a secret; CSRF
# tokens are not credentials but echoes of a cookie, which is listed itself.
_SECRET_SUFFIXES = ("-key", "_key", "apikey", "-token", "_token")


def credential_in_header(name: str, value: str) -> Credential | None:
    """The credential a header carries, or None for an ordinary header."""
    lower = name.strip().lower()
    if lower in ("authorization", "proxy-authorization"):
        scheme, _, secret = value.strip().partition(" ")
        if not secret.strip():
            return Credential(OTHER_AUTH, name, "", value.strip())
        kind = {"bearer": BEARER, "basic": BASIC}.get(scheme.lower(), OTHER_AUTH)
        return Credential(kind, name, scheme, secret.strip())
    if lower == "cookie":
        return Credential(COOKIE, name, "", value.strip())
    if lower in API_KEY_HEADERS or (lower.endswith(_SECRET_SUFFIXES)
                                    and "csrf" not in lower and "xsrf" not in lower):
        return Credential(API_KEY, name, "", value.strip())
    return None


def basic_auth_value(user_and_password: str) -> str:
    return "Basic " + base64.b64encode(user_and_password.encode("utf-8")).decode("ascii")


def gather_credentials(candidates: list[Candidate], *, keep_auth: bool,
                       keep_cookies: bool) -> list[Credential]:
    """Every distinct secret in the candidates' headers, with the requests that carry it."""
    found: dict[tuple[str, str, str, str], Credential] = {}
    for candidate in candidates:
        for name, value in candidate.request.headers.items():
            credential = credential_in_header(name, value)
            if credential is None:
                continue
            key = (credential.kind, name.lower(), credential.scheme.lower(), credential.secret)
            credential = found.setdefault(key, credential)
            credential.keep = keep_cookies if credential.kind == COOKIE else keep_auth
            if candidate.name not in credential.found_in:
                credential.found_in.append(candidate.name)
    return list(found.values())


def key_credentials(credentials: list[Credential]) -> list[Credential]:
    """The kept auth credentials that become the profile's API keys: a profile sends its keys
    in one header with one scheme, that of the first kept one."""
    kept = [c for c in credentials
            if c.keep and c.kind in AUTH_KINDS and c.secret and fits_an_api_key(c.secret)]
    if not kept:
        return []
    first = kept[0]
    return [c for c in kept
            if c.header.lower() == first.header.lower() and c.scheme == first.scheme]


def unused_credentials(credentials: list[Credential]) -> list[Credential]:
    """Auth credentials the user keeps that cannot be the API key: a profile sends its keys
    in one header, so a second kind of credential (or one that is no valid key) is left out."""
    keys = key_credentials(credentials)
    return [c for c in credentials if c.keep and c.kind in AUTH_KINDS and c not in keys]


def strip_credentials(headers: dict[str, str], credentials: list[Credential]) -> dict[str, str]:
    """The headers without secrets, except the cookies the user keeps."""
    kept_cookies = {c.secret for c in credentials if c.kind == COOKIE and c.keep}
    plain = {}
    for name, value in headers.items():
        credential = credential_in_header(name, value)
        if credential is None or (credential.kind == COOKIE
                                  and credential.secret in kept_cookies):
            plain[name] = value
    return plain
