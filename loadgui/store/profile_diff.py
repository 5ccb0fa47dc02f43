"""What differs between two stored profiles, field by field ("load.concurrency: 20 → 50")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_ABSENT = object()


@dataclass(frozen=True, slots=True)
class ProfileChange:
    path: str  # e.g. "load.concurrency", "requests[1].path"
    a: Any  # the value in run A; None when absent there (see `in_a`)
    b: Any
    in_a: bool = True
    in_b: bool = True

    def text(self) -> str:
        a = _shown(self.a) if self.in_a else "(none)"
        b = _shown(self.b) if self.in_b else "(none)"
        return f"{self.path}: {a} → {b}"

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.path, "a": self.a if self.in_a else None,
                "b": self.b if self.in_b else None, "in_a": self.in_a, "in_b": self.in_b}


def profile_changes(a: dict[str, Any], b: dict[str, Any]) -> tuple[ProfileChange, ...]:
    """Every leaf field whose value differs, in the profiles' own order."""
    flat_a, flat_b = _flat(a), _flat(b)
    changes = []
    for path in dict.fromkeys([*flat_a, *flat_b]):
        if path == "version":
            continue
        va, vb = flat_a.get(path, _ABSENT), flat_b.get(path, _ABSENT)
        if va != vb and not ((_empty(va) and vb is _ABSENT) or (_empty(vb) and va is _ABSENT)):
            changes.append(ProfileChange(path, None if va is _ABSENT else va,
                                         None if vb is _ABSENT else vb,
                                         va is not _ABSENT, vb is not _ABSENT))
    return tuple(changes)


def _flat(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for i, item in enumerate(value):
            out.update(_flat(item, f"{path}[{i}]"))
        return out
    return {path: value}


def _empty(value: Any) -> bool:
    return isinstance(value, dict | list) and not value  # `headers: {}` beside `headers.X`


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 60 else text[:59] + "…"
