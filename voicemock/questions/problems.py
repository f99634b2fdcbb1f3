"""What is wrong with a set or import file: :class:`Problem` lines and the error carrying them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from voicemock.errors import InputError


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, at a line (``None`` when the file as a whole is wrong)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        message = " ".join(self.message.split())
        if self.line is None:
            return f"{self.path}: {message}"
        return f"{self.path}:{self.line}: {message}"


class QuestionSetError(InputError):
    """A set or import file has problems. ``problems`` lists all; the message is one line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("QuestionSetError needs at least one problem")
        self.problems = tuple(sorted(problems, key=lambda p: p.line or 0))
        more = len(self.problems) - 1
        message = str(self.problems[0])
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(message)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
