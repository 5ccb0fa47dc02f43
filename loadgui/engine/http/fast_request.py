"""The bytes FastClient sends: URLs read and encoded as httpx does, heads kept encoded."""

from __future__ import annotations

import re
from base64 import b64encode
from dataclasses import dataclass
from functools import lru_cache

import httpx

from loadgui import __version__
from loadgui.engine.http import messages
from loadgui.engine.http.urls import display_url, host_problem
from loadgui.engine.stats.basics import ErrorKind

DEFAULT_HEADERS = {
    "User-Agent": f"loadgui/{__version__}",
    "Accept": "*/*",
    # The same as httpx sends; the body is counted as received, compressed or not.
    "Accept-Encoding": "gzip, deflate",
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
ENCODED_CACHE_SIZE = 256  # requests, and heads, kept encoded per client
WHOLE_BODY_MAX = 16 * 1024  # a larger body is joined to its head per request, not kept
_BREAKS = frozenset("\r\n")
_METHOD = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://[^/?#]*)(.*)", re.DOTALL)
# A target httpx would send unchanged: printable ASCII but for what it percent-encodes
# (space " # < > ? ` { } in the path; space " # < > in the query).
_PLAIN_TARGET = re.compile(
    r"/[\x21\x24-\x3b\x3d\x40-\x5f\x61-\x7a\x7c\x7e]*(?:\?[\x21\x24-\x3b\x3d\x3f-\x7e]*)?")


class BadRequest(ValueError):
    """A request that cannot be sent; the message is meant for people (no secrets)."""

    def __init__(self, message: str, kind: ErrorKind = ErrorKind.OTHER):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Origin:
    host: str  # ASCII: IDNA-encoded as httpx does; no brackets around IPv6
    port: int
    host_header: str


@lru_cache(maxsize=64)
def parse_origin(origin: str) -> tuple[Origin, str | None]:
    """`scheme://[user:pass@]host[:port]` -> the Origin and its Basic Authorization, if any."""
    if origin.partition("://")[0].lower() != "http":
        raise BadRequest(messages.HTTP_ONLY)
    try:
        url = httpx.URL(origin)
    except httpx.InvalidURL as exc:
        raise BadRequest(messages.shorten(f"URL is not valid: {exc}")) from None
    host = url.raw_host.decode("ascii")
    if not host:
        raise BadRequest(messages.shorten(f"URL {display_url(origin)!r} has no host name"))
    problem = host_problem(host)
    if problem is not None:
        # CONNECT, as when a name cannot be resolved (httpx's verdict on it too)
        raise BadRequest(messages.invalid_host(host, problem), ErrorKind.CONNECT)
    port = url.port if url.port is not None else 80
    if not 0 < port < 65536:
        raise BadRequest(f"port {port} is out of range")
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if port == 80 else f"{shown}:{port}"
    authorization = None
    if url.username or url.password:  # as httpx does: Basic auth from the URL
        token = b64encode(f"{url.username}:{url.password}".encode()).decode("ascii")
        authorization = f"Basic {token}"
    return Origin(host, port, host_header), authorization


def split_url(url: str) -> tuple[Origin, str]:
    """The origin and request target of an http:// URL; BadRequest (a ValueError) else."""
    origin_text, rest = _split(url)
    return parse_origin(origin_text)[0], request_target(url, rest)


def request_target(url: str, rest: str) -> str:
    """The target httpx would send for `url`, whose part after the authority is `rest`."""
    target = rest.partition("#")[0]
    if not target.startswith("/"):
        target = "/" + target
    if _PLAIN_TARGET.fullmatch(target) and "/." not in target:
        return target
    try:  # percent-encoding, dot segments: exactly as httpx does (rare enough to be slow)
        return httpx.URL(url).raw_path.decode("ascii")
    except httpx.InvalidURL as exc:
        raise BadRequest(messages.shorten(f"URL is not valid: {exc}")) from None


def encode_head(method: str, origin: Origin, authorization: str | None,
                headers: dict[str, str], length: int) -> tuple[bytes, bytes]:
    """A request's head, split around its target: (b"GET ", b" HTTP/1.1\\r\\n...\\r\\n\\r\\n")."""
    given = {name.lower() for name in headers}
    lines = [""]
    if "host" not in given:
        lines.append(f"Host: {origin.host_header}")
    lines.extend(f"{name}: {value}" for name, value in DEFAULT_HEADERS.items()
                 if name.lower() not in given)
    for name, value in headers.items():
        if _BREAKS.intersection(name) or _BREAKS.intersection(value):
            raise BadRequest(messages.shorten(f"header {name!r} holds a line break"))
        if authorization is None or name.lower() != "authorization":
            lines.append(f"{name}: {value}")
    if authorization is not None:  # replaces a profile's own, as in httpx
        lines.append(f"Authorization: {authorization}")
    if (length or method in BODY_METHODS) and "content-length" not in given:
        lines.append(f"Content-Length: {length}")
    if not _METHOD.fullmatch(method):
        raise BadRequest(messages.shorten(f"method {method!r} is not a valid HTTP method"))
    try:
        after = (" HTTP/1.1" + "\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    except UnicodeEncodeError:
        name = next((n for n, v in headers.items() if not _is_latin1(n + v)), "?")
        raise BadRequest(messages.shorten(f"header {name!r} holds a character outside "
                                          "Latin-1")) from None
    return f"{method} ".encode("ascii"), after


class RequestEncoder:
    """A request's bytes for (method, URL, headers, body), remembered within bounds.

    Whole requests (bodies up to WHOLE_BODY_MAX) are kept for the first ENCODED_CACHE_SIZE
    keys, as a run repeats a few URLs; past that (e.g. `{id}` paths) a request is its kept
    head around a freshly read target. Full caches take no more keys rather than empty:
    emptying them would make a run of many URLs re-encode every request.
    """

    def __init__(self) -> None:
        self._whole: dict[tuple[object, ...], tuple[Origin, bytes]] = {}
        self._heads: dict[tuple[object, ...], tuple[Origin, bytes, bytes]] = {}
        self.heads_built = 0

    def encode(self, method: str, url: str, headers: dict[str, str],
               content: bytes | None) -> tuple[Origin, bytes]:
        key = (method, url, content, *headers.items())
        cached = self._whole.get(key)
        if cached is not None:
            return cached
        length = len(content) if content else 0
        origin_text, rest = _split(url)
        head_key = (method, origin_text, length, *headers.items())
        head = self._heads.get(head_key)
        if head is None:
            origin, authorization = parse_origin(origin_text)
            head = origin, *encode_head(method, origin, authorization, headers, length)
            self.heads_built += 1
            if len(self._heads) < ENCODED_CACHE_SIZE:
                self._heads[head_key] = head
        origin, before, after = head
        data = before + request_target(url, rest).encode("ascii") + after
        cached = origin, data + content if content else data
        if len(self._whole) < ENCODED_CACHE_SIZE and length <= WHOLE_BODY_MAX:
            self._whole[key] = cached
        return cached


def _split(url: str) -> tuple[str, str]:
    match = _URL.fullmatch(url)
    if match is None:
        raise BadRequest(messages.shorten(f"URL {display_url(url)!r} has no scheme and host"))
    return match.group(1), match.group(2)


def _is_latin1(text: str) -> bool:
    return all(ord(char) < 256 for char in text)
