"""A HAR 1.2 file becomes a weighted mix: one request per method and URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loadgui.imports import ImportInputError, ImportOptions, parse_har, read_har

FIREFOX_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"
TOKEN = "9f86d081884c7d659a2feaa0c55ad015"
COOKIES = "sid=31d4d96e407aad42; theme=dark"


def test_the_mix_has_one_request_per_method_and_url_weighted_by_count(data: Path) -> None:
    result = read_har(data / "spec_example.har")
    mix = [(r.name, r.method, r.path, r.weight) for r in result.profile.requests]
    assert mix == [
        ("GET /api/items?page=1", "GET", "/api/items?page=1", 3.0),
        ("POST /api/items", "POST", "/api/items", 2.0),
        ("GET /api/items?page=2", "GET", "/api/items?page=2", 1.0),
        ("GET /v2/stats", "GET", "/v2/stats", 2.0),
        ("GET /api/items/7", "GET", "/api/items/7", 1.0),
        ("POST /login", "POST", "/login", 1.0),
    ]
    assert result.profile.base_urls() == ["https://app.example.com", "https://api.example.net"]
    assert result.notes == [
        "15 entries became 9 distinct requests, weighted by how often each was sent",
        "left out 3 static assets (images, fonts, stylesheets, scripts)",
        "left out 1 entry that is not http(s)",
    ]
    assert result.warnings == [
        "the requests went to 2 origins (https://app.example.com, https://api.example.net): "
        "each becomes a target, and every request is spread over all of them"]


def test_bodies_and_headers_are_what_the_browser_sent_without_secrets(data: Path) -> None:
    requests = {r.name: r for r in read_har(data / "spec_example.har").profile.requests}
    assert requests["POST /api/items"].headers == {
        "User-Agent": FIREFOX_AGENT, "Accept": "application/json",
        "Content-Type": "application/json"}
    assert requests["POST /api/items"].body == '{"name":"lamp","price":25}'
    assert requests["POST /login"].body == "user=ada&password=correct+horse"
    assert requests["GET /v2/stats"].headers == {"Accept": "application/json"}


def test_static_assets_are_candidates_left_out_unless_asked(data: Path) -> None:
    result = read_har(data / "spec_example.har")
    left_out = [(c.name, c.count, c.reason_left_out) for c in result.candidates
                if not c.selected]
    assert left_out == [("GET /static/app.css", 1, "static asset"),
                        ("GET /static/logo.png", 2, "static asset"),
                        ("GET /inter.woff2", 1, "static asset")]
    everything = read_har(data / "spec_example.har", ImportOptions(include_static=True))
    assert len(everything.profile.requests) == 9
    assert everything.profile.base_urls() == ["https://app.example.com",
                                              "https://fonts.example.net",
                                              "https://api.example.net"]


def test_cookies_and_auth_headers_are_listed_and_dropped_by_default(data: Path) -> None:
    result = read_har(data / "spec_example.har")
    listed = [(c.kind, c.header, c.secret, c.found_in, c.keep) for c in result.credentials]
    assert listed == [
        ("cookie", "Cookie", COOKIES,
         ["GET /api/items?page=1", "POST /api/items", "GET /api/items?page=2"], False),
        ("bearer", "Authorization", TOKEN, ["GET /v2/stats", "GET /api/items/7"], False),
    ]
    text = result.profile.to_json()
    assert TOKEN not in text and "31d4d96e407aad42" not in text
    assert result.kept_api_keys() == []


def test_kept_cookies_stay_and_kept_auth_becomes_the_api_key(data: Path) -> None:
    options = ImportOptions(keep_cookies=True, keep_auth=True)
    result = read_har(data / "spec_example.har", options)
    first = result.profile.requests[0]
    assert first.headers == {"User-Agent": FIREFOX_AGENT, "Accept": "application/json",
                             "Cookie": COOKIES}
    assert (result.profile.keys.header, result.profile.keys.scheme) == ("Authorization",
                                                                        "Bearer")
    assert TOKEN not in result.profile.to_json()
    assert result.profile_with_keys().keys.keys == [TOKEN]


def test_a_dialog_can_change_the_choice_and_rebuild(data: Path) -> None:
    result = read_har(data / "spec_example.har")
    for candidate in result.candidates:
        candidate.selected = candidate.origin == "https://api.example.net"
    rebuilt = result.rebuild()
    assert (rebuilt.profile.url(), rebuilt.profile.requests) == (
        "https://api.example.net/v2/stats", [])


def test_weights_can_be_given(data: Path) -> None:
    options = ImportOptions(weights={"POST /login": 0.5})
    requests = read_har(data / "spec_example.har", options).profile.requests
    assert [r.weight for r in requests] == [3.0, 2.0, 1.0, 2.0, 1.0, 0.5]


def test_a_truncated_har_is_refused(data: Path) -> None:
    whole = (data / "spec_example.har").read_bytes()
    with pytest.raises(ImportInputError) as caught:
        parse_har(whole[: len(whole) // 2])
    assert str(caught.value) == "the HAR file is cut short: it ends before its JSON does"


@pytest.mark.parametrize(("har", "message"), [
    ([], "not a HAR file: Expected `object`, got `array`"),
    ({"log": {}}, "not a HAR file: Object missing required field `entries` - at `$.log`"),
    ({"log": {"entries": [{"request": {"method": "GET", "url": "https://a.example/"}},
                          {"request": {"method": "GET"}}]}},
     "HAR entry 2 is damaged: Object missing required field `url`"),
    ({"log": {"entries": [{"request": {"method": "GET", "url": "https://a.example/",
                                       "headers": [{"name": "X", "value": 1}]}}]}},
     "HAR entry 1 is damaged: Expected `str`, got `int` - at `request.headers[0].value`"),
    ({"log": {"entries": []}}, "the HAR file holds no http:// or https:// request"),
    ({"log": {"entries": [{"request": {"method": "GET", "url": "https://a.example/x.png"}}]}},
     "the HAR file holds only static assets (1: images, fonts, stylesheets, scripts); "
     "include them to import them"),
])
def test_a_damaged_har_is_refused_in_one_line(har: object, message: str) -> None:
    with pytest.raises(ImportInputError) as caught:
        parse_har(json.dumps(har))
    assert str(caught.value) == message


def test_not_json_is_refused() -> None:
    with pytest.raises(ImportInputError) as caught:
        parse_har(b"<html>")
    assert str(caught.value) == ("the HAR file is not valid JSON: JSON is malformed: invalid "
                                 "character (byte 0)")
