"""An OpenAPI 3 document (JSON or YAML, from a file or a URL) as a request mix: one request
per operation, with example bodies and path parameters filled from examples or `{id}`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from loadgui.imports.build import finish_import
from loadgui.imports.errors import ImportInputError
from loadgui.imports.openapi_document import read_document, resolve
from loadgui.imports.result import Candidate, ImportOptions, ImportResult
from loadgui.imports.schema_examples import example_value, given_example
from loadgui.imports.sources import fetch_text, read_text
from loadgui.profile import DEFAULT_BASE_URL, METHODS, RequestSpec

PATH_ITEM_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ID_PLACEHOLDER = "{id}"  # what a run replaces with a random number
NOT_CHOSEN = "not among the chosen operations"
_GIVEN_IN_SCHEMA = ("example", "const", "default")


def load_openapi(location: str | Path, options: ImportOptions | None = None) -> ImportResult:
    """From a file, or from an http(s) URL such as a service's /openapi.json."""
    where = str(location)
    if where.lower().startswith(("http://", "https://")):
        return parse_openapi(fetch_text(where, "OpenAPI document"), options, source_url=where)
    return parse_openapi(read_text(location, "OpenAPI document"), options)


def parse_openapi(text: str, options: ImportOptions | None = None, *,
                  source_url: str | None = None) -> ImportResult:
    """`source_url`: where the document came from; a relative server URL is relative to it."""
    options = options or ImportOptions()
    document, warnings = read_document(text)
    base_url, notes = _base_url(document, source_url, options.base_url)
    candidates: list[Candidate] = []
    left_out: list[str] = []
    paths = document.get("paths")
    for template, item in (paths.items() if isinstance(paths, dict) else []):
        item = resolve(document, item)
        if not isinstance(item, dict):
            continue
        for method in PATH_ITEM_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            if method.upper() not in METHODS:
                left_out.append(f"{method.upper()} {template}")
                continue
            parameters = _parameters(document, item, operation)
            candidates.append(_candidate(document, method.upper(), template, operation,
                                         parameters, base_url, warnings))
    if not candidates:
        raise ImportInputError("the OpenAPI document has no operation loadgui can send")
    if left_out:
        notes.append(f"left out {', '.join(left_out)}: loadgui does not send that method")
    _choose(candidates, options.operations)
    key_slot = _key_slot(document, notes)
    return finish_import("openapi", candidates, dataclasses.replace(options, base_url=None),
                         keep_auth_by_default=True, notes=notes, warnings=warnings,
                         key_slot=key_slot)


def _base_url(document: dict[str, Any], source_url: str | None,
              given: str | None) -> tuple[str, list[str]]:
    servers = document.get("servers")
    server = servers[0] if isinstance(servers, list) and servers else {}
    url = str(server.get("url", "/")) if isinstance(server, dict) else "/"
    variables = server.get("variables") if isinstance(server, dict) else None
    for name, variable in (variables.items() if isinstance(variables, dict) else []):
        if isinstance(variable, dict) and "default" in variable:
            url = url.replace("{" + str(name) + "}", str(variable["default"]))
    absolute = urlsplit(url).scheme in ("http", "https")
    if absolute and not given:
        return url.rstrip("/"), []
    if given and absolute:
        return given.rstrip("/"), []
    anchor = given or source_url or DEFAULT_BASE_URL
    parts = urlsplit(urljoin(anchor, url))
    base = f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")
    notes = [] if given or source_url else [
        f"the document names no absolute server URL: the requests go to {base} (give "
        f"another base URL to change it)"]
    return base, notes


def _parameters(document: dict[str, Any], item: dict[str, Any],
                operation: dict[str, Any]) -> list[dict[str, Any]]:
    """The path item's parameters overridden by the operation's, by name and place."""
    merged: dict[tuple[Any, Any], dict[str, Any]] = {}
    for source in (item.get("parameters"), operation.get("parameters")):
        for parameter in source if isinstance(source, list) else []:
            parameter = resolve(document, parameter)
            if isinstance(parameter, dict):
                merged[(parameter.get("name"), parameter.get("in"))] = parameter
    return list(merged.values())


