"""The banner above the plots: why a run failed or stopped, or that most of it is failing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from loadgui.engine import Report

HIGH_ERROR_RATE = 0.5  # at or above it the banner says so, while running and after


def banner_text(report: Report) -> str | None:
    """One sentence for the banner, or None when there is nothing to warn about."""
    if report.state == "failed":
        return _sentence("Failed", report.reason or "the run could not go on")
    high = report.attempts > 0 and report.error_rate >= HIGH_ERROR_RATE
    if report.state == "stopped":
        stopped = _sentence("Stopped", report.reason or "stopped before reaching its limits")
        return f"{stopped.rstrip('.')}; {_failing(report)}" if high else stopped
    resting = _keys_resting(report) if report.state == "running" else None
    if resting is not None:
        return f"{resting}; {_failing(report)}" if high else resting
    return _failing(report) if high else None


def _keys_resting(report: Report) -> str | None:
    """While every API key rests (quarantine), that the run waits for one, and until when."""
    if not report.keys or not all(key.resting for key in report.keys):
        return None
    back = [key.resting_until for key in report.keys if key.resting_until is not None]
    if not back:
        return "Every API key was refused (401/403): no key is left to send with"
    return (f"Every API key is resting after 401/403/429 answers (quarantine): sending "
            f"resumes at {min(back):.1f} s")


def banner_severity(report: Report) -> str:
    """"error" for a failed or mostly failing run, "warning" for one only stopped."""
    if report.state == "failed" or (report.requests and report.error_rate >= HIGH_ERROR_RATE):
        return "error"
    return "warning"


def _sentence(prefix: str, reason: str) -> str:
    """"Stopped before reaching its limits", not "Stopped: stopped before ..."."""
    if reason.lower().startswith(prefix.lower()):
        return reason[0].upper() + reason[1:]
    return f"{prefix}: {reason}"


def _failing(report: Report) -> str:
    """"73 % of 1,200 attempts failed, most often HTTP 500 × 800" (starts with a digit)."""
    text = (f"{report.error_rate * 100:.0f} % of {report.attempts:,} attempts "
            f"{'have failed' if report.state == 'running' else 'failed'}")
    if report.errors:
        top = report.errors[0]
        text += f", most often {top.message} × {top.count:,}"
    return text


class RunBanner(QFrame):
    """Hidden unless the report it was shown last warrants a warning."""

    showFailures = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("runBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setObjectName("runBannerText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton("Show failures")
        self.button.setObjectName("showFailuresButton")
        self.button.clicked.connect(self.showFailures)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setVisible(False)

    def show_report(self, report: Report) -> None:
        text = banner_text(report)
        if text is None:
            self.clear()
            return
        if self.text.text() != text:
            self.text.setText(text)
        severity = banner_severity(report)
        if self.property("severity") != severity:
            self.setProperty("severity", severity)
            self.style().unpolish(self)  # the stylesheet colours by severity
            self.style().polish(self)
        self.button.setVisible(bool(report.errors))
        self.setVisible(True)

    def clear(self) -> None:
        self.setVisible(False)
        self.text.setText("")
