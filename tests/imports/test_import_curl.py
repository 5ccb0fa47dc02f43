"""cURL → profile → cURL on twenty commands as Chrome, Firefox and Postman copy them."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from loadgui.imports import ImportInputError, ImportOptions, ImportResult, parse_curl, to_curl
from loadgui.profile import Profile, RequestSpec

SAMPLES = Path(__file__).parent / "data" / "curl_samples.txt"
KEEP_COOKIES = ImportOptions(keep_cookies=True)


def samples() -> list[tuple[str, str, str]]:
    """(name, expectation line, command) of each sample."""
    found = []
    for block in SAMPLES.read_text(encoding="utf-8").split("\n### ")[1:]:
        name, expect, command = block.split("\n", 2)
        found.append((name, expect.removeprefix("# expect: "), command.strip()))
    return found


SAMPLE_IDS = [name for name, _, _ in samples()]


def wire(result: ImportResult) -> tuple[object, ...]:
    """What the imported profile sends: method, URL, headers (names in lower case) with the
    API key, body and timeout."""
    profile = result.profile_with_keys()
    target, keys = profile.target, profile.keys
    headers = {name.lower(): value for name, value in target.headers.items()}
    for key in keys.keys:
        headers[keys.header.lower()] = f"{keys.scheme} {key}" if keys.scheme else key
    return (target.method, profile.url(), sorted(headers.items()), target.body, target.timeout)


def test_there_are_twenty_samples() -> None:
    assert len(SAMPLE_IDS) == 20
    assert sum(name.startswith("chrome-") for name in SAMPLE_IDS) == 8
    assert sum(name.startswith("firefox-") for name in SAMPLE_IDS) == 4
    assert sum(name.startswith("postman-") for name in SAMPLE_IDS) == 5


@pytest.mark.parametrize(("name", "expect", "command"), samples(), ids=SAMPLE_IDS)
def test_a_sample_imports_as_the_request_it_sends(name: str, expect: str,
                                                  command: str) -> None:
    request, header_count, credential_kinds = (part.strip() for part in expect.split("|"))
    result = parse_curl(command, KEEP_COOKIES)
    profile = result.profile
    assert f"{profile.target.method} {profile.url()}" == request
    assert f"{len(profile.target.headers)} headers" == header_count
    assert ",".join(c.kind for c in result.credentials) == credential_kinds
    assert profile.keys.keys == []
    assert [c.name for c in result.candidates] == [f"{profile.target.method} "
                                                   f"{profile.target.endpoint}"]


@pytest.mark.parametrize(("name", "expect", "command"), samples(), ids=SAMPLE_IDS)
def test_a_sample_round_trips_to_an_equivalent_command(name: str, expect: str,
                                                       command: str) -> None:
    first = parse_curl(command, KEEP_COOKIES)
    exported = to_curl(first.profile_with_keys(), reveal_keys=True)
    second = parse_curl(exported, KEEP_COOKIES)
    assert wire(second) == wire(first)
    assert to_curl(second.profile_with_keys(), reveal_keys=True) == exported


def sample(name: str) -> str:
    return next(command for found, _, command in samples() if found == name)


def test_ansi_c_quoting_is_decoded() -> None:
    body = parse_curl(sample("chrome-ansi-c-quoted-body")).profile.target.body
    assert body == '{"title":"It\'s done!","body":"line one\\nline two\\ttabbed"}'
    body = parse_curl(sample("firefox-patch-multiline")).profile.target.body
    assert body == '{\n  "done": true,\n  "comment": "can\'t reproduce"\n}'


def test_postman_body_keeps_its_lines_and_location_is_accepted() -> None:
    target = parse_curl(sample("postman-post-raw-json")).profile.target
    assert target.body == ('{\n    "name": "Ada Lovelace",\n    "email": "ada@example.com",\n'
                           '    "roles": ["admin", "editor"]\n}')
    assert target.headers == {"Content-Type": "application/json"}


def test_data_urlencode_encodes_and_get_moves_the_data_to_the_query() -> None:
    target = parse_curl(sample("postman-urlencoded")).profile.target
    assert target.body == ("grant_type=client_credentials&client_id=load%20test"
                           "&scope=openid%20profile")
    target = parse_curl(sample("by-hand-get-query")).profile.target
    assert (target.method, target.endpoint, target.body) == (
        "GET", "/find?q=hello%20world&page=2", None)


def test_user_becomes_a_basic_api_key_and_json_sets_its_headers() -> None:
    result = parse_curl(sample("by-hand-user-and-json"))
    target, keys = result.profile.target, result.profile.keys
    assert target.headers == {"Content-Type": "application/json", "Accept": "application/json"}
    assert target.body == '{"price": 9.5}'
    assert (keys.header, keys.scheme, keys.keys) == ("Authorization", "Basic", [])
    assert result.kept_api_keys() == [base64.b64encode(b"admin:hunter2").decode()]


def test_a_bearer_header_becomes_an_api_key_that_the_profile_does_not_hold() -> None:
    token = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
    result = parse_curl(sample("chrome-get-with-bearer"))
    [credential] = result.credentials
    assert (credential.kind, credential.keep, credential.masked()) == (
        "bearer", True, "Bearer ••••8B4a")
    assert token not in result.profile.to_json()
    assert (result.profile.keys.header, result.profile.keys.scheme) == ("authorization",
                                                                        "Bearer")
    assert result.kept_api_keys() == [token]
    assert result.profile_with_keys().keys.keys == [token]


def test_cookies_are_dropped_unless_kept() -> None:
    result = parse_curl(sample("chrome-post-json-with-cookies"))
    assert "Cookie" not in result.profile.target.headers
    [cookie] = result.credentials
    assert (cookie.kind, cookie.keep, cookie.found_in) == ("cookie", False,
                                                           ["POST /api/cart/items"])
    kept = parse_curl(sample("chrome-post-json-with-cookies"), KEEP_COOKIES)
    assert kept.profile.target.headers["Cookie"] == (
        "session_id=8f14e45fceea167a5a36dedd4bea2543; _ga=GA1.1.1234567890.1700000000; "
        "consent=yes")


def test_insecure_and_timeout_are_kept() -> None:
    result = parse_curl(sample("by-hand-insecure-timeout"))
    assert result.notes == []
    assert result.profile.target.verify_tls is False
    assert result.profile.target.timeout == 30.0
    assert result.profile.target.headers == {"User-Agent": "probe/1.0",
                                             "Referer": "https://localhost:8443/"}


def test_transport_flags_travel_in_and_out_without_the_proxy_password() -> None:
    result = parse_curl("curl --http2 -k -x http://bob:PW@127.0.0.1:3128 "
                        "https://127.0.0.1:8443/ping")
    target = result.profile.target
    assert (target.http2, target.verify_tls) == (True, False)
    assert target.proxy == "http://bob:PW@127.0.0.1:3128"
    assert result.rebuild().profile.target.proxy == target.proxy  # a dialog's rebuild keeps it
    exported = to_curl(result.profile)
    assert "--http2" in exported and "--insecure" in exported
    assert "--proxy http://127.0.0.1:3128" in exported and "PW" not in exported
    with pytest.raises(ImportInputError, match="client certificate"):
        parse_curl("curl --cert /nonexistent/client.pem https://127.0.0.1:8443/")


def test_export_masks_the_key_unless_asked() -> None:
    result = parse_curl("curl https://api.example.com/me -H 'Authorization: Bearer s3cr3t-t0ken'")
    masked = to_curl(result.profile_with_keys())
    assert masked == ("curl https://api.example.com/me \\\n"
                      '  -H "Authorization: Bearer $LOADGUI_API_KEY"')
    assert to_curl(result.profile_with_keys(), reveal_keys=True) == (
        "curl https://api.example.com/me \\\n  -H 'Authorization: Bearer s3cr3t-t0ken'")
    assert to_curl(result.profile) == "curl https://api.example.com/me"


def test_an_empty_header_survives_the_round_trip() -> None:
    result = parse_curl("curl -H 'X-Empty;' -H 'Accept:' https://example.com/")
    assert result.profile.target.headers == {"X-Empty": ""}
    assert to_curl(result.profile) == "curl https://example.com/ \\\n  -H 'X-Empty;'"


def test_export_of_a_request_and_of_a_mix() -> None:
    spec = RequestSpec(name="get", method="HEAD", path="/items/{id}",
                       headers={"Accept": "it's"})
    assert to_curl(spec, base_url="http://127.0.0.1:8000") == (
        "curl 'http://127.0.0.1:8000/items/{id}' \\\n  -g \\\n  --head \\\n"
        "  -H 'Accept: it'\"'\"'s'")
    profile = Profile.from_dict({"target": {"base_url": "http://h:1"}, "requests": [
        {"name": "a", "method": "GET", "path": "/a"},
        {"name": "b", "method": "PUT", "path": "/b", "body": "x", "weight": 2}]})
    assert to_curl(profile) == ("curl http://h:1/a\n\n"
                                "curl http://h:1/b \\\n  -X PUT \\\n  --data-raw x")


@pytest.mark.parametrize(("command", "message"), [
    ("", "the cURL command is empty"),
    ("wget https://example.com/", "not a cURL command: it starts with 'wget', not curl"),
    ("curl -F 'file=@photo.jpg' https://example.com/upload",
     "unsupported cURL flag -F: loadgui does not import multipart form uploads"),
    ("curl --frobnicate https://example.com/", "unsupported cURL flag --frobnicate"),
    ("curl -sZ https://example.com/", "unsupported cURL flag -Z"),
    ("curl 'https://example.com/", "the command cannot be split into words: No closing "
                                   "quotation"),
    ("curl $'https://example.com/", "the command has a $'…' quote that is never closed"),
    ("curl https://example.com/ -H", "the cURL flag -H needs a value"),
    ("curl https://a.example.com/ https://b.example.com/",
     "the cURL command has 2 URLs; import one request at a time"),
    ("curl -d @body.json https://example.com/",
     "-d @FILE reads a file: paste the body itself (e.g. with --data-raw)"),
    ("curl -X TRACE https://example.com/",
     "the method TRACE is not one loadgui sends (GET, POST, PUT, PATCH, DELETE, HEAD, "
     "OPTIONS)"),
    ("curl ftp://example.com/file", "'ftp://example.com/file' is not an http:// or https:// "
                                    "URL"),
    ("curl -H 'no colon' https://example.com/",
     "the header 'no colon' must look like 'Name: value'"),
    ("curl -s", "the cURL command has no URL"),
    ('curl ^"https://example.com/^" -H ^"accept: */*^"',
     "this is a Windows cmd command (Copy as cURL (cmd)): copy the request as cURL (bash) "
     "instead"),
])
def test_bad_commands_are_refused_in_one_line(command: str, message: str) -> None:
    with pytest.raises(ImportInputError) as caught:
        parse_curl(command)
    assert str(caught.value) == message
