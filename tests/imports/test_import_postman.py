"""A Postman collection v2.1 becomes a request mix named after its folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loadgui.imports import ImportInputError, ImportOptions, parse_postman, read_postman

TOKEN = "shp_4c3b2a1f0e9d8c7b6a5f"


def test_folders_become_name_prefixes_and_variables_are_filled(data: Path) -> None:
    result = read_postman(data / "shop_collection_v21.json")
    mix = [(r.name, r.method, r.path, r.headers, r.body) for r in result.profile.requests]
    assert mix == [
        ("Users / List users", "GET", "/api/users?page=1&size=50",
         {"Accept": "application/json"}, None),
        ("Users / Get user", "GET", "/api/users/7", {}, None),
        ("Users / Create user", "POST", "/api/users", {"Content-Type": "application/json"},
         '{\n  "name": "Ada",\n  "seq": 1\n}'),
        ("Users / Delete user", "DELETE", "/api/users/{id}", {}, None),
        ("Admin / Reports / Export", "POST", "/api/admin/reports/export",
         {"Content-Type": "application/x-www-form-urlencoded"},
         "format=csv&range=last+7+days"),
        ("Health", "GET", "/api/health", {}, None),
        ("Search (GraphQL)", "POST", "/api/graphql", {"Content-Type": "application/json"},
         '{"query":"query { users { id } }","variables":{"first":5}}'),
    ]
    assert result.profile.base_urls() == ["https://shop.example.com"]
    assert (result.warnings, result.notes) == ([], [])


def test_collection_auth_becomes_the_api_key_and_other_keys_are_listed(data: Path) -> None:
    result = read_postman(data / "shop_collection_v21.json")
    listed = [(c.kind, c.header, c.secret, c.found_in) for c in result.credentials]
    assert listed == [
        ("bearer", "Authorization", TOKEN,
         ["Users / List users", "Users / Get user", "Users / Create user",
          "Users / Delete user", "Search (GraphQL)"]),
        ("api_key", "X-Admin-Key", "adm_0f1e2d3c4b5a6978", ["Admin / Reports / Export"]),
    ]
    assert (result.profile.keys.header, result.profile.keys.scheme) == ("Authorization",
                                                                        "Bearer")
    assert result.kept_api_keys() == [TOKEN]
    assert TOKEN not in result.profile.to_json()


def test_given_variables_win_over_the_collections(data: Path) -> None:
    options = ImportOptions(variables={"baseUrl": "http://127.0.0.1:8000", "pageSize": "5"})
    result = read_postman(data / "shop_collection_v21.json", options)
    assert result.profile.base_urls() == ["http://127.0.0.1:8000"]
    assert result.profile.requests[0].path == "/users?page=1&size=5"


def test_a_v1_collection_is_refused(data: Path) -> None:
    with pytest.raises(ImportInputError) as caught:
        read_postman(data / "shop_collection_v1.json")
    assert str(caught.value) == ("Postman collection v1 is not supported: export it again "
                                 "from Postman as Collection v2.1")


def collection(*items: dict[str, object], **extra: object) -> str:
    return json.dumps({"info": {"name": "c", "schema": "https://schema.getpostman.com/json/"
                                                       "collection/v2.1.0/collection.json"},
                       "item": list(items), **extra})


@pytest.mark.parametrize(("text", "message"), [
    ("[]", "not a Postman collection: it is not a JSON object"),
    ('{"info": {"name": "x"}}', "not a Postman collection: it has no info and item list"),
    (json.dumps({"info": {"schema": "https://schema.getpostman.com/json/collection/v3.0.0/"
                                    "collection.json"}, "item": []}),
     "this Postman collection format (https://schema.getpostman.com/json/collection/v3.0.0/"
     "collection.json) is not supported: export it as Collection v2.1"),
    (collection(), "the Postman collection holds no request"),
    (collection({"name": "a", "request": {"method": "GET", "url": "{{host}}/a"}}),
     "the URL of 'a' ({{host}}/a) needs a variable the collection does not define: give its "
     "value"),
    (collection({"name": "a", "request": {"method": "GET"}}), "the request 'a' has no URL"),
    ('{"info": ', "the Postman collection is not valid JSON (is it cut short?): Expecting "
                 "value at line 1 column 10"),
])
def test_a_bad_collection_is_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(ImportInputError) as caught:
        parse_postman(text)
    assert str(caught.value) == message


def test_unknown_variables_in_a_path_are_left_and_told() -> None:
    result = parse_postman(collection(
        {"name": "a", "request": {"method": "GET", "url": "http://h.example/{{tenant}}/a"}}))
    assert result.profile.url() == "http://h.example/{{tenant}}/a"
    assert result.warnings == ["the collection does not define tenant: left as written"]
