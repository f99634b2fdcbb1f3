"""The model: a :class:`Question` and a :class:`QuestionSet` of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voicemock.errors import InputError
from voicemock.principles import BY_SLUG, LEADERSHIP_PRINCIPLES, Principle
from voicemock.questions.problems import did_you_mean
from voicemock.questions.tags import canonical_tag
from voicemock.timing import Target


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a set. ``tags`` are canonical (see :func:`canonical_tag`)."""

    id: str
    text: str
    tags: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    target: Target | None = None
    """This question's own target (already merged with the set's), or ``None``."""

    def has_tag(self, tag: str) -> bool:
        return canonical_tag(tag) in self.tags

    @property
    def principles(self) -> tuple[Principle, ...]:
        """The Leadership Principles among the tags, in the tags' order."""
        return tuple(BY_SLUG[t] for t in self.tags if t in BY_SLUG)


@dataclass(frozen=True)
class QuestionSet:
    """A validated set of questions; ``path`` is the file it came from, if any."""

    name: str
    questions: tuple[Question, ...]
    description: str = ""
    target: Target = field(default_factory=Target)
    think_s: float | None = None
    path: Path | None = None

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def get(self, question_id: str) -> Question:
        """The question with this id; :class:`InputError` with a suggestion if none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        folded = question_id.casefold()
        for question in self.questions:
            if question.id.casefold() == folded:
                return question
        hint = did_you_mean(question_id, self.ids)
        raise InputError(f"set {self.name!r} has no question {question_id!r}{hint}")

    def target_for(self, question: Question) -> Target:
        """The target a practice answer to ``question`` is judged against."""
        return question.target or self.target

    def tag_counts(self) -> dict[str, int]:
        """Tag -> number of questions: Leadership Principles in Amazon's order, then A-Z."""
        counts: dict[str, int] = {}
        for question in self.questions:
            for tag in question.tags:
                counts[tag] = counts.get(tag, 0) + 1
        lp_order = {p.slug: i for i, p in enumerate(LEADERSHIP_PRINCIPLES)}
        ordered = sorted(counts, key=lambda t: (lp_order.get(t, len(lp_order)), t))
        return {tag: counts[tag] for tag in ordered}

    def tagged(self, tags: Iterable[str]) -> tuple[Question, ...]:
        """Questions carrying any of ``tags``; :class:`InputError` if a tag matches none."""
        wanted = [(tag, canonical_tag(tag)) for tag in tags]
        known = self.tag_counts()
        for given, tag in wanted:
            if tag not in known:
                hint = did_you_mean(tag, known)
                raise InputError(f"no question in set {self.name!r} is tagged {given!r}{hint}")
        keys = {tag for _, tag in wanted}
        return tuple(q for q in self.questions if keys.intersection(q.tags))

    def to_toml(self) -> dict[str, Any]:
        """The set as TOML-ready data (per-question targets only where they differ)."""
        data: dict[str, Any] = {"name": self.name}
        if self.description:
            data["description"] = self.description
        if self.think_s is not None:
            data["think_s"] = _plain_number(self.think_s)
        if self.target != Target():
            data["target"] = _target_toml(self.target)
        questions = []
        for q in self.questions:
            entry: dict[str, Any] = {"id": q.id, "text": q.text}
            if q.tags:
                entry["tags"] = list(q.tags)
            if q.follow_ups:
                entry["follow_ups"] = list(q.follow_ups)
            if q.target is not None and q.target != self.target:
                entry["target"] = _target_toml(q.target)
            questions.append(entry)
        data["questions"] = questions
        return data


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _target_toml(target: Target) -> dict[str, int | float]:
    return {
        "min_s": _plain_number(target.min_s),
        "max_s": _plain_number(target.max_s),
        "cap_s": _plain_number(target.cap_s),
    }
