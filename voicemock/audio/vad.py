"""Where the voice is, and where to cut an answer into transcription chunks.

:class:`SpeechTracker` runs Silero VAD (shipped with faster-whisper) incrementally: it
can be fed a whole file at once or a recording block by block and finds the same speech
regions either way, because the model's state and the 64-sample context carry over from
one 32 ms window to the next exactly as in one pass.

:func:`next_cut` decides where a chunk ends from those regions alone, so a live
recording (:mod:`voicemock.audio.stream`) and a file transcribed afterwards are cut at
the same places and transcribed the same way:

- once at least ``min_pending`` seconds are waiting, cut in the middle of the first
  silence of ``silence_s`` or more (it is known as soon as that much silence has passed);
- if ``force_s`` seconds pass without such a silence, cut in the middle of the longest
  pause among them (or at ``force_s`` if the voice never paused).

The speech map also decides which recognised fillers are real (a filler in silence is a
hallucination) and feeds the delivery findings (long pauses, unlabelled hesitations).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from voicemock.audio import SAMPLE_RATE
from voicemock.transcript import Span

if TYPE_CHECKING:
    from voicemock.audio.io import Audio

WINDOW = 512
"""Samples per VAD decision (32 ms)."""
CONTEXT = 64
THRESHOLD = 0.5
NEG_THRESHOLD = 0.35
MIN_SILENCE_S = 0.1
"""Shorter gaps stay inside one speech region."""
MIN_SPEECH_S = 0.08
SPEECH_PAD_S = 0.03

MIN_PENDING_S = 7.0
CUT_SILENCE_S = 0.4
FORCE_CUT_S = 25.0
CHUNK_PAD_S = 0.5
"""Audio kept around a chunk's speech: a lead-in of 0.5 s rather than 0.2 s let tiny.en
hear 2 more of the 14 fillers in the AMI clips as one recording (11 rather than 9)."""


@functools.lru_cache(maxsize=1)
def _vad_session() -> Any:
    from faster_whisper.vad import get_vad_model

    return get_vad_model().session


class SpeechTracker:
    """Incremental speech regions of a stream of 16 kHz float32 audio."""

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self._session = _vad_session()
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._buffer = np.zeros(0, dtype=np.float32)
        self._windows = 0
        self._finished = False
        # region state machine
        self._start: float | None = None
        self._silent_since: float | None = None
        self.regions: list[Span] = []
        """Finished speech regions, padded, in order."""

    @property
    def processed_s(self) -> float:
        """Seconds of audio decided on so far."""
        return self._windows * WINDOW / SAMPLE_RATE

    @property
    def open_since(self) -> float | None:
        """Start of a speech region still going on (``None`` in silence)."""
        return self._start

    @property
    def finished(self) -> bool:
        return self._finished

    def feed(self, audio: Audio) -> SpeechTracker:
        np = self._np
        if self._finished:
            raise RuntimeError("the speech tracker was already finished")
        self._buffer = np.concatenate([self._buffer, audio.astype(np.float32, copy=False)])
        whole = len(self._buffer) // WINDOW * WINDOW
        if whole:
            self._run(self._buffer[:whole])
            self._buffer = self._buffer[whole:]
        return self

    def finish(self) -> SpeechTracker:
        """Decide on the last partial window and close a region still open."""
        np = self._np
        if self._finished:
            return self
        end = self.processed_s + len(self._buffer) / SAMPLE_RATE
        if len(self._buffer):
            padded = np.zeros(WINDOW, dtype=np.float32)
            padded[: len(self._buffer)] = self._buffer
            self._run(padded)
            self._buffer = self._buffer[:0]
        if self._start is not None:
            stop = self._silent_since if self._silent_since is not None else end
            self._close(self._start, min(stop, end), end)
        self._finished = True
        return self

    def _run(self, samples: Audio) -> None:
        np = self._np
        windows = samples.reshape(-1, WINDOW)
        contexts = np.concatenate([self._context[None, :], windows[:-1, -CONTEXT:]])
        batch = np.concatenate([contexts, windows], axis=1)
        out, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = windows[-1, -CONTEXT:].copy()
        for p in np.asarray(out).reshape(-1):
            self._step(float(p), self._windows * WINDOW / SAMPLE_RATE)
            self._windows += 1

    def _step(self, p: float, t: float) -> None:
        if self._start is None:
            if p >= THRESHOLD:
                self._start = t
            return
        if p >= THRESHOLD:
            self._silent_since = None
        elif p < NEG_THRESHOLD:
            if self._silent_since is None:
                self._silent_since = t
            if t + WINDOW / SAMPLE_RATE - self._silent_since >= MIN_SILENCE_S:
                self._close(self._start, self._silent_since, None)

    def _close(self, start: float, end: float, limit: float | None) -> None:
        self._start = None
        self._silent_since = None
        if end - start < MIN_SPEECH_S:
            return
        previous_end = self.regions[-1].end if self.regions else 0.0
        lo = max(previous_end, start - SPEECH_PAD_S, 0.0)
        hi = end + SPEECH_PAD_S
        if limit is not None:
            hi = min(hi, limit)
        self.regions.append(Span(round(lo, 4), round(hi, 4)))


def speech_map(audio: Audio) -> list[Span]:
    """Speech regions of a whole recording (seconds), in order."""
    if audio.size == 0:
        return []
    return SpeechTracker().feed(audio).finish().regions


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
