"""The story-bank API the practice round calls after each answer (real SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.stories_helpers import DAY0, Bank, save_answer, seed_bank, telling_text
from voicemock import storybank
from voicemock.errors import InputError
from voicemock.progress import TagIndex
from voicemock.questions import Catalog
from voicemock.storage import Store
from voicemock.stories.similarity import THRESHOLD


@pytest.fixture
def bank(voicemock_home: Path) -> Bank:
    return seed_bank(voicemock_home)


def test_resolve_answer(bank: Bank, voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        assert storybank.resolve_answer(store, "4:2").id == bank.answers["4:2"]
        assert storybank.resolve_answer(store, " latest:1 ").id == bank.answers["4:1"]
        assert storybank.answer_ref(store.answer(bank.answers["2:1"])) == "2:1"
        for bad in ("4", "4:", ":2", "4:two", "4-2"):
            with pytest.raises(InputError, match="SESSION:N"):
                storybank.resolve_answer(store, bad)


def test_suggest_for_leaves_the_answer_out_of_its_own_story(
    bank: Bank, voicemock_home: Path
) -> None:
    with Store.open(voicemock_home) as store:
        ranked = storybank.suggest_for(store, bank.answers["1:1"])
        assert ranked[0].story_id == bank.stories["checkout"]
        # Had the answer been counted among its story's tellings, it would match itself.
        texts = store.stories.texts()
        from voicemock.stories.similarity import suggest

        flattered = suggest(store.answer(bank.answers["1:1"]).transcript or "", texts)
        assert flattered[0].score > ranked[0].score


def test_auto_link_only_above_the_threshold(bank: Bank, voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        outage = bank.answers["4:1"]
        # Story 3 is only a title so far: the outage telling scores below the threshold.
        assert storybank.suggest_for(store, outage)[0].score < THRESHOLD
        assert storybank.auto_link(store, outage) is None
        assert store.stories.link_of(outage) is None
        store.stories.update(
            bank.stories["outage"],
            summary="Black Friday: the inventory service fell over, items showed out of stock;"
            " I ran the war room, cache back on, restored in 3 hours; postmortem, load tests.",
        )
        linked = storybank.auto_link(store, outage)
        assert linked is not None
        assert (linked.story.id, linked.link.kind) == (bank.stories["outage"], "automatic")
        assert linked.link.score is not None and linked.link.score >= THRESHOLD
        assert linked.previous is None and linked.differences == ()


def test_link_answer_reports_a_contradiction(bank: Bank, voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name="amazon-pm")
        text = telling_text("pricing", 3).replace("about fifteen percent", "about forty percent")
        new = save_answer(store, session.id, "co-said-no", text, DAY0.replace(month=6))
        linked = storybank.link_answer(store, new, bank.stories["pricing"], kind="manual")
        assert [d.summary for d in linked.differences if d.kind == "number"] == [
            "1 in 7 became 40%"
        ]
        d = next(x for x in linked.differences if x.kind == "number")
        assert d.later.answer_id == new and d.earlier.answer_id in (
            bank.answers["1:2"],
            bank.answers["4:2"],
        )
        assert storybank.differences_for(store, new) == list(linked.differences)
        assert storybank.differences_for(store, bank.answers["3:1"]) == []  # unlinked


def test_create_from_answer(bank: Bank, voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        story, linked = storybank.create_from_answer(
            store, bank.answers["3:1"], "Churn model", principles=("learn-and-be-curious",)
        )
        assert linked.link.kind == "created" and linked.story == story
        assert [r.id for r, _ in storybank.story_tellings(store, story.id)] == [bank.answers["3:1"]]


def test_story_detail(bank: Bank, voicemock_home: Path) -> None:
    tags = TagIndex.from_catalog(Catalog.discover(user_dir=None))
    with Store.open(voicemock_home) as store:
        detail = storybank.story_detail(store, bank.stories["checkout"], tags)
    assert [f.answer_id for f, _ in detail.tellings] == [bank.answers["1:1"], bank.answers["2:1"]]
    assert [d.summary for d in detail.differences] == ["9% became 14%"]
    practised = {c.principle for c in detail.practised if c.practised}
    assert practised == {
        "customer-obsession",
        "invent-and-simplify",
        "ownership",
        "bias-for-action",
    }
