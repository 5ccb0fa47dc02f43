"""Colours and the small stylesheet; chosen to read on light and dark palettes alike."""

from __future__ import annotations

THROUGHPUT_COLOR = "#3b82f6"
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
# The run banner keeps its own light background, so its dark text reads on any palette.
ERROR_BACKGROUND, WARNING_BACKGROUND, BANNER_TEXT = "#fee2e2", "#fef3c7", "#1f2937"

STYLESHEET = f"""
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QDoubleSpinBox[invalid="true"],
QSpinBox[invalid="true"], QTableWidget[invalid="true"], QListWidget[invalid="true"] {{
    border: 1px solid {INVALID_COLOR};
    border-radius: 3px;
}}
QLabel#validationMessage {{ color: {INVALID_COLOR}; }}
QGroupBox {{ font-weight: 600; }}
QPushButton#startButton {{ font-weight: 600; padding: 4px 14px; }}
QFrame#runBanner {{ border-radius: 4px; border: 1px solid {WARNING_COLOR};
                    background: {WARNING_BACKGROUND}; }}
QFrame#runBanner[severity="error"] {{ border-color: {INVALID_COLOR};
                                     background: {ERROR_BACKGROUND}; }}
QLabel#runBannerText {{ color: {BANNER_TEXT}; font-weight: 600; }}
"""
