"""Transcribing a whole recording: the live path, fed as fast as it can be decoded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

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
        for block in blocks:
            stream.feed(block)
        result = stream.finish()
    except BaseException:
        stream.close()
        raise
    if progress is not None:
        progress(1.0)
    return result
