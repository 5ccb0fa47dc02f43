"""What the store tests share besides fixtures: secrets to look for and synthetic rows.

A module of its own, not conftest.py: several test folders have a conftest, and
`from conftest import ...` would take whichever was imported first.
"""

from __future__ import annotations

import numpy as np

from loadgui.engine.stats.recorder import COLUMN_TYPES

SECRET_KEYS = ["key-alpha-93841", "key-beta-55120"]
URL_PASSWORD = "pw-7731-secret"
HEADER_SECRET = "hdr-token-66012"


def synthetic_columns(n: int, *, latency_s: float = 0.02, error_share: float = 0.0,
                      span_s: float = 10.0, seed: int = 1,
                      requests: int = 1) -> dict[str, np.ndarray]:
    """n attempts that look like a run: lognormal latencies, completion-ordered."""
    rng = np.random.default_rng(seed)
    latency = rng.lognormal(np.log(latency_s), 0.3, n)
    end = np.sort(rng.uniform(0.05, span_s, n))
    failed = rng.random(n) < error_share
    rows = {"t_start": np.maximum(end - latency, 0.0), "latency": latency,
            "status": np.where(failed, 500, 200).astype(np.int16),
            "bytes": np.full(n, 256, np.int64), "attempt": np.ones(n, np.uint8),
            "key": (np.arange(n) % 2).astype(np.int32),
            "request": (np.arange(n) % requests).astype(np.uint16),
            "message": failed.astype(np.uint16)}
    return {name: rows.get(name, np.zeros(n, dtype)) for name, dtype in COLUMN_TYPES.items()}
