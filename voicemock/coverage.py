"""Leadership Principle coverage: the 16 principles against the story bank.

A story *covers* a principle once it has been told in answer to a question tagged with
that principle (the question sets' tags; an answer to a question tagged Ownership and
Bias for Action counts for both). A principle the story only *declares*
(``stories add --principles``) is planned, not yet practised. For each story and
principle, coverage keeps how well it went at best: the timing verdict, whether a result
had a number, and whether the speaker owned the action (more "I decided" than "we
decided").

The gaps come first where they hurt most: principles with no story at all, the first
four (Customer Obsession, Ownership, Bias for Action, Have Backbone) before the others,
and the three candidates forget (Learn and Be Curious, Hire and Develop the Best, Bias
for Action) flagged. :func:`select_next` picks questions that close the gaps; it is
what ``practice --next`` uses.

Pure: :func:`compute` takes stories, answer figures and a question set.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from voicemock.progress import AnswerFigures
from voicemock.questions import LEADERSHIP_PRINCIPLES, Question, QuestionSet, select_questions
from voicemock.stories.principles import FIRST_FOUR, FORGOTTEN, priority, weight

if TYPE_CHECKING:
    from voicemock.storage.stories import Story

Status = Literal["practised", "declared", "none"]

VERDICT_RANK: dict[str, int] = {"on_target": 3, "long": 2, "short": 1, "over_cap": 0}
"""Best timing first: in the window, then a little long, short, over the cap."""

NEXT_COUNT = 5
"""How many questions coverage suggests by default."""


@dataclass(frozen=True)
class Cell:
    """One story against one principle."""

    story_id: int
    principle: str
    declared: bool
    answers: int
    """Answers telling this story to a question tagged with this principle."""
    best_verdict: str | None
    result_has_number: bool
    """At least one of those answers had a number in its result."""
    owned: bool
    """At least one of them owned the action (strong agency, not outweighed by weak)."""

    @property
    def practised(self) -> bool:
        return self.answers > 0

    @property
    def grade(self) -> int:
        """0-3: one point each for timing in the window, a result number, ownership."""
        if not self.practised:
            return 0
        return int(self.best_verdict == "on_target") + int(self.result_has_number) + int(self.owned)

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "principle": self.principle,
            "declared": self.declared,
            "answers": self.answers,
            "best_verdict": self.best_verdict,
            "result_has_number": self.result_has_number,
            "owned": self.owned,
            "grade": self.grade,
        }


@dataclass(frozen=True)
class PrincipleCoverage:
    slug: str
    name: str
    weight: float
    first_four: bool
    forgotten: bool
    practised_by: tuple[int, ...]
    """Stories told for it, best grade first."""
    declared_by: tuple[int, ...]
    """Stories that list it but have not been told for it."""
    unlinked_answers: int
    """Answers to its questions that are not linked to any story."""
    best_grade: int

    @property
    def status(self) -> Status:
        if self.practised_by:
            return "practised"
        if self.declared_by:
            return "declared"
        return "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "principle": self.slug,
            "name": self.name,
            "status": self.status,
            "weight": self.weight,
            "first_four": self.first_four,
            "forgotten": self.forgotten,
            "practised_by": list(self.practised_by),
            "declared_by": list(self.declared_by),
            "unlinked_answers": self.unlinked_answers,
            "best_grade": self.best_grade,
        }


@dataclass(frozen=True)
class NextQuestion:
    principle: str
    question: Question
    set_name: str
    last_practised: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "principle": self.principle,
            "set": self.set_name,
            "question_id": self.question.id,
            "text": self.question.text,
            "last_practised": None
            if self.last_practised is None
            else self.last_practised.isoformat(),
        }


@dataclass(frozen=True)
class Coverage:
    stories: tuple[Story, ...]
    principles: tuple[PrincipleCoverage, ...]
    """All 16, in Amazon's order."""
    cells: Mapping[tuple[int, str], Cell]
    next_questions: tuple[NextQuestion, ...] = field(default=())

    @property
    def score(self) -> float:
        """Weighted share of principles practised with a story (first four count double)."""
        total = sum(p.weight for p in self.principles)
        done = sum(p.weight for p in self.principles if p.status == "practised")
        return done / total if total else 0.0

    @property
    def no_story(self) -> tuple[PrincipleCoverage, ...]:
        """Principles no story covers or even declares, most important first."""
        return tuple(
            sorted(
                (p for p in self.principles if p.status == "none"), key=lambda p: priority(p.slug)
            )
        )

    @property
    def gaps(self) -> tuple[PrincipleCoverage, ...]:
        """Principles not yet practised with a story: none first, then declared-only."""
        order = {"none": 0, "declared": 1}
        unpractised = [p for p in self.principles if p.status != "practised"]
        return tuple(sorted(unpractised, key=lambda p: (order[p.status], priority(p.slug))))

    def cell(self, story_id: int, principle: str) -> Cell | None:
        return self.cells.get((story_id, principle))

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 3),
            "stories": [s.to_dict() for s in self.stories],
            "principles": [p.to_dict() for p in self.principles],
            "cells": [c.to_dict() for c in self.cells.values() if c.practised or c.declared],
            "no_story": [p.slug for p in self.no_story],
            "next_questions": [q.to_dict() for q in self.next_questions],
        }


