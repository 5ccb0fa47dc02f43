"""The configuration panel: widgets <-> Profile, both ways, with every invalid field marked."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QScrollArea, QWidget

from loadgui.profile import DEFAULT_BASE_URL, Profile, ProfileError
from loadgui.profile_http import MOCK_BASE_URL
from loadgui.ui.checks_editor import ChecksButton
from loadgui.ui.form_check import as_saved, field_errors, runnable
from loadgui.ui.form_layout import FormLayout
from loadgui.ui.form_summaries import SUMMARIES
from loadgui.ui.thresholds_editor import add_thresholds_section
from loadgui.ui.transport_fields import add_transport_fields

PENDING_MOCK = "http://127.0.0.1:1"  # checks "mock" while the mock starts; never run
CONCURRENCY_LABELS = {"rate": "Max in flight", "burst": "Burst size"}


class ProfileForm(QScrollArea, FormLayout):
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

        self._make_widgets()
        self.setWidget(self._build_layout())
        self.target_checks = ChecksButton()  # the target's request's checks
        self.sections["headers"].add_row("Checks", self.target_checks)
        self._register("target.checks", "Checks", self.target_checks)
        self._sections["target.checks"] = self.sections["headers"]
        self.target_checks.changed.connect(self._edited)
        self.thresholds = add_thresholds_section(self, cast(QWidget, self.widget()))
        self.thresholds.changed.connect(self._edited)
        self.transport_fields = add_transport_fields(self)
        self.transport_fields.changed.connect(self._edited)
        self._connect_widgets(self._edited)
        self.set_profile(Profile())

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
                           balance=self.balance.currentText(), id_range=self.id_range.value(),
                           checks=self.target_checks.checks(),
                           **self.transport_fields.values()),
            keys=replace(base.keys, keys=self.keys.keys(), file=self.keys.key_file(),
                         header=self.key_header.text().strip(), scheme=self.key_scheme.text()),
            load=replace(base.load, mode=self.mode.currentText(),
                         concurrency=self.concurrency.value(),
                         pattern=self.pattern.currentText(), rate=self.rate.value(),
                         burst_interval=self.burst_interval.value(),
                         **self.run_on.load_values(self.processes.value() or "auto")),
            retry=replace(base.retry, retries=self.retries.value(),
                          backoff=self.backoff.currentText(), base=self.backoff_base.value(),
                          cap=self.backoff_cap.value()),
            limits=replace(base.limits, total_requests=self.total_requests.value() or None,
                           duration=self.duration.value() or None),
            requests=self.requests.specs(),
            thresholds=self.thresholds.expressions(),
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
            self.target_checks.set_checks(t.checks)
            self.transport_fields.set_values(t)
            self.timeout.setValue(t.timeout)
            self.client.setCurrentText(t.client)
            self.extra_urls.setPlainText("\n".join(t.extra_base_urls))
            self.balance.setCurrentText(t.balance)
            self.id_range.setValue(t.id_range)
            self.requests.set_specs(profile.requests)
            self.thresholds.set_expressions(list(profile.thresholds))
            self.burst_interval.setValue(load.burst_interval)
            self.keys.set_keys(k.keys, k.file)
            self.key_header.setText(k.header)
            self.key_scheme.setText(k.scheme)
            self.mode.setCurrentText(load.mode)
            self.rate.setValue(load.rate)
            self.concurrency.setValue(load.concurrency)
            # Anything but "auto" is a count.
            self.processes.setValue(0 if load.processes == "auto" else cast(int, load.processes))
            self.run_on.set_values(load)
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
        self.run_on.show_choices()
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
