"""What a profile puts on the wire is checked before the run: URLs, hosts, headers, keys."""

import pytest

from loadgui.profile import Profile, ProfileError, RequestSpec, read_key_file


def refused(p: Profile) -> ProfileError:
    with pytest.raises(ProfileError) as exc:
        p.validated()
    assert "\n" not in str(exc.value)
    return exc.value


def with_base_url(url: str, client: str = "httpx") -> Profile:
    p = Profile()
    p.target.base_url, p.target.client = url, client
    return p


@pytest.mark.parametrize(("url", "normalised"), [
    ("HTTPS://127.0.0.1:9", "https://127.0.0.1:9"),
    ("Http://API.Example.TEST:8080/V1/", "http://api.example.test:8080/V1"),
    ("http://User:PW@Example.TEST/", "http://User:PW@example.test"),
    ("  http://[::1]:8000/  ", "http://[::1]:8000"),
    ("http://my_service:8000", "http://my_service:8000"),  # docker names are not IDNA 2008
    ("http://bücher.example", "http://bücher.example"),
    ("http://example.test.", "http://example.test."),
])
def test_base_url_scheme_and_host_are_lower_cased(url, normalised):
    assert with_base_url(url).validated().target.base_url == normalised


@pytest.mark.parametrize(("where", "url"), [
    ("target.base_url", "HTTPS://127.0.0.1:9"),
    ("target.base_url", "hTTps://x.test"),
    ("target.extra_base_urls", "HTTPS://127.0.0.1:9"),
])
def test_the_fast_client_refuses_https_in_any_case(where, url):
    p = with_base_url("http://127.0.0.1:8", "fast")
    if where == "target.base_url":
        p.target.base_url = url
    else:
        p.target.extra_base_urls = [url]
    error = refused(p)
    assert str(error) == "the fast client speaks plain http:// only; use --client httpx for https"
    assert error.field == "target.client"


@pytest.mark.parametrize("url", [
    "http://exa mple.test", "http://x.test/a b", "http://x.test/a\nb", "http://x.test\t/a",
    "http://x.test/\ra", "http://x.test/\x00", "http://x\u200b.test", "http://x.test/\u00a0a",
])
def test_spaces_and_control_characters_in_a_base_url_are_refused(url):
    error = refused(with_base_url(url))
    assert "base URL must not hold spaces or control characters" in str(error)
    assert error.field == "target.base_url"
    p = Profile()
    p.target.extra_base_urls = [url]
    assert refused(p).field == "target.extra_base_urls"


def test_a_host_label_longer_than_63_characters_is_one_clear_message():
    assert with_base_url(f"http://{'a' * 63}.test").validated()
    error = refused(with_base_url(f"http://{'a' * 64}.test:8000/v1"))
    assert str(error) == (f"host name label '{'a' * 64}' is 64 characters long; "
                          f"a label holds at most 63 characters")
    assert error.field == "target.base_url"


def test_a_host_name_longer_than_253_characters_is_refused():
    host = ".".join(["a" * 63] * 3 + ["b" * 61])  # 253 characters
    assert with_base_url(f"http://{host}").validated()
    error = refused(with_base_url(f"http://{host}c"))
    assert str(error) == "host name is 254 characters long; at most 253 are allowed"


@pytest.mark.parametrize(("url", "message"), [
    ("http://☃.test", "host name '☃.test' is not a valid international domain name"),
    ("http://a..b.test", "has an empty label"),
    ("http://[::g]:80", "cannot be parsed"),
])
def test_host_names_must_encode_as_idna(url, message):
    error = refused(with_base_url(url))
    assert message in str(error)
    assert error.field == "target.base_url"


def test_the_api_key_header_is_a_header_name_like_any_other():
    p = Profile()
    p.keys.header = "Bad Header"
    error = refused(p)
    assert str(error) == ("API key header name must be a header name such as Authorization, "
                          "got 'Bad Header'")
    assert error.field == "keys.header"
    p.keys.header = "X-Api-Key"
    assert p.validated().keys.header == "X-Api-Key"


def test_the_api_key_scheme_is_one_word():
    p = Profile()
    p.keys.scheme = "Bearer\r\nX-Evil: 1"
    error = refused(p)
    assert "API key scheme must be one word such as Bearer" in str(error)
    assert error.field == "keys.scheme"


@pytest.mark.parametrize("name", ["Bad Header", "X-(a)", "X-ä", "X:Y", ""])
def test_header_names_must_be_tokens(name):
    p = Profile()
    p.target.headers = {name: "1"}
    error = refused(p)
    assert f"header name {name!r} is not valid" in str(error)
    assert error.field == "target.headers"


@pytest.mark.parametrize("value", ["a\r\nHost: elsewhere", "a\nb", "a\rb", "a\x00b", "a\x7f"])
def test_header_values_with_line_breaks_are_refused(value):
    p = Profile()
    p.target.headers = {"X-Evil": value}
    error = refused(p)
    assert str(error) == ("the value of header 'X-Evil' holds a line break (CR or LF) or "
                          "another control character")
    assert error.field == "target.headers"
    p = Profile(requests=[RequestSpec(name="one", headers={"X-Evil": value})])
    assert refused(p).field == "requests[0].headers"


def test_a_tab_in_a_header_value_is_allowed():
    p = Profile()
    p.target.headers = {"X-List": "a,\tb"}
    assert p.validated().target.headers == {"X-List": "a,\tb"}


@pytest.mark.parametrize(("keys", "message"), [
    (["good", "fine", "kéy-secret"], "API key 3 holds a non-ASCII character"),
    (["has space"], "API key 1 holds a space or a control character"),
    (["ok", "tab\there"], "API key 2 holds a space or a control character"),
    (["line\r\nbreak"], "API key 1 holds a space or a control character"),
])
def test_inline_api_keys_are_printable_ascii_and_never_printed(keys, message):
    p = Profile()
    p.keys.keys = keys
    error = refused(p)
    assert str(error) == message
    assert error.field == "keys.keys"


def test_keys_in_a_key_file_are_checked_and_named_by_line(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("# keys\nfirst\n\nsécret-value\n", encoding="utf-8")
    p = Profile()
    p.keys.file = str(path)
    with pytest.raises(ProfileError) as exc:
        p.validated().resolved_keys()
    assert str(exc.value) == f"API key 2 holds a non-ASCII character (line 4 of {path})"
    assert "sécret" not in str(exc.value) and exc.value.field == "keys.file"


def test_a_key_file_with_a_byte_order_mark_reads_its_first_key_without_it(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_bytes(b"\xef\xbb\xbfkey-one\r\nkey-two\r\n")
    assert read_key_file(path) == ["key-one", "key-two"]


def test_key_file_errors_name_the_key_file_field(tmp_path):
    with pytest.raises(ProfileError, match="cannot read API key file") as exc:
        read_key_file(tmp_path / "missing.txt")
    assert exc.value.field == "keys.file"
