"""A stored run keeps its checks' figures, and its HTML report tables them."""

import asyncio
import re

from loadgui.engine.load.run import Run
from loadgui.profile import Check, Profile
from loadgui.report_html import render_html
from loadgui.store import RunStore


def test_the_html_report_tables_each_check_of_a_stored_run(quiet_mock, tmp_path):
    p = Profile()
    p.target.base_url = quiet_mock.url
    p.retry.retries = 0
    p.load.concurrency = 2
    p.limits.total_requests = 20
    p.target.checks = [Check(status="2xx"), Check(name="instant", max_latency_ms=0.001)]
    run = Run(p)
    report = asyncio.run(run.run())
    store = RunStore.open(tmp_path / "home")
    info = store.save_run(run.profile, report, run.recorder, name="checked")
    stored = store.open_run(info.id)
    assert stored.report.checks == report.checks  # kept as the run ended
    html = render_html(stored)
    section = html[html.index('<h2 id="checks">'):html.index("<h2>Summary</h2>")]
    rows = re.findall(r'<td class="text">([^<]*)</td><td class="text">([^<]*)</td>\s*'
                      r'<td>(\S+)</td><td>(\S+)</td><td>(\S+)</td>\s*'
                      r'<td><span class="badge (\w+)">', section)
    assert rows == [("/test", "status 2xx", "20", "0", "100.00%", "pass"),
                    ("/test", "instant", "0", "20", "0.00%", "fail")]
