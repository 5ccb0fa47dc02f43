"""Thresholds: the grammar of one k6-style expression, and the profile's validation of them.

The grammar is tiny, so it is parsed here by hand (a regular expression per part) rather
than with a parser library:

    [request:NAME | target:URL] FIGURE OP VALUE[UNIT]

    FIGURE  p50 p90 p95 p99 p99.9 (also p(95) as k6 writes it, med), avg (mean), min, max
            — latency of successful attempts, in ms (the unit when none is given) or s;
            error_rate, checks — fractions, written 0.01 or 1%;
            rps — requests per second (optionally "/s"); requests, failures — counts.
    OP      < <= > >= == !=

A NAME with spaces is quoted: `request:"log in" p95 < 200ms`. The evaluation over a report
is in loadgui/engine/stats/thresholds.py; it lives beside the profile because validating a
profile must not import the engine.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loadgui.profile_errors import ProfileError, shown

if TYPE_CHECKING:
    from loadgui.profile import Profile

MAX_THRESHOLDS = 100
MAX_LENGTH = 300
LATENCY, FRACTION, RATE, COUNT = "latency", "fraction", "rate", "count"
# Canonical figure -> its kind; the names a threshold may use for it are in _ALIASES.
FIGURES = {"p50": LATENCY, "p90": LATENCY, "p95": LATENCY, "p99": LATENCY,
           "p99.9": LATENCY, "avg": LATENCY, "min": LATENCY, "max": LATENCY,
           "error_rate": FRACTION, "checks": FRACTION, "rps": RATE, "requests": COUNT,
           "failures": COUNT}
_ALIASES = {"med": "p50", "median": "p50", "mean": "avg", "p999": "p99.9",
            "throughput": "rps"}
OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne}
SCOPES = ("request", "target")
EXAMPLE = "p95 < 300ms"

_PERCENTILE = re.compile(r"p\(?(\d+(?:\.\d+)?)\)?")
_BODY = re.compile(r"(?P<figure>[^\s<>=!]+)\s*(?P<op>[<>=!]=?)?\s*(?P<value>.*)")
_VALUE = re.compile(r"(?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(?P<unit>[a-z%/]*)")
_UNITS = {LATENCY: {"": 0.001, "ms": 0.001, "s": 1.0},
          FRACTION: {"": 1.0, "%": 0.01},
          RATE: {"": 1.0, "/s": 1.0},
          COUNT: {"": 1.0}}
_UNIT_HINTS = {LATENCY: "ms or s (ms when none is given)", FRACTION: "% or none (a fraction)",
               RATE: "/s or none", COUNT: "no unit"}


class ThresholdSyntaxError(ValueError):
    """An expression that does not parse; the message says which part and why."""


@dataclass(frozen=True, slots=True)
class Threshold:
    """One parsed expression. `limit` is in the report's own units: seconds for latency,
    a fraction for error_rate and checks, requests/s, a count."""

    expression: str
    scope: str  # "", "request" or "target"
    name: str  # the request's name or the target's URL; "" for the whole run
    figure: str  # canonical: p95, avg, error_rate, ...
    op: str
    limit: float

    @property
    def kind(self) -> str:
        return FIGURES[self.figure]

    def holds(self, value: float) -> bool:
        return OPERATORS[self.op](value, self.limit)

    def subject(self) -> str:
        """"p95" or "p95 of request login": what the figure is, for a detail line."""
        return f"{self.figure} of {self.scope} {self.name}" if self.scope else self.figure


@functools.lru_cache(maxsize=512)
def parse_threshold(expression: str) -> Threshold:
    """The expression parsed (live reports evaluate it ten times a second: cached);
    ThresholdSyntaxError says what is wrong."""
    text = expression.strip()
    if not text:
        raise ThresholdSyntaxError(f"an empty expression; write one such as {EXAMPLE}")
    scope, name, body = _split_scope(text)
    match = _BODY.fullmatch(body)
    if match is None or not body:
        raise ThresholdSyntaxError(f"expected FIGURE OP VALUE, such as {EXAMPLE}")
    figure = _figure(match["figure"])
    op = match["op"]
    if op not in OPERATORS:
        raise ThresholdSyntaxError(f"expected a comparison (<, <=, >, >=, == or !=) after "
                                   f"{figure}, such as {EXAMPLE}")
    limit = _limit(figure, match["value"].strip())
    if scope == "target" and figure == "checks":
        raise ThresholdSyntaxError("checks are counted per request, not per target")
    return Threshold(text, scope, name, figure, op, limit)


def _split_scope(text: str) -> tuple[str, str, str]:
    head, colon, rest = text.partition(":")
    if not colon or head.strip().lower() not in SCOPES or " " in head.strip():
        return "", "", text
    scope = head.strip().lower()
    rest = rest.lstrip()
    if rest.startswith('"'):
        end = rest.find('"', 1)
        if end < 0:
            raise ThresholdSyntaxError(f"the {scope} name has no closing quote")
        name, body = rest[1:end], rest[end + 1:]
    else:
        name, _, body = rest.partition(" ")
    if not name.strip():
        raise ThresholdSyntaxError(f"{scope}: names no {scope}; write e.g. "
                                   f"{scope}:{'login' if scope == 'request' else 'URL'} "
                                   f"{EXAMPLE}")
    return scope, name.strip(), body.strip()


def _figure(word: str) -> str:
    lowered = word.lower()
    percentile = _PERCENTILE.fullmatch(lowered)
    if percentile is not None:
        lowered = "p" + percentile[1].removesuffix(".0")
    lowered = _ALIASES.get(lowered, lowered)
    if lowered not in FIGURES:
        raise ThresholdSyntaxError(f"{shown(word)} is not a figure thresholds know; use "
                                   f"{', '.join(FIGURES)}")
    return lowered


def _limit(figure: str, text: str) -> float:
    kind = FIGURES[figure]
    match = _VALUE.fullmatch(text.lower())
    if match is None:
        raise ThresholdSyntaxError(f"expected a number after the comparison, such as "
                                   f"{EXAMPLE}; got {shown(text) if text else 'nothing'}")
    number, unit = float(match["number"]), match["unit"]
    if unit not in _UNITS[kind]:
        raise ThresholdSyntaxError(f"{figure} takes {_UNIT_HINTS[kind]}, not {shown(unit)}")
    if not math.isfinite(number) or number < 0:
        raise ThresholdSyntaxError(f"{figure} is compared with a number >= 0, got "
                                   f"{shown(text)}")
    limit = number * _UNITS[kind][unit]
    if kind == FRACTION and limit > 1:
        raise ThresholdSyntaxError(f"{figure} is a fraction: write 0..1 or 0..100%, got "
                                   f"{shown(text)}")
    return limit


def normalise_thresholds(p: Profile) -> None:
    """Raise ProfileError for the first invalid value of the thresholds."""
    values: Any = p.thresholds
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ProfileError("thresholds must be a list of expressions such as "
                           f'"{EXAMPLE}"', "thresholds")
    if len(values) > MAX_THRESHOLDS:
        raise ProfileError(f"the profile has {len(values)} thresholds; at most "
                           f"{MAX_THRESHOLDS} are allowed", "thresholds")
    names: list[str] | None = None  # the mix's request names, when a threshold names one
    stripped = []
    for i, value in enumerate(values):
        stripped.append(value.strip())
        try:
            if len(value) > MAX_LENGTH:
                raise ThresholdSyntaxError(f"longer than {MAX_LENGTH} characters")
            threshold = parse_threshold(value)
        except ThresholdSyntaxError as exc:
            raise ProfileError(f"thresholds[{i}]: {shown(value.strip())}: {exc}",
                               "thresholds") from None
        if threshold.scope != "request":
            continue
        names = names if names is not None else [spec.name for spec in p.request_mix()]
        if threshold.name not in names:
            raise ProfileError(f"thresholds[{i}]: {shown(value.strip())}: no request named "
                               f"{shown(threshold.name)} in the mix (it has "
                               f"{', '.join(map(shown, names[:5]))}"
                               f"{', …' if len(names) > 5 else ''})", "thresholds")
    p.thresholds = stripped
