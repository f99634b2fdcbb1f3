"""What a practice round shows, as a protocol: the round says what happens, a view draws it.

The round (:class:`voicemock.practice.round.PracticeRound`) never writes to a terminal;
it calls a :class:`RoundView` at each step, in this order for every question::

    question -> [voice_unavailable] -> [think_start -> think_tick* -> think_end]
      -> recording* -> recording_ended -> stopped -> working(...) ->
      (no_speech | warning* -> report)

and then for each of its follow-up questions (``--follow-ups``, default 1)::

    follow_up -> [voice_unavailable] -> recording* -> recording_ended -> stopped
      -> working(...) -> (no_speech | warning* -> report)

(or ``follow_up -> warning`` when no answer file is left for the reply). In a practice
round, between a main answer's ``report`` and its follow-ups, come its story and the offer
to try again::

    report -> (story_linked | story_unlinked | story_suggestion -> [story_choices |
      story_title]* -> [story_linked]) -> [retry_offer -> (question ... report ...)]

``story_linked`` when ``--story`` linked it in advance or, when nobody is asked (answer
files with ``--fast``, or input that is not a terminal), when the best story scored the
threshold (``story_unlinked`` otherwise); a person at the terminal gets
``story_suggestion`` (``story_unlinked`` when the bank is empty) and answers with a key
(see :mod:`voicemock.keys`): ``l`` shows ``story_choices``, ``n`` asks ``story_title``.
``retry_offer`` (microphone rounds at a terminal) lets ``r`` ask the same question again
at once: a new attempt whose ``report`` gets ``outcome.since_last``, what changed against
the attempt before (``--again`` too). A reply is never linked to a story. A reply's
``report`` gets an outcome with ``follow_up`` and ``check`` set. An interview (``voicemock
interview``) begins with ``interviewer(..., moment="intro")`` and ends with
``interviewer(..., moment="closing") -> scorecard`` before ``finished``.

``recording_ended`` is called however recording ends (also on Ctrl-C or an error);
``interrupted`` and ``saved_interrupted`` follow a Ctrl-C while recording. Before the first
question ``recovered`` reports answers of an earlier run saved now; ``finished`` ends a
round that ran to its end. The terminal view is
:class:`voicemock.render.practice.TerminalRoundView`; another view (a browser page, an
interviewer asking a follow-up) implements the same methods and needs no change to the
round. Views get values, never the terminal or the round.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from voicemock.interview.scorecard import Scorecard
    from voicemock.practice.model import AnswerOutcome, InterviewerMoment, RoundResult, StopReason
    from voicemock.questions import Question
    from voicemock.stories.similarity import Suggestion
    from voicemock.storybank import Linked
    from voicemock.timing import Target


class RoundView(Protocol):
    """Everything a practice round shows, step by step."""

    def recovered(self, line: str) -> None:
        """An answer interrupted in an earlier run was just saved (one line about it)."""
        ...

    def question(
        self,
        question: Question,
        *,
        position: int,
        total: int,
        set_name: str,
        target: Target,
        attempt: int = 1,
    ) -> None:
        """The next question is asked (it is read aloud right after, if voice is on).
        ``attempt`` above 1: it is asked again (the try-again key or ``--again``), this
        is the person's attempt number ``attempt`` at it."""
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
        """Something the user should know (one line): about the recording, or the round's
        plan (fewer questions than asked for)."""
        ...

    def report(self, outcome: AnswerOutcome) -> None:
        """An answer was analysed and saved: ``outcome.doc`` and ``outcome.record`` are set.
        For a reply (``outcome.is_reply``) ``outcome.check`` says whether it closed the gap
        its follow-up was asked about (``None`` for a follow-up asked without a gap)."""
        ...

    def story_suggestion(
        self, outcome: AnswerOutcome, best: Suggestion, *, threshold: float
    ) -> None:
        """Which story this main answer seems to tell (``best``, with its score), and the
        keys that answer it: ``y`` links it (Enter too when its score reaches
        ``threshold``), a story's number links that one, ``l`` lists them, ``n`` makes a
        new story of the answer, ``s`` skips. The round reads the key next."""
        ...

    def story_choices(self, ranked: Sequence[Suggestion]) -> None:
        """Every story with its score, best first: type a number to link it (Enter: back)."""
        ...

    def story_title(self) -> None:
        """Asks the title of the new story made from this answer (Enter: back)."""
        ...

    def story_linked(self, outcome: AnswerOutcome, linked: Linked) -> None:
        """The answer now tells ``linked.story`` (``linked.link.kind``: ``manual``,
        ``automatic`` with its score, or ``created``). ``linked.differences``: where it
        contradicts the story's earlier tellings, each quoting both with their dates."""
        ...

    def story_unlinked(
        self, outcome: AnswerOutcome, best: Suggestion | None, *, threshold: float
    ) -> None:
        """The answer stays unlinked: nobody was asked and no story scored ``threshold``
        (``best``: the closest story, below it), or the bank has no story yet (``best``
        is ``None``; said only to a person at the terminal, who is not asked then)."""
        ...

    def retry_offer(self, outcome: AnswerOutcome) -> None:
        """After the feedback: ``r`` asks the same question again at once; Enter goes on.
        The round reads the key next."""
        ...

    def interviewer(self, text: str, *, moment: InterviewerMoment) -> None:
        """The interviewer's own words in an interview: its introduction before the first
        question, its closing after the last answer (read aloud right after, if voice is on)."""
        ...

    def follow_up(self, outcome: AnswerOutcome) -> None:
        """The interviewer asks a follow-up question (``outcome.follow_up``: its text, why
        it is asked, the gap it probes); it is read aloud right after, then the reply is
        recorded against ``outcome.target``."""
        ...

    def scorecard(self, card: Scorecard) -> None:
        """An interview's bar-raiser scorecard, once every answer is in (also saved)."""
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
