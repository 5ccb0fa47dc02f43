"""save_report_png: a fresh, never-shown Dashboard drawn at 2x into a PNG with a title line."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from PySide6.QtGui import QImage

from loadgui.engine import Report, make_run
from loadgui.profile import Profile
from loadgui.ui.report_png import HEIGHT, WIDTH, save_report_png, title_text


def profile_for(url: str, **limits: float) -> Profile:
    p = Profile()
    p.target.base_url, p.target.endpoint = url, "/test"
    p.load.concurrency = 4
    p.limits.total_requests = int(limits.get("total", 300))
    p.limits.duration = limits.get("duration")
    return p.validated()


def run_to_end(profile: Profile) -> Report:
    return asyncio.run(make_run(profile).run())


def pixels(path) -> np.ndarray:
    """The PNG's pixels as an (h, w, 4) array of bytes."""
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image Qt can read"
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(),
                                                              image.bytesPerLine())
    return rows[:, :image.width() * 4].reshape(image.height(), image.width(), 4).copy()


@pytest.fixture(scope="module")
def finished(quiet_mock) -> tuple[Report, Profile]:
    profile = profile_for(quiet_mock.url, total=400)
    return run_to_end(profile), profile


def test_the_png_is_twice_the_size_and_shows_the_plots(qapp, finished, tmp_path):
    report, profile = finished
    path = tmp_path / "run.png"
    save_report_png(report, profile, path, name="smoke")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = pixels(path)
    assert image.shape[:2] == (HEIGHT * 2, WIDTH * 2)
    assert image[..., :3].std() > 10  # not one flat colour
    # The throughput curve's colour (THROUGHPUT_COLOR #3b82f6) is drawn somewhere.
    blue = (abs(image[..., 0].astype(int) - 0x3B) < 24) & (abs(image[..., 1].astype(int) - 0x82)
                                                           < 24) & (image[..., 2] > 0xD0)
    assert blue.sum() > 500


def test_scale_sets_the_pixel_count(qapp, finished, tmp_path):
    report, profile = finished
    save_report_png(report, profile, tmp_path / "one.png", scale=1.0)
    assert pixels(tmp_path / "one.png").shape[:2] == (HEIGHT, WIDTH)


def test_the_title_says_what_ran_and_how_it_went(finished):
    report, profile = finished
    text = title_text(report, profile, "smoke")
    assert text.startswith("<b>smoke</b>")
    assert report.target in text and f"{report.requests:,} requests" in text
    assert "p99 " in text and "errors 0.0 %" in text
    assert "<b>untitled</b>" in title_text(report, profile)


def test_a_failed_run_is_drawn_and_titled_failed(qapp, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    draft = profile_for(f"http://127.0.0.1:{port}", total=20).draft()
    draft.retry.retries = 0
    profile = draft.validated()
    report = run_to_end(profile)
    assert report.state == "failed"
    assert "<b>failed</b>" in title_text(report, profile)
    save_report_png(report, profile, tmp_path / "failed.png")
    assert pixels(tmp_path / "failed.png")[..., :3].std() > 10


def test_an_unwritable_path_raises_oserror(qapp, finished, tmp_path):
    report, profile = finished
    with pytest.raises(FileNotFoundError):
        save_report_png(report, profile, tmp_path / "no" / "such" / "dir.png")


def test_it_renders_inside_the_running_qasync_loop(loop, qtbot, finished, tmp_path):
    """As the window calls it: from a coroutine on the qasync loop, without re-entering it."""
    report, profile = finished
    path = tmp_path / "in-loop.png"

    async def export() -> None:
        await asyncio.sleep(0)
        save_report_png(report, profile, path)

    task = asyncio.ensure_future(export())
    qtbot.waitUntil(task.done, timeout=10_000)
    task.result()
    assert pixels(path).shape[:2] == (HEIGHT * 2, WIDTH * 2)
