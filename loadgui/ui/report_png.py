"""A run's plots as a PNG, drawn by a fresh Dashboard that is never shown on screen.

Used by `loadgui run --export-png` (with or without a display) and open to the window: it
renders the Report it is given, not whatever a window shows, at `scale`× the pixels, with a
title line that says what was run, when, and how it went.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QCoreApplication, QEvent, QIODevice, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from loadgui.engine import Report
from loadgui.engine.stats.units import ms_text
from loadgui.profile import Profile
from loadgui.ui.run_status import load_text

# The picture's size in logical pixels; the PNG holds scale times as many each way.
WIDTH, HEIGHT = 1100, 820
UNTITLED = "untitled"
END_MARGIN = 1.02  # x-axis span of a finished run, relative to its length


def save_report_png(report: Report, profile: Profile, path: str | Path, *,
                    scale: float = 2.0, name: str | None = None) -> None:
    """Write the report's plots to `path` as a PNG of (WIDTH × HEIGHT) × scale pixels.

    `name` titles the picture (e.g. the profile file's name); "untitled" without one.
    Raises OSError when the file cannot be written. Creates the QApplication when there is
    none (offscreen when there is no display to connect to).
    """
    image = render_report_image(report, profile, scale=scale, name=name)
    Path(path).write_bytes(png_bytes(image))  # Python's OSError says why a write failed


def png_bytes(image: QImage) -> bytes:
    """The image encoded as PNG."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # a QIODevice works
        raise OSError("the image could not be encoded as PNG")
    return bytes(buffer.data().data())


def render_report_image(report: Report, profile: Profile, *, scale: float = 2.0,
                        name: str | None = None) -> QImage:
    """The picture save_report_png writes, as a QImage (device pixel ratio `scale`).
    Call on the GUI thread; QImage.save() may then run on another."""
    if not scale > 0:
        raise ValueError(f"scale must be above 0, got {scale}")
    _ensure_application()
    # Imported here: the Dashboard's module loads pyqtgraph, which wants the application.
    from loadgui.ui.dashboard import Dashboard

    page = QWidget()
    page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    page.setAutoFillBackground(True)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(12, 10, 12, 8)
    layout.setSpacing(6)
    title = QLabel(title_text(report, profile, name))
    title.setTextFormat(Qt.TextFormat.RichText)
    layout.addWidget(title)
    dashboard = Dashboard()
    layout.addWidget(dashboard, 1)
    page.resize(WIDTH, HEIGHT)
    try:
        # A finished run fills the width (with room for a last point drawn as a dot); one
        # still going shows its planned span.
        dashboard.clear(report.elapsed * END_MARGIN if report.final and report.elapsed > 0
                        else profile.limits.duration)
        dashboard.show_report(report)
        _plots_only(dashboard)
        _settle(layout)
        image = QImage(round(WIDTH * scale), round(HEIGHT * scale),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(scale)
        image.fill(page.palette().color(QPalette.ColorRole.Window))
        # render() lays out and sizes a widget that was never shown, as on screen.
        page.render(image)
    finally:
        dashboard.cleanup()
    return image


def title_text(report: Report, profile: Profile, name: str | None = None) -> str:
    """One line: what ran against what, when, and its headline figures (rich text)."""
    del profile  # the profile carries no name of its own; the caller names it
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    p99 = ms_text(report.latency.p99, "")
    p99 = f"{p99} ms" if p99 else "-"
    state = "" if report.state == "completed" else f"  ·  <b>{_escape(report.state)}</b>"
    return (f"<b>{_escape(name or UNTITLED)}</b>  ·  {_escape(report.target)}  ·  {when}  ·  "
            f"{load_text(report)}  ·  p99 {p99}  ·  "
            f"errors {report.error_rate * 100:.1f} %{state}")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plots_only(dashboard: QWidget) -> None:
    """Hide the Dashboard's controls (scope selector, any buttons): the picture is plots."""
    for control in (*dashboard.findChildren(QComboBox), *dashboard.findChildren(QAbstractButton)):
        control.hide()


def _settle(layout: QVBoxLayout) -> None:
    """Deliver pending layout requests, and nothing else: this may run inside a qasync
    loop, where processing every pending event would re-enter running tasks."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
        layout.activate()


def _ensure_application() -> None:
    if QApplication.instance() is not None:
        return
    if not has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from loadgui.ui.app import make_application

    make_application([sys.argv[0] if sys.argv else "loadgui"])


def has_display() -> bool:
    """Whether Qt can open windows here: a desktop on macOS and Windows; on Linux and
    other Unixes an X11 or Wayland display, or a platform set by QT_QPA_PLATFORM."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))
