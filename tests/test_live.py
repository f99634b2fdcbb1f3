"""The live recording line (render/live.py): zones, bar, meter, status words; and the
Enter reader (keys.py)."""

from __future__ import annotations

import io
import os
import threading

import pytest

from voicemock.keys import KeyReader
from voicemock.render.live import (
    ASCII,
    BAR_WIDTH,
    MIN_BAR_WIDTH,
    LiveLine,
    bar,
    fit_live_line,
    level_meter,
    live_line,
    short_status,
    status,
    terminal_columns,
    visible_width,
    zone,
)
from voicemock.timing import Target, fmt_clock

T = Target(150, 210, 240)


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (0, "before"),
        (149.9, "before"),
        (150, "in"),
        (210, "in"),
        (210.1, "past"),
        (224.9, "past"),
        (225, "near_cap"),
        (240, "near_cap"),
        (300, "near_cap"),
    ],
)
def test_zones(elapsed: float, expected: str) -> None:
    assert zone(elapsed, T) == expected


def test_near_cap_zone_never_swallows_a_short_cap() -> None:
    short = Target(20, 30, 40)
    assert zone(25, short) == "in"
    assert zone(31, short) == "near_cap"  # the last quarter of a 40 s cap


def test_status_words() -> None:
    assert status(100, T) == "window opens in 0:50"
    assert status(180, T) == "in the window, 0:30 left"
    assert status(215, T) == "past the window: wrap up"
    assert status(232, T) == "stopping at 4:00 in 0:08"


def test_bar_marks_window_and_progress() -> None:
    empty = bar(0, T, 24, ASCII)
    assert len(empty) == 24
    # 24 cells for 240 s: the window (150-210 s) spans cells 15-20, edges drawn at 15 and 21
    assert empty == "-" * 15 + "|" + "=" * 5 + "|" + "--"
    half = bar(120, T, 24, ASCII)
    assert half.startswith("#" * 12) and half[12:15] == "---"
    full = bar(240, T, 24, ASCII)
    assert full == "#" * 24


def test_level_meter() -> None:
    assert level_meter(0.0, 8, ASCII) == "........"
    assert level_meter(0.5, 8, ASCII) == "####...."
    assert level_meter(1.7, 8, ASCII) == "########"


def test_line_colour_follows_the_zone() -> None:
    assert "\x1b[33m" in live_line(10, 0.3, T, color=True)  # before: yellow
    assert "\x1b[32m" in live_line(160, 0.3, T, color=True)  # in: green
    assert "\x1b[35m" in live_line(215, 0.3, T, color=True)  # past: magenta
    assert "\x1b[1;31m" in live_line(230, 0.3, T, color=True)  # near cap: bold red
    plain = live_line(65, 0.5, T, color=False, unicode=False)
    assert "\x1b" not in plain
    assert plain.startswith("REC 1:05 [")
    assert "Enter to finish" in plain and "mic ####...." in plain


def test_live_line_redraws_in_place_on_a_terminal() -> None:
    out = io.StringIO()
    line = LiveLine(out, tty=True, color=False, unicode=False)
    line.update(1, 0.2, T)
    line.update(2, 0.2, T)
    line.finish("done")
    text = out.getvalue()
    assert text.count("\r\x1b[2K") == 3
    assert text.endswith("done\n")
    assert "\n" not in text[: text.rindex("\r")]


def test_live_line_is_sparse_in_a_log() -> None:
    out = io.StringIO()
    line = LiveLine(out, tty=False, color=False)
    for tenth in range(950):
        line.update(tenth / 10, 0.1, T)
    lines = out.getvalue().splitlines()
    assert lines == [
        "recording 0:00 (window opens in 2:30)",
        "recording 0:30 (window opens in 2:00)",
        "recording 1:00 (window opens in 1:30)",
        "recording 1:30 (window opens in 1:00)",
    ]


def test_key_reader_counts_enter_presses_and_eof() -> None:
    read_fd, write_fd = os.pipe()
    reader = KeyReader(os.fdopen(read_fd, "r")).start()
    writer = os.fdopen(write_fd, "w")
    assert not reader.pressed()
    writer.write("\n")
    writer.flush()
    assert reader.pressed(timeout=5)
    assert not reader.pressed()
    writer.write("\n\n")
    writer.flush()
    done = threading.Event()
    threading.Timer(0.2, done.set).start()
    done.wait()
    reader.drain()  # presses made before now are forgotten
    assert not reader.pressed()
    writer.close()
    assert not reader.pressed(timeout=5)
    assert reader.closed


