"""The timing finding: an answer's length placed against its target window and cap.

The time primitives themselves (:class:`~voicemock.timing.Target`, clocks, parsing) live
in :mod:`voicemock.timing`; they are re-exported here for older imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicemock.analysis.document import TimingDoc
from voicemock.analysis.document import Verdict as Verdict
from voicemock.timing import DEFAULT_CAP_S as DEFAULT_CAP_S
from voicemock.timing import DEFAULT_MAX_S as DEFAULT_MAX_S
from voicemock.timing import DEFAULT_MIN_S as DEFAULT_MIN_S
from voicemock.timing import Target as Target
from voicemock.timing import fmt_clock as fmt_clock
from voicemock.timing import parse_seconds as parse_seconds
from voicemock.timing import parse_window as parse_window


@dataclass(frozen=True, slots=True)
class Timing:
    duration_s: float
    verdict: Verdict
    seconds_to_window: float
    """How far outside the window: seconds still missing (short) or spoken past its end."""

    def to_dict(self) -> TimingDoc:
        return {
            "duration_s": round(self.duration_s, 2),
            "verdict": self.verdict,
            "seconds_to_window": round(self.seconds_to_window, 2),
        }


def judge(duration_s: float, target: Target) -> Timing:
    """Place an answer of ``duration_s`` seconds against ``target``."""
    if duration_s < target.min_s:
        return Timing(duration_s, "short", target.min_s - duration_s)
    if duration_s <= target.max_s:
        return Timing(duration_s, "on_target", 0.0)
    # Reaching the cap counts as over it: that is where a recording is cut off.
    verdict: Verdict = "long" if duration_s < target.cap_s else "over_cap"
    return Timing(duration_s, verdict, duration_s - target.max_s)
