"""`loadgui run`'s transport flags: onto the profile, and refused in one line when they can't be."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from loadgui.commands.main import build_parser
from loadgui.commands.run_args import profile_from_args

CLI = [sys.executable, "-m", "loadgui"]


def loadgui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "CI": "true"})


def from_flags(*flags: str):
    args = build_parser().parse_args(["run", "-e", "/x", *flags])
    return profile_from_args(args).target


def test_flags_set_the_target():
    target = from_flags("--connection", "new", "--http2", "--insecure",
                        "--proxy", "http://127.0.0.1:3128")
    assert (target.connection, target.http2, target.verify_tls, target.proxy) == (
        "new", True, False, "http://127.0.0.1:3128")
    assert from_flags().connection == "keep-alive"


@pytest.mark.parametrize(("flags", "message"), [
    (["--http2"], "the fast client speaks HTTP/1.1 only; use --client httpx for HTTP/2"),
    (["--insecure"], "use --client httpx to turn TLS verification off"),
    (["--proxy", "http://u:hunter22@127.0.0.1:3128"], "use --client httpx for a proxy"),
])
def test_the_fast_client_refuses_in_one_line(flags, message):
    result = loadgui("run", "--client", "fast", "-e", "/x", "-n", "1", *flags)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("loadgui: error: the fast client ") and line.endswith(message)
    assert "hunter22" not in result.stderr + result.stdout


def test_a_missing_certificate_is_one_line(tmp_path):
    missing = tmp_path / "client.pem"
    result = loadgui("run", "-e", "/x", "-n", "1", "--cert", str(missing))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"loadgui: error: cannot read client certificate "
                                      f"{missing}: No such file or directory")


@pytest.mark.parametrize("client", ["httpx", "fast"])
def test_a_run_with_new_connections_reports_connect_times(base_url, client):
    result = loadgui("run", "--base-url", base_url, "-e", "/echo", "-n", "30", "-c", "3",
                     "--client", client, "--connection", "new", "--json", "--no-save")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["successes"] == 30
    assert report["connect_ms"]["min"] > 0
