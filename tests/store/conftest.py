"""Stores in temporary homes, runs made by real short runs against the session's mock
server, and the store's commands run through a parser built as `loadgui`'s."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import HEADER_SECRET, SECRET_KEYS, URL_PASSWORD

from loadgui.commands.common import OneLineParser
from loadgui.commands.runs_cmd import (
    add_compare_arguments,
    add_report_arguments,
    add_runs_arguments,
    run_compare,
    run_report,
    run_runs,
)
from loadgui.engine import RunHandle, make_run
from loadgui.profile import Keys, Limits, Load, Profile, RequestSpec, Retry, Target
from loadgui.store import RunStore
from mock_server.embedded import EmbeddedMockServer


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty store home, as $LOADGUI_HOME (what the commands open)."""
    path = tmp_path / "loadgui-home"
    monkeypatch.setenv("LOADGUI_HOME", str(path))
    return path


@pytest.fixture
def store(home: Path) -> RunStore:
    return RunStore.open(home)


def mock_profile(server: EmbeddedMockServer, *, requests: int = 200, concurrency: int = 4,
                 mix: bool = False) -> Profile:
    """A profile with every kind of secret the store must leave out."""
    url = server.url.replace("http://", f"http://user:{URL_PASSWORD}@")
    specs = ([RequestSpec(name="ping", path="/ping", weight=3),
              RequestSpec(name="test", path="/test", weight=1,
                          headers={"X-Api-Key": HEADER_SECRET})] if mix else [])
    return Profile(target=Target(base_url=url, endpoint="/test",
                                 headers={"Authorization": f"Bearer {HEADER_SECRET}"}),
                   keys=Keys(keys=list(SECRET_KEYS)), load=Load(concurrency=concurrency),
                   retry=Retry(retries=0), limits=Limits(total_requests=requests),
                   requests=specs).validated()


@pytest.fixture
def real_run(quiet_mock: EmbeddedMockServer) -> Callable[..., RunHandle]:
    """Run a short real run against the quiet mock server; returns its ended handle."""
    def run(**options: int | bool) -> RunHandle:
        handle = make_run(mock_profile(quiet_mock, **options))  # type: ignore[arg-type]
        asyncio.run(asyncio.wait_for(handle.run(), 60))
        return handle

    return run


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `loadgui runs|compare|report ...` as the parser will; (exit code, out, err)."""
    parser = OneLineParser(prog="loadgui")
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)
    add_runs_arguments(sub.add_parser("runs"))
    add_compare_arguments(sub.add_parser("compare"))
    add_report_arguments(sub.add_parser("report"))
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "runs": run_runs, "compare": run_compare, "report": run_report}

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            args = parser.parse_args(argv)
            code = commands[args.command](args)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run
