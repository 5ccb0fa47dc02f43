"""What each request is: its spec from the weighted mix, its target, its `{id}`, its bytes."""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass

from loadgui.profile import Profile, RequestSpec

ID_PLACEHOLDER = "{id}"
_PAD = b'{"data":"'
_END = b'"}'


def generated_json(size: int) -> bytes:
    """A JSON document of exactly `size` bytes (at least 11): {"data":"xxx..."}."""
    return _PAD + b"x" * max(0, size - len(_PAD) - len(_END)) + _END


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    content: bytes | None
    templated: bool  # `{id}` appears in the path or a header value
    connection: str  # keep-alive, close or new (seam.CONNECTION_POLICIES)


@dataclass(frozen=True, slots=True)
class Plan:
    """One request to send: which spec, which target, and its rendered parts."""

    request: int
    target: int
    url: str
    method: str
    headers: dict[str, str]
    content: bytes | None
    connection: str = "keep-alive"


def prepare(spec: RequestSpec, connection: str = "keep-alive") -> PreparedRequest:
    content: bytes | None
    if spec.body_size is not None:
        content = generated_json(spec.body_size)  # built once per run, shared by requests
    else:
        content = spec.body.encode("utf-8") if spec.body else None
    templated = ID_PLACEHOLDER in spec.path or any(
        ID_PLACEHOLDER in v for v in spec.headers.values())
    return PreparedRequest(spec.name, spec.method, spec.path, dict(spec.headers), content,
                           templated, spec.connection or connection)


def labels_for(profile: Profile) -> dict[str, list[str]]:
    """The names behind a run's request and target indices; targets shown without passwords."""
    from loadgui.engine.http.urls import display_url

    return {"request": [spec.name for spec in profile.request_mix()],
            "target": [display_url(url).rstrip("/") for url in profile.base_urls()]}


class RequestMix:
    """Picks each request by weight and its target round robin or sticky by `{id}`."""

    def __init__(self, profile: Profile, rng: random.Random):
        self.requests = [prepare(spec, profile.target.connection)
                         for spec in profile.request_mix()]
        self.targets = [url.rstrip("/") for url in profile.base_urls()]
        self._cumulative = list(itertools.accumulate(s.weight for s in profile.request_mix()))
        self._sticky = profile.target.balance == "sticky"
        self._id_range = profile.target.id_range
        self._rng = rng
        self._next_target = 0

    @property
    def request_names(self) -> list[str]:
        return [r.name for r in self.requests]

    def plan(self) -> Plan:
        index = 0
        if len(self.requests) > 1:
            point = self._rng.random() * self._cumulative[-1]
            index = min(bisect.bisect_right(self._cumulative, point), len(self.requests) - 1)
        request = self.requests[index]
        uses_id = request.templated or self._sticky
        item_id = self._rng.randint(1, self._id_range) if uses_id else 0
        if self._sticky:
            target = item_id % len(self.targets)
        else:
            target = self._next_target
            self._next_target = (target + 1) % len(self.targets)
        path, headers = request.path, request.headers
        if request.templated:
            value = str(item_id)
            path = path.replace(ID_PLACEHOLDER, value)
            headers = {k: v.replace(ID_PLACEHOLDER, value) for k, v in headers.items()}
        return Plan(index, target, self.targets[target] + path, request.method, headers,
                    request.content, request.connection)
