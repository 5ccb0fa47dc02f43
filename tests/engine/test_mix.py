"""Weighted request mixes, generated bodies and several targets, against real servers."""

import asyncio
import contextlib
import socket
from collections import Counter

import pytest
from live_app import serve_live_app

from loadgui.engine import Run
from loadgui.engine.load.mix import generated_json
from loadgui.profile import Profile, RequestSpec


@pytest.fixture(scope="module")
def three():
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(serve_live_app()) for _ in range(3)]


def run(p: Profile) -> Run:
    r = Run(p)
    asyncio.run(r.run())
    return r


def mix_profile(url: str, requests: list[RequestSpec], total: int, **target) -> Profile:
    p = Profile()
    p.target.base_url = url
    for name, value in target.items():
        setattr(p.target, name, value)
    p.requests = requests
    p.load.concurrency = 8
    p.retry.retries = 0
    p.limits.total_requests = total
    return p.validate()


def test_generated_json_has_the_exact_size():
    for size in (11, 1024, 25 * 1024 * 1024):
        body = generated_json(size)
        assert len(body) == size and body.startswith(b'{"data":"') and body.endswith(b'"}')


def test_weights_are_honoured_and_per_request_figures_sum_to_the_totals(three):
    (url, _), *_ = three
    p = mix_profile(url, [RequestSpec(name="small", path="/ok", weight=3),
                          RequestSpec(name="status", path="/status/404", weight=1)], 2000)
    r = run(p)
    cols = r.recorder.columns()
    counts = Counter(cols["request"].tolist())
    # 2,000 draws at p = 0.75: the standard deviation is ~19, so ±80 is over 4 sigma.
    assert abs(counts[0] - 1500) < 80 and counts[0] + counts[1] == 2000
    s = r.report()
    groups = s.breakdowns["request"]
    assert [g.name for g in groups] == ["small", "status"]
    assert sum(g.requests for g in groups) == s.requests
    assert sum(g.successes for g in groups) == s.successes
    assert sum(g.failures for g in groups) == s.failures
    assert groups[1].successes == 0 and groups[1].failures == counts[1]


def test_a_25_mb_generated_body_arrives_whole(three):
    (url, seen), *_ = three
    seen.upload_sizes.clear()
    size = 25 * 1024 * 1024
    p = mix_profile(url, [RequestSpec(name="large", method="POST", path="/upload",
                                      body_size=size)], 3).draft()
    p.target.timeout = 60
    r = run(p)
    assert r.report().successes == 3
    assert seen.upload_sizes == [size] * 3


def test_round_robin_spreads_evenly_over_three_targets(three):
    urls = [u for u, _ in three]
    p = mix_profile(urls[0], [RequestSpec(name="get", path="/ok")], 300,
                    extra_base_urls=urls[1:])
    r = run(p)
    assert Counter(r.recorder.columns()["target"].tolist()) == {0: 100, 1: 100, 2: 100}
    assert r.recorder.labels["target"] == urls


def test_sticky_keeps_every_id_on_one_target(three):
    urls = [u for u, _ in three]
    for _, seen in three:
        seen.items.clear()
    p = mix_profile(urls[0], [RequestSpec(name="item", path="/items/{id}")], 600,
                    extra_base_urls=urls[1:], balance="sticky", id_range=50)
    run(p)
    owners: dict[str, set[int]] = {}
    for index, (_, seen) in enumerate(three):
        for item in seen.items:
            owners.setdefault(item, set()).add(index)
    assert sum(len(seen.items) for _, seen in three) == 600
    assert all(len(targets) == 1 for targets in owners.values())
    assert len({next(iter(t)) for t in owners.values()}) == 3  # the ids spread over all three


def test_a_dead_target_is_reported_and_the_others_keep_working(three):
    urls = [u for u, _ in three][:2]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    p = mix_profile(urls[0], [RequestSpec(name="get", path="/ok")], 300,
                    extra_base_urls=[dead, urls[1]])
    r = run(p)
    groups = r.report().breakdowns["target"]
    assert [g.requests for g in groups] == [100, 100, 100]
    assert groups[0].successes == 100 and groups[2].successes == 100
    assert groups[1].exceptions == 100 and groups[1].name == dead
