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
    LiveLine,
    bar,
    level_meter,
    live_line,
    status,
    zone,
)
from voicemock.timing import Target

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
