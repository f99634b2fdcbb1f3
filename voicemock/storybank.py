"""The story bank as the commands and the practice round use it.

Joins the database (:mod:`voicemock.storage.stories`) with the pure logic
(:mod:`voicemock.stories`): suggestions for an answer, linking it and seeing how it
differs from the story's earlier tellings, and a story with everything ``stories show``
prints. After an answer is saved, the round needs only::

    from voicemock import storybank

    ranked = storybank.suggest_for(store, record.id, limit=3)       # best first, with scores
    # interactive: show ranked[0] and its score; Enter confirms, a number picks another,
    # 'n' creates a story from this answer:
    linked = storybank.link_answer(store, record.id, story_id, kind="manual")
    story, linked = storybank.create_from_answer(store, record.id, "Title")
    # non-interactive (--answer-file --fast): link when the best score reaches the threshold
    linked = storybank.auto_link(store, record.id)                   # None when below it
    # --story ID given in advance:
    linked = storybank.link_answer(store, record.id, story_id, kind="manual")
    for diff in linked.differences:                                  # contradictions, quoted
        ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from voicemock.errors import InputError
from voicemock.storage.values import parse_number

if TYPE_CHECKING:
    import random

    from voicemock.coverage import Cell
    from voicemock.progress import AnswerFigures, TagIndex
    from voicemock.questions import Question, QuestionSet
    from voicemock.storage import AnswerRecord, Store
    from voicemock.storage.stories import LinkKind, Story, StoryLink
    from voicemock.stories.consistency import Difference, Telling
    from voicemock.stories.similarity import Suggestion

USABLE = ("complete", "interrupted")
"""Answers with an analysis: the ones that count as tellings."""


def answer_label(record: AnswerRecord) -> str:
    """``"session 4, answer 2"``: how a telling is named in quotes and lists."""
    return f"session {record.session_id}, answer {record.position}"


def answer_ref(record: AnswerRecord) -> str:
    """``"4:2"``: the ANSWER argument of ``stories link``."""
    return f"{record.session_id}:{record.position}"


def resolve_answer(store: Store, spec: str) -> AnswerRecord:
    """An answer from ``SESSION:N`` (``4:2``, ``latest:1``): answer N of that session.
    A reply to a follow-up question is refused: the story is told in its main answer."""
    text = spec.strip()
    session, sep, position = text.rpartition(":")
    number = parse_number(position)
    if not sep or not session or number is None:
        shown = repr(spec) if len(spec) <= 24 else repr(spec[:23]) + "…"
        raise InputError(
            f"{shown} is not an answer: give SESSION:N, e.g. 4:2 (session 4, answer 2) or latest:1"
        )
    found = store.resolve_session(session)
    record = store.get_answer(found.id, number)
    if record.is_reply:
        main = store.answer(record.parent_id) if record.parent_id is not None else None
        which = f" (answer {main.position})" if main is not None else ""
        raise InputError(
            f"answer {record.position} of session {found.id} is a reply to a follow-up"
            f" question, not a story: use the answer it follows{which}"
        )
    return record


def telling(record: AnswerRecord) -> Telling:
    from voicemock.stories.consistency import Telling

    return Telling(answer_label(record), record.started_at, record.analysis or {}, record.id)


def story_tellings(store: Store, story_id: int) -> list[tuple[AnswerRecord, StoryLink]]:
    """The story's analysed answers with their links, oldest first."""
    return [(r, link) for r, link in store.stories.tellings(story_id) if r.status in USABLE]


# -- suggesting and linking ---------------------------------------------------------------


def suggest_for(store: Store, answer_id: int, *, limit: int | None = None) -> list[Suggestion]:
    """The stories ``answer_id`` may be telling, best first, with their scores.

    The answer itself is left out of its story's tellings, so a re-check of a linked
    answer is not flattered by matching itself.
    """
    from voicemock.stories.similarity import suggest

    record = store.answer(answer_id)
    return suggest(
        record.transcript or "", store.stories.texts(exclude_answer=answer_id), limit=limit
    )


@dataclass(frozen=True)
class Linked:
    """The result of linking an answer to a story."""

    link: StoryLink
    story: Story
    previous: StoryLink | None
    """The link it had before (another story, or the same one), if any."""
    differences: tuple[Difference, ...]
    """How this telling disagrees with the story's earlier tellings (and its summary)."""


def link_answer(
    store: Store,
    answer_id: int,
    story_id: int,
    *,
    kind: LinkKind = "manual",
    score: float | None = None,
) -> Linked:
    """Link ``answer_id`` to ``story_id`` and check it against the earlier tellings."""
    bank = store.stories
    previous = bank.link_of(answer_id)
    story = bank.get(story_id)
    link = bank.link(answer_id, story_id, kind=kind, score=score)
    return Linked(link, story, previous, tuple(differences_for(store, answer_id)))


