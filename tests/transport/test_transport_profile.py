"""Validation of the transport fields: one readable ProfileError each, no password shown."""

from __future__ import annotations

import pytest

from loadgui.engine.http.seam import CONNECTION_POLICIES
from loadgui.profile import Profile, ProfileError
from loadgui.profile_sections import RequestSpec
from loadgui.profile_transport import CONNECTION_POLICIES as PROFILE_POLICIES
from tests.tls_certificates import self_signed as make_certificate


def profile(**target: object) -> Profile:
    p = Profile()
    p.target.base_url = "http://127.0.0.1:8000"
    for name, value in target.items():
        setattr(p.target, name, value)
    return p


def refusal(p: Profile) -> ProfileError:
    with pytest.raises(ProfileError) as refused:
        p.validated()
    return refused.value


def test_the_profile_and_the_engine_know_the_same_policies():
    assert PROFILE_POLICIES == CONNECTION_POLICIES


@pytest.mark.parametrize("policy", ["keep-alive", "close", "new", " New "])
def test_connection_policies_are_accepted_and_normalised(policy):
    assert profile(connection=policy).validated().target.connection == policy.strip().lower()


def test_an_unknown_policy_is_refused_naming_the_choices():
    error = refusal(profile(connection="sometimes"))
    assert str(error) == ("connection must be one of keep-alive, close, new, "
                          "got 'sometimes'")
    assert error.field == "target.connection"


def test_a_requests_policy_is_checked_and_none_means_the_targets():
    p = profile(connection="close")
    p.requests = [RequestSpec(name="a"), RequestSpec(name="b", connection="NEW")]
    valid = p.validated()
    assert [r.connection for r in valid.requests] == [None, "new"]
    p.requests[0].connection = 3
    error = refusal(p)
    assert error.field == "requests[0].connection"
    assert str(error).startswith("requests[0] connection must be one of")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("http2", True, "the fast client speaks HTTP/1.1 only; use --client httpx for HTTP/2"),
    ("verify_tls", False, "the fast client speaks plain http:// only; use --client httpx to "
                          "turn TLS verification off"),
    ("proxy", "http://127.0.0.1:3128", "the fast client connects directly, never through a "
                                       "proxy; use --client httpx for a proxy"),
])
def test_the_fast_client_refuses_what_needs_httpx(field, value, message):
    error = refusal(profile(client="fast", **{field: value}))
    assert (str(error), error.field) == (message, f"target.{field}")


def test_the_fast_client_refuses_a_client_certificate(tmp_path):
    cert, key = make_certificate(tmp_path, "client")
    error = refusal(profile(client="fast", client_cert=str(cert), client_key=str(key)))
    assert str(error) == ("the fast client speaks plain http:// only; use --client httpx "
                          "for a client certificate")


def test_httpx_takes_every_option(tmp_path):
    cert, key = make_certificate(tmp_path, "client")
    valid = profile(http2=True, verify_tls=False, client_cert=str(cert), client_key=str(key),
                    proxy=" http://u:p@127.0.0.1:3128/ ").validated()
    assert valid.target.proxy == "http://u:p@127.0.0.1:3128"
    assert valid.target.client_cert == str(cert)


def test_a_certificate_and_key_in_one_file(tmp_path):
    cert, key = make_certificate(tmp_path, "client")
    both = tmp_path / "both.pem"
    both.write_bytes(cert.read_bytes() + key.read_bytes())
    assert profile(client_cert=str(both)).validated().target.client_key is None


def test_empty_paths_mean_none():
    valid = profile(client_cert="  ", client_key="", proxy="").validated()
    assert (valid.target.client_cert, valid.target.client_key, valid.target.proxy) == (
        None, None, None)


def test_a_missing_certificate_file_is_one_line(tmp_path):
    missing = tmp_path / "nope.pem"
    error = refusal(profile(client_cert=str(missing)))
    assert str(error) == f"cannot read client certificate {missing}: No such file or directory"
    assert error.field == "target.client_cert"


def test_a_file_that_is_no_certificate_is_refused(tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    error = refusal(profile(client_cert=str(junk)))
    assert str(error).startswith(f"client certificate {junk} cannot be used: ")
    assert "\n" not in str(error)


def test_a_key_without_a_certificate_is_refused(tmp_path):
    error = refusal(profile(client_key=str(tmp_path / "k.pem")))
    assert str(error) == "a client key needs its client certificate (--cert FILE)"


def test_a_certificate_with_the_wrong_key_is_refused(tmp_path):
    cert, _ = make_certificate(tmp_path, "one")
    _, other_key = make_certificate(tmp_path, "two")
    error = refusal(profile(client_cert=str(cert), client_key=str(other_key)))
    assert "cannot be used: key values mismatch" in str(error)


@pytest.mark.parametrize("proxy", [
    "ftp://u:hunter22@127.0.0.1:21", "http://u:hunter22@127.0.0.1:3128/path",
    "http://u:hunter22@:3128", "http://u:hunter22@127.0.0.1:0", "http://u:hunter22@bad host:1",
    "http://u:hunter22@127.0.0.1:99999",
])
def test_a_bad_proxy_is_refused_without_showing_its_password(proxy):
    error = refusal(profile(proxy=proxy))
    assert "hunter22" not in str(error)
    assert error.field == "target.proxy"


def test_not_booleans_are_refused():
    assert str(refusal(profile(http2="yes"))) == "HTTP/2 must be true or false, got 'yes'"
    assert refusal(profile(verify_tls=1)).field == "target.verify_tls"


def test_the_fields_round_trip_through_json(tmp_path):
    cert, key = make_certificate(tmp_path, "client")
    p = profile(http2=True, verify_tls=False, client_cert=str(cert), client_key=str(key),
                connection="new", proxy="http://127.0.0.1:3128")
    again = Profile.from_json(p.validated().to_json())
    assert again.target == p.validated().target


