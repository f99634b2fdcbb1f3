"""What a practice round is made of: the user's options, the plan, and what happened.

A round is ``practice`` (questions least recently practised first, feedback after each
answer) or ``interview`` (a mock loop: one question per Leadership Principle, the
interviewer's introduction and closing, feedback as a scorecard at the end). Either asks
``follow_ups`` follow-up questions after each main answer; each reply is an answer of its
own (an :class:`AnswerOutcome` in its main answer's ``replies``).

In a practice round each main answer may be linked to a story of the story bank
(``--story``, the person's choice, or automatically above the threshold when nobody is
asked), and may be tried again at once: each attempt is an outcome of its own, in order,
with ``attempt`` counting the tries at that question and ``since_last`` saying what
changed against the attempt before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from voicemock.timing import Target

if TYPE_CHECKING:
    from voicemock.analysis.document import AnalysisDoc
    from voicemock.interview.followups import FollowUp, GapCheck
    from voicemock.interview.scorecard import Scorecard
    from voicemock.progress import Comparison
    from voicemock.questions import Question, QuestionSet
    from voicemock.storage import AnswerRecord
    from voicemock.storybank import Linked

StopReason = Literal["enter", "cap", "end_of_file", "device", "disk_full", "write_failed"]
"""Why recording stopped: Enter, the cap, the end of the answer file, the microphone, or
the recording could not be written (the disk filled up, or another write error)."""
Mode = Literal["practice", "interview"]
InterviewerMoment = Literal["intro", "closing"]

DEFAULT_FOLLOW_UPS = 1
"""Follow-up questions after each main answer unless ``--follow-ups`` says otherwise."""
MAX_FOLLOW_UPS = 5


@dataclass(frozen=True)
class PracticeOptions:
    """What the user asked for on the command line."""

    set_ref: str | None = None
    count: int | None = None
    question_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    think_s: float | None = None
    window: str | None = None
    cap: str | None = None
    voice: bool = True
    answer_files: tuple[Path, ...] = ()
    """Recordings used instead of the microphone, one per answer in the order given: each
    main answer, then its replies."""
    fast: bool = False
    model: str | None = None
    seed: int | None = None
    follow_ups: int = DEFAULT_FOLLOW_UPS
    mode: Mode = "practice"
    story_id: int | None = None
    """``--story``: every main answer of the round tells this story (linked in advance)."""
    again: bool = False
    """``--again``: repeat the last question practised, opening with what changed."""
    next: bool = False
    """``--next``: questions for the principles no story covers first."""


@dataclass(frozen=True)
class RoundPlan:
    qset: QuestionSet
    questions: tuple[Question, ...]
    targets: tuple[Target, ...]
    think_s: float
    notes: tuple[str, ...] = ()
    """What the user should know about the plan, one line each (fewer questions than
    asked for)."""
    follow_up_targets: tuple[Target, ...] = ()
    """Per question: the window of a reply to its follow-ups."""
    follow_ups: int = 0
    mode: Mode = "practice"
    story_id: int | None = None
    """Every main answer is linked to this story (``--story``)."""
    again: bool = False
    """The round repeats questions answered before: each answer is compared with the
    previous attempt (``--again``)."""


@dataclass
class AnswerOutcome:
    """What happened to one question of the round, or to one follow-up (a reply).

    A reply has ``follow_up`` (what the interviewer asked), ``number`` (1 for the first
    follow-up to its main answer) and, once analysed, ``check`` (did it close the gap);
    its ``position`` and ``question`` are its main answer's.
    """

    position: int
    question: Question
    target: Target
    record: AnswerRecord | None = None
    doc: AnalysisDoc | None = None
    stopped_by: StopReason | None = None
    error: str | None = None
    follow_up: FollowUp | None = None
    number: int = 0
    check: GapCheck | None = None
    replies: list[AnswerOutcome] = field(default_factory=list)
    attempt: int = 1
    """Which try at this question this is, counting earlier rounds (set when compared)."""
    retry: bool = False
    """Another attempt at a question answered before (the try-again key or ``--again``):
    its feedback opens with what changed (``since_last``)."""
    since_last: Comparison | None = None
    """What changed against the previous attempt at the same question."""
    linked: Linked | None = None
    """The story this main answer was linked to in the round, and how it differs from
    the story's earlier tellings."""

    @property
    def is_reply(self) -> bool:
        return self.follow_up is not None

    @property
    def text(self) -> str:
        """What was asked: the question, or for a reply the follow-up question."""
        return self.follow_up.text if self.follow_up is not None else self.question.text


@dataclass
class RoundResult:
    session_id: int
    outcomes: list[AnswerOutcome] = field(default_factory=list)
    """The main answers in order; each holds its replies."""
    mode: Mode = "practice"
    scorecard: Scorecard | None = None
    """An interview's bar-raiser scorecard (``None`` for a practice round)."""
