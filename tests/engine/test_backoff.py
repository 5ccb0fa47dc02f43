import random

import pytest

from loadgui.engine.load.backoff import Backoff


def test_fixed_waits_base_every_time():
    b = Backoff("fixed", 0.5, 10)
    assert [b.delay(a) for a in range(1, 6)] == [0.5] * 5


def test_exponential_doubles_from_base_and_stops_at_cap():
    b = Backoff("exponential", 1.0, 30.0)
    assert [b.delay(a) for a in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_jitter_is_decorrelated_within_base_and_three_times_previous_capped():
    rng = random.Random(7)
    b = Backoff("jitter", 0.1, 2.0, rng)
    check = random.Random(7)
    previous = 0.1
    for attempt in range(1, 40):
        delay = b.delay(attempt)
        expected = min(2.0, check.uniform(0.1, max(0.1, previous * 3)))
        assert delay == pytest.approx(expected)
        assert 0.1 <= delay <= 2.0
        previous = delay


def test_jitter_with_same_seed_repeats():
    a = Backoff("jitter", 0.2, 5, random.Random(1))
    b = Backoff("jitter", 0.2, 5, random.Random(1))
    assert [a.delay(i) for i in range(1, 10)] == [b.delay(i) for i in range(1, 10)]


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown backoff"):
        Backoff("linear", 1, 2)
