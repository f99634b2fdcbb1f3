"""Time as the whole app speaks it: the target window and cap, m:ss clocks, and parsing.

Every answer is judged against a :class:`Target`: a window ``[min_s, max_s]`` where a
behavioural answer lands best (2:30–3:30 by default) and a cap (4:00) where listeners drop
off and a practice recording stops by itself. :func:`apply_overrides` is the one way a
``--target``/``--cap`` (or their config-file keys) change a target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from voicemock.errors import InputError

if TYPE_CHECKING:
    from voicemock.analysis.document import TargetDoc

DEFAULT_MIN_S = 150.0
DEFAULT_MAX_S = 210.0
DEFAULT_CAP_S = 240.0


@dataclass(frozen=True, slots=True)
class Target:
    """Target window ``[min_s, max_s]`` and cap ``cap_s``, in seconds."""

    min_s: float = DEFAULT_MIN_S
    max_s: float = DEFAULT_MAX_S
    cap_s: float = DEFAULT_CAP_S

    def __post_init__(self) -> None:
        if not 0 < self.min_s <= self.max_s:
            raise ValueError(
                f"target window {fmt_clock(self.min_s)}-{fmt_clock(self.max_s)} "
                "must be positive with min <= max"
            )
        if self.cap_s < self.max_s:
            raise ValueError(
                f"cap {fmt_clock(self.cap_s)} must not be below the window's end "
                f"{fmt_clock(self.max_s)}"
            )

    def to_dict(self) -> TargetDoc:
        return {"min_s": self.min_s, "max_s": self.max_s, "cap_s": self.cap_s}

    def with_window(self, min_s: float, max_s: float) -> Target:
        """This target with another window; the cap grows if the window would pass it."""
        return Target(min_s, max_s, max(self.cap_s, max_s))

    def with_cap(self, cap_s: float) -> Target:
        return Target(self.min_s, self.max_s, cap_s)


def apply_overrides(
    base: Target, window: str | None = None, cap: str | None = None, *, where: str = ""
) -> Target:
    """``base`` with a ``--target MIN-MAX`` and a ``--cap SECONDS`` applied (either may be
    ``None``). A bad value raises :class:`InputError`, prefixed with ``where`` if given."""
    target = base
    try:
        if window is not None:
            low, high = parse_window(window)
            target = target.with_window(low, high)
        if cap is not None:
            target = target.with_cap(parse_seconds(cap))
    except ValueError as exc:
        raise InputError(f"{where}: {exc}" if where else str(exc)) from exc
    return target


_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds|m|min|mins)?\s*$")


def parse_seconds(text: str) -> float:
    """``"150"``, ``"150s"``, ``"2:30"``, ``"2.5m"`` -> seconds. Raises ValueError."""
    m = _CLOCK.match(text.lower())
    if not m:
        raise ValueError(f"{text.strip()!r} is not a time (use seconds like 150 or m:ss like 2:30)")
    minutes, value, unit = m.groups()
    if minutes is not None:
        if unit:
            raise ValueError(f"{text.strip()!r} is not a time (use 150, 150s or 2:30)")
        if float(value) >= 60:
            raise ValueError(f"{text.strip()!r}: seconds must be below 60 in m:ss")
        return int(minutes) * 60 + float(value)
    seconds = float(value)
    return seconds * 60 if unit in ("m", "min", "mins") else seconds


def parse_window(text: str) -> tuple[float, float]:
    """``"150-210"`` or ``"2:30-3:30"`` -> ``(150.0, 210.0)``. Raises ValueError."""
    parts = text.split("-")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise ValueError(f"{text!r} is not a window (use MIN-MAX, e.g. 150-210 or 2:30-3:30)")
    low, high = parse_seconds(parts[0]), parse_seconds(parts[1])
    if not 0 < low <= high:
        raise ValueError(f"window {text!r} must be positive with MIN <= MAX")
    return low, high


def fmt_clock(seconds: float) -> str:
    """``150`` -> ``"2:30"``."""
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"
