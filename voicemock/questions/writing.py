"""Writing sets: TOML text, atomic files that refuse to overwrite, the commented template."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from voicemock.errors import InputError
from voicemock.files import atomic_write
from voicemock.questions.model import QuestionSet
from voicemock.questions.parsing import name_problem


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
