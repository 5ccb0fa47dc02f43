"""API key rotation (round robin per request) and how a key is sent."""

from __future__ import annotations

NO_KEY = -1


class KeyRing:
    """Hands out keys round robin; `next()` returns (key index, headers to add)."""

    def __init__(self, keys: list[str], header: str = "Authorization", scheme: str = "Bearer"):
        self._keys = list(keys)
        self._header = header
        self._prefix = f"{scheme} " if scheme else ""
        self._next = 0

    def __len__(self) -> int:
        return len(self._keys)

    def next(self) -> tuple[int, dict[str, str]]:
        if not self._keys:
            return NO_KEY, {}
        index = self._next
        self._next = (index + 1) % len(self._keys)
        return index, {self._header: self._prefix + self._keys[index]}


def mask(key: str) -> str:
    """How a key is shown to people: its last four characters only."""
    return "••••" + key[-4:] if len(key) > 4 else "••••"
