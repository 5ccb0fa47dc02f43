"""The embedded mock server's toolbar toggle, its settings popover and its URL."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from mock_server.embedded import EmbeddedMockServer, MockServerError
from mock_server.settings import MockSettings


class MockSettingsPopover(QWidget):
    """Latency range and error rate; applied live to a running server."""

    changed = Signal()

    def __init__(self, settings: MockSettings, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        self.min_latency = self._spin("mockMinLatency", settings.min_latency * 1000, " ms")
        self.max_latency = self._spin("mockMaxLatency", settings.max_latency * 1000, " ms")
        self.error_rate = self._spin("mockErrorRate", settings.error_rate * 100, " %", 100)
        form.addRow("Min latency", self.min_latency)
        form.addRow("Max latency", self.max_latency)
        form.addRow("Error rate", self.error_rate)

    def _spin(self, name: str, value: float, suffix: str, high: float = 60_000):
        spin = QDoubleSpinBox(objectName=name)
        spin.setRange(0, high)
        spin.setDecimals(1)
        spin.setSuffix(suffix)
        spin.setValue(value)
        spin.valueChanged.connect(self.changed)
        return spin

    def settings(self) -> MockSettings:
        low, high = self.min_latency.value() / 1000, self.max_latency.value() / 1000
        return MockSettings(min_latency=min(low, high), max_latency=max(low, high),
                            error_rate=self.error_rate.value() / 100)


class MockControl(QObject):
    """Starts and stops the mock server off the GUI thread; `urlChanged` says where it is."""

    urlChanged = Signal(str)  # "" when stopped
    busyChanged = Signal(bool)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._parent = parent
        self.server: EmbeddedMockServer | None = None
        self._task: asyncio.Task | None = None
        self._switching = 0  # start/stop operations under way
        self.toggle = QToolButton(parent, objectName="mockToggle")
        self.toggle.setText("Mock server")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Start or stop the embedded mock server on 127.0.0.1")
        self.toggle.toggled.connect(self._toggled)
        self.popover = MockSettingsPopover(_initial_settings())
        self.popover.changed.connect(self._apply_settings)
        menu = QMenu(parent)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.popover)
        menu.addAction(action)
        self.settings_button = QToolButton(parent, objectName="mockSettingsButton")
        self.settings_button.setText("⚙")
        self.settings_button.setToolTip("Mock server latency and error rate")
        self.settings_button.setMenu(menu)
        self.settings_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.url_label = QLabel("off", parent, objectName="mockUrlLabel")

    @property
    def url(self) -> str:
        return self.server.url if self.server and self.server.running else ""

    @property
    def busy(self) -> bool:
        return self._switching > 0

    def set_on(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def _toggled(self, on: bool) -> None:
        previous = self._task
        self._switching += 1
        self._task = asyncio.ensure_future(self._switch(on, previous))
        self.busyChanged.emit(True)

    async def _switch(self, on: bool, previous: asyncio.Task | None) -> None:
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)
        loop = asyncio.get_running_loop()
        try:
            if on and self.server is None:
                self.url_label.setText("starting…")
                server = EmbeddedMockServer(self.popover.settings())
                await loop.run_in_executor(None, server.start)
                self.server = server
            elif not on and self.server is not None:
                server, self.server = self.server, None
                self.url_label.setText("stopping…")
                await loop.run_in_executor(None, server.stop)
        except MockServerError as exc:
            self.server = None
            self.toggle.blockSignals(True)
            self.toggle.setChecked(False)
            self.toggle.blockSignals(False)
            QMessageBox.warning(self._parent, "Mock server", f"The mock server did not start: "
                                f"{exc}")
        finally:
            self.url_label.setText(self.url or "off")
            self._switching -= 1
            self.urlChanged.emit(self.url)
            self.busyChanged.emit(self.busy)

    def _apply_settings(self) -> None:
        if self.server is not None:
            self.server.settings = self.popover.settings()

    async def shut_down(self) -> None:
        """Stop the server and wait for it, whatever state the toggle is in."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        if self.server is not None:
            server, self.server = self.server, None
            await asyncio.get_running_loop().run_in_executor(None, server.stop)


def _initial_settings() -> MockSettings:
    try:
        return MockSettings.from_env()
    except ValueError:
        return MockSettings()
