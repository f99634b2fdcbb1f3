"""Transcribing a whole recording: the live path, fed as fast as it can be decoded."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from voicemock.asr.stream import StreamingTranscription
from voicemock.audio import SAMPLE_RATE
from voicemock.transcript import Span, Transcript, Word

if TYPE_CHECKING:
    from voicemock.asr.whisper import Transcriber
    from voicemock.audio.io import Audio

FEED_BLOCK_S = 10.0
"""Seconds of audio handed to the stream at a time."""


def transcribe(
    audio: Audio,
    transcriber: Transcriber,
    *,
    progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Transcribe a whole recording: VAD, chunks cut at pauses, prompt, guards, offsets.

    The same path as a live recording (:class:`voicemock.asr.stream.StreamingTranscription`):
    both cut the same chunks and decode them the same way, so they give the same words.
    Raises :class:`NoSpeechError` when the VAD hears no voice at all.
    """
    step = int(FEED_BLOCK_S * SAMPLE_RATE)
    blocks = (audio[i : i + step] for i in range(0, max(len(audio), 1), step))
    return transcribe_blocks(
        blocks, transcriber, duration=len(audio) / SAMPLE_RATE, progress=progress
    )


def transcribe_blocks(
    blocks: Iterable[Audio],
    transcriber: Transcriber,
    *,
    duration: float | None = None,
    progress: Callable[[float], None] | None = None,
) -> Transcript:
    """:func:`transcribe` for a recording read piece by piece (see
    :func:`voicemock.audio.io.iter_audio`): only the audio of the chunks being decoded is
    held, whatever the length. ``duration`` (if known) scales ``progress`` (0..1)."""
    on_chunk = None
    if progress is not None and duration:
        report, total = progress, duration
        done = [0.0]  # chunks finish out of order on several workers: never go back

        def on_chunk(span: Span, _words: list[Word]) -> None:
            done[0] = max(done[0], min(span.end / total, 0.99))
            report(done[0])

    stream = StreamingTranscription(
        transcriber, on_chunk=on_chunk, live=False, max_queued=2 * max(1, transcriber.workers)
    )
    try:
        with _signals_deferred(stream) as raise_pending:
            for block in blocks:
                stream.feed(block)
                raise_pending()
            result = stream.finish()
            raise_pending()
    except BaseException:
        stream.close(wait_s=0.5)  # a decode still running is left to the exit (cli._stop)
        raise
    if progress is not None:
        progress(1.0)
    return result


@contextlib.contextmanager
def _signals_deferred(stream: StreamingTranscription) -> Iterator[Callable[[], None]]:
    """Ctrl-C (or SIGTERM) while a file is decoded, taken where no lock is held.

    A signal handler runs in the main thread between any two bytecodes, also inside
    ``threading``'s own lock code while the main thread waits for the decoding workers; an
    exception raised there can leave the stream's lock released under a worker's feet. Here
    the handler only marks the stream cancelled; the yielded function then runs the usual
    handler (KeyboardInterrupt, or the command line's SIGTERM) between two blocks.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    pending: list[int] = []

    def note(signum: int, _frame: Any) -> None:
        pending.append(signum)
        stream.cancelled = True

    previous: dict[int, Any] = {
        n: signal.getsignal(n)
        for n in (signal.SIGINT, signal.SIGTERM)
        if signal.getsignal(n) is not signal.SIG_IGN
    }
    numbers = tuple(previous)
    for n in numbers:
        signal.signal(n, note)

    def raise_pending() -> None:
        if not pending:
            return
        signum = pending[0]
        restore()
        handler = previous[signum]
        if callable(handler):
            handler(signum, None)
        raise KeyboardInterrupt  # the default action: stop all the same

    def restore() -> None:
        for n in numbers:
            signal.signal(n, previous[n])

    try:
        yield raise_pending
    finally:
        restore()
