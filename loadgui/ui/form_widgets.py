"""The profile form's input widgets, made once; ProfileForm lays them out and binds them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from loadgui.profile import BACKOFFS, BALANCES, CLIENTS, LOAD_MODES, METHODS, PATTERNS
from loadgui.ui.form_fields import combo, dspin, spin
from loadgui.ui.headers_editor import HeadersEditor
from loadgui.ui.key_list import KeyListEditor
from loadgui.ui.pattern_preview import PatternPreview
from loadgui.ui.requests_editor import RequestsEditor
from loadgui.ui.run_on import RunOn

NO_LIMIT = "no limit"


class FormWidgets:
    """A mixin of ProfileForm: every field of the form, by the profile value it edits."""

    def _make_widgets(self) -> None:
        self.info = QLabel()
        self.info.setObjectName("profileInfo")
        self.info.setWordWrap(True)
        self.info.setVisible(False)
        self.base_url = QLineEdit()
        self.base_url.setObjectName("baseUrlEdit")
        self.base_url.setPlaceholderText("http://127.0.0.1:8000, or mock")
        self.endpoint = QLineEdit()
        self.endpoint.setObjectName("endpointEdit")
        self.endpoint.setPlaceholderText("/test")
        self.method = combo("methodCombo", METHODS)
        self.headers = HeadersEditor()
        self.body = QPlainTextEdit()
        self.body.setObjectName("bodyEdit")
        self.body.setPlaceholderText("request body (JSON is checked when Content-Type says so)")
        self.body.setMaximumHeight(80)
        self.timeout = dspin("timeoutSpin", 0, " s")
        self.extra_urls = QPlainTextEdit()
        self.extra_urls.setObjectName("extraUrlsEdit")
        self.extra_urls.setPlaceholderText("more base URLs, one per line (optional)")
        self.extra_urls.setMaximumHeight(56)
        for text in (self.body, self.extra_urls):
            text.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.balance = combo("balanceCombo", BALANCES)
        self.balance.setToolTip("round_robin: targets take turns\nsticky: the same {id} "
                                "always goes to the same target")
        self.id_range = spin("idRangeSpin", 0)
        self.requests = RequestsEditor()
        self.client = combo("clientCombo", CLIENTS)
        self.client.setToolTip("httpx: TLS, HTTP/2, proxies\nfast: plain http:// HTTP/1.1 "
                               "keep-alive, many times the requests per core")
        self.keys = KeyListEditor()
        self.key_header = QLineEdit()
        self.key_header.setObjectName("keyHeaderEdit")
        self.key_scheme = QLineEdit()
        self.key_scheme.setObjectName("keySchemeEdit")
        self.key_scheme.setPlaceholderText("(none)")
        self.mode = combo("loadModeCombo", LOAD_MODES)
        self.mode.setToolTip("concurrency: N workers, each sending when its last response "
                             "ends (closed model)\nrate: requests/s at scheduled times, "
                             "latency from the scheduled time (open model)\nburst: N "
                             "requests released at once")
        self.rate = dspin("rateSpin", 0, " req/s", 1)
        self.burst_interval = dspin("burstIntervalSpin", 0, " s", 2, "one burst")
        self.concurrency = spin("concurrencySpin", 0)
        self.processes = spin("processesSpin", 0, "auto (one per core)")
        self.processes.setToolTip("Worker processes sharing the load; this window then only "
                                  "receives and plots")
        self.run_on = RunOn()
        self.pattern = combo("patternCombo", PATTERNS)
        self.preview = PatternPreview()
        self.retries = spin("retriesSpin", 0)
        self.backoff = combo("backoffCombo", BACKOFFS)
        self.backoff_base = dspin("backoffBaseSpin", 0, " s", 3)
        self.backoff_cap = dspin("backoffCapSpin", 0, " s", 3)
        self.total_requests = spin("totalRequestsSpin", 0, NO_LIMIT)
        self.duration = dspin("durationSpin", 0, " s", 1, NO_LIMIT)

    def _connect_widgets(self, edited: Callable[[], None]) -> None:
        """Call `edited` on every edit of every field."""
        for edit in (self.base_url, self.endpoint, self.key_header, self.key_scheme):
            edit.textChanged.connect(edited)
        for box in (self.method, self.pattern, self.backoff, self.mode, self.client,
                    self.balance):
            box.currentTextChanged.connect(edited)
        for number in (self.timeout, self.concurrency, self.rate, self.processes, self.retries,
                       self.id_range, self.burst_interval, self.backoff_base, self.backoff_cap,
                       self.total_requests, self.duration):
            number.valueChanged.connect(edited)
        for editor in (self.body, self.extra_urls):
            editor.textChanged.connect(edited)
        for table in (self.requests, self.headers, self.keys):
            table.changed.connect(edited)
        self.run_on.connect(edited)
