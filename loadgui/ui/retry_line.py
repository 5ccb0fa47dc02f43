"""A line under the summary for what the table has no columns for: how retries amplified the
load, first-attempt vs final success, request latency (backoff included), Retry-After waits,
and new connections' connect times. Hidden when the run had none of them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from loadgui.engine import Report
from loadgui.engine.stats.units import ms_text


def retry_text(report: Report) -> str:
    """The line's text; "" when the run had no retries and opened no measured connection."""
    parts = []
    f = report.request_figures
    if f is not None and f.attempts != f.requests:
        parts.append(f"{f.amplification:.3f}× attempts per request")
        parts.append(f"success {f.first_attempt_success_rate:.1%} at the first attempt, "
                     f"{f.final_success_rate:.1%} in the end")
        parts.append(f"request latency p50 {ms_text(f.latency.p50)} ms, "
                     f"p99 {ms_text(f.latency.p99)} ms (backoff included)")
        if f.retry_after_waits:
            parts.append(f"{f.retry_after_waits:,} waits set by Retry-After")
    c = report.connect
    if c is not None and c.count:
        plural = "s" if c.count != 1 else ""
        parts.append(f"{c.count:,} new connection{plural}: connect p50 {ms_text(c.p50)} ms, "
                     f"p99 {ms_text(c.p99)} ms")
    return "  ·  ".join(parts)


class RetryLine(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("retryLine")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setToolTip("Requests are what the run asked for; attempts every send, retries "
                        "included (the table's figures count attempts)")
        self.hide()

    def show_report(self, report: Report) -> None:
        text = retry_text(report)
        if text != self.text():
            self.setText(text)
        self.setVisible(bool(text))
