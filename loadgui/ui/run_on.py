"""The form's "Run on" choice: this machine's processes, or the worker processes of a Dask
cluster, listed as its scheduler reports them.

The scheduler is asked on a worker thread (a short-lived asynchronous Dask client on a loop of
its own), never on the window's loop, so an unreachable scheduler costs the window nothing;
Dask is imported only then. One question is in flight at a time, and only the answer for the
address shown now is shown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from loadgui.profile import Load, ProfileError
from loadgui.profile_load import cluster_address
from loadgui.ui import form_check
from loadgui.ui.form_fields import SpinBox, combo, spin
from loadgui.ui.theme import INVALID_COLOR

THIS_MACHINE, CLUSTER = 0, 1
ASK_TIMEOUT_S = 3.0
TYPING_PAUSE_MS = 600  # an address typed is asked for once typing pauses this long
PIP_HINT = 'pip install "loadgui[cluster]"'

Hosts = dict[str, list[str]]  # host -> the addresses of its worker processes


def fetch_workers(address: str, timeout: float = ASK_TIMEOUT_S) -> Hosts:
    """The running worker processes of the cluster at `address`, by host. Blocks up to
    about `timeout` seconds: call it on a worker thread."""
    return asyncio.run(_fetch(address, timeout))


async def _fetch(address: str, timeout: float) -> Hosts:
    from distributed import Client

    client = Client(address, asynchronous=True, timeout=timeout, set_as_default=False)
    try:
        await client
        info = await asyncio.wait_for(client.scheduler.identity(n_workers=-1), timeout)
    finally:
        with contextlib.suppress(Exception):  # closed even when it never connected
            await client.close(timeout=timeout)
    hosts: Hosts = {}
    for worker, facts in sorted(info["workers"].items()):
        if facts.get("status", "running") == "running":
            hosts.setdefault(str(facts.get("host", worker)), []).append(worker)
    return hosts


def why_not(address: str, exc: BaseException) -> str:
    """What went wrong asking the scheduler, in a sentence."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if address.startswith("tls://") and "ssl_context" in text:
        return (f"{address} needs Dask's TLS settings: set DASK_DISTRIBUTED__COMM__TLS__CA_FILE,"
                f" ..._TLS__CLIENT__CERT and ..._TLS__CLIENT__KEY, or a Dask config file")
    if isinstance(exc, TimeoutError) or "Timed out" in text:
        return (f"Cannot reach the Dask scheduler at {address}: no answer within "
                f"{ASK_TIMEOUT_S:g} s. Is \"loadgui scheduler\" running there, its port open?")
    return f"Cannot ask the Dask scheduler at {address}: {text}"


def _plural(count: int, word: str, plural: str) -> str:
    return f"{count} {word if count == 1 else plural}"


