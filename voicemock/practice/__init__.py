"""The spoken practice round and what it is made of.

- :mod:`~voicemock.practice.model`: options, the plan, each answer's outcome;
- :mod:`~voicemock.practice.view`: :class:`RoundView`, what a round shows, as a protocol;
- :mod:`~voicemock.practice.round`: the round itself and :func:`run_practice`.
"""

from __future__ import annotations

from voicemock.practice.model import (
    AnswerOutcome,
    PracticeOptions,
    RoundPlan,
    RoundResult,
    StopReason,
)
from voicemock.practice.round import (
    AnswerTranscription,
    PracticeRound,
    ensure_space,
    plan_round,
    run_practice,
)
from voicemock.practice.view import RoundView

__all__ = [
    "AnswerOutcome",
    "AnswerTranscription",
    "PracticeOptions",
    "PracticeRound",
    "RoundPlan",
    "RoundResult",
    "RoundView",
    "StopReason",
    "ensure_space",
    "plan_round",
    "run_practice",
]
