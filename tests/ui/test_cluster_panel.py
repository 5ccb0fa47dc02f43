"""The embedded mock server as a cluster: chosen in the popover, watched in its tab."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSpinBox, QToolButton
from window_helpers import find, run_to_end

from loadgui.ui.results_view import CLUSTER_TAB


def test_autoscaling_cluster_from_the_popover_grows_under_a_burst_and_shrinks(window, qtbot):
    from pathlib import Path

    w = window
    popover = w.mock.popover
    popover.min_instances.setValue(2)
    popover.max_instances.setValue(4)
    popover.cold_start.setValue(0.3)
    popover.cool_down.setValue(1.0)
    find(w, QComboBox, "mockModeCombo").setCurrentText("autoscaling")  # restarts the mock
    qtbot.waitUntil(lambda: w.mock.is_cluster and bool(w.mock.url), timeout=30_000)
    tabs = w.results.tabs
    qtbot.waitUntil(lambda: tabs.isTabVisible(CLUSTER_TAB), timeout=5_000)
    assert w.form.base_url.text() == w.mock.url
    assert w.cluster_view.instance_count() == 2
    # Whole numbers on both axes, from 0: no 3.6-4.4 instances, no -0.4 requests.
    assert w.cluster_view.count_plot.viewRange()[1] == [0, 3]
    assert w.cluster_view.served_plot.viewRange()[1] == [0, 5]
    ticks = w.cluster_view.count_plot.getAxis("left")._tickLevels[0]
    assert [label for _, label in ticks] == ["0", "1", "2", "3"]
    pids = w.mock.server.pids()

    counts: list[int] = []
    w.mock.clusterReport.connect(lambda report: counts.append(len(report.get("instances", []))))
    w.form.endpoint.setText("/solve")
    find(w, QComboBox, "methodCombo").setCurrentText("POST")
    w.form.headers.set_headers({"Content-Type": "application/json"})
    w.form.body.setPlainText('{"kind": "io", "seconds": 2}')
    find(w, QComboBox, "loadModeCombo").setCurrentText("burst")
    find(w, QSpinBox, "concurrencySpin").setValue(100)
    find(w, QSpinBox, "retriesSpin").setValue(0)
    assert run_to_end(w, qtbot, timeout=30_000) == "completed"
    assert w.summary.value("Successes") == "100"
    assert max(counts) > 2 and max(counts) <= 4  # grew under load, never past the maximum
    qtbot.waitUntil(lambda: sum(w.cluster_view.served.values()) >= 100, timeout=1_000)
    qtbot.waitUntil(lambda: w.cluster_view.instance_count() == 2, timeout=20_000)

    # The next run starts the panel afresh: its counts are the run's, not the cluster's.
    w.form.endpoint.setText("/ping")
    find(w, QComboBox, "methodCombo").setCurrentText("GET")
    w.form.body.setPlainText("")
    find(w, QSpinBox, "concurrencySpin").setValue(10)
    assert run_to_end(w, qtbot, timeout=30_000) == "completed"
    qtbot.waitUntil(lambda: w.cluster_view.reports > 0 and sum(w.cluster_view.served.values())
                    >= 10, timeout=5_000)
    assert sum(w.cluster_view.served.values()) < 100

    find(w, QToolButton, "mockToggle").click()
    qtbot.waitUntil(lambda: w.mock.server is None and not w.mock.busy, timeout=20_000)
    assert not tabs.isTabVisible(CLUSTER_TAB)
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        assert not status.exists() or "zombie" in status.read_text().lower()
