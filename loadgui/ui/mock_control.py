"""The embedded mock server's toolbar toggle, its settings popover and its URL."""

from __future__ import annotations

import asyncio
import contextlib
from typing import cast

import httpx
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QToolButton, QWidget, QWidgetAction

from loadgui.ui.mock_popover import MockSettingsPopover
from mock_server.cluster import EmbeddedCluster
from mock_server.embedded import EmbeddedMockServer, MockServerError
from mock_server.settings import MockSettings

CLUSTER_POLL_S = 0.2  # /_cluster is polled at the dashboard's pace, off the GUI thread
RESTART_DELAY_MS = 600  # let spin-box edits settle before restarting a cluster


class MockControl(QObject):
    """Starts and stops the mock server (one instance, or a cluster) off the GUI thread."""

    urlChanged = Signal(str)  # "" when stopped
    busyChanged = Signal(bool)
    clusterReport = Signal(dict)  # GET /_cluster while a cluster runs; {} otherwise

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._parent = parent
        self.server: EmbeddedMockServer | EmbeddedCluster | None = None
        self._task: asyncio.Task[None] | None = None
        self._poller: asyncio.Task[None] | None = None
        self._switching = 0  # start/stop operations under way
        self.toggle = QToolButton(parent)
        self.toggle.setObjectName("mockToggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("The embedded mock server on 127.0.0.1: click to start or "
                               "stop it. A profile aimed at it says \"mock\" in its file.")
        self.toggle.toggled.connect(self._toggled)
        self.popover = MockSettingsPopover(_initial_settings())
        self.popover.changed.connect(self._apply_settings)
        self.popover.layoutChanged.connect(self._layout_changed)
        self.menu = QMenu(parent)
        self.menu.setObjectName("mockSettingsMenu")
        self._action = QWidgetAction(self.menu)
        self._action.setDefaultWidget(self.popover)
        self.menu.addAction(self._action)
        self.menu.aboutToShow.connect(self.fit_popover)
        self.popover.layoutChanged.connect(self.fit_popover)
        self.settings_button = QToolButton(parent)
        self.settings_button.setObjectName("mockSettingsButton")
        self.settings_button.setText("Mock settings…")
        self.settings_button.setToolTip("Mock server latency, error rate, and single, cluster "
                                        "or autoscaling")
        self.settings_button.setMenu(self.menu)
        self.settings_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.url_label = QLabel("", parent)
        self.url_label.setObjectName("mockUrlLabel")
        self._restart_timer = QTimer(self, singleShot=True, interval=RESTART_DELAY_MS)
        self._restart_timer.timeout.connect(self._restart)
        self._show_state()

    @property
    def url(self) -> str:
        return self.server.url if self.server and self.server.running else ""

    @property
    def busy(self) -> bool:
        return self._switching > 0

    @property
    def is_cluster(self) -> bool:
        return isinstance(self.server, EmbeddedCluster)

    def set_on(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def _toggled(self, on: bool) -> None:
        self._queue(on)
        self._show_state()

    def _show_state(self, doing: str = "") -> None:
        """The toggle says what the mock server is doing, in words."""
        state = doing or ("on" if self.url else "off")
        self.toggle.setText(f"Mock: {state}")

    def fit_popover(self) -> None:
        """The menu sizes itself once, for the rows shown then; a change of mode shows
        other rows, so it is measured again (also while open)."""
        self.popover.adjustSize()
        # Any change to the action makes the menu lay its items out again, open or not.
        self._action.setData(int(self._action.data() or 0) + 1)

    def _queue(self, on: bool) -> None:
        previous = self._task
        self._switching += 1
        self.busyChanged.emit(True)
        self._task = asyncio.ensure_future(self._switch(on, previous))

    def _layout_changed(self) -> None:
        if self.toggle.isChecked():
            self._restart_timer.start()

    def _restart(self) -> None:
        if self.toggle.isChecked():
            self._queue(False)
            self._queue(True)

    async def _switch(self, on: bool, previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)
        loop = asyncio.get_running_loop()
        try:
            if on and self.server is None:
                self._show_state("starting…")
                cluster = self.popover.cluster_settings()
                server = (EmbeddedCluster(self.popover.settings(), cluster) if cluster
                          else EmbeddedMockServer(self.popover.settings()))
                await loop.run_in_executor(None, server.start)
                self.server = server
                if cluster:
                    self._poller = asyncio.ensure_future(self._poll_cluster(server.url))
            elif not on and self.server is not None:
                await self._stop_server()
        except (MockServerError, ValueError) as exc:
            self.server = None
            self.toggle.blockSignals(True)
            self.toggle.setChecked(False)
            self.toggle.blockSignals(False)
            QMessageBox.warning(self._parent, "Mock server",
                                f"The mock server did not start: {exc}")
        finally:
            self._switching -= 1
            self.url_label.setText(self._describe())
            self._show_state()
            self.urlChanged.emit(self.url)
            self.busyChanged.emit(self.busy)

    def _describe(self) -> str:
        if not self.url:
            return ""  # the toggle says "Mock: off"
        return f"{self.url}  (cluster)" if self.is_cluster else self.url

    async def _stop_server(self) -> None:
        # Callers only stop a server that is there.
        server = cast("EmbeddedMockServer | EmbeddedCluster", self.server)
        self.server = None
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
            self._poller = None
            self.clusterReport.emit({})
        self.url_label.setText("")
        self._show_state("stopping…")
        await asyncio.get_running_loop().run_in_executor(None, server.stop)

    async def _poll_cluster(self, url: str) -> None:
        async with httpx.AsyncClient(trust_env=False, timeout=2.0) as client:
            while True:
                with contextlib.suppress(httpx.HTTPError, ValueError):
                    response = await client.get(f"{url}/_cluster")
                    if response.status_code == 200:
                        self.clusterReport.emit(response.json())
                await asyncio.sleep(CLUSTER_POLL_S)

    def _apply_settings(self) -> None:
        server = self.server
        if server is None:
            return
        settings = self.popover.settings()
        if isinstance(server, EmbeddedCluster):
            # Reaches every instance process over HTTP: off the GUI thread.
            future = asyncio.get_running_loop().run_in_executor(None, _assign, server, settings)
            future.add_done_callback(lambda f: f.exception())  # a failed update is dropped
        else:
            server.settings = settings

    async def shut_down(self) -> None:
        """Stop the server and wait for it, whatever state the toggle is in."""
        self._restart_timer.stop()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        if self.server is not None:
            await self._stop_server()


def _assign(server: EmbeddedCluster, settings: MockSettings) -> None:
    server.settings = settings


def _initial_settings() -> MockSettings:
    try:
        return MockSettings.from_env()
    except ValueError:
        return MockSettings()
