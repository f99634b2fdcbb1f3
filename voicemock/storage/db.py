"""Practice sessions in SQLite: one session per round, one row per answer.

The database is ``voicemock.db`` in the data directory (mode 0700, file 0600); recordings
live beside it in ``audio/<session id>/<position>-<question slug>.wav`` (0600) and the
database stores their paths relative to the data directory, so the whole directory can be
moved or backed up as one.

Durability: every write is its own ``BEGIN IMMEDIATE`` transaction in WAL mode with
``synchronous=FULL``, so an answer is on disk the moment :meth:`Store.complete_answer`
returns, and a failed write (full disk, read-only file, locked database) rolls back only
itself and raises a one-line :class:`~voicemock.errors.StorageError`. A recording's row
and file exist from its first second (:meth:`Store.start_answer`); if the process dies,
:meth:`Store.recordings_to_recover` hands the recording to the next one.

One :class:`Store` may be shared between threads (the practice round commits an answer
while the next question is read aloud): a lock serialises use of its connection.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import shutil
import sqlite3
import stat
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from voicemock.analysis.document import AnalysisDoc, as_document
from voicemock.errors import DiskFullError, InputError, StorageError
from voicemock.files import PRIVATE_DIR_MODE, create_private, make_private, private_dir
from voicemock.storage import migrations
from voicemock.storage.checked import checked
from voicemock.storage.process import is_running, start_token
from voicemock.storage.records import (
    AnswerRecord,
    AnswerStatus,
    Clock,
    DeleteResult,
    Session,
    SessionStatus,
    SessionSummary,
    group_answers,
    utc_now,
    verdict_of,
)
from voicemock.storage.values import MAX_ID, dumps, iso, loads, parse_number, stored_time
from voicemock.timing import Target
from voicemock.transcript import WordDict

if TYPE_CHECKING:
    from voicemock.storage.stories import StoryBank

DB_NAME = "voicemock.db"
AUDIO_DIR = "audio"
EXPORT_FORMAT = "voicemock-session"
EXPORT_VERSION = 1

# -- the store -------------------------------------------------------------------------


class Store:
    """The session database. Open with :meth:`open`; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, home: Path, clock: Clock) -> None:
        self._conn = conn
        self.home = home
        self.path = home / DB_NAME
        self.audio_root = home / AUDIO_DIR
        self._clock = clock
        self._lock = threading.RLock()
        self._closed = False
        self.read_only: str | None = None
        """Why this store cannot write (the disk is full), or ``None``: it can."""

    # -- opening -----------------------------------------------------------------------
    @staticmethod
    def exists(home: Path) -> bool:
        """True when ``home`` already holds a database (nothing is created)."""
        return (home / DB_NAME).is_file()

    @classmethod
    def open(cls, home: Path, *, timeout: float = 5.0, clock: Clock = utc_now) -> Store:
        """Open (creating if needed) the database in ``home`` and apply pending migrations.

        ``timeout`` is how long to wait for another process's write lock. Raises
        :class:`StorageError` for an unusable directory, a corrupt or foreign file, a
        database written by a newer voicemock, or a lock held too long.
        """
        home = Path(home)
        path = home / DB_NAME
        _prepare_home(home)
        created = not path.exists()
        _prepare_db_file(path)
        try:
            try:
                conn = sqlite3.connect(
                    str(path),
                    timeout=timeout,
                    isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                    check_same_thread=False,  # shared between threads under self._lock
                )
            except sqlite3.Error as exc:
                raise _storage_error(path, "open the database", exc) from exc
            try:
                _configure(conn, path)
            except BaseException:
                conn.close()
                raise
        except StorageError:
            if created:  # a refused start leaves no empty database behind
                _remove_new_database(path)
            elif _disk_full(path):
                fallback = _open_read_only(path, home, clock)
                if fallback is not None:
                    return fallback
            raise
        except BaseException:
            if created:
                _remove_new_database(path)
            raise
        return cls(conn, home, clock)

    @property
    def stories(self) -> StoryBank:
        """The story bank and the answer-to-story links (:mod:`voicemock.storage.stories`)."""
        from voicemock.storage.stories import StoryBank

        return StoryBank(self)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("PRAGMA optimize")
                self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- sessions ----------------------------------------------------------------------
    def create_session(
        self,
        *,
        set_name: str | None,
        set_path: str | Path | None = None,
        model: str | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> Session:
        """Start a round (status ``active``, owned by this process)."""
        with self._write("save the new session") as conn:
            cur = conn.execute(
                "INSERT INTO sessions (started_at, set_name, set_path, model, settings_json,"
                " status, pid, pid_start) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)",
                (
                    iso(self._clock()),
                    set_name,
                    str(set_path) if set_path is not None else None,
                    model,
                    dumps(dict(settings or {})),
                    os.getpid(),
                    start_token(),
                ),
            )
            session_id = cur.lastrowid
        assert session_id is not None
        return self.get_session(session_id)

    def finish_session(self, session_id: int, status: SessionStatus = "complete") -> Session:
        """End a round: ``complete`` or ``interrupted``; records the end time."""
        if status not in ("complete", "interrupted"):
            raise ValueError(f"a session ends as complete or interrupted, not {status!r}")
        with self._write("finish the session") as conn:
            cur = conn.execute(
                "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                (status, iso(self._clock()), session_id),
            )
            if cur.rowcount == 0:
                raise _no_session(session_id)
        return self.get_session(session_id)

    def get_session(self, session_id: int) -> Session:
        if not 0 < session_id <= MAX_ID:
            raise _no_session(session_id)
        with self._read("read the session") as conn:
            row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise _no_session(session_id)
        return _session(row)

    def latest_session(self) -> Session | None:
        with self._read("read the latest session") as conn:
            row = conn.execute(
                "SELECT * FROM sessions ORDER BY started_at DESC, id DESC LIMIT 1"
            ).fetchone()
        return None if row is None else _session(row)

    def resolve_session(self, spec: str) -> Session:
        """A session from what a user typed: its id, or ``latest``."""
        text = spec.strip().lstrip("#")
        if text.lower() == "latest":
            latest = self.latest_session()
            if latest is None:
                raise InputError("no sessions yet — run `voicemock practice` first")
            return latest
        number = parse_number(text)
        if number is None:
            raise InputError(
                f"{_shown(spec)} is not a session: give its number from"
                " `voicemock sessions list` or `latest`"
            )
        return self.get_session(number)

    def count_sessions(self) -> int:
        with self._read("count sessions") as conn:
            return int(conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])

    def list_sessions(self, limit: int | None = 20) -> list[SessionSummary]:
        """The newest ``limit`` sessions (all when ``None``) with their answer figures."""
        if limit is not None and limit > MAX_ID:
            limit = None  # more than any database can hold: all of them
        with self._read("list sessions") as conn:
            rows = conn.execute(
                "SELECT * FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
            answers: dict[int, list[sqlite3.Row]] = {r["id"]: [] for r in rows}
            for a in conn.execute(
                "SELECT session_id, status, duration_s, timing_verdict, target_min_s,"
                " target_max_s, target_cap_s FROM answers WHERE parent_id IS NULL AND session_id IN"
                " (SELECT id FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?)",
                (-1 if limit is None else limit,),
            ):
                if a["session_id"] in answers:
                    answers[a["session_id"]].append(a)
        return [_summary(_session(r), answers[r["id"]]) for r in rows]

    def stale_sessions(self) -> list[Session]:
        """Sessions still marked ``active`` whose process is gone (crash, kill, reboot).

        The practice round recovers their recordings, then marks them with
        ``finish_session(id, "interrupted")``.
        """
        with self._read("look for unfinished sessions") as conn:
            rows = conn.execute(
                "SELECT * FROM sessions WHERE status = 'active' ORDER BY id"
            ).fetchall()
        return [s for s in map(_session, rows) if s.abandoned]

    def delete_session(self, session_id: int) -> DeleteResult:
        """Remove a session, its answers and its audio (tolerating files already gone).

        Refuses a session another process is recording right now.
        """
        session = self.get_session(session_id)
        if session.running and session.pid != os.getpid():
            raise InputError(
                f"session {session_id} is being recorded right now (process {session.pid});"
                " finish or stop that round first"
            )
        with self._write("delete the session") as conn:
            paths = self._audio_paths(conn, session_id)
            count = conn.execute(
                "SELECT COUNT(*) FROM answers WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))  # cascades
        removed = self._remove_audio(paths)
        if removed.failures:
            first, more = removed.failures[0], len(removed.failures) - 1
            extra = f" (and {more} more)" if more else ""
            raise StorageError(
                f"session {session_id} deleted, but its audio could not all be removed:"
                f" {first}{extra}"
            )
        return DeleteResult(session, int(count), removed.files, removed.size, removed.left)

    def _audio_paths(self, conn: sqlite3.Connection, session_id: int) -> list[str]:
        """Every audio file the database lists for the session (relative to the home).

        These, and only these, are what deleting the session removes: a table that stores
        more recordings of a session must add its paths here.
        """
        return [
            r[0]
            for r in conn.execute(
                "SELECT audio_path FROM answers WHERE session_id = ? AND audio_path IS NOT NULL",
                (session_id,),
            )
            if isinstance(r[0], str)
        ]

    # -- answers -----------------------------------------------------------------------
    def start_answer(
        self,
        session_id: int,
        *,
        question_id: str,
        question_text: str,
        set_name: str | None = None,
        target: Target | None = None,
        model: str | None = None,
        started_at: datetime | None = None,
        audio_suffix: str = ".wav",
        parent_id: int | None = None,
        follow_up: Mapping[str, Any] | None = None,
    ) -> AnswerRecord:
        """Record that an answer is starting, before the first sample is captured.

        Commits a row with status ``recording`` (owned by this process) and creates its
        empty audio file (mode 0600) so the recorder writes into ``record.audio_path`` and
        a crash leaves something to recover. Open it for writing without replacing it
        (``open(path, "wb")``, ``soundfile.SoundFile(path, "w", ...)``) to keep its mode.
        ``set_name`` defaults to the session's. A reply to a follow-up question gives
        ``parent_id``, the main answer it follows (in the same session), and ``follow_up``,
        why it was asked (see :attr:`AnswerRecord.follow_up`); ``question_text`` is then
        the follow-up question.
        """
        target = target or Target()
        created: Path | None = None
        new_dir: Path | None = None
        try:
            with self._write("start the answer") as conn:
                owner = conn.execute(
                    "SELECT set_name FROM sessions WHERE id = ?", (session_id,)
                ).fetchone()
                if owner is None:
                    raise _no_session(session_id)
                if set_name is None:
                    set_name = owner["set_name"]
                if parent_id is not None:
                    parent = conn.execute(
                        "SELECT session_id FROM answers WHERE id = ?", (parent_id,)
                    ).fetchone()
                    if parent is None or parent["session_id"] != session_id:
                        raise InputError(
                            f"answer {parent_id} is not an answer of session {session_id}"
                        )
                position = int(
                    conn.execute(
                        "SELECT COALESCE(MAX(position), 0) + 1 FROM answers WHERE session_id = ?",
                        (session_id,),
                    ).fetchone()[0]
                )
                directory, fresh = self._session_audio_dir(conn, session_id)
                new_dir = directory if fresh else None
                created = self._create_audio_file(directory, position, question_id, audio_suffix)
                cur = conn.execute(
                    "INSERT INTO answers (session_id, position, question_id, question_text,"
                    " set_name, target_min_s, target_max_s, target_cap_s, started_at,"
                    " audio_path, model, status, pid, pid_start, parent_id, follow_up_json)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'recording', ?, ?, ?, ?)",
                    (
                        session_id,
                        position,
                        question_id,
                        question_text,
                        set_name,
                        target.min_s,
                        target.max_s,
                        target.cap_s,
                        iso(started_at or self._clock()),
                        created.relative_to(self.home).as_posix(),
                        model,
                        os.getpid(),
                        start_token(),
                        parent_id,
                        None if follow_up is None else dumps(dict(follow_up)),
                    ),
                )
                answer_id = cur.lastrowid
        except BaseException:
            if created is not None:  # the row was not committed: leave no orphan file
                with contextlib.suppress(OSError):
                    created.unlink()
            if new_dir is not None:  # ... nor an empty folder
                with contextlib.suppress(OSError):
                    new_dir.rmdir()
            raise
        assert answer_id is not None
        return self.answer(answer_id)

    def complete_answer(
        self,
        answer_id: int,
        *,
        duration_s: float | None,
        transcript: str,
        words: Sequence[WordDict] = (),
        analysis: AnalysisDoc | None = None,
        overflow_count: int = 0,
        status: Literal["complete", "interrupted"] = "complete",
        ended_at: datetime | None = None,
        model: str | None = None,
    ) -> AnswerRecord:
        """Store an analysed answer (``interrupted`` for one recovered after a crash).

        ``words`` are ``Word.to_dict()`` items; ``analysis`` is ``Analysis.to_dict()``.
        ``model`` overrides the one given at the start (the model that transcribed it).
        If this raises, the row stays as it was (``recording``), so it is recovered later.
        """
        if status not in ("complete", "interrupted"):
            raise ValueError(f"an answer is stored as complete or interrupted, not {status!r}")
        record = self.answer(answer_id)
        verdict = verdict_of(as_document(analysis), duration_s, record.target)
        with self._write("save the answer") as conn:
            cur = conn.execute(
                "UPDATE answers SET status = ?, ended_at = ?, duration_s = ?, transcript = ?,"
                " words_json = ?, analysis_json = ?, timing_verdict = ?, overflow_count = ?,"
                " model = COALESCE(?, model), error = NULL WHERE id = ?",
                (
                    status,
                    iso(ended_at or self._clock()),
                    None if duration_s is None else float(duration_s),
                    transcript,
                    dumps([dict(w) for w in words]),
                    dumps(analysis or {}),
                    verdict,
                    int(overflow_count),
                    model,
                    answer_id,
                ),
            )
            if cur.rowcount == 0:
                raise InputError(f"no answer {answer_id} (its session was deleted?)")
        return self.answer(answer_id)

    def fail_answer(
        self, answer_id: int, error: str, *, duration_s: float | None = None
    ) -> AnswerRecord:
        """Mark an answer that could not be analysed (e.g. no speech); its audio is kept."""
        with self._write("save the failed answer") as conn:
            cur = conn.execute(
                "UPDATE answers SET status = 'failed', error = ?, ended_at = ?,"
                " duration_s = COALESCE(?, duration_s) WHERE id = ?",
                (error, iso(self._clock()), duration_s, answer_id),
            )
            if cur.rowcount == 0:
                raise InputError(f"no answer {answer_id}")
        return self.answer(answer_id)

    def set_follow_up(self, answer_id: int, follow_up: Mapping[str, Any]) -> AnswerRecord:
        """Store why a reply was asked and whether it closed its gap (JSON)."""
        with self._write("save the follow-up") as conn:
            cur = conn.execute(
                "UPDATE answers SET follow_up_json = ? WHERE id = ?",
                (dumps(dict(follow_up)), answer_id),
            )
            if cur.rowcount == 0:
                raise InputError(f"no answer {answer_id}")
        return self.answer(answer_id)

    def set_scorecard(self, session_id: int, scorecard: Mapping[str, Any]) -> Session:
        """Store an interview's bar-raiser scorecard with its session."""
        with self._write("save the scorecard") as conn:
            cur = conn.execute(
                "UPDATE sessions SET scorecard_json = ? WHERE id = ?",
                (dumps(dict(scorecard)), session_id),
            )
            if cur.rowcount == 0:
                raise _no_session(session_id)
        return self.get_session(session_id)

    def answer(self, answer_id: int) -> AnswerRecord:
        if not 0 < answer_id <= MAX_ID:
            raise InputError(f"no answer {_number(answer_id)}")
        with self._read("read the answer") as conn:
            row = conn.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
        if row is None:
            raise InputError(f"no answer {answer_id}")
        return self._answer(row)

    def answers(self, session_id: int) -> list[AnswerRecord]:
        """The session's answers in the order they were given, replies to follow-up
        questions included (see :func:`~voicemock.storage.records.group_answers`)."""
        with self._read("read the answers") as conn:
            rows = conn.execute(
                "SELECT * FROM answers WHERE session_id = ? ORDER BY position", (session_id,)
            ).fetchall()
        return [self._answer(r) for r in rows]

    def all_answers(
        self,
        *,
        since: datetime | None = None,
        statuses: Sequence[AnswerStatus] = ("complete", "interrupted"),
        replies: bool = False,
    ) -> list[AnswerRecord]:
        """Answers of every session (started at or after ``since``), oldest first.

        Replies to follow-up questions are left out unless ``replies``: they answer
        another question, against another window, and would skew progress and coverage.
        """
        marks = ", ".join("?" for _ in statuses)
        query = f"SELECT * FROM answers WHERE status IN ({marks})"
        if not replies:
            query += " AND parent_id IS NULL"
        params: list[Any] = list(statuses)
        if since is not None:
            query += " AND started_at >= ?"
            params.append(iso(since))
        with self._read("read the answers") as conn:
            rows = conn.execute(query + " ORDER BY started_at, id", params).fetchall()
        return [self._answer(r) for r in rows]

    def last_main_answer(self) -> AnswerRecord | None:
        """The latest analysed main answer (not a reply): the last question practised."""
        with self._read("read the answers") as conn:
            row = conn.execute(
                "SELECT * FROM answers WHERE status IN ('complete', 'interrupted')"
                " AND parent_id IS NULL ORDER BY started_at DESC, id DESC LIMIT 1"
            ).fetchone()
        return None if row is None else self._answer(row)

    def question_answers(self, set_name: str | None, question_id: str) -> list[AnswerRecord]:
        """Every analysed main answer to one question of one set, oldest first: the
        attempts at it."""
        with self._read("read the answers") as conn:
            rows = conn.execute(
                "SELECT * FROM answers WHERE set_name IS ? AND question_id = ?"
                " AND status IN ('complete', 'interrupted') AND parent_id IS NULL"
                " ORDER BY started_at, id",
                (set_name, question_id),
            ).fetchall()
        return [self._answer(r) for r in rows]

    def get_answer(self, session_id: int, position: int) -> AnswerRecord:
        if not (0 < session_id <= MAX_ID and 0 < position <= MAX_ID):
            raise InputError(f"session {_number(session_id)} has no answer {_number(position)}")
        with self._read("read the answer") as conn:
            row = conn.execute(
                "SELECT * FROM answers WHERE session_id = ? AND position = ?",
                (session_id, position),
            ).fetchone()
        if row is None:
            raise InputError(f"session {session_id} has no answer {position}")
        return self._answer(row)

    def recordings_to_recover(self, *, claim: bool = True) -> list[AnswerRecord]:
        """Answers left ``recording`` by a process that is gone (Ctrl-C, crash, SIGKILL).

        A recording counts as orphaned when its pid is dead, is a zombie, belongs to
        another user, or now names a different process (the start token differs: pid
        reuse or a reboot). With ``claim`` (the default) each one is atomically taken over
        by this process, so two voicemocks starting together never both recover it, and
        if this one dies too the next start finds it again. Finish each with
        ``complete_answer(..., status="interrupted")`` or ``fail_answer``.
        """
        with self._lock:
            with self._read("look for interrupted recordings") as conn:
                rows = conn.execute(
                    "SELECT * FROM answers WHERE status = 'recording' ORDER BY id"
                ).fetchall()
            me, token = os.getpid(), start_token()
            found: list[AnswerRecord] = []
            for row in rows:
                if is_running(row["pid"], row["pid_start"]):
                    continue
                if not claim:
                    found.append(self._answer(row))
                    continue
                with self._write("claim the interrupted recording") as conn:
                    cur = conn.execute(
                        "UPDATE answers SET pid = ?, pid_start = ? WHERE id = ?"
                        " AND status = 'recording' AND pid IS ? AND pid_start IS ?",
                        (me, token, row["id"], row["pid"], row["pid_start"]),
                    )
                if cur.rowcount == 1:
                    found.append(self.answer(row["id"]))
            return found

    def last_practised(self, set_name: str | None) -> dict[str, datetime]:
        """When each question of ``set_name`` was last answered (complete or interrupted)."""
        with self._read("read practice history") as conn:
            rows = conn.execute(
                "SELECT question_id, MAX(started_at) FROM answers WHERE set_name IS ?"
                " AND status IN ('complete', 'interrupted') AND parent_id IS NULL"
                " GROUP BY question_id",
                (set_name,),
            ).fetchall()
        return {qid: stored_time(when) for qid, when in rows}

    def export(self, session_id: int) -> dict[str, Any]:
        """The session, its answers and their full analysis as JSON-ready data.

        The format is documented in README.md (``## Sessions``).
        """
        with self._lock, self._read("export the session"):
            session = self.get_session(session_id)
            answers = self.answers(session_id)
            told = self.stories.told(a.id for a in answers)
        body = session.to_dict()
        body["answers"] = [group.to_dict() for group in group_answers(answers)]
        for answer in body["answers"]:
            story = told.get(answer["id"])
            answer["story"] = story.to_dict() if story is not None else None
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": iso(self._clock()),
            "session": body,
        }

    # -- internals ---------------------------------------------------------------------
    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _storage_error(self.path, action, exc) from exc
        except OverflowError as exc:  # a number beyond SQLite's 64-bit integers
            raise InputError(f"cannot {action}: a number given is too large") from exc

    @contextlib.contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back whole if anything in it fails."""
        with self._lock, self._guard(action):
            if self.read_only is not None:
                raise DiskFullError(f"cannot {action}: {self.read_only}; free some space")
            conn = self._live()
            conn.execute("BEGIN IMMEDIATE")
            done = False
            try:
                yield conn
                conn.execute("COMMIT")
                done = True
            finally:
                if not done and conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def _read(self, action: str) -> Iterator[sqlite3.Connection]:
        """Reads that see one consistent snapshot (nested reads share it)."""
        with self._lock, self._guard(action):
            conn = self._live()
            nested = conn.in_transaction
            if not nested:
                conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if not nested:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("COMMIT")  # read-only: ends the snapshot

    def _live(self) -> sqlite3.Connection:
        if self._closed:
            raise StorageError(f"the session database {self.path} is already closed")
        return self._conn

    def _answer(self, row: sqlite3.Row) -> AnswerRecord:
        rel = row["audio_path"]
        try:
            target = Target(row["target_min_s"], row["target_max_s"], row["target_cap_s"])
        except ValueError:  # a hand-edited row: show it with the default window
            target = Target()
        return AnswerRecord(
            id=row["id"],
            session_id=row["session_id"],
            position=row["position"],
            question_id=row["question_id"],
            question_text=row["question_text"],
            set_name=row["set_name"],
            target=target,
            started_at=stored_time(row["started_at"]),
            ended_at=stored_time(row["ended_at"], None),
            audio_path=self.home / rel if isinstance(rel, str) and rel else None,
            duration_s=_finite(row["duration_s"]),
            transcript=row["transcript"] if isinstance(row["transcript"], str) else None,
            words=checked(loads(row["words_json"], []), list[WordDict]) or [],
            analysis=checked(as_document(loads(row["analysis_json"], None)), AnalysisDoc),
            overflow_count=row["overflow_count"],
            model=row["model"],
            status=row["status"],
            pid=row["pid"],
            pid_start=row["pid_start"],
            error=row["error"],
            parent_id=row["parent_id"],
            follow_up=_json_object(row["follow_up_json"]),
        )

    def _session_audio_dir(self, conn: sqlite3.Connection, session_id: int) -> tuple[Path, bool]:
        """The session's audio folder, and whether it was made just now.

        The folder of its earlier answers; for its first answer a new one, ``audio/<id>``
        or, when that exists (recordings of an earlier database, kept after that database
        was lost or moved aside), ``audio/<id>-2``, ``-3``…: a folder that exists is never
        taken over, so deleting this session can never touch older recordings.
        """
        row = conn.execute(
            "SELECT audio_path FROM answers WHERE session_id = ? AND audio_path IS NOT NULL"
            " ORDER BY position LIMIT 1",
            (session_id,),
        ).fetchone()
        parts = _audio_parts(row[0]) if row is not None else None
        if parts is not None:
            directory = self.audio_root / parts[0]
            if directory.is_dir() and not directory.is_symlink():
                return directory, False
        try:
            private_dir(self.audio_root)
            for n in range(1, 1000):
                directory = self.audio_root / (str(session_id) + (f"-{n}" if n > 1 else ""))
                try:
                    directory.mkdir(mode=PRIVATE_DIR_MODE)
                except FileExistsError:
                    continue  # an older database's recordings (or anything else): not ours
                private_dir(directory)  # exactly 0700, whatever the umask
                return directory, True
        except OSError as exc:
            raise StorageError(
                f"cannot create the audio folder in {self.audio_root}: {_os_reason(exc)}"
            ) from exc
        raise StorageError(f"cannot create an audio folder in {self.audio_root}: too many taken")

    def _create_audio_file(
        self, directory: Path, position: int, question_id: str, suffix: str
    ) -> Path:
        """Create ``<directory>/<position>-<slug><suffix>`` empty with mode 0600."""
        try:
            stem = f"{position}-{_slug(question_id)}"
            for n in range(1, 100):
                path = directory / (stem + (f"-{n}" if n > 1 else "") + suffix)
                try:
                    os.close(create_private(path))
                except FileExistsError:
                    continue  # never overwrite a file (or follow a link) already there
                return path
            raise StorageError(f"cannot create an audio file in {directory}: too many leftovers")
        except OSError as exc:
            raise StorageError(
                f"cannot create the audio file in {directory}: {_os_reason(exc)}"
            ) from exc

    def _remove_audio(self, rel_paths: list[str]) -> _Removed:
        """Delete exactly the files listed (relative paths ``audio/<folder>/<file>``).

        Never through a symbolic link: the session folder is opened with ``O_NOFOLLOW``
        and every file is removed relative to it, so a folder or file replaced by a link
        is left alone (and named in ``left``), as is anything the database does not list;
        the folder itself goes only once it is empty.
        """
        removed = _Removed()
        folders: dict[str, list[str]] = {}
        for rel in rel_paths:
            parts = _audio_parts(rel)
            if parts is None:
                removed.left.append(f"{rel}: not in the audio folder")
                continue
            folders.setdefault(parts[0], []).append(parts[1])
        if not folders:
            return removed
        try:
            root = os.open(self.audio_root, os.O_RDONLY | _O_DIRECTORY)
        except FileNotFoundError:
            return removed
        except OSError as exc:
            removed.failures.append(f"{self.audio_root}: {_os_reason(exc)}")
            return removed
        try:
            for folder, names in folders.items():
                self._remove_in(root, folder, names, removed)
        finally:
            os.close(root)
        return removed

    def _remove_in(self, root: int, folder: str, names: list[str], removed: _Removed) -> None:
        where = self.audio_root / folder
        try:
            fd = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW, dir_fd=root)
        except FileNotFoundError:
            return
        except OSError as exc:
            if where.is_symlink() or exc.errno in (errno.ELOOP, errno.ENOTDIR):
                removed.left.append(f"{where}: not a folder voicemock made (a link?); left alone")
            else:
                removed.failures.append(f"{where}: {_os_reason(exc)}")
            return
        try:
            for name in names:
                try:
                    info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    removed.failures.append(f"{where / name}: {_os_reason(exc)}")
                    continue
                if not stat.S_ISREG(info.st_mode):
                    removed.left.append(f"{where / name}: not a recording (a link?); left alone")
                    continue
                try:
                    os.unlink(name, dir_fd=fd)
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    removed.failures.append(f"{where / name}: {_os_reason(exc)}")
                    continue
                removed.files += 1
                removed.size += info.st_size
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):  # not empty: it holds what is not ours to delete
            os.rmdir(folder, dir_fd=root)


# -- helpers ---------------------------------------------------------------------------

_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass
class _Removed:
    files: int = 0
    size: int = 0
    failures: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def _audio_parts(rel: object) -> tuple[str, str] | None:
    """(folder, file) of a stored ``audio/<folder>/<file>`` path; ``None`` for anything
    else (absolute, ``..``, deeper, elsewhere)."""
    if not isinstance(rel, str) or "\x00" in rel:
        return None
    parts = rel.split("/")
    if len(parts) != 3 or parts[0] != AUDIO_DIR:
        return None
    if any(p in ("", ".", "..") for p in parts[1:]):
        return None
    return parts[1], parts[2]


def _prepare_home(home: Path) -> None:
    try:
        private_dir(home, parents=True)
    except OSError as exc:
        raise StorageError(f"cannot use data directory {home}: {_os_reason(exc)}") from exc


def _prepare_db_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask)."""
    try:
        if path.is_dir():
            raise StorageError(f"{path} is a directory, not the session database")
        make_private(path)
    except OSError as exc:
        raise StorageError(f"cannot create the session database {path}: {_os_reason(exc)}") from exc


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    conn.row_factory = sqlite3.Row
    try:
        # The first statement that reads the file: a corrupt or foreign file fails here.
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables - {"sqlite_sequence"} and "_migrations" not in tables:
            raise StorageError(
                f"{path} is an SQLite database but not voicemock's"
                f" (it holds {', '.join(sorted(tables)[:3])}); move it aside"
            )
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StorageError(f"cannot use {path}: the file system does not support WAL mode")
        conn.execute("PRAGMA synchronous = FULL")  # a committed answer survives power loss
        conn.execute("PRAGMA foreign_keys = ON")
        migrations.migrate(conn)
        row = conn.execute("PRAGMA foreign_keys").fetchone()
        if not row or row[0] != 1:
            raise StorageError("this SQLite build cannot enforce foreign keys")
    except migrations.NewerSchemaError as exc:
        raise StorageError(
            f"{path} was written by a newer voicemock (it records migration"
            f" {', '.join(exc.unknown)}); upgrade voicemock to use it"
        ) from exc
    except sqlite3.Error as exc:
        raise _storage_error(path, "open the database", exc) from exc


def _storage_error(path: Path, action: str, exc: sqlite3.Error) -> StorageError:
    """One line a user can act on, from whatever SQLite said."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in low or "busy" in low:
        return StorageError(
            f"cannot {action}: {path} is locked by another program (another voicemock"
            " still running?); try again in a moment"
        )
    if (
        name.startswith("SQLITE_FULL")
        or "disk is full" in low
        or ((name.startswith("SQLITE_IOERR") or "disk i/o error" in low) and _disk_full(path))
    ):
        return DiskFullError(f"cannot {action}: {_full_disk_reason(path)}; free some space")
    if name.startswith("SQLITE_READONLY") or "readonly" in low or "read-only" in low:
        return StorageError(f"cannot {action}: {path} or its directory is read-only")
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or (
        "not a database" in low or "malformed" in low
    ):
        return StorageError(
            f"{path} is corrupt or not a voicemock database ({text}); move it aside to start afresh"
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in low:
        if not os.access(path.parent, os.W_OK):  # WAL needs its side files beside the db
            return StorageError(f"cannot open {path}: its directory is read-only")
        return StorageError(f"cannot open {path}: {text}")
    return StorageError(f"cannot {action} ({path}): {text}")


def _no_session(session_id: int) -> InputError:
    return InputError(f"no session {_number(session_id)} (see `voicemock sessions list`)")


def _number(value: int, width: int = 24) -> str:
    """A number for a message, cut when it is absurdly long."""
    text = str(value) if value <= MAX_ID else "beyond any session"
    return text if len(text) <= width else text[: width - 1] + "…"


def _shown(text: str, width: int = 24) -> str:
    """A user's value for a message: repr'd, and cut if it is long."""
    return repr(text) if len(text) <= width else repr(text[: width - 1]) + "…"


def _finite(value: object) -> float | None:
    """A stored number, or ``None`` for anything that is not a finite number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


LOW_SPACE_BYTES = 1_000_000
"""With less free space than this, a failed write is taken to be a full disk."""


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def _full_disk_reason(path: Path) -> str:
    try:
        free = shutil.disk_usage(path.parent).free
        left = f" ({free // 1000:,} kB free)" if free else ""
    except OSError:
        left = ""
    return f"the disk holding {path} is full{left}"


def _remove_new_database(path: Path) -> None:
    """Remove the database file this open created (and SQLite's side files), if empty."""
    for side in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            if side == path and side.stat().st_size > 0:
                continue  # something was written after all: keep it
            side.unlink()


def _open_read_only(path: Path, home: Path, clock: Clock) -> Store | None:
    """The database opened read-only when the disk is too full to open it normally.

    SQLite needs room for its write-ahead log to open a database at all; a full disk
    would stop even ``sessions list``. An *immutable* read-only connection needs none,
    and is exact as long as the log holds nothing (it is folded back and emptied when the
    last connection closes). Writes then fail, saying the disk is full. ``None`` when the log
    still holds transactions or the schema is not current.
    """
    from urllib.parse import quote

    wal = path.with_name(path.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size > 0:
            return None
        conn = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro&immutable=1",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
    except (OSError, sqlite3.Error):
        return None
    try:
        conn.row_factory = sqlite3.Row
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_migrations" not in tables or migrations.pending(conn):
            conn.close()
            return None
    except (sqlite3.Error, migrations.NewerSchemaError):
        conn.close()
        return None
    store = Store(conn, home, clock)
    store.read_only = _full_disk_reason(path)
    return store


def _session(row: sqlite3.Row) -> Session:
    settings = loads(row["settings_json"], {})
    return Session(
        id=row["id"],
        started_at=stored_time(row["started_at"]),
        ended_at=stored_time(row["ended_at"], None),
        set_name=row["set_name"],
        set_path=row["set_path"],
        model=row["model"],
        settings=settings if isinstance(settings, dict) else {},
        status=row["status"],
        pid=row["pid"],
        pid_start=row["pid_start"],
        scorecard=_json_object(row["scorecard_json"]),
    )


def _json_object(text: str | None) -> dict[str, Any] | None:
    value = loads(text, None)
    return value if isinstance(value, dict) else None


def _summary(session: Session, answers: list[sqlite3.Row]) -> SessionSummary:
    durations = [d for a in answers if (d := _finite(a["duration_s"])) is not None]
    in_window = 0
    for a in answers:
        verdict = a["timing_verdict"]
        duration = _finite(a["duration_s"])
        if verdict is None and duration is not None and a["status"] != "failed":
            verdict = verdict_of(None, duration, _safe_target(a))
        in_window += verdict == "on_target"
    total = float(sum(durations))
    return SessionSummary(
        session=session,
        answer_count=len(answers),
        in_window=in_window,
        timed_count=len(durations),
        total_duration_s=total,
        avg_duration_s=total / len(durations) if durations else None,
    )


def _safe_target(row: sqlite3.Row) -> Target:
    try:
        return Target(row["target_min_s"], row["target_max_s"], row["target_cap_s"])
    except ValueError:
        return Target()


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:48].strip("-")
    return slug or "answer"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
