"""What a practice round shows, as a protocol: the round says what happens, a view draws it.

The round (:class:`voicemock.practice.round.PracticeRound`) never writes to a terminal;
it calls a :class:`RoundView` at each step, in this order for every question::

    question -> [voice_unavailable] -> [think_start -> think_tick* -> think_end]
      -> recording* -> recording_ended -> stopped -> working(...) ->
      (no_speech | warning* -> report)

``recording_ended`` is called however recording ends (also on Ctrl-C or an error);
``interrupted`` and ``saved_interrupted`` follow a Ctrl-C while recording. Before the first
question ``recovered`` reports answers of an earlier run saved now; ``finished`` ends a
round that ran to its end. The terminal view is
:class:`voicemock.render.practice.TerminalRoundView`; another view (a browser page, an
interviewer asking a follow-up) implements the same methods and needs no change to the
round. Views get values, never the terminal or the round.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from voicemock.practice.model import AnswerOutcome, RoundResult, StopReason
    from voicemock.questions import Question
    from voicemock.timing import Target


class RoundView(Protocol):
    """Everything a practice round shows, step by step."""

    def recovered(self, line: str) -> None:
        """An answer interrupted in an earlier run was just saved (one line about it)."""
        ...

    def question(
        self, question: Question, *, position: int, total: int, set_name: str, target: Target
    ) -> None:
        """The next question is asked (it is read aloud right after, if voice is on)."""
        ...

    def voice_unavailable(self, reason: str) -> None:
        """Text-to-speech failed; the questions are only shown. Called once a round."""
        ...

    def think_start(self, total_s: float) -> None:
        """Thinking time begins; Enter skips it."""
        ...

    def think_tick(self, left_s: float) -> None:
        """Thinking time left, about ten times a second."""
        ...

    def think_end(self) -> None:
        """Thinking time is over (or skipped)."""
        ...

    def recording(self, elapsed_s: float, level: float, target: Target) -> None:
        """The live update while recording, about ten times a second. ``level`` is the
        microphone's loudness on a 0..1 scale."""
        ...

    def recording_ended(self) -> None:
        """Recording stopped, whatever the reason (also Ctrl-C or an error)."""
        ...

    def stopped(self, reason: StopReason, duration_s: float, target: Target) -> None:
        """Why and after how long the answer's recording stopped."""
        ...

    def working(self, label: str) -> AbstractContextManager[None]:
        """Something slow is being done after recording (``"Transcribing"``)."""
        ...

    def no_speech(self) -> None:
        """The recording held no speech; it is kept, the answer is marked failed."""
        ...

    def warning(self, text: str) -> None:
        """Something the user should know about the recording (one line)."""
        ...

    def report(self, outcome: AnswerOutcome) -> None:
        """An answer was analysed and saved: ``outcome.doc`` and ``outcome.record`` are set."""
        ...

    def interrupted(self) -> None:
        """Ctrl-C while recording: what was said is being saved."""
        ...

    def saved_interrupted(self, session_id: int, position: int, duration_s: float) -> None:
        """The interrupted answer was saved."""
        ...

    def finished(self, result: RoundResult) -> None:
        """The round ran to its end: every question was asked."""
        ...
