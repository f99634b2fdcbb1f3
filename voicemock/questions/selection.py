"""Choosing the questions for a round: by id, by tag, least recently practised first."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime

from voicemock.errors import InputError
from voicemock.questions.model import Question, QuestionSet
from voicemock.questions.tags import canonical_tag


def select_questions(
    qset: QuestionSet,
    *,
    ids: Sequence[str] = (),
    tags: Sequence[str] = (),
    count: int | None = None,
    last_practised: Mapping[str, datetime] | None = None,
    rng: random.Random | None = None,
) -> list[Question]:
    """Questions for a practice round, never the same one twice.

    - ``ids``: exactly these questions, in this order (unknown ids raise with a suggestion).
    - ``tags``: only questions with any of these tags (forgiving; see :func:`canonical_tag`).
    - order otherwise: with ``last_practised`` (question id -> when it was last practised,
      from the sessions database) never-practised questions come first, then the least
      recently practised; ties, and everything when there is no history, are shuffled
      with ``rng``.
    - ``count``: at most this many (fewer when the pool is smaller).
    """
    if count is not None and count < 1:
        raise InputError(f"the number of questions must be at least 1, not {count}")
    rng = rng or random.Random()
    if ids:
        pool = []
        for qid in ids:
            question = qset.get(qid)
            if question not in pool:
                pool.append(question)
        if tags:
            keys = {canonical_tag(t) for t in tags}
            pool = [q for q in pool if keys.intersection(q.tags)]
            if not pool:
                raise InputError(f"none of the chosen questions has the tag(s) {', '.join(tags)}")
        return pool[:count] if count is not None else pool
    pool = list(qset.tagged(tags)) if tags else list(qset.questions)
    history = last_practised or {}

    def key(question: Question) -> tuple[int, float, float]:
        when = history.get(question.id)
        tie = rng.random()
        if when is None:
            return (0, 0.0, tie)
        return (1, when.timestamp(), tie)

    ordered = sorted(pool, key=key)
    return ordered[:count] if count is not None else ordered
