"""A Postman collection (v2.1, and v2.0) as a request mix: folders become name prefixes,
`{{variables}}` come from the collection (or the options), auth is inherited as in Postman."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from loadgui.imports.build import finish_import, split_url, unique_name
from loadgui.imports.credentials import basic_auth_value
from loadgui.imports.errors import ImportInputError
from loadgui.imports.result import Candidate, ImportOptions, ImportResult
from loadgui.imports.sources import parse_json, read_text
from loadgui.profile import METHODS, RequestSpec

_VARIABLE = re.compile(r"\{\{([^{}]+)\}\}")
_PATH_VARIABLE = re.compile(r"(?<=/):([A-Za-z_][\w-]*)")
_RANDOM_NUMBER_VARIABLES = frozenset({"$randomInt", "$timestamp"})
FIXED_NUMBER = "1"  # a random number in a body: a run fills `{id}` in paths and headers only
_LANGUAGE_TYPES = {"json": "application/json", "xml": "application/xml",
                   "text": "text/plain", "html": "text/html",
                   "javascript": "application/javascript"}
MAX_VARIABLE_DEPTH = 10


def read_postman(path: str | Path, options: ImportOptions | None = None) -> ImportResult:
    return parse_postman(read_text(path, "Postman collection"), options)


def parse_postman(text: str, options: ImportOptions | None = None) -> ImportResult:
    options = options or ImportOptions()
    collection = parse_json(text, "Postman collection")
    _check_version(collection)
    variables = {str(v["key"]): str(v.get("value", ""))
                 for v in _list(collection.get("variable"))
                 if isinstance(v, dict) and "key" in v and not v.get("disabled")}
    reader = _Reader({**variables, **options.variables})
    reader.walk(_list(collection.get("item")), (), collection.get("auth"))
    if not reader.candidates:
        raise ImportInputError("the Postman collection holds no request")
    if reader.unknown_variables:
        reader.warnings.append(f"the collection does not define "
                               f"{', '.join(sorted(reader.unknown_variables))}: left as written")
    return finish_import("postman", reader.candidates, options, keep_auth_by_default=True,
                         warnings=reader.warnings)


def _check_version(collection: Any) -> None:
    if not isinstance(collection, dict):
        raise ImportInputError("not a Postman collection: it is not a JSON object")
    info = collection.get("info")
    schema = str(info.get("schema", "")) if isinstance(info, dict) else ""
    if ("requests" in collection and not isinstance(info, dict)) or "/v1." in schema:
        raise ImportInputError("Postman collection v1 is not supported: export it again from "
                               "Postman as Collection v2.1")
    if not isinstance(info, dict) or not isinstance(collection.get("item"), list):
        raise ImportInputError("not a Postman collection: it has no info and item list")
    if schema and not re.search(r"/v2\.[01]\.\d+/", schema):
        raise ImportInputError(f"this Postman collection format ({schema}) is not supported: "
                               f"export it as Collection v2.1")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Reader:
    def __init__(self, variables: dict[str, str]):
        self.variables = variables
        self.candidates: list[Candidate] = []
        self.warnings: list[str] = []
        self.unknown_variables: set[str] = set()
        self._names: set[str] = set()

    def walk(self, items: list[Any], folders: tuple[str, ...], auth: Any) -> None:
        for item in items:
            if not isinstance(item, dict):
                continue
            name = str(item.get("name", "request"))
            item_auth = item.get("auth") if isinstance(item.get("auth"), dict) else auth
            if isinstance(item.get("item"), list):
                self.walk(item["item"], (*folders, name), item_auth)
            elif "request" in item:
                self._add(" / ".join((*folders, name)), item["request"], item_auth)

    def _add(self, name: str, request: Any, inherited_auth: Any) -> None:
        if isinstance(request, str):
            request = {"url": request}
        if not isinstance(request, dict):
            raise ImportInputError(f"the request {name!r} is not a Postman request")
        method = self.expand(str(request.get("method", "GET"))).upper()
        if method not in METHODS:
            self.warnings.append(f"left out {name!r}: loadgui does not send {method}")
            return
        url = self._url(name, request.get("url"))
        headers = {self.expand(str(h["key"])): self.expand(str(h.get("value", "")))
                   for h in _list(request.get("header"))
                   if isinstance(h, dict) and "key" in h and not h.get("disabled")}
        body = self._body(name, request.get("body"), headers)
        auth = request.get("auth") if isinstance(request.get("auth"), dict) else inherited_auth
        self._add_auth(name, auth, headers)
        origin, path = split_url(url if "://" in url else "http://" + url)
        spec = RequestSpec(name=unique_name(name, self._names), method=method, path=path,
                           headers=headers, body=body)
        self.candidates.append(Candidate(spec, origin))

    def expand(self, text: str, *, in_body: bool = False) -> str:
        def value(match: re.Match[str]) -> str:
            return self._value(match, in_body)

        for _ in range(MAX_VARIABLE_DEPTH):
            expanded = _VARIABLE.sub(value, text)
            if expanded == text:
                break
            text = expanded
        return text

    def _value(self, match: re.Match[str], in_body: bool) -> str:
        name = match.group(1).strip()
        if name in self.variables:
            return self.variables[name]
        if name in _RANDOM_NUMBER_VARIABLES:
            return FIXED_NUMBER if in_body else "{id}"
        self.unknown_variables.add(name)
        return match.group(0)

    def _url(self, name: str, url: Any) -> str:
        if isinstance(url, dict):
            path_values = {str(v.get("key")): self.expand(str(v.get("value") or ""))
                           for v in _list(url.get("variable")) if isinstance(v, dict)}
            raw = self.expand(str(url.get("raw", "")))
        else:
            path_values, raw = {}, self.expand(str(url or ""))
        if not raw:
            raise ImportInputError(f"the request {name!r} has no URL")
        host = raw.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
        if _VARIABLE.search(host):
            raise ImportInputError(f"the URL of {name!r} ({raw}) needs a variable the "
                                   f"collection does not define: give its value")
        address, question, query = raw.partition("?")
        address = _PATH_VARIABLE.sub(lambda m: path_values.get(m.group(1)) or "{id}", address)
        return address + question + query

    def _body(self, name: str, body: Any, headers: dict[str, str]) -> str | None:
        if not isinstance(body, dict) or body.get("disabled"):
            return None
        mode = body.get("mode")
        if mode == "raw":
            text, content_type = self._raw(body)
        elif mode == "urlencoded":
            text = urlencode([(self.expand(str(p["key"]), in_body=True),
                               self.expand(str(p.get("value", "")), in_body=True))
                              for p in _list(body.get("urlencoded"))
                              if isinstance(p, dict) and "key" in p and not p.get("disabled")])
            content_type = "application/x-www-form-urlencoded"
        elif mode == "graphql":
            text, content_type = self._graphql(body.get("graphql")), "application/json"
        else:
            if mode:
                self.warnings.append(f"{name!r} sends a {mode} body, which loadgui does not "
                                     f"import: its body is left empty")
            return None
        if content_type and not any(h.lower() == "content-type" for h in headers):
            headers["Content-Type"] = content_type
        return text

    def _raw(self, body: dict[str, Any]) -> tuple[str, str | None]:
        options = body.get("options")
        raw_options = options.get("raw") if isinstance(options, dict) else None
        language = raw_options.get("language") if isinstance(raw_options, dict) else None
        text = self.expand(str(body.get("raw", "")), in_body=True)
        return text, _LANGUAGE_TYPES.get(str(language))

    def _graphql(self, graphql: Any) -> str:
        graphql = graphql if isinstance(graphql, dict) else {}
        variables: Any = self.expand(str(graphql.get("variables") or "{}"), in_body=True)
        with contextlib.suppress(json.JSONDecodeError):  # else sent as the text it is
            variables = json.loads(variables)
        return json.dumps({"query": self.expand(str(graphql.get("query", "")), in_body=True),
                           "variables": variables}, separators=(",", ":"))

    def _add_auth(self, name: str, auth: Any, headers: dict[str, str]) -> None:
        if not isinstance(auth, dict) or auth.get("type") in (None, "noauth", "inherit"):
            return
        kind = str(auth["type"])
        params = self._auth_params(auth.get(kind))
        if kind == "bearer":
            headers["Authorization"] = f"Bearer {params.get('token', '')}"
        elif kind == "basic":
            user_and_password = f"{params.get('username', '')}:{params.get('password', '')}"
            headers["Authorization"] = basic_auth_value(user_and_password)
        elif kind == "oauth2" and params.get("accessToken"):
            prefix = params.get("headerPrefix") or "Bearer"
            headers["Authorization"] = f"{prefix} {params['accessToken']}"
        elif kind == "apikey" and params.get("in", "header") == "header":
            headers[params.get("key", "X-API-Key")] = params.get("value", "")
        elif kind == "apikey":
            self.warnings.append(f"{name!r} sends its API key in the query string; loadgui "
                                 f"sends keys in a header, so it is left out")
        else:
            self.warnings.append(f"{name!r} uses {kind} auth, which loadgui does not import")

    def _auth_params(self, params: Any) -> dict[str, str]:
        """v2.1 lists {key, value} pairs; v2.0 gives an object."""
        if isinstance(params, dict):
            return {str(k): self.expand(str(v)) for k, v in params.items()}
        return {str(p["key"]): self.expand(str(p.get("value", ""))) for p in _list(params)
                if isinstance(p, dict) and "key" in p}
