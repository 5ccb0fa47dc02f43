import json

import pytest

from loadgui.profile import Profile, ProfileError, RequestSpec


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
    return p.validated()


def test_json_round_trip_keeps_every_field(tmp_path):
    p = full_profile()
    path = tmp_path / "p.json"
    p.write(path, store_keys=True)  # every field, the keys too
    data = json.loads(path.read_text())
    assert data["version"] == 1
    again = Profile.read(path)
    assert again == p
    assert again.target.base_url == "https://api.example.test:8443/v1"
    assert again.target.endpoint == "/items" and again.target.method == "POST"


def test_defaults_round_trip():
    assert Profile.from_json(Profile().to_json()) == Profile().validated()


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
        p.validated()
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_endpoint_without_a_slash_is_fixed_up_in_the_copy_only():
    p = Profile()
    p.target.endpoint = "test"
    assert p.validated().target.endpoint == "/test"
    assert p.target.endpoint == "test"


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


def test_a_deeply_nested_profile_is_one_profile_error(tmp_path):
    text = '{"load": ' * 100_000 + "1" + "}" * 100_000
    with pytest.raises(ProfileError, match="the profile is nested too deeply"):
        Profile.from_json(text)
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    with pytest.raises(ProfileError, match="the profile is nested too deeply"):
        Profile.read(path)


def test_a_deep_or_long_bad_value_is_quoted_short():
    with pytest.raises(ProfileError) as exc:
        Profile.from_json('{"load": {"concurrency": ' + "[" * 500 + "]" * 500 + "}}")
    assert str(exc.value).startswith("concurrency must be a whole number, got [[")
    assert len(str(exc.value)) < 120 and exc.value.field == "load.concurrency"
    with pytest.raises(ProfileError) as exc:
        Profile.from_json(json.dumps({"target": {"endpoint": "http://x/" + "y" * 100_000}}))
    assert "not a URL" in str(exc.value) and len(str(exc.value)) < 200


@pytest.mark.parametrize(("section", "name", "value", "message"), [
    ("load", "concurrency", 10_001, "concurrency must be between 1 and 10000, got 10001"),
    ("load", "rate", 1_000_001, "rate must be between 0.1 and 1e+06"),
    ("load", "rate", 0.09, "rate must be between 0.1"),
    ("load", "processes", 257, "processes must be between 1 and 256, got 257"),
    ("load", "burst_interval", 86_401, "burst interval must be between 0 and 86400"),
    ("retry", "retries", 101, "retries must be between 0 and 100, got 101"),
    ("retry", "cap", 86_401, "backoff cap must be between 0 and 86400"),
    ("retry", "base", 3_601, "backoff base must be between 0 and 3600"),
    ("target", "timeout", 3_601, "timeout must be between 0.001 and 3600"),
    ("target", "timeout", 0.0009, "timeout must be between 0.001 and 3600"),
    ("target", "id_range", 10**12 + 1, "id range must be between 1 and 1e+12"),
    ("limits", "total_requests", 10**12 + 1, "total requests must be between 1 and 1e+12"),
])
def test_values_out_of_range_are_refused_not_clamped(section, name, value, message):
    p = Profile()
    setattr(getattr(p, section), name, value)
    with pytest.raises(ProfileError) as exc:
        p.validated()
    assert message in str(exc.value)
    assert exc.value.field == f"{section}.{name}"


def test_a_request_body_size_out_of_range_is_refused():
    p = Profile(requests=[RequestSpec(name="big", body_size=1024**3 + 1)])
    with pytest.raises(ProfileError, match="body size must be between 2 and") as exc:
        p.validated()
    assert exc.value.field == "requests[0].body_size"


def test_the_mix_holds_at_most_65535_requests():
    p = Profile(requests=[RequestSpec(name=f"r{i}") for i in range(65_535)])
    assert len(p.validated().requests) == 65_535
    p.requests.append(RequestSpec(name="one too many"))
    with pytest.raises(ProfileError) as exc:
        p.validated()
    assert str(exc.value) == "the request mix holds 65,536 requests; at most 65,535 are allowed"
    assert exc.value.field == "requests"


def test_a_profile_has_at_most_65535_targets():
    p = Profile()
    p.target.extra_base_urls = ["http://127.0.0.1:9"] * 65_535
    with pytest.raises(ProfileError) as exc:
        p.validated()
    assert "has 65,536 targets" in str(exc.value) and "at most 65,535" in str(exc.value)
    assert exc.value.field == "target.extra_base_urls"


def rate_profile(rate, processes, concurrency=50, mode="rate"):
    p = Profile()
    p.load.mode, p.load.rate, p.load.processes, p.load.concurrency = (
        mode, rate, processes, concurrency)
    return p


def test_a_rate_split_below_the_minimum_per_process_is_refused():
    with pytest.raises(ProfileError) as exc:
        rate_profile(0.5, 8).validated()
    message = str(exc.value)
    assert "a rate of 0.5/s split across 8 processes leaves 0.0625/s to each" in message
    assert "below the minimum of 0.1/s per process" in message
    assert exc.value.field == "load.processes"
    assert rate_profile(0.8, 8).validated().load.rate == 0.8


def test_auto_processes_split_the_rate_over_the_cores(monkeypatch):
    monkeypatch.setattr("loadgui.profile_load.os.cpu_count", lambda: 16)
    with pytest.raises(ProfileError, match="a rate of 1/s split across 16 processes"):
        rate_profile(1, "auto").validated()
    assert rate_profile(1.6, "auto").validated().process_count() == 16


def test_the_rate_split_counts_the_processes_that_run():
    # No more processes run than there are workers; the rate is unused outside rate mode.
    assert rate_profile(0.4, 8, concurrency=2).validated().process_count() == 2
    assert rate_profile(0.5, 8, mode="concurrency").validated().process_count() == 8


@pytest.mark.parametrize(("text", "message", "field"), [
    ('{"load": {"concurrency": 1' + "0" * 400 + "}}", "concurrency must be between",
     "load.concurrency"),
    ('{"load": {"rate": 1' + "0" * 400 + "}}", "rate must be between", "load.rate"),
    ('{"load": {"rate": 1e400}}', "rate must be a finite number, got inf", "load.rate"),
    ('{"load": {"concurrency": 1' + "0" * 5000 + "}}", "a number with too many digits", None),
])
def test_huge_numbers_are_refused_with_a_profile_error(text, message, field):
    with pytest.raises(ProfileError) as exc:
        Profile.from_json(text)
    assert message in str(exc.value) and len(str(exc.value)) < 200
    assert exc.value.field == field
