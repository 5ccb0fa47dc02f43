"""The form's Thresholds section: one expression a line ("p95 < 300ms"), the first bad line
named under it; the profile's own check marks the field like any other invalid one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from loadgui.profile_thresholds import ThresholdSyntaxError, parse_threshold
from loadgui.ui.form_fields import Section
from loadgui.ui.theme import INVALID_COLOR

if TYPE_CHECKING:
    from loadgui.ui.form_layout import FormLayout

KEY = "thresholds"  # the profile field, as ProfileError.field names it
HINT = ("One a line, each must hold for the run to pass: p95 < 300ms, error_rate < 1%, "
        "rps > 500, checks > 99%, request:login p99 < 1s")


def line_error(lines: list[str]) -> str:
    """"line 2: ..." for the first line that does not parse; "" when all do."""
    for number, line in enumerate(lines, 1):
        try:
            parse_threshold(line)
        except ThresholdSyntaxError as exc:
            return f"line {number}: {exc}"
    return ""


def thresholds_summary(expressions: list[str]) -> str:
    if not expressions:
        return "none: the run passes whatever its figures"
    shown = ", ".join(expressions[:3])
    return f"{len(expressions)}: {shown}{'…' if len(expressions) > 3 else ''}"


class ThresholdsEditor(QWidget):
    """`changed` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = QPlainTextEdit()
        self.text.setObjectName("thresholdsEdit")
        self.text.setPlaceholderText("p95 < 300ms\nerror_rate < 1%")
        self.text.setToolTip(HINT)
        self.text.setMaximumHeight(80)
        self.error = QLabel()
        self.error.setObjectName("thresholdsLineError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {INVALID_COLOR};")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.text)
        layout.addWidget(self.error)
        self.text.textChanged.connect(self._edited)

    def expressions(self) -> list[str]:
        """The non-empty lines, stripped."""
        return [line.strip() for line in self.text.toPlainText().splitlines() if line.strip()]

    def set_expressions(self, expressions: list[str]) -> None:
        self.text.setPlainText("\n".join(expressions))

    def _edited(self) -> None:
        message = line_error(self.expressions())
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.changed.emit()


def add_thresholds_section(form: FormLayout, content: QWidget) -> ThresholdsEditor:
    """The section, placed last in the form's `content` and registered as the field
    "thresholds" (red mark, label in the validation bar, focus); its folded summary is kept
    up to date here."""
    editor = ThresholdsEditor()
    section = Section("Thresholds", KEY)
    section.add_row("", editor)
    layout = content.layout()
    assert isinstance(layout, QBoxLayout)  # FormLayout._build_layout's column
    layout.insertWidget(layout.count() - 1, section)  # before the closing stretch
    form._register(KEY, "Thresholds", editor.text)
    form._sections[KEY] = section
    editor.changed.connect(lambda: section.set_summary(thresholds_summary(editor.expressions())))
    section.set_summary(thresholds_summary([]))
    return editor
