"""`python -m mock_server` as a real subprocess."""

import signal
import subprocess
from collections.abc import Callable

import httpx
import pytest

from mock_server.embedded import EmbeddedMockServer

StartCli = Callable[..., subprocess.Popen[str]]


@pytest.mark.parametrize(
    ("args", "env", "mentions"),
    [
        (["--error-rate", "2"], {}, "error_rate"),
        (["--min-latency", "fast"], {}, "--min-latency"),
        (["--min-latency", "1", "--max-latency", "0.5"], {}, "max_latency"),
        (["--port", "70000"], {}, "port"),
        (["--keep-alive", "0"], {}, "--keep-alive"),
        (["--no-such-flag"], {}, "--no-such-flag"),
        ([], {"ERROR_RATE": "often"}, "ERROR_RATE"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    start_cli: StartCli, args: list[str], env: dict[str, str], mentions: str
) -> None:
    process = start_cli("--port", "0", *args, **env)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 2
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("loadgui-mock: error: ")
    assert mentions in stderr
    assert stdout == ""


def test_port_in_use_exits_2_with_one_line(start_cli: StartCli) -> None:
    with EmbeddedMockServer() as busy:
        process = start_cli("--port", str(busy.port))
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 2
    assert stderr == f"loadgui-mock: error: port {busy.port} on 127.0.0.1 is already in use\n"


def test_serves_until_sigint_then_exits_0(
    start_cli: StartCli, free_port: Callable[[], int]
) -> None:
    port = free_port()
    process = start_cli(
        "--port", str(port), "--error-rate", "1", "--min-latency", "0", "--max-latency", "0"
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert f"http://127.0.0.1:{port}" in line, process.communicate(timeout=10)
    with httpx.Client(trust_env=False, timeout=10) as client:
        assert client.get(f"http://127.0.0.1:{port}/test").status_code == 500
        assert client.get(f"http://127.0.0.1:{port}/ping").json()["port"] == port
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "Traceback" not in stderr


def test_settings_come_from_the_environment(
    start_cli: StartCli, free_port: Callable[[], int]
) -> None:
    port = free_port()
    process = start_cli("--port", str(port), MIN_LATENCY="0", MAX_LATENCY="0", ERROR_RATE="1")
    assert process.stdout is not None
    process.stdout.readline()
    with httpx.Client(trust_env=False, timeout=10) as client:
        assert client.get(f"http://127.0.0.1:{port}/test").status_code == 500
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=15)
    assert process.returncode == 0
