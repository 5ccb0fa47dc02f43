"""A profile is validated once into a read-only copy; drafts stay editable."""

import copy
import dataclasses
import json
import pickle

import pytest

from loadgui.profile import Profile, ProfileError, RequestSpec


def draft() -> Profile:
    p = Profile()
    p.target.base_url = "HTTP://API.Example.TEST:8080/v1/"
    p.target.endpoint, p.target.method = "items", "post"
    p.target.headers = {"X-Trace": "1"}
    p.target.extra_base_urls = ["http://127.0.0.1:9/"]
    p.keys.keys = ["k1", "k2"]
    p.load.concurrency, p.load.rate, p.load.processes = 8.0, 40.0, 4.0
    p.limits.total_requests = 1000
    p.requests = [RequestSpec(name="get", method="get", path="/a", headers={"A": "1"})]
    return p


def test_validated_returns_a_normalised_copy_and_leaves_the_draft_alone():
    p = draft()
    before = copy.deepcopy(p)
    v = p.validated()
    assert v is not p and v.is_validated and not p.is_validated
    assert p == before
    assert v.target.base_url == "http://api.example.test:8080/v1"
    assert (v.target.endpoint, v.target.method, v.requests[0].method) == ("/items", "POST", "GET")
    assert type(v.load.concurrency) is int and type(v.load.processes) is int
    assert v.target.extra_base_urls == ["http://127.0.0.1:9"]


def test_validate_is_an_alias_that_no_longer_changes_the_profile():
    p = draft()
    v = p.validate()
    assert v.is_validated and v == p.validated()
    assert p.target.endpoint == "items" and not p.is_validated


def test_a_validated_profile_is_returned_as_is_without_checking_again(monkeypatch):
    v = draft().validated()

    def fail(profile):
        raise AssertionError("validated again")

    monkeypatch.setattr("loadgui.profile.normalise_in_place", fail)
    assert v.validated() is v and v.validate() is v


@pytest.mark.parametrize("change", [
    lambda v: setattr(v, "load", None),
    lambda v: setattr(v.target, "base_url", "http://x.test"),
    lambda v: setattr(v.keys, "header", "X-Key"),
    lambda v: setattr(v.load, "concurrency", 1),
    lambda v: setattr(v.retry, "retries", 0),
    lambda v: setattr(v.limits, "duration", 1.0),
    lambda v: setattr(v.requests[0], "weight", 2.0),
    lambda v: delattr(v.limits, "duration"),
])
def test_a_validated_profile_refuses_attribute_changes(change):
    v = draft().validated()
    with pytest.raises(dataclasses.FrozenInstanceError, match=r"edit profile\.draft\(\)"):
        change(v)
    assert v == draft().validated()


@pytest.mark.parametrize("change", [
    lambda v: v.requests.append(RequestSpec(name="more")),
    lambda v: v.keys.keys.__setitem__(0, "other"),
    lambda v: v.target.extra_base_urls.extend(["http://x.test"]),
    lambda v: v.target.headers.update({"X-More": "1"}),
    lambda v: v.target.headers.__setitem__("X-More", "1"),
    lambda v: v.requests[0].headers.pop("A"),
])
def test_a_validated_profiles_lists_and_dicts_refuse_changes(change):
    v = draft().validated()
    with pytest.raises(TypeError, match="belongs to a validated profile"):
        change(v)
    assert v == draft().validated()


def test_draft_is_an_independent_mutable_copy():
    v = draft().validated()
    d = v.draft()
    assert d == v and not d.is_validated
    d.load.concurrency = 3
    d.keys.keys.append("k3")
    d.requests[0].headers["B"] = "2"
    assert v.load.concurrency == 8 and v.keys.keys == ["k1", "k2"]
    assert v.requests[0].headers == {"A": "1"}
    assert type(d.keys.keys) is list and type(d.target.headers) is dict
    assert d.validated().load.concurrency == 3


def test_loading_returns_validated_profiles(tmp_path):
    v = draft().validated()
    path = tmp_path / "p.json"
    v.write(path, store_keys=True)
    for loaded in (Profile.read(path), Profile.from_json(v.to_json()),
                   Profile.from_dict(v.to_dict())):
        assert loaded.is_validated and loaded == v


def test_a_validated_profile_round_trips_through_json_asdict_copy_and_pickle():
    v = draft().validated()
    assert Profile.from_json(v.to_json()) == v
    as_dict = v.to_dict()
    assert type(as_dict["keys"]["keys"]) is list and type(as_dict["target"]["headers"]) is dict
    as_dict["keys"]["keys"].append("k3")  # the dict is the caller's to change
    assert dataclasses.asdict(v)["requests"][0]["headers"] == {"A": "1"}
    for again in (copy.deepcopy(v), copy.copy(v), pickle.loads(pickle.dumps(v))):
        assert again == v and again.is_validated
    written = json.loads(v.to_json())
    del written["version"]
    assert json.loads(json.dumps(dataclasses.asdict(v))) == written


def test_share_replaces_the_load_values_without_validating_again(monkeypatch):
    v = draft().validated()
    monkeypatch.setattr("loadgui.profile.normalise_in_place", lambda p: pytest.fail("checked"))
    part = v.share(3, 12.5, 250)
    assert part.is_validated
    assert (part.load.concurrency, part.load.rate, part.load.processes) == (3, 12.5, 1)
    assert part.limits.total_requests == 250 and part.limits.duration is None
    assert (part.target, part.keys, part.retry, part.requests) == (
        v.target, v.keys, v.retry, v.requests)
    assert part.load.mode == v.load.mode and part.load.pattern == v.load.pattern
    assert v.load.concurrency == 8 and v.load.processes == 4  # the whole is unchanged
    with pytest.raises(dataclasses.FrozenInstanceError):
        part.load.rate = 1.0
    assert v.share(8, 40.0, None).limits.total_requests is None


def test_share_of_a_draft_validates_it_first():
    p = draft()
    p.load.concurrency = 0
    with pytest.raises(ProfileError, match="concurrency must be between"):
        p.share(1, 1.0, None)
    assert draft().share(2, 5.0, None).target.base_url == "http://api.example.test:8080/v1"


def test_a_draft_built_from_a_validated_request_stays_editable():
    # The window rebuilds its request rows with dataclasses.replace.
    spec = draft().validated().requests[0]
    edited = dataclasses.replace(spec, weight=2.0)
    edited.name = "renamed"
    p = Profile(requests=[edited])
    assert p.validated().requests[0].name == "renamed"


def test_a_draft_holding_something_else_than_a_request_is_refused():
    p = Profile(requests=[{"name": "x"}])  # type: ignore[list-item]
    with pytest.raises(ProfileError, match=r"requests\[0\] must be a request") as exc:
        p.validated()
    assert exc.value.field == "requests[0]"
