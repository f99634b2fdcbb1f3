"""Migration m004 (follow-up replies, the scorecard) on databases written by earlier
releases: the release before the story bank (m001-m002) and the one with it (m001-m003).

The two files in ``tests/data/databases`` were written by those releases' own code
(``tests/data/databases/make.sh`` checks each out of git and runs two practice rounds on
real speech with it). Each is upgraded in place here; nothing in it may change but the
columns added, and everything must still read, review and export, and take new rounds.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fakes import FakeTranscriber
from tests.interview_helpers import MAIN_WE, REPLY_I
from voicemock.cli import cli
from voicemock.env import Environment
from voicemock.storage import Store
from voicemock.storage import migrations as m

DATA = Path(__file__).resolve().parent / "data" / "databases"
RELEASES = {
    "before-m003.db": ["m001_initial", "m002_answer_indexes"],
    "after-m003.db": ["m001_initial", "m002_answer_indexes", "m003_stories"],
}


def rows(path: Path, table: str) -> list[dict[str, object]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
    finally:
        conn.close()


@pytest.fixture(params=sorted(RELEASES))
def old_home(request: pytest.FixtureRequest, voicemock_home: Path) -> tuple[str, Path]:
    voicemock_home.mkdir(mode=0o700)
    shutil.copyfile(DATA / request.param, voicemock_home / "voicemock.db")
    return request.param, voicemock_home


def test_the_fixtures_are_what_those_releases_wrote() -> None:
    for name, applied in RELEASES.items():
        conn = sqlite3.connect(f"file:{DATA / name}?immutable=1", uri=True)  # no side files
        try:
            assert [r[0] for r in conn.execute("SELECT name FROM _migrations")] == applied
            columns = {r[1] for r in conn.execute("PRAGMA table_info(answers)")}
            assert "parent_id" not in columns
            assert conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 3
        finally:
            conn.close()


def test_an_old_database_upgrades_in_place_and_loses_nothing(old_home: tuple[str, Path]) -> None:
    name, home = old_home
    path = home / "voicemock.db"
    tables = ["sessions", "answers"] + (["stories", "answer_stories"] if "after" in name else [])
    before = {t: rows(path, t) for t in tables}

    with Store.open(home) as store:
        sessions = store.list_sessions()
        assert [s.answer_count for s in sessions] == [2, 1]
        records = [a for s in sessions for a in store.answers(s.session.id)]
        assert all(not a.is_reply and a.follow_up is None for a in records)
        assert all(a.analysis is not None and a.status == "complete" for a in records)
        assert all(s.session.scorecard is None for s in sessions)

    applied = [r["name"] for r in rows(path, "_migrations")]
    assert applied == [x.name for x in m.MIGRATIONS] and applied[-1] == "m004_follow_ups"
    for table, old in before.items():
        new = rows(path, table)
        assert len(new) == len(old)
        for was, now in zip(old, new, strict=True):
            assert {k: now[k] for k in was} == was  # every old value kept
            added = set(now) - set(was)
            assert added <= {"parent_id", "follow_up_json", "scorecard_json"}
            assert all(now[k] is None for k in added)
    if "after" in name:
        with Store.open(home) as store:
            (story,) = [s for s in store.stories.all() if s.title == "Checkout rebuild"]
            assert [r.position for r, _ in store.stories.tellings(story.id)] == [1]


def test_old_sessions_review_and_export_after_the_upgrade(old_home: tuple[str, Path]) -> None:
    _, _home = old_home
    runner = CliRunner()
    review = runner.invoke(cli, ["review", "2", "--no-color"])
    assert review.exit_code == 0, review.stderr
    assert "Answer 1" in review.stdout and "Answer 2" in review.stdout
    assert "Round summary" in review.stdout and "Bar-raiser scorecard" not in review.stdout
    assert "A bar raiser might follow up with" in review.stdout
    data = json.loads(runner.invoke(cli, ["sessions", "export", "2"]).stdout)
    assert [a["follow_ups"] for a in data["session"]["answers"]] == [[], []]
    assert data["session"]["scorecard"] is None
    md = runner.invoke(cli, ["sessions", "export", "1", "--format", "markdown"])
    assert md.exit_code == 0 and "## 1. " in md.stdout and "### Structure" in md.stdout
    assert runner.invoke(cli, ["progress", "--json"]).exit_code == 0


def test_an_upgraded_database_takes_an_interview(
    old_home: tuple[str, Path], tmp_path: Path, espeak: str
) -> None:
    from tests.speech_helpers import espeak_wav

    _, home = old_home
    wav = espeak_wav(espeak, [("I decided to delay the launch.", 300)], tmp_path / "a.wav")
    transcriber = FakeTranscriber().enqueue(MAIN_WE, REPLY_I)
    result = CliRunner().invoke(
        cli,
        [
            "interview",
            "--questions",
            "1",
            "--fast",
            "--no-voice",
            "--seed",
            "3",
            "--answer-file",
            str(wav),
            "--answer-file",
            str(wav),
        ],
        obj=Environment(transcriber_factory=lambda _m: transcriber),
    )
    assert result.exit_code == 0, result.output + result.stderr
    with Store.open(home) as store:
        session = store.latest_session()
        assert session is not None and session.id == 3 and session.scorecard is not None
        main, reply = store.answers(session.id)
        assert reply.parent_id == main.id and reply.gap is not None
        assert reply.gap["status"] == "closed"
        assert len(store.all_answers()) == 4  # three old answers and the new main answer
