"""Scaling decisions as plain numbers: no processes, the time is passed in."""

from mock_server.autoscaler import (
    InstanceLoad,
    InstanceState,
    ScalingPolicy,
    decide,
    desired_instances,
)

POLICY = ScalingPolicy(min_instances=2, max_instances=5, target_concurrency=10, cool_down=3.0)
READY = InstanceState.READY


def load(
    name: str,
    in_flight: int = 0,
    *,
    state: InstanceState = READY,
    idle_since: float | None = 0.0,
    started_at: float = 0.0,
    holds_items: bool = False,
) -> InstanceLoad:
    return InstanceLoad(
        name, state, in_flight, None if in_flight else idle_since, started_at, holds_items
    )


def test_desired_is_demand_over_target_within_limits() -> None:
    assert [desired_instances(POLICY, d) for d in (0, 10, 20, 21, 45, 1000)] == [2, 2, 2, 3, 5, 5]


def test_steady_load_at_target_changes_nothing() -> None:
    decision = decide(POLICY, [load("1", 10), load("2", 10)], queued=0, now=100)
    assert not decision.changes


def test_average_over_target_starts_instances() -> None:
    decision = decide(POLICY, [load("1", 15), load("2", 10)], queued=5, now=100)
    assert decision.start == 1  # demand 30 -> 3 instances
    assert decision.demand == 30


def test_never_beyond_the_maximum() -> None:
    decision = decide(POLICY, [load("1", 100), load("2", 100)], queued=500, now=100)
    assert decision.start == 3


def test_starting_instances_count_as_capacity() -> None:
    starting = InstanceState.STARTING
    instances = [load("1", 15), load("2", 15), load("3", state=starting, idle_since=None)]
    assert not decide(POLICY, instances, queued=0, now=100).changes


def test_below_minimum_starts_replacements() -> None:
    assert decide(POLICY, [load("1")], queued=0, now=100).start == 1


def test_idle_surplus_stops_only_after_the_cool_down() -> None:
    instances = [
        load("1", idle_since=98.0),
        load("2", idle_since=99.0),
        load("3", idle_since=98.5, started_at=50),
    ]
    assert not decide(POLICY, instances, queued=0, now=100).changes
    assert decide(POLICY, instances, queued=0, now=101.6).stop == ("3",)


def test_never_below_the_minimum_and_newest_go_first() -> None:
    instances = [load(str(n), started_at=n) for n in range(1, 6)]
    decision = decide(POLICY, instances, queued=0, now=100)
    assert decision.stop == ("5", "4", "3")


def test_busy_instances_are_not_stopped() -> None:
    instances = [load("1"), load("2", 15, started_at=9), load("3", 10, started_at=8), load("4")]
    assert decide(POLICY, instances, queued=0, now=100).stop == ("1",)  # 25 in flight: keep 3


def test_instances_holding_items_are_stopped_last() -> None:
    instances = [
        load("1", started_at=1),
        load("2", started_at=2, holds_items=True),
        load("3", started_at=3, holds_items=True),
    ]
    assert decide(POLICY, instances, queued=0, now=100).stop == ("1",)


def test_draining_instances_count_for_nothing() -> None:
    draining = InstanceState.DRAINING
    instances = [load("1"), load("2", state=draining), load("3", state=draining)]
    assert decide(POLICY, instances, queued=0, now=100).start == 1
