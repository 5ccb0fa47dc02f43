"""Colours and the stylesheet; chosen to read on light and dark palettes alike.

Plot backgrounds and text follow the application palette (`plot_colors`); widgets that draw
plots re-read it when the palette changes, so a switch between light and dark follows the
system while the window is open.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

THROUGHPUT_COLOR = "#3b82f6"
LEVEL_COLOR = "#8b5cf6"
LATENCY_COLORS = {"avg": "#94a3b8", "p50": "#22c55e", "p90": "#f59e0b", "p99": "#ef4444"}
CLASS_COLORS = {
    "2xx": "#22c55e",
    "3xx": "#06b6d4",
    "4xx": "#f59e0b",
    "5xx": "#ef4444",
    "errors": "#a855f7",
}
INVALID_COLOR = "#ef4444"
WARNING_COLOR = "#f59e0b"
PRIMARY_COLOR, PRIMARY_HOVER, PRIMARY_TEXT = "#2563eb", "#1d4ed8", "#ffffff"
ON_COLOR = "#16a34a"
# The banners keep their own light background, so their dark text reads on any palette.
ERROR_BACKGROUND, WARNING_BACKGROUND, BANNER_TEXT = "#fee2e2", "#fef3c7", "#1f2937"

STYLESHEET = f"""
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QTableWidget[invalid="true"],
QListWidget[invalid="true"] {{
    border: 1px solid {INVALID_COLOR};
    border-radius: 3px;
}}
/* A border would redraw a spin box without its arrows: its text field is tinted instead. */
QAbstractSpinBox[invalid="true"] QLineEdit {{ background: {ERROR_BACKGROUND};
                                               color: #991b1b; }}
QLabel#validationMessage {{ color: {INVALID_COLOR}; }}
QGroupBox {{ font-weight: 600; }}
QPushButton#startButton {{ font-weight: 600; padding: 5px 18px; border-radius: 4px;
                           border: 1px solid {PRIMARY_HOVER}; background: {PRIMARY_COLOR};
                           color: {PRIMARY_TEXT}; }}
QPushButton#startButton:hover {{ background: {PRIMARY_HOVER}; }}
QPushButton#startButton:disabled {{ background: palette(button); color: palette(mid);
                                    border: 1px solid palette(mid); }}
QPushButton#stopButton {{ padding: 5px 12px; }}
QToolButton#mockToggle {{ padding: 3px 8px; border: 1px solid palette(mid); border-radius: 4px; }}
QToolButton#mockToggle:checked {{ border-color: {ON_COLOR}; color: {ON_COLOR};
                                  font-weight: 600; }}
QToolButton#mockSettingsButton {{ padding: 3px 8px; border: 1px solid palette(mid);
                                 border-radius: 4px; }}
QToolButton#mockSettingsButton::menu-indicator {{ image: none; width: 0; }}
QFrame#validationBar {{ border: 1px solid {INVALID_COLOR}; border-radius: 4px;
                        background: {ERROR_BACKGROUND}; }}
QFrame#validationBar QLabel {{ color: {BANNER_TEXT}; }}
QFrame#validationBar QToolButton {{ color: #b91c1c; text-decoration: underline;
                                    border: none; background: transparent; padding: 0 2px; }}
QFrame#runBanner {{ border-radius: 4px; border: 1px solid {WARNING_COLOR};
                    background: {WARNING_BACKGROUND}; }}
QFrame#runBanner[severity="error"] {{ border-color: {INVALID_COLOR};
                                     background: {ERROR_BACKGROUND}; }}
QLabel#runBannerText {{ color: {BANNER_TEXT}; font-weight: 600; }}
QLabel#profileInfo {{ border: 1px solid palette(mid); border-radius: 4px; padding: 4px 6px; }}
QToolButton[section="true"] {{ border: none; font-weight: 600; text-align: left; }}
QLabel#emptyState {{ color: palette(mid); font-size: 15pt; }}
"""


def plot_colors(widget: QWidget) -> tuple[QColor, QColor]:
    """(background, foreground) for plots drawn inside `widget`, from its window's palette
    (a style sheet keeps the children's palettes as they were when it was applied)."""
    palette = widget.window().palette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


def is_dark(widget: QWidget) -> bool:
    return plot_colors(widget)[0].lightness() < 128
