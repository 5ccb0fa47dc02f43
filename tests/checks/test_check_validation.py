"""Checks in a profile: read from JSON, validated into one clear line, named, round-tripped."""

import pytest

from loadgui.profile import Check, Profile, ProfileError
from loadgui.profile_assertions import MAX_CHECKS, status_codes, validated_checks


def mix_with(*checks: dict) -> dict:
    return {"requests": [{"name": "first", "path": "/a"},
                         {"name": "second", "path": "/b", "checks": list(checks)}]}


def error_of(data: dict) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        Profile.from_dict(data)
    return caught.value


@pytest.mark.parametrize(("text", "codes"), [
    ("200", {200}), ("200,201", {200, 201}), (" 200 , 204-206 ", {200, 204, 205, 206}),
    ("2xx", set(range(200, 300))), ("4XX,503", set(range(400, 500)) | {503}),
])
def test_status_syntax(text, codes):
    assert status_codes(text) == codes


@pytest.mark.parametrize(("check", "field", "words"), [
    ({"status": "2xy"}, "status", "'2xy' is not a status"),
    ({"status": "299-200"}, "status", "'299-200' is not a status"),
    ({"status": "600"}, "status", "is not a status"),
    ({"status": ""}, "status", "must be text such as"),
    ({"body_contains": ""}, "body_contains", "non-empty text"),
    ({"body_matches": "(unclosed"}, "body_matches", "not a valid regular expression"),
    ({"json_path": "a..b"}, "json_path", "not a valid JMESPath expression: unexpected '.'"),
    ({"json_path": "items[?"}, "json_path", "not a valid JMESPath expression"),
    ({"header": "Bad Name"}, "header", "is not a header name"),
    ({"header": "X-A", "header_equals": "a\nb"}, "header_equals", "one line of text"),
    ({"max_latency_ms": 0}, "max_latency_ms", "above 0"),
    ({"max_latency_ms": -5}, "max_latency_ms", "above 0"),
    ({"max_latency_ms": True}, "max_latency_ms", "above 0"),
    ({"status": "200", "json_equals": 1}, "json_equals", "json_equals goes with json_path"),
    ({"status": "200", "header_equals": "x"}, "header_equals", "goes with header"),
    ({"name": "a\tb", "status": "200"}, "name", "one line"),
])
def test_a_bad_check_is_one_line_naming_its_field(check, field, words):
    error = error_of(mix_with({"status": "2xx"}, check))
    assert error.field == f"requests[1].checks[1].{field}"
    assert str(error).startswith(f"requests[1].checks[1].{field}")
    assert words in str(error) and "\n" not in str(error)


@pytest.mark.parametrize("check", [{}, {"status": "200", "header": "X-A"},
                                   {"json_equals": 5}])
def test_a_check_holds_exactly_one_assertion(check):
    error = error_of(mix_with(check))
    assert error.field == "requests[1].checks[0]"
    assert "exactly one of status, body_contains" in str(error)


def test_unknown_fields_of_a_check_are_refused():
    error = error_of(mix_with({"status": "200", "expect": 1}))
    assert str(error) == "unknown field in requests[1].checks[0]: expect"
    error = error_of({"target": {"checks": [{"status": "200", "a": 1, "b": 2}]}})
    assert str(error) == "unknown fields in target.checks[0]: a, b"


def test_checks_must_be_a_list_of_check_objects():
    assert "must be a list of checks" in str(error_of({"target": {"checks": {"status": 1}}}))
    error = error_of(mix_with("2xx"))
    assert error.field == "requests[1].checks[0]" and "must be a check" in str(error)


def test_a_target_check_error_marks_the_forms_checks_field_and_names_the_check():
    error = error_of({"target": {"checks": [{"status": "200"}, {"body_matches": "["}]}})
    assert error.field == "target.checks"
    assert str(error).startswith("target.checks[1].body_matches: '[' is not a valid regular")


def test_names_are_made_from_the_assertion_when_empty():
    profile = Profile.from_dict({"target": {"checks": [
        {"status": "2XX"}, {"status": 200}, {"body_contains": "ok"}, {"body_matches": "o+k"},
        {"json_path": "data.id"}, {"json_path": "data.id", "json_equals": 5},
        {"header": "X-Instance"}, {"header": "Content-Type", "header_equals": "text/plain"},
        {"max_latency_ms": 250}, {"name": "  mine  ", "max_latency_ms": 1.5},
        {"body_contains": "x" * 100},
    ]}})
    names = [check.name for check in profile.target.checks]
    assert names == [
        "status 2xx", "status 200", 'body contains "ok"', "body matches /o+k/",
        "json data.id exists", "json data.id == 5", "header X-Instance present",
        'header Content-Type == "text/plain"', "latency <= 250 ms", "mine",
        'body contains "' + "x" * 38 + "…",
    ]
    assert profile.target.checks[1].status == "200"  # a JSON number, kept as its text


def test_names_are_unique_per_request_but_may_repeat_across_requests():
    error = error_of(mix_with({"status": "2xx"}, {"status": "2xx"}))
    assert error.field == "requests[1].checks[1].name"
    assert "the check name 'status 2xx' is used twice" in str(error)
    Profile.from_dict({"requests": [
        {"name": "a", "path": "/a", "checks": [{"status": "2xx"}]},
        {"name": "b", "path": "/b", "checks": [{"status": "2xx"}]}]})


def test_at_most_32_checks_a_request():
    checks = [{"name": f"c{i}", "status": "200"} for i in range(MAX_CHECKS)]
    Profile.from_dict(mix_with(*checks))
    error = error_of(mix_with(*checks, {"name": "one more", "status": "200"}))
    assert error.field == "requests[1].checks"
    assert "holds 33 checks; at most 32" in str(error)


def test_a_profile_with_checks_survives_a_json_round_trip(tmp_path):
    data = mix_with({"name": "has id", "json_path": "data.id"},
                    {"json_path": "tags", "json_equals": ["a", {"b": None}]},
                    {"header": "x-a", "header_equals": "1"}, {"max_latency_ms": 20.5})
    data["target"] = {"checks": [{"status": "200-204"}]}
    profile = Profile.from_dict(data)
    path = tmp_path / "p.json"
    profile.write(path)
    again = Profile.read(path)
    assert again == profile
    assert again.requests[1].checks[1].json_equals == ["a", {"b": None}]
    assert again.request_mix()[1].checks == profile.requests[1].checks


def test_the_targets_checks_go_with_its_single_request():
    profile = Profile.from_dict({"target": {"endpoint": "/x", "checks": [{"status": "2xx"}]}})
    [request] = profile.request_mix()
    assert [c.name for c in request.checks] == ["status 2xx"]


def test_validated_checks_names_copies_and_leaves_the_draft_alone():
    draft = [Check(status="2xx"), Check(name="slow", max_latency_ms=10)]
    checked = validated_checks(draft)
    assert [c.name for c in checked] == ["status 2xx", "slow"]
    assert draft[0].name == ""
    with pytest.raises(ProfileError, match=r"checks\[0\]\.status"):
        validated_checks([Check(status="abc")])


def test_json_equals_must_be_a_json_value():
    profile = Profile()
    profile.target.checks = [Check(json_path="a", json_equals={1: 2})]
    with pytest.raises(ProfileError) as caught:
        profile.validated()
    assert caught.value.field == "target.checks"
    assert str(caught.value).startswith("target.checks[0].json_equals must be a JSON value")
