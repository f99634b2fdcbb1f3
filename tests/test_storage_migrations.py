"""The schema: numbered migrations from an empty file, upgrades, refusals."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.storage_helpers import analysis_dict, raw
from voicemock.errors import StorageError
from voicemock.storage import Store
from voicemock.storage import migrations as m

SESSION_COLUMNS = {
    "id", "started_at", "ended_at", "set_name", "set_path", "model", "settings_json",
    "status", "pid", "pid_start",
}  # fmt: skip
ANSWER_COLUMNS = {
    "id", "session_id", "position", "question_id", "question_text", "set_name",
    "target_min_s", "target_max_s", "target_cap_s", "started_at", "ended_at", "audio_path",
    "duration_s", "transcript", "words_json", "analysis_json", "timing_verdict",
    "overflow_count", "model", "status", "pid", "pid_start", "error",
}  # fmt: skip


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def indexes(conn: sqlite3.Connection) -> set[str]:
    return {
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        if not r[0].startswith("sqlite_autoindex")
    }


def test_migration_names_are_numbered_in_order() -> None:
    names = [x.name for x in m.MIGRATIONS]
    assert names == sorted(names)
    assert [int(n[1:4]) for n in names] == list(range(1, len(names) + 1))
    assert len(set(names)) == len(names)


def test_empty_database_gets_every_migration(voicemock_home: Path) -> None:
    assert not Store.exists(voicemock_home)
    with Store.open(voicemock_home):
        pass
    assert Store.exists(voicemock_home)
    conn = raw(voicemock_home)
    recorded = [r["name"] for r in conn.execute("SELECT name FROM _migrations ORDER BY id")]
    assert recorded == [x.name for x in m.MIGRATIONS]
    assert columns(conn, "sessions") == SESSION_COLUMNS
    assert columns(conn, "answers") == ANSWER_COLUMNS
    assert {"answers_set_question_started", "answers_recording"} <= indexes(conn)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fk = conn.execute("PRAGMA foreign_key_list(answers)").fetchone()
    assert (fk["table"], fk["on_delete"]) == ("sessions", "CASCADE")
    # The last-practised query is served by the index, not a table scan.
    plan = " ".join(
        r[3]
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT question_id, MAX(started_at) FROM answers"
            " WHERE set_name IS ? GROUP BY question_id",
            ("amazon-pm",),
        )
    )
    assert "answers_set_question_started" in plan


def test_reopening_is_a_no_op(voicemock_home: Path) -> None:
    with Store.open(voicemock_home):
        pass
    before = raw(voicemock_home).execute("SELECT * FROM _migrations").fetchall()
    with Store.open(voicemock_home) as store:
        store.create_session(set_name="x")
    with Store.open(voicemock_home) as store:
        assert store.count_sessions() == 1
    after = raw(voicemock_home).execute("SELECT * FROM _migrations").fetchall()
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert m.migrate(raw(voicemock_home)) == []


def test_upgrade_from_an_earlier_migration_keeps_the_data(voicemock_home: Path) -> None:
    voicemock_home.mkdir(mode=0o700)
    conn = sqlite3.connect(voicemock_home / "voicemock.db", isolation_level=None)
    assert m.migrate(conn, upto="m001_initial") == ["m001_initial"]
    conn.execute(
        "INSERT INTO sessions (id, started_at, set_name, status) VALUES"
        " (7, '2024-04-01T10:00:00.000+00:00', 'amazon-pm', 'complete')"
    )
    analysis = analysis_dict(180.0, "on_target")
    conn.execute(
        "INSERT INTO answers (session_id, position, question_id, question_text, set_name,"
        " target_min_s, target_max_s, target_cap_s, started_at, duration_s, analysis_json,"
        " status) VALUES (7, 1, 'q1', 'Question one?', 'amazon-pm', 150, 210, 240,"
        " '2024-04-01T10:01:00.000+00:00', 180.0, ?, 'complete')",
        (json.dumps(analysis),),
    )
    conn.close()
    assert "answers_set_question_started" not in indexes(raw(voicemock_home))

    with Store.open(voicemock_home) as store:
        [summary] = store.list_sessions()
        assert (summary.session.id, summary.answer_count, summary.in_window) == (7, 1, 1)
        assert store.get_answer(7, 1).analysis == analysis
        assert set(store.last_practised("amazon-pm")) == {"q1"}
    conn = raw(voicemock_home)
    assert [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY id")] == [
        x.name for x in m.MIGRATIONS
    ]
    assert "answers_set_question_started" in indexes(conn)


def test_a_failing_migration_is_rolled_back_whole(
    voicemock_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(voicemock_home) as store:
        store.create_session(set_name="kept")

    def m999_broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("ALTER TABLE no_such_table ADD COLUMN y")

    monkeypatch.setattr(m, "MIGRATIONS", [*m.MIGRATIONS, m.Migration("m999_broken", m999_broken)])
    with pytest.raises(StorageError) as info:
        Store.open(voicemock_home)
    assert "no_such_table" in str(info.value)
    conn = raw(voicemock_home)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half_done" not in tables
    assert "m999_broken" not in {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    monkeypatch.undo()
    with Store.open(voicemock_home) as store:
        assert [s.session.set_name for s in store.list_sessions()] == ["kept"]


def test_database_from_a_newer_voicemock_is_refused(voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        store.create_session(set_name="precious")
    raw(voicemock_home).execute(
        "INSERT INTO _migrations (name, applied_at) VALUES ('m042_from_the_future', 'later')"
    )
    with pytest.raises(StorageError) as info:
        Store.open(voicemock_home)
    message = str(info.value)
    assert "\n" not in message
    assert "newer voicemock" in message and "m042_from_the_future" in message
    assert str(voicemock_home / "voicemock.db") in message
    # Refusing changed nothing.
    assert raw(voicemock_home).execute("SELECT set_name FROM sessions").fetchone()[0] == "precious"


@pytest.mark.parametrize(
    "content",
    [b"this is not a database\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "bad-header"],
)
def test_corrupt_file_is_one_line_naming_it(voicemock_home: Path, content: bytes) -> None:
    voicemock_home.mkdir(mode=0o700)
    path = voicemock_home / "voicemock.db"
    path.write_bytes(content)
    with pytest.raises(StorageError) as info:
        Store.open(voicemock_home)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message and "corrupt" in message
    assert path.read_bytes() == content  # never "repaired" by overwriting


def test_another_programs_sqlite_file_is_refused(voicemock_home: Path) -> None:
    voicemock_home.mkdir(mode=0o700)
    other = sqlite3.connect(voicemock_home / "voicemock.db")
    other.execute("CREATE TABLE sessions (token TEXT)")
    other.commit()
    other.close()
    with pytest.raises(StorageError, match="not voicemock's"):
        Store.open(voicemock_home)


def test_many_first_opens_at_once_apply_each_migration_once(voicemock_home: Path) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def opener() -> None:
        try:
            barrier.wait()
            with Store.open(voicemock_home, timeout=10) as store:
                store.create_session(set_name="race")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    conn = raw(voicemock_home)
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations")]
    assert names == [x.name for x in m.MIGRATIONS]
    assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 6
