"""`loadgui run --live-plot` and `--export-png` as a user runs them: real processes drawing
off screen (QT_QPA_PLATFORM=offscreen), real servers on 127.0.0.1."""

from __future__ import annotations

import os
import re
import signal
import socket
import sys
import time

import numpy as np
import pytest
from PySide6.QtGui import QImage

from loadgui.commands.main import build_parser
from loadgui.commands.run_args import wants_live_plot
from tests.cli_process import CLI, finish, start

OFFSCREEN = {"QT_QPA_PLATFORM": "offscreen"}
NO_DISPLAY = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")

# Runs `loadgui run ARGS` in-process under a timer that watches for the live plot window,
# notes how many reports it has plotted and, with CLOSE_AFTER > 0, closes it once it has
# plotted that many: what a user does with the close button.
DRIVER = """
import sys
from PySide6.QtCore import QTimer
from loadgui.commands.main import main
from loadgui.ui.app import make_application
from loadgui.ui.live_plot import LivePlotWindow

close_after, seen = int(sys.argv[1]), [0]
app = make_application([sys.argv[0]])

def watch():
    for w in app.topLevelWidgets():
        if isinstance(w, LivePlotWindow) and w.isVisible():
            seen[0] = max(seen[0], w.reports_shown)
            if close_after and w.reports_shown >= close_after:
                w.close()

timer = QTimer()
timer.timeout.connect(watch)
timer.start(20)
code = main(["run", *sys.argv[2:]])
print(f"reports shown: {seen[0]}", file=sys.stderr)
sys.exit(code)
"""


def environment(*, display: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NO_DISPLAY and k != "CI"}
    return {**env, **OFFSCREEN} if display else env


def drive(close_after: int, *args: str) -> tuple[int, str, str]:
    proc = start([sys.executable, "-c", DRIVER, str(close_after), *args],
                 environment(display=True))
    stdout, stderr = finish(proc)
    return proc.returncode, stdout, stderr


def reports_shown(stderr: str) -> int:
    line = next(x for x in stderr.splitlines() if x.startswith("reports shown: "))
    return int(line.rpartition(" ")[2])


def pixels(path) -> np.ndarray:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGBA8888)
    assert not image.isNull()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(),
                                                              image.bytesPerLine())
    return rows[:, :image.width() * 4].reshape(image.height(), image.width(), 4).copy()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_live_plot_follows_the_run_to_its_end(quiet_mock, tmp_path):
    out = tmp_path / "live.csv"
    code, stdout, stderr = drive(0, "--live-plot", "--base-url", quiet_mock.url, "-e", "/test",
                                 "-c", "4", "--duration", "1.5", "--export-csv", str(out))
    assert code == 0, stderr
    assert reports_shown(stderr) >= 5  # ten a second while the run goes
    assert "loadgui run completed" in stdout and "Traceback" not in stderr
    rows = len(out.read_text().splitlines()) - 1
    assert rows > 0 and re.search(rf"^  requests +{rows} ", stdout, re.MULTILINE)


def test_closing_the_live_plot_stops_the_run_with_exit_130(quiet_mock, tmp_path):
    out = tmp_path / "stopped.csv"
    started = time.monotonic()
    code, stdout, stderr = drive(3, "--live-plot", "--base-url", quiet_mock.url, "-e", "/test",
                                 "-c", "4", "--duration", "60", "--export-csv", str(out))
    assert code == 130, stderr
    assert time.monotonic() - started < 30  # stopped, long before its 60 s
    assert "loadgui run stopped" in stdout
    assert "its live plot window was closed" in stderr
    assert len(out.read_text().splitlines()) > 1  # the CSV is still written


def test_ctrl_c_under_the_live_plot_stops_the_run_and_reports(quiet_mock):
    proc = start([*CLI, "run", "--live-plot", "--base-url", quiet_mock.url, "-e", "/test",
                  "-c", "4", "--json"], environment(display=True))
    try:
        time.sleep(2.0)
        proc.send_signal(signal.SIGINT)
    finally:
        stdout, stderr = finish(proc, timeout=20)
    assert proc.returncode == 130, stderr
    assert '"state": "stopped"' in stdout and "Traceback" not in stderr


def test_export_png_without_a_display(quiet_mock, tmp_path):
    png = tmp_path / "run.png"
    proc = start([*CLI, "run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "300",
                  "-c", "4", "--export-png", str(png)], environment(display=False))
    _, stderr = finish(proc)
    assert proc.returncode == 0, stderr
    assert f"wrote the plots to {png}" in stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = pixels(png)
    from loadgui.ui.report_png import HEIGHT, WIDTH

    assert image.shape[:2] == (HEIGHT * 2, WIDTH * 2)
    assert image[..., :3].std() > 10  # not blank


def test_a_failed_run_still_writes_its_png_and_exits_1(tmp_path):
    png = tmp_path / "failed.png"
    proc = start([*CLI, "run", "--base-url", f"http://127.0.0.1:{free_port()}", "-e", "/x",
                  "-n", "10", "--retries", "0", "--export-png", str(png)],
                 environment(display=False))
    stdout, stderr = finish(proc)
    assert proc.returncode == 1, stderr
    assert "the run failed" in stderr and "loadgui run failed" in stdout
    assert pixels(png)[..., :3].std() > 10


def test_an_unwritable_png_is_one_line_and_exit_1(quiet_mock, tmp_path):
    png = tmp_path / "no" / "such" / "dir.png"
    proc = start([*CLI, "run", "--base-url", quiet_mock.url, "-e", "/test", "-n", "5",
                  "--export-png", str(png)], environment(display=False))
    stdout, stderr = finish(proc)
    assert proc.returncode == 1
    assert "loadgui run completed" in stdout
    errors = [line for line in stderr.splitlines() if line.startswith("loadgui: error:")]
    assert errors == [f"loadgui: error: cannot write PNG to {png}: No such file or directory"]


@pytest.mark.parametrize(("flags", "environ", "platform", "live"), [
    ([], {"DISPLAY": ":0"}, "linux", True),
    ([], {"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
    ([], {}, "linux", False),
    ([], {}, "darwin", True),
    ([], {}, "win32", True),
    (["--json"], {"DISPLAY": ":0"}, "linux", False),
    ([], {"DISPLAY": ":0", "CI": "true"}, "linux", False),
    ([], {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    (["--live-plot"], {}, "linux", True),
    (["--live-plot", "--json"], {"CI": "true"}, "linux", True),
    (["--no-live-plot"], {"DISPLAY": ":0"}, "darwin", False),
])
def test_the_live_plot_default(flags, environ, platform, live):
    args = build_parser().parse_args(["run", "-e", "/t", *flags])
    assert wants_live_plot(args, environ, platform) is live


def test_help_names_the_new_flags():
    proc = start([*CLI, "run", "--help"], environment(display=False))
    stdout, _ = finish(proc)
    flat = " ".join(stdout.split())
    assert "--live-plot, --no-live-plot" in flat and "--export-png PATH" in flat
    assert "linear (the default" in flat
