"""Writing sets: TOML text, atomic files that refuse to overwrite, the commented template."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from voicemock.errors import InputError
from voicemock.files import NotRegularFile, private_dir, write_export
from voicemock.questions.model import QuestionSet
from voicemock.questions.parsing import name_problem


def set_toml(data: Mapping[str, Any]) -> str:
    """TOML text for set data (see :meth:`QuestionSet.to_toml`), laid out as a person
    writes it: the set's keys, its ``[target]``, then one ``[[questions]]`` block per
    question (a question's own target as an inline table), easy to extend by hand."""
    import tomli_w

    head = {k: v for k, v in data.items() if k != "questions"}
    parts = [tomli_w.dumps(head, multiline_strings=False)]
    for question in data.get("questions", ()):
        lines = ["[[questions]]"]
        for key, value in question.items():
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(part for part in parts if part)


def _toml_value(value: Any) -> str:
    """One TOML value as written after ``key =`` (tables inline, long arrays one item a
    line)."""
    import tomli_w

    if isinstance(value, Mapping):
        items = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    text = tomli_w.dumps({"v": value}, multiline_strings=False)
    return text.split("=", 1)[1].strip()


def _toml_key(key: str) -> str:
    import tomli_w

    return tomli_w.dumps({key: 0}).rsplit("=", 1)[0].strip()


def write_set_file(text: str, dest: Path, *, force: bool = False) -> Path:
    """Write ``text`` to ``dest`` atomically, 0600 in a 0700 directory (sets are the user's
    own); refuse to replace a file unless ``force``, and anything but a regular file."""
    if (dest.exists() or dest.is_symlink()) and not force:
        raise InputError(f"{dest} already exists (use --force to replace it)")
    try:
        private_dir(dest.parent, parents=True)
        write_export(dest, text)
    except NotRegularFile as exc:
        raise InputError(f"cannot write {dest}: it is {exc.kind}, not a regular file") from None
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

# follow_up_target (optional): the same for a reply to the interviewer's
# follow-up question (`voicemock practice --follow-ups`, `voicemock interview`).
# These are the defaults: 0:30 to 1:30, stop at 2:00.
[follow_up_target]
min_s = 30
max_s = 90
cap_s = 120

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
#   follow_up_target  optional: this question's window for replies to its
#               follow-ups; keys you leave out come from [follow_up_target].

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
