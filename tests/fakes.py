"""Test doubles: a scripted transcriber and speaker (never touching audio) and a round
view that only records what it is shown."""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from voicemock.audio import SAMPLE_RATE
from voicemock.transcript import Span, Word
from voicemock.tts.speaker import SpeechUnavailable

if TYPE_CHECKING:
    from voicemock.audio.io import Audio


class FakeTranscriber:
    """Returns queued texts, one per chunk, spread evenly over the chunk.

    >>> fake = FakeTranscriber()
    >>> fake.enqueue("I decided to ship it")
    """

    def __init__(self, name: str = "fake", *, workers: int = 1) -> None:
        self._name = name
        self._workers = workers
        self._queue: deque[str | list[Word]] = deque()
        self._lock = threading.Lock()
        self.calls: list[float] = []
        """The length in seconds of every chunk it was given."""
        self.speech: list[list[Span]] = []
        """The voiced stretches it was told of, per chunk."""

    @property
    def name(self) -> str:
        return self._name

    @property
    def workers(self) -> int:
        return self._workers

    def enqueue(self, *items: str | list[Word]) -> FakeTranscriber:
        self._queue.extend(items)
        return self

    def transcribe_chunk(self, audio: Audio, speech: Sequence[Span] = ()) -> list[Word]:
        length = len(audio) / SAMPLE_RATE
        with self._lock:
            self.calls.append(length)
            self.speech.append(list(speech))
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


class EventView:
    """A :class:`voicemock.practice.view.RoundView` that only remembers what it was shown:
    ``events`` holds ``(method, args)`` in order (the interviewer's follow-ups, intro and
    closing lines, the scorecard, the story prompts and the offer to try again included).
    A second view, as a browser page would be; it never touches a terminal."""

    def __init__(self) -> None:
        self.events: list[tuple[str, tuple[object, ...]]] = []

    def names(self) -> list[str]:
        """The methods called, runs of the same one collapsed (ticks come ~10 a second)."""
        out: list[str] = []
        for name, _ in self.events:
            if not out or out[-1] != name:
                out.append(name)
        return out

    def args(self, name: str) -> list[tuple[object, ...]]:
        return [args for n, args in self.events if n == name]

    def _add(self, name: str, *args: object) -> None:
        self.events.append((name, args))

    def recovered(self, line: str) -> None:
        self._add("recovered", line)

    def question(self, question: object, **details: object) -> None:
        self._add("question", question, details)

    def voice_unavailable(self, reason: str) -> None:
        self._add("voice_unavailable", reason)

    def think_start(self, total_s: float) -> None:
        self._add("think_start", total_s)

    def think_tick(self, left_s: float) -> None:
        self._add("think_tick", left_s)

    def think_end(self) -> None:
        self._add("think_end")

    def recording(self, elapsed_s: float, level: float, target: object) -> None:
        self._add("recording", elapsed_s, level, target)

    def recording_ended(self) -> None:
        self._add("recording_ended")

    def stopped(self, reason: str, duration_s: float, target: object) -> None:
        self._add("stopped", reason, duration_s, target)

    @contextlib.contextmanager
    def working(self, label: str) -> Iterator[None]:
        self._add("working", label)
        yield

    def no_speech(self) -> None:
        self._add("no_speech")

    def warning(self, text: str) -> None:
        self._add("warning", text)

    def report(self, outcome: object) -> None:
        self._add("report", outcome)

    def interrupted(self) -> None:
        self._add("interrupted")

    def saved_interrupted(self, session_id: int, position: int, duration_s: float) -> None:
        self._add("saved_interrupted", session_id, position, duration_s)

    def story_suggestion(self, outcome: object, best: object, *, threshold: float) -> None:
        self._add("story_suggestion", outcome, best, threshold)

    def story_choices(self, ranked: object) -> None:
        self._add("story_choices", ranked)

    def story_title(self) -> None:
        self._add("story_title")

    def story_linked(self, outcome: object, linked: object) -> None:
        self._add("story_linked", outcome, linked)

    def story_unlinked(self, outcome: object, best: object, *, threshold: float) -> None:
        self._add("story_unlinked", outcome, best, threshold)

    def retry_offer(self, outcome: object) -> None:
        self._add("retry_offer", outcome)

    def interviewer(self, text: str, *, moment: str) -> None:
        self._add("interviewer", text, moment)

    def follow_up(self, outcome: object) -> None:
        self._add("follow_up", outcome)

    def scorecard(self, card: object) -> None:
        self._add("scorecard", card)

    def finished(self, result: object) -> None:
        self._add("finished", result)
