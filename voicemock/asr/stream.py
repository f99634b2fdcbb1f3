"""Transcribing while the candidate speaks, so feedback is ready moments after they stop.

:class:`StreamingTranscription` is fed the recording block by block (a recorder
subscriber). It tracks the voice (:class:`~voicemock.asr.vad.SpeechTracker`), cuts
finished chunks at pauses (:func:`~voicemock.asr.chunking.next_cut`) and hands each to a
background worker, which transcribes it with the filler prompt. When recording stops only
the tail is left to transcribe.

A file transcribed afterwards goes through the very same class, fed all at once
(:func:`voicemock.asr.transcribe`), so live and offline transcripts of the
same audio are cut and decoded identically.

Chunks are decoded independently (no previous text as context: on the AMI meeting clips
that halved the fillers reported where nobody said one, at no cost in word error rate),
so once recording stops the tail need not wait for a chunk still being decoded: it is
decoded at the same time, by a second instance of the model that uses every core.

Most of the time not even that is needed: when the speaker falls silent (the pause
before they press Enter), the worker, if idle, decodes what was said since the last cut
right away. If no more speech follows, that decode *is* the tail, and the report only
waits for the analysis.

Threads: the recorder's delivery thread runs :meth:`feed` (VAD costs about 1 ms per
0.1 s block); one worker decodes. CTranslate2 releases the GIL; while recording, the
model decodes with one thread fewer than the machine has cores, so the microphone always
has a core (each 30 s decoding window costs tiny.en 0.6 s of encoder time on one core of
the reference machine, 0.4 s on two).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from voicemock.asr.chunking import CHUNK_PAD_S, CutPolicy, chunk_bounds, next_cut
from voicemock.asr.guards import clean_words, shift
from voicemock.asr.vad import SpeechTracker
from voicemock.audio import SAMPLE_RATE
from voicemock.errors import NoSpeechError
from voicemock.transcript import Span, Transcript, Word

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from voicemock.asr.whisper import Transcriber
    from voicemock.audio.io import Audio


@dataclass
class ChunkTiming:
    """When one chunk was cut and decoded (seconds on ``time.monotonic``)."""

    span: Span
    queued_at: float
    started_at: float = 0.0
    done_at: float = 0.0
    at_finish: bool = False
    """Left for :meth:`StreamingTranscription.finish` (after the recording stopped)."""
    reused: bool = False
    """Its words were decoded ahead of time, in the pause before the recording stopped."""


@dataclass
class StreamStats:
    chunks: list[ChunkTiming] = field(default_factory=list)
    finish_started_at: float = 0.0
    finish_done_at: float = 0.0

    @property
    def tail_s(self) -> float:
        """Seconds :meth:`StreamingTranscription.finish` took (the wait after the answer)."""
        return self.finish_done_at - self.finish_started_at


class StreamingTranscription:
    """Feed audio as it arrives; :meth:`finish` returns the whole answer's transcript."""

    def __init__(
        self,
        transcriber: Transcriber,
        *,
        finisher: Transcriber | None = None,
        policy: CutPolicy | None = None,
        on_chunk: Callable[[Span, list[Word]], None] | None = None,
    ) -> None:
        """``transcriber`` decodes while audio still arrives; ``finisher`` (the same model
        loaded to use every core) decodes what is left once :meth:`finish` is called."""
        import numpy as np

        self._np = np
        self.transcriber = transcriber
        self.finisher = finisher or transcriber
        self.policy = policy or CutPolicy()
        self.on_chunk = on_chunk
        self.tracker = SpeechTracker()
        self._parts: list[npt.NDArray[np.float32]] = []
        self._audio: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self._samples = 0
        self._pending_from = 0.0
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._jobs: deque[ChunkTiming] = deque()
        self._results: dict[float, list[Word]] = {}
        self._early: dict[Span, ChunkTiming] = {}
        """Tails decoded ahead, at a pause, in case the answer ends there."""
        self._early_words: dict[Span, list[Word]] = {}
        self._early_next: ChunkTiming | None = None
        self._error: BaseException | None = None
        self._closing = False
        self._finished = False
        self.stats = StreamStats()
        self._worker = threading.Thread(target=self._work, name="voicemock-stream", daemon=True)
        self._worker.start()

    # -- input (recorder delivery thread) ----------------------------------------------------

    def feed(self, block: Audio) -> None:
        """Take the next block of 16 kHz mono float32 audio."""
        with self._lock:
            if self._finished:
                return
            self._parts.append(block.astype(self._np.float32, copy=False))
            self._samples += len(block)
            self.tracker.feed(block)
            self._cut(final=False)

    def _cut(self, *, final: bool) -> None:
        tracker = self.tracker
        now = tracker.processed_s
        while True:
            cut = next_cut(
                tracker.regions,
                open_since=None if final else tracker.open_since,
                now=now,
                pending_from=self._pending_from,
                policy=self.policy,
            )
            if cut is None or cut >= now:
                break
            self._queue(self._pending_from, cut)
            self._pending_from = cut
        if not final:
            self._maybe_decode_early(now)

    def _maybe_decode_early(self, now: float) -> None:
        """In a pause, decode the speech since the last cut ahead of time (if idle)."""
        regions = self.tracker.regions
        if self.tracker.open_since is not None or not regions or self._jobs:
            return
        if regions[-1].end <= self._pending_from or now < regions[-1].end + CHUNK_PAD_S:
            return  # no new speech, or the chunk's end margin is not complete yet
        bounds = chunk_bounds(regions, self._pending_from, now)
        if bounds is None or bounds in self._early:
            return
        job = ChunkTiming(bounds, time.monotonic())
        self._early[bounds] = job
        self._early_next = job
        self._wake.notify()

    def _queue(self, start: float, end: float) -> None:
        bounds = chunk_bounds(self.tracker.regions, start, end)
        if bounds is None:
            return
        job = ChunkTiming(bounds, time.monotonic())
        self.stats.chunks.append(job)
        self._jobs.append(job)
        self._wake.notify()

    # -- decoding ----------------------------------------------------------------------------

    def _slice(self, span: Span) -> Audio:
        with self._lock:
            if self._parts:
                self._audio = self._np.concatenate([self._audio, *self._parts])
                self._parts.clear()
            audio = self._audio
        lo, hi = round(span.start * SAMPLE_RATE), round(span.end * SAMPLE_RATE)
        return audio[lo:hi]

    def _decode(self, job: ChunkTiming, decoder: Transcriber, *, early: bool = False) -> None:
        job.started_at = job.started_at or time.monotonic()
        try:
            found = decoder.transcribe_chunk(self._slice(job.span))
            words = shift(found, job.span.start, limit=job.span.end)
            with self._lock:
                if early:
                    self._early_words[job.span] = words
                else:
                    self._results[job.span.start] = words
            if self.on_chunk is not None and not early:
                self.on_chunk(job.span, words)
        except BaseException as exc:  # reported by finish(), in the caller's thread
            with self._lock:
                self._error = self._error or exc
        with self._lock:
            job.done_at = time.monotonic()
            self._wake.notify_all()

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._jobs and self._early_next is None and not self._closing:
                    self._wake.wait()
                if self._closing:
                    return  # what is left is finish()'s
                early = not self._jobs
                if early:
                    assert self._early_next is not None
                    job, self._early_next = self._early_next, None
                else:
                    job = self._jobs.popleft()
                job.started_at = time.monotonic()  # taken: finish() must not decode it again
            self._decode(job, self.transcriber, early=early)

    # -- the end ---------------------------------------------------------------------------

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole transcript.

        The tail (and any chunk still waiting) is decoded here with every core, while the
        worker completes the chunk it may be decoding. Raises :class:`NoSpeechError` when
        no voice was heard, and any error a decode met (a model failure, say).
        """
        self.stats.finish_started_at = time.monotonic()
        with self._lock:
            self._finished = True
            self.tracker.finish()
            duration = self._samples / SAMPLE_RATE
            self._cut(final=True)
            self._queue(self._pending_from, duration)
            left = list(self._jobs)
            self._jobs.clear()
            self._early_next = None
            self._closing = True
            self._wake.notify_all()
        for job in left:
            job.at_finish = True
            if not self._take_early(job):
                self._decode(job, self.finisher)
        self._worker.join()
        self.stats.finish_done_at = time.monotonic()
        if self._error is not None:
            raise self._error
        speech = self.tracker.regions
        if not speech:
            raise NoSpeechError("no speech detected")
        words = [w for start in sorted(self._results) for w in self._results[start]]
        words = clean_words(words, speech)
        if not words:
            raise NoSpeechError("no speech detected (voice was heard but no words were recognised)")
        return Transcript.from_words(words, duration, speech)

    def _take_early(self, job: ChunkTiming) -> bool:
        """Use the decode made ahead for exactly this chunk, waiting if it is under way."""
        with self._lock:
            ahead = self._early.get(job.span)
            if ahead is None or ahead is self._early_next or not ahead.started_at:
                return False  # never decoded, or still waiting for the worker
            while not ahead.done_at:
                self._wake.wait()
            words = self._early_words.get(job.span)
            if words is None:
                return False  # that decode failed; the error is reported by finish()
            self._results[job.span.start] = words
        job.started_at, job.done_at = ahead.started_at, ahead.done_at
        job.reused = True
        if self.on_chunk is not None:
            self.on_chunk(job.span, words)
        return True

    def close(self) -> None:
        """Stop the worker without a transcript (the recording was abandoned)."""
        with self._lock:
            self._finished = True
            self._closing = True
            self._jobs.clear()
            self._wake.notify_all()