# -- fitting the terminal's width (issue 9, item 1) -----------------------------------------

ELAPSED = [0, 65, 149.9, 150, 180, 209.9, 215, 229, 239.9, 240]


def parts(line: str) -> dict[str, bool]:
    return {
        "meter": "mic " in line,
        "long words": any(w in line for w in ("window", "stopping", "past the")),
        "hint": "Enter" in line,
    }


@pytest.mark.parametrize("columns", range(40, 201))
def test_the_line_fits_every_width_from_40_columns(columns: int) -> None:
    for color in (False, True):
        for unicode in (False, True):
            for elapsed in ELAPSED:
                line = fit_live_line(elapsed, 0.5, T, columns, color=color, unicode=unicode)
                assert visible_width(line) < columns, (columns, line)
                assert "\n" not in line and "\r" not in line
                # Whatever goes, the clock, the bar and the zone's words stay.
                assert fmt_clock(elapsed) in line
                assert short_status(elapsed, T).split()[-1] in line


def test_long_caps_fit_40_columns_too() -> None:
    long = Target(600, 900, 3600)  # a 60:00 cap: five-character clocks
    for elapsed in (0, 599, 899, 3500, 3600):
        line = fit_live_line(elapsed, 1.0, long, 40, color=False, unicode=False)
        assert visible_width(line) < 40, line


def test_the_meter_goes_first_then_the_words_then_the_bar() -> None:
    full = fit_live_line(65, 0.5, T, 200, color=False)
    assert parts(full) == {"meter": True, "long words": True, "hint": True}
    assert full == live_line(65, 0.5, T, color=False)  # room enough: the whole line
    seen = []
    for columns in range(200, 39, -1):
        line = fit_live_line(65, 0.5, T, columns, color=False)
        bar_cells = len(line.split("[", 1)[1].split("]", 1)[0])
        seen.append((parts(line)["meter"], parts(line)["long words"], bar_cells))
    # Narrower never brings a part back, and each goes in the order of the issue.
    assert seen == sorted(seen, reverse=True)
    first_short_words = next(i for i, s in enumerate(seen) if not s[1])
    first_small_bar = next(i for i, s in enumerate(seen) if s[2] < BAR_WIDTH)
    assert not seen[first_short_words][0]  # the meter was already gone
    assert first_small_bar > first_short_words  # the bar shrinks last
    assert min(s[2] for s in seen) >= MIN_BAR_WIDTH


def test_an_80_column_terminal_keeps_the_full_words_and_the_hint() -> None:
    for elapsed in ELAPSED:
        line = fit_live_line(elapsed, 0.5, T, 80, color=True)
        assert status(elapsed, T) in line and "Enter to finish" in line, line


def set_pty_size(fd: int, rows: int, columns: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def test_the_width_is_read_at_every_redraw_so_a_resize_refits() -> None:
    """A real pseudo-terminal: the live line reads its size from the output's file
    descriptor each time it draws, so shrinking the window shortens the next line."""
    leader, follower = os.openpty()
    try:
        set_pty_size(follower, 24, 120)
        with os.fdopen(os.dup(follower), "w", encoding="utf-8") as out:
            assert terminal_columns(out) == 120
            line = LiveLine(out, tty=True, color=False)
            line.update(65, 0.5, T)
            out.flush()
            first = os.read(leader, 4096).decode()
            set_pty_size(follower, 24, 50)
            line.update(66, 0.5, T)
            out.flush()
            second = os.read(leader, 4096).decode()
    finally:
        os.close(leader)
        os.close(follower)
    assert "mic " in first and visible_width(first.split("\x1b[2K", 1)[1]) < 120
    redrawn = second.split("\x1b[2K", 1)[1]
    assert visible_width(redrawn) < 50 and "mic " not in redrawn, redrawn


def test_without_a_terminal_the_width_comes_from_columns_or_is_80() -> None:
    assert terminal_columns(io.StringIO(), {"COLUMNS": "55"}) == 55
    assert terminal_columns(io.StringIO(), {}) == 80
    out = io.StringIO()
    LiveLine(out, tty=True, color=False, columns=lambda: 45).update(65, 0.5, T)
    assert visible_width(out.getvalue().split("\x1b[2K", 1)[1]) < 45
