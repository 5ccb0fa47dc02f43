"""Line and bar charts as inline SVG, for a report that opens offline.

Written here rather than taken from a charting library: the report must be one file with
no script, CDN or font to fetch, and the charts it needs (lines over time, a histogram on a
log axis) are this small. Long series are thinned to their minimum and maximum per pixel
column (pyqtgraph's "peak" downsampling), so a day-long run stays a small file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

WIDTH, HEIGHT = 1100, 230
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 30, 34
MAX_POINTS = 1200
Format = Callable[[float], str]


@dataclass(frozen=True)
class Line:
    label: str
    x: np.ndarray
    y: np.ndarray  # NaN: no value (the line breaks)
    color: str
    dashed: bool = False
    fill: bool = False
    width: float = 2.0


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about `ticks` ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def line_chart(title: str, lines: Sequence[Line], *, y_label: str = "",
               y_format: Format = number, x_label: str = "time since start (s)",
               y_max: float | None = None, width: int = WIDTH, height: int = HEIGHT) -> str:
    """Lines over a shared x axis from 0, y from 0 to a round top."""
    plot_w, plot_h = width - _LEFT - _RIGHT, height - _TOP - _BOTTOM
    xs = [float(np.nanmax(line.x)) for line in lines if len(line.x)]
    ys = [float(np.nanmax(line.y)) for line in lines if np.isfinite(line.y).any()]
    x_top = max(xs, default=1.0) or 1.0
    y_step = nice_step(y_max if y_max is not None else max(ys, default=1.0) or 1.0)
    y_top = y_max if y_max is not None else math.ceil(max(ys, default=1.0) / y_step) * y_step
    y_top = y_top or 1.0

    def sx(x: np.ndarray) -> np.ndarray:
        return np.asarray(_LEFT + x / x_top * plot_w)

    def sy(y: np.ndarray) -> np.ndarray:
        return np.asarray(_TOP + plot_h - np.clip(y, 0, y_top) / y_top * plot_h)

    parts = [_frame(title, width, height, y_label)]
    parts += _y_grid(y_top, nice_step(y_top), y_format, sy, width)
    parts += _x_ticks(x_top, x_label, sx, height)
    for line in lines:
        x, y = _thinned(np.asarray(line.x, float), np.asarray(line.y, float), plot_w)
        for segment in _segments(sx(x), sy(y)):
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in segment)
            if line.fill and len(segment) > 1:
                base = _TOP + plot_h
                parts.append(f'<polygon points="{segment[0][0]:.1f},{base} {points} '
                             f'{segment[-1][0]:.1f},{base}" fill="{line.color}" '
                             'fill-opacity="0.15" stroke="none"/>')
            dash = ' stroke-dasharray="6 4"' if line.dashed else ""
            parts.append(f'<polyline points="{points}" fill="none" stroke="{line.color}" '
                         f'stroke-width="{line.width}"{dash} stroke-linejoin="round">'
                         f"<title>{escape(line.label)}</title></polyline>")
    parts.append(_legend([(line.label, line.color, line.dashed) for line in lines], width))
    return _svg(parts, width, height, title)


def histogram_chart(title: str, values_ms: np.ndarray, counts: np.ndarray,
                    relative_width: float, marks: Sequence[tuple[str, float, str]], *,
                    width: int = WIDTH, height: int = HEIGHT) -> str:
    """Bars on a log latency axis: bucket i spans values_ms[i] × (1 ± relative_width);
    `marks` are vertical lines (label, ms, colour), e.g. the percentiles."""
    plot_w, plot_h = width - _LEFT - _RIGHT, height - _TOP - _BOTTOM
    parts = [_frame(title, width, height, "successes")]
    if len(values_ms) == 0:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
                     'class="muted">no successful request</text>')
        return _svg(parts, width, height, title)
    lo = math.floor(math.log10(float(values_ms.min()) * (1 - relative_width)) * 2) / 2
    hi = math.ceil(math.log10(float(values_ms.max()) * (1 + relative_width)) * 2) / 2
    hi = max(hi, lo + 0.5)
    top_step = nice_step(float(counts.max()))
    y_top = math.ceil(float(counts.max()) * 1.1 / top_step) * top_step

    def sx(ms: np.ndarray) -> np.ndarray:
        return np.asarray(_LEFT + (np.log10(ms) - lo) / (hi - lo) * plot_w)

    def sy(y: np.ndarray) -> np.ndarray:
        return np.asarray(_TOP + plot_h - y / y_top * plot_h)

    parts += _y_grid(y_top, nice_step(y_top), number, sy, width)
    steps = (1, 2, 5) if hi - lo <= 4 else (1,)  # 1, 2, 5, 10, 20, ... on a short axis
    for decade in range(math.floor(lo), math.ceil(hi) + 1):
        for step in steps:
            value = step * 10.0 ** decade
            if not lo <= math.log10(value) <= hi:
                continue
            x = float(sx(np.array(value)))
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{_TOP + plot_h}" '
                         'class="grid"/>')
            parts.append(f'<text x="{x:.1f}" y="{height - _BOTTOM + 16}" '
                         f'text-anchor="middle">{number(value)}</text>')
    parts.append(f'<text x="{_LEFT + plot_w / 2}" y="{height - 4}" text-anchor="middle" '
                 'class="muted">latency of successes (ms, log scale)</text>')
    x0, x1 = sx(values_ms * (1 - relative_width)), sx(values_ms * (1 + relative_width))
    y = sy(counts.astype(float))
    bars = "".join(f'<rect x="{a:.2f}" y="{b:.2f}" width="{max(c - a, 0.8):.2f}" '
                   f'height="{_TOP + plot_h - b:.2f}"/>' for a, c, b in zip(x0, x1, y,
                                                                            strict=True))
    parts.append(f'<g fill="#3b82f6">{bars}</g>')
    for label, ms, color in marks:
        if not math.isfinite(ms) or ms <= 0:
            continue
        x = float(sx(np.array(ms)))
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" y2="{_TOP + plot_h}" '
                     f'stroke="{color}" stroke-width="1.5" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x + 3:.1f}" y="{_TOP + 12}" fill="{color}">'
                     f"{escape(label)}</text>")
    return _svg(parts, width, height, title)


def _svg(parts: list[str], width: int, height: int, title: str) -> str:
    # Inline SVG in HTML needs no xmlns, so the report holds no URL of its own.
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}">' + "".join(parts) + "</svg>")


def _frame(title: str, width: int, height: int, y_label: str) -> str:
    label = f'<tspan class="muted" dx="8">{escape(y_label)}</tspan>' if y_label else ""
    return (f'<text x="{_LEFT}" y="16" class="title">{escape(title)}{label}</text>'
            f'<rect x="{_LEFT}" y="{_TOP}" width="{width - _LEFT - _RIGHT}" '
            f'height="{height - _TOP - _BOTTOM}" class="plot"/>')


def _y_grid(top: float, step: float, fmt: Format, sy: Callable[[np.ndarray], np.ndarray],
            width: int) -> list[str]:
    out = []
    for i in range(round(top / step) + 1):
        value = i * step
        y = float(sy(np.array(value)))
        out.append(f'<line x1="{_LEFT}" x2="{width - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   'class="grid"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                   f"{escape(fmt(value))}</text>")
    return out


def _x_ticks(top: float, label: str, sx: Callable[[np.ndarray], np.ndarray],
             height: int) -> list[str]:
    step = nice_step(top, 10)
    out = []
    for i in range(int(top / step + 1e-9) + 1):
        x = float(sx(np.array(i * step)))
        out.append(f'<text x="{x:.1f}" y="{height - _BOTTOM + 16}" text-anchor="middle">'
                   f"{number(i * step)}</text>")
    out.append(f'<text x="{(_LEFT + float(sx(np.array(top)))) / 2:.1f}" y="{height - 4}" '
               f'text-anchor="middle" class="muted">{escape(label)}</text>')
    return out


def _legend(entries: list[tuple[str, str, bool]], width: int) -> str:
    out = []
    x = width - _RIGHT
    for label, color, dashed in reversed(entries):
        x -= 14 + 7 * len(label) + 22
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        out.append(f'<line x1="{x}" x2="{x + 16}" y1="12" y2="12" stroke="{color}" '
                   f'stroke-width="2.5"{dash}/><text x="{x + 20}" y="16">{escape(label)}</text>')
    return "".join(out)


def _thinned(x: np.ndarray, y: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """At most about MAX_POINTS points: each bin's minimum and maximum, in order."""
    limit = min(MAX_POINTS, 2 * columns)
    if len(x) <= limit:
        return x, y
    bins = np.array_split(np.arange(len(x)), limit // 2)
    xs, ys = [], []
    for b in bins:
        values = y[b]
        finite = np.isfinite(values)
        if not finite.any():
            xs.append(x[b[0]])
            ys.append(math.nan)
            continue
        lo, hi = b[np.nanargmin(values)], b[np.nanargmax(values)]
        for i in sorted({int(lo), int(hi)}):
            xs.append(x[i])
            ys.append(y[i])
        if not finite.all():  # a gap stays a gap
            xs.append(x[b[-1]])
            ys.append(math.nan)
    return np.array(xs), np.array(ys)


def _segments(x: np.ndarray, y: np.ndarray) -> list[list[tuple[float, float]]]:
    """The runs of finite points (a NaN breaks the line)."""
    out: list[list[tuple[float, float]]] = [[]]
    for px, py in zip(x.tolist(), y.tolist(), strict=True):
        if math.isfinite(py):
            out[-1].append((px, py))
        elif out[-1]:
            out.append([])
    return [s for s in out if s]
