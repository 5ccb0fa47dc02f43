"""A profile's requests as `curl` commands a person can paste into a shell."""

from __future__ import annotations

import shlex

from loadgui.engine.http.urls import display_url
from loadgui.profile import DEFAULT_BASE_URL, Keys, Profile, RequestSpec, Target, read_key_file

KEY_VARIABLE = "LOADGUI_API_KEY"
DEFAULT_TIMEOUT = 10.0
_GLOB_CHARACTERS = frozenset("{}[]")


def to_curl(source: Profile | RequestSpec, *, base_url: str | None = None,
            keys: Keys | None = None, reveal_keys: bool = False) -> str:
    """One curl command per request of a profile (separated by blank lines), or for one
    request sent to `base_url` with `keys`.

    An API key shows as `$LOADGUI_API_KEY`, so the command runs once that variable is set,
    unless `reveal_keys`, when the first key is written in clear.
    """
    if isinstance(source, Profile):
        base = base_url or source.target.base_url
        keys = keys or source.keys
        key = _key_to_show(keys, reveal_keys)
        timeout = source.target.timeout
        transport = transport_flags(source.target)
        return "\n\n".join(_command(spec, base, keys, key, timeout, transport)
                           for spec in source.request_mix())
    key = _key_to_show(keys, reveal_keys) if keys else None
    return _command(source, base_url or DEFAULT_BASE_URL, keys or Keys(), key, DEFAULT_TIMEOUT)


def _key_to_show(keys: Keys, reveal: bool) -> str | None:
    """None: no key header; "": the key as $LOADGUI_API_KEY; otherwise the first key."""
    if not keys.keys and not keys.file:
        return None
    if not reveal:
        return ""
    return (keys.keys or read_key_file(keys.file or ""))[0]


def transport_flags(target: Target) -> list[str]:
    """curl's flags for how the target's requests travel (the proxy without its password:
    curl asks for it, or takes it from the environment)."""
    flags = []
    if target.http2:
        flags.append("--http2")
    if not target.verify_tls:
        flags.append("--insecure")
    if target.client_cert:
        flags.append(f"--cert {shlex.quote(target.client_cert)}")
    if target.client_key:
        flags.append(f"--key {shlex.quote(target.client_key)}")
    if target.proxy:
        flags.append(f"--proxy {shlex.quote(display_url(target.proxy))}")
    return flags


def _command(spec: RequestSpec, base_url: str, keys: Keys, key: str | None,
             timeout: float, transport: list[str] | None = None) -> str:
    url = base_url.rstrip("/") + spec.path
    parts = [f"curl {shlex.quote(url)}"]
    if _GLOB_CHARACTERS & set(url):
        parts.append("-g")  # `{id}` and `[…]` are curl's URL globs otherwise
    implied = "POST" if spec.body is not None else "GET"
    if spec.method == "HEAD":
        parts.append("--head")  # `-X HEAD` would wait for a body that never comes
    elif spec.method != implied:
        parts.append(f"-X {spec.method}")
    for name, value in spec.headers.items():
        line = f"{name}: {value}" if value else f"{name};"  # curl drops `Name:` with no value
        parts.append(f"-H {shlex.quote(line)}")
    if key is not None:
        parts.append(f"-H {_key_header(keys, key)}")
    if spec.body is not None:
        parts.append(f"--data-raw {shlex.quote(spec.body)}")
    if timeout != DEFAULT_TIMEOUT:
        parts.append(f"--max-time {timeout:g}")
    parts.extend(transport or [])
    return " \\\n  ".join(parts)


def _key_header(keys: Keys, key: str) -> str:
    prefix = f"{keys.header}: {keys.scheme} " if keys.scheme else f"{keys.header}: "
    if key:
        return shlex.quote(prefix + key)
    # In double quotes the variable expands; the fixed part is escaped for them.
    escaped = "".join("\\" + c if c in '\\"$`' else c for c in prefix)
    return f'"{escaped}${KEY_VARIABLE}"'
