"""The story bank in the session database: stories, and which story each answer tells.

Reached as ``store.stories`` (a :class:`StoryBank` over the same connection, lock and
transactions as the rest of :class:`~voicemock.storage.Store`)::

    bank = store.stories
    story = bank.add("Checkout payment form", summary="...", principles=("ownership",))
    bank.link(answer.id, story.id, kind="automatic", score=0.41)
    for record, link in bank.tellings(story.id):   # oldest first
        ...
    bank.remove(story.id)                          # its answers stay, unlinked

Tables (migration ``m003_stories``): ``stories`` and ``answer_stories`` (one row per
linked answer: ``story_id``, ``kind`` = manual | automatic | created, ``score``).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

from voicemock.errors import InputError
from voicemock.storage.values import MAX_ID, dumps, iso, loads, parse_number, stored_time

if TYPE_CHECKING:
    from voicemock.storage.records import AnswerRecord, Clock
    from voicemock.stories.similarity import StoryText


class Tables(Protocol):
    """What the story bank uses of :class:`~voicemock.storage.Store` (its connection,
    lock and clock), named here so that the bank need not import the store."""

    _clock: Clock

    def _write(self, action: str) -> AbstractContextManager[sqlite3.Connection]: ...

    def _read(self, action: str) -> AbstractContextManager[sqlite3.Connection]: ...

    def _answer(self, row: sqlite3.Row) -> AnswerRecord: ...

    def answer(self, answer_id: int) -> AnswerRecord: ...


LinkKind = Literal["manual", "automatic", "created"]
LINK_KINDS: tuple[str, ...] = get_args(LinkKind)

MAX_TITLE = 120
MAX_SUMMARY = 4000


@dataclass(frozen=True)
class Story:
    id: int
    title: str
    summary: str
    principles: tuple[str, ...]
    """Canonical Leadership Principle tags, as the user declared them."""
    created_at: datetime
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "principles": list(self.principles),
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


@dataclass(frozen=True)
class StoryLink:
    """An answer told as a story: how it was linked and, if suggested, its score."""

    answer_id: int
    story_id: int
    kind: LinkKind
    score: float | None
    linked_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer_id": self.answer_id,
            "story_id": self.story_id,
            "kind": self.kind,
            "score": self.score,
            "linked_at": iso(self.linked_at),
        }


@dataclass(frozen=True)
class ToldStory:
    """The story an answer tells, as review and export show it."""

    story_id: int
    title: str
    kind: LinkKind
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.story_id, "title": self.title, "kind": self.kind, "score": self.score}

    @property
    def how(self) -> str:
        """How it came to be linked, in a few words."""
        if self.kind == "manual":
            return "linked by you"
        if self.kind == "created":
            return "a new story made from this answer"
        if self.score is not None:
            return f"linked automatically, match {self.score:.2f}"
        return "linked automatically"


@dataclass(frozen=True)
class StorySummary:
    """A story with the figures ``stories list`` shows."""

    story: Story
    tellings: int
    last_told: datetime | None


@dataclass(frozen=True)
class RemoveResult:
    story: Story
    unlinked: int
    """Answers that were linked to it (they are kept, now unlinked)."""


def clean_title(title: str) -> str:
    """A title as stored: one line, trimmed; :class:`InputError` when empty or too long."""
    text = " ".join(unicodedata.normalize("NFC", title).split())
    if not text:
        raise InputError("a story needs a title")
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InputError("the title holds control characters")
    if len(text) > MAX_TITLE:
        raise InputError(f"the title is {len(text)} characters long; keep it under {MAX_TITLE}")
    return text


def clean_summary(summary: str) -> str:
    """A summary as stored: trimmed lines; :class:`InputError` when too long or binary."""
    text = unicodedata.normalize("NFC", summary).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise InputError("the summary holds control characters")
    if len(text) > MAX_SUMMARY:
        raise InputError(f"the summary is {len(text)} characters long; keep it under {MAX_SUMMARY}")
    return text


class StoryBank:
    """Stories and answer links in one :class:`~voicemock.storage.Store`."""

    def __init__(self, store: Tables) -> None:
        self._store = store

    # -- stories -----------------------------------------------------------------------
    def add(self, title: str, *, summary: str = "", principles: Sequence[str] = ()) -> Story:
        """A new story; :class:`InputError` if another story has that title."""
        title, summary = clean_title(title), clean_summary(summary)
        now = iso(self._store._clock())
        with self._store._write("save the story") as conn:
            self._refuse_duplicate(conn, title)
            cur = conn.execute(
                "INSERT INTO stories (title, summary, principles_json, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (title, summary, dumps(list(principles)), now, now),
            )
            story_id = cur.lastrowid
        assert story_id is not None
        return self.get(story_id)

    def get(self, story_id: int) -> Story:
        if not 0 < story_id <= MAX_ID:
            raise _no_story(story_id)
        with self._store._read("read the story") as conn:
            row = conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise _no_story(story_id)
        return _story(row)

    def resolve(self, spec: str) -> Story:
        """A story from what the user typed: its number (``3`` or ``#3``)."""
        number = parse_number(spec.strip().lstrip("#"))
        if number is None:
            raise InputError(
                f"{_shown(spec)} is not a story: give its number from `voicemock stories list`"
            )
        return self.get(number)

    def all(self) -> list[Story]:
        with self._store._read("read the stories") as conn:
            rows = conn.execute("SELECT * FROM stories ORDER BY id").fetchall()
        return [_story(r) for r in rows]

    def summaries(self) -> list[StorySummary]:
        """Every story, oldest first, with how often and when it was last told."""
        with self._store._read("list the stories") as conn:
            rows = conn.execute(
                "SELECT s.*, COUNT(a.id) AS tellings, MAX(a.started_at) AS last_told"
                " FROM stories s LEFT JOIN answer_stories l ON l.story_id = s.id"
                " LEFT JOIN answers a ON a.id = l.answer_id GROUP BY s.id ORDER BY s.id"
            ).fetchall()
        return [
            StorySummary(
                _story(r),
                int(r["tellings"]),
                stored_time(r["last_told"], None),
            )
            for r in rows
        ]

    def update(
        self,
        story_id: int,
        *,
        title: str | None = None,
        summary: str | None = None,
        principles: Sequence[str] | None = None,
    ) -> Story:
        """Change what is given; ``updated_at`` moves only when something changed."""
        current = self.get(story_id)
        new_title = clean_title(title) if title is not None else current.title
        new_summary = clean_summary(summary) if summary is not None else current.summary
        new_principles = tuple(principles) if principles is not None else current.principles
        if (new_title, new_summary, new_principles) == (
            current.title,
            current.summary,
            current.principles,
        ):
            return current
        with self._store._write("save the story") as conn:
            if new_title.casefold() != current.title.casefold():
                self._refuse_duplicate(conn, new_title)
            conn.execute(
                "UPDATE stories SET title = ?, summary = ?, principles_json = ?, updated_at = ?"
                " WHERE id = ?",
                (
                    new_title,
                    new_summary,
                    dumps(list(new_principles)),
                    iso(self._store._clock()),
                    story_id,
                ),
            )
        return self.get(story_id)

    def remove(self, story_id: int) -> RemoveResult:
        """Delete a story; its answers stay, unlinked."""
        story = self.get(story_id)
        with self._store._write("delete the story") as conn:
            count = conn.execute(
                "SELECT COUNT(*) FROM answer_stories WHERE story_id = ?", (story_id,)
            ).fetchone()[0]
            conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))  # links cascade
        return RemoveResult(story, int(count))

    # -- links -------------------------------------------------------------------------
    def link(
        self,
        answer_id: int,
        story_id: int,
        *,
        kind: LinkKind = "manual",
        score: float | None = None,
    ) -> StoryLink:
        """Mark ``answer_id`` as a telling of ``story_id`` (replacing any earlier link)."""
        if kind not in LINK_KINDS:
            raise ValueError(f"a link is manual, automatic or created, not {kind!r}")
        with self._store._write("link the answer") as conn:
            if conn.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
                raise InputError(f"no answer {answer_id}")
            if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                raise _no_story(story_id)
            conn.execute(
                "INSERT INTO answer_stories (answer_id, story_id, kind, score, linked_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id) DO UPDATE SET"
                " story_id = excluded.story_id, kind = excluded.kind, score = excluded.score,"
                " linked_at = excluded.linked_at",
                (
                    answer_id,
                    story_id,
                    kind,
                    None if score is None else float(score),
                    iso(self._store._clock()),
                ),
            )
        link = self.link_of(answer_id)
        assert link is not None
        return link

    def create_from_answer(
        self,
        answer_id: int,
        title: str,
        *,
        summary: str = "",
        principles: Sequence[str] = (),
    ) -> tuple[Story, StoryLink]:
        """A new story whose first telling is ``answer_id`` (link kind ``created``)."""
        self._store.answer(answer_id)  # a clear error before anything is written
        story = self.add(title, summary=summary, principles=principles)
        return story, self.link(answer_id, story.id, kind="created")

    def unlink(self, answer_id: int) -> StoryLink | None:
        """Remove the answer's link; the link it had, or None."""
        link = self.link_of(answer_id)
        if link is None:
            return None
        with self._store._write("unlink the answer") as conn:
            conn.execute("DELETE FROM answer_stories WHERE answer_id = ?", (answer_id,))
        return link

    def link_of(self, answer_id: int) -> StoryLink | None:
        with self._store._read("read the answer's story") as conn:
            row = conn.execute(
                "SELECT * FROM answer_stories WHERE answer_id = ?", (answer_id,)
            ).fetchone()
        return None if row is None else _link(row)

    def links(self, answer_ids: Iterable[int] | None = None) -> dict[int, StoryLink]:
        """Answer id -> its link, for every linked answer (or only ``answer_ids``)."""
        with self._store._read("read the story links") as conn:
            rows = conn.execute("SELECT * FROM answer_stories").fetchall()
        wanted = None if answer_ids is None else set(answer_ids)
        return {
            r["answer_id"]: _link(r) for r in rows if wanted is None or r["answer_id"] in wanted
        }

    def told(self, answer_ids: Iterable[int]) -> dict[int, ToldStory]:
        """Answer id -> the story it tells, for those of ``answer_ids`` that are linked."""
        wanted = set(answer_ids)
        with self._store._read("read the answers' stories") as conn:
            rows = conn.execute(
                "SELECT l.answer_id, l.story_id, l.kind, l.score, s.title"
                " FROM answer_stories l JOIN stories s ON s.id = l.story_id"
            ).fetchall()
        return {
            r["answer_id"]: ToldStory(r["story_id"], r["title"], r["kind"], r["score"])
            for r in rows
            if r["answer_id"] in wanted
        }

    def tellings(self, story_id: int) -> list[tuple[AnswerRecord, StoryLink]]:
        """The story's answers with their links, oldest first."""
        self.get(story_id)
        with self._store._read("read the story's answers") as conn:
            rows = conn.execute(
                "SELECT a.*, l.story_id AS l_story_id, l.kind AS l_kind, l.score AS l_score,"
                " l.linked_at AS l_linked_at FROM answer_stories l JOIN answers a"
                " ON a.id = l.answer_id WHERE l.story_id = ? ORDER BY a.started_at, a.id",
                (story_id,),
            ).fetchall()
        out = []
        for r in rows:
            link = StoryLink(
                r["id"], r["l_story_id"], r["l_kind"], r["l_score"], _time(r["l_linked_at"])
            )
            out.append((self._store._answer(r), link))
        return out

    def texts(self, *, exclude_answer: int | None = None) -> list[StoryText]:
        """Every story as the similarity function sees it: title, summary, tellings.

        ``exclude_answer`` leaves one answer out of its story's tellings (the answer being
        matched right now, if it was linked already).
        """
        from voicemock.stories.similarity import StoryText

        stories = self.all()
        with self._store._read("read the story tellings") as conn:
            rows = conn.execute(
                "SELECT l.story_id, a.id, a.transcript FROM answer_stories l JOIN answers a"
                " ON a.id = l.answer_id WHERE a.transcript IS NOT NULL"
                " ORDER BY a.started_at, a.id"
            ).fetchall()
        told: dict[int, list[str]] = {}
        for r in rows:
            if r["id"] != exclude_answer:
                told.setdefault(r["story_id"], []).append(r["transcript"])
        return [StoryText(s.id, s.title, s.summary, tuple(told.get(s.id, []))) for s in stories]

    # -- internals ---------------------------------------------------------------------
    @staticmethod
    def _refuse_duplicate(conn: sqlite3.Connection, title: str) -> None:
        row = conn.execute(
            "SELECT id FROM stories WHERE title = ? COLLATE NOCASE", (title,)
        ).fetchone()
        if row is not None:
            raise InputError(f"story {row['id']} is already called {title!r}; pick another title")


