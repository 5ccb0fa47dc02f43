"""A `curl` command, as Chrome, Firefox and Postman copy it, as an ImportResult."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from loadgui.imports.build import finish_import, merged_headers, split_url
from loadgui.imports.credentials import basic_auth_value
from loadgui.imports.errors import ImportInputError
from loadgui.imports.result import Candidate, ImportOptions, ImportResult
from loadgui.imports.shell_words import split_command
from loadgui.profile import METHODS, RequestSpec

# Flags that shape how curl behaves, not what it sends; loadgui's client decides those.
_IGNORED_SWITCHES = frozenset({
    "-s", "--silent", "-S", "--show-error", "-v", "--verbose", "-i", "--include", "-L",
    "--location", "--location-trusted", "-g", "--globoff", "-f", "--fail", "--fail-with-body",
    "--compressed", "-N", "--no-buffer", "--http1.1",
    "--path-as-is", "--raw", "--tlsv1.2", "--tlsv1.3", "--ssl-no-revoke", "-#",
    "--progress-bar", "--no-progress-meter", "--tcp-nodelay", "--no-keepalive",
})
# Flags that say how the request travels: carried into the target (the httpx client's).
_TRANSPORT_SWITCHES = {"-k": ("verify_tls", False), "--insecure": ("verify_tls", False),
                       "--http2": ("http2", True), "--http2-prior-knowledge": ("http2", True)}
_TRANSPORT_VALUES = {"-x": "proxy", "--proxy": "proxy", "-E": "client_cert",
                     "--cert": "client_cert", "--key": "client_key"}
_IGNORED_WITH_VALUE = frozenset({
    "-o", "--output", "-w", "--write-out", "--connect-timeout", "--retry", "--retry-delay",
    "--retry-max-time", "--max-redirs", "-c", "--cookie-jar", "-D", "--dump-header",
    "--trace", "--trace-ascii", "--stderr",
})
_DATA_FLAGS = {"-d": "data", "--data": "data", "--data-ascii": "data", "--data-raw": "raw",
               "--data-binary": "binary", "--data-urlencode": "urlencode", "--json": "json"}
_VALUE_FLAGS = frozenset({"-X", "--request", "-H", "--header", "-u", "--user", "-b",
                          "--cookie", "-A", "--user-agent", "-e", "--referer", "-m",
                          "--max-time", "--url", "--oauth2-bearer", *_DATA_FLAGS,
                          *_IGNORED_WITH_VALUE, *_TRANSPORT_VALUES})
_SWITCHES = frozenset({"-G", "--get", "-I", "--head", *_IGNORED_SWITCHES,
                       *_TRANSPORT_SWITCHES})
_UNSUPPORTED = {
    "-F": "multipart form uploads", "--form": "multipart form uploads",
    "--form-string": "multipart form uploads", "-T": "file uploads",
    "--upload-file": "file uploads",
    "-K": "config files", "--config": "config files", "--next": "several requests",
    "--unix-socket": "Unix sockets", "-r": "byte ranges", "--range": "byte ranges",
}
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"  # what curl sends with -d


@dataclass
class _Command:
    urls: list[str] = field(default_factory=list)
    method: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    json_body: bool = False
    data_to_query: bool = False  # -G
    head: bool = False
    timeout: float | None = None
    notes: list[str] = field(default_factory=list)
    transport: dict[str, object] = field(default_factory=dict)  # Target fields


def parse_curl(command: str, options: ImportOptions | None = None) -> ImportResult:
    """The request a curl command sends. Raises ImportInputError naming what is wrong."""
    options = options or ImportOptions()
    if '^"' in command:
        raise ImportInputError("this is a Windows cmd command (Copy as cURL (cmd)): copy the "
                               "request as cURL (bash) instead")
    words = split_command(command)
    if not words:
        raise ImportInputError("the cURL command is empty")
    program = words[0].rsplit("/", 1)[-1].lower()
    if program not in ("curl", "curl.exe"):
        raise ImportInputError(f"not a cURL command: it starts with {words[0]!r}, not curl")
    parsed = _read_words(words[1:])
    candidate = _candidate(parsed)
    return finish_import("curl", [candidate], options, keep_auth_by_default=True,
                         notes=parsed.notes, timeout=parsed.timeout or 10.0,
                         transport=parsed.transport)


def _read_words(words: list[str]) -> _Command:
    parsed = _Command()
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if not word.startswith("-") or word == "-":
            parsed.urls.append(word)
            continue
        for flag, attached in _flags_in(word):
            if flag in _UNSUPPORTED:
                raise ImportInputError(f"unsupported cURL flag {flag}: loadgui does not "
                                       f"import {_UNSUPPORTED[flag]}")
            if flag in _SWITCHES:
                _switch(parsed, flag)
            elif flag in _VALUE_FLAGS:
                if attached is None:
                    if i == len(words):
                        raise ImportInputError(f"the cURL flag {flag} needs a value")
                    attached, i = words[i], i + 1
                _option(parsed, flag, attached)
            else:
                raise ImportInputError(f"unsupported cURL flag {flag}")
    return parsed


def _flags_in(word: str) -> list[tuple[str, str | None]]:
    """The flags of one word: `--long`, `-X`, `-XPOST` (value attached), `-sSL` (bundled)."""
    if word.startswith("--"):
        return [(word, None)]
    flags: list[tuple[str, str | None]] = []
    for position, letter in enumerate(word[1:], start=2):
        flag = "-" + letter
        if flag in _VALUE_FLAGS and position < len(word):
            return [*flags, (flag, word[position:])]
        flags.append((flag, None))
    return flags


def _switch(parsed: _Command, flag: str) -> None:
    if flag in ("-G", "--get"):
        parsed.data_to_query = True
    elif flag in ("-I", "--head"):
        parsed.head = True
    elif flag in _TRANSPORT_SWITCHES:
        name, value = _TRANSPORT_SWITCHES[flag]
        parsed.transport[name] = value


def _option(parsed: _Command, flag: str, value: str) -> None:
    if flag in ("-X", "--request"):
        parsed.method = value.upper()
    elif flag in ("-H", "--header"):
        _add_header(parsed, value)
    elif flag in _DATA_FLAGS:
        parsed.data.append(_data_value(_DATA_FLAGS[flag], flag, value))
        parsed.json_body = parsed.json_body or flag == "--json"
    elif flag in ("-u", "--user"):
        if ":" not in value:
            raise ImportInputError(f"{flag} needs user:password (curl would ask for the "
                                   f"password)")
        parsed.headers.append(("Authorization", basic_auth_value(value)))
    elif flag == "--oauth2-bearer":
        parsed.headers.append(("Authorization", f"Bearer {value}"))
    elif flag in ("-b", "--cookie"):
        if "=" not in value:
            raise ImportInputError(f"unsupported cURL flag {flag} with a file name: paste "
                                   f"the cookies as name=value")
        parsed.headers.append(("Cookie", value))
    elif flag in ("-A", "--user-agent"):
        parsed.headers.append(("User-Agent", value))
    elif flag in ("-e", "--referer"):
        parsed.headers.append(("Referer", value.removesuffix(";auto")))
    elif flag in ("-m", "--max-time"):
        try:
            parsed.timeout = float(value)
        except ValueError:
            raise ImportInputError(f"{flag} needs a number of seconds, got {value!r}") from None
    elif flag == "--url":
        parsed.urls.append(value)
    elif flag in _TRANSPORT_VALUES:
        parsed.transport[_TRANSPORT_VALUES[flag]] = value


def _add_header(parsed: _Command, line: str) -> None:
    if line.startswith("@"):
        raise ImportInputError("unsupported cURL header @FILE: paste the headers themselves")
    name, sep, value = line.partition(":")
    if not sep:
        if not line.endswith(";"):  # curl's `Name;` sends an empty header
            raise ImportInputError(f"the header {line!r} must look like 'Name: value'")
        name, value = line[:-1], ""
    elif not value.strip():
        return  # curl's `Name:` removes a header curl would add; loadgui adds none
    parsed.headers.append((name.strip(), value.strip()))


def _data_value(kind: str, flag: str, value: str) -> str:
    if kind in ("data", "binary", "json") and value.startswith("@"):
        raise ImportInputError(f"{flag} @FILE reads a file: paste the body itself "
                               f"(e.g. with --data-raw)")
    if kind != "urlencode":
        return value
    name, sep, content = value.partition("=")
    if "@" in name and not sep:
        raise ImportInputError(f"{flag} with @FILE reads a file: paste the value itself")
    return f"{name}={quote(content, safe='')}" if sep and name else quote(
        content if sep else value, safe="")


def _candidate(parsed: _Command) -> Candidate:
    if not parsed.urls:
        raise ImportInputError("the cURL command has no URL")
    if len(parsed.urls) > 1:
        raise ImportInputError(f"the cURL command has {len(parsed.urls)} URLs; import one "
                               f"request at a time")
    url = parsed.urls[0]
    if "://" not in url:
        url = "http://" + url  # what curl assumes
    headers = parsed.headers
    user = urlsplit(url).username
    if user is not None and not any(n.lower() == "authorization" for n, _ in headers):
        password = unquote(urlsplit(url).password or "")
        headers = [*headers, ("Authorization", basic_auth_value(f"{unquote(user)}:{password}"))]
    body = ("" if parsed.json_body else "&").join(parsed.data) if parsed.data else None
    if body is not None and parsed.data_to_query:
        url += ("&" if urlsplit(url).query else "?") + body
        body = None
    origin, path = split_url(url)
    method = parsed.method or ("HEAD" if parsed.head else "POST" if body is not None else "GET")
    if method not in METHODS:
        raise ImportInputError(f"the method {method} is not one loadgui sends "
                               f"({', '.join(METHODS)})")
    header_map = merged_headers(headers)
    if body is not None:
        _add_body_headers(header_map, parsed.json_body)
    request = RequestSpec(name=f"{method} {path}", method=method, path=path,
                          headers=header_map, body=body)
    return Candidate(request, origin)


def _add_body_headers(headers: dict[str, str], json_body: bool) -> None:
    present = {name.lower() for name in headers}
    if "content-type" not in present:
        headers["Content-Type"] = "application/json" if json_body else FORM_CONTENT_TYPE
    if json_body and "accept" not in present:
        headers["Accept"] = "application/json"
