"""The database schema, built and upgraded by numbered migrations.

Each migration is a function ``mNNN_description(conn)`` registered in :data:`MIGRATIONS`,
in order. The names applied to a database are recorded in ``_migrations`` (id, name,
applied_at); :func:`migrate` applies the pending ones, each in its own transaction together
with its ``_migrations`` row, so a crash mid-upgrade leaves the database at the last
complete migration. A database that records a migration this version does not know was
written by a newer voicemock and is refused rather than misread.

Rules for adding one: append a new function (never edit or reorder a released one), keep
it pure SQL on the connection it is given, and do not commit inside it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

MigrationFn = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Migration:
    name: str
    apply: MigrationFn


MIGRATIONS: list[Migration] = []


def migration(fn: MigrationFn) -> MigrationFn:
    """Register ``fn`` as the next migration; its name is its function name."""
    MIGRATIONS.append(Migration(fn.__name__, fn))
    return fn


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute ``script`` statement by statement inside the caller's transaction.

    (``Connection.executescript`` would COMMIT first on Python <= 3.11, breaking the
    one-transaction-per-migration guarantee.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip() and not _only_comments(statement):
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:60]!r}")


def _only_comments(sql: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in sql.splitlines())


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE sessions (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- ids are never reused
            started_at    TEXT NOT NULL,                      -- ISO-8601 UTC
            ended_at      TEXT,
            set_name      TEXT,
            set_path      TEXT,
            model         TEXT,
            settings_json TEXT NOT NULL DEFAULT '{}',
            status        TEXT NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active', 'complete', 'interrupted')),
            pid           INTEGER,
            pid_start     TEXT                                -- see voicemock.storage.process
        );

        CREATE TABLE answers (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id     INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position       INTEGER NOT NULL CHECK (position >= 1),
            question_id    TEXT NOT NULL,
            question_text  TEXT NOT NULL,
            set_name       TEXT,
            target_min_s   REAL NOT NULL,
            target_max_s   REAL NOT NULL,
            target_cap_s   REAL NOT NULL,
            started_at     TEXT NOT NULL,
            ended_at       TEXT,
            audio_path     TEXT,                              -- relative to the data dir
            duration_s     REAL,
            transcript     TEXT,
            words_json     TEXT,
            analysis_json  TEXT,
            timing_verdict TEXT,                              -- copied from analysis_json
            overflow_count INTEGER NOT NULL DEFAULT 0,
            model          TEXT,
            status         TEXT NOT NULL DEFAULT 'recording'
                           CHECK (status IN ('recording', 'complete', 'interrupted', 'failed')),
            pid            INTEGER,
            pid_start      TEXT,
            error          TEXT,
            UNIQUE (session_id, position)
        );
        """,
    )


@migration
def m002_answer_indexes(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- "when was each question of a set last practised"
        CREATE INDEX answers_set_question_started
            ON answers (set_name, question_id, started_at);
        -- recordings left behind by a process that died
        CREATE INDEX answers_recording ON answers (status) WHERE status = 'recording';
        """,
    )


@migration
def m003_stories(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- The story bank: the 8-10 stories a candidate retells to whatever question comes.
        CREATE TABLE stories (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,  -- ids are never reused
            title           TEXT NOT NULL,
            summary         TEXT NOT NULL DEFAULT '',
            principles_json TEXT NOT NULL DEFAULT '[]',         -- canonical LP tags
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );
        CREATE UNIQUE INDEX stories_title ON stories (title COLLATE NOCASE);

        -- Which story an answer tells: at most one per answer. Deleting a story deletes
        -- its links and leaves the answers unlinked; deleting a session deletes its
        -- answers' links with them.
        CREATE TABLE answer_stories (
            answer_id INTEGER PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,
            story_id  INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            kind      TEXT NOT NULL CHECK (kind IN ('manual', 'automatic', 'created')),
            score     REAL,                                     -- similarity when suggested
            linked_at TEXT NOT NULL
        );
        CREATE INDEX answer_stories_story ON answer_stories (story_id);
        """,
    )


class NewerSchemaError(Exception):
    """The database records migrations this version of voicemock does not know."""

    def __init__(self, unknown: list[str]) -> None:
        super().__init__(", ".join(unknown))
        self.unknown = unknown


def ensure_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations ("
        " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)"
    )


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations recorded in the database, oldest first."""
    ensure_table(conn)
    return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY id")]


def pending(conn: sqlite3.Connection, upto: str | None = None) -> list[Migration]:
    """Migrations still to apply (up to and including ``upto``).

    Raises :class:`NewerSchemaError` when the database records a migration not in
    :data:`MIGRATIONS`.
    """
    done = set(applied(conn))
    known = {m.name for m in MIGRATIONS}
    unknown = sorted(done - known)
    if unknown:
        raise NewerSchemaError(unknown)
    if upto is not None and upto not in known:
        raise ValueError(f"no migration named {upto!r}")
    todo: list[Migration] = []
    for m in MIGRATIONS:
        if m.name not in done:
            todo.append(m)
        if m.name == upto:
            break
    return todo


def migrate(conn: sqlite3.Connection, upto: str | None = None) -> list[str]:
    """Apply pending migrations; returns the names applied (empty when up to date).

    ``conn`` must be in autocommit mode (``isolation_level=None``). Each migration runs in
    ``BEGIN IMMEDIATE`` so two processes opening a new database at once cannot both apply
    it: the second waits for the write lock, then finds nothing left to do.
    """
    done: list[str] = []
    if not pending(conn, upto):  # the common case, without taking the write lock
        return done
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            todo = pending(conn, upto)
            if not todo:
                conn.execute("COMMIT")
                return done
            step = todo[0]
            step.apply(conn)
            conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (step.name, datetime.now(timezone.utc).isoformat(timespec="milliseconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        done.append(step.name)