def _no_story(story_id: int) -> InputError:
    shown = str(story_id) if story_id <= MAX_ID else "beyond any story"
    return InputError(f"no story {shown} (see `voicemock stories list`)")


def _shown(text: str, width: int = 24) -> str:
    return repr(text) if len(text) <= width else repr(text[: width - 1]) + "…"


def _time(text: str) -> datetime:
    when: datetime = stored_time(text)
    return when


def _story(row: sqlite3.Row) -> Story:
    principles = loads(row["principles_json"], [])
    return Story(
        id=row["id"],
        title=row["title"],
        summary=row["summary"],
        principles=tuple(p for p in principles if isinstance(p, str))
        if isinstance(principles, list)
        else (),
        created_at=_time(row["created_at"]),
        updated_at=_time(row["updated_at"]),
    )


def _link(row: sqlite3.Row) -> StoryLink:
    return StoryLink(
        answer_id=row["answer_id"],
        story_id=row["story_id"],
        kind=row["kind"],
        score=row["score"],
        linked_at=_time(row["linked_at"]),
    )


__all__ = [
    "LINK_KINDS",
    "LinkKind",
    "RemoveResult",
    "Story",
    "StoryBank",
    "StoryLink",
    "StorySummary",
    "ToldStory",
    "clean_summary",
    "clean_title",
]
