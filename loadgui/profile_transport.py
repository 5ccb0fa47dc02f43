"""Validation of how requests travel: connection policy, HTTP/2, TLS, proxy."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from loadgui.profile_errors import ProfileError, about, boolean, shown
from loadgui.profile_http import check_host

if TYPE_CHECKING:
    from loadgui.profile import Profile

PROXY_SCHEMES = ("http", "https")
# The same as engine.http.seam.CONNECTION_POLICIES (profile modules import no engine).
CONNECTION_POLICIES = ("keep-alive", "close", "new")
_FAST_CLIENT_REFUSES = (
    ("target.http2", "the fast client speaks HTTP/1.1 only; use --client httpx for HTTP/2"),
    ("target.verify_tls", "the fast client speaks plain http:// only; use --client httpx "
                          "to turn TLS verification off"),
    ("target.client_cert", "the fast client speaks plain http:// only; use --client httpx "
                           "for a client certificate"),
    ("target.proxy", "the fast client connects directly, never through a proxy; use "
                     "--client httpx for a proxy"),
)


def normalise_transport(p: Profile) -> None:
    """Raise ProfileError for the first invalid value of the transport fields."""
    t = p.target
    with about("target.connection"):
        t.connection = connection_policy(t.connection, "connection")
    for i, spec in enumerate(p.requests):
        with about(f"requests[{i}].connection"):
            if spec.connection is not None:
                spec.connection = connection_policy(spec.connection,
                                                    f"requests[{i}] connection")
    with about("target.http2"):
        boolean(t.http2, "HTTP/2")
    with about("target.verify_tls"):
        boolean(t.verify_tls, "verify TLS")
    with about("target.client_key"):
        t.client_key = _optional_text(t.client_key, "client key")
    with about("target.client_cert"):
        t.client_cert = _optional_text(t.client_cert, "client certificate")
        if t.client_key is not None and t.client_cert is None:
            raise ProfileError("a client key needs its client certificate (--cert FILE)",
                               "target.client_key")
        if t.client_cert is not None:
            check_client_certificate(t.client_cert, t.client_key)
    with about("target.proxy"):
        t.proxy = proxy_url(t.proxy)
    if t.client == "fast":
        _refuse_for_fast_client(p)


def connection_policy(value: Any, name: str = "connection") -> str:
    """One of seam.CONNECTION_POLICIES, or a readable ProfileError."""
    if isinstance(value, str) and value.strip().lower() in CONNECTION_POLICIES:
        return value.strip().lower()
    raise ProfileError(f"{name} must be one of {', '.join(CONNECTION_POLICIES)}, "
                       f"got {shown(value)}")


def check_client_certificate(cert: str, key: str | None) -> None:
    """The files exist, can be read, and hold a certificate and its private key (PEM)."""
    for path, what in ((cert, "client certificate"), (key, "client key")):
        if path is None:
            continue
        try:
            with Path(path).open("rb") as file:
                file.read(1)
        except OSError as exc:
            raise ProfileError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    try:
        ssl.create_default_context().load_cert_chain(cert, key)
    except ssl.SSLError as exc:
        reason = (exc.reason or "not a PEM certificate and key").replace("_", " ").lower()
        where = f"{cert} and {key}" if key else cert
        raise ProfileError(f"client certificate {where} cannot be used: {reason} (PEM files "
                           f"are expected: the certificate, and its key unless the "
                           f"certificate file holds it)") from None
    except OSError as exc:
        raise ProfileError(f"cannot read client certificate {cert}: "
                           f"{exc.strerror or exc}") from None


def proxy_url(value: Any) -> str | None:
    """An http:// or https:// proxy URL without a trailing slash, None for none, or a
    ProfileError. Messages show the URL without its password."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    expected = "proxy must be a URL such as http://HOST:3128 or http://USER:PASSWORD@HOST:3128"
    if not isinstance(value, str):
        raise ProfileError(f"{expected}, got {shown(value)}")
    url = value.strip()
    seen = shown(without_password(url))
    if any(c.isspace() or not c.isprintable() for c in url):
        raise ProfileError(f"proxy must not hold spaces or control characters, got {seen}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ProfileError(f"{expected}: {exc}, got {seen}") from None
    if parts.scheme not in PROXY_SCHEMES:
        raise ProfileError(f"proxy must start with http:// or https://, got {seen}")
    if not parts.hostname:
        raise ProfileError(f"{expected}; {seen} has no host name")
    if port == 0:
        raise ProfileError(f"proxy {seen} has port 0")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ProfileError(f"proxy must be a scheme, host and port only, got {seen}")
    check_host(parts.hostname)
    return url.rstrip("/")


def _refuse_for_fast_client(p: Profile) -> None:
    """The fast client speaks plain HTTP/1.1 directly: what needs httpx is refused here."""
    t = p.target
    asked = (t.http2, not t.verify_tls, t.client_cert is not None, t.proxy is not None)
    for (field, message), wanted in zip(_FAST_CLIENT_REFUSES, asked, strict=True):
        if wanted:
            raise ProfileError(message, field)


def without_password(url: str) -> str:
    """`url` with the password of its `user:password@` replaced by ***, to show it."""
    shown, password = split_password(url)
    if not password:
        return url
    scheme, _, rest = shown.partition("://")
    user, _, host = rest.partition("@")
    return f"{scheme}://{user}:***@{host}"


def split_password(url: str) -> tuple[str, str]:
    """(`url` without the password of its user:password@, the password decoded)."""
    scheme, sep, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    user_info, at, host = authority.rpartition("@")
    if not sep or not at or ":" not in user_info:
        return url, ""
    user, _, password = user_info.partition(":")
    return f"{scheme}://{user}@{host}{slash}{tail}", unquote(password)


def with_password(url: str, password: str) -> str:
    """`url` with `password` (percent-encoded) for its user; `url` itself when there is no
    password, no user to give it to, or the URL already holds one."""
    if not password:
        return url
    scheme, sep, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    user, at, host = authority.rpartition("@")
    if not sep or not at or ":" in user:
        return url
    return f"{scheme}://{user}:{quote(password, safe='')}@{host}{slash}{tail}"


def _optional_text(value: Any, name: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ProfileError(f"{name} must be a file path, got {shown(value)}")
    return value.strip()
