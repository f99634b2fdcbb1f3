"""The one place each timing verdict is put into words (and colours), for every renderer.

A verdict is :data:`voicemock.analysis.document.Verdict`: ``short``, ``on_target``,
``long`` or ``over_cap``. The report, the round summary and the markdown review each say
it at their own length; all of their wording is here.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicemock.analysis.document import TargetDoc, Verdict
from voicemock.timing import Target, fmt_clock


@dataclass(frozen=True)
class Wording:
    label: str
    """In the report: ``2:52  on target — inside the …``."""
    cell: str
    """In a table cell beside the length: ``2:52 in window``."""
    style: str
    """Rich style of the label in the report."""
    row_style: str | None
    """Rich style of a whole summary row with this verdict."""


WORDING: dict[Verdict, Wording] = {
    "short": Wording("short", "short", "yellow", None),
    "on_target": Wording("on target", "in window", "green", "green"),
    "long": Wording("long", "long", "yellow", None),
    "over_cap": Wording("over the cap", "over cap", "bold red", "red"),
}


def window_text(min_s: float, max_s: float) -> str:
    """``2:30–3:30``."""
    return f"{fmt_clock(min_s)}–{fmt_clock(max_s)}"


def report_gap(verdict: Verdict, seconds_to_window: float, target: TargetDoc) -> str:
    """What follows the label in the report: how far from the window, and the window."""
    window = (
        f"{window_text(target['min_s'], target['max_s'])} window, cap {fmt_clock(target['cap_s'])}"
    )
    if verdict == "short":
        return f" — {seconds_to_window:.0f} s before the window opens ({window})"
    if verdict in ("long", "over_cap"):
        return f" — {seconds_to_window:.0f} s past the window ({window})"
    return f" — inside the {window}"


def review_sentence(verdict: Verdict | None, duration_s: float, target: Target) -> str:
    """The markdown review's line after the length: ``0:22 past the 2:30–3:30 window``."""
    window = window_text(target.min_s, target.max_s)
    if verdict == "short":
        return f"{fmt_clock(target.min_s - duration_s)} short of the {window} window"
    if verdict == "on_target":
        return f"in the {window} window"
    if verdict == "long":
        return f"{fmt_clock(duration_s - target.max_s)} past the {window} window"
    if verdict == "over_cap":
        return f"past the {fmt_clock(target.cap_s)} cap (window {window})"
    return f"target {window}"
