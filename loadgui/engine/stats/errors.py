"""Failed attempts grouped by what went wrong: kind, message, request, target and status.

"connection refused (127.0.0.1:8000) × 400" tells a person what to do; "connect: 400" does
not. Only failing rows are folded, so this costs nothing while everything succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from loadgui.engine.stats.basics import ErrorKind

MAX_GROUPS = 1000  # distinct groups kept; later new ones are counted under OVERFLOW
OVERFLOW = (-1, -1, -1, -1, -1)


@dataclass(frozen=True, slots=True)
class ErrorGroup:
    """Failed attempts that went wrong the same way. Times in seconds since the start."""

    kind: str  # "http" for a response with status >= 400, else the error kind
    message: str
    request: str
    target: str
    status: int  # 0 when there was no response
    count: int
    first_seen: float
    last_seen: float

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "request": self.request,
                "target": self.target, "status": self.status, "count": self.count,
                "first_seen_s": round(self.first_seen, 3),
                "last_seen_s": round(self.last_seen, 3)}


class ErrorGroups:
    """Counts and first/last time per (error kind, message, request, target, status)."""

    def __init__(self) -> None:
        # key -> [count, first seen, last seen]
        self._groups: dict[tuple[int, ...], list[float]] = {}

    def fold(self, failed: dict[str, np.ndarray]) -> None:
        """Add failing rows: columns error, message, request, target, status, t_end."""
        if len(failed["error"]) == 0:
            return
        keys = np.stack([failed[name].astype(np.int64)
                         for name in ("error", "message", "request", "target", "status")],
                        axis=1)
        unique, inverse, counts = np.unique(keys, axis=0, return_inverse=True,
                                            return_counts=True)
        inverse = inverse.ravel()
        t_end = failed["t_end"]
        first = np.full(len(unique), np.inf)
        last = np.full(len(unique), -np.inf)
        np.minimum.at(first, inverse, t_end)
        np.maximum.at(last, inverse, t_end)
        for i, row in enumerate(unique.tolist()):
            key = tuple(row)
            if key not in self._groups and len(self._groups) >= MAX_GROUPS:
                key = OVERFLOW
            entry = self._groups.setdefault(key, [0, np.inf, -np.inf])
            entry[0] += int(counts[i])
            entry[1] = min(entry[1], float(first[i]))
            entry[2] = max(entry[2], float(last[i]))

    def groups(self, messages: list[str], labels: dict[str, list[str]]) -> list[ErrorGroup]:
        """Every group, the most frequent first."""
        out = []
        for key, (count, first, last) in self._groups.items():
            out.append(_describe(key, int(count), first, last, messages, labels))
        out.sort(key=lambda g: (-g.count, g.first_seen))
        return out


def _describe(key: tuple[int, ...], count: int, first: float, last: float,
              messages: list[str], labels: dict[str, list[str]]) -> ErrorGroup:
    if key == OVERFLOW:
        return ErrorGroup("other", f"more than {MAX_GROUPS} distinct failures", "", "", 0,
                          count, first, last)
    error, message, request, target, status = key
    kind = ErrorKind(error)
    text = messages[message] if 0 < message < len(messages) else ""
    if kind is ErrorKind.NONE:
        name, text = "http", text or f"HTTP {status}"
    else:
        name = kind.name.lower()
        text = text or name
    requests, targets = labels.get("request", []), labels.get("target", [])
    return ErrorGroup(name, text, requests[request] if request < len(requests) else "",
                      targets[target] if target < len(targets) else "", status, count,
                      first, last)
