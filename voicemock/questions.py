"""Question sets: loading, validation, discovery, selection, import and the template.

A question set is one TOML file::

    name = "amazon-pm"
    description = "Amazon product-manager loop"
    think_s = 15                           # optional thinking time before recording
    [target]                               # optional; defaults 150 / 210 / 240 seconds
    min_s = 150
    max_s = 210
    cap_s = 240

    [[questions]]
    id = "co-unasked-need"                 # unique in the set; history is kept per id
    text = "Tell me about a time ..."
    tags = ["customer-obsession"]          # Leadership Principles and categories
    follow_ups = ["How did you measure it?"]
    target = { min_s = 60, max_s = 120 }   # optional per-question override

Sets are found in three places, later ones shadowing earlier ones of the same name: the
sets bundled with the package, the user's sets directory, and paths given explicitly.

Every problem is reported as ``<file>:<line>: <what is wrong>`` and a set with any problem
is never returned half-loaded (:class:`QuestionSetError` carries all of them). Selection
(:func:`select_questions`) takes the practice history and the random generator as
arguments, so this module needs neither the database nor global state.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import math
import os
import random
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from voicemock.errors import InputError
from voicemock.files import atomic_write
from voicemock.principles import BY_SLUG, SPELLINGS
from voicemock.principles import LEADERSHIP_PRINCIPLES as LEADERSHIP_PRINCIPLES
from voicemock.principles import Principle as Principle
from voicemock.principles import slugify as slugify
from voicemock.timing import Target, fmt_clock, parse_seconds

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from voicemock.env import Environment

DEFAULT_SET = "amazon-pm"
"""The set a practice round uses when the user names none."""

MAX_FILE_BYTES = 2_000_000
"""Larger files are refused: no real question set comes close."""

MAX_SECONDS = 3600.0
"""Upper bound for any target or thinking time, in seconds."""

MAX_THINK_S = 600.0


# -- Leadership Principles and tags ----------------------------------------------------


CATEGORIES: dict[str, str] = {
    "product-sense": "Product sense",
    "stakeholder-management": "Stakeholder management",
}
"""Non-LP categories the bundled sets use for product-manager loops."""


def _build_aliases() -> dict[str, str]:
    aliases = dict(SPELLINGS)
    aliases.update({"stakeholders": "stakeholder-management", "product": "product-sense"})
    return aliases


_TAG_ALIASES = _build_aliases()


def canonical_tag(tag: str) -> str:
    """The canonical form of a tag: case, spacing and full LP names don't matter.

    ``"Customer Obsession"``, ``"customer_obsession"`` and ``"customer-obsession"`` are the
    same tag; ``"Have Backbone; Disagree and Commit"`` is ``"have-backbone"``.
    """
    slug = slugify(tag)
    return _TAG_ALIASES.get(slug, slug)


def principle_for(tag: str) -> Principle | None:
    """The Leadership Principle a tag names, if it names one."""
    return BY_SLUG.get(canonical_tag(tag))


def tag_label(tag: str) -> str:
    """A human name for a tag: the LP's full name, a category's name, else the tag."""
    principle = principle_for(tag)
    if principle is not None:
        return principle.name
    return CATEGORIES.get(tag, tag)


# -- the model ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a set. ``tags`` are canonical (see :func:`canonical_tag`)."""

    id: str
    text: str
    tags: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()
    target: Target | None = None
    """This question's own target (already merged with the set's), or ``None``."""

    def has_tag(self, tag: str) -> bool:
        return canonical_tag(tag) in self.tags

    @property
    def principles(self) -> tuple[Principle, ...]:
        """The Leadership Principles among the tags, in the tags' order."""
        return tuple(BY_SLUG[t] for t in self.tags if t in BY_SLUG)


