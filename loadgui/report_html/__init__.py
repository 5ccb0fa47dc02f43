"""A stored run as one self-contained HTML file: summary, charts (inline SVG), per-request,
per-target and per-key tables, failures, profile (secrets left out), environment, and a
comparison with a baseline run when given one. It opens offline: no script, no font, no
URL but the run's own target."""

from __future__ import annotations

from pathlib import Path

import jinja2

from loadgui.report_html.context import run_context
from loadgui.report_html.template import TEMPLATE
from loadgui.store.compare import DEFAULT_NOISE, compare_runs
from loadgui.store.opened import StoredRun

__all__ = ["render_html", "write_html"]

_ENVIRONMENT = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                  trim_blocks=True, lstrip_blocks=True)


def render_html(run: StoredRun, baseline: StoredRun | None = None,
                noise: float = DEFAULT_NOISE) -> str:
    """The report of `run`; with `baseline`, a comparison of `run` (B) against it (A)."""
    diff = compare_runs(baseline, run, noise) if baseline is not None else None
    template = _ENVIRONMENT.from_string(TEMPLATE)
    return template.render(run_context(run, baseline, diff))


def write_html(path: str | Path, run: StoredRun, baseline: StoredRun | None = None,
               noise: float = DEFAULT_NOISE) -> Path:
    """Write the report to `path`. Raises OSError."""
    path = Path(path)
    path.write_text(render_html(run, baseline, noise), encoding="utf-8")
    return path
