"""The questions of a mock loop: different principles, weighted toward the first four."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta, timezone

from voicemock.interview.selection import (
    FIRST_FOUR_WEIGHT,
    choose_loop_questions,
    main_principle,
)
from voicemock.questions import DEFAULT_SET, Catalog, Question
from voicemock.stories.principles import FIRST_FOUR


def bank() -> tuple[Question, ...]:
    from voicemock.env import Environment

    return Catalog.for_env(Environment()).get(DEFAULT_SET).questions


def test_each_question_probes_a_different_principle() -> None:
    questions = bank()
    for seed in range(30):
        chosen = choose_loop_questions(questions, 5, rng=random.Random(seed))
        principles = [main_principle(q) for q in chosen]
        assert len(chosen) == 5 and None not in principles
        assert len(set(principles)) == 5


def test_the_first_four_are_probed_more_often() -> None:
    questions = bank()
    counts: Counter[str | None] = Counter()
    runs = 400
    for seed in range(runs):
        for q in choose_loop_questions(questions, 3, rng=random.Random(seed)):
            counts[main_principle(q)] += 1
    first_four = sum(counts[p] for p in FIRST_FOUR) / len(FIRST_FOUR)
    others = [p for p in counts if p not in FIRST_FOUR and p is not None]
    other = sum(counts[p] for p in others) / len(others)
    # Weight 3 against 1 for 4 of 16 principles, 3 draws: about 2.3 times as often.
    assert FIRST_FOUR_WEIGHT == 3.0
    assert first_four > 1.8 * other, (first_four, other)
    assert min(counts[p] for p in others) > 0  # every principle can come up


def test_least_recently_practised_within_a_principle() -> None:
    questions = bank()
    co = [q for q in questions if main_principle(q) == "customer-obsession"]
    assert len(co) >= 3
    now = datetime(2024, 5, 1, tzinfo=timezone.utc)
    history = {q.id: now - timedelta(days=n) for n, q in enumerate(co)}
    history.pop(co[1].id)  # never practised
    for seed in range(20):
        chosen = choose_loop_questions(
            questions, 16, last_practised=history, rng=random.Random(seed)
        )
        [pick] = [q for q in chosen if main_principle(q) == "customer-obsession"]
        assert pick.id == co[1].id


def test_the_same_seed_gives_the_same_loop() -> None:
    a = choose_loop_questions(bank(), 3, rng=random.Random(7))
    b = choose_loop_questions(bank(), 3, rng=random.Random(7))
    assert a == b


def test_questions_without_a_principle_come_last_and_more_than_the_principles_is_fine() -> None:
    plain = (Question("about-you", "Tell me about yourself."),)
    tagged = (
        Question("o1", "Own it?", ("ownership",)),
        Question("o2", "Own more?", ("ownership",)),
    )
    chosen = choose_loop_questions(plain + tagged, 3, rng=random.Random(1))
    assert [q.id for q in chosen][:1] == ["o1"] or [q.id for q in chosen][:1] == ["o2"]
    assert chosen[1].id == "about-you"
    assert {q.id for q in chosen} == {"o1", "o2", "about-you"}
    assert choose_loop_questions(plain, 2) == list(plain)


def test_a_product_sense_question_counts_as_having_no_principle() -> None:
    """A loop asks for stories; "Pick a product you use every day…" is tagged with
    Customer Obsession too, but it is asked only once the principles run out."""
    everyday = next(q for q in bank() if q.id == "ps-improve-everyday-product")
    assert "customer-obsession" in everyday.tags
    assert main_principle(everyday) is None
    for seed in range(40):
        chosen = choose_loop_questions(bank(), 6, rng=random.Random(seed))
        assert all("product-sense" not in q.tags for q in chosen)
