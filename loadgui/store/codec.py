"""A Report as plain JSON values and back, losing nothing.

`Report.to_dict()` is the documented, rounded form for people and other programs; the store
keeps every float as it was, so a stored run's report is the one the run ended with. The
codec follows the dataclasses' type hints, so a field added to the Report is stored without
a change here; a field a stored run lacks takes its default.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from typing import Any

import numpy as np

from loadgui.engine.stats.report import Report
from loadgui.engine.stats.series import Series

JsonValue = Any
SERIES_FIELDS = ("series", "scopes", "fine_series")  # kept in the catalog's series table


def encode_report(report: Report, *, with_series: bool = True) -> dict[str, JsonValue]:
    """The report as JSON values (NaN kept as NaN: the store's files are read by json)."""
    data: dict[str, JsonValue] = _encode(report)
    if not with_series:
        for name in SERIES_FIELDS:
            data.pop(name, None)
    return data


def decode_report(data: dict[str, JsonValue]) -> Report:
    """The Report that encode_report gave (without series: empty ones, for the caller to
    set). Raises ValueError when `data` is not a report."""
    data = {"series": None, "scopes": {}, "fine_series": None, **data}
    try:
        report: Report = _decode(Report, data)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"not a stored report ({type(exc).__name__}: {exc})") from None
    return report


def empty_series() -> Series:
    none = np.zeros(0)
    return Series(t=none, requests=none, avg=none, p50=none, p90=none, p99=none,
                  error_rate=none)


def _encode(value: Any) -> JsonValue:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, np.ndarray):
        return {"dtype": value.dtype.str, "values": value.tolist()}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, data: JsonValue) -> Any:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        return _decode(next(a for a in typing.get_args(tp) if a is not type(None)), data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if data is None:
            return empty_series() if tp is Series else None
        hints = _hints(tp)
        kwargs = {f.name: _decode(hints[f.name], data[f.name])
                  for f in dataclasses.fields(tp) if f.name in data}
        return tp(**kwargs)
    if tp is np.ndarray:
        dtype = np.dtype(data["dtype"])
        if dtype.kind not in "biuf":  # numbers only, whatever an imported file says
            raise ValueError(f"an array of {dtype}")
        return np.array(data["values"], dtype=dtype)
    if origin is dict:
        key_type, value_type = typing.get_args(tp)
        return {key_type(k): _decode(value_type, v) for k, v in (data or {}).items()}
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in data)
        return tuple(_decode(a, v) for a, v in zip(args, data, strict=True))
    if origin is list:
        return [_decode(typing.get_args(tp)[0], v) for v in data]
    if tp is float:
        return math.nan if data is None else float(data)
    if tp in (int, str, bool):
        return tp(data)
    return data
