"""Settings of one mock instance: latency, error rate, body limit, identity."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024


@dataclass
class MockSettings:
    """How a mock instance behaves. Read per request, so changing a field applies live."""

    min_latency: float = 0.01
    max_latency: float = 0.5
    error_rate: float = 0.1
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    instance_id: str = "0"

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError with a one-line message naming the first bad field."""
        _require_finite("min_latency", self.min_latency)
        _require_finite("max_latency", self.max_latency)
        _require_finite("error_rate", self.error_rate)
        if self.min_latency < 0:
            raise ValueError(f"min_latency must be >= 0, got {self.min_latency}")
        if self.max_latency < self.min_latency:
            raise ValueError(
                f"max_latency ({self.max_latency}) must be >= min_latency ({self.min_latency})"
            )
        if not 0 <= self.error_rate <= 1:
            raise ValueError(f"error_rate must be between 0 and 1, got {self.error_rate}")
        if isinstance(self.max_body_bytes, bool) or not isinstance(self.max_body_bytes, int):
            raise ValueError(f"max_body_bytes must be a whole number, got {self.max_body_bytes!r}")
        if self.max_body_bytes < 0:
            raise ValueError(f"max_body_bytes must be >= 0, got {self.max_body_bytes}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MockSettings:
        """Settings from MIN_LATENCY, MAX_LATENCY, ERROR_RATE, MAX_BODY_BYTES and INSTANCE_ID.

        Unset variables keep the dataclass defaults.
        """
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            min_latency=_env_float(env, "MIN_LATENCY", defaults.min_latency),
            max_latency=_env_float(env, "MAX_LATENCY", defaults.max_latency),
            error_rate=_env_float(env, "ERROR_RATE", defaults.error_rate),
            max_body_bytes=_env_int(env, "MAX_BODY_BYTES", defaults.max_body_bytes),
            instance_id=env.get("INSTANCE_ID", defaults.instance_id),
        )


def _require_finite(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")


def _env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


def _env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None


@dataclass(frozen=True)
class ClusterSettings:
    """How a mock cluster scales and routes. min == max gives a fixed-size cluster."""

    min_instances: int = 2
    max_instances: int = 2
    target_concurrency: float = 10.0
    """Scale up when in-flight plus queued requests per instance exceed this."""
    cold_start: float = 0.0
    """Seconds an instance started by the autoscaler waits before taking requests."""
    cool_down: float = 10.0
    """Seconds an instance must sit idle before the autoscaler may stop it."""
    instance_concurrency: int = 100
    """Requests one instance takes at once; more wait in the proxy's queue."""
    queue_timeout: float = 30.0
    health_interval: float = 1.0
    health_timeout: float = 2.0
    scale_interval: float = 0.5
    start_timeout: float = 30.0
    """Seconds an instance process may take to start serving."""

    def __post_init__(self) -> None:
        if self.min_instances < 1:
            raise ValueError(f"min_instances must be >= 1, got {self.min_instances}")
        if self.max_instances < self.min_instances:
            raise ValueError(
                f"max_instances ({self.max_instances}) must be >= "
                f"min_instances ({self.min_instances})"
            )
        if self.instance_concurrency < 1:
            raise ValueError(f"instance_concurrency must be >= 1, got {self.instance_concurrency}")
        for name in ("target_concurrency", "queue_timeout", "health_interval", "health_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")
        for name in ("cold_start", "cool_down", "scale_interval", "start_timeout"):
            value = getattr(self, name)
            _require_finite(name, value)
            if value < 0:
                raise ValueError(f"{name} must be >= 0, got {value}")

    @classmethod
    def fixed(cls, instances: int, **options: Any) -> ClusterSettings:
        """A cluster of exactly `instances` instances (dead ones are replaced)."""
        return cls(min_instances=instances, max_instances=instances, **options)

    @property
    def autoscaling(self) -> bool:
        return self.max_instances > self.min_instances
