"""The Store on real SQLite and real files: records, permissions, deletion, failures."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import subprocess
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.storage_helpers import T0, WORDS, analysis_dict, raw, seed, stepping_clock, tmpfs
from voicemock.errors import InputError, StorageError
from voicemock.storage import Store
from voicemock.timing import Target


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def store(voicemock_home: Path) -> Iterator[Store]:
    with Store.open(voicemock_home, clock=stepping_clock()) as s:
        yield s


# -- permissions -----------------------------------------------------------------------


def test_data_dir_db_and_audio_are_private(voicemock_home: Path) -> None:
    voicemock_home.mkdir(mode=0o755)
    voicemock_home.chmod(0o755)  # a too-open directory left by something else
    old = os.umask(0)  # the most permissive umask: modes must still be exact
    try:
        with Store.open(voicemock_home) as store:
            session = store.create_session(set_name="amazon-pm")
            rec = store.start_answer(session.id, question_id="q/1 é", question_text="Q?")
            db = voicemock_home / "voicemock.db"
            assert mode(voicemock_home) == 0o700
            assert mode(db) == 0o600
            for suffix in ("-wal", "-shm"):  # SQLite's side files copy the db's mode
                assert mode(db.with_name(db.name + suffix)) == 0o600
            assert rec.audio_path is not None
            assert rec.audio_path == voicemock_home / "audio" / str(session.id) / "1-q-1-e.wav"
            assert rec.audio_path.is_file() and rec.audio_path.stat().st_size == 0
            assert mode(rec.audio_path) == 0o600
            assert mode(rec.audio_path.parent) == 0o700
            assert mode(voicemock_home / "audio") == 0o700
    finally:
        os.umask(old)


def test_existing_db_with_loose_mode_is_tightened(voicemock_home: Path) -> None:
    with Store.open(voicemock_home):
        pass
    db = voicemock_home / "voicemock.db"
    db.chmod(0o644)
    with Store.open(voicemock_home):
        assert mode(db) == 0o600


# -- answers: committed as they happen -------------------------------------------------


def test_start_answer_is_on_disk_before_recording(store: Store, voicemock_home: Path) -> None:
    session = store.create_session(set_name="amazon-pm", model="tiny.en")
    target = Target(120, 180, 200)
    rec = store.start_answer(
        session.id, question_id="ownership-1", question_text="Tell me...", target=target
    )
    # Another connection (another process, in effect) already sees the row and the file.
    row = raw(voicemock_home).execute("SELECT * FROM answers WHERE id = ?", (rec.id,)).fetchone()
    assert row["status"] == "recording"
    assert row["pid"] == os.getpid() and row["pid_start"]
    assert row["audio_path"] == f"audio/{session.id}/1-ownership-1.wav"  # relative
    assert (row["target_min_s"], row["target_max_s"], row["target_cap_s"]) == (120, 180, 200)
    assert row["set_name"] == "amazon-pm"  # the session's, by default
    assert rec.audio_path is not None and rec.audio_path.exists()
    assert (rec.position, rec.target, rec.status) == (1, target, "recording")
    second = store.start_answer(session.id, question_id="ownership-1", question_text="Again")
    assert second.position == 2
    assert second.audio_path == rec.audio_path.with_name("2-ownership-1.wav")


def test_complete_answer_round_trip(store: Store, voicemock_home: Path) -> None:
    session = store.create_session(set_name="amazon-pm", model="tiny.en", settings={"rate": 170})
    rec = store.start_answer(session.id, question_id="q1", question_text="Q1?", model="tiny.en")
    analysis = analysis_dict(172.4, "on_target")
    analysis["pace_wpm"] = float("nan")  # JSON has no NaN: stored as null, not invalid JSON
    done = store.complete_answer(
        rec.id,
        duration_s=172.4,
        transcript="So I decided",
        words=WORDS,
        analysis=analysis,
        overflow_count=2,
        model="base.en",
    )
    assert done.status == "complete" and done.error is None
    assert done.duration_s == 172.4 and done.transcript == "So I decided"
    assert done.words == WORDS
    assert done.analysis == {**analysis, "pace_wpm": None}
    assert done.timing_verdict == "on_target" and done.in_window
    assert (done.overflow_count, done.model) == (2, "base.en")
    assert done.ended_at is not None and done.ended_at > done.started_at
    stored = (
        raw(voicemock_home)
        .execute("SELECT analysis_json, timing_verdict FROM answers WHERE id = ?", (rec.id,))
        .fetchone()
    )
    assert json.loads(stored[0])["pace_wpm"] is None
    assert stored[1] == "on_target"
    assert store.get_session(session.id).settings == {"rate": 170}


def test_answer_from_a_background_thread_while_the_next_starts(store: Store) -> None:
    """The practice round saves answer N while answer N+1 is being set up."""
    session = store.create_session(set_name="amazon-pm")
    errors: list[BaseException] = []

    def save(answer_id: int) -> None:
        try:
            store.complete_answer(answer_id, duration_s=160.0, transcript="t", analysis={})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = []
    for i in range(12):
        rec = store.start_answer(session.id, question_id=f"q{i}", question_text="?")
        t = threading.Thread(target=save, args=(rec.id,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    assert errors == []
    answers = store.answers(session.id)
    assert [a.position for a in answers] == list(range(1, 13))
    assert {a.status for a in answers} == {"complete"}
    # No verdict in the analysis: judged from the duration against the target.
    assert all(a.timing_verdict == "on_target" for a in answers)


def test_fail_answer_keeps_the_audio(store: Store) -> None:
    session = store.create_session(set_name="s")
    rec = store.start_answer(session.id, question_id="q", question_text="?")
    assert rec.audio_path is not None
    rec.audio_path.write_bytes(b"RIFF....")
    failed = store.fail_answer(rec.id, "no speech heard", duration_s=3.5)
    assert (failed.status, failed.error, failed.duration_s) == ("failed", "no speech heard", 3.5)
    assert rec.audio_path.read_bytes() == b"RIFF...."


def test_start_answer_for_unknown_session_leaves_no_file(store: Store) -> None:
    with pytest.raises(InputError, match="no session 99"):
        store.start_answer(99, question_id="q", question_text="?")
    assert not (store.audio_root / "99").exists() or not any((store.audio_root / "99").iterdir())


def test_leftover_audio_is_never_overwritten(store: Store) -> None:
    session = store.create_session(set_name="s")
    leftover = store.audio_root / str(session.id) / "1-q.wav"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"someone's old recording")
    rec = store.start_answer(session.id, question_id="q", question_text="?")
    assert rec.audio_path == leftover.with_name("1-q-2.wav")
    assert leftover.read_bytes() == b"someone's old recording"


# -- sessions: listing, lookup, history ------------------------------------------------


def test_list_sessions_figures(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        newest, oldest = store.list_sessions()
        assert [newest.session.id, oldest.session.id] == [seeded.second, seeded.first]
        assert (oldest.answer_count, oldest.timed_count, oldest.in_window) == (2, 1, 1)
        assert oldest.avg_duration_s == pytest.approx(172.4)
        assert oldest.session.status == "complete"
        assert (newest.answer_count, newest.in_window) == (1, 0)
        assert newest.session.status == "interrupted"
        assert [s.session.id for s in store.list_sessions(limit=1)] == [seeded.second]
        assert store.count_sessions() == 2
        assert store.latest_session() == newest.session
        assert store.resolve_session("latest").id == seeded.second
        assert store.resolve_session(f"#{seeded.first}").id == seeded.first
        for bad in ("abc", "-1", "1.5", ""):
            with pytest.raises(InputError, match="not a session"):
                store.resolve_session(bad)
        with pytest.raises(InputError, match="no session 404"):
            store.resolve_session("404")


def test_the_verdict_comes_from_the_analysis_else_from_the_duration(store: Store) -> None:
    session = store.create_session(set_name="s")
    judged_long = analysis_dict(232.4, "long")
    cases: list[tuple[dict[str, Any] | None, float, str]] = [
        (analysis_dict(172.4, "on_target"), 100.0, "on_target"),  # analysis wins over duration
        (judged_long, 160.0, "long"),
        ({}, 160.0, "on_target"),  # never analysed: judged from duration and target
        (None, 250.0, "over_cap"),
        ({"timing_verdict": "short"}, 160.0, "on_target"),  # not a document: not read
    ]
    for analysis, duration, expected in cases:
        rec = store.start_answer(session.id, question_id="q", question_text="?")
        done = store.complete_answer(
            rec.id,
            duration_s=duration,
            transcript="",
            analysis=analysis,  # type: ignore[arg-type]
        )
        assert done.timing_verdict == expected, analysis
    [summary] = store.list_sessions()
    assert summary.in_window == 3


def test_last_practised(voicemock_home: Path) -> None:
    clock = stepping_clock(step=timedelta(hours=1))
    with Store.open(voicemock_home, clock=clock) as store:
        s = store.create_session(set_name="amazon-pm")
        other = store.create_session(set_name="google-pm")
        times = {}
        for qid in ("q1", "q2", "q1"):
            rec = store.start_answer(s.id, question_id=qid, question_text="?")
            store.complete_answer(rec.id, duration_s=170, transcript="", analysis={})
            times[qid] = rec.started_at
        failed = store.start_answer(s.id, question_id="q3", question_text="?")
        store.fail_answer(failed.id, "no speech")
        store.start_answer(s.id, question_id="q4", question_text="?")  # still recording
        rec = store.start_answer(other.id, question_id="q9", question_text="?")
        store.complete_answer(rec.id, duration_s=170, transcript="", analysis={})
        assert store.last_practised("amazon-pm") == times
        assert times["q1"] == T0 + timedelta(hours=6)  # the later of the two q1 answers
        assert set(store.last_practised("google-pm")) == {"q9"}
        assert store.last_practised("nobody") == {}


def test_export_holds_everything(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        data = json.loads(json.dumps(store.export(seeded.first)))
    assert (data["format"], data["version"]) == ("voicemock-session", 1)
    session = data["session"]
    assert (session["id"], session["set_name"], session["status"]) == (
        seeded.first,
        "amazon-pm",
        "complete",
    )
    assert session["settings"] == {"voice": "en"}
    first, second = session["answers"]
    assert first["analysis"] == analysis_dict(172.4, "on_target")
    assert first["words"] == WORDS
    assert first["target"] == {"min_s": 150.0, "max_s": 210.0, "cap_s": 240.0}
    assert Path(first["audio_path"]).is_file()
    assert (first["timing_verdict"], second["status"]) == ("on_target", "failed")
    assert second["error"] == "no speech heard in the recording"
    assert first["started_at"].endswith("+00:00")


# -- deletion --------------------------------------------------------------------------


def test_delete_session_removes_rows_and_audio(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    first_dir = voicemock_home / "audio" / str(seeded.first)
    (first_dir / "1-ownership-1.wav.partial").write_bytes(b"x" * 10)  # a stray recorder file
    seeded.audio[1].unlink()  # one recording already removed by hand
    # A tampered row must never make us delete outside the audio directory.
    raw(voicemock_home).execute(
        "UPDATE answers SET audio_path = 'voicemock.db' WHERE session_id = ? AND position = 2",
        (seeded.first,),
    )
    with Store.open(voicemock_home) as store:
        result = store.delete_session(seeded.first)
        assert (result.session.id, result.answers) == (seeded.first, 2)
        assert (result.audio_files, result.audio_bytes) == (2, 2004 + 10)
        with pytest.raises(InputError):
            store.get_session(seeded.first)
        assert [s.session.id for s in store.list_sessions()] == [seeded.second]
    assert not first_dir.exists()
    assert (voicemock_home / "voicemock.db").is_file()
    assert seeded.audio[2].is_file()  # the other session's recording is untouched
    conn = raw(voicemock_home)
    assert conn.execute(
        "SELECT COUNT(*) FROM answers WHERE session_id = ?", (seeded.first,)
    ).fetchone()[0] == 0  # fmt: skip
    with Store.open(voicemock_home) as store, pytest.raises(InputError, match="no session"):
        store.delete_session(seeded.first)


def test_session_ids_are_never_reused(store: Store) -> None:
    first = store.create_session(set_name="a")
    store.delete_session(first.id)
    assert store.create_session(set_name="b").id == first.id + 1


# -- failures: one line, nothing committed is lost ----------------------------------------


def test_closed_store_is_a_storage_error(voicemock_home: Path) -> None:
    store = Store.open(voicemock_home)
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StorageError, match="closed"):
        store.list_sessions()


def test_locked_database_is_one_line_and_recovers(voicemock_home: Path) -> None:
    seed(voicemock_home)
    other = raw(voicemock_home)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        with Store.open(voicemock_home, timeout=0.2) as store:
            assert store.count_sessions() == 2  # WAL: reading still works
            with pytest.raises(StorageError) as info:
                store.create_session(set_name="blocked")
            assert "locked" in str(info.value) and "\n" not in str(info.value)
            other.execute("COMMIT")
            store.create_session(set_name="later")
            assert store.count_sessions() == 3
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")


def test_database_full_keeps_committed_answers(voicemock_home: Path) -> None:
    """SQLite's own SQLITE_FULL (page limit) in the middle of saving an answer."""
    seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name="amazon-pm")
        rec = store.start_answer(session.id, question_id="q", question_text="?")
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        with pytest.raises(StorageError) as info:
            store.complete_answer(rec.id, duration_s=170, transcript="word " * 100_000)
        assert "full" in str(info.value) and "\n" not in str(info.value)
        # The failed write rolled back alone: the answer is still recoverable.
        assert store.answer(rec.id).status == "recording"
    with Store.open(voicemock_home) as store:
        assert len(store.list_sessions()) == 3
        assert store.get_answer(1, 1).analysis == analysis_dict(172.4, "on_target")


needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting a small tmpfs needs root; the page-limit test covers it"
)


@needs_root
def test_real_full_disk_keeps_committed_answers(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "1m") as disk:
        home = disk / "home"
        with Store.open(home) as store:
            session = store.create_session(set_name="amazon-pm")
            kept = store.start_answer(session.id, question_id="kept", question_text="?")
            store.complete_answer(kept.id, duration_s=170, transcript="kept answer")
            rec = store.start_answer(session.id, question_id="q", question_text="?")
            filler = disk / "filler"
            with contextlib.suppress(OSError), filler.open("wb") as fh:
                while True:
                    fh.write(b"\0" * 65536)
            with pytest.raises(StorageError) as info:
                store.complete_answer(rec.id, duration_s=170, transcript="x " * 200_000)
            message = str(info.value)
            assert "\n" not in message and ("full" in message or "disk" in message), message
            filler.unlink()
        with Store.open(home) as store:
            assert store.get_answer(session.id, 1).transcript == "kept answer"
            assert store.answer(rec.id).status == "recording"  # recoverable later
            assert len(store.answers(session.id)) == 2


def test_read_only_data_dir(tmp_path: Path) -> None:
    """A real read-only directory: a read-only tmpfs as root (root ignores modes), else 0500."""
    as_root = os.geteuid() == 0
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(tmpfs(tmp_path / "disk", "4m")) if as_root else tmp_path
        home = base / "home"
        seeded = seed(home)

        def writable(yes: bool) -> None:
            if as_root:
                flag = "rw" if yes else "ro"
                subprocess.run(["mount", "-o", f"remount,{flag}", str(base)], check=True)
            else:
                home.chmod(0o700 if yes else 0o500)

        writable(False)
        try:
            with pytest.raises(StorageError) as info, Store.open(home) as store:
                store.create_session(set_name="nope")
        finally:
            writable(True)
        message = str(info.value)
        assert "\n" not in message and str(home) in message, message
        assert "read-only" in message, message
        with Store.open(home) as store:
            assert [s.session.id for s in store.list_sessions()] == [seeded.second, seeded.first]


