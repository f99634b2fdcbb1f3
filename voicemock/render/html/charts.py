"""Small inline SVG charts for self-contained HTML pages: no script, no network, no fonts.

Each function returns :class:`markupsafe.Markup` ready to drop into a Jinja template; every
piece of text in it (titles, labels, units) is escaped here, so labels may be user content
(question texts, set names, dates). Colours are presentation attributes, so a chart looks
right on any page without the report's stylesheet.

- :func:`line_chart`: one value per labelled point (a session, a 30 s window), with an
  optional target band (``target=(low, high)``); ``None`` values leave a gap.
- :func:`sparkline`: the same, tiny and unlabelled, for tables.
- :func:`range_bar`: a length against a window and a cap (answer time).

For example, fillers per minute per session, with the band where they stop mattering::

    line_chart([("3 May", 4.1), ("5 May", None), ("9 May", 1.8)],
               title="Fillers per minute", unit="/min", target=(0, 2),
               target_label="under 2 a minute")
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

Point = tuple[str, float | None]
"""(label, value); ``None`` is a missing value."""

INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee3"
LINE = "#2563eb"
BAND = "#16a34a"
WARN = "#d97706"
BAD = "#dc2626"


def _num(value: float) -> str:
    """A coordinate: short, and never '-0' or 'nan'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _default_format(values: Sequence[float]) -> Callable[[float], str]:
    small = values and max(abs(v) for v in values) < 10
    return (lambda v: f"{v:.1f}") if small else (lambda v: f"{v:.0f}")


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """About ``count`` round tick values covering ``[low, high]``."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks and ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    unit: str = "",
    target: tuple[float, float] | None = None,
    target_label: str = "",
    width: int = 480,
    height: int = 160,
    y_min: float | None = None,
    y_max: float | None = None,
    value_format: Callable[[float], str] | None = None,
    max_labels: int = 8,
) -> Markup:
    """A line through the points' values (evenly spaced), with an optional target band.

    ``title`` is announced to screen readers and shown on hover; each point also carries
    its own hover text ("0:30: 152 wpm").
    """
    values = [v for _, v in points if v is not None and math.isfinite(v)]
    fmt = value_format or _default_format(values)
    suffix = f" {unit}" if unit else ""
    summary = ", ".join(f"{label}: {fmt(v)}{suffix}" for label, v in points if v is not None)
    aria = f"{title}. {summary}" if summary else f"{title}: no data"
    left, right, top, bottom = 40.0, 12.0, 10.0, 24.0
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(aria)}" font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    if not values:
        parts.append(
            f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" '
            f'fill="{MUTED}">no data</text></svg>'
        )
        return Markup("".join(parts))

    bounds: list[float] = [*values, *(target or ())]
    low = min(bounds) if y_min is None else y_min
    high = max(bounds) if y_max is None else y_max
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    ticks = nice_ticks(low, high)
    if y_min is None:
        low = min(low, ticks[0])
    if y_max is None:
        high = max(high, ticks[-1])
    span = high - low

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / span)

    def x(index: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + plot_w * index / (len(points) - 1)

    if target is not None:
        t_lo, t_hi = sorted(target)
        y_hi, y_lo = y(min(max(t_hi, low), high)), y(min(max(t_lo, low), high))
        band = escape(target_label or f"target {fmt(t_lo)}–{fmt(t_hi)}{suffix}")
        parts.append(
            f'<rect x="{_num(left)}" y="{_num(y_hi)}" width="{_num(plot_w)}" '
            f'height="{_num(max(y_lo - y_hi, 1))}" fill="{BAND}" fill-opacity="0.12" '
            f'stroke="{BAND}" stroke-opacity="0.5" stroke-dasharray="4 3">'
            f"<title>{band}</title></rect>"
        )
        parts.append(
            f'<text x="{_num(left + plot_w - 4)}" y="{_num(y_hi + 11)}" text-anchor="end" '
            f'fill="{BAND}" font-size="10">{band}</text>'
        )
    for tick in ticks:
        if low - 1e-9 <= tick <= high + 1e-9:
            ty = y(tick)
            parts.append(
                f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(ty)}" '
                f'y2="{_num(ty)}" stroke="{GRID}" stroke-width="1"/>'
                f'<text x="{_num(left - 5)}" y="{_num(ty + 3.5)}" text-anchor="end" '
                f'fill="{MUTED}">{escape(fmt(tick))}</text>'
            )
    # x labels: at most max_labels, always the first and the last.
    step = max(1, math.ceil(len(points) / max(max_labels, 2)))
    shown = set(range(0, len(points), step)) | {len(points) - 1}
    for i, (label, _) in enumerate(points):
        if i in shown:
            anchor = "start" if i == 0 and len(points) > 1 else "middle"
            if i == len(points) - 1 and len(points) > 1:
                anchor = "end"
            parts.append(
                f'<text x="{_num(x(i))}" y="{height - 6}" text-anchor="{anchor}" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
    # the line, broken where a value is missing
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (_, value) in enumerate(points):
        if value is None or not math.isfinite(value):
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{_num(x(i))},{_num(y(value))}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{LINE}" '
                f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    for i, (label, value) in enumerate(points):
        if value is None or not math.isfinite(value):
            continue
        outside = target is not None and not (min(target) <= value <= max(target))
        parts.append(
            f'<circle cx="{_num(x(i))}" cy="{_num(y(value))}" r="3.5" '
            f'fill="{WARN if outside else LINE}" stroke="#fff" stroke-width="1">'
            f"<title>{escape(label)}: {escape(fmt(value))}{escape(suffix)}</title></circle>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(
    values: Sequence[float | None],
    *,
    title: str = "",
    width: int = 120,
    height: int = 24,
    target: tuple[float, float] | None = None,
) -> Markup:
    """A tiny unlabelled line (the last value marked) for a table cell."""
    present = [v for v in values if v is not None and math.isfinite(v)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title or "trend")}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    if not present:
        parts.append("</svg>")
        return Markup("".join(parts))
    bounds: list[float] = [*present, *(target or ())]
    low, high = min(bounds), max(bounds)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = 3.0

    def y(value: float) -> float:
        return pad + (height - 2 * pad) * (1 - (value - low) / (high - low))

    def x(index: int) -> float:
        return pad if len(values) == 1 else pad + (width - 2 * pad) * index / (len(values) - 1)

    if target is not None:
        y_hi, y_lo = y(max(target)), y(min(target))
        parts.append(
            f'<rect x="0" y="{_num(y_hi)}" width="{width}" height="{_num(max(y_lo - y_hi, 1))}" '
            f'fill="{BAND}" fill-opacity="0.15"/>'
        )
    coords = [
        f"{_num(x(i))},{_num(y(v))}"
        for i, v in enumerate(values)
        if v is not None and math.isfinite(v)
    ]
    if len(coords) > 1:
        parts.append(
            f'<polyline points="{" ".join(coords)}" fill="none" stroke="{LINE}" '
            f'stroke-width="1.5" stroke-linejoin="round"/>'
        )
    last_x, last_y = coords[-1].split(",")
    parts.append(f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="{LINE}"/></svg>')
    return Markup("".join(parts))


def range_bar(
    value: float,
    *,
    low: float,
    high: float,
    cap: float,
    title: str,
    value_label: str,
    tone: str = "",
    width: int = 480,
    height: int = 46,
    tick_label: Callable[[float], str] = lambda v: f"{v:g}",
) -> Markup:
    """A bar of ``value`` on a scale to past ``cap``: the window ``[low, high]`` shaded,
    the cap a red line. ``tone`` (good, warn, bad) colours the bar; the label says it too.
    """
    scale_end = max(cap * 1.1, value * 1.05, high * 1.2)
    left, right = 4.0, 4.0
    bar_w = width - left - right

    def x(v: float) -> float:
        return left + bar_w * min(max(v, 0.0), scale_end) / scale_end

    colour = {"good": BAND, "warn": WARN, "bad": BAD}.get(tone, LINE)
    track_y, track_h = 18.0, 12.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="range-bar" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)}: {escape(value_label)}" '
        f'font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{escape(title)}: {escape(value_label)}</title>",
        f'<rect x="{_num(left)}" y="{_num(track_y)}" width="{_num(bar_w)}" '
        f'height="{_num(track_h)}" rx="3" fill="{GRID}"/>',
        f'<rect x="{_num(x(low))}" y="{_num(track_y - 4)}" width="{_num(x(high) - x(low))}" '
        f'height="{_num(track_h + 8)}" fill="{BAND}" fill-opacity="0.18" stroke="{BAND}" '
        f'stroke-dasharray="4 3"><title>window {escape(tick_label(low))}–'
        f"{escape(tick_label(high))}</title></rect>",
        f'<rect x="{_num(left)}" y="{_num(track_y + 2)}" width="{_num(x(value) - left)}" '
        f'height="{_num(track_h - 4)}" rx="2" fill="{colour}"/>',
        f'<line x1="{_num(x(cap))}" x2="{_num(x(cap))}" y1="{_num(track_y - 6)}" '
        f'y2="{_num(track_y + track_h + 6)}" stroke="{BAD}" stroke-width="2">'
        f"<title>cap {escape(tick_label(cap))}</title></line>",
    ]
    for v, text, anchor in (
        (low, tick_label(low), "middle"),
        (high, tick_label(high), "middle"),
        (cap, f"cap {tick_label(cap)}", "middle"),
    ):
        parts.append(
            f'<text x="{_num(x(v))}" y="{height - 2}" text-anchor="{anchor}" '
            f'fill="{MUTED}">{escape(text)}</text>'
        )
    parts.append(
        f'<text x="{_num(min(x(value), width - 60))}" y="11" text-anchor="start" '
        f'fill="{INK}" font-weight="600">{escape(value_label)}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


__all__ = ["Point", "line_chart", "nice_ticks", "range_bar", "sparkline"]
