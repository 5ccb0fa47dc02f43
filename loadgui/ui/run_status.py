"""The status bar during and after a run: state, elapsed time, progress and headline figures."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from loadgui.commands.run_text import ms
from loadgui.engine import Run, Snapshot
from loadgui.profile import Profile

PROGRESS_STEPS = 1000


class RunStatus:
    def __init__(self, bar: QStatusBar):
        self.state = QLabel("ready", objectName="runStateLabel")
        self.elapsed = QLabel("", objectName="elapsedLabel")
        self.progress = QProgressBar(objectName="runProgress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.figures = QLabel("", objectName="figuresLabel")
        bar.addWidget(self.state)
        bar.addWidget(self.elapsed)
        bar.addWidget(self.progress)
        bar.addPermanentWidget(self.figures)

    def run_started(self, profile: Profile) -> None:
        limited = profile.limits.total_requests or profile.limits.duration
        self.progress.setRange(0, PROGRESS_STEPS if limited else 0)  # (0, 0) = busy
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.state.setText("running")
        self.elapsed.setText("0.0 s")

    def show(self, s: Snapshot, run: Run | None) -> None:
        self.elapsed.setText(f"{s.elapsed:.1f} s")
        progress = run.progress() if run else None
        if progress is not None:
            self.progress.setValue(round(progress * PROGRESS_STEPS))
        open_model = ""
        if s.asked and run is not None:
            open_model = (f"  ·  asked {run.asked_rps:,.0f}/s  ·  service p99 "
                          f"{ms(s.service_p99)} ms")
            if s.late_sends or s.dropped:
                open_model += f"  ·  behind: {s.late_sends:,} late, {s.dropped:,} dropped"
        self.figures.setText(
            f"requests {s.requests:,}  ·  {s.rps:,.0f} rps  ·  p50 {ms(s.latency_p50)} ms  ·  "
            f"p99 {ms(s.latency_p99)} ms  ·  errors {s.error_rate * 100:.1f}%{open_model}")

    def run_finished(self, state: str, run: Run | None) -> None:
        self.progress.setVisible(False)
        self.state.setText(state)
