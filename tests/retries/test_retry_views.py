"""The window's keys table and summary, and the CLI summary, render the retry figures."""

import asyncio

import pytest

from loadgui.commands.run_text import progress_line, summary_text
from loadgui.engine import Run
from loadgui.engine.stats.units import NO_VALUE
from loadgui.ui.keys_table import KeysTable
from loadgui.ui.results_view import KEYS_TAB, ResultsView
from loadgui.ui.summary_table import SummaryTable
from tests.retries.retry_run_helpers import run_virtual, script_profile
from tests.retries.retry_server import serve_script


@pytest.fixture(scope="module")
def keyed_report():
    """7 requests over three keys: key 0 refused once (out for good), key 1 rate limited
    once and retried with key 2."""
    with serve_script() as (url, calls):
        p = script_profile(url, "/by-key", total=4, retries=1, backoff=0.01,
                           keys=["bad-0000", "limited-1111", "good-2222"],
                           quarantine_after=1, quarantine_rest=30.0)
        r = run_virtual(p)
        assert calls.keys == ["bad-0000", "limited-1111", "good-2222", "good-2222",
                              "good-2222"]
        return r.report()


def test_the_keys_table_shows_each_key_and_its_rest(qtbot, keyed_report):
    table = KeysTable()
    qtbot.addWidget(table)
    assert table.has_rows(keyed_report)
    table.show_report(keyed_report)
    assert table.rowCount() == 3
    rows = [[table.value(column, row) for column in (
        "Key", "Attempts", "Successes", "401/403", "429", "Last status")] for row in range(3)]
    assert rows == [["key 0", "1", "0", "1", "0", "401"], ["key 1", "1", "0", "0", "1", "429"],
                    ["key 2", "3", "3", "0", "0", "200"]]
    assert table.value("Resting until", 0) == "for good"
    rest_end = keyed_report.key_rests[1].end
    assert table.value("Resting until", 1) == f"{rest_end:.1f} s"
    assert table.value("Resting until", 2) == NO_VALUE
    assert "answered 401" in table.item(0, 0).toolTip()
    assert "resting 30 s" in table.item(1, 0).toolTip()
    assert "bad-0000" not in str([table.item(r, c).toolTip() for r in range(3)
                                  for c in range(table.columnCount())])
    table.clear_rows()
    assert table.rowCount() == 0


def test_the_summary_table_shows_requests_beside_attempts(qtbot, keyed_report):
    table = SummaryTable()
    qtbot.addWidget(table)
    table.show_report(keyed_report)
    assert table.value("Requests") == "4" and table.value("Attempts") == "5"
    assert table.value("Successes") == "3"


def test_the_cli_summary_says_requests_attempts_and_per_key_figures(keyed_report):
    text = summary_text(keyed_report)
    assert "requests              4   (requests sent: -n/--total-requests counts these)" in text
    assert "attempts              5   (1 of them retries)" in text
    assert "retried           1.250x  attempts per request; requests by retries: 0: 3  1: 1" \
        in text
    assert "of requests in the end; 50.00% at the first attempt" in text
    assert "key 0" in text and "for good" in text and "answered 401" in text
    assert "bad-0000" not in text
    assert "(5 attempts)" in progress_line(keyed_report)


def test_the_results_view_shows_the_api_keys_tab_only_with_keys(qtbot):
    # On the real clock: the window's latency histogram needs latencies above 0.
    with serve_script() as (url, _):
        p = script_profile(url, "/by-key", total=6, retries=0, keys=["bad-0", "good-1"],
                           quarantine_after=1)
        report = asyncio.run(Run(p).run())
    view = ResultsView()
    qtbot.addWidget(view)
    assert not view.tabs.isTabVisible(KEYS_TAB)
    view.show_report(report)
    assert view.tabs.isTabVisible(KEYS_TAB) and view.tabs.tabText(KEYS_TAB) == "API keys"
    assert [view.keys.value("Attempts", row) for row in range(2)] == ["1", "5"]
    assert view.keys.value("Resting until", 0) == "for good"
    view.clear()
    assert not view.tabs.isTabVisible(KEYS_TAB) and view.keys.rowCount() == 0
