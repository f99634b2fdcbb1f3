"""Timing: the answer's length against the window and the cap."""

from __future__ import annotations

import pytest

from voicemock.analysis.timing import judge
from voicemock.timing import Target, fmt_clock, parse_seconds, parse_window


@pytest.mark.parametrize(
    ("seconds", "verdict", "gap"),
    [
        (125.0, "short", 25.0),
        (150.0, "on_target", 0.0),
        (210.0, "on_target", 0.0),
        (222.5, "long", 12.5),
        (239.9, "long", 29.9),
        (240.0, "over_cap", 30.0),  # stopped by the cap
        (241.0, "over_cap", 31.0),
    ],
)
def test_judge_against_the_default_window(seconds: float, verdict: str, gap: float) -> None:
    timing = judge(seconds, Target())
    assert timing.verdict == verdict
    assert timing.seconds_to_window == pytest.approx(gap)
    assert timing.to_dict() == {"duration_s": seconds, "verdict": verdict, "seconds_to_window": gap}


def test_targets_validate_and_adjust() -> None:
    with pytest.raises(ValueError, match="min <= max"):
        Target(200, 100)
    with pytest.raises(ValueError, match="cap"):
        Target(100, 200, 150)
    assert Target().with_window(60, 300) == Target(60, 300, 300)
    assert Target().to_dict() == {"min_s": 150.0, "max_s": 210.0, "cap_s": 240.0}


@pytest.mark.parametrize(
    ("text", "window"), [("150-210", (150.0, 210.0)), ("2:30-3:30", (150.0, 210.0))]
)
def test_parse_window(text: str, window: tuple[float, float]) -> None:
    assert parse_window(text) == window


@pytest.mark.parametrize("text", ["150", "210-150", "a-b", "2:75-3:00", ""])
def test_bad_windows_raise(text: str) -> None:
    with pytest.raises(ValueError):
        parse_window(text)


def test_clock_and_seconds() -> None:
    assert [fmt_clock(s) for s in (0, 59.4, 59.6, 125, 600)] == [
        "0:00",
        "0:59",
        "1:00",
        "2:05",
        "10:00",
    ]
    assert parse_seconds("2.5m") == 150.0 and parse_seconds("90s") == 90.0