def _owned(a: AnswerFigures) -> bool:
    return (a.owned or 0) > 0 and (a.owned or 0) >= (a.shared or 0)


def compute(
    stories: Sequence[Story],
    answers: Sequence[AnswerFigures],
    *,
    qset: QuestionSet | None = None,
    last_practised: Mapping[str, datetime] | None = None,
    count: int = NEXT_COUNT,
) -> Coverage:
    """Coverage of the 16 principles by ``stories``, from the tagged ``answers``.

    ``answers`` carry their question's tags and linked story (``AnswerFigures.tags`` and
    ``story_id``); ``qset`` is where the next questions come from.
    """
    ids = {s.id for s in stories}
    cells: dict[tuple[int, str], Cell] = {}
    unlinked: dict[str, int] = {}
    for story in stories:
        for p in LEADERSHIP_PRINCIPLES:
            told = [a for a in answers if a.story_id == story.id and p.slug in a.tags]
            verdicts = [a.verdict for a in told if a.verdict in VERDICT_RANK]
            cells[(story.id, p.slug)] = Cell(
                story_id=story.id,
                principle=p.slug,
                declared=p.slug in story.principles,
                answers=len(told),
                best_verdict=max(verdicts, key=lambda v: VERDICT_RANK[v]) if verdicts else None,
                result_has_number=any(a.result_has_number for a in told),
                owned=any(_owned(a) for a in told),
            )
    for a in answers:
        if a.story_id is None or a.story_id not in ids:
            for tag in a.tags:
                unlinked[tag] = unlinked.get(tag, 0) + 1
    principles = []
    for p in LEADERSHIP_PRINCIPLES:
        practised = [cells[(s.id, p.slug)] for s in stories if cells[(s.id, p.slug)].practised]
        practised.sort(key=lambda c: (-c.grade, -c.answers, c.story_id))
        declared = [s.id for s in stories if cells[(s.id, p.slug)].declared]
        principles.append(
            PrincipleCoverage(
                slug=p.slug,
                name=p.name,
                weight=weight(p.slug),
                first_four=p.slug in FIRST_FOUR,
                forgotten=p.slug in FORGOTTEN,
                practised_by=tuple(c.story_id for c in practised),
                declared_by=tuple(i for i in declared if i not in {c.story_id for c in practised}),
                unlinked_answers=unlinked.get(p.slug, 0),
                best_grade=practised[0].grade if practised else 0,
            )
        )
    coverage = Coverage(tuple(stories), tuple(principles), cells)
    if qset is None or count <= 0:
        return coverage
    chosen = select_next(
        qset, coverage, count=count, last_practised=last_practised, rng=random.Random(0)
    )
    history = last_practised or {}
    gaps = [g.slug for g in coverage.gaps] + [p.slug for p in _weakest(coverage)]
    nexts = []
    for q in chosen:
        closes = next((g for g in gaps if g in q.tags), q.tags[0] if q.tags else "")
        nexts.append(NextQuestion(closes, q, qset.name, history.get(q.id)))
    return Coverage(tuple(stories), tuple(principles), cells, tuple(nexts))


def _weakest(coverage: Coverage) -> list[PrincipleCoverage]:
    """Practised principles, weakest best grade first (then by importance)."""
    practised = [p for p in coverage.principles if p.status == "practised"]
    return sorted(practised, key=lambda p: (p.best_grade, priority(p.slug)))


def select_next(
    qset: QuestionSet,
    coverage: Coverage,
    *,
    count: int,
    last_practised: Mapping[str, datetime] | None = None,
    rng: random.Random | None = None,
) -> list[Question]:
    """Questions for ``practice --next``: the uncovered principles' questions first.

    Principles are taken in gap order (no story at all, then declared but never told;
    the first four before the rest, the forgotten three next), then the practised ones
    from the weakest. Each principle gets one question in turn (a question whose main tag
    is that principle preferred, never-practised before least recently practised) until
    ``count`` are chosen; a set too small for that is topped up in the usual order.
    """
    rng = rng or random.Random()
    history = last_practised or {}
    order = [p.slug for p in coverage.gaps] + [p.slug for p in _weakest(coverage)]
    ordered = select_questions(qset, last_practised=history, rng=rng)  # usual order
    rank = {q.id: n for n, q in enumerate(ordered)}
    chosen: list[Question] = []
    for slug in order:
        if len(chosen) >= count:
            break
        pool = [q for q in qset.questions if slug in q.tags and q not in chosen]
        if not pool:
            continue
        pool.sort(key=lambda q: (q.tags[0] != slug, rank[q.id]))
        chosen.append(pool[0])
    for q in ordered:
        if len(chosen) >= count:
            break
        if q not in chosen:
            chosen.append(q)
    return chosen


__all__ = [
    "NEXT_COUNT",
    "VERDICT_RANK",
    "Cell",
    "Coverage",
    "NextQuestion",
    "PrincipleCoverage",
    "compute",
    "select_next",
]
