"""Parsing and validating one set file; every problem is reported with its line."""

from __future__ import annotations

import dataclasses
import math
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from voicemock.principles import slugify
from voicemock.questions.model import Question, QuestionSet
from voicemock.questions.problems import Problem, QuestionSetError, did_you_mean
from voicemock.questions.reading import read_text
from voicemock.questions.tags import canonical_tag
from voicemock.questions.toml_lines import TomlLines, assignment_line, toml_problem
from voicemock.timing import Target, fmt_clock, parse_seconds

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_SECONDS = 3600.0
"""Upper bound for any target or thinking time, in seconds."""

MAX_THINK_S = 600.0


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
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


def valid_name(name: str) -> bool:
    """Set names: letters, digits, ``-``, ``_`` and ``.``, starting with a letter or digit."""
    return bool(_NAME.match(name)) and not name.lower().endswith(".toml")


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a set name, or ``None`` if it can."""
    if valid_name(name):
        return None
    suggestion = slugify(name)[:64].strip("-") or "my-set"
    return f"set name {name!r} must be letters, digits, '-', '_' or '.' (e.g. {suggestion!r})"


def unknown_key(key: str, known: Iterable[str], what: str = "key") -> str:
    hint = _KEY_HINTS.get(key.lower())
    choices = list(known)
    if hint in choices:
        return f"unknown {what} {key!r} (did you mean {hint!r}?)"
    return f"unknown {what} {key!r}{did_you_mean(key, choices)}"


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
        self.lines = TomlLines(text)
        self.problems: list[Problem] = []

    def problem(self, message: str, *path: str | int) -> None:
        self.problems.append(Problem(self.where, self.lines.line(*path), message))

    def parse(self, data: dict[str, Any], default_name: str | None) -> QuestionSet | None:
        meant_questions = False
        for key in data:
            if key not in SET_KEYS:
                message = unknown_key(key, SET_KEYS)
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
                self.problem(unknown_key(key, TARGET_KEYS), *path, key)
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
                or assignment_line(self.lines.text, "id", qid, occurrence)
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
                self.problem(unknown_key(key, QUESTION_KEYS), *path, key)
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
        if not ID_PATTERN.match(value):
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
        raise QuestionSetError([toml_problem(where, exc, text)]) from None
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
