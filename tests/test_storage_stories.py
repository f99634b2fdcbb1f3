"""The story bank in SQLite: migration m003 from a release database, stories, links."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.storage_helpers import raw, seed, stepping_clock
from voicemock.errors import InputError
from voicemock.storage import Store
from voicemock.storage import migrations as m

RELEASE = "m002_answer_indexes"
"""The last migration of the first release: what its databases hold."""


def release_database(home: Path) -> None:
    """A database exactly as the first release leaves it: its schema, rows it writes."""
    home.mkdir(mode=0o700)
    conn = sqlite3.connect(home / "voicemock.db", isolation_level=None)
    assert m.migrate(conn, upto=RELEASE) == ["m001_initial", RELEASE]
    conn.execute(
        "INSERT INTO sessions (id, started_at, ended_at, set_name, model, settings_json,"
        " status) VALUES (3, '2024-04-01T10:00:00.000+00:00', '2024-04-01T10:20:00.000+00:00',"
        " 'amazon-pm', 'tiny.en', '{\"voice\": \"en-us\"}', 'complete')"
    )
    for position, qid in ((1, "co-unasked-need"), (2, "ow-outside-scope")):
        conn.execute(
            "INSERT INTO answers (session_id, position, question_id, question_text, set_name,"
            " target_min_s, target_max_s, target_cap_s, started_at, ended_at, audio_path,"
            " duration_s, transcript, words_json, analysis_json, timing_verdict, model, status)"
            " VALUES (3, ?, ?, 'A question?', 'amazon-pm', 150, 210, 240,"
            " '2024-04-01T10:01:00.000+00:00', '2024-04-01T10:04:00.000+00:00',"
            " 'audio/3/1-x.wav', 180.0, 'I decided to rebuild checkout.', '[]',"
            ' \'{"timing_verdict": "on_target", "structure": {"result_has_metric": true}}\','
            " 'on_target', 'tiny.en', 'complete')",
            (position, qid),
        )
    conn.close()


def test_upgrading_a_release_database_adds_stories_and_keeps_everything(
    voicemock_home: Path,
) -> None:
    release_database(voicemock_home)
    before = raw(voicemock_home)
    sessions = [tuple(r) for r in before.execute("SELECT * FROM sessions")]
    answers = [tuple(r) for r in before.execute("SELECT * FROM answers ORDER BY id")]
    before.close()

    with Store.open(voicemock_home) as store:
        assert store.stories.all() == []
        story = store.stories.add("Checkout rebuild", principles=("ownership",))
        first = store.get_answer(3, 1)
        store.stories.link(first.id, story.id)
        assert [r.id for r, _ in store.stories.tellings(story.id)] == [first.id]

    conn = raw(voicemock_home)
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY id")]
    assert names == [x.name for x in m.MIGRATIONS] and "m003_stories" in names
    assert [tuple(r) for r in conn.execute("SELECT * FROM sessions")] == sessions
    assert [tuple(r) for r in conn.execute("SELECT * FROM answers ORDER BY id")] == answers
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"stories", "answer_stories"} <= tables
    fks = {
        r["table"]: r["on_delete"] for r in conn.execute("PRAGMA foreign_key_list(answer_stories)")
    }
    assert fks == {"answers": "CASCADE", "stories": "CASCADE"}


def test_a_new_database_has_the_story_tables(voicemock_home: Path) -> None:
    with Store.open(voicemock_home):
        pass
    conn = raw(voicemock_home)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(stories)")}
    assert columns == {"id", "title", "summary", "principles_json", "created_at", "updated_at"}
    columns = {r[1] for r in conn.execute("PRAGMA table_info(answer_stories)")}
    assert columns == {"answer_id", "story_id", "kind", "score", "linked_at"}


def test_add_get_list_update(voicemock_home: Path) -> None:
    with Store.open(voicemock_home, clock=stepping_clock()) as store:
        bank = store.stories
        a = bank.add(
            "  Checkout   payment form ", summary=" Cut drop-off.\r\n", principles=("ownership",)
        )
        assert (a.id, a.title, a.summary, a.principles) == (
            1,
            "Checkout payment form",
            "Cut drop-off.",
            ("ownership",),
        )
        assert a.created_at == a.updated_at
        b = bank.add("Warehouse migration")
        assert [s.id for s in bank.all()] == [1, 2]
        assert bank.resolve("#2") == b == bank.get(2)
        same = bank.update(1, title="Checkout payment form")
        assert same == a  # nothing changed: updated_at stays
        edited = bank.update(
            1, summary="Cut drop-off from 22 to 9%.", principles=("ownership", "dive-deep")
        )
        assert edited.summary == "Cut drop-off from 22 to 9%."
        assert edited.principles == ("ownership", "dive-deep")
        assert edited.updated_at > a.updated_at and edited.created_at == a.created_at
        assert bank.update(1, title="checkout PAYMENT form").title == "checkout PAYMENT form"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "needs a title"),
        ("   ", "needs a title"),
        ("x" * 121, "under 120"),
        ("a\x07b", "control"),
    ],
)
def test_bad_titles_are_refused(voicemock_home: Path, title: str, message: str) -> None:
    with Store.open(voicemock_home) as store, pytest.raises(InputError, match=message):
        store.stories.add(title)


def test_duplicate_titles_are_refused_whatever_the_case(voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        store.stories.add("Black Friday outage")
        other = store.stories.add("Pricing launch")
        with pytest.raises(InputError, match="story 1 is already called"):
            store.stories.add("black friday OUTAGE")
        with pytest.raises(InputError, match="already called"):
            store.stories.update(other.id, title="Black Friday Outage")
        assert [s.title for s in store.stories.all()] == ["Black Friday outage", "Pricing launch"]


def test_unknown_stories_and_answers_are_one_line(voicemock_home: Path) -> None:
    seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        with pytest.raises(InputError, match=r"^no story 9 \(see `voicemock stories list`\)$"):
            store.stories.get(9)
        with pytest.raises(InputError, match="not a story"):
            store.stories.resolve("checkout")
        story = store.stories.add("A")
        with pytest.raises(InputError, match="no answer 999"):
            store.stories.link(999, story.id)
        with pytest.raises(InputError, match="no story 7"):
            store.stories.link(1, 7)
        assert store.stories.links() == {}


def test_links_replace_and_unlink(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        bank = store.stories
        one, two = bank.add("One"), bank.add("Two")
        answer = store.get_answer(seeded.first, 1)
        link = bank.link(answer.id, one.id, kind="automatic", score=0.41)
        assert (link.story_id, link.kind, link.score) == (one.id, "automatic", 0.41)
        moved = bank.link(answer.id, two.id)
        assert (moved.story_id, moved.kind, moved.score) == (two.id, "manual", None)
        assert bank.link_of(answer.id) == moved
        assert [r.id for r, _ in bank.tellings(one.id)] == []
        assert bank.unlink(answer.id) == moved
        assert bank.unlink(answer.id) is None
        with pytest.raises(ValueError, match="manual, automatic or created"):
            bank.link(answer.id, one.id, kind="guessed")  # type: ignore[arg-type]


def test_removing_a_story_leaves_its_answers_unlinked(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        bank = store.stories
        story, other = bank.add("Doomed"), bank.add("Kept")
        a = store.get_answer(seeded.first, 1)
        c = store.get_answer(seeded.second, 1)
        bank.link(a.id, story.id)
        bank.link(c.id, story.id)
        result = bank.remove(story.id)
        assert (result.story, result.unlinked) == (story, 2)
        assert bank.links() == {}
        assert store.answer(a.id).transcript == a.transcript  # the answers stay
        assert [s.id for s in bank.all()] == [other.id]
        with pytest.raises(InputError):
            bank.remove(story.id)
        new = bank.add("Doomed")  # the title is free again; the id is never reused
        assert new.id > other.id


def test_deleting_a_session_deletes_its_links(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        story = store.stories.add("Story")
        store.stories.link(store.get_answer(seeded.first, 1).id, story.id)
        kept = store.get_answer(seeded.second, 1)
        store.stories.link(kept.id, story.id)
        store.delete_session(seeded.first)
        assert list(store.stories.links()) == [kept.id]
        [summary] = store.stories.summaries()
        assert (summary.tellings, summary.last_told) == (1, kept.started_at)


def test_create_from_answer_links_it_as_created(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        answer = store.get_answer(seeded.first, 1)
        story, link = store.stories.create_from_answer(answer.id, "Ingestion pipeline")
        assert (link.kind, link.story_id, link.answer_id) == ("created", story.id, answer.id)
        with pytest.raises(InputError, match="no answer"):
            store.stories.create_from_answer(12345, "Never made")
        assert [s.title for s in store.stories.all()] == ["Ingestion pipeline"]


def test_texts_for_similarity(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        story = store.stories.add("Pipeline", summary="Rebuilt ingestion")
        store.stories.add("Empty")
        a = store.get_answer(seeded.first, 1)
        store.stories.link(a.id, story.id)
        texts = store.stories.texts()
        assert [(t.id, t.title, t.summary, t.tellings) for t in texts] == [
            (1, "Pipeline", "Rebuilt ingestion", (a.transcript,)),
            (2, "Empty", "", ()),
        ]
        assert store.stories.texts(exclude_answer=a.id)[0].tellings == ()


def test_all_answers_across_sessions(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        everything = store.all_answers()
        assert [(x.session_id, x.position) for x in everything] == [
            (seeded.first, 1),
            (seeded.second, 1),
        ]  # the failed answer is left out
        later = store.all_answers(since=everything[1].started_at)
        assert [x.id for x in later] == [everything[1].id]
