"""The mock server's settings popover: latency, error rate, and single / cluster / autoscaling."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from mock_server.settings import ClusterSettings, MockSettings

MODES = ("single", "cluster", "autoscaling")


def _spin(name: str, value: float, suffix: str, high: float, decimals: int = 1
          ) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, high)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    spin.setValue(value)
    return spin


def _count(name: str, value: int, high: int = 64) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(1, high)
    spin.setValue(value)
    return spin


class MockSettingsPopover(QWidget):
    """`changed` (latency, error rate) applies live; `layoutChanged` (mode and cluster numbers)
    needs a restart of the mock server."""

    changed = Signal()
    layoutChanged = Signal()

    def __init__(self, settings: MockSettings, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        self.min_latency = _spin("mockMinLatency", settings.min_latency * 1000, " ms", 60_000)
        self.max_latency = _spin("mockMaxLatency", settings.max_latency * 1000, " ms", 60_000)
        self.error_rate = _spin("mockErrorRate", settings.error_rate * 100, " %", 100)
        self.mode = QComboBox()
        self.mode.setObjectName("mockModeCombo")
        self.mode.addItems(list(MODES))
        self.mode.setToolTip("single: one instance in this process\ncluster: instances in "
                             "their own processes behind a round-robin proxy\nautoscaling: "
                             "a cluster that grows and shrinks with the load")
        self.instances = _count("mockInstancesSpin", 4)
        self.min_instances = _count("mockMinInstancesSpin", 2)
        self.max_instances = _count("mockMaxInstancesSpin", 8)
        self.target_concurrency = _spin("mockTargetConcurrency", 10, " in flight", 10_000)
        self.cold_start = _spin("mockColdStart", 2.0, " s", 600)
        self.cool_down = _spin("mockCoolDown", 5.0, " s", 3600)
        for spin in (self.min_latency, self.max_latency, self.error_rate):
            spin.valueChanged.connect(self.changed)
        for widget in (self.instances, self.min_instances, self.max_instances,
                       self.target_concurrency, self.cold_start, self.cool_down):
            widget.valueChanged.connect(self._cluster_numbers_changed)
        self.mode.currentTextChanged.connect(self._mode_changed)
        self.note = QLabel("Mode and instance numbers apply when the mock server (re)starts.")
        self.note.setWordWrap(True)
        form.addRow("Min latency", self.min_latency)
        form.addRow("Max latency", self.max_latency)
        form.addRow("Error rate", self.error_rate)
        form.addRow("Mode", self.mode)
        form.addRow("Instances", self.instances)
        form.addRow("Min instances", self.min_instances)
        form.addRow("Max instances", self.max_instances)
        form.addRow("Target in flight", self.target_concurrency)
        form.addRow("Cold start", self.cold_start)
        form.addRow("Cool down", self.cool_down)
        form.addRow(self.note)
        self._form = form
        self._mode_changed()

    def settings(self) -> MockSettings:
        low, high = self.min_latency.value() / 1000, self.max_latency.value() / 1000
        return MockSettings(min_latency=min(low, high), max_latency=max(low, high),
                            error_rate=self.error_rate.value() / 100)

    def cluster_settings(self) -> ClusterSettings | None:
        """None for a single instance."""
        mode = self.mode.currentText()
        if mode == "cluster":
            return ClusterSettings.fixed(self.instances.value())
        if mode == "autoscaling":
            low = self.min_instances.value()
            return ClusterSettings(
                min_instances=low, max_instances=max(low, self.max_instances.value()),
                target_concurrency=max(self.target_concurrency.value(), 0.1),
                cold_start=self.cold_start.value(), cool_down=self.cool_down.value())
        return None

    def _mode_changed(self) -> None:
        mode = self.mode.currentText()
        shown: dict[str, set[QWidget]] = {"cluster": {self.instances},
                 "autoscaling": {self.min_instances, self.max_instances,
                                 self.target_concurrency, self.cold_start, self.cool_down}}
        for widget in (self.instances, self.min_instances, self.max_instances,
                       self.target_concurrency, self.cold_start, self.cool_down):
            self._form.setRowVisible(widget, widget in shown.get(mode, set()))
        self.layoutChanged.emit()

    def _cluster_numbers_changed(self) -> None:
        if self.mode.currentText() != "single":
            self.layoutChanged.emit()
