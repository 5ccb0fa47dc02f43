"""The threshold grammar, and the profile's validation of its thresholds."""

from __future__ import annotations

import pytest

from loadgui.profile import Profile, ProfileError
from loadgui.profile_sections import RequestSpec
from loadgui.profile_thresholds import ThresholdSyntaxError, parse_threshold


@pytest.mark.parametrize(("text", "scope", "name", "figure", "op", "limit"), [
    ("p95 < 300ms", "", "", "p95", "<", 0.3),
    ("p(95)<200", "", "", "p95", "<", 0.2),  # k6: a bare number is milliseconds
    ("p99.9 <= 1s", "", "", "p99.9", "<=", 1.0),
    ("p(99.9) < 4", "", "", "p99.9", "<", 0.004),
    ("MEAN < 5ms", "", "", "avg", "<", 0.005),
    ("med > 1ms", "", "", "p50", ">", 0.001),
    ("error_rate < 1%", "", "", "error_rate", "<", 0.01),
    ("error_rate <= 0.05", "", "", "error_rate", "<=", 0.05),
    ("checks > 99%", "", "", "checks", ">", 0.99),
    ("rps > 500", "", "", "rps", ">", 500.0),
    ("rps>=10/s", "", "", "rps", ">=", 10.0),
    ("requests == 100", "", "", "requests", "==", 100.0),
    ("failures != 0", "", "", "failures", "!=", 0.0),
    ("request:login p95 < 200ms", "request", "login", "p95", "<", 0.2),
    ('request:"log in" max >= 1', "request", "log in", "max", ">=", 0.001),
    ("target:http://127.0.0.1:8000 p50 < 2s", "target", "http://127.0.0.1:8000", "p50", "<",
     2.0),
])
def test_good_expressions_parse(text, scope, name, figure, op, limit):
    t = parse_threshold(text)
    assert (t.scope, t.name, t.figure, t.op) == (scope, name, figure, op)
    assert t.limit == pytest.approx(limit)


@pytest.mark.parametrize(("text", "message"), [
    ("", "an empty expression"),
    ("p97 < 1s", "'p97' is not a figure thresholds know"),
    ("latency < 1s", "'latency' is not a figure"),
    ("p95 300ms", "expected a comparison"),
    ("p95 = 3", "expected a comparison"),
    ("p95 <", "expected a number after the comparison"),
    ("p95 < fast", "got 'fast'"),
    ("p95 < 1%", "p95 takes ms or s"),
    ("rps < 5ms", "rps takes /s or none"),
    ("requests > 5s", "requests takes no unit"),
    ("error_rate < 5", "error_rate is a fraction"),
    ("checks > 101%", "checks is a fraction"),
    ("p95 < -1", "a number >= 0"),
    ('request:"abc p95 < 1', "no closing quote"),
    ("target:http://x checks > 1%", "checks are counted per request"),
])
def test_bad_expressions_say_what_is_wrong(text, message):
    with pytest.raises(ThresholdSyntaxError, match=message.replace("(", r"\(")):
        parse_threshold(text)


def test_the_profile_names_the_bad_threshold_in_one_line():
    draft = Profile()
    draft.thresholds = ["p95 < 300ms", "error_rate < 1%", "p97 < 1s"]
    with pytest.raises(ProfileError) as caught:
        draft.validated()
    message = str(caught.value)
    assert message.startswith("thresholds[2]: 'p97 < 1s': 'p97' is not a figure")
    assert "\n" not in message and caught.value.field == "thresholds"


def test_a_request_threshold_must_name_a_request_of_the_mix():
    draft = Profile(requests=[RequestSpec(name="login", path="/login"),
                              RequestSpec(name="search", path="/search")])
    draft.thresholds = ["request:login p95 < 1s", "request:logn p95 < 1s"]
    with pytest.raises(ProfileError, match=r"thresholds\[1\]: .*no request named 'logn' "
                                           r"in the mix \(it has 'login', 'search'\)"):
        draft.validated()
    # Without a mix, the one request is named after the endpoint.
    single = Profile()
    single.thresholds = ["request:/test p99 < 1s"]
    assert single.validated().thresholds == ["request:/test p99 < 1s"]


def test_thresholds_are_kept_stripped_and_survive_json():
    draft = Profile()
    draft.thresholds = ["  p95 < 300ms ", "checks > 99%"]
    valid = draft.validated()
    assert list(valid.thresholds) == ["p95 < 300ms", "checks > 99%"]
    assert list(Profile.from_dict(valid.to_dict()).thresholds) == list(valid.thresholds)


def test_thresholds_must_be_a_list_of_strings():
    with pytest.raises(ProfileError, match="thresholds must be a list of expressions"):
        Profile.from_dict({"thresholds": "p95 < 1s"})
    draft = Profile()
    draft.thresholds = ["p95 < 1s", 3]  # type: ignore[list-item]
    with pytest.raises(ProfileError, match="thresholds must be a list of expressions"):
        draft.validated()
