"""The live recording line: elapsed time against the target window, zone colours, mic level.

Pure rendering and zone logic (tested with an injected clock); the terminal view of a
round (:class:`voicemock.render.practice.TerminalRoundView`) draws it. Enter presses are
read by :mod:`voicemock.keys`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TextIO

from voicemock.timing import Target, fmt_clock

Zone = Literal["before", "in", "past", "near_cap"]

NEAR_CAP_S = 15.0
"""The last seconds before the cap get their own colour and a countdown."""

ZONE_COLOR = {"before": "33", "in": "32", "past": "35", "near_cap": "1;31"}
"""ANSI colours: yellow, green, magenta, bold red."""


def zone(elapsed: float, target: Target) -> Zone:
    """Where ``elapsed`` seconds fall: before, in or past the window, or near the cap."""
    if elapsed >= target.cap_s - min(NEAR_CAP_S, target.cap_s / 4):
        return "near_cap"
    if elapsed < target.min_s:
        return "before"
    if elapsed <= target.max_s:
        return "in"
    return "past"


def status(elapsed: float, target: Target) -> str:
    """The words beside the bar: what the speaker should know right now."""
    where = zone(elapsed, target)
    if where == "before":
        return f"window opens in {fmt_clock(target.min_s - elapsed)}"
    if where == "in":
        return f"in the window, {fmt_clock(target.max_s - elapsed)} left"
    if where == "past":
        return "past the window: wrap up"
    return f"stopping at {fmt_clock(target.cap_s)} in {fmt_clock(max(target.cap_s - elapsed, 0))}"


@dataclass(frozen=True)
class Glyphs:
    done: str
    todo: str
    window: str
    edge: str
    level_on: str
    level_off: str


UNICODE = Glyphs("█", "─", "═", "│", "▮", "▯")
ASCII = Glyphs("#", "-", "=", "|", "#", ".")


def bar(elapsed: float, target: Target, width: int = 30, glyphs: Glyphs = UNICODE) -> str:
    """A bar from 0 to the cap: elapsed filled, the target window drawn between edges."""
    scale = width / target.cap_s
    lo, hi = round(target.min_s * scale), round(target.max_s * scale)
    filled = min(width, int(elapsed * scale))
    cells = []
    for i in range(width):
        if i < filled:
            cells.append(glyphs.done)
        elif lo <= i < hi:
            cells.append(glyphs.window)
        else:
            cells.append(glyphs.todo)
    # window edges, drawn over empty cells only so progress stays readable
    for edge in (lo, hi):
        if edge < width and edge >= filled:
            cells[edge] = glyphs.edge
    return "".join(cells)


def level_meter(level: float, cells: int = 8, glyphs: Glyphs = UNICODE) -> str:
    """``level`` in 0..1 (already on a loudness scale) as a row of cells."""
    on = max(0, min(cells, round(level * cells)))
    return glyphs.level_on * on + glyphs.level_off * (cells - on)


def live_line(
    elapsed: float,
    level: float,
    target: Target,
    *,
    color: bool,
    unicode: bool = True,
    width: int = 30,
) -> str:
    """The whole line, ANSI-coloured by zone when ``color``."""
    glyphs = UNICODE if unicode else ASCII
    where = zone(elapsed, target)
    clock = fmt_clock(elapsed)
    the_bar = bar(elapsed, target, width, glyphs)
    words = status(elapsed, target)
    meter = level_meter(level, glyphs=glyphs)
    if color:
        code = ZONE_COLOR[where]
        rec = "\x1b[1;31m●\x1b[0m" if unicode else "\x1b[1;31m*\x1b[0m"
        return (
            f"{rec} {clock} \x1b[{code}m{the_bar}\x1b[0m {words:<30} "
            f"mic {meter}  \x1b[2mEnter to finish\x1b[0m"
        )
    return f"REC {clock} [{the_bar}] {words:<30} mic {meter}  Enter to finish"


class LiveLine:
    """Redraws one status line in place on a terminal; prints sparse updates otherwise."""

    def __init__(self, stream: TextIO, *, tty: bool, color: bool, unicode: bool = True) -> None:
        self._stream = stream
        self._tty = tty
        self._color = color
        self._unicode = unicode
        self._last_plain = -1
        self.updates = 0

    def update(self, elapsed: float, level: float, target: Target) -> None:
        self.updates += 1
        if self._tty:
            line = live_line(elapsed, level, target, color=self._color, unicode=self._unicode)
            self._stream.write("\r\x1b[2K" + line)
            self._stream.flush()
            return
        # Not a terminal: one line every 30 s of recording keeps logs readable.
        step = int(elapsed // 30)
        if step != self._last_plain:
            self._last_plain = step
            self._stream.write(f"recording {fmt_clock(elapsed)} ({status(elapsed, target)})\n")
            self._stream.flush()

    def finish(self, message: str) -> None:
        if self._tty:
            self._stream.write("\r\x1b[2K")
        self._stream.write(message + "\n")
        self._stream.flush()