@dataclass(frozen=True)
class QuestionSet:
    """A validated set of questions; ``path`` is the file it came from, if any."""

    name: str
    questions: tuple[Question, ...]
    description: str = ""
    target: Target = field(default_factory=Target)
    think_s: float | None = None
    path: Path | None = None

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def get(self, question_id: str) -> Question:
        """The question with this id; :class:`InputError` with a suggestion if none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        folded = question_id.casefold()
        for question in self.questions:
            if question.id.casefold() == folded:
                return question
        hint = _did_you_mean(question_id, self.ids)
        raise InputError(f"set {self.name!r} has no question {question_id!r}{hint}")

    def target_for(self, question: Question) -> Target:
        """The target a practice answer to ``question`` is judged against."""
        return question.target or self.target

    def tag_counts(self) -> dict[str, int]:
        """Tag -> number of questions: Leadership Principles in Amazon's order, then A-Z."""
        counts: dict[str, int] = {}
        for question in self.questions:
            for tag in question.tags:
                counts[tag] = counts.get(tag, 0) + 1
        lp_order = {p.slug: i for i, p in enumerate(LEADERSHIP_PRINCIPLES)}
        ordered = sorted(counts, key=lambda t: (lp_order.get(t, len(lp_order)), t))
        return {tag: counts[tag] for tag in ordered}

    def tagged(self, tags: Iterable[str]) -> tuple[Question, ...]:
        """Questions carrying any of ``tags``; :class:`InputError` if a tag matches none."""
        wanted = [(tag, canonical_tag(tag)) for tag in tags]
        known = self.tag_counts()
        for given, tag in wanted:
            if tag not in known:
                hint = _did_you_mean(tag, known)
                raise InputError(f"no question in set {self.name!r} is tagged {given!r}{hint}")
        keys = {tag for _, tag in wanted}
        return tuple(q for q in self.questions if keys.intersection(q.tags))

    def to_toml(self) -> dict[str, Any]:
        """The set as TOML-ready data (per-question targets only where they differ)."""
        data: dict[str, Any] = {"name": self.name}
        if self.description:
            data["description"] = self.description
        if self.think_s is not None:
            data["think_s"] = _plain_number(self.think_s)
        if self.target != Target():
            data["target"] = _target_toml(self.target)
        questions = []
        for q in self.questions:
            entry: dict[str, Any] = {"id": q.id, "text": q.text}
            if q.tags:
                entry["tags"] = list(q.tags)
            if q.follow_ups:
                entry["follow_ups"] = list(q.follow_ups)
            if q.target is not None and q.target != self.target:
                entry["target"] = _target_toml(q.target)
            questions.append(entry)
        data["questions"] = questions
        return data


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _target_toml(target: Target) -> dict[str, int | float]:
    return {k: _plain_number(v) for k, v in target.to_dict().items()}


# -- problems ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, at a line (``None`` when the file as a whole is wrong)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        message = " ".join(self.message.split())
        if self.line is None:
            return f"{self.path}: {message}"
        return f"{self.path}:{self.line}: {message}"


class QuestionSetError(InputError):
    """A set or import file has problems. ``problems`` lists all; the message is one line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("QuestionSetError needs at least one problem")
        self.problems = tuple(sorted(problems, key=lambda p: p.line or 0))
        more = len(self.problems) - 1
        message = str(self.problems[0])
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(message)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- reading files -----------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The text of a user-supplied file: UTF-8 (BOM allowed) or UTF-16 with a BOM.

    Raises :class:`QuestionSetError` naming the file (and the line of a bad byte).
    """
    where = str(path)

    def fail(message: str, line: int | None = None) -> QuestionSetError:
        return QuestionSetError([Problem(where, line, message)])

    try:
        if path.is_dir():
            raise fail("is a directory, not a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"is too large for a question set ({size / 1e6:.1f} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise fail("is not valid UTF-16 text despite its byte-order mark") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8", line
        ) from None


# -- locating lines ----------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+))*)\s*="""
)


