"""The form's input widgets: spin boxes and combos that leave the wheel to the scrolling form
unless focused, wide ranges so the profile (not the widget) refuses a value, and a
collapsible section with a one-line summary.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# A spin box clamps what is typed to its range without a word; these ranges hold anything
# typed, and the profile's check names the allowed range instead.
INT_LIMIT = 2_147_483_647
FLOAT_LIMIT = 1e9


def _wheel_when_focused(widget: QWidget, event: QWheelEvent,
                        default: Callable[[QWheelEvent], None]) -> None:
    """The wheel changes a field only once it has the focus; until then it scrolls the form."""
    if widget.hasFocus():
        default(event)
    else:
        event.ignore()  # goes on to the scroll area


class SpinBox(QSpinBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel_when_focused(self, event, super().wheelEvent)


class DoubleSpinBox(QDoubleSpinBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel_when_focused(self, event, super().wheelEvent)


class ComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        _wheel_when_focused(self, event, super().wheelEvent)


def spin(name: str, low: int, special: str | None = None, high: int = INT_LIMIT) -> SpinBox:
    box = SpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setGroupSeparatorShown(True)
    if special:
        box.setSpecialValueText(special)
    return box


def dspin(name: str, low: float, suffix: str, decimals: int = 2, special: str | None = None,
          high: float = FLOAT_LIMIT) -> DoubleSpinBox:
    box = DoubleSpinBox()
    box.setObjectName(name)
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    if special:
        box.setSpecialValueText(special)
    return box


def combo(name: str, items: tuple[str, ...]) -> ComboBox:
    box = ComboBox()
    box.setObjectName(name)
    box.addItems(list(items))
    return box


class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit; the whole text is its tooltip."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        text = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                             max(self.width(), 1))
        if text != self.text():
            self.setText(text)


class Section(QWidget):
    """A titled group whose rows fold away behind one line that sums them up."""

    toggled = Signal(bool)

    def __init__(self, title: str, name: str, expanded: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.header = QToolButton()
        self.header.setObjectName(f"{name}Section")
        self.header.setProperty("section", True)
        self.header.setText(title)
        self.header.setCheckable(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.toggled.connect(self._toggled)
        self.summary = ElidedLabel()
        self.summary.setObjectName(f"{name}Summary")
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setContentsMargins(16, 2, 0, 4)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.header)
        top.addWidget(self.summary, 1)
        top.addStretch()  # the title stays left when the summary hides
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.body)
        self.header.setChecked(expanded)
        self._toggled(expanded)

    def add_row(self, label: str, widget: QWidget) -> None:
        if label:
            self.form.addRow(label, widget)
        else:
            self.form.addRow(widget)

    @property
    def expanded(self) -> bool:
        return self.header.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.header.setChecked(expanded)

    def set_summary(self, text: str) -> None:
        self.summary.set_full_text(text)

    def _toggled(self, expanded: bool) -> None:
        self.header.setArrowType(Qt.ArrowType.DownArrow if expanded else
                                 Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)
        self.summary.setVisible(not expanded)
        self.toggled.emit(expanded)
