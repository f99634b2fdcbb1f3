"""Coverage of the 16 principles by stories, the gaps, and `practice --next` selection."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timezone

from tests.test_progress import doc, figures
from voicemock.coverage import compute, select_next
from voicemock.progress import AnswerFigures
from voicemock.questions import Question, QuestionSet
from voicemock.storage.stories import Story
from voicemock.stories.principles import FIRST_FOUR, FORGOTTEN, parse_principles, weight

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)


def story(id_: int, title: str, *principles: str) -> Story:
    return Story(id_, title, "", tuple(principles), T0, T0)


def told(story_id: int | None, tags: tuple[str, ...], n: int = 1, **kw: object) -> AnswerFigures:
    base = figures(1, n, doc(**kw))  # type: ignore[arg-type]
    return replace(base, story_id=story_id, tags=tags, answer_id=(story_id or 0) * 100 + n)


QSET = QuestionSet(
    "mini",
    (
        Question("co-1", "Customer one?", ("customer-obsession",)),
        Question("ow-1", "Ownership one?", ("ownership", "bias-for-action")),
        Question("ow-2", "Ownership two?", ("ownership",)),
        Question("bfa-1", "Bias one?", ("bias-for-action",)),
        Question("hb-1", "Backbone one?", ("have-backbone",)),
        Question("lc-1", "Curious one?", ("learn-and-be-curious",)),
        Question("hd-1", "Hire one?", ("hire-and-develop-the-best",)),
        Question("dd-1", "Dive one?", ("dive-deep", "customer-obsession")),
        Question("fr-1", "Frugal one?", ("frugality",)),
    ),
)


def test_the_principles_weights_and_names() -> None:
    assert FIRST_FOUR == ("customer-obsession", "ownership", "bias-for-action", "have-backbone")
    assert set(FORGOTTEN) == {
        "learn-and-be-curious",
        "hire-and-develop-the-best",
        "bias-for-action",
    }
    assert weight("ownership") == 2.0 and weight("frugality") == 1.0
    assert parse_principles(["Ownership, dive_deep", "Are Right, A Lot", "ownership"]) == (
        "ownership",
        "dive-deep",
        "are-right-a-lot",
    )
    assert parse_principles(["Have Backbone; Disagree and Commit"]) == ("have-backbone",)


def test_coverage_by_hand() -> None:
    stories = [
        story(1, "Checkout", "customer-obsession", "bias-for-action"),
        story(2, "Outage", "ownership", "learn-and-be-curious"),
    ]
    answers = [
        # story 1 told twice for Customer Obsession: once in the window with a number,
        # owned; once short
        told(1, ("customer-obsession",), 1, duration=180.0, result=True, owned=2, weak=0),
        told(1, ("customer-obsession", "dive-deep"), 2, duration=100.0, result=False, owned=0),
        # story 2 told for Ownership + Bias for Action, long, owned but no number
        told(2, ("ownership", "bias-for-action"), 3, duration=230.0, result=False, owned=1),
        # an answer for Frugality linked to no story
        told(None, ("frugality",), 4),
    ]
    c = compute(stories, answers, qset=QSET, count=4)
    co = c.cell(1, "customer-obsession")
    assert co is not None
    assert (co.answers, co.best_verdict, co.result_has_number, co.owned, co.grade) == (
        2, "on_target", True, True, 3,
    )  # fmt: skip
    dd = c.cell(1, "dive-deep")
    assert dd is not None and (dd.answers, dd.grade, dd.declared) == (1, 0, False)
    ow = c.cell(2, "ownership")
    assert ow is not None and (ow.best_verdict, ow.result_has_number, ow.owned, ow.grade) == (
        "long", False, True, 1,
    )  # fmt: skip
    bfa1 = c.cell(1, "bias-for-action")
    assert bfa1 is not None and (bfa1.declared, bfa1.practised) == (True, False)
    by = {p.slug: p for p in c.principles}
    assert by["customer-obsession"].status == "practised"
    assert by["customer-obsession"].practised_by == (1,)
    assert by["bias-for-action"].practised_by == (2,)
    assert by["bias-for-action"].declared_by == (1,)
    assert by["learn-and-be-curious"].status == "declared"
    assert by["frugality"].status == "none" and by["frugality"].unlinked_answers == 1
    assert by["dive-deep"].status == "practised"
    # practised: customer obsession (2), ownership (2), bias for action (2), dive deep (1)
    # of a total weight of 4 x 2 + 12 x 1 = 20
    assert c.score == (2 + 2 + 2 + 1) / 20
    no_story = [p.slug for p in c.no_story]
    assert no_story[0] == "have-backbone"  # the one first-four principle with no story
    assert no_story[1:3] == ["hire-and-develop-the-best", "invent-and-simplify"]
    assert "learn-and-be-curious" not in no_story  # declared by story 2
    assert [p.slug for p in c.gaps][:3] == [
        "have-backbone",
        "hire-and-develop-the-best",
        "invent-and-simplify",
    ]
    nexts = [(q.principle, q.question.id) for q in c.next_questions]
    assert nexts == [
        ("have-backbone", "hb-1"),
        ("hire-and-develop-the-best", "hd-1"),
        ("frugality", "fr-1"),
        ("learn-and-be-curious", "lc-1"),
    ]
    data = c.to_dict()
    assert data["no_story"][0] == "have-backbone" and len(data["principles"]) == 16


def test_no_stories_at_all() -> None:
    c = compute([], [told(None, ("ownership",))], qset=QSET, count=3)
    assert c.score == 0.0 and len(c.no_story) == 16
    assert [p.slug for p in c.no_story][:4] == list(FIRST_FOUR)
    assert [p.slug for p in c.no_story][4:6] == [
        "learn-and-be-curious",
        "hire-and-develop-the-best",
    ]
    assert [q.question.id for q in c.next_questions] == ["co-1", "ow-2", "bfa-1"]


def test_select_next_prefers_main_tag_and_unpractised_then_tops_up() -> None:
    c = compute([story(1, "Untold")], [], count=0)
    history = {"ow-2": T0}
    chosen = select_next(QSET, c, count=3, last_practised=history, rng=random.Random(1))
    # customer obsession: co-1 (main tag) before dd-1; ownership: ow-1 never practised
    assert [q.id for q in chosen] == ["co-1", "ow-1", "bfa-1"]
    everything = select_next(QSET, c, count=50, rng=random.Random(1))
    assert sorted(q.id for q in everything) == sorted(q.id for q in QSET.questions)
    assert len(everything) == len(set(everything))


def test_practised_principles_come_last_weakest_first() -> None:
    stories = [story(1, "S")]
    everyone = [
        told(1, (p,), n, duration=180.0, result=True, owned=1)
        for n, p in enumerate(
            ["customer-obsession", "ownership", "bias-for-action", "have-backbone",
             "learn-and-be-curious", "hire-and-develop-the-best", "dive-deep"],
            start=1,
        )
    ]  # fmt: skip
    everyone.append(told(1, ("frugality",), 9, duration=60.0, result=False, owned=0))
    c = compute(stories, everyone, count=0)
    chosen = select_next(QSET, c, count=1, rng=random.Random(0))
    assert [q.id for q in chosen] == ["fr-1"]  # the weakest practised principle in the set
