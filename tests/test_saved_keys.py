"""A saved profile holds API keys in clear only when asked, and then only its owner reads it."""

import json
import stat

from loadgui.commands.main import main
from loadgui.profile import Profile


def test_write_leaves_keys_out_unless_asked(tmp_path):
    p = Profile()
    p.keys.keys = ["sk-live-SECRET-1", "sk-live-SECRET-2"]
    plain, stored = tmp_path / "plain.json", tmp_path / "stored.json"
    assert p.write(plain) is False
    assert "SECRET" not in plain.read_text()
    assert json.loads(plain.read_text())["keys"]["keys"] == []
    assert p.write(stored, store_keys=True) is True
    assert json.loads(stored.read_text())["keys"]["keys"] == p.keys.keys
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(plain.stat().st_mode) & 0o044  # an ordinary file: others may read it


def test_cli_save_profile_says_where_the_keys_went(quiet_mock, tmp_path, capsys):
    saved = tmp_path / "saved.json"
    base = ["run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "5", "--no-live-plot",
            "-k", "sk-live-SECRET", "--save-profile", str(saved)]
    assert main(base) == 0
    assert "SECRET" not in saved.read_text()
    assert "were not saved" in capsys.readouterr().err
    assert main([*base, "--store-keys"]) == 0
    assert json.loads(saved.read_text())["keys"]["keys"] == ["sk-live-SECRET"]
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    err = capsys.readouterr().err
    assert "holds 1 API key(s) in clear" in err and "SECRET" not in err


def test_proxy_password_is_saved_only_when_asked_and_never_stored(tmp_path):
    from loadgui.store.redact import stored_profile

    p = Profile()
    p.target.proxy = "http://bob:PROXY-SECRET@127.0.0.1:3128"
    plain, stored = tmp_path / "plain.json", tmp_path / "stored.json"
    assert p.write(plain) is False
    assert json.loads(plain.read_text())["target"]["proxy"] == "http://bob@127.0.0.1:3128"
    assert p.write(stored, store_keys=True) is True
    assert "PROXY-SECRET" in stored.read_text()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert "PROXY-SECRET" not in json.dumps(stored_profile(p.validated()))
