"""The live recording line: elapsed time against the target window, zone colours, mic level.

Pure rendering and zone logic (tested with an injected clock); the terminal view of a
round (:class:`voicemock.render.practice.TerminalRoundView`) draws it. Enter presses are
read by :mod:`voicemock.keys`.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Mapping
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


def short_status(elapsed: float, target: Target) -> str:
    """:func:`status` in fewer words, for a narrow terminal."""
    where = zone(elapsed, target)
    if where == "before":
        return f"opens in {fmt_clock(target.min_s - elapsed)}"
    if where == "in":
        return f"{fmt_clock(target.max_s - elapsed)} left"
    if where == "past":
        return "wrap up"
    return f"stop in {fmt_clock(max(target.cap_s - elapsed, 0))}"


BAR_WIDTH = 30
"""Cells of the bar when the terminal has room."""
MIN_BAR_WIDTH = 10
"""The bar never gets narrower than this (10 cells: 24 s each on a 4:00 cap)."""
MIN_COLUMNS = 40
"""The narrowest terminal the line is made to fit."""
DEFAULT_COLUMNS = 80


@dataclass(frozen=True)
class Layout:
    """Which parts of the live line are drawn, from the fullest to the narrowest."""

    bar: int = BAR_WIDTH
    meter: bool = True
    words: Literal["full", "short"] = "full"
    pad_words: bool = True
    hint: Literal["full", "short", "none"] = "full"


LAYOUTS: tuple[Layout, ...] = (
    Layout(),
    Layout(meter=False),  # first the meter goes,
    Layout(meter=False, pad_words=False),  # then the text gets shorter,
    Layout(meter=False, pad_words=False, hint="short"),
    Layout(meter=False, words="short", pad_words=False, hint="short"),
    Layout(meter=False, words="short", pad_words=False, hint="none"),
    # then the bar.
    *(
        Layout(bar=cells, meter=False, words="short", pad_words=False, hint="none")
        for cells in range(BAR_WIDTH - 2, MIN_BAR_WIDTH - 1, -2)
    ),
)
WORDS_WIDTH = 24
"""The status words are padded to this many cells while there is room, so the parts after
them stay put as the words change (the longest wording is 24 characters)."""
HINTS = {"full": "Enter to finish", "short": "Enter ends", "none": ""}


def live_line(
    elapsed: float,
    level: float,
    target: Target,
    *,
    color: bool,
    unicode: bool = True,
    width: int = BAR_WIDTH,
    layout: Layout | None = None,
) -> str:
    """The whole line, ANSI-coloured by zone when ``color``; ``layout`` chooses its parts
    (``width``, the bar's cells, applies when it is not given)."""
    layout = layout or Layout(bar=width)
    glyphs = UNICODE if unicode else ASCII
    where = zone(elapsed, target)
    clock = fmt_clock(elapsed)
    the_bar = bar(elapsed, target, layout.bar, glyphs)
    words = status(elapsed, target) if layout.words == "full" else short_status(elapsed, target)
    if layout.pad_words:
        words = f"{words:<{WORDS_WIDTH}}"
    hint = HINTS[layout.hint]
    meter = f"mic {level_meter(level, glyphs=glyphs)}" if layout.meter else ""
    if color:
        code = ZONE_COLOR[where]
        rec = "\x1b[1;31m●\x1b[0m" if unicode else "\x1b[1;31m*\x1b[0m"
        parts = [rec, clock, f"\x1b[{code}m{the_bar}\x1b[0m", words]
        tail = [meter, f"\x1b[2m{hint}\x1b[0m" if hint else ""]
    else:
        parts = ["REC", clock, f"[{the_bar}]", words]
        tail = [meter, hint]
    return " ".join(parts) + "".join(f"  {t}" if i else f" {t}" for i, t in enumerate(tail) if t)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def visible_width(line: str) -> int:
    """Terminal cells ``line`` takes: its characters without the colour codes (the bar,
    meter and dot glyphs are one cell each)."""
    return len(_ANSI.sub("", line))


def fit_live_line(
    elapsed: float,
    level: float,
    target: Target,
    columns: int,
    *,
    color: bool,
    unicode: bool = True,
) -> str:
    """The fullest :func:`live_line` that fits ``columns`` (one cell spare, so the cursor
    never wraps): the meter goes first, then the words get shorter, then the bar."""
    for layout in LAYOUTS:
        line = live_line(elapsed, level, target, color=color, unicode=unicode, layout=layout)
        if visible_width(line) < columns:
            return line
    return line  # narrower than MIN_COLUMNS: the narrowest layout, let the terminal cope


def terminal_columns(stream: TextIO, environ: Mapping[str, str] | None = None) -> int:
    """The width of the terminal ``stream`` writes to, asked now (so a resized window is
    seen at the next redraw); ``COLUMNS``, then 80, when it is not a terminal."""
    try:
        return os.get_terminal_size(stream.fileno()).columns or DEFAULT_COLUMNS
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    value = (os.environ if environ is None else environ).get("COLUMNS", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_COLUMNS


class LiveLine:
    """Redraws one status line in place on a terminal, fitted to its width at every
    redraw; prints sparse updates otherwise."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool,
        color: bool,
        unicode: bool = True,
        columns: Callable[[], int] | None = None,
    ) -> None:
        self._stream = stream
        self._tty = tty
        self._color = color
        self._unicode = unicode
        self._columns = columns or (lambda: terminal_columns(stream))
        self._last_plain = -1
        self.updates = 0

    def update(self, elapsed: float, level: float, target: Target) -> None:
        self.updates += 1
        if self._tty:
            line = fit_live_line(
                elapsed,
                level,
                target,
                self._columns(),
                color=self._color,
                unicode=self._unicode,
            )
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
