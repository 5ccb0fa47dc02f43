"""The profile form's layout: its groups and folding sections, and which widget shows which
profile field (for the red marks, the labels the validation bar names, and focus)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QVBoxLayout, QWidget

from loadgui.ui.form_fields import Section
from loadgui.ui.form_widgets import FormWidgets


class FormLayout(FormWidgets):
    """A mixin of ProfileForm: lays out the widgets FormWidgets made."""

    _labels: dict[str, str]  # field key -> its label
    _widgets: dict[str, QWidget]  # field key -> the widget that shows its mark
    _sections: dict[str, Section]  # field key -> the section holding it
    sections: dict[str, Section]  # by name: headers, processes, retries...
    _forms: dict[str, QFormLayout]  # the groups' forms, by title

    def _build_layout(self) -> QWidget:
        """The form's content, every field registered."""
        self._labels, self._widgets, self._sections = {}, {}, {}
        self.sections, self._forms = {}, {}
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
        run_on = self.run_on
        self._section(self.load_group, "processes", "Run on", [
            ("", "", run_on.choice), ("load.processes", "Processes", self.processes),
            ("load.cluster", "Scheduler", run_on.address),
            ("load.cluster_workers", "Workers", run_on.workers), ("", "", run_on.panel)])
        run_on.attach(self.sections["processes"].form, self.processes)
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
        return content

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
            if key:
                self._sections[key] = section
        parent.addWidget(section)

    def _register(self, key: str, label: str, widget: QWidget) -> None:
        if key:
            self._labels[key] = label
            shown = getattr(widget, "table", widget)  # the editors' tables show the mark
            shown.setProperty("baseTip", shown.toolTip())
            self._widgets[key] = shown
