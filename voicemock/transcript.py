"""The transcript of one answer: timed words plus the voice-activity (speech) map.

This is the boundary between the audio side (which produces it) and the pure analysis
side (which only reads it). A typed transcript has no times: every ``start``/``end`` is
``None`` and ``duration``/``speech`` are ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict


class WordDict(TypedDict):
    """A word as stored and emitted (``Word.to_dict()``)."""

    word: str
    start: float | None
    end: float | None
    probability: float | None


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word as the user should see it (punctuation attached, e.g. ``"Um,"``)."""

    text: str
    start: float | None = None
    end: float | None = None
    probability: float | None = None

    def to_dict(self) -> WordDict:
        return {
            "word": self.text,
            "start": _round(self.start),
            "end": _round(self.end),
            "probability": _round(self.probability, 3),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Word:
        return cls(
            text=str(data["word"]),
            start=data.get("start"),
            end=data.get("end"),
            probability=data.get("probability"),
        )


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of time in seconds from the start of the answer."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Transcript:
    """Words in speaking order, the answer's length and where the voice was heard."""

    words: tuple[Word, ...]
    duration: float | None = None
    speech: tuple[Span, ...] | None = None

    @property
    def timed(self) -> bool:
        """True when the transcript comes from audio (times are known)."""
        return self.duration is not None

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @classmethod
    def from_text(cls, text: str) -> Transcript:
        """A typed transcript: the words of ``text``, with no times."""
        return cls(words=tuple(Word(t) for t in text.split()))

    @classmethod
    def from_words(
        cls,
        words: Iterable[Word],
        duration: float,
        speech: Sequence[Span] = (),
    ) -> Transcript:
        return cls(words=tuple(words), duration=duration, speech=tuple(speech))


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)