def auto_link(store: Store, answer_id: int) -> Linked | None:
    """Link to the best story when its score reaches the threshold (kind ``automatic``).

    What a non-interactive round does after each answer; None when no story scores high
    enough (the answer stays unlinked, to be linked later with ``stories link``).
    """
    from voicemock.stories.similarity import THRESHOLD

    ranked = suggest_for(store, answer_id, limit=1)
    if not ranked or ranked[0].score < THRESHOLD:
        return None
    best = ranked[0]
    return link_answer(store, answer_id, best.story_id, kind="automatic", score=best.score)


def create_from_answer(
    store: Store,
    answer_id: int,
    title: str,
    *,
    summary: str = "",
    principles: Sequence[str] = (),
) -> tuple[Story, Linked]:
    """A new story whose first telling is ``answer_id`` (link kind ``created``)."""
    story, link = store.stories.create_from_answer(
        answer_id, title, summary=summary, principles=principles
    )
    return story, Linked(link, story, None, tuple(differences_for(store, answer_id)))


def differences_for(store: Store, answer_id: int) -> list[Difference]:
    """How a linked answer disagrees with the tellings of its story told before it."""
    from voicemock.stories.consistency import check_telling, summary_telling

    link = store.stories.link_of(answer_id)
    if link is None:
        return []
    record = store.answer(answer_id)
    if record.status not in USABLE:
        return []
    story = store.stories.get(link.story_id)
    earlier = [
        telling(r)
        for r, _ in story_tellings(store, story.id)
        if r.id != answer_id and (r.started_at, r.id) < (record.started_at, record.id)
    ]
    if story.summary:
        earlier.insert(0, summary_telling(story.summary, story.updated_at))
    return check_telling(telling(record), earlier)


# -- coverage: what to practise next ---------------------------------------------------------


def coverage_figures(store: Store, tags: TagIndex) -> list[AnswerFigures]:
    """Every analysed main answer's figures with its question's tags and its story: what
    :func:`voicemock.coverage.compute` reads."""
    from voicemock.progress import answer_figures

    links = store.stories.links()
    return [
        answer_figures(
            r,
            tags=tags.tags(r.set_name, r.question_id),
            story_id=links[r.id].story_id if r.id in links else None,
        )
        for r in store.all_answers()
    ]


def next_questions(
    store: Store,
    qset: QuestionSet,
    tags: TagIndex,
    *,
    count: int,
    rng: random.Random | None = None,
) -> list[Question]:
    """``practice --next``: questions of ``qset`` for the principles no story covers
    first (:func:`voicemock.coverage.select_next`)."""
    from voicemock.coverage import compute, select_next

    coverage = compute(store.stories.all(), coverage_figures(store, tags), count=0)
    history = store.last_practised(qset.name)
    return select_next(qset, coverage, count=count, last_practised=history, rng=rng)


# -- one story in full -------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryDetail:
    """What ``stories show`` prints."""

    story: Story
    tellings: tuple[tuple[AnswerFigures, StoryLink], ...]
    differences: tuple[Difference, ...]
    practised: tuple[Cell, ...]
    """The principles it has been told for (and the ones it declares), best first."""


def story_detail(store: Store, story_id: int, tags: TagIndex) -> StoryDetail:
    from voicemock.coverage import compute
    from voicemock.progress import answer_figures
    from voicemock.stories.consistency import check_story, summary_telling

    story = store.stories.get(story_id)
    told = story_tellings(store, story_id)
    figures = tuple(
        (answer_figures(r, tags=tags.tags(r.set_name, r.question_id), story_id=story_id), link)
        for r, link in told
    )
    tellings = [telling(r) for r, _ in told]
    if story.summary:
        tellings.insert(0, summary_telling(story.summary, story.updated_at))
    coverage = compute([story], [f for f, _ in figures], count=0)
    cells = [c for c in coverage.cells.values() if c.practised or c.declared]
    cells.sort(key=lambda c: (not c.practised, -c.grade, -c.answers))
    return StoryDetail(story, figures, tuple(check_story(tellings)), tuple(cells))


__all__ = [
    "Linked",
    "StoryDetail",
    "answer_label",
    "answer_ref",
    "auto_link",
    "coverage_figures",
    "create_from_answer",
    "differences_for",
    "link_answer",
    "next_questions",
    "resolve_answer",
    "story_detail",
    "story_tellings",
    "suggest_for",
    "telling",
]