def _candidate(document: dict[str, Any], method: str, template: str,
               operation: dict[str, Any], parameters: list[dict[str, Any]], base_url: str,
               warnings: list[str]) -> Candidate:
    name = f"{method} {template}"
    path, query, headers = template, [], {}
    for parameter in parameters:
        place, key = parameter.get("in"), str(parameter.get("name"))
        if place == "path":
            path = path.replace("{" + key + "}", _parameter_text(document, parameter))
        elif place == "query" and parameter.get("required") is True:
            query.append(f"{quote(key, safe='')}={_parameter_text(document, parameter)}")
        elif place == "header" and parameter.get("required") is True:
            headers[key] = _parameter_text(document, parameter, encode=False)
    if query:
        path += "?" + "&".join(query)
    body, media_type = _body(document, operation, name, warnings)
    if media_type and "*" not in media_type:
        headers["Content-Type"] = media_type
    spec = RequestSpec(name=name, method=method, path=path, headers=headers, body=body)
    operation_id = operation.get("operationId")
    return Candidate(spec, base_url,
                     operation_id=operation_id if isinstance(operation_id, str) else None)


def _parameter_text(document: dict[str, Any], parameter: dict[str, Any], *,
                    encode: bool = True) -> str:
    """The parameter's example, or `{id}`, which each request fills with a random number."""
    found, value = given_example(parameter, document)
    schema = resolve(document, parameter.get("schema"))
    if not found and isinstance(schema, dict):
        found, value = next(((True, schema[k]) for k in _GIVEN_IN_SCHEMA if k in schema),
                            (False, None))
        for keyword in ("examples", "enum"):
            if not found and isinstance(schema.get(keyword), list) and schema[keyword]:
                found, value = True, schema[keyword][0]
    if not found:
        return ID_PLACEHOLDER
    text = _as_text(value)
    return quote(text, safe="") if encode else text


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _body(document: dict[str, Any], operation: dict[str, Any], name: str,
          warnings: list[str]) -> tuple[str | None, str | None]:
    request_body = resolve(document, operation.get("requestBody"))
    content = request_body.get("content") if isinstance(request_body, dict) else None
    if not isinstance(content, dict) or not content:
        return None, None
    media_type = _preferred_media_type(list(content))
    media = resolve(document, content[media_type])
    media = media if isinstance(media, dict) else {}
    found, value = given_example(media, document)
    if not found:
        value = example_value(media.get("schema", {}), document, name)
    kind = media_type.split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json") or kind == "*/*":
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False), media_type
    if kind == "application/x-www-form-urlencoded" and isinstance(value, dict):
        return urlencode({k: _as_text(v) for k, v in value.items()}), media_type
    if kind.startswith("text/"):
        return _as_text(value), media_type
    warnings.append(f"{name} takes {media_type}: its body is left empty")
    return None, None


def _preferred_media_type(media_types: list[str]) -> str:
    def rank(media_type: str) -> int:
        kind = media_type.split(";")[0].strip().lower()
        if kind == "application/json" or kind.endswith("+json"):
            return 0
        if kind == "application/x-www-form-urlencoded":
            return 1
        return 2 if kind.startswith("text/") else 3

    return min(media_types, key=rank)


def _names(candidate: Candidate, name: str) -> bool:
    """`name` is the operation's operationId, or its `METHOD /path` (any case of METHOD)."""
    method, _, path = name.strip().partition(" ")
    return name in (candidate.operation_id, candidate.name) or \
        f"{method.upper()} {path.strip()}" == candidate.name


def _choose(candidates: list[Candidate], wanted: list[str]) -> None:
    """Select the operations named by operationId or `METHOD /path`; all when none are."""
    if not wanted:
        return
    for name in wanted:
        if not any(_names(c, name) for c in candidates):
            raise ImportInputError(f"the document has no operation {name!r} (name one by "
                                   f"its operationId or as 'METHOD /path')")
    for candidate in candidates:
        candidate.selected = any(_names(candidate, name) for name in wanted)
        candidate.reason_left_out = "" if candidate.selected else NOT_CHOSEN


def _key_slot(document: dict[str, Any], notes: list[str]) -> tuple[str, str] | None:
    """The header and scheme the API wants its key in, from its first usable security
    scheme; the document never holds the key itself."""
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return None
    for scheme_name, scheme in schemes.items():
        scheme = resolve(document, scheme)
        if not isinstance(scheme, dict):
            continue
        kind, http_scheme = scheme.get("type"), str(scheme.get("scheme", "")).lower()
        slot = None
        if kind == "http" and http_scheme in ("bearer", "basic"):
            slot = ("Authorization", http_scheme.capitalize())
        elif kind in ("oauth2", "openIdConnect"):
            slot = ("Authorization", "Bearer")
        elif kind == "apiKey" and scheme.get("in") == "header" and scheme.get("name"):
            slot = (str(scheme["name"]), "")
        if slot:
            sent_as = f"{slot[0]}: {slot[1]} KEY" if slot[1] else f"{slot[0]}: KEY"
            notes.append(f"the API asks for a key (security scheme {scheme_name!r}): the "
                         f"profile sends its API keys as {sent_as}; give the key to run it")
            return slot
    return None
