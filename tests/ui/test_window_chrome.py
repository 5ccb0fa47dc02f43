"""The window around the plots: the mock popover, a small screen, the menus, Help, closing."""

from __future__ import annotations

import platform
import time

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt, qVersion
from PySide6.QtGui import QAction, QImage, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTextBrowser,
)
from window_helpers import find

from loadgui.profile import RequestSpec
from loadgui.ui.about import version
from loadgui.ui.mock_popover import MODES


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_the_mock_popover_fits_every_mode_open_or_reopened(idle_window, qtbot):
    w = idle_window
    mock = w.mock
    assert mock.settings_button.text() == "Mock settings…"  # words, not a makeshift glyph
    assert mock.toggle.text() == "Mock: off"
    popover, menu = mock.popover, mock.menu

    def fits() -> bool:
        fields = [f for f in (*popover.findChildren(QSpinBox),
                              *popover.findChildren(QDoubleSpinBox)) if f.isVisible()]
        note = popover.note
        return (all(f.height() >= f.sizeHint().height() for f in fields)
                and note.height() >= note.heightForWidth(note.width())
                and menu.rect().contains(popover.geometry()))

    for mode in (*MODES, "single"):
        menu.popup(mock.settings_button.mapToGlobal(QPoint(0, 0)))
        qtbot.waitUntil(menu.isVisible)
        popover.mode.setCurrentText(mode)  # changed while open
        qtbot.waitUntil(fits, timeout=2_000)
        menu.hide()
        menu.popup(mock.settings_button.mapToGlobal(QPoint(0, 0)))  # and opened again
        qtbot.waitUntil(fits, timeout=2_000)
        menu.hide()
    popover.mode.setCurrentText("autoscaling")
    assert popover.max_instances.isVisibleTo(popover) and not popover.instances.isVisibleTo(
        popover)


def overprinted(axis) -> bool:
    """Whether any two tick labels of a pyqtgraph axis overlap, as it would draw them."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    rects: list[QRectF] = [rect for rect, _, _ in specs[2]] if specs else []
    return any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_at_1024_by_700_every_plot_keeps_100_px_and_the_summary_fits(window, qtbot,
                                                                    quiet_mock):
    w = window
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 700), timeout=2_000)
    w.form.requests.set_specs([RequestSpec(name="small", path="/test", weight=3),
                               RequestSpec(name="large", method="POST", path="/test",
                                           body_size=50_000)])
    w.form.extra_urls.setPlainText(quiet_mock.url)
    w.form.total_requests.setValue(200)
    with qtbot.waitSignal(w.runFinished, timeout=20_000):
        w.start_run()
    qtbot.wait(50)
    d = w.dashboard
    heights = [plot.getViewBox().height() for plot in d.plots]
    assert min(heights) >= 100, heights
    area = w.results.plots_area
    assert area.verticalScrollBar().maximum() == 0  # all four in sight, no scrolling
    assert w.summary.rowCount() == 5 and w.summary.horizontalScrollBar().maximum() == 0
    for plot in d.plots:
        for name in ("left", "bottom"):
            assert not overprinted(plot.getAxis(name)), name
    assert w.results.tabs.height() >= 96


def test_closing_is_quick_and_nothing_starts_meanwhile(window, qtbot, set_mock):
    w = window
    set_mock(w, latency_ms=50)
    w.form.total_requests.setValue(0)
    w.start_run()
    qtbot.waitUntil(lambda: w.controller.handle.report().requests > 20, timeout=10_000)
    first = w.controller.handle
    w.dirty = False
    started = time.perf_counter()
    w.close()
    assert not w.isVisible()  # gone for the user at once
    assert not find(w, QAction, "startAction").isEnabled() and not w.start_button.isEnabled()
    w.start_run()  # Ctrl+R, Run > Start or a script: refused while closing
    assert w.controller.handle is first
    assert w.statusBar().currentMessage() == "Can't start: the window is closing"
    qtbot.waitUntil(lambda: w._closed_cleanly, timeout=5_000)
    took = time.perf_counter() - started
    assert took < 1.0, f"closing took {took:.2f} s"
    assert w.mock.server is None and first.state == "stopped"


def test_the_run_menu_shows_its_shortcuts_and_greys_what_cannot_act(window, qtbot):
    w = window
    start, stop = find(w, QAction, "startAction"), find(w, QAction, "stopAction")
    assert start.shortcut() == QKeySequence("Ctrl+R")
    assert stop.shortcut() == QKeySequence(Qt.Key.Key_Escape)
    assert start.isEnabled() and not stop.isEnabled()
    w.form.total_requests.setValue(0)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # starts
    assert w.controller.running
    assert not start.isEnabled() and stop.isEnabled()
    assert not find(w, QPushButton, "startButton").isEnabled()
    with qtbot.waitSignal(w.runFinished, timeout=2_000):
        qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert start.isEnabled() and not stop.isEnabled()


def test_help_says_which_versions_and_shows_the_readme(idle_window, qtbot):
    w = idle_window
    find(w, QAction, "aboutAction").trigger()
    about = find(w, QMessageBox, "aboutDialog")
    assert about.isVisible()
    text = about.text()
    assert f"loadgui {version()}" in text
    assert f"Qt {qVersion()}" in text and f"Python {platform.python_version()}" in text
    about.accept()
    task = w.show_readme()
    qtbot.waitUntil(task.done, timeout=5_000)
    readme = find(w, QDialog, "readmeDialog")
    assert readme.isVisible()
    assert "desktop HTTP load tester" in find(readme, QTextBrowser, "readmeText").toPlainText()
    readme.close()
