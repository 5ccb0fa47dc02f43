"""OpenAPI 3 documents become one request per operation; the mock server's own document
imports, and the imported profile runs against the mock without an error."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from loadgui.engine import Run
from loadgui.imports import ImportInputError, ImportOptions, load_openapi, parse_openapi
from loadgui.profile import Profile

BOOKSHOP_NAMES = [
    "GET /books", "POST /books", "GET /books/{bookId}", "PUT /books/{bookId}",
    "DELETE /books/{bookId}", "PATCH /books/{bookId}", "GET /authors/{authorId}/books",
    "POST /login", "PUT /covers/{bookId}",
]
MOCK_NAMES = [
    *(f"{method} /test" for method in ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD",
                                       "PATCH")),
    "GET /ping", "POST /ping",
    *(f"{method} /echo" for method in ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD",
                                       "PATCH")),
    "PUT /_settings", "GET /health", "POST /items/", "GET /items/{item_id}",
    "PUT /items/{item_id}", "POST /solve", "POST /pong",
]
# The mock keeps items in memory: reading or replacing one that was never created is a 404
# by design, and creating one twice a 400, so a run with random ids leaves them out.
STATEFUL = {"POST /items/", "GET /items/{item_id}", "PUT /items/{item_id}"}


def test_the_mock_servers_own_document_gives_one_request_per_operation(quiet_mock):
    result = load_openapi(f"{quiet_mock.url}/openapi.json",
                          ImportOptions(base_url=quiet_mock.url))
    assert sorted(c.name for c in result.candidates) == sorted(MOCK_NAMES)
    assert sorted(r.name for r in result.profile.requests) == sorted(MOCK_NAMES)
    assert result.profile.base_urls() == [quiet_mock.url]
    assert result.warnings == []  # every operation has an operationId of its own
    requests = {r.name: r for r in result.profile.requests}
    assert (requests["POST /solve"].body, requests["POST /items/"].path,
            requests["GET /items/{item_id}"].path) == (
        '{"kind":"cpu","size":1}', "/items/?item_id={id}", "/items/{id}")


def test_the_imported_mock_profile_runs_without_errors(quiet_mock):
    chosen = [name for name in MOCK_NAMES if name not in STATEFUL]
    result = load_openapi(f"{quiet_mock.url}/openapi.json",
                          ImportOptions(base_url=quiet_mock.url, operations=chosen))
    data = result.profile.to_dict()
    data["load"]["concurrency"] = 8
    data["limits"]["total_requests"] = 400
    data["retry"]["retries"] = 0
    report = asyncio.run(asyncio.wait_for(Run(Profile.from_dict(data)).run(), 60))
    assert (report.requests, report.successes, report.failures, report.exceptions) == (
        400, 400, 0, 0)
    assert report.status_counts == {200: 400}
    assert len(result.profile.requests) == 20


def test_a_yaml_document_fills_parameters_and_bodies(data: Path) -> None:
    result = load_openapi(data / "bookshop.yaml")
    assert [c.name for c in result.candidates] == BOOKSHOP_NAMES
    requests = {r.name: r for r in result.profile.requests}
    assert [(r.path, r.headers) for r in requests.values()] == [
        ("/books?genre=fiction", {}),
        ("/books", {"Content-Type": "application/json"}),
        ("/books/{id}", {}),
        ("/books/{id}", {"Content-Type": "application/json"}),
        ("/books/{id}", {"X-Request-Id": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}),
        ("/books/{id}", {"Content-Type": "application/json"}),
        ("/authors/ada%20lovelace/books", {}),
        ("/login", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("/covers/{id}", {}),
    ]
    assert requests["PUT /books/{bookId}"].body == (
        '{"id":1,"title":"Dune","author":{"name":"Frank Herbert","born":"1920-10-08"},'
        '"pages":412,"format":"paperback"}')
    assert requests["POST /books"].body == (
        '{"title":"string","author":{"name":"string","born":"2024-01-01"},"pages":1}')
    assert requests["PATCH /books/{bookId}"].body == (
        '{"title":"string","author":{"name":"string","born":"2024-01-01"},"pages":1,"id":1,'
        '"format":"hardback"}')
    assert requests["POST /login"].body == "user=ada&password=secret"
    assert result.profile.url() == "http://127.0.0.1:8000/api/v1/test"
    assert result.profile.base_urls() == ["http://127.0.0.1:8000/api/v1"]
    assert (result.profile.keys.header, result.profile.keys.scheme) == ("X-API-Key", "")
    assert result.notes == [
        "the document names no absolute server URL: the requests go to "
        "http://127.0.0.1:8000/api/v1 (give another base URL to change it)",
        "left out TRACE /events: loadgui does not send that method",
        "the API asks for a key (security scheme 'apiKeyHeader'): the profile sends its API "
        "keys as X-API-Key: KEY; give the key to run it",
    ]
    assert result.warnings == ["PUT /covers/{bookId} takes image/png: its body is left empty"]


def test_generated_bodies_are_valid_against_their_schemas(data: Path) -> None:
    document = yaml.safe_load((data / "bookshop.yaml").read_text(encoding="utf-8"))
    requests = {r.name: r for r in load_openapi(data / "bookshop.yaml").profile.requests}
    for name, schema in (("POST /books", "NewBook"), ("PATCH /books/{bookId}", "Book")):
        validator = OAS30Validator({"$ref": f"#/components/schemas/{schema}",
                                    "components": document["components"]})
        assert list(validator.iter_errors(json.loads(requests[name].body))) == []


def test_operations_and_weights_are_chosen(data: Path) -> None:
    options = ImportOptions(operations=["getBook", "post /books"], weights={"getBook": 4})
    result = load_openapi(data / "bookshop.yaml", options)
    assert [(r.name, r.weight) for r in result.profile.requests] == [
        ("POST /books", 1.0), ("GET /books/{bookId}", 4.0)]
    assert [c.reason_left_out for c in result.candidates if not c.selected] == [
        "not among the chosen operations"] * 7


def test_a_document_from_a_url_is_relative_to_it(data: Path, file_server) -> None:
    url = file_server({"/specs/bookshop.yaml": (
        "application/yaml", (data / "bookshop.yaml").read_bytes())})
    result = load_openapi(f"{url}/specs/bookshop.yaml",
                          ImportOptions(operations=["listBooks"]))
    assert result.profile.url() == f"{url}/api/v1/books?genre=fiction"


def test_a_url_that_does_not_answer_with_a_document_is_refused(file_server) -> None:
    url = file_server({})
    with pytest.raises(ImportInputError) as caught:
        load_openapi(f"{url}/openapi.json")
    assert str(caught.value) == (f"cannot fetch the OpenAPI document {url}/openapi.json: the "
                                 f"server answered 404 Not Found")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(ImportInputError) as caught:
        load_openapi(f"http://127.0.0.1:{port}/openapi.json")
    assert str(caught.value) == (f"cannot fetch the OpenAPI document http://127.0.0.1:{port}"
                                 f"/openapi.json: [Errno 111] Connection refused")


def test_a_ref_cycle_is_refused(data: Path) -> None:
    with pytest.raises(ImportInputError) as caught:
        load_openapi(data / "ref_cycle.yaml")
    assert str(caught.value) == ("the document's $ref chain loops: #/components/schemas/Node "
                                 "→ #/components/schemas/Link → #/components/schemas/Node")


def document(schemas: dict[str, Any], **extra: Any) -> str:
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}
    return json.dumps({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/nodes": {"post": {"requestBody": body,
                                      "responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": schemas}, **extra})


def test_a_schema_that_contains_itself_optionally_imports() -> None:
    node = {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "examples": ["root"]},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}
    result = parse_openapi(document({"Node": node}))
    assert result.profile.target.body == '{"name":"root"}'


def test_a_schema_that_requires_itself_is_refused() -> None:
    node = {"type": "object", "required": ["next"],
            "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
    with pytest.raises(ImportInputError) as caught:
        parse_openapi(document({"Node": node}))
    assert str(caught.value) == ("the schema of POST /nodes requires itself "
                                 "(#/components/schemas/Node → #/components/schemas/Node): "
                                 "no finite example exists")


@pytest.mark.parametrize(("text", "message"), [
    ("[1, 2]", "not an OpenAPI document: it is not a JSON or YAML object"),
    ('{"swagger": "2.0", "info": {}}',
     "Swagger 2.0 documents are not supported: convert it to OpenAPI 3 first"),
    ("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n",
     "the OpenAPI document is not valid: 'version' is a required property (at #/info)"),
    ("openapi: 3.0.3\ninfo: [unclosed\n",
     "the OpenAPI document is not valid YAML: did not find expected ',' or ']' at line 3"),
    ('{"openapi": "3.0.3", "info": ', "the OpenAPI document is not valid JSON (is it cut "
                                     "short?): Expecting value at line 1 column 30"),
    ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx: &a [1, *a]\n",
     "the document contains itself at #/x/1 (a YAML alias inside its own anchor)"),
    ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
     "the OpenAPI document has no operation loadgui can send"),
    (document({"Node": {"$ref": "http://127.0.0.1:9/schemas.json#/Node"}}),
     "the $ref 'http://127.0.0.1:9/schemas.json#/Node' at #/components/schemas/Node points "
     "outside the document; only references inside it are supported (bundle it first)"),
    (document({"Other": {}}), "the $ref '#/components/schemas/Node' at #/paths/~1nodes/post/"
                              "requestBody/content/application~1json/schema points at nothing"),
])
def test_a_bad_document_is_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(ImportInputError) as caught:
        parse_openapi(text)
    assert str(caught.value) == message


def test_an_unknown_operation_is_refused(data: Path) -> None:
    with pytest.raises(ImportInputError) as caught:
        load_openapi(data / "bookshop.yaml", ImportOptions(operations=["nope"]))
    assert str(caught.value) == ("the document has no operation 'nope' (name one by its "
                                 "operationId or as 'METHOD /path')")
