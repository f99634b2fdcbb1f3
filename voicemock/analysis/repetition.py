"""Repeated words: habit words said so often that a listener starts counting them.

Only habit words count — intensifiers ("really", "super"), vague or stock words ("stuff",
"things", "amazing") and buzzwords ("leverage", "synergy") — never the words a story is
about ("customers" eight times in a story about customers), function words or pronouns.
Fillers and hedges are reported in their own findings. A word is *repeated* when the answer
says it :data:`REPEAT_MIN` times or more, in any sense ("pretty good" and "a pretty
dashboard" both count: the listener hears the word).
"""

from __future__ import annotations

from dataclasses import dataclass

from voicemock.analysis.document import RepeatedWordDoc
from voicemock.analysis.text import Doc, DocSource

REPEAT_MIN = 4
"""From this many times in one answer, a habit word is worth pointing out."""

HABIT_WORDS = frozenset(
    {
        # intensifiers
        "really", "very", "super", "just", "totally", "honestly", "obviously", "definitely",
        "absolutely", "truly", "extremely", "incredibly", "pretty", "quite",
        # vague or stock words
        "huge", "amazing", "great", "awesome", "crazy", "massive", "stuff", "things",
        # buzzwords
        "leverage", "synergy", "impactful", "seamless", "seamlessly",
    }
)  # fmt: skip
"""The closed class of words that can be flagged as repeated."""


@dataclass(frozen=True, slots=True)
class RepeatedWord:
    word: str
    """Lower case, as a listener would quote it: "really"."""
    word_indices: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.word_indices)

    def to_dict(self) -> RepeatedWordDoc:
        return {"word": self.word, "count": self.count, "word_indices": list(self.word_indices)}


def find_repeated(source: DocSource, minimum: int = REPEAT_MIN) -> list[RepeatedWord]:
    """Habit words said ``minimum`` times or more, most repeated first (ties: A–Z)."""
    doc = Doc.of(source)
    seen: dict[str, list[int]] = {}
    for i, key in enumerate(doc.keys):
        if key in HABIT_WORDS:
            seen.setdefault(key, []).append(i)
    found = [RepeatedWord(w, tuple(ix)) for w, ix in seen.items() if len(ix) >= minimum]
    return sorted(found, key=lambda r: (-r.count, r.word))


__all__ = ["HABIT_WORDS", "REPEAT_MIN", "RepeatedWord", "find_repeated"]
