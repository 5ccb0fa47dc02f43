"""RunChecks on responses built as Outcomes: which checks fail, the mask and the message."""

import random

import jmespath
import msgspec
import pytest

from loadgui.engine.http.seam import Outcome
from loadgui.engine.load.check_json import json_equal, path_search
from loadgui.engine.load.checks import RunChecks, check_names
from loadgui.profile import Profile

BODY = b'{"data": {"id": 7, "tags": ["a", "b"], "ok": true, "ratio": 1.0}, "items": [1, 2]}'


def checks_of(*checks: dict, keys: list[str] | None = None) -> RunChecks:
    data: dict = {"target": {"checks": list(checks)}}
    if keys:
        data["keys"] = {"keys": keys}
    return RunChecks(Profile.from_dict(data))


def answer(status: int = 200, body: bytes | None = BODY,
           headers: dict[str, str] | None = None) -> Outcome:
    return Outcome(status, len(body or b""), body=body,
                   headers={"content-type": "application/json", "x-instance": "3"}
                   if headers is None else headers)


def test_no_checks_means_nothing_active_nothing_captured():
    checks = RunChecks(Profile.from_dict({}))
    assert not checks.active and not checks.capture(0)
    assert check_names(Profile.from_dict({})) == {}


def test_capture_only_for_requests_whose_checks_read_the_response():
    profile = Profile.from_dict({"requests": [
        {"name": "status only", "path": "/a", "checks": [{"status": "2xx"},
                                                          {"max_latency_ms": 50}]},
        {"name": "none", "path": "/b"},
        {"name": "body", "path": "/c", "checks": [{"body_contains": "ok"}]},
        {"name": "header", "path": "/d", "checks": [{"header": "X-A"}]}]})
    checks = RunChecks(profile)
    assert checks.active
    assert [checks.capture(i) for i in range(4)] == [False, False, True, True]
    assert check_names(profile) == {"status only": ["status 2xx", "latency <= 50 ms"],
                                    "none": [], "body": ['body contains "ok"'],
                                    "header": ["header X-A present"]}
    assert checks.evaluate(1, answer(), 0.01) == (0, "")


@pytest.mark.parametrize(("check", "outcome", "latency", "message"), [
    ({"status": "2xx"}, answer(503), 0.0, "status 503 is not 2xx"),
    ({"status": "200,201"}, answer(204), 0.0, "status 204 is not 200,201"),
    ({"max_latency_ms": 100}, answer(), 0.1001, "latency over 100 ms"),
    ({"body_contains": '"missing"'}, answer(), 0.0, 'body does not contain "\\"missing\\""'),
    ({"body_matches": r'"id":\s*8'}, answer(), 0.0, 'body does not match /"id":\\s*8/'),
    ({"json_path": "data.name"}, answer(), 0.0, "json data.name is null"),
    ({"json_path": "items[5]"}, answer(), 0.0, "json items[5] is null"),
    ({"json_path": "data.id", "json_equals": 8}, answer(), 0.0, "json data.id is 7, not 8"),
    ({"json_path": "data.ok", "json_equals": 1}, answer(), 0.0, "json data.ok is true, not 1"),
    ({"json_path": "data.id"}, answer(body=b"<html>"), 0.0, "the body is not JSON"),
    ({"json_path": "data.id"}, answer(body=None), 0.0, "no body was kept to check"),
    ({"header": "X-Missing"}, answer(), 0.0, "header X-Missing is missing"),
    ({"header": "X-Instance", "header_equals": "4"}, answer(), 0.0,
     'header X-Instance is "3", not "4"'),
    ({"header": "X-Instance"}, Outcome(200, 0), 0.0, "no headers were kept to check"),
])
def test_a_failing_check_sets_its_bit_and_names_itself(check, outcome, latency, message):
    checks = checks_of({"name": "ok", "status": "100-599"}, {"name": "mine", **check})
    assert checks.evaluate(0, outcome, latency) == (0b10, f'check "mine" failed: {message}')


@pytest.mark.parametrize("check", [
    {"status": "2xx"}, {"status": "200"}, {"max_latency_ms": 100},
    {"body_contains": '"tags"'}, {"body_matches": r'"id":\s*7'},
    {"json_path": "data.id"}, {"json_path": "data.id", "json_equals": 7},
    {"json_path": "data.id", "json_equals": 7.0}, {"json_path": "data.ratio", "json_equals": 1},
    {"json_path": "data.tags", "json_equals": ["a", "b"]},
    {"json_path": "items[-1]", "json_equals": 2}, {"json_path": "length(items)", "json_equals": 2},
    {"json_path": "data.ok", "json_equals": True}, {"header": "X-Instance"},
    {"header": "x-instance", "header_equals": "3"},
])
def test_a_passing_check_sets_no_bit(check):
    assert checks_of(check).evaluate(0, answer(), 0.1) == (0, "")


