"""The spoken practice round and what it is made of.

- :mod:`~voicemock.practice.model`: options, the plan, each answer's outcome;
- :mod:`~voicemock.practice.view`: :class:`RoundView`, what a round shows, as a protocol;
- :mod:`~voicemock.practice.round`: the round itself and :func:`run_practice`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {
    "AnswerOutcome": "model",
    "PracticeOptions": "model",
    "RoundPlan": "model",
    "RoundResult": "model",
    "StopReason": "model",
    "AnswerTranscription": "round",
    "PracticeRound": "round",
    "ensure_space": "round",
    "plan_round": "round",
    "run_practice": "round",
    "RoundView": "view",
}
"""Loaded on first use, so that ``voicemock --help`` (whose options read
:data:`~voicemock.practice.model.MAX_FOLLOW_UPS`) does not load the round."""


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)


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
