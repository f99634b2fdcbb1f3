"""The questions of a mock loop: each probes a different Leadership Principle.

A loop interviewer is given a few principles to cover and asks one question for each. So
the questions of ``voicemock interview`` are chosen by their **main principle** (the first
Leadership Principle among a question's tags): principles are drawn at random without
replacement, the first four (Customer Obsession, Ownership, Bias for Action, Have
Backbone) :data:`FIRST_FOUR_WEIGHT` times as likely as the others, and for each principle
the question practised least recently (never practised first). Questions with no
principle (product sense, "tell me about yourself") are drawn last, with
:data:`NO_PRINCIPLE_WEIGHT`, and only when the principles run out or the set has none.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from datetime import datetime

from voicemock.questions import Question
from voicemock.stories.principles import FIRST_FOUR

FIRST_FOUR_WEIGHT = 3.0
"""How much likelier one of the first four principles is to be probed than another."""
OTHER_WEIGHT = 1.0
NO_PRINCIPLE_WEIGHT = 0.25
"""Questions without a principle: drawn after every principle has had its chance."""


NOT_BEHAVIOURAL = frozenset({"product-sense"})
"""Tags of questions that are not a story of the candidate's own ("Pick a product you use
every day…"): whatever principles they are also tagged with, they count as having none,
so a loop asks them only once the principles run out. The loop's scorecard judges a told
story (ownership, results, the lesson)."""


def main_principle(question: Question) -> str | None:
    """The slug of the question's first Leadership Principle tag, if any (none for a
    product-sense question)."""
    if NOT_BEHAVIOURAL & set(question.tags):
        return None
    principles = question.principles
    return principles[0].slug if principles else None


def principle_weight(slug: str | None) -> float:
    if slug is None:
        return NO_PRINCIPLE_WEIGHT
    return FIRST_FOUR_WEIGHT if slug in FIRST_FOUR else OTHER_WEIGHT


def choose_loop_questions(
    questions: Sequence[Question],
    count: int,
    *,
    last_practised: Mapping[str, datetime] | None = None,
    rng: random.Random | None = None,
) -> list[Question]:
    """``count`` questions, each for a different main principle while there are any.

    Principles are drawn by weighted sampling without replacement (each gets the key
    ``u ** (1 / weight)`` for a uniform ``u``; the largest keys win), so a seeded ``rng``
    gives the same loop every time.
    """
    rng = rng or random.Random()
    history = last_practised or {}
    groups: dict[str | None, list[Question]] = {}
    for question in questions:
        groups.setdefault(main_principle(question), []).append(question)

    def staleness(question: Question) -> tuple[int, float, float]:
        when = history.get(question.id)
        tie = rng.random()
        return (0, 0.0, tie) if when is None else (1, when.timestamp(), tie)

    for members in groups.values():
        members.sort(key=staleness)
    keys = {
        slug: math.log(max(rng.random(), 1e-12)) / principle_weight(slug)
        for slug in sorted(groups, key=lambda s: s or "")
    }
    order = sorted(groups, key=lambda s: (s is None, -keys[s]))
    chosen: list[Question] = []
    # One question per principle first, then further questions round the same order.
    while len(chosen) < count and any(groups.values()):
        for slug in order:
            if len(chosen) == count:
                break
            if groups[slug]:
                chosen.append(groups[slug].pop(0))
    return chosen
