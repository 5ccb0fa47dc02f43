"""The configuration panel: widgets <-> Profile, both ways, with every invalid field marked."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from loadgui.profile import DEFAULT_BASE_URL, Profile, ProfileError
from loadgui.profile_http import MOCK_BASE_URL
from loadgui.ui.form_check import as_saved, field_errors, runnable
from loadgui.ui.form_fields import Section
from loadgui.ui.form_summaries import SUMMARIES
from loadgui.ui.form_widgets import FormWidgets

PENDING_MOCK = "http://127.0.0.1:1"  # checks "mock" while the mock starts; never run
CONCURRENCY_LABELS = {"rate": "Max in flight", "burst": "Burst size"}


class ProfileForm(QScrollArea, FormWidgets):
    """Emits `changed` on every edit, `validityChanged(bool)` when validity flips and
    `errorsChanged()` when the set of invalid fields or their messages change."""

    changed = Signal()
    validityChanged = Signal(bool)
    errorsChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("profileForm")
        self.setWidgetResizable(True)
        self.setMinimumWidth(340)
        self.errors: dict[str, ProfileError] = {}  # field key -> why, in checking order
        self.mock_url = ""  # the running embedded mock server's URL, "" when off
        self.mock_pending = False  # it is starting: "mock" is not flagged meanwhile
        self._loading = False
        self._base = Profile()  # the profile last set: what the form has no field for
        self._labels: dict[str, str] = {}
        self._widgets: dict[str, QWidget] = {}
        self._sections: dict[str, Section] = {}  # field key -> the section holding it
        self.sections: dict[str, Section] = {}  # by name: headers, processes, retries...
        self._forms: dict[str, QFormLayout] = {}  # the groups' forms, by title

        self._make_widgets()
        self._build_layout()
        self._connect_widgets(self._edited)
        self.set_profile(Profile())

    def _build_layout(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.info)
        target = self._group(layout, "Target", [
            ("target.base_url", "Base URL", self.base_url),
            ("target.endpoint", "Endpoint", self.endpoint),
            ("target.method", "Method", self.method)])
        self._section(target, "headers", "Headers and body", [
            ("target.headers", "Headers", self.headers), ("target.body", "Body", self.body)])
        self.load_group = self._group(layout, "Load", [
            ("load.mode", "Mode", self.mode), ("load.rate", "Rate", self.rate),
            ("load.burst_interval", "Burst every", self.burst_interval),
            ("load.concurrency", "Concurrency", self.concurrency),
            ("load.pattern", "Pattern", self.pattern), ("", "", self.preview)])
        self._section(self.load_group, "processes", "Processes", [
            ("load.processes", "Processes", self.processes)])
        self._group(layout, "Stop after", [
            ("limits.total_requests", "Requests", self.total_requests),
            ("limits.duration", "Duration", self.duration)])
        self._section(layout, "retries", "Retries", [
            ("retry.retries", "Retries", self.retries),
            ("retry.backoff", "Backoff", self.backoff),
            ("retry.base", "Backoff base", self.backoff_base),
            ("retry.cap", "Backoff cap", self.backoff_cap)])
        self._section(layout, "keys", "API keys", [
            ("keys.keys", "", self.keys), ("keys.header", "Key header", self.key_header),
            ("keys.scheme", "Key scheme", self.key_scheme)])
        self._labels["keys.file"] = "API keys"
        self._widgets["keys.keys"] = self._widgets["keys.file"] = self.keys.list
        self._sections["keys.file"] = self.sections["keys"]
        self._section(layout, "mix", "Request mix", [("requests", "", self.requests)])
        self._labels["requests"] = "Request mix"
        self._section(layout, "transport", "More targets and transport", [
            ("target.extra_base_urls", "More targets", self.extra_urls),
            ("target.balance", "Balance", self.balance),
            ("target.id_range", "{id} range", self.id_range),
            ("target.timeout", "Timeout", self.timeout),
            ("target.client", "Client", self.client)])
        layout.addStretch()
        self.setWidget(content)

    def _group(self, parent: QVBoxLayout, title: str,
               rows: list[tuple[str, str, QWidget]]) -> QVBoxLayout:
        box = QGroupBox(title)
        outer = QVBoxLayout(box)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        self._forms[title] = form
        for key, label, widget in rows:
            self._register(key, label, widget)
            form.addRow(label, widget) if label else form.addRow(widget)
        parent.addWidget(box)
        return outer

    def _section(self, parent: QVBoxLayout, name: str, title: str,
                 rows: list[tuple[str, str, QWidget]]) -> None:
        section = Section(title, name)
        self.sections[name] = section
        for key, label, widget in rows:
            self._register(key, label or title, widget)
            section.add_row(label, widget)
            self._sections[key] = section
        parent.addWidget(section)

    def _register(self, key: str, label: str, widget: QWidget) -> None:
        if key:
            self._labels[key] = label
            shown = getattr(widget, "table", widget)  # the editors' tables show the mark
            shown.setProperty("baseTip", shown.toolTip())
            self._widgets[key] = shown

    # --- Profile <-> widgets ---------------------------------------------------------------
    def profile(self) -> Profile:
        """A draft of what the widgets show (not validated), as a file keeps it: aimed at
        "mock" when the base URL is the running embedded mock server's. Values the form has
        no field for stay as the profile last set had them."""
        base, body = self._base, self.body.toPlainText()
        draft = Profile(
            target=replace(base.target, base_url=self.base_url.text().strip(),
                           endpoint=self.endpoint.text().strip(),
                           method=self.method.currentText(), headers=self.headers.headers(),
                           body=body or None, timeout=self.timeout.value(),
                           client=self.client.currentText(),
                           extra_base_urls=[u.strip() for u in
                                            self.extra_urls.toPlainText().splitlines()
                                            if u.strip()],
                           balance=self.balance.currentText(), id_range=self.id_range.value()),
            keys=replace(base.keys, keys=self.keys.keys(), file=self.keys.key_file(),
                         header=self.key_header.text().strip(), scheme=self.key_scheme.text()),
            load=replace(base.load, mode=self.mode.currentText(),
                         concurrency=self.concurrency.value(),
                         pattern=self.pattern.currentText(), rate=self.rate.value(),
                         processes=self.processes.value() or "auto",
                         burst_interval=self.burst_interval.value()),
            retry=replace(base.retry, retries=self.retries.value(),
                          backoff=self.backoff.currentText(), base=self.backoff_base.value(),
                          cap=self.backoff_cap.value()),
            limits=replace(base.limits, total_requests=self.total_requests.value() or None,
                           duration=self.duration.value() or None),
            requests=self.requests.specs(),
        )
        return as_saved(draft, self.mock_url)

    def set_profile(self, profile: Profile) -> None:
        self._base = profile.draft()
        self._loading = True
        try:
            t, k, load, r, lim = (profile.target, profile.keys, profile.load, profile.retry,
                                  profile.limits)
            self.base_url.setText(self._shown_url(t.base_url))
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
        """Aim elsewhere without counting it as an edit of the profile."""
        self._loading = True
        try:
            self.base_url.setText(self._shown_url(url))
        finally:
            self._loading = False
        self._validate()

    def set_mock_url(self, url: str) -> None:
        """The embedded mock server started (its URL) or stopped (""). A base URL aimed at
        it follows it, and shows "mock", flagged, while it is off. Not an edit."""
        shown = self.base_url.text().strip()
        # Aimed at it: "mock", its last address, or nothing chosen yet (the default).
        aimed = shown in (MOCK_BASE_URL, "", DEFAULT_BASE_URL) or (
            bool(self.mock_url) and shown == self.mock_url)
        self.mock_url = url
        if aimed:
            self._loading = True
            try:
                self.base_url.setText(url or MOCK_BASE_URL)
            finally:
                self._loading = False
        self._validate()

    def _shown_url(self, url: str) -> str:
        return self.mock_url if url == MOCK_BASE_URL and self.mock_url else url

    def set_info(self, text: str) -> None:
        """A line above the form (an example's description); hidden when empty."""
        self.info.setText(text)
        self.info.setVisible(bool(text))

    # --- validation ------------------------------------------------------------------------
    @property
    def error(self) -> ProfileError | None:
        """The first invalid field's error (None when the profile can run)."""
        return next(iter(self.errors.values()), None)

    def is_valid(self) -> bool:
        return not self.errors

    def validated_profile(self) -> Profile:
        """The profile a run takes: aimed at the running mock for "mock", validated, with
        its key file read; raises ProfileError."""
        return runnable(self.profile(), self.mock_url)

    def label(self, key: str) -> str:
        """The label of a field, as the form shows it now."""
        if key == "load.concurrency":
            return CONCURRENCY_LABELS.get(self.mode.currentText(), "Concurrency")
        return self._labels.get(key, "Profile")

    def focus_field(self, key: str) -> None:
        """Bring a field into view (opening its section) and put the cursor in it."""
        widget = self._widgets.get(key)
        if widget is None:
            return
        section = self._sections.get(key)
        if section is not None:
            section.set_expanded(True)
        self.ensureWidgetVisible(widget)
        widget.setFocus()

    def _edited(self) -> None:
        if self._loading:
            return
        self._validate()
        self.changed.emit()

    def _validate(self) -> None:
        was_valid = self.is_valid()
        profile = self.profile()
        mode = profile.load.mode
        self.rate.setEnabled(mode == "rate")
        self.burst_interval.setEnabled(mode == "burst")
        label = cast(QLabel, self._forms["Load"].labelForField(self.concurrency))
        label.setText(self.label("load.concurrency"))
        self.preview.show_pattern(profile.load.pattern, profile.load.concurrency)
        for name, section in self.sections.items():
            section.set_summary(SUMMARIES[name](profile))
        errors = field_errors(profile, self.mock_url or (PENDING_MOCK if self.mock_pending
                                                         else ""))
        changed = [(k, str(e)) for k, e in errors.items()] != \
            [(k, str(e)) for k, e in self.errors.items()]
        self.errors = errors
        self._mark()
        if changed:
            self.errorsChanged.emit()
        if was_valid != self.is_valid():
            self.validityChanged.emit(self.is_valid())

    def _mark(self) -> None:
        bad = {self._widgets.get(key): error for key, error in self.errors.items()}
        for key, widget in self._widgets.items():
            error = bad.get(widget)
            invalid = error is not None
            tip = str(error) if error is not None else str(widget.property("baseTip") or "")
            if bool(widget.property("invalid")) != invalid:
                widget.setProperty("invalid", invalid)
                for shown in (widget, *widget.findChildren(QLineEdit)):  # a spin box's text
                    shown.style().unpolish(shown)
                    shown.style().polish(shown)
            if widget.toolTip() != tip:
                widget.setToolTip(tip)
            section = self._sections.get(key)
            if invalid and section is not None and not section.expanded:
                section.set_expanded(True)  # a field marked red is a field in sight

    def set_editable(self, editable: bool) -> None:
        cast(QWidget, self.widget()).setEnabled(editable)  # the content set by _build_layout
