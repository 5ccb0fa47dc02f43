"""A HAR file (DevTools' "Save all as HAR") as a weighted request mix: one request per
distinct method and URL, weighted by how often it was sent."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar
from urllib.parse import urlencode, urlsplit

import msgspec

from loadgui.imports.build import finish_import, merged_headers, split_url, unique_name
from loadgui.imports.errors import ImportInputError
from loadgui.imports.result import Candidate, ImportOptions, ImportResult
from loadgui.imports.sources import read_bytes
from loadgui.profile import METHODS, RequestSpec

STATIC_RESOURCE_TYPES = frozenset({"image", "font", "stylesheet", "script", "media",
                                   "manifest"})
STATIC_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".woff",
    ".woff2", ".ttf", ".otf", ".eot", ".css", ".js", ".mjs", ".map", ".mp4", ".webm",
    ".mp3",
})
STATIC_MIME_PREFIXES = ("image/", "font/", "text/css", "text/javascript",
                        "application/javascript", "application/x-javascript", "video/",
                        "audio/", "application/font-", "application/vnd.ms-fontobject")
# Headers the client sets from the URL and the body (HTTP/2's pseudo-headers are left too).
_CLIENT_HEADERS = frozenset({"host", "content-length", "connection", "keep-alive",
                             "transfer-encoding", "upgrade", "te"})
_BOM = b"\xef\xbb\xbf"
_T = TypeVar("_T")


# The parts of HAR 1.2 an import reads. msgspec skips the rest without building it, and each
# entry's request is decoded in full only the first time its method and URL appear: what
# keeps a HAR of 100,000 entries under a second.
class _NameValue(msgspec.Struct):
    name: str
    value: str = ""


class _PostData(msgspec.Struct):
    mimeType: str = ""
    text: str | None = None
    params: list[_NameValue] = msgspec.field(default_factory=list)


class _RequestKey(msgspec.Struct):
    method: str
    url: str


class _Request(_RequestKey):
    headers: list[_NameValue] = msgspec.field(default_factory=list)
    cookies: list[_NameValue] = msgspec.field(default_factory=list)
    postData: _PostData | None = None


class _Content(msgspec.Struct):
    mimeType: str = ""


class _Response(msgspec.Struct):
    content: _Content | None = None


class _Entry(msgspec.Struct, gc=False):
    request: msgspec.Raw
    response: msgspec.Raw = msgspec.Raw()  # empty when the entry has none
    resource_type: str | None = msgspec.field(default=None, name="_resourceType")


class _Log(msgspec.Struct, gc=False):
    entries: list[_Entry]


class _Har(msgspec.Struct, gc=False):
    log: _Log


_HAR = msgspec.json.Decoder(_Har)
_REQUEST_KEY = msgspec.json.Decoder(_RequestKey)
_REQUEST = msgspec.json.Decoder(_Request)
_RESPONSE = msgspec.json.Decoder(_Response | None)


def read_har(path: str | Path, options: ImportOptions | None = None) -> ImportResult:
    return parse_har(read_bytes(path, "HAR file"), options)


def parse_har(data: bytes | str, options: ImportOptions | None = None) -> ImportResult:
    """Raises ImportInputError for a file that is not a complete HAR."""
    options = options or ImportOptions()
    entries = _entries(data)
    by_request: dict[tuple[str, str], Candidate] = {}
    skipped_schemes = skipped_methods = 0
    used_names: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        key = _decoded(_REQUEST_KEY, entry.request, number)
        method, url = key.method.upper(), key.url.partition("#")[0]
        seen = by_request.get((method, url))
        if seen is not None:
            seen.count += 1
            seen.request.weight = float(seen.count)
            continue
        if not url.lower().startswith(("http://", "https://")):
            skipped_schemes += 1
            continue
        if method not in METHODS:
            skipped_methods += 1
            continue
        candidate = _candidate(method, url, entry, number, used_names)
        candidate.selected = options.include_static or not candidate.reason_left_out
        by_request[(method, url)] = candidate
    candidates = list(by_request.values())
    static = [c for c in candidates if c.reason_left_out]
    if not candidates:
        raise ImportInputError("the HAR file holds no http:// or https:// request")
    if not any(c.selected for c in candidates):
        raise ImportInputError(f"the HAR file holds only static assets ({len(static)}: "
                               f"images, fonts, stylesheets, scripts); include them to "
                               f"import them")
    notes = [f"{_count(len(entries), 'entry', 'entries')} became "
             f"{_count(len(candidates), 'distinct request', 'distinct requests')}, weighted "
             f"by how often each was sent"]
    if static and not options.include_static:
        notes.append(f"left out {_count(len(static), 'static asset', 'static assets')} "
                     f"(images, fonts, stylesheets, scripts)")
    if skipped_schemes:
        notes.append(f"left out {_count(skipped_schemes, 'entry', 'entries')} that "
                     f"{'is' if skipped_schemes == 1 else 'are'} not http(s)")
    if skipped_methods:
        notes.append(f"left out {_count(skipped_methods, 'entry', 'entries')} with a method "
                     f"loadgui does not send")
    return finish_import("har", candidates, options, keep_auth_by_default=False, notes=notes)


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _entries(data: bytes | str) -> list[_Entry]:
    try:
        without_bom = data.removeprefix(_BOM) if isinstance(data, bytes) else \
            data.removeprefix("\ufeff")
        return _HAR.decode(without_bom).log.entries
    except msgspec.ValidationError as exc:
        raise ImportInputError(f"not a HAR file: {exc}") from None
    except msgspec.DecodeError as exc:
        cut_short = "truncated" in str(exc)
        raise ImportInputError("the HAR file is cut short: it ends before its JSON does"
                               if cut_short else f"the HAR file is not valid JSON: {exc}"
                               ) from None


def _decoded(decoder: msgspec.json.Decoder[_T], raw: msgspec.Raw, number: int) -> _T:
    try:
        return decoder.decode(raw)
    except msgspec.ValidationError as exc:
        where = str(exc).replace("`$.", "`request.").replace("`$`", "the request")
        raise ImportInputError(f"HAR entry {number} is damaged: {where}") from None


def _candidate(method: str, url: str, entry: _Entry, number: int,
               used_names: set[str]) -> Candidate:
    request = _decoded(_REQUEST, entry.request, number)
    origin, path = split_url(url)
    headers = _headers(request)
    body = _body(request.postData, headers)
    spec = RequestSpec(name=unique_name(f"{method} {path}", used_names), method=method,
                       path=path, headers=headers, body=body)
    left_out = "static asset" if _is_static(url, entry, number) else ""
    return Candidate(spec, origin, reason_left_out=left_out)


def _headers(request: _Request) -> dict[str, str]:
    headers = merged_headers(((h.name, h.value) for h in request.headers), _CLIENT_HEADERS)
    if request.cookies and not any(name.lower() == "cookie" for name in headers):
        headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in request.cookies)
    return headers


def _body(post_data: _PostData | None, headers: dict[str, str]) -> str | None:
    if post_data is None:
        return None
    text = post_data.text
    if text is None:
        if not post_data.params:
            return None
        text = urlencode([(p.name, p.value) for p in post_data.params])
    if post_data.mimeType and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = post_data.mimeType
    return text


def _is_static(url: str, entry: _Entry, number: int) -> bool:
    if entry.resource_type and entry.resource_type.lower() in STATIC_RESOURCE_TYPES:
        return True
    response = _decoded(_RESPONSE, entry.response, number) if entry.response else None
    mime_type = response.content.mimeType.lower() if response and response.content else ""
    if mime_type.startswith(STATIC_MIME_PREFIXES):
        return True
    path = urlsplit(url).path.lower()
    return path[path.rfind("."):] in STATIC_EXTENSIONS if "." in path else False