def _split_dotted(key: str) -> list[str]:
    parts = re.findall(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""", key)
    return [a or b or c for a, b, c in parts]


class _Lines:
    """Where tables and keys start in TOML source, for semantic error messages.

    ``tomllib`` gives positions only for syntax errors, so this scans the text: table
    headers (arrays of tables are numbered), ``key =`` lines and dotted keys, skipping the
    insides of multi-line strings. Unknown places fall back to their nearest parent.
    """

    def __init__(self, text: str) -> None:
        self.at: dict[tuple[str | int, ...], int] = {}
        self.text = text
        arrays: dict[tuple[str, ...], int] = {}
        table: tuple[str | int, ...] = ()
        closing: str | None = None
        for number, line in enumerate(text.split("\n"), 1):
            if closing is not None:
                if line.count(closing) % 2 == 1:
                    closing = None
                continue
            header = _HEADER.match(line)
            if header:
                names = _split_dotted(header.group(2))
                if header.group(1) == "[[":
                    key = tuple(names)
                    arrays[key] = arrays.get(key, -1) + 1
                    self.at.setdefault(key, number)
                table = self._resolve(names, arrays, last_is_array=header.group(1) == "[[")
                self.at.setdefault(table, number)
                continue
            key_match = _KEY.match(line)
            if key_match:
                path = (*table, *_split_dotted(key_match.group(1)))
                self.at.setdefault(path, number)
                rest = line[key_match.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        closing = quote
                        break

    @staticmethod
    def _resolve(
        names: list[str], arrays: dict[tuple[str, ...], int], *, last_is_array: bool
    ) -> tuple[str | int, ...]:
        path: list[str | int] = []
        for i, name in enumerate(names):
            path.append(name)
            prefix = tuple(names[: i + 1])
            is_last = i == len(names) - 1
            if prefix in arrays and (not is_last or last_is_array):
                path.append(arrays[prefix])
        return tuple(path)

    def exact(self, *path: str | int) -> int | None:
        """The line where ``path`` itself is written, if the scan found it."""
        return self.at.get(path)

    def line(self, *path: str | int) -> int:
        """The line of ``path`` or of its nearest known parent (1 if none is known)."""
        for end in range(len(path), 0, -1):
            found = self.at.get(path[:end])
            if found is not None:
                return found
        return 1


def _assignment_line(text: str, key: str, value: str, occurrence: int) -> int | None:
    """The line of the ``occurrence``-th (0-based) ``key = "value"`` anywhere in ``text``."""
    pattern = re.compile(rf"""(?<![\w-]){re.escape(key)}\s*=\s*(["']){re.escape(value)}\1""")
    for i, match in enumerate(pattern.finditer(text)):
        if i == occurrence:
            return text.count("\n", 0, match.start()) + 1
    return None


def _toml_problem(where: str, exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    message = str(exc)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if match:
        body = message[: match.start()]
        return Problem(
            where, int(match.group(1)), f"invalid TOML: {body} (column {match.group(2)})"
        )
    match = re.search(r"\s*\(at end of document\)\s*$", message)
    line = len(text.rstrip().split("\n")) if match else None
    body = message[: match.start()] if match else message
    suffix = " at the end of the file" if match else ""
    return Problem(where, line, f"invalid TOML: {body}{suffix}")


# -- parsing a set -----------------------------------------------------------------------

SET_KEYS = {
    "name": "the set's name",
    "description": "one line about the set",
    "target": "answer-length window: min_s, max_s, cap_s",
    "think_s": "thinking time before recording, in seconds",
    "questions": "the [[questions]] tables",
}
QUESTION_KEYS = {
    "id": "unique id in the set",
    "text": "the question",
    "tags": "list of Leadership Principles or categories",
    "follow_ups": "list of probing follow-up questions",
    "target": "this question's own window",
}
TARGET_KEYS = ("min_s", "max_s", "cap_s")

_KEY_HINTS = {
    "question": "text",
    "prompt": "text",
    "tag": "tags",
    "followups": "follow_ups",
    "follow-ups": "follow_ups",
    "follow_up": "follow_ups",
    "followup": "follow_ups",
    "title": "name",
    "think": "think_s",
    "min": "min_s",
    "max": "max_s",
    "cap": "cap_s",
}

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


def valid_name(name: str) -> bool:
    """Set names: letters, digits, ``-``, ``_`` and ``.``, starting with a letter or digit."""
    return bool(_NAME.match(name)) and not name.lower().endswith(".toml")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a set name, or ``None`` if it can."""
    if valid_name(name):
        return None
    suggestion = slugify(name)[:64].strip("-") or "my-set"
    return f"set name {name!r} must be letters, digits, '-', '_' or '.' (e.g. {suggestion!r})"


def _unknown_key(key: str, known: Iterable[str], what: str = "key") -> str:
    hint = _KEY_HINTS.get(key.lower())
    choices = list(known)
    if hint in choices:
        return f"unknown {what} {key!r} (did you mean {hint!r}?)"
    return f"unknown {what} {key!r}{_did_you_mean(key, choices)}"


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _SetParser:
    """Turns parsed TOML into a :class:`QuestionSet`, collecting every problem on the way."""

    def __init__(self, text: str, where: str) -> None:
        self.where = where
        self.lines = _Lines(text)
        self.problems: list[Problem] = []

    def problem(self, message: str, *path: str | int) -> None:
        self.problems.append(Problem(self.where, self.lines.line(*path), message))

    def parse(self, data: dict[str, Any], default_name: str | None) -> QuestionSet | None:
        meant_questions = False
        for key in data:
            if key not in SET_KEYS:
                message = _unknown_key(key, SET_KEYS)
                meant_questions = meant_questions or "mean 'questions'" in message
                self.problem(message, key)
        name = self.parse_name(data.get("name"), default_name)
        description = self.text_value(data.get("description"), "description", ("description",))
        target = self.parse_target(data.get("target"), Target(), ("target",)) or Target()
        think_s = self.parse_think(data.get("think_s"))
        questions: tuple[Question, ...] = ()
        if "questions" in data or not meant_questions:
            questions = self.parse_questions(data.get("questions"), target)
        if self.problems or name is None:
            return None
        return QuestionSet(
            name=name,
            questions=questions,
            description=description or "",
            target=target,
            think_s=think_s,
        )

    def parse_name(self, value: object, default: str | None) -> str | None:
        if value is None:
            if default is not None and valid_name(default):
                return default
            example = slugify(default or "")[:64].strip("-") or "my-set"
            self.problem(f'the set has no name (add name = "{example}" at the top)')
            return None
        if not isinstance(value, str):
            self.problem(
                f'name must be a string, not {_type_name(value)} (e.g. name = "my-set")', "name"
            )
            return None
        problem = name_problem(value)
        if problem:
            self.problem(problem, "name")
            return None
        return value

    def text_value(self, value: object, what: str, path: tuple[str | int, ...]) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(f"{what} must be a string, not {_type_name(value)}", *path)
            return None
        return " ".join(value.split())

    def seconds(self, value: object, what: str, path: tuple[str | int, ...]) -> float | None:
        """A duration: a number of seconds, or text such as ``"2:30"`` or ``"150s"``."""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.problem(
                f'{what} must be a number of seconds or text like "2:30", not {_type_name(value)}',
                *path,
            )
            return None
        if isinstance(value, str):
            try:
                seconds = parse_seconds(value)
            except ValueError as exc:
                self.problem(f"{what}: {exc}", *path)
                return None
        else:
            seconds = float(value)
        if not math.isfinite(seconds) or seconds < 0 or seconds > MAX_SECONDS:
            self.problem(f"{what} must be between 0 and {MAX_SECONDS:.0f} seconds", *path)
            return None
        return seconds

    def parse_target(
        self, value: object, base: Target, path: tuple[str | int, ...]
    ) -> Target | None:
        """``value`` merged onto ``base``: unset window ends come from it, the cap grows."""
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(
                f"target must be a table with min_s, max_s and cap_s, not {_type_name(value)} "
                "(e.g. target = { min_s = 150, max_s = 210, cap_s = 240 })",
                *path,
            )
            return None
        ok = True
        for key in value:
            if key not in TARGET_KEYS:
                self.problem(_unknown_key(key, TARGET_KEYS), *path, key)
                ok = False
        got: dict[str, float] = {}
        for key in TARGET_KEYS:
            if key in value:
                seconds = self.seconds(value[key], f"target {key}", (*path, key))
                if seconds is None:
                    ok = False
                else:
                    got[key] = seconds
        if not ok:
            return None
        min_s = got.get("min_s", base.min_s)
        max_s = got.get("max_s", base.max_s)
        cap_s = got.get("cap_s", max(base.cap_s, max_s))
        if min_s <= 0:
            self.problem("target min_s must be more than 0 seconds", *path, "min_s")
            return None
        if min_s > max_s:
            self.problem(
                f"target min_s ({fmt_clock(min_s)}) is greater than max_s ({fmt_clock(max_s)})",
                *path,
                "min_s" if "min_s" in got else "max_s",
            )
            return None
        if cap_s < max_s:
            self.problem(
                f"target cap_s ({fmt_clock(cap_s)}) is below max_s ({fmt_clock(max_s)})",
                *path,
                "cap_s",
            )
            return None
        return Target(min_s, max_s, cap_s)

    def parse_think(self, value: object) -> float | None:
        if value is None:
            return None
        seconds = self.seconds(value, "think_s", ("think_s",))
        if seconds is not None and seconds > MAX_THINK_S:
            self.problem(f"think_s must be at most {MAX_THINK_S:.0f} seconds", "think_s")
            return None
        return seconds

    def parse_questions(self, value: object, target: Target) -> tuple[Question, ...]:
        if value is None or value == []:
            self.problem(
                "the set has no questions (add a [[questions]] table with id and text)",
                "questions",
            )
            return ()
        if not isinstance(value, list):
            self.problem(
                f"questions must be [[questions]] tables, not {_type_name(value)}", "questions"
            )
            return ()
        questions: list[Question] = []
        first_line: dict[str, int] = {}
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            qid, question = self.parse_question(index, item, target)
            if qid is None:
                continue
            occurrence = seen.get(qid, 0)
            seen[qid] = occurrence + 1
            line = (
                self.lines.exact("questions", index, "id")
                or _assignment_line(self.lines.text, "id", qid, occurrence)
                or self.lines.line("questions", index)
            )
            if qid in first_line:
                self.problems.append(
                    Problem(
                        self.where,
                        line,
                        f"duplicate id {qid!r} (first used on line {first_line[qid]})",
                    )
                )
                continue
            first_line[qid] = line
            if question is not None:
                questions.append(question)
        return tuple(questions)

    def parse_question(
        self, index: int, item: object, set_target: Target
    ) -> tuple[str | None, Question | None]:
        """``(id, question)``; the question is ``None`` when it has problems."""
        path: tuple[str | int, ...] = ("questions", index)
        number = index + 1
        if not isinstance(item, dict):
            self.problem(
                f"question {number} must be a table with id and text, not {_type_name(item)}",
                *path,
            )
            return None, None
        before = len(self.problems)
        for key in item:
            if key not in QUESTION_KEYS:
                self.problem(_unknown_key(key, QUESTION_KEYS), *path, key)
        qid = self.parse_id(item.get("id"), number, path)
        label = f"question {qid!r}" if qid else f"question {number}"
        text = item.get("text")
        if text is None:
            self.problem(f'{label} has no text (add text = "...")', *path)
        elif not isinstance(text, str):
            self.problem(f"{label}: text must be a string, not {_type_name(text)}", *path, "text")
            text = None
        elif not text.strip():
            self.problem(f"{label} has empty text", *path, "text")
            text = None
        tags = self.text_list(item.get("tags"), "tags", label, (*path, "tags"))
        canonical: list[str] = []
        for tag in tags:
            slug = canonical_tag(tag)
            if not slug:
                self.problem(f"{label}: tag {tag!r} has no letters or digits", *path, "tags")
            elif slug not in canonical:
                canonical.append(slug)
        follow_ups = self.text_list(
            item.get("follow_ups"), "follow_ups", label, (*path, "follow_ups")
        )
        target = self.parse_target(item.get("target"), set_target, (*path, "target"))
        if target == set_target:
            target = None
        if len(self.problems) > before or qid is None or not isinstance(text, str):
            return qid, None
        return qid, Question(
            id=qid,
            text=" ".join(text.split()),
            tags=tuple(canonical),
            follow_ups=tuple(follow_ups),
            target=target,
        )

    def parse_id(self, value: object, number: int, path: tuple[str | int, ...]) -> str | None:
        if value is None:
            self.problem(f'question {number} has no id (add e.g. id = "q{number}")', *path)
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        if not isinstance(value, str):
            self.problem(
                f"question {number}: id must be a string, not {_type_name(value)} "
                f'(e.g. id = "q{number}")',
                *path,
                "id",
            )
            return None
        if not value.strip():
            self.problem(f"question {number} has an empty id", *path, "id")
            return None
        if not _ID.match(value):
            suggestion = slugify(value)[:80].strip("-") or f"q{number}"
            self.problem(
                f"id {value!r} must be letters, digits, '-', '_' or '.' (e.g. {suggestion!r})",
                *path,
                "id",
            )
            return None
        return value

    def text_list(
        self, value: object, key: str, label: str, path: tuple[str | int, ...]
    ) -> list[str]:
        if value is None:
            return []
        example = '["ownership", "dive-deep"]' if key == "tags" else '["How did you measure it?"]'
        if not isinstance(value, list):
            self.problem(
                f"{label}: {key} must be a list like {example}, not {_type_name(value)}",
                *path,
            )
            return []
        out: list[str] = []
        for position, element in enumerate(value, 1):
            if not isinstance(element, str):
                self.problem(
                    f"{label}: {key} item {position} must be a string, not {_type_name(element)}",
                    *path,
                )
            elif not element.strip():
                self.problem(f"{label}: {key} item {position} is empty", *path)
            else:
                out.append(" ".join(element.split()))
        return out


def parse_set(
    text: str, *, path: str | Path = "<text>", default_name: str | None = None
) -> QuestionSet:
    """A set from TOML source. ``default_name`` (usually the file's stem) fills a missing name.

    Raises :class:`QuestionSetError` with every problem found; nothing is half-loaded.
    """
    where = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionSetError([_toml_problem(where, exc, text)]) from None
    parser = _SetParser(text, where)
    qset = parser.parse(data, default_name)
    if parser.problems or qset is None:
        raise QuestionSetError(parser.problems or [Problem(where, 1, "not a question set")])
    return dataclasses.replace(qset, path=Path(path) if isinstance(path, Path) else None)


def load_set(path: Path) -> QuestionSet:
    """The set in a TOML file. Raises :class:`QuestionSetError`."""
    text = read_text(path)
    return parse_set(text, path=path, default_name=path.stem)


def check_file(path: Path) -> tuple[QuestionSet | None, list[Problem]]:
    """Validate one file: ``(set, [])`` when it is fine, ``(None, problems)`` otherwise."""
    try:
        return load_set(path), []
    except QuestionSetError as exc:
        return None, list(exc.problems)


# -- discovery ---------------------------------------------------------------------------

Origin = Literal["bundled", "user", "path"]


def bundled_sets_dir() -> Path | None:
    """The bundled sets: inside the installed package, else the checkout's ``question_sets/``."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "question_sets", package.parent / "question_sets"):
        if candidate.is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class SetEntry:
    """One set file found by discovery, loaded or not."""

    name: str
    path: Path
    origin: Origin
    qset: QuestionSet | None
    error: QuestionSetError | None = None
    shadowed_by: Path | None = None
    """Set when a later source defines the same name: this entry is not used by name."""
    shadows: tuple[Path, ...] = ()
    """Paths of earlier sets of the same name that this one replaces."""

    @property
    def active(self) -> bool:
        return self.shadowed_by is None


def _entry(path: Path, origin: Origin) -> SetEntry:
    try:
        qset = load_set(path)
    except QuestionSetError as exc:
        return SetEntry(_guess_name(path), path, origin, None, exc)
    return SetEntry(qset.name, path, origin, qset)


def _guess_name(path: Path) -> str:
    """The name a broken set file claims, so it still shadows what it means to replace."""
    try:
        name = tomllib.loads(read_text(path)).get("name")
    except (QuestionSetError, tomllib.TOMLDecodeError):
        name = None
    return name if isinstance(name, str) and valid_name(name) else path.stem


def _toml_files(directory: Path | None) -> list[Path]:
    if directory is None or not directory.is_dir():
        return []
    try:
        return sorted(
            p
            for p in directory.iterdir()
            if p.suffix.lower() == ".toml" and not p.name.startswith((".", "#", "~"))
        )
    except OSError:
        return []


class Catalog:
    """Every set found, in discovery order: bundled, then the user's, then explicit paths."""

    def __init__(self, entries: Sequence[SetEntry]) -> None:
        self.entries = tuple(entries)

    @classmethod
    def discover(
        cls,
        *,
        user_dir: Path | None = None,
        paths: Sequence[Path] = (),
        bundled_dir: Path | Literal["default"] | None = "default",
    ) -> Catalog:
        bundled = bundled_sets_dir() if bundled_dir == "default" else bundled_dir
        sources: list[tuple[Origin, list[Path]]] = [
            ("bundled", _toml_files(bundled)),
            ("user", _toml_files(user_dir)),
            ("path", list(paths)),
        ]
        found = [_entry(path, origin) for origin, files in sources for path in files]
        return cls(_apply_shadowing(found))

    @classmethod
    def for_env(cls, env: Environment, paths: Sequence[Path] = ()) -> Catalog:
        """Bundled sets, the sets in ``env.sets_dir`` and ``paths``."""
        return cls.discover(user_dir=env.sets_dir, paths=paths)

    @property
    def active(self) -> tuple[SetEntry, ...]:
        return tuple(e for e in self.entries if e.active)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.active)

    def entry(self, name: str) -> SetEntry | None:
        """The active entry called ``name`` (exact, else ignoring case)."""
        for entry in self.active:
            if entry.name == name:
                return entry
        matches = [e for e in self.active if e.name.casefold() == name.casefold()]
        return matches[0] if len(matches) == 1 else None

    def replaced(self, name: str, path: Path) -> tuple[Path, ...]:
        """The sets that the set ``name`` at ``path`` shadows (empty if it is not in use)."""
        entry = self.entry(name)
        if entry is None or entry.path.resolve() != path.resolve():
            return ()
        return entry.shadows

    def get(self, ref: str) -> QuestionSet:
        """A set by name or by path to a ``.toml`` file. Raises :class:`InputError`."""
        looks_like_path = "/" in ref or os.sep in ref or ref.lower().endswith(".toml")
        if not looks_like_path:
            entry = self.entry(ref)
            if entry is not None:
                if entry.error is not None:
                    raise entry.error
                assert entry.qset is not None
                return entry.qset
            if not Path(ref).is_file():
                hint = _did_you_mean(ref, self.names)
                available = ", ".join(self.names) or "none"
                raise InputError(
                    f"no question set called {ref!r}{hint} (available: {available}; "
                    "see 'voicemock sets list')"
                )
        return load_set(Path(ref).expanduser())


def expand_set_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Set files from command-line paths: files as given, directories' ``*.toml`` sorted."""
    out: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            out.extend(_toml_files(path))
        else:
            out.append(path)
    return out


def _apply_shadowing(found: Sequence[SetEntry]) -> list[SetEntry]:
    entries = list(found)
    active: dict[str, int] = {}
    for i, entry in enumerate(entries):
        previous = active.get(entry.name)
        if previous is None:
            active[entry.name] = i
            continue
        older = entries[previous]
        same_tier = older.origin == entry.origin and entry.origin != "path"
        if same_tier and older.path.resolve() != entry.path.resolve():
            message = f"set name {entry.name!r} is already used by {older.path}; rename one of them"
            error = QuestionSetError([Problem(str(entry.path), _name_line(entry), message)])
            entries[i] = dataclasses.replace(entry, qset=None, error=error, shadowed_by=older.path)
            continue
        entries[previous] = dataclasses.replace(older, shadowed_by=entry.path)
        entries[i] = dataclasses.replace(entry, shadows=(*older.shadows, older.path))
        active[entry.name] = i
    return entries


def _name_line(entry: SetEntry) -> int:
    try:
        return _Lines(entry.path.read_text(encoding="utf-8-sig")).line("name")
    except (OSError, UnicodeDecodeError):
        return 1


# -- selection ---------------------------------------------------------------------------


def select_questions(
    qset: QuestionSet,
    *,
    ids: Sequence[str] = (),
    tags: Sequence[str] = (),
    count: int | None = None,
    last_practised: Mapping[str, datetime] | None = None,
    rng: random.Random | None = None,
) -> list[Question]:
    """Questions for a practice round, never the same one twice.

    - ``ids``: exactly these questions, in this order (unknown ids raise with a suggestion).
    - ``tags``: only questions with any of these tags (forgiving; see :func:`canonical_tag`).
    - order otherwise: with ``last_practised`` (question id -> when it was last practised,
      from the sessions database) never-practised questions come first, then the least
      recently practised; ties, and everything when there is no history, are shuffled
      with ``rng``.
    - ``count``: at most this many (fewer when the pool is smaller).
    """
    if count is not None and count < 1:
        raise InputError(f"the number of questions must be at least 1, not {count}")
    rng = rng or random.Random()
    if ids:
        pool = []
        for qid in ids:
            question = qset.get(qid)
            if question not in pool:
                pool.append(question)
        if tags:
            keys = {canonical_tag(t) for t in tags}
            pool = [q for q in pool if keys.intersection(q.tags)]
            if not pool:
                raise InputError(f"none of the chosen questions has the tag(s) {', '.join(tags)}")
        return pool[:count] if count is not None else pool
    pool = list(qset.tagged(tags)) if tags else list(qset.questions)
    history = last_practised or {}

    def key(question: Question) -> tuple[int, float, float]:
        when = history.get(question.id)
        tie = rng.random()
        if when is None:
            return (0, 0.0, tie)
        return (1, when.timestamp(), tie)

    ordered = sorted(pool, key=key)
    return ordered[:count] if count is not None else ordered


# -- import --------------------------------------------------------------------------------

ImportFormat = Literal["auto", "text", "csv"]
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""Line ends as editors and TOML see them (``str.splitlines`` also splits on U+2028 etc.)."""
CSV_COLUMNS = ("text", "tags", "id", "follow_ups")
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\(?\d{1,3}[.):]|[Qq]\d{1,3}[.):])\s+")
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an the me us about tell time you your when what how why describe give example of "
        "to in on for did do was were is are had that which we i it and or with can could "
        "would walk through share situation where my our some one been be has this those "
        "these there",
    )
)


def question_id(text: str, number: int) -> str:
    """An id for an imported question: a slug of its key words plus its number."""
    words = [w for w in slugify(text).split("-") if w and w not in _STOPWORDS]
    slug = "-".join(words[:4])[:40].strip("-")
    if not slug or not _ID.match(f"{slug}-{number}"):
        slug = "q"
    return f"{slug}-{number}"


def import_questions(
    path: Path,
    *,
    name: str,
    description: str | None = None,
    fmt: ImportFormat = "auto",
) -> QuestionSet:
    """A set from a plain-text (one question per line) or CSV (``text,tags``) file.

    Raises :class:`QuestionSetError` naming the file and line of every problem.
    """
    text = read_text(path)
    if fmt == "auto":
        fmt = "csv" if path.suffix.lower() in (".csv", ".tsv") else "auto"
    return parse_import(
        text,
        where=str(path),
        name=name,
        description=description if description is not None else f"Imported from {path.name}",
        fmt=fmt,
    )


def parse_import(
    text: str,
    *,
    where: str,
    name: str,
    description: str = "",
    fmt: ImportFormat = "auto",
) -> QuestionSet:
    """The set for imported ``text``; it validates as TOML exactly as written."""
    problem = name_problem(name)
    if problem:
        raise InputError(problem)
    if fmt == "auto":
        fmt = "csv" if _csv_delimiter(text) is not None else "text"
    problems: list[Problem] = []
    rows = _csv_rows(text, where, problems) if fmt == "csv" else _text_rows(text)
    if problems:
        raise QuestionSetError(problems)
    if not rows:
        raise QuestionSetError(
            [
                Problem(
                    where,
                    None,
                    "has no questions (write one question per line, or CSV with a 'text' column)",
                )
            ]
        )
    questions: list[dict[str, Any]] = []
    used: dict[str, int] = {}
    for number, (line, row) in enumerate(rows, 1):
        qid = row.get("id") or question_id(row["text"], number)
        if qid in used:
            problems.append(
                Problem(where, line, f"duplicate id {qid!r} (first used on line {used[qid]})")
            )
            continue
        used[qid] = line
        entry: dict[str, Any] = {"id": qid, "text": row["text"]}
        if row.get("tags"):
            entry["tags"] = _split_list(row["tags"])
        if row.get("follow_ups"):
            entry["follow_ups"] = _split_list(row["follow_ups"])
        questions.append(entry)
        if not _ID.match(qid):
            problems.append(
                Problem(where, line, f"id {qid!r} must be letters, digits, '-', '_' or '.'")
            )
        bad_tag = next((t for t in entry.get("tags", []) if not canonical_tag(t)), None)
        if bad_tag is not None:
            problems.append(Problem(where, line, f"tag {bad_tag!r} has no letters or digits"))
    if problems:
        raise QuestionSetError(problems)
    data: dict[str, Any] = {"name": name}
    if description:
        data["description"] = " ".join(description.split())
    data["questions"] = questions
    return parse_set(set_toml(data), default_name=name)


def _split_list(value: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"[;|]", value) if p.strip()]


def _text_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for number, raw in enumerate(_LINE_BREAK.split(text), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = " ".join(_BULLET.sub("", line).split())
        if line:
            rows.append((number, {"text": line}))
    return rows


def _header_fields(line: str, delimiter: str) -> list[str]:
    try:
        fields = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []
    return [re.sub(r"[\s-]+", "_", f.strip().casefold()) for f in fields]


def _first_line(text: str) -> str:
    for line in _LINE_BREAK.split(text):
        if line.strip():
            return line
    return ""


def _csv_delimiter(text: str) -> str | None:
    """The delimiter when ``text`` starts with a CSV header holding a ``text`` column."""
    header = _first_line(text)
    for delimiter in (",", ";", "\t"):
        fields = _header_fields(header, delimiter)
        if "text" in fields and (len(fields) > 1 or header.strip().casefold() == "text"):
            return delimiter
    return None


def _csv_rows(text: str, where: str, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    delimiter = _csv_delimiter(text)
    if delimiter is None:
        header = _first_line(text)
        problems.append(
            Problem(
                where,
                1,
                f"CSV has no 'text' column (header: {header.strip()[:60]!r}); "
                "the first line must name the columns, e.g. text,tags",
            )
        )
        return []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, dict[str, str]]] = []
    columns: list[str] | None = None
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if columns is None:
                columns = [re.sub(r"[\s-]+", "_", c.strip().casefold()) for c in record]
                for column in columns:
                    if column not in CSV_COLUMNS:
                        shown = column or "(empty)"
                        problems.append(
                            Problem(where, line, _unknown_key(shown, CSV_COLUMNS, "column"))
                        )
                if len(set(columns)) != len(columns):
                    problems.append(Problem(where, line, "CSV header names a column twice"))
                continue
            extra = record[len(columns) :]
            if any(cell.strip() for cell in extra):
                problems.append(
                    Problem(
                        where,
                        line,
                        f"row has {len(record)} fields but the header has {len(columns)}",
                    )
                )
                continue
            row = {
                c: " ".join(v.split()) for c, v in zip(columns, record, strict=False) if v.strip()
            }
            if not row.get("text"):
                problems.append(Problem(where, line, "row has no text"))
                continue
            rows.append((line, row))
    except csv.Error as exc:
        problems.append(Problem(where, reader.line_num or 1, f"invalid CSV: {exc}"))
    return rows


# -- writing -----------------------------------------------------------------------------


def set_toml(data: Mapping[str, Any]) -> str:
    """TOML text for set data (see :meth:`QuestionSet.to_toml`)."""
    import tomli_w

    return tomli_w.dumps(dict(data), multiline_strings=False)


def write_set_file(text: str, dest: Path, *, force: bool = False) -> Path:
    """Write ``text`` to ``dest`` atomically; refuse to replace a file unless ``force``."""
    if dest.exists() and not force:
        raise InputError(f"{dest} already exists (use --force to replace it)")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(dest, text)
    except OSError as exc:
        raise InputError(f"cannot write {dest}: {exc.strerror or exc}") from None
    return dest


def save_set(qset: QuestionSet, sets_dir: Path, *, force: bool = False, header: str = "") -> Path:
    """Write ``qset`` as ``sets_dir/<name>.toml`` (refusing to overwrite unless ``force``)."""
    text = set_toml(qset.to_toml())
    if header:
        text = (
            "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + "\n" + text
        )
    return write_set_file(text, sets_dir / f"{qset.name}.toml", force=force)


def template(name: str) -> str:
    """A commented TOML template for a new set called ``name``; it validates as written."""
    problem = name_problem(name)
    if problem:
        raise InputError(problem)
    return _TEMPLATE.replace("{name}", name)


_TEMPLATE = """\
# A voicemock question set. Edit it, then check it with:
#     voicemock sets validate {name}
# and read it back with:
#     voicemock sets show {name}

# name: what you pick the set by. A set in your sets directory with the same
# name as a bundled set (e.g. "amazon-pm") replaces it.
name = "{name}"

# description: one line, shown by `voicemock sets list`.
description = "My own practice questions"

# think_s (optional): seconds to think after the question is read, before
# recording starts.
think_s = 15

# target (optional): how long an answer should last, in seconds (or text like
# "2:30"). Land between min_s and max_s; at cap_s the recording stops by itself.
# These are the defaults: 2:30 to 3:30, stop at 4:00.
[target]
min_s = 150
max_s = 210
cap_s = 240

# Each question is a [[questions]] table:
#   id          short and unique in this set: letters, digits, '-', '_', '.'.
#               Your practice history is kept by id, so keep it once you use it.
#   text        the question, as it is read aloud.
#   tags        optional: Leadership Principles ("ownership", "dive-deep",
#               "Customer Obsession" ...) or your own categories.
#               `voicemock sets show {name} --tag ownership` filters by tag.
#   follow_ups  optional: probing questions an interviewer would ask next.
#   target      optional: this question's own window; keys you leave out come
#               from the set's [target].

[[questions]]
id = "proudest-launch"
text = "Tell me about the launch you are proudest of. What was your own part in it?"
tags = ["deliver-results", "ownership"]
follow_ups = [
    "What exactly did you decide yourself, and what did the team decide?",
    "How did you measure success, and what did the numbers show?",
]

[[questions]]
id = "background"
text = "Walk me through your background in about two minutes."
tags = ["introduction"]
target = { min_s = 90, max_s = 150 }
"""


def write_template(name: str, sets_dir: Path, *, force: bool = False) -> Path:
    """Write :func:`template` to ``sets_dir/<name>.toml``."""
    return write_set_file(template(name), sets_dir / f"{name}.toml", force=force)
