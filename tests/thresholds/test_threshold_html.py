"""The HTML report's thresholds section."""

from __future__ import annotations

import re

from threshold_history_helpers import save_run_with

from loadgui.report_html import render_html
from loadgui.store import RunStore


def test_the_html_report_tables_each_threshold_pass_or_fail(tmp_path):
    store = RunStore.open(tmp_path / "home")
    slow = save_run_with(store, "slow", ["p95 < 50ms", "requests >= 20"], latency=0.2)
    plain = save_run_with(store, "plain", [])
    html = render_html(store.open_run(slow.id))
    section = html[html.index('<h2 id="thresholds">'):html.index("<h2>Summary</h2>")]
    assert re.search(r'class="badge fail">1\s+of 2 passed', section)
    rows = re.findall(r"<tr><td class=\"text\">(.*?)</td>\s*<td><span class=\"badge (\w+)\">",
                      section)
    assert rows == [("p95 &lt; 50ms", "fail"), ("requests &gt;= 20", "pass")]
    assert "p95 = 200 ms (limit &lt; 50.0 ms)" in section and "<td>200 ms</td>" in section
    assert 'id="thresholds"' not in render_html(store.open_run(plain.id))
