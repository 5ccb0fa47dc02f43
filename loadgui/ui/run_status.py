"""The status bar during and after a run: state, elapsed time, progress and headline figures."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from loadgui.engine import Report
from loadgui.engine.stats.units import NO_VALUE, ms_text

PROGRESS_STEPS = 1000


def with_ms(seconds: float) -> str:
    """"12.3 ms", or "–" without a value."""
    text = ms_text(seconds)
    return text if text == NO_VALUE else f"{text} ms"


def load_text(report: Report, rate_format: str = ",.0f") -> str:
    """"2,000 requests  ·  19/s", or with retries "2,000 requests (2,235 attempts)  ·
    21 attempts/s": the rate counts attempts, what the server received."""
    if report.attempts == report.requests:
        return f"{report.requests:,} requests  ·  {report.rps:{rate_format}}/s"
    return (f"{report.requests:,} requests ({report.attempts:,} attempts)  ·  "
            f"{report.rps:{rate_format}} attempts/s")


def figures_text(report: Report) -> str:
    """The headline figures of a report, on one line."""
    text = (f"{load_text(report)}  ·  "
            f"p50 {with_ms(report.latency.p50)}  ·  p99 {with_ms(report.latency.p99)}  ·  "
            f"errors {report.error_rate * 100:.1f}%")
    generator = report.generator
    if generator.asked:
        text += f"  ·  asked {generator.asked_rps:,.0f}/s"
        if report.service is not None:
            text += f"  ·  service p99 {with_ms(report.service.p99)}"
        if generator.late_sends or generator.dropped:
            text += f"  ·  behind: {generator.late_sends:,} late, {generator.dropped:,} dropped"
    return text


class RunStatus:
    def __init__(self, bar: QStatusBar):
        self.state = _label("ready", "runStateLabel")
        self.elapsed = _label("", "elapsedLabel")
        self.progress = QProgressBar()
        self.progress.setObjectName("runProgress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.figures = _label("", "figuresLabel")
        bar.addWidget(self.state)
        bar.addWidget(self.elapsed)
        bar.addWidget(self.progress)
        bar.addPermanentWidget(self.figures)

    def run_started(self) -> None:
        self.progress.setRange(0, 0)  # busy until a report says how far the run is
        self.progress.setVisible(True)
        self.state.setText("running")
        self.elapsed.setText("0.0 s")
        self.figures.setText("")

    def show_report(self, report: Report) -> None:
        self.elapsed.setText(f"{report.elapsed:.1f} s")
        steps = 0 if report.progress is None else PROGRESS_STEPS  # (0, 0): busy, no limit
        if self.progress.maximum() != steps:
            self.progress.setRange(0, steps)
        if report.progress is not None:
            self.progress.setValue(round(report.progress * PROGRESS_STEPS))
        self.figures.setText(figures_text(report))

    def run_finished(self, state: str) -> None:
        self.progress.setVisible(False)
        self.state.setText(state)


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    return label
