"""The configuration form as a user meets it: the wheel, Tab, typed values, folded sections and
the validation bar beside Start."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QSpinBox, QTableWidget, QWidget
from window_helpers import find

from loadgui.profile import RequestSpec
from loadgui.ui.theme import PRIMARY_COLOR


def wheel(widget: QWidget, steps: int = -1) -> None:
    """One notch of the wheel over the middle of `widget`, as the window system sends it."""
    window = widget.window()
    QTest.wheelEvent(window.windowHandle(), widget.mapTo(window, widget.rect().center()),
                     QPoint(0, 120 * steps))


def test_the_wheel_scrolls_the_form_unless_a_field_has_the_focus(idle_window, qtbot):
    w = idle_window
    w.resize(760, 520)
    for section in w.form.sections.values():
        section.set_expanded(True)  # a long form, so that it scrolls
    qtbot.waitUntil(lambda: w.form.verticalScrollBar().maximum() > 0)
    qtbot.wait(20)  # the layouts settle
    bar = w.form.verticalScrollBar()
    spin, combo = w.form.concurrency, w.form.pattern
    bar.setValue(bar.maximum() // 3)  # the load fields in sight, and room to scroll on
    assert w.form.viewport().rect().contains(spin.mapTo(w.form.viewport(),
                                                        spin.rect().center()))
    before = (spin.value(), combo.currentIndex(), bar.value())
    wheel(spin)
    wheel(combo)
    assert (spin.value(), combo.currentIndex()) == before[:2]  # the values did not move
    assert bar.value() > before[2]  # the form did
    assert not w.dirty
    bar.setValue(before[2])
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    qtbot.wait(20)
    wheel(spin, steps=1)
    assert spin.value() == before[0] + 1  # a focused field takes the wheel, as it should


def test_tab_leaves_the_body_and_is_no_edit(idle_window, qtbot):
    w = idle_window
    w.form.sections["headers"].set_expanded(True)
    body = w.form.body
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    qtbot.keyClick(body, Qt.Key.Key_Tab)
    assert body.toPlainText() == "" and not w.dirty
    assert not body.hasFocus()
    assert w.form.extra_urls.tabChangesFocus()


def test_a_value_out_of_range_is_refused_with_a_message_not_clamped(idle_window, qtbot):
    w = idle_window
    spin = find(w, QSpinBox, "concurrencySpin")
    spin.selectAll()
    qtbot.keyClicks(spin, "99999999")
    assert spin.value() == 99_999_999  # kept as typed, not 9,999
    assert spin.property("invalid") is True
    assert w.validation_bar.labels() == ["Concurrency"]
    assert ("concurrency must be between 1 and 10000, got 99999999"
            in w.start_button.toolTip())
    assert not w.start_button.isEnabled()
    w.form.base_url.setText("http://exa mple.com")
    assert w.validation_bar.labels() == ["Base URL", "Concurrency"]
    assert "must not hold spaces" in str(w.form.errors["target.base_url"])


def test_the_validation_bar_names_every_invalid_field_and_goes_to_it(idle_window, qtbot):
    w = idle_window
    w.form.base_url.setText("localhost:8000")
    w.form.concurrency.setValue(0)
    w.form.backoff_base.setValue(5)
    w.form.backoff_cap.setValue(1)  # below the base
    bar = w.validation_bar
    assert bar.isVisible()
    assert bar.labels() == ["Base URL", "Concurrency", "Backoff cap"]
    assert w.form.sections["retries"].expanded  # opened to show the red field
    # Start, Run > Start and Ctrl+R all say why.
    start_action = find(w, QAction, "startAction")
    assert not w.start_button.isEnabled() and not start_action.isEnabled()
    assert start_action.text() == "&Start — can't: fix Base URL, Concurrency, Backoff cap"
    assert w.start_button.toolTip().startswith("Can't start: Base URL: base URL must start")
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert w.statusBar().currentMessage().startswith("Can't start: Base URL:")
    assert w.controller.handle is None
    # A click on an entry puts the cursor in that field.
    link = next(b for b in bar.links() if b.text() == "Concurrency")
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(w.form.concurrency.hasFocus)
    w.form.retries.setValue(0)
    w.form.backoff_cap.setValue(30)
    w.form.concurrency.setValue(10)
    assert bar.labels() == ["Base URL"]
    w.form.base_url.setText("http://127.0.0.1:9")
    assert not bar.isVisible() and w.start_button.isEnabled() and start_action.isEnabled()
    assert start_action.text() == "&Start"


def test_a_missing_key_file_marks_the_keys_field(idle_window, tmp_path):
    w = idle_window
    assert not w.form.sections["keys"].expanded
    w.form.keys.set_keys([], str(tmp_path / "gone.txt"))
    assert w.form.keys.list.property("invalid") is True
    assert w.validation_bar.labels() == ["API keys"]
    assert "cannot read API key file" in w.start_button.toolTip()
    assert w.form.sections["keys"].expanded
    assert w.form.keys.source.text() == f"no keys read from {tmp_path / 'gone.txt'}"


def test_advanced_sections_fold_to_one_line_that_sums_them_up(idle_window):
    f = idle_window.form
    assert {name: s.expanded for name, s in f.sections.items()} == dict.fromkeys(
        ("headers", "processes", "retries", "keys", "mix", "transport"), False)
    assert not f.headers.isVisible() and not f.retries.isVisible()
    f.headers.set_headers({"Content-Type": "application/json"})
    f.body.setPlainText('{"a": 1}')
    f.keys.add_text("k-1111 k-2222")
    f.retries.setValue(2)
    f.requests.set_specs([RequestSpec(name="small"), RequestSpec(name="large", weight=2)])
    summaries = {name: s.summary.full_text for name, s in f.sections.items()}
    assert summaries == {
        "headers": "1 header, 8-byte body", "processes": "1 process",
        "retries": "2 retries, exponential 1 s … 30 s",
        "keys": "2 keys in Authorization: Bearer", "mix": "2: small, large",
        "transport": "1 target, httpx client, timeout 10 s"}
    f.sections["retries"].header.click()
    assert f.retries.isVisible() and not f.sections["retries"].summary.isVisible()


def test_the_mix_shows_body_sizes_in_units_and_reads_them_back(idle_window):
    f = idle_window.form
    f.sections["mix"].set_expanded(True)
    f.requests.set_specs([RequestSpec(name="large", method="POST", path="/pong",
                                      body_size=26_214_400)])
    table = find(f, QTableWidget, "requestsTable")
    column = 3
    assert table.horizontalHeaderItem(column).text() == "Body size"
    assert table.item(0, column).text() == "25 MB"
    header = table.horizontalHeader()
    assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance("Body size")
    table.item(0, column).setText("1.5 KB")
    assert f.profile().requests[0].body_size == 1536
    table.item(0, column).setText("lots")
    assert idle_window.validation_bar.labels() == ["Request mix"]


def test_start_is_drawn_as_the_primary_action(idle_window):
    w = idle_window
    w.form.base_url.setText("http://127.0.0.1:9")
    start, stop = find(w, QPushButton, "startButton"), find(w, QPushButton, "stopButton")
    assert start.isEnabled()

    def fill(button: QPushButton) -> QColor:
        image = button.grab().toImage()
        return image.pixelColor(image.width() // 8, image.height() // 2)

    assert fill(start).name() == PRIMARY_COLOR
    assert fill(stop).name() != PRIMARY_COLOR