class RunOn:
    """The widgets of the choice, laid out by the form, and the listing of the cluster."""

    def __init__(self) -> None:
        self.choice = combo("runOnCombo", ("this machine", "Dask cluster"))
        self.choice.setSizeAdjustPolicy(
            self.choice.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choice.setMinimumContentsLength(16)  # a long address does not widen the form
        self.address = QLineEdit()
        self.address.setObjectName("clusterAddressEdit")
        self.address.setPlaceholderText("tcp://HOST:8786")
        self.address.setToolTip("The Dask scheduler of the cluster (`loadgui scheduler`), "
                                "tcp:// or tls://")
        self.workers = spin("clusterWorkersSpin", 0, "all")
        self.workers.setToolTip("How many of the cluster's worker processes share the load; "
                                "all: every one (never more than the concurrency)")
        self.status = QLabel()
        self.status.setObjectName("clusterStatus")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.refresh = QPushButton("Refresh")
        self.refresh.setObjectName("clusterRefreshButton")
        self.refresh.setToolTip("Ask the scheduler for its workers again")
        self.tree = QTreeWidget()
        self.tree.setObjectName("clusterWorkersTree")
        self.tree.setHeaderLabels(["Host", "Processes"])
        self.tree.setRootIsDecorated(True)
        self.tree.setMaximumHeight(100)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        header.setSectionResizeMode(1, header.ResizeMode.ResizeToContents)
        self.tree.setVisible(False)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.status, 1)
        top.addWidget(self.refresh)
        self.panel = QWidget()
        self.panel.setObjectName("clusterPanel")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        self.listed: Hosts = {}  # what the tree shows
        self.listed_for: str | None = None  # the address it was asked of
        self._form: QFormLayout | None = None
        self._processes: SpinBox | None = None
        self._wanted: str | None = None  # the next address to ask
        self._in_flight: str | None = None  # the address being asked now
        self._asking: asyncio.Task[None] | None = None
        self._timer = QTimer(self.panel)  # gone with the form
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.ask)
        self.address.textChanged.connect(self._typed)
        self.address.editingFinished.connect(self.ask)
        self.refresh.clicked.connect(lambda: self.ask(again=True))
        self.choice.currentIndexChanged.connect(lambda _: self.ask(again=True))

    def attach(self, form: QFormLayout, processes: SpinBox) -> None:
        """The form holding the rows, and its processes field (shown for this machine)."""
        self._form, self._processes = form, processes
        self._show_rows()

    def connect(self, edited: Callable[[], None]) -> None:
        self.choice.currentIndexChanged.connect(edited)
        self.address.textChanged.connect(edited)
        self.workers.valueChanged.connect(edited)

    @property
    def on_cluster(self) -> bool:
        return self.choice.currentIndex() == CLUSTER

    # --- Profile <-> widgets ---------------------------------------------------------------
    def load_values(self, processes: int | str) -> dict[str, Any]:
        """The load fields this choice sets. A cluster's address is "" until one is typed
        (form_check asks for it); processes, for this machine only, stay in their field."""
        if not self.on_cluster:
            return {"processes": processes, "cluster": None, "cluster_workers": None}
        return {"processes": 1, "cluster": self.address.text().strip(),
                "cluster_workers": self.workers.value() or None}

    def set_values(self, load: Load) -> None:
        if load.cluster is not None:
            self.address.setText(load.cluster)
            self.workers.setValue(load.cluster_workers or 0)
        # Else the address last typed stays: choosing the cluster again needs no retyping.
        self.choice.setCurrentIndex(CLUSTER if load.cluster is not None else THIS_MACHINE)

    def show_choices(self) -> None:
        """The choices' texts and the rows shown, after every edit."""
        processes = self._processes.value() if self._processes is not None else 1
        here = ("this machine (one process per core)" if not processes else
                f"this machine ({_plural(processes, 'process', 'processes')})")
        if not form_check.dask_installed():
            there = f"Dask cluster (needs {PIP_HINT})"
        else:
            there = f"Dask cluster at {self._shown_address()}" if self._shown_address() \
                else "Dask cluster"
        for index, text in ((THIS_MACHINE, here), (CLUSTER, there)):
            if self.choice.itemText(index) != text:
                self.choice.setItemText(index, text)
        self._show_rows()

    def _show_rows(self) -> None:
        if self._form is None or self._processes is None:
            return
        self._form.setRowVisible(self._processes, not self.on_cluster)
        for widget in (self.address, self.workers, self.panel):
            self._form.setRowVisible(widget, self.on_cluster)

    def _shown_address(self) -> str | None:
        """The address typed, as the profile reads it; None when empty or not an address."""
        try:
            return cluster_address(self.address.text())
        except ProfileError:
            return None

    # --- asking the scheduler --------------------------------------------------------------
    def _typed(self) -> None:
        if self.listed_for is not None and self._shown_address() != self.listed_for:
            self._list({}, None)
        self._timer.start()

    def ask(self, again: bool = False) -> None:
        """Ask the scheduler for its workers, unless its answer is shown already."""
        self._timer.stop()
        if not self.on_cluster:
            return
        if not form_check.dask_installed():
            self._say(f"Dask is not installed here: {PIP_HINT}", error=True)
            return
        address = self._shown_address()
        if address is None:
            self._list({}, None)
            self._say("" if self.address.text().strip() else
                      "Enter the address of the cluster's scheduler (\"loadgui scheduler\" "
                      "prints it)")
            return
        if address == self.listed_for and not again:
            return
        # Asked already: the answer on its way is the one wanted.
        self._wanted = None if address == self._in_flight and not again else address
        self._say(f"Asking {address} for its workers…")
        if self._asking is None or self._asking.done():
            self._asking = asyncio.ensure_future(self._ask_each())

    async def _ask_each(self) -> None:
        loop = asyncio.get_running_loop()
        while self._wanted is not None and Shiboken.isValid(self.tree):
            address, self._wanted = self._wanted, None
            self._in_flight = address
            self._say(f"Asking {address} for its workers…")
            hosts: Hosts = {}
            why = ""
            try:
                hosts = await loop.run_in_executor(None, fetch_workers, address)
            except Exception as exc:  # whatever it is, the form says it
                why = why_not(address, exc)
            finally:
                self._in_flight = None
            if not Shiboken.isValid(self.tree):
                return  # the window closed meanwhile
            if self._wanted is None and address == self._shown_address():
                self._list(hosts, address)
                self._say(why or self._counted(address), error=bool(why))

    def _counted(self, address: str) -> str:
        count = sum(len(workers) for workers in self.listed.values())
        if not count:
            return (f"The scheduler has no workers yet: start \"loadgui worker {address}\" "
                    f"on each machine, then Refresh")
        return (f"{_plural(count, 'worker process', 'worker processes')} on "
                f"{_plural(len(self.listed), 'machine', 'machines')}")

    def _list(self, hosts: Hosts, address: str | None) -> None:
        self.listed, self.listed_for = hosts, address
        self.tree.clear()
        for host, workers in hosts.items():
            item = QTreeWidgetItem([host, str(len(workers))])
            item.addChildren([QTreeWidgetItem([worker, ""]) for worker in workers])
            self.tree.addTopLevelItem(item)
        self.tree.setVisible(bool(hosts))

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {INVALID_COLOR};" if error else "")
