"""The HTML report: one file, every section, no secret, nothing to fetch."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pytest
from store_helpers import HEADER_SECRET, SECRET_KEYS, URL_PASSWORD
from test_store_faults import save_synthetic

from loadgui.report_html import render_html
from loadgui.report_html.svg import MAX_POINTS, Line, line_chart, nice_step


class Outline(HTMLParser):
    """Headings, SVG charts and anything that would load something."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.charts = 0
        self.loads: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "h2":
            self._in_heading = True
            self.headings.append("")
        self.charts += tag == "svg"
        if tag in ("script", "link", "img", "iframe") or "src" in names or "href" in names:
            self.loads.append(tag)

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_heading = False

    def handle_data(self, data):
        if self._in_heading:
            self.headings[-1] = f"{self.headings[-1]} {data.strip()}".strip()


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_a_real_run_renders_every_section_offline(store, real_run):
    handle = real_run(requests=200, mix=True)
    store.save_run(handle.profile, handle.report(), handle.recorder, name="smoke")
    html = render_html(store.open_run("latest"))
    page = outline(html)
    assert page.headings == ["Summary", "Charts", "Per request", "Per API key", "Failures",
                             "Profile", "Environment"]
    assert page.charts == 6  # requests, latency, classes, workers, error rate, histogram
    assert page.loads == []
    for secret in (*SECRET_KEYS, URL_PASSWORD, HEADER_SECRET):
        assert secret not in html
    assert "2 API keys: never stored" in html
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls and all(u.startswith(handle.report().target.rsplit("/", 1)[0]) for u in urls)
    assert "Python" in html and "loadgui" in html and "No failures." in html


def test_failures_with_their_messages_and_a_comparison(store):
    save_synthetic(store, 3000, name="api")
    save_synthetic(store, 3000, name="api", error_share=0.2, latency_s=0.04)
    html = render_html(store.open_run("latest"), store.open_run("previous"))
    page = outline(html)
    assert page.headings[0].startswith("Comparison") and "worse" in page.headings[0]
    assert page.charts == 2 + 5
    assert "boom" in html and "Same profile" not in html
    assert "Both runs used the same profile." in html


def test_a_run_without_its_columns_still_renders(store):
    info = save_synthetic(store, 500)
    for chunk in (store.runs_dir / info.uid).glob("*.npz"):
        chunk.unlink()
    run = store.open_run(info.id)
    run.columns()
    html = render_html(run)
    assert "are gone" in html and "500" in html


def test_a_run_with_no_success_renders():
    from test_compare import report

    from loadgui.report_html.charts import run_charts

    charts = run_charts(report(error_share=1.0))
    assert "no successful request" in charts[-1]


def test_nice_steps():
    assert [nice_step(v) for v in (1, 7, 10, 95, 1234)] == [0.2, 2, 2, 20, 500]


def test_long_series_are_thinned_and_nan_breaks_lines():
    t = np.arange(100_000, dtype=float)
    y = np.sin(t / 1000) + 2
    y[50_000:50_010] = np.nan
    svg = line_chart("long", [Line("y", t, y, "#000")])
    points = sum(len(p.split()) for p in re.findall(r'polyline points="([^"]+)"', svg))
    assert points <= MAX_POINTS + 2
    assert svg.count("<polyline") == 2
    assert len(svg) < 40_000


@pytest.mark.parametrize("values", [np.zeros(5), np.full(5, np.nan), np.zeros(0)])
def test_empty_and_flat_lines_draw(values):
    svg = line_chart("flat", [Line("y", np.arange(len(values), dtype=float), values, "#000")])
    assert svg.startswith("<svg") and "nan" not in svg
