"""Test doubles for the audio parts: scripted transcriber and speaker. Never touch audio."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from voicemock.audio import SAMPLE_RATE
from voicemock.transcript import Word
from voicemock.tts.speaker import SpeechUnavailable

if TYPE_CHECKING:
    from voicemock.audio.io import Audio


class FakeTranscriber:
    """Returns queued texts, one per chunk, spread evenly over the chunk.

    >>> fake = FakeTranscriber()
    >>> fake.enqueue("I decided to ship it")
    """

    def __init__(self, name: str = "fake") -> None:
        self._name = name
        self._queue: deque[str | list[Word]] = deque()
        self.calls: list[float] = []
        """The length in seconds of every chunk it was given."""

    @property
    def name(self) -> str:
        return self._name

    def enqueue(self, *items: str | list[Word]) -> FakeTranscriber:
        self._queue.extend(items)
        return self

    def transcribe_chunk(self, audio: Audio) -> list[Word]:
        length = len(audio) / SAMPLE_RATE
        self.calls.append(length)
        if not self._queue:
            return []
        item = self._queue.popleft()
        if not isinstance(item, str):
            return list(item)
        tokens = item.split()
        step = length / max(len(tokens), 1)
        return [
            Word(t, round(i * step, 3), round((i + 0.9) * step, 3), 1.0)
            for i, t in enumerate(tokens)
        ]


class FakeSpeaker:
    """Remembers what it was asked to say; for tests of the round. Never touches audio.

    ``seconds_per_char`` sets the duration it reports; ``fail`` makes every call raise
    :class:`SpeechUnavailable` with that reason.
    """

    def __init__(self, *, seconds_per_char: float = 0.0, fail: str | None = None) -> None:
        self.said: list[str] = []
        self.tones = 0
        self.stopped = 0
        self.seconds_per_char = seconds_per_char
        self.fail = fail

    def speak(self, text: str) -> float:
        if self.fail is not None:
            raise SpeechUnavailable(self.fail)
        self.said.append(text)
        return len(text) * self.seconds_per_char

    def tone(self) -> float:
        self.tones += 1
        return 0.12

    def stop(self) -> None:
        self.stopped += 1
