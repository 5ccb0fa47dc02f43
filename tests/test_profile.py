import json

import pytest

from loadgui.profile import Profile, ProfileError


def full_profile() -> Profile:
    p = Profile()
    p.target.base_url = "https://api.example.test:8443/v1/"
    p.target.endpoint = "items"
    p.target.method = "post"
    p.target.headers = {"Content-Type": "application/json", "X-Trace": "1"}
    p.target.body = '{"name": "x"}'
    p.target.timeout = 2.5
    p.keys.keys = ["k1", "k2"]
    p.keys.header, p.keys.scheme = "X-Api-Key", ""
    p.load.concurrency, p.load.pattern = 64, "sin"
    p.retry.retries, p.retry.backoff, p.retry.base, p.retry.cap = 5, "jitter", 0.2, 4.0
    p.limits.total_requests, p.limits.duration = 1000, 30.0
    return p.validate()


def test_json_round_trip_keeps_every_field(tmp_path):
    p = full_profile()
    path = tmp_path / "p.json"
    p.write(path)
    data = json.loads(path.read_text())
    assert data["version"] == 1
    again = Profile.read(path)
    assert again == p
    assert again.target.base_url == "https://api.example.test:8443/v1"
    assert again.target.endpoint == "/items" and again.target.method == "POST"


def test_defaults_round_trip():
    assert Profile.from_json(Profile().to_json()) == Profile().validate()


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: setattr(p.target, "base_url", "ftp://x"), "must start with http:// or https://"),
    (lambda p: setattr(p.target, "base_url", "http://[::1"), "cannot be parsed"),
    (lambda p: setattr(p.target, "base_url", "not a url"), "must start with http"),
    (lambda p: setattr(p.target, "base_url", ""), "base URL must not be empty"),
    (lambda p: setattr(p.target, "base_url", "http://"), "has no host"),
    (lambda p: setattr(p.target, "endpoint", "http://x/y"), "not a URL"),
    (lambda p: setattr(p.target, "method", "FETCH"), "method must be one of"),
    (lambda p: setattr(p.target, "timeout", 0), "timeout must be between"),
    (lambda p: setattr(p.load, "concurrency", 0),
     "concurrency must be between 1 and 10000, got 0"),
    (lambda p: setattr(p.load, "concurrency", -3), "concurrency must be between"),
    (lambda p: setattr(p.load, "concurrency", 2.5), "concurrency must be a whole number"),
    (lambda p: setattr(p.load, "pattern", "square"), "traffic pattern must be one of"),
    (lambda p: setattr(p.retry, "retries", -1), "retries must be between"),
    (lambda p: setattr(p.retry, "backoff", "linear"), "backoff method must be one of"),
    (lambda p: (setattr(p.retry, "base", 5), setattr(p.retry, "cap", 1)),
     "backoff cap (1 s) must not be below backoff base (5 s)"),
    (lambda p: setattr(p.limits, "duration", -1), "duration must be a positive number"),
    (lambda p: setattr(p.limits, "total_requests", 0), "total requests must be between"),
    (lambda p: setattr(p.keys, "header", "Bad: header"), "API key header name"),
    (lambda p: setattr(p.target, "headers", {"a b": "x"}), "header name 'a b' is not valid"),
    (lambda p: setattr(p.target, "client", "curl"), "client must be one of httpx, fast"),
    (lambda p: (setattr(p.target, "client", "fast"),
                setattr(p.target, "base_url", "https://x.test")), "plain http:// only"),
    (lambda p: (setattr(p.load, "mode", "rate"), setattr(p.load, "rate", 0)),
     "rate must be between 0.1"),
])
def test_bad_values_name_the_field(change, message):
    p = Profile()
    change(p)
    with pytest.raises(ProfileError) as exc:
        p.validate()
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_endpoint_without_a_slash_is_fixed_up():
    p = Profile()
    p.target.endpoint = "test"
    assert p.validate().target.endpoint == "/test"


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"version": 1, "colour": "red"}', "unknown field in profile: colour"),
    ('{"version": 1, "load": {"workers": 3}}', "unknown field in load: workers"),
    ('{"version": 2}', "newer than this loadgui understands"),
    ('{"version": 1, "load": 5}', "load must be a JSON object"),
    ('{"version": 1, "load": {"concurrency": "many"}}', "concurrency must be a whole number"),
])
def test_bad_profile_files_say_what_is_wrong(text, message):
    with pytest.raises(ProfileError, match=message):
        Profile.from_json(text)


def test_missing_and_empty_key_files_are_input_errors(tmp_path):
    p = Profile()
    p.keys.file = str(tmp_path / "nope.txt")
    with pytest.raises(ProfileError, match="cannot read API key file"):
        p.resolved_keys()
    empty = tmp_path / "empty.txt"
    empty.write_text("# only a comment\n\n")
    p.keys.file = str(empty)
    with pytest.raises(ProfileError, match="holds no keys"):
        p.resolved_keys()


def test_missing_profile_file_is_an_input_error(tmp_path):
    with pytest.raises(ProfileError, match="cannot read profile"):
        Profile.read(tmp_path / "missing.json")


def test_example_profiles_are_valid():
    from loadgui.resources import example_profiles

    paths = example_profiles()
    assert {p.stem for p in paths} >= {"mock-smoke-test", "linear-ramp", "sine-wave-with-retries",
                                       "small-and-large-requests", "burst-100-solves"}
    for path in paths:
        Profile.read(path)
