"""Transcribing a whole recording at once: the live path fed all at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from voicemock.asr.stream import StreamingTranscription
from voicemock.audio import SAMPLE_RATE
from voicemock.transcript import Span, Transcript, Word

if TYPE_CHECKING:
    from voicemock.asr.whisper import Transcriber
    from voicemock.audio.io import Audio


def transcribe(
    audio: Audio,
    transcriber: Transcriber,
    *,
    progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Transcribe a whole recording: VAD, chunks cut at pauses, prompt, guards, offsets.

    The same path as a live recording (:class:`voicemock.asr.stream.StreamingTranscription`)
    fed all at once: both cut the same chunks and decode them the same way (a doubtful chunk
    is decoded again by sampling, so two runs can differ by a word). Raises
    :class:`NoSpeechError` when the VAD hears no voice at all.
    """
    duration = max(len(audio) / SAMPLE_RATE, 1e-9)
    on_chunk = None
    if progress is not None:
        report = progress

        def on_chunk(span: Span, _words: list[Word]) -> None:
            report(min(span.end / duration, 1.0))

    stream = StreamingTranscription(transcriber, on_chunk=on_chunk)
    stream.feed(audio)
    result = stream.finish()
    if progress is not None:
        progress(1.0)
    return result
