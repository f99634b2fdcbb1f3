"""Speech to timed words with faster-whisper, keeping the fillers a coach needs to hear about.

Whisper writes fluent text: left alone it drops nearly every "um" and "uh". A short
filler list given as faster-whisper ``hotwords`` is placed in the prompt of *every*
decoding window (an ``initial_prompt`` only reaches the first 30 s), and brings them back.
Answers are cut into chunks at pauses (:mod:`voicemock.asr.chunking`), each chunk is
transcribed on its own with that prompt (see :mod:`voicemock.asr.stream`), and word
times are shifted back onto the whole answer.

A run of words that repeats the prompt is removed here (:func:`remove_prompt_echo`); the
other guards, which need the speech map, are in :mod:`voicemock.asr.guards`.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from voicemock.asr.models import resolve_model
from voicemock.errors import ModelError
from voicemock.transcript import Word

if TYPE_CHECKING:
    from voicemock.audio.io import Audio

FILLER_HOTWORDS = "Um, uh, hmm, er, ah."
"""The prompt given to every chunk, chosen on the AMI meeting clips (see README)."""

FALLBACK_TEMPERATURES = (0.0, 0.4, 0.8)
"""Retries when a decode loops or is unsure, one sample each. faster-whisper's default
(six temperatures, five samples each) gave the same words and fillers on the test speech
but took a quarter longer, most of it on hopeless crosstalk at the end of an answer."""

_NORM = re.compile(r"[^a-z0-9']+")


def norm(text: str) -> str:
    """Lower-case ``text`` with punctuation removed: ``" Um,"`` -> ``"um"``."""
    return _NORM.sub(" ", text.lower()).strip()


_PROMPT_RUN = tuple(norm(FILLER_HOTWORDS).split())


class Transcriber(Protocol):
    """Turns one chunk of speech into words timed from the chunk's start."""

    @property
    def name(self) -> str: ...

    def transcribe_chunk(self, audio: Audio) -> list[Word]: ...


class WhisperTranscriber:
    """faster-whisper on the CPU (int8), English, word timestamps, filler hotwords."""

    def __init__(self, model: Any, name: str, *, beam_size: int = 5) -> None:
        self._model = model
        self._name = name
        self._beam_size = beam_size
        self._lock = threading.Lock()
        """One decode at a time per model instance."""

    @property
    def name(self) -> str:
        return self._name

    @classmethod
    def load(
        cls,
        spec: str | None = None,
        *,
        threads: int | None = None,
        compute_type: str = "int8",
        beam_size: int = 5,
    ) -> WhisperTranscriber:
        choice = resolve_model(spec)
        # Belt and braces: a local path never needs the hub; make sure nothing asks it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from faster_whisper import WhisperModel

            model = WhisperModel(
                choice.path,
                device="cpu",
                compute_type=compute_type,
                cpu_threads=threads or (os.cpu_count() or 1),
            )
        except Exception as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"cannot load model {choice.name!r}: {reason[:160]}") from exc
        return cls(model, choice.name, beam_size=beam_size)

    def transcribe_chunk(self, audio: Audio) -> list[Word]:
        with self._lock:
            return self._transcribe_chunk(audio)

    def _transcribe_chunk(self, audio: Audio) -> list[Word]:
        segments, _info = self._model.transcribe(
            audio,
            language="en",
            task="transcribe",
            beam_size=self._beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            hotwords=FILLER_HOTWORDS,
            temperature=FALLBACK_TEMPERATURES,
            best_of=1,
        )
        words: list[Word] = []
        for segment in segments:
            first_in_segment = True
            for w in segment.words or ():
                text = w.word.strip()
                if not text:
                    continue
                word = Word(text, float(w.start), float(w.end), float(w.probability))
                if words and not first_in_segment and not w.word.startswith(" "):
                    # Whisper starts every word with a space; a piece without one
                    # ("%", ".2") continues the word before it: "22" "%" -> "22%".
                    word = join_words(words.pop(), word)
                words.append(word)
                first_in_segment = False
        return remove_prompt_echo(words)


def remove_prompt_echo(words: Sequence[Word]) -> list[Word]:
    """Drop any run of words that repeats the filler prompt word for word."""
    keys = [norm(w.text) for w in words]
    n = len(_PROMPT_RUN)
    keep = [True] * len(words)
    i = 0
    while i + n <= len(keys):
        if tuple(keys[i : i + n]) == _PROMPT_RUN:
            for j in range(i, i + n):
                keep[j] = False
            i += n
        else:
            i += 1
    return [w for w, k in zip(words, keep, strict=True) if k]


def join_words(first: Word, second: Word) -> Word:
    probabilities = [p for p in (first.probability, second.probability) if p is not None]
    return Word(
        first.text + second.text,
        first.start,
        second.end if second.end is not None else first.end,
        min(probabilities) if probabilities else None,
    )
