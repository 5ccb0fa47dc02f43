"""The form's "Run on" choice: this machine or a Dask cluster, the cluster's workers listed
off the GUI thread, and a run on a real cluster on loopback (a scheduler and two `loadgui
worker` processes, as tests/cluster starts them) through the window's Start."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from window_helpers import closed_port, run_to_end

from loadgui.profile import Profile
from loadgui.ui import form_check, run_on
from loadgui.ui.run_on import CLUSTER, THIS_MACHINE

sys.path.insert(0, str(Path(__file__).parents[1] / "cluster"))
from dask_loopback import LOADGUI, LoopbackCluster, loopback


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackCluster]:
    from loadgui.commands.cluster_cmd import CONFIG_PATH

    scheduler = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                 "--port", "0", "--no-dashboard"]
    worker = [*LOADGUI, "worker", "--nworkers", "1", "--host", "127.0.0.1"]
    with loopback(tmp_path_factory.mktemp("dask"), scheduler, worker,
                  scheduler_env={"DASK_CONFIG": str(CONFIG_PATH)}) as cluster:
        yield cluster  # every process is stopped by its PID on the way out


def enter_address(qtbot, form, address: str) -> None:  # type: ignore[no-untyped-def]
    form.run_on.address.setFocus()
    form.run_on.address.clear()
    qtbot.keyClicks(form.run_on.address, address)
    qtbot.keyClick(form.run_on.address, Qt.Key.Key_Return)


def test_a_run_on_a_dask_cluster_from_the_window(window, qtbot, two_workers):
    w, f = window, window.form
    choices = f.run_on
    f.sections["processes"].set_expanded(True)
    assert choices.choice.currentText() == "this machine (1 process)"
    assert not choices.address.isVisible() and f.processes.isVisible()
    choices.choice.setCurrentIndex(CLUSTER)
    assert choices.address.isVisible() and choices.workers.isVisible()
    assert not f.processes.isVisible()
    assert w.validation_bar.labels() == ["Scheduler"]  # no address yet
    assert "Enter the address" in choices.status.text()

    enter_address(qtbot, f, two_workers.address)
    qtbot.waitUntil(lambda: choices.listed_for == two_workers.address, timeout=10_000)
    assert choices.status.text() == "2 worker processes on 1 machine"
    assert choices.choice.currentText() == f"Dask cluster at {two_workers.address}"
    tree = choices.tree
    assert tree.isVisible() and tree.topLevelItemCount() == 1
    host = tree.topLevelItem(0)
    assert (host.text(0), host.text(1)) == ("127.0.0.1", "2")
    assert sorted(host.child(i).text(0) for i in range(host.childCount())) == \
        sorted(a for addresses in choices.listed.values() for a in addresses)
    assert host.childCount() == 2
    assert w.validation_bar.labels() == [] and w.start_button.isEnabled()
    assert f.sections["processes"].summary.full_text == \
        f"Dask cluster at {two_workers.address}, all workers"

    f.total_requests.setValue(300)
    f.concurrency.setValue(8)
    f.retries.setValue(0)
    load = f.profile().load
    assert (load.cluster, load.cluster_workers, load.processes) == (two_workers.address, None, 1)
    assert run_to_end(w, qtbot, 20_000) == "completed"
    report = w.controller.last
    assert report is not None and report.requests == 300
    workers = report.workers
    assert [x.name.split(" on ")[0] for x in workers] == ["cluster worker 1", "cluster worker 2"]
    assert [x.state for x in workers] == ["done", "done"]
    assert all(x.requests > 0 for x in workers)
    assert sum(x.requests for x in workers) == report.requests == report.successes
    pids = {x.pid for x in workers}
    assert len(pids) == 2 and None not in pids
    assert w.summary.value("Requests") == "300"


def test_profile_and_form_map_the_cluster_both_ways(idle_window, qtbot, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(run_on, "fetch_workers",
                        lambda address: asked.append(address) or {"a": ["tcp://a:1"]})
    f = idle_window.form
    p = Profile()
    p.load.cluster, p.load.cluster_workers = "tcp://10.0.0.5:8786", 3
    f.set_profile(p)
    assert f.run_on.choice.currentIndex() == CLUSTER
    assert f.run_on.address.text() == "tcp://10.0.0.5:8786"
    assert f.run_on.workers.value() == 3
    load = f.profile().load
    assert (load.cluster, load.cluster_workers) == ("tcp://10.0.0.5:8786", 3)
    assert f.is_valid()
    qtbot.waitUntil(lambda: f.run_on.listed == {"a": ["tcp://a:1"]}, timeout=2_000)
    assert asked == ["tcp://10.0.0.5:8786"]  # loading a cluster profile lists its workers
    assert f.run_on.status.text() == "1 worker process on 1 machine"
    f.run_on.address.editingFinished.emit()  # the answer is shown: not asked again
    assert asked == ["tcp://10.0.0.5:8786"]
    f.run_on.refresh.click()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=2_000)

    f.run_on.workers.setValue(0)
    assert f.profile().load.cluster_workers is None  # 0: all of them
    f.run_on.address.setText("http://10.0.0.5")  # the profile's own check speaks
    assert "Dask scheduler address such as tcp://HOST:8786" in str(f.errors["load.cluster"])
    assert f.run_on.address.property("invalid") is True
    f.run_on.address.setText("10.0.0.5")
    assert f.is_valid() and f.validated_profile().load.cluster == "tcp://10.0.0.5:8786"
    f.mode.setCurrentText("burst")
    assert "cannot run on a cluster" in str(f.errors["load.cluster"])
    f.mode.setCurrentText("concurrency")

    f.processes.setValue(4)  # kept for this machine while the cluster is chosen
    assert f.profile().load.processes == 1
    f.run_on.choice.setCurrentIndex(THIS_MACHINE)
    load = f.profile().load
    assert (load.cluster, load.cluster_workers, load.processes) == (None, None, 4)
    assert f.run_on.choice.currentText() == "this machine (4 processes)"
    f.set_profile(Profile())
    assert f.run_on.choice.currentIndex() == THIS_MACHINE and f.profile().load.cluster is None


def test_without_dask_the_choice_says_how_to_install_it(idle_window, monkeypatch):
    monkeypatch.setattr(form_check, "dask_installed", lambda: False)
    f = idle_window.form
    f.run_on.address.setText("tcp://127.0.0.1:8786")
    f.run_on.choice.setCurrentIndex(CLUSTER)
    assert f.run_on.choice.currentText() == 'Dask cluster (needs pip install "loadgui[cluster]")'
    assert 'pip install "loadgui[cluster]"' in f.run_on.status.text()
    assert 'pip install "loadgui[cluster]"' in str(f.errors["load.cluster"])
    assert not idle_window.start_button.isEnabled()


def test_an_unreachable_scheduler_is_said_in_the_form_and_never_blocks(idle_window, qtbot):
    f = idle_window.form
    f.sections["processes"].set_expanded(True)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    f.run_on.choice.setCurrentIndex(CLUSTER)
    address = f"tcp://127.0.0.1:{closed_port()}"
    asked = time.monotonic()
    enter_address(qtbot, f, address)
    assert f.run_on.status.text() == f"Asking {address} for its workers…"
    qtbot.waitUntil(lambda: "Cannot reach" in f.run_on.status.text(), timeout=10_000)
    timer.stop()
    assert time.monotonic() - asked > 2.5  # the answer took its time, on another thread
    assert f.run_on.status.text().startswith(
        f"Cannot reach the Dask scheduler at {address}: no answer within 3 s")
    assert not f.run_on.tree.isVisible()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 20 and max(gaps) < 1.0, max(gaps)  # it kept ticking; a freeze: 3 s
