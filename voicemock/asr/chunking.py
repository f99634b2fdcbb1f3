"""Where to cut an answer into transcription chunks, from its speech regions alone.

:func:`next_cut` decides where a chunk ends from the regions
(:class:`voicemock.asr.vad.SpeechTracker`), so a live recording
(:mod:`voicemock.asr.stream`) and a file transcribed afterwards are cut at the same
places and transcribed the same way:

- once at least ``min_pending`` seconds are waiting, cut in the middle of the first
  silence of ``silence_s`` or more (it is known as soon as that much silence has passed);
- if ``force_s`` seconds pass without such a silence, cut in the middle of the longest
  pause among them (or at ``force_s`` if the voice never paused).

Chunks are long (18–28 s), because Whisper pays for a whole 30 s window whatever it is
given and reads better with context: on 4–6 minute recordings (``scripts/bench_longform.py``)
chunks of 7–25 s took half as many windows again and lost more words where chunks meet.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from voicemock.transcript import Span

MIN_PENDING_S = 18.0
CUT_SILENCE_S = 0.4
FORCE_CUT_S = 28.0
"""With the 0.5 s margins inside it, a chunk always fits one 30 s Whisper window."""
CHUNK_PAD_S = 0.5
"""Audio kept around a chunk's speech: a lead-in of 0.5 s rather than 0.2 s let tiny.en
hear 2 more of the 14 fillers in the AMI clips as one recording (11 rather than 9)."""


# -- where chunks end ---------------------------------------------------------------------


@dataclass(frozen=True)
class CutPolicy:
    min_pending_s: float = MIN_PENDING_S
    silence_s: float = CUT_SILENCE_S
    force_s: float = FORCE_CUT_S


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
    half = policy.silence_s / 2
    deadline = pending_from + policy.force_s
    for start, end in _gaps(regions, open_since, now, pending_from):
        confirmed = start + policy.silence_s
        if end - start < policy.silence_s or confirmed > deadline:
            continue
        cut = start + half
        if cut - pending_from >= policy.min_pending_s:
            return cut
    if now < deadline:
        return None
    # Pauses in the first ``force_s`` seconds, each cut off at the deadline: exactly what
    # a live recording knows when the deadline passes.
    clipped = [
        (start, min(end, deadline))
        for start, end in _gaps(regions, open_since, now, pending_from)
        if start < deadline
    ]
    pauses = [(end - start, (start + end) / 2) for start, end in clipped if end > start]
    if pauses:
        return max(pauses)[1]
    return deadline


FINAL_MIN_S = 8.0
"""The last chunk is cut at its last pause only if at least this much comes before it:
a shorter stretch decodes in about the time of the whole (the encoder pays for a 30 s
window either way), and the words of a short answer are read in one piece."""
FINAL_PAUSE_S = 0.6
"""A pause the last chunk may be cut at: the chunk before keeps its full end margin
(:data:`CHUNK_PAD_S`), the one after a lead-in of at least 0.1 s."""


def final_cut(regions: Sequence[Span], pending_from: float, end: float) -> float | None:
    """Where the last chunk of a finished recording is cut in two: :data:`CHUNK_PAD_S`
    into its last pause of :data:`FINAL_PAUSE_S` or more with speech after it, or ``None``.

    A live recording decodes ahead of time, while the speaker talks on, the speech from the
    last cut up to exactly this point, and at a pause what followed it
    (:mod:`voicemock.asr.stream`); cutting the last chunk here lets those decodes stand,
    so when Enter is pressed only what followed the last pause is left, or nothing at all
    (a 5-minute answer spoken to the end otherwise left up to 28 s to decode). A file is
    cut by the same rule, so both give the same words.
    """
    best = None
    for start, stop in _gaps(regions, None, end, pending_from):
        cut = start + CHUNK_PAD_S
        if stop >= end:
            break  # the silence after the last word: nothing follows it
        if stop - start >= FINAL_PAUSE_S and cut - pending_from >= FINAL_MIN_S:
            best = cut
    return best


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
    cuts = cut_points(regions, duration, policy)
    last = final_cut(regions, cuts[-1] if cuts else 0.0, duration)
    edges = [0.0, *cuts, *([last] if last is not None else []), duration]
    chunks = (chunk_bounds(regions, a, b) for a, b in itertools.pairwise(edges))
    return [c for c in chunks if c is not None]
