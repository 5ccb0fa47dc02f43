"""A retry waits what the server's Retry-After says (or the backoff), to the injected clock."""

import email.utils

import numpy as np
import pytest

from loadgui.engine import RunState
from tests.engine.virtual_time import VirtualTime
from tests.retries.retry_run_helpers import WALL_NOW, run_virtual, script_profile


def gaps(r) -> np.ndarray:
    """Seconds from each attempt's end to the next attempt's start."""
    cols = r.recorder.columns()
    return cols["t_start"][1:] - (cols["t_start"] + cols["latency"])[:-1]


def test_a_429_with_retry_after_1_delays_the_retry_by_exactly_1_s(server):
    url, calls = server
    calls.reset()
    r = run_virtual(script_profile(url, "/script?codes=429,200&ra=1", backoff=0.25))
    cols = r.recorder.columns()
    assert r.state is RunState.COMPLETED
    assert cols["status"].tolist() == [429, 200]
    np.testing.assert_allclose(gaps(r), [1.0], rtol=0, atol=1e-9)
    figures = r.report().request_figures
    assert figures is not None and figures.retry_after_waits == 1
    assert r.report().to_dict()["request_figures"]["retry_after_waits"] == 1


def test_ignoring_retry_after_waits_the_backoff(server):
    url, calls = server
    calls.reset()
    p = script_profile(url, "/script?codes=429,200&ra=1", backoff=0.25)
    p.retry.respect_retry_after = False
    r = run_virtual(p)
    np.testing.assert_allclose(gaps(r), [0.25], rtol=0, atol=1e-9)
    assert r.report().request_figures.retry_after_waits == 0


def test_a_503_retry_after_date_counts_from_the_wall_clock_and_is_capped(server):
    url, calls = server
    calls.reset()
    in_2_s = email.utils.formatdate(WALL_NOW + 2, usegmt=True)
    r = run_virtual(script_profile(url, f"/script?codes=503,503,200&ra={in_2_s}",
                                   backoff=0.25))
    np.testing.assert_allclose(gaps(r), [2.0, 2.0], rtol=0, atol=1e-9)
    calls.reset()
    r = run_virtual(script_profile(url, "/script?codes=429,200&ra=3600", backoff=0.25))
    np.testing.assert_allclose(gaps(r), [3.0], rtol=0, atol=1e-9)  # the cap


def test_retry_after_on_another_status_is_not_honoured(server):
    url, calls = server
    calls.reset()
    # The script only sends Retry-After with 429/503; a 500 waits the backoff.
    r = run_virtual(script_profile(url, "/script?codes=500,200&ra=1", backoff=0.25))
    np.testing.assert_allclose(gaps(r), [0.25], rtol=0, atol=1e-9)
    assert r.report().request_figures.retry_after_waits == 0


def test_the_last_attempt_is_final_and_carries_the_request_latency(server):
    url, calls = server
    calls.reset()
    time = VirtualTime()
    r = run_virtual(script_profile(url, "/script?codes=503,503,200&ra=1", backoff=0.25), time)
    cols = r.recorder.columns()
    assert cols["final"].tolist() == [0, 0, 1]
    assert cols["req_latency"][:2].tolist() == [0.0, 0.0]
    end = cols["t_start"][2] + cols["latency"][2]
    assert cols["req_latency"][2] == pytest.approx(end - cols["t_start"][0], abs=1e-6)
    assert cols["req_latency"][2] >= 2.0  # both waits included