def test_every_failed_check_is_in_the_mask_and_the_message_names_the_first():
    checks = checks_of({"status": "2xx"}, {"max_latency_ms": 5}, {"json_path": "data.id"},
                       {"header": "X-Nope"})
    mask, message = checks.evaluate(0, answer(500), 0.5)
    assert mask == 0b1011
    assert message == 'check "status 2xx" failed: status 500 is not 2xx (and 2 more)'


def test_quoted_values_are_capped_and_never_carry_an_api_key():
    key = "sk-test-0123456789abcdef"
    checks = checks_of({"name": "echo", "json_path": "headers", "json_equals": []}, keys=[key])
    body = msgspec.json.encode({"headers": [["authorization", f"Bearer {key}"]]})
    mask, message = checks.evaluate(0, answer(body=body), 0.0)
    assert mask == 1 and key not in message and "[API key]" in message
    long = msgspec.json.encode({"headers": "y" * 500})
    _, message = checks.evaluate(0, answer(body=long), 0.0)
    assert len(message) < 200 and message.endswith('…, not []')


def test_a_check_of_a_mix_request_reads_its_own_checks():
    profile = Profile.from_dict({"requests": [
        {"name": "a", "path": "/a", "checks": [{"status": "200"}]},
        {"name": "b", "path": "/b", "checks": [{"status": "404"}, {"status": "4xx"}]}]})
    checks = RunChecks(profile)
    assert checks.evaluate(0, answer(404), 0)[0] == 1
    assert checks.evaluate(1, answer(404), 0) == (0, "")
    assert checks.evaluate(1, answer(200), 0)[0] == 0b11


@pytest.mark.parametrize("path", ["data.id", "data", "data.tags", "items", "nope.deeper",
                                  "data.id.x", '"data"."id"', "items.x"])
def test_the_plain_path_shortcut_answers_as_jmespath_does(path):
    rng = random.Random(5)
    documents = [msgspec.json.decode(BODY), [], 3, None, {"data": [1]}, {"data": "s"},
                 {"items": {"x": rng.random()}}, {"data": {"id": None}}]
    expression = jmespath.compile(path)
    search = path_search(expression)
    assert search is not expression.search  # the shortcut is taken for these
    for document in documents:
        assert search(document) == expression.search(document)


def test_json_equality_tells_booleans_from_numbers():
    assert json_equal(1, 1.0) and json_equal([1, {"a": None}], [1.0, {"a": None}])
    assert not json_equal(True, 1) and not json_equal(0, False)
    assert not json_equal({"a": 1}, {"a": 1, "b": 2}) and not json_equal([1], (1,))
    assert not json_equal("1", 1) and not json_equal(None, 0)


def test_a_jmespath_function_given_the_wrong_type_fails_the_check_not_the_run():
    checks = checks_of({"name": "len", "json_path": "length(data.id)", "json_equals": 1})
    mask, message = checks.evaluate(0, answer(), 0.0)
    assert mask == 1
    assert message.startswith('check "len" failed: json length(data.id) cannot be evaluated: '
                              "In function length(), invalid type for value: 7")


@pytest.mark.parametrize("paths", [
    ["data.id", "data.name"], ["data", "data.id"], ["data.id", "data"], ["meta.page"],
    ["a.b.c", "a.b", "x"], ["data.id", "items"], ["class.id"], ["_x"], ['"a-b".c'],
    ["data.items", "data.keys"], ["data", "data.items"], ["x.upper"],
])
@pytest.mark.parametrize("body", [
    BODY, b'{"data": [1, 2]}', b'{"data": null, "items": 3}', b"[1, 2]", b'"text"', b"7",
    b'{"data": {"id": {"deep": [1]}}}', b'{"a": {"b": {"c": false}}, "x": 1.5}',
    b'{"class": {"id": 1}, "_x": 2, "a-b": {"c": 3}}', b'{"data": {"id": 1, "id": 2}}',
    b'{"data": {"items": [1], "keys": 2}}', b'{"data": {"name": 1}, "x": "s"}',
])
def test_paths_through_the_shaped_decoding_answer_as_jmespath_on_the_whole_document(
        paths, body):
    from loadgui.engine.load.check_json import BodyDecoder, field_chain

    expressions = [jmespath.compile(path) for path in paths]
    decoder = BodyDecoder([field_chain(e) for e in expressions])
    document, whole = decoder.decode(body), msgspec.json.decode(body)
    for expression in expressions:
        assert path_search(expression)(document) == expression.search(whole)


def test_a_body_that_is_not_json_fails_the_shaped_decoding_too():
    from loadgui.engine.load.check_json import BodyDecoder

    with pytest.raises(msgspec.DecodeError):
        BodyDecoder([["data", "id"]]).decode(b'{"data": {"id": 1}, "x": [}')
