"""Importing questions from plain text (one a line) or CSV (a header naming a text column)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Literal

from voicemock.errors import InputError
from voicemock.principles import slugify
from voicemock.questions.model import QuestionSet
from voicemock.questions.parsing import ID_PATTERN, name_problem, parse_set, unknown_key
from voicemock.questions.problems import Problem, QuestionSetError
from voicemock.questions.reading import read_text
from voicemock.questions.tags import canonical_tag
from voicemock.questions.writing import set_toml

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
    if not slug or not ID_PATTERN.match(f"{slug}-{number}"):
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
        if not ID_PATTERN.match(qid):
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
                            Problem(where, line, unknown_key(shown, CSV_COLUMNS, "column"))
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
