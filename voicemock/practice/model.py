"""What a practice round is made of: the user's options, the plan, and what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from voicemock.timing import Target

if TYPE_CHECKING:
    from voicemock.analysis.document import AnalysisDoc
    from voicemock.questions import Question, QuestionSet
    from voicemock.storage import AnswerRecord

StopReason = Literal["enter", "cap", "end_of_file", "device"]
"""Why recording stopped: Enter, the cap, the end of the answer file, or the microphone."""


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
    answer_file: Path | None = None
    fast: bool = False
    model: str | None = None
    seed: int | None = None


@dataclass(frozen=True)
class RoundPlan:
    qset: QuestionSet
    questions: tuple[Question, ...]
    targets: tuple[Target, ...]
    think_s: float


@dataclass
class AnswerOutcome:
    """What happened to one question of the round."""

    position: int
    question: Question
    target: Target
    record: AnswerRecord | None = None
    doc: AnalysisDoc | None = None
    stopped_by: StopReason | None = None
    error: str | None = None


@dataclass
class RoundResult:
    session_id: int
    outcomes: list[AnswerOutcome] = field(default_factory=list)
