"""Checks of what a profile puts on the wire: base URLs, host names, headers and API keys.

Each refuses a value that the HTTP clients would reject mid-run or, worse, send as given (a
line break in a header value splits the request).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import idna

from loadgui.profile_errors import ProfileError, shown

# A base URL that names no server but the embedded mock server: `loadgui run` starts it and
# aims at it (as --mock does). Only a command that starts the mock can run such a profile.
MOCK_BASE_URL = "mock"
MAX_HOST_NAME_LENGTH = 253
MAX_LABEL_LENGTH = 63

# RFC 7230 section 3.2.6: a header name is a token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A header value may hold tabs, but no other control character (CR and LF above all).
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def validate_base_url(url: Any, *, allow_mock: bool = False) -> str:
    """The base URL with its scheme and host in lower case and no trailing slash, or a
    readable ProfileError. With `allow_mock`, exactly MOCK_BASE_URL is accepted as well."""
    if not isinstance(url, str) or not url.strip():
        raise ProfileError("base URL must not be empty")
    url = url.strip()
    if allow_mock and url == MOCK_BASE_URL:
        return MOCK_BASE_URL
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ProfileError(f"base URL {shown(url)} cannot be parsed: {exc}") from None
    if parts.scheme not in ("http", "https"):  # urlsplit lower-cases the scheme
        raise ProfileError(f"base URL must start with http:// or https://, got {shown(url)}")
    # Checked on the text itself: urlsplit silently drops tabs and line breaks.
    if any(_is_space_or_control(c) for c in url):
        raise ProfileError(f"base URL must not hold spaces or control characters, "
                           f"got {shown(url)}")
    if not parts.hostname:
        raise ProfileError(f"base URL {shown(url)} has no host name")
    check_host(parts.hostname)
    if port == 0:
        raise ProfileError(f"base URL {shown(url)} has port 0")
    if parts.query or parts.fragment:
        raise ProfileError(f"base URL must not hold a query or fragment, got {shown(url)}")
    user_info, at, host_and_port = parts.netloc.rpartition("@")
    netloc = user_info + at + host_and_port.lower()
    return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")


def _is_space_or_control(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def check_host(host: str) -> None:
    """An IP address, or a host name that fits DNS and encodes as IDNA."""
    if ":" in host:  # urlsplit gives an IPv6 literal without its brackets
        address = host.partition("%")[0]  # without a zone such as %eth0
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            raise ProfileError(f"host {shown(host)} is not a valid IPv6 address") from None
        return
    encoded = host
    if not host.isascii():
        # Encoded as httpx does (IDNA 2008). ASCII names are left to the length checks
        # below, as httpx leaves them: IDNA 2008 would refuse names such as my_service.
        try:
            encoded = idna.encode(host).decode("ascii")
        except idna.IDNAError as exc:
            raise ProfileError(f"host name {shown(host)} is not a valid international "
                               f"domain name: {exc}") from None
    name = encoded.removesuffix(".")  # a fully qualified name may end in a dot
    if len(name) > MAX_HOST_NAME_LENGTH:
        raise ProfileError(f"host name is {len(name)} characters long; at most "
                           f"{MAX_HOST_NAME_LENGTH} are allowed")
    for label in name.split("."):
        if not label:
            raise ProfileError(f"host name {shown(host)} has an empty label (two dots in "
                               f"a row, or a leading dot)")
        if len(label) > MAX_LABEL_LENGTH:
            raise ProfileError(f"host name label {shown(label)} is {len(label)} characters "
                               f"long; a label holds at most {MAX_LABEL_LENGTH} characters")


def is_header_name(name: Any) -> bool:
    return isinstance(name, str) and _TOKEN.fullmatch(name) is not None


def check_headers(headers: Any) -> None:
    """A dict of header names (RFC 7230 tokens) to values without line breaks."""
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise ProfileError("headers must map header names to text values")
    for name, value in headers.items():
        if not is_header_name(name):
            raise ProfileError(f"header name {shown(name)} is not valid: a header name is "
                               f"one word of letters, digits and !#$%&'*+-.^_`|~")
        if _CONTROL_IN_VALUE.search(value):
            raise ProfileError(f"the value of header {shown(name)} holds a line break (CR or "
                               f"LF) or another control character")


def check_key_header(header: Any, scheme: Any) -> None:
    """The header that carries an API key, and the scheme word before the key."""
    if not is_header_name(header):
        raise ProfileError(f"API key header name must be a header name such as "
                           f"Authorization, got {shown(header)}", "keys.header")
    if not isinstance(scheme, str) or (scheme and _TOKEN.fullmatch(scheme) is None):
        raise ProfileError(f"API key scheme must be one word such as Bearer (or empty), "
                           f"got {shown(scheme)}", "keys.scheme")


def fits_an_api_key(key: str) -> bool:
    """Printable ASCII without spaces, as a header value carries a key."""
    return all("!" <= c <= "~" for c in key)


def check_api_key(key: str, number: int, where: str = "") -> None:
    """A key that fits (`fits_an_api_key`), or a ProfileError that names a bad key by its
    position (and `where`, such as a file's line), never by the key itself."""
    if fits_an_api_key(key):
        return
    problem = "a non-ASCII character" if not key.isascii() else "a space or a control character"
    raise ProfileError(f"API key {number} holds {problem}" + (f" ({where})" if where else ""))
