"""Where the voice is: Silero VAD run incrementally over an answer.

:class:`SpeechTracker` runs Silero VAD (shipped with faster-whisper) incrementally: it
can be fed a whole file at once or a recording block by block and finds the same speech
regions either way, because the model's state and the 64-sample context carry over from
one 32 ms window to the next exactly as in one pass.

The speech map decides where an answer is cut into chunks
(:mod:`voicemock.asr.chunking`), which recognised fillers are real (a filler in silence
is a hallucination, :mod:`voicemock.asr.guards`) and feeds the delivery findings (long
pauses, unlabelled hesitations).
"""

from __future__ import annotations

import functools
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
