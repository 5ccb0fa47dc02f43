"""The configuration panel: widgets <-> Profile, both ways, with inline validation."""

from __future__ import annotations

import json
from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from loadgui.profile import (
    BACKOFFS,
    BALANCES,
    CLIENTS,
    LOAD_MODES,
    MAX_CONCURRENCY,
    MAX_PROCESSES,
    MAX_RATE,
    MAX_RETRIES,
    METHODS,
    PATTERNS,
    Keys,
    Limits,
    Load,
    Profile,
    ProfileError,
    Retry,
    Target,
)
from loadgui.ui.headers_editor import HeadersEditor
from loadgui.ui.key_list import KeyListEditor
from loadgui.ui.pattern_preview import PatternPreview
from loadgui.ui.requests_editor import RequestsEditor

NO_LIMIT = "no limit"


def _spin(name: str, low: int, high: int, special: str | None = None) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setGroupSeparatorShown(True)
    if special:
        spin.setSpecialValueText(special)
    return spin


def _dspin(name: str, low: float, high: float, suffix: str, decimals: int = 2,
           special: str | None = None) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    if special:
        spin.setSpecialValueText(special)
    return spin


def _combo(name: str, items: tuple[str, ...]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItems(list(items))
    return combo


class ProfileForm(QScrollArea):
    """Emits `changed` on every edit and `validityChanged(bool)` when validity flips."""

    changed = Signal()
    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("profileForm")
        self.setWidgetResizable(True)
        self.setMinimumWidth(340)
        self._error: ProfileError | None = None
        self._loading = False

        self.base_url = QLineEdit()
        self.base_url.setObjectName("baseUrlEdit")
        self.base_url.setPlaceholderText("http://127.0.0.1:8000")
        self.endpoint = QLineEdit()
        self.endpoint.setObjectName("endpointEdit")
        self.endpoint.setPlaceholderText("/test")
        self.method = _combo("methodCombo", METHODS)
        self.headers = HeadersEditor()
        self.body = QPlainTextEdit()
        self.body.setObjectName("bodyEdit")
        self.body.setPlaceholderText("request body (JSON is checked when Content-Type says so)")
        self.body.setMaximumHeight(80)
        self.timeout = _dspin("timeoutSpin", 0.01, 3600, " s")
        self.extra_urls = QPlainTextEdit()
        self.extra_urls.setObjectName("extraUrlsEdit")
        self.extra_urls.setPlaceholderText("more base URLs, one per line (optional)")
        self.extra_urls.setMaximumHeight(56)
        self.balance = _combo("balanceCombo", BALANCES)
        self.balance.setToolTip("round_robin: targets take turns\nsticky: the same {id} "
                                "always goes to the same target")
        self.id_range = _spin("idRangeSpin", 1, 2_000_000_000)
        self.requests = RequestsEditor()
        self.client = _combo("clientCombo", CLIENTS)
        self.client.setToolTip("httpx: TLS, HTTP/2, proxies\nfast: plain http:// HTTP/1.1 "
                               "keep-alive, many times the requests per core")
        self.keys = KeyListEditor()
        self.key_header = QLineEdit()
        self.key_header.setObjectName("keyHeaderEdit")
        self.key_scheme = QLineEdit()
        self.key_scheme.setObjectName("keySchemeEdit")
        self.key_scheme.setPlaceholderText("(none)")
        self.mode = _combo("loadModeCombo", LOAD_MODES)
        self.mode.setToolTip("concurrency: N workers, each sending when its last response "
                             "ends (closed model)\nrate: requests/s at scheduled times, "
                             "latency from the scheduled time (open model)")
        self.rate = _dspin("rateSpin", 0.1, MAX_RATE, " req/s", 1)
        self.burst_interval = _dspin("burstIntervalSpin", 0, 86400, " s", 2,
                                     "one burst")
        self.concurrency = _spin("concurrencySpin", 1, MAX_CONCURRENCY)
        self.processes = _spin("processesSpin", 0, MAX_PROCESSES, "auto (one per core)")
        self.processes.setToolTip("Worker processes sharing the load; this window then only "
                                  "receives and plots")
        self.pattern = _combo("patternCombo", PATTERNS)
        self.preview = PatternPreview()
        self.retries = _spin("retriesSpin", 0, MAX_RETRIES)
        self.backoff = _combo("backoffCombo", BACKOFFS)
        self.backoff_base = _dspin("backoffBaseSpin", 0, 3600, " s", 3)
        self.backoff_cap = _dspin("backoffCapSpin", 0, 86400, " s", 3)
        self.total_requests = _spin("totalRequestsSpin", 0, 2_000_000_000, NO_LIMIT)
        self.duration = _dspin("durationSpin", 0, 7 * 86400, " s", 1, NO_LIMIT)
        self.message = QLabel()
        self.message.setObjectName("validationMessage")
        self.message.setWordWrap(True)

        self._field_widgets = {
            "target.base_url": self.base_url, "target.endpoint": self.endpoint,
            "target.method": self.method, "target.headers": self.headers.table,
            "target.body": self.body, "target.timeout": self.timeout,
            "target.client": self.client, "target.extra_base_urls": self.extra_urls,
            "target.balance": self.balance, "target.id_range": self.id_range,
            "load.burst_interval": self.burst_interval, "requests": self.requests.table,
            "keys.keys": self.keys.list, "keys.file": self.keys.list,
            "keys.header": self.key_header, "keys.scheme": self.key_scheme,
            "load.concurrency": self.concurrency, "load.pattern": self.pattern,
            "load.mode": self.mode, "load.rate": self.rate, "load.processes": self.processes,
            "retry.retries": self.retries, "retry.backoff": self.backoff,
            "retry.base": self.backoff_base, "retry.cap": self.backoff_cap,
            "limits.total_requests": self.total_requests, "limits.duration": self.duration,
        }
        self._build_layout()
        self._connect()
        self.set_profile(Profile())

    def _build_layout(self) -> None:
        def group(title: str, rows: list[tuple[str, QWidget]]) -> QGroupBox:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for label, widget in rows:
                if label:
                    form.addRow(label, widget)
                else:
                    form.addRow(widget)
            return box

        content = QWidget()
        layout = QVBoxLayout(content)
        # Most-used first: what to hit, how hard, for how long; then the rest.
        layout.addWidget(group("Target", [
            ("Base URL", self.base_url), ("Endpoint", self.endpoint), ("Method", self.method),
            ("Headers", self.headers), ("Body", self.body)]))
        self.load_group = group("Load", [
            ("Mode", self.mode), ("Rate", self.rate), ("Burst every", self.burst_interval),
            ("Concurrency", self.concurrency), ("Pattern", self.pattern), ("", self.preview),
            ("Processes", self.processes)])
        layout.addWidget(self.load_group)
        layout.addWidget(group("Stop after", [
            ("Requests", self.total_requests), ("Duration", self.duration)]))
        layout.addWidget(group("Retries", [
            ("Retries", self.retries), ("Backoff", self.backoff),
            ("Base", self.backoff_base), ("Cap", self.backoff_cap)]))
        layout.addWidget(group("API keys", [
            ("", self.keys), ("Header", self.key_header), ("Scheme", self.key_scheme)]))
        layout.addWidget(group("Request mix", [("", self.requests)]))
        layout.addWidget(group("More targets and transport", [
            ("More targets", self.extra_urls), ("Balance", self.balance),
            ("{id} range", self.id_range), ("Timeout", self.timeout),
            ("Client", self.client)]))
        layout.addWidget(self.message)
        layout.addStretch()
        self.setWidget(content)

    def _connect(self) -> None:
        for edit in (self.base_url, self.endpoint, self.key_header, self.key_scheme):
            edit.textChanged.connect(self._edited)
        for combo in (self.method, self.pattern, self.backoff, self.mode, self.client,
                      self.balance):
            combo.currentTextChanged.connect(self._edited)
        for spin in (self.timeout, self.concurrency, self.rate, self.processes, self.retries,
                     self.id_range, self.burst_interval,
                     self.backoff_base, self.backoff_cap, self.total_requests, self.duration):
            spin.valueChanged.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self.extra_urls.textChanged.connect(self._edited)
        self.requests.changed.connect(self._edited)
        self.headers.changed.connect(self._edited)
        self.keys.changed.connect(self._edited)

    # --- Profile <-> widgets ---------------------------------------------------------------
    def profile(self) -> Profile:
        """A draft Profile of what the widgets show (not validated)."""
        body = self.body.toPlainText()
        return Profile(
            target=Target(base_url=self.base_url.text().strip(),
                          endpoint=self.endpoint.text().strip(),
                          method=self.method.currentText(), headers=self.headers.headers(),
                          body=body or None, timeout=self.timeout.value(),
                          client=self.client.currentText(),
                          extra_base_urls=[u.strip() for u in
                                           self.extra_urls.toPlainText().splitlines()
                                           if u.strip()],
                          balance=self.balance.currentText(), id_range=self.id_range.value()),
            keys=Keys(keys=self.keys.keys(), file=self.keys.key_file(),
                      header=self.key_header.text().strip(), scheme=self.key_scheme.text()),
            load=Load(mode=self.mode.currentText(), concurrency=self.concurrency.value(),
                      pattern=self.pattern.currentText(), rate=self.rate.value(),
                      processes=self.processes.value() or "auto",
                      burst_interval=self.burst_interval.value()),
            retry=Retry(retries=self.retries.value(), backoff=self.backoff.currentText(),
                        base=self.backoff_base.value(), cap=self.backoff_cap.value()),
            limits=Limits(total_requests=self.total_requests.value() or None,
                          duration=self.duration.value() or None),
            requests=self.requests.specs(),
        )

    def set_profile(self, profile: Profile) -> None:
        self._loading = True
        try:
            t, k, load, r, lim = (profile.target, profile.keys, profile.load, profile.retry,
                                  profile.limits)
            self.base_url.setText(t.base_url)
            self.endpoint.setText(t.endpoint)
            self.method.setCurrentText(t.method)
            self.headers.set_headers(t.headers)
            self.body.setPlainText(t.body or "")
            self.timeout.setValue(t.timeout)
            self.client.setCurrentText(t.client)
            self.extra_urls.setPlainText("\n".join(t.extra_base_urls))
            self.balance.setCurrentText(t.balance)
            self.id_range.setValue(t.id_range)
            self.requests.set_specs(profile.requests)
            self.burst_interval.setValue(load.burst_interval)
            self.keys.set_keys(k.keys, k.file)
            self.key_header.setText(k.header)
            self.key_scheme.setText(k.scheme)
            self.mode.setCurrentText(load.mode)
            self.rate.setValue(load.rate)
            self.concurrency.setValue(load.concurrency)
            # Anything but "auto" is a count.
            self.processes.setValue(0 if load.processes == "auto" else cast(int, load.processes))
            self.pattern.setCurrentText(load.pattern)
            self.retries.setValue(r.retries)
            self.backoff.setCurrentText(r.backoff)
            self.backoff_base.setValue(r.base)
            self.backoff_cap.setValue(r.cap)
            self.total_requests.setValue(lim.total_requests or 0)
            self.duration.setValue(lim.duration or 0)
        finally:
            self._loading = False
        self._validate()

    def set_base_url(self, url: str) -> None:
        self.base_url.setText(url)

    # --- validation ------------------------------------------------------------------------
    @property
    def error(self) -> ProfileError | None:
        return self._error

    def is_valid(self) -> bool:
        return self._error is None

    def validated_profile(self) -> Profile:
        """The profile, validated, with its key file read; raises ProfileError."""
        profile = self.profile()
        check_body(profile)
        validated = profile.validated()
        validated.resolved_keys()
        return validated

    def _edited(self) -> None:
        if self._loading:
            return
        self._validate()
        self.changed.emit()

    def _validate(self) -> None:
        was_valid = self._error is None
        profile = self.profile()
        mode = profile.load.mode
        self.rate.setEnabled(mode == "rate")
        self.burst_interval.setEnabled(mode == "burst")
        # group() gives the box a QFormLayout, and its rows' labels are QLabels.
        form = cast(QFormLayout, self.load_group.layout())
        label = cast(QLabel, form.labelForField(self.concurrency))
        label.setText({"rate": "Max in flight", "burst": "Burst size"}.get(mode, "Concurrency"))
        self.preview.show_pattern(profile.load.pattern, profile.load.concurrency)
        try:
            check_body(profile)
            validated = profile.validated()
            if validated.keys.file:
                validated.resolved_keys()
            self._error = None
        except ProfileError as exc:
            self._error = exc
        self._mark(self._error)
        if was_valid != (self._error is None):
            self.validityChanged.emit(self._error is None)

    def _mark(self, error: ProfileError | None) -> None:
        field_name = error.field or "" if error else ""
        if field_name.startswith("requests"):
            field_name = "requests"
        bad = self._field_widgets.get(field_name)
        for widget in set(self._field_widgets.values()):
            invalid = widget is bad
            if bool(widget.property("invalid")) != invalid:
                widget.setProperty("invalid", invalid)
                widget.setToolTip(str(error) if invalid else "")
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            elif invalid:
                widget.setToolTip(str(error))
        self.message.setText(str(error) if error else "")

    def set_editable(self, editable: bool) -> None:
        cast(QWidget, self.widget()).setEnabled(editable)  # the content set by _build_layout


def check_body(profile: Profile) -> None:
    """A body sent as JSON (by its Content-Type) must parse as JSON."""
    content_type = next((v for k, v in profile.target.headers.items()
                         if k.lower() == "content-type"), "")
    body = profile.target.body
    if body and "json" in content_type.lower():
        try:
            json.loads(body)
        except json.JSONDecodeError as exc:
            raise ProfileError(f"body is not valid JSON ({exc.msg} at line {exc.lineno}, "
                               f"column {exc.colno})", "target.body") from None
