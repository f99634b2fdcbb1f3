"""Transcribing while the candidate speaks, so feedback is ready moments after they stop.

:class:`StreamingTranscription` is fed the recording block by block (a recorder
subscriber). It tracks the voice (:class:`~voicemock.asr.vad.SpeechTracker`), cuts
finished chunks at pauses (:func:`~voicemock.asr.chunking.next_cut`) and hands each to a
decoding worker. When recording stops only the tail is left to transcribe.

A file transcribed afterwards goes through the very same class, fed block by block as it
is read (:func:`voicemock.asr.transcribe`), so live and offline transcripts of the same
audio are cut identically, and decoded identically too: every model worker runs one CPU
thread (CTranslate2's numerics shift with the thread count), and decoding is deterministic
(see :mod:`voicemock.asr.whisper`).

Workers: the transcriber has one single-threaded model replica per core. While a recording
runs, only the first worker decodes, so the microphone always has a core; once it stops
(and for a file, from the start), all of them do, each taking the next chunk, so the tail
and a chunk still in progress are decoded side by side.

Most of the time not even the tail is left. The last chunk of an answer is cut at its
last pause that speech follows (:func:`~voicemock.asr.chunking.final_cut`, for files too),
and whenever the first worker is idle it decodes those two parts ahead, as they would be
should the answer end now: while the speaker talks, the part up to the latest pause (its
bounds are settled); in a pause, what was said after the pause before it. If the answer
ends in a pause both decodes stand and the report only waits for the analysis; if it ends
mid-sentence only what followed the last pause is left. :meth:`finish` does not wait for a
decode ahead it has no use for (one still running for a pause the speaker talked on after).

Memory stays flat however long the recording: audio is kept only from the start of the
oldest chunk not yet decoded, and a file is read no faster than its chunks are decoded
(at most ``max_queued`` chunks wait).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from voicemock.asr.chunking import CHUNK_PAD_S, CutPolicy, chunk_bounds, final_cut, next_cut
from voicemock.asr.guards import clean_words, shift
from voicemock.asr.vad import SPEECH_PAD_S, SpeechTracker
from voicemock.audio import SAMPLE_RATE
from voicemock.errors import NoSpeechError
from voicemock.transcript import Span, Transcript, Word

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from voicemock.asr.whisper import Transcriber
    from voicemock.audio.io import Audio


@dataclass(eq=False)
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
    early: bool = False
    """A decode ahead of time of what would be the tail, should the answer end here."""
    worker: int = -1
    """The worker that decoded it."""
    wanted: bool = False
    """A decode ahead that a chunk of the finished recording waits for."""


@dataclass
class StreamStats:
    chunks: list[ChunkTiming] = field(default_factory=list)
    finish_started_at: float = 0.0
    finish_done_at: float = 0.0
    peak_samples: int = 0
    """The most audio samples held at once."""

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
        policy: CutPolicy | None = None,
        on_chunk: Callable[[Span, list[Word]], None] | None = None,
        live: bool = True,
        max_queued: int | None = None,
    ) -> None:
        """``live``: a recording in progress (one worker decodes until :meth:`finish`, and
        tails are decoded ahead at pauses); otherwise a file, which every worker decodes
        from the start. ``max_queued``: :meth:`feed` waits while that many chunks wait to
        be decoded (a file is read faster than it can be decoded)."""
        import numpy as np

        self._np = np
        self.transcriber = transcriber
        self.policy = policy or CutPolicy()
        self.on_chunk = on_chunk
        self.max_queued = max_queued
        self.live = live
        self.cancelled = False
        """Set (from a signal handler: no lock) to stop waiting in :meth:`feed` and
        :meth:`finish`; the caller then raises the interruption where no lock is held."""
        self.tracker = SpeechTracker()
        self._blocks: deque[npt.NDArray[np.float32]] = deque()
        self._first_sample = 0
        """Sample index of the first kept block's first sample."""
        self._samples = 0
        self._held = 0
        self._pending_from = 0.0
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._jobs: deque[ChunkTiming] = deque()
        self._active: set[ChunkTiming] = set()
        self._results: dict[float, list[Word]] = {}
        self._early: dict[Span, ChunkTiming] = {}
        """Tails decoded ahead, at a pause, in case the answer ends there."""
        self._early_words: dict[Span, list[Word]] = {}
        self._early_next: ChunkTiming | None = None
        self._error: BaseException | None = None
        self._closing = False
        self._finished = False
        self.stats = StreamStats()
        self._workers = [
            threading.Thread(target=self._work, args=(k,), name=f"voicemock-asr-{k}", daemon=True)
            for k in range(max(1, transcriber.workers))
        ]
        for worker in self._workers:
            worker.start()

    # -- input (recorder delivery thread, or the file reader) --------------------------------

    def feed(self, block: Audio) -> None:
        """Take the next block of 16 kHz mono float32 audio."""
        with self._lock:
            if self._finished:
                return
            block = block.astype(self._np.float32, copy=False)
            self._blocks.append(block)
            self._samples += len(block)
            self._held += len(block)
            self.stats.peak_samples = max(self.stats.peak_samples, self._held)
            self.tracker.feed(block)
            self._cut(final=False)
            if self.max_queued is not None:
                while (
                    len(self._jobs) >= self.max_queued
                    and self._error is None
                    and not self.cancelled
                ):
                    self._wake.wait(0.1)

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
            self._forget_early()
        if not final:
            if self.live:
                self._maybe_decode_early(now)
            self._forget_audio()

    def _maybe_decode_early(self, now: float) -> None:
        """When idle, decode ahead of time what :meth:`finish` would need, should the
        answer end soon (lock held).

        The last chunk is cut at its last pause with speech after it
        (:func:`~voicemock.asr.chunking.final_cut`), so :meth:`finish` needs two decodes:
        the speech from the last cut up to that pause, and what followed it. In a pause
        (once the chunk's end margin has passed), the part after the last pause goes first:
        it is all that is left if the answer ends here. Otherwise, even while the speaker
        talks on, the part up to the latest pause is decoded: its bounds are settled.
        """
        if self._jobs or self._active or self._early_next is not None:
            return
        tracker = self.tracker
        regions = tracker.regions
        if not regions or regions[-1].end <= self._pending_from:
            return  # nothing said since the last cut
        known = list(regions)
        if tracker.open_since is not None:  # padded as the region will be once it closes
            known.append(Span(max(regions[-1].end, tracker.open_since - SPEECH_PAD_S), now))
        split = final_cut(known, self._pending_from, now)
        wanted: list[Span | None] = []
        if tracker.open_since is None and now >= regions[-1].end + CHUNK_PAD_S:
            # Exactly the chunks :meth:`finish` makes should the answer end in this pause.
            if split is not None:
                wanted.append(chunk_bounds(regions, split, now))
            wanted.append(
                chunk_bounds(regions, self._pending_from, split if split is not None else now)
            )
        elif split is not None:
            wanted.append(chunk_bounds(regions, self._pending_from, split))
        for bounds in wanted:
            if bounds is not None and bounds not in self._early:
                job = ChunkTiming(bounds, time.monotonic(), early=True)
                self._early[bounds] = job
                self._early_next = job
                self._wake.notify_all()
                return

    def _forget_early(self) -> None:
        """Drop the decodes ahead that began before the last cut: no chunk still to come
        can use them (lock held)."""
        for span in [s for s in self._early if s.start < self._pending_from]:
            job = self._early[span]
            if job.done_at or not job.started_at:  # not while a worker is on it
                del self._early[span]
                self._early_words.pop(span, None)
        if self._early_next is not None and self._early_next.span not in self._early:
            self._early_next = None

    def _queue(self, start: float, end: float) -> None:
        bounds = chunk_bounds(self.tracker.regions, start, end)
        if bounds is None:
            return
        job = ChunkTiming(bounds, time.monotonic())
        self.stats.chunks.append(job)
        self._jobs.append(job)
        self._wake.notify_all()

    def _forget_audio(self) -> None:
        """Drop the blocks that no chunk still to be decoded needs (lock held)."""
        needed = self._pending_from
        for job in (*self._jobs, *self._active):
            needed = min(needed, job.span.start)
        if self._early_next is not None:
            needed = min(needed, self._early_next.span.start)
        keep_from = int(needed * SAMPLE_RATE)
        while self._blocks and self._first_sample + len(self._blocks[0]) <= keep_from:
            dropped = self._blocks.popleft()
            self._first_sample += len(dropped)
            self._held -= len(dropped)

    # -- decoding ----------------------------------------------------------------------------

    def _slice(self, span: Span) -> Audio:
        """The audio of ``span`` (lock held)."""
        np = self._np
        lo = max(round(span.start * SAMPLE_RATE) - self._first_sample, 0)
        hi = max(round(span.end * SAMPLE_RATE) - self._first_sample, lo)
        pieces = []
        offset = 0
        for block in self._blocks:
            end = offset + len(block)
            if end > lo and offset < hi:
                pieces.append(block[max(lo - offset, 0) : min(hi - offset, len(block))])
            if end >= hi:
                break
            offset = end
        if not pieces:
            return cast("Audio", np.zeros(0, dtype=np.float32))
        return cast("Audio", np.concatenate(pieces))

    def _speech_in(self, span: Span) -> list[Span]:
        """The voiced stretches inside ``span``, from its start (lock held)."""
        return [
            Span(max(r.start, span.start) - span.start, min(r.end, span.end) - span.start)
            for r in self.tracker.regions
            if r.end > span.start and r.start < span.end
        ]

    def _decode(self, job: ChunkTiming) -> None:
        with self._lock:
            audio = self._slice(job.span)
            speech = self._speech_in(job.span)
        try:
            found = self.transcriber.transcribe_chunk(audio, speech)
            words = shift(found, job.span.start, limit=job.span.end)
            with self._lock:
                if job.early:
                    self._early_words[job.span] = words
                else:
                    self._results[job.span.start] = words
            if self.on_chunk is not None and not job.early:
                self.on_chunk(job.span, words)
        except BaseException as exc:  # reported by finish(), in the caller's thread
            with self._lock:
                self._error = self._error or exc
        with self._lock:
            job.done_at = time.monotonic()
            self._active.discard(job)
            self._forget_audio()
            self._wake.notify_all()

    def _next_job(self, worker: int) -> ChunkTiming | None:
        """The next job for ``worker`` (lock held); ``None`` when there is nothing to do."""
        if self._jobs and (worker == 0 or self._finished or not self.live):
            job = self._jobs.popleft()
            if self._finished:
                job.at_finish = True
                if self._reuse_early(job):
                    return self._next_job(worker)
            return job
        if worker == 0 and not self._finished and self._early_next is not None:
            job, self._early_next = self._early_next, None
            return job
        return None

    def _work(self, worker: int) -> None:
        while True:
            with self._lock:
                job = self._next_job(worker)
                while job is None:
                    if self._closing:
                        return
                    self._wake.wait()
                    job = self._next_job(worker)
                job.started_at = time.monotonic()
                job.worker = worker
                self._active.add(job)
            self._decode(job)

    def _reuse_early(self, job: ChunkTiming) -> bool:
        """Use the decode made ahead for exactly this chunk, waiting if it is under way
        (lock held)."""
        ahead = self._early.get(job.span)
        if ahead is None or not ahead.started_at:
            return False  # never decoded
        ahead.wanted = True
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
        self._wake.notify_all()  # finish() may be waiting for this very job
        return True

    # -- the end ---------------------------------------------------------------------------

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole transcript.

        Every worker now decodes: the tail beside any chunk still in progress. Raises
        :class:`NoSpeechError` when no voice was heard, and any error a decode met (a
        model failure, say).
        """
        self.stats.finish_started_at = time.monotonic()
        with self._lock:
            self._finished = True
            self.tracker.finish()
            duration = self._samples / SAMPLE_RATE
            self._cut(final=True)
            split = final_cut(self.tracker.regions, self._pending_from, duration)
            if split is not None:
                self._queue(self._pending_from, split)
                self._pending_from = split
            self._queue(self._pending_from, duration)
            if self._early_next is not None:  # never started: no one needs it now
                del self._early[self._early_next.span]
                self._early_next = None
            self._wake.notify_all()
            while self._needed() and self._error is None and not self.cancelled:
                self._wake.wait(0.1)
            self._closing = True
            self._wake.notify_all()
            # A decode ahead at a pause the speaker talked on after is of no use now, and
            # may take a second more: its worker stops once it is done (see :meth:`close`).
            lingering = {job.worker for job in self._active if job.early and not job.wanted}
        for k, worker in enumerate(self._workers):
            if k not in lingering:
                worker.join()
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

    def _needed(self) -> bool:
        """Whether a chunk of the transcript is still waiting or being decoded (lock held).
        Decodes ahead are waited for only when a chunk reuses them (:meth:`_reuse_early`)."""
        return bool(self._jobs) or any(not job.early or job.wanted for job in self._active)

    def close(self, wait_s: float = 2.0) -> None:
        """Stop the workers without a transcript (the recording was abandoned, or Ctrl-C),
        or after :meth:`finish` (which does not wait for a decode ahead it has no use for),
        waiting up to ``wait_s`` for a decode under way to finish: a process must not end
        while a worker is inside the model's native code."""
        with self._lock:
            self._finished = True
            self._closing = True
            self._jobs.clear()
            self._early_next = None
            self._wake.notify_all()
        deadline = time.monotonic() + wait_s
        for worker in self._workers:
            worker.join(max(0.0, deadline - time.monotonic()))
