"""Delivery: how many words, how fast, and where the speaker went silent.

Pace is words over the span from the first word's start to the last word's end, overall and
per 30-second window. Long pauses come from the voice-activity (speech) map: gaps of 2 s or
more between speech regions inside the answer, never the silence before the first word or
after the last, and never inferred from gaps between word timestamps (the recogniser's word
times stretch and shrink around silence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from voicemock.analysis.document import DeliveryDoc, PaceWindowDoc, PauseDoc
from voicemock.analysis.text import Doc, DocSource, per_minute
from voicemock.transcript import Span, Transcript

LONG_PAUSE_S = 2.0
WINDOW_S = 30.0
MAX_WINDOWS = 10_000
MIN_LAST_WINDOW_S = 10.0
"""A last window shorter than this joins the one before it (a 3 s tail says little)."""


@dataclass(frozen=True, slots=True)
class PaceWindow:
    start: float
    end: float
    words: int

    @property
    def wpm(self) -> float:
        return per_minute(self.words, self.end - self.start) or 0.0

    def to_dict(self) -> PaceWindowDoc:
        return {"start": round(self.start, 2), "end": round(self.end, 2), "wpm": self.wpm}


@dataclass(frozen=True, slots=True)
class Pause:
    start: float
    duration: float

    def to_dict(self) -> PauseDoc:
        return {"start": round(self.start, 2), "duration": round(self.duration, 2)}


@dataclass(frozen=True)
class Delivery:
    word_count: int
    speaking_s: float | None = None
    """From the first word's start to the last word's end (None when untimed)."""
    wpm_by_30s: list[PaceWindow] | None = None
    long_pauses: list[Pause] | None = field(default=None)

    @property
    def wpm(self) -> float | None:
        return per_minute(self.word_count, self.speaking_s)

    def to_dict(self) -> DeliveryDoc:
        return {
            "word_count": self.word_count,
            "speaking_s": None if self.speaking_s is None else round(self.speaking_s, 2),
            "wpm": self.wpm,
            "wpm_by_30s": None
            if self.wpm_by_30s is None
            else [w.to_dict() for w in self.wpm_by_30s],
            "long_pauses": None
            if self.long_pauses is None
            else [p.to_dict() for p in self.long_pauses],
        }


def speaking_span(doc: Doc) -> tuple[float, float] | None:
    """(first word start, last word end), or None when the words carry no times."""
    starts = [t for t in doc.starts if t is not None]
    ends = [t for t in doc.ends if t is not None]
    if not starts or not ends:
        return None
    first, last = min(starts), max(ends)
    return (first, last) if last > first else None


def pace_windows(doc: Doc, window_s: float = WINDOW_S) -> list[PaceWindow] | None:
    """Words per minute in consecutive windows from the first word to the last."""
    span = speaking_span(doc)
    if span is None:
        return None
    first, last = span
    if (last - first) / window_s > MAX_WINDOWS:
        return None  # times no recording can have: no pace rather than a million windows
    bounds: list[tuple[float, float]] = []
    t = first
    while t < last:
        bounds.append((t, min(t + window_s, last)))
        t += window_s
    if len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] < MIN_LAST_WINDOW_S:
        tail = bounds.pop()
        bounds[-1] = (bounds[-1][0], tail[1])
    counts = [0] * len(bounds)
    for i in range(len(doc)):
        lo, hi = doc.starts[i], doc.ends[i]
        if lo is None:
            continue
        middle = (lo + hi) / 2 if hi is not None and hi >= lo else lo
        k = min(int((middle - first) // window_s), len(bounds) - 1)
        counts[max(k, 0)] += 1
    return [PaceWindow(lo, hi, n) for (lo, hi), n in zip(bounds, counts, strict=True)]


def long_pauses(speech: Sequence[Span] | None, min_s: float = LONG_PAUSE_S) -> list[Pause] | None:
    """Silences of ``min_s`` or more between speech regions (None without a speech map)."""
    if not speech:
        return None
    regions = sorted(speech, key=lambda s: (s.start, s.end))
    out: list[Pause] = []
    reach = regions[0].end
    for region in regions[1:]:
        gap = region.start - reach
        if gap >= min_s:
            out.append(Pause(reach, gap))
        reach = max(reach, region.end)
    return out


def find_delivery(source: DocSource, speech: Sequence[Span] | None = None) -> Delivery:
    """Word count, speaking time, pace overall and per 30 s, long pauses.

    ``speech`` defaults to the transcript's speech map when ``source`` is a Transcript.
    """
    if speech is None and isinstance(source, Transcript):
        speech = source.speech
    doc = Doc.of(source)
    span = speaking_span(doc)
    return Delivery(
        word_count=len(doc),
        speaking_s=None if span is None else span[1] - span[0],
        wpm_by_30s=pace_windows(doc),
        long_pauses=long_pauses(speech),
    )


__all__ = [
    "LONG_PAUSE_S",
    "Delivery",
    "PaceWindow",
    "Pause",
    "find_delivery",
    "long_pauses",
    "pace_windows",
    "speaking_span",
]
