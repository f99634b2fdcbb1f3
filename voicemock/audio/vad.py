"""Where the voice is: Silero VAD (shipped with faster-whisper) and chunk planning.

The speech map drives three things: where transcription chunks are cut, which
recognised fillers are real (a filler in silence is a hallucination), and the delivery
findings (long pauses, unlabelled hesitations) in :mod:`voicemock.analysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from voicemock.audio import SAMPLE_RATE
from voicemock.transcript import Span

if TYPE_CHECKING:
    from voicemock.audio.io import Audio

VAD_THRESHOLD = 0.5
MIN_SILENCE_MS = 100
"""Gaps shorter than this stay inside one speech region."""
SPEECH_PAD_MS = 30
MIN_SPEECH_MS = 80


def speech_map(audio: Audio, offset: float = 0.0) -> list[Span]:
    """Speech regions of ``audio`` (seconds, shifted by ``offset``), in order."""
    if audio.size == 0:
        return []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        threshold=VAD_THRESHOLD,
        min_silence_duration_ms=MIN_SILENCE_MS,
        speech_pad_ms=SPEECH_PAD_MS,
        min_speech_duration_ms=MIN_SPEECH_MS,
    )
    stamps = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE)
    return [
        Span(offset + s["start"] / SAMPLE_RATE, offset + s["end"] / SAMPLE_RATE) for s in stamps
    ]


def plan_chunks(
    speech: Sequence[Span],
    *,
    min_s: float = 5.0,
    max_s: float = 28.0,
    min_gap: float = 0.3,
    pad: float = 0.2,
    duration: float | None = None,
) -> list[Span]:
    """Group speech regions into transcription chunks cut in the middle of pauses.

    Each chunk lasts at least ``min_s`` (only the last may be shorter, when the whole
    answer is) and at most ``max_s`` where a pause of ``min_gap`` or more allows it; among
    the allowed pauses the longest one is cut. Silence longer than the pauses around a
    chunk is left out of it, padded by ``pad`` so no word is clipped.
    """
    if not speech:
        return []
    end_of_audio = duration if duration is not None else speech[-1].end + pad
    gaps = [
        (i, speech[i + 1].start - speech[i].end)
        for i in range(len(speech) - 1)
        if speech[i + 1].start - speech[i].end >= min_gap
    ]
    bounds: list[tuple[int, int]] = []  # (first span index, last span index)
    first = 0
    while True:
        start = speech[first].start
        allowed = [
            (i, g) for i, g in gaps if i >= first and min_s <= speech[i].end - start <= max_s
        ]
        if allowed:
            cut = max(allowed, key=lambda ig: (ig[1], ig[0]))[0]
        else:
            later = [i for i, _ in gaps if i >= first and speech[i].end - start > max_s]
            if not later:
                bounds.append((first, len(speech) - 1))
                break
            cut = later[0]
        bounds.append((first, cut))
        first = cut + 1
    # A last chunk shorter than min_s joins the one before when that stays within max_s.
    if len(bounds) > 1:
        (a, _), (_, d) = bounds[-2], bounds[-1]
        last_len = speech[d].end - speech[bounds[-1][0]].start
        if last_len < min_s and speech[d].end - speech[a].start <= max_s + min_s:
            bounds[-2:] = [(a, d)]
    chunks: list[Span] = []
    for n, (a, b) in enumerate(bounds):
        lo = speech[a].start - pad
        hi = speech[b].end + pad
        if n > 0:
            lo = max(lo, (speech[a - 1].end + speech[a].start) / 2)
        if n + 1 < len(bounds):
            hi = min(hi, (speech[b].end + speech[b + 1].start) / 2)
        chunks.append(Span(max(0.0, lo), min(end_of_audio, hi)))
    return chunks