def test_unusable_data_dir_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError, match="cannot use data directory") as info:
        Store.open(blocker / "home")
    assert "\n" not in str(info.value)
    home = tmp_path / "home"
    (home / "voicemock.db").mkdir(parents=True)
    with pytest.raises(StorageError, match="is a directory"):
        Store.open(home)


def test_sqlite_is_really_in_wal_with_foreign_keys(store: Store) -> None:
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # The FK is enforced, and SQLite's error is mapped to a one-line StorageError.
    with pytest.raises(StorageError, match="FOREIGN KEY"), store._write("test") as conn:
        conn.execute(
            "INSERT INTO answers (session_id, position, question_id, question_text,"
            " target_min_s, target_max_s, target_cap_s, started_at)"
            " VALUES (12345, 1, 'q', '?', 1, 2, 3, 'now')"
        )


def test_completing_an_answer_whose_session_was_deleted(store: Store) -> None:
    session = store.create_session(set_name="s")
    rec = store.start_answer(session.id, question_id="q", question_text="?")
    store.delete_session(session.id)
    with pytest.raises(InputError, match=f"no answer {rec.id}"):
        store.complete_answer(rec.id, duration_s=1.0, transcript="")


@pytest.mark.skipif(not hasattr(sqlite3.Connection, "setlimit"), reason="Python >= 3.11 API")
def test_listing_is_not_bound_by_sqlites_variable_limit(store: Store) -> None:
    """Old SQLite builds allow only 999 bound variables; listing must not need one per row."""
    for i in range(12):
        session = store.create_session(set_name=f"s{i}")
        rec = store.start_answer(session.id, question_id="q", question_text="?")
        store.complete_answer(rec.id, duration_s=170.0, transcript="")
    setlimit = getattr(store._conn, "setlimit")  # noqa: B009 - 3.11+, absent from 3.10 stubs
    setlimit(getattr(sqlite3, "SQLITE_LIMIT_VARIABLE_NUMBER"), 5)  # noqa: B009
    summaries = store.list_sessions(limit=None)
    assert len(summaries) == 12
    assert all((s.answer_count, s.in_window) == (1, 1) for s in summaries)
    assert [s.session.set_name for s in store.list_sessions(limit=3)] == ["s11", "s10", "s9"]


def test_times_written_by_other_tools_are_read(store: Store, voicemock_home: Path) -> None:
    session = store.create_session(set_name="s")
    conn = raw(voicemock_home)
    conn.execute(
        "UPDATE sessions SET started_at = '2024-05-01T09:00:00Z' WHERE id = ?", (session.id,)
    )
    assert store.get_session(session.id).started_at == T0
    conn.execute("UPDATE sessions SET started_at = 'yesterday' WHERE id = ?", (session.id,))
    with pytest.raises(StorageError, match="unreadable time 'yesterday'"):
        store.get_session(session.id)
