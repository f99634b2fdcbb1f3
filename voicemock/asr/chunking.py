"""Where to cut an answer into transcription chunks, from its speech regions alone.

:func:`next_cut` decides where a chunk ends from the regions
(:class:`voicemock.asr.vad.SpeechTracker`), so a live recording
(:mod:`voicemock.asr.stream`) and a file transcribed afterwards are cut at the same
places and transcribed the same way. Chunks are long, because Whisper pays for a whole
30 s window whatever it is given and reads better with more context (on 4–6 minute
recordings, chunks of 18–28 s gave fewer errors than chunks of 7–25 s, and took a third
fewer windows):

- once at least ``min_pending`` seconds are waiting, a pause of ``long_pause_s`` or more
  ends the chunk in its middle (it is known as soon as that much silence has passed);
- otherwise, when ``force_s`` seconds have passed, the chunk ends in the middle of the
  longest pause among its last ``lookback_s`` seconds (or the longest pause after
  ``min_pending``, or at ``force_s`` if the voice never paused).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from voicemock.transcript import Span

MIN_PENDING_S = 15.0
LONG_PAUSE_S = 1.0
FORCE_CUT_S = 27.0
"""With the 0.5 s margins, a chunk always fits one 30 s Whisper window."""
LOOKBACK_S = 8.0
CHUNK_PAD_S = 0.5
"""Audio kept around a chunk's speech: a lead-in of 0.5 s rather than 0.2 s let tiny.en
hear 2 more of the 14 fillers in the AMI clips as one recording (11 rather than 9)."""


# -- where chunks end ---------------------------------------------------------------------


@dataclass(frozen=True)
class CutPolicy:
    min_pending_s: float = MIN_PENDING_S
    long_pause_s: float = LONG_PAUSE_S
    force_s: float = FORCE_CUT_S
    lookback_s: float = LOOKBACK_S


def _gaps(
    regions: Sequence[Span], open_since: float | None, now: float, after: float
) -> list[tuple[float, float]]:
    """Silences (start, end) after ``after``; the one going on now ends at ``now``."""
    gaps: list[tuple[float, float]] = []
    for previous, following in itertools.pairwise(regions):
        if following.start > after:
            gaps.append((max(previous.end, after), following.start))
    if regions and open_since is None and regions[-1].end < now:
        gaps.append((max(regions[-1].end, after), now))
    elif regions and open_since is not None and regions[-1].end < open_since:
        gaps.append((max(regions[-1].end, after), open_since))
    return [(a, b) for a, b in gaps if b > a]


def next_cut(
    regions: Sequence[Span],
    *,
    open_since: float | None,
    now: float,
    pending_from: float,
    policy: CutPolicy | None = None,
) -> float | None:
    """Where the chunk that began at ``pending_from`` should end, if that is known yet.

    ``regions`` are the finished speech regions, ``open_since`` the start of one still
    going on, ``now`` how far the audio has been decided. Only what is known at ``now``
    is used, so the answer is the same live and after the fact.
    """
    policy = policy or CutPolicy()
    deadline = pending_from + policy.force_s
    gaps = _gaps(regions, open_since, now, pending_from)
    for start, end in gaps:
        confirmed = start + policy.long_pause_s
        if end - start < policy.long_pause_s or confirmed > deadline:
            continue
        cut = start + policy.long_pause_s / 2
        if cut - pending_from >= policy.min_pending_s:
            return cut
    if now < deadline:
        return None
    # Pauses before the deadline, each cut off at it: exactly what a live recording
    # knows when the deadline passes.
    pauses = [
        (min(end, deadline) - start, (start + min(end, deadline)) / 2)
        for start, end in gaps
        if start < deadline
    ]
    for earliest in (deadline - policy.lookback_s, pending_from + policy.min_pending_s):
        late = [p for p in pauses if p[1] >= earliest and p[0] > 0]
        if late:
            return max(late)[1]
    return deadline


def chunk_bounds(regions: Sequence[Span], start: float, end: float) -> Span | None:
    """The part of ``[start, end]`` worth transcribing: its speech plus a little margin.

    ``None`` when no speech falls inside (a chunk of pure silence is skipped: Whisper
    invents words in silence).
    """
    inside = [r for r in regions if r.end > start and r.start < end]
    if not inside:
        return None
    lo = max(start, inside[0].start - CHUNK_PAD_S)
    hi = min(end, inside[-1].end + CHUNK_PAD_S)
    return Span(lo, hi) if hi > lo else None


def cut_points(
    regions: Sequence[Span], duration: float, policy: CutPolicy | None = None
) -> list[float]:
    """Every cut a live recording of these regions would make, in order."""
    cuts: list[float] = []
    pending = 0.0
    while True:
        cut = next_cut(regions, open_since=None, now=duration, pending_from=pending, policy=policy)
        if cut is None or cut >= duration:
            return cuts
        cuts.append(cut)
        pending = cut


def plan_chunks(
    regions: Sequence[Span], duration: float, policy: CutPolicy | None = None
) -> list[Span]:
    """All chunks of a finished recording, exactly as a live recording would be cut."""
    edges = [0.0, *cut_points(regions, duration, policy), duration]
    chunks = (chunk_bounds(regions, a, b) for a, b in itertools.pairwise(edges))
    return [c for c in chunks if c is not None]
