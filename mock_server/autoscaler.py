"""Pure scaling decisions: how many instances to start, which idle ones to stop.

No clock, no processes, no I/O: the caller passes the current time and a view of each instance,
so every rule is testable with plain numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class InstanceState(StrEnum):
    STARTING = "starting"
    READY = "ready"
    UNHEALTHY = "unhealthy"
    DRAINING = "draining"


@dataclass(frozen=True)
class ScalingPolicy:
    min_instances: int
    max_instances: int
    target_concurrency: float
    cool_down: float


@dataclass(frozen=True)
class InstanceLoad:
    """What the autoscaler needs to know about one instance."""

    instance_id: str
    state: InstanceState
    in_flight: int
    idle_since: float | None
    """When in_flight last dropped to zero (None while busy or starting)."""
    started_at: float
    holds_items: bool = False


@dataclass(frozen=True)
class ScalingDecision:
    start: int = 0
    stop: tuple[str, ...] = ()
    desired: int = 0
    demand: int = 0

    @property
    def changes(self) -> bool:
        return self.start > 0 or bool(self.stop)


def desired_instances(policy: ScalingPolicy, demand: int) -> int:
    """Instances needed so that demand per instance stays at or under the target."""
    wanted = math.ceil(demand / policy.target_concurrency)
    return max(policy.min_instances, min(policy.max_instances, wanted))


def decide(
    policy: ScalingPolicy, instances: Sequence[InstanceLoad], queued: int, now: float
) -> ScalingDecision:
    """Start instances while demand per instance exceeds the target (up to the maximum); stop
    instances idle for the cool-down while there are more than demand needs (down to the minimum).

    Demand is requests in flight plus requests waiting in the proxy's queue. Instances still
    starting count as capacity, so one burst does not start instances twice; draining ones are
    already on their way out and count for nothing.
    """
    live = [i for i in instances if i.state is not InstanceState.DRAINING]
    demand = sum(i.in_flight for i in live) + queued
    desired = desired_instances(policy, demand)
    if len(live) < desired:
        return ScalingDecision(start=desired - len(live), desired=desired, demand=demand)
    surplus = len(live) - desired
    if surplus <= 0:
        return ScalingDecision(desired=desired, demand=demand)
    idle = [
        i
        for i in live
        if i.state in (InstanceState.READY, InstanceState.UNHEALTHY)
        and i.in_flight == 0
        and i.idle_since is not None
        and now - i.idle_since >= policy.cool_down
    ]
    # Keep instances that hold items (stopping one loses them); among the rest stop the newest.
    idle.sort(key=lambda i: (i.holds_items, -i.started_at))
    chosen = tuple(i.instance_id for i in idle[:surplus])
    return ScalingDecision(stop=chosen, desired=desired, demand=demand)
