"""The user's own sets as files to change: finding one by name, checking an edit of it,
deleting it. The editor itself is run by the command line (``voicemock sets edit``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voicemock.errors import InputError
from voicemock.questions.catalog import Catalog, SetEntry
from voicemock.questions.model import QuestionSet
from voicemock.questions.parsing import parse_set
from voicemock.questions.problems import Problem, QuestionSetError, did_you_mean

REJECTED_SUFFIX = ".rejected"
"""An edit that does not validate is kept beside the set as ``NAME.toml.rejected`` (not a
``.toml`` file, so it is never read as a set)."""


def user_set(catalog: Catalog, name: str, sets_dir: Path) -> SetEntry:
    """The set of the user's called ``name`` (or in ``sets_dir/name.toml``), even if it
    is broken. A bundled set, or no set, is a one-line :class:`InputError`."""
    mine = [e for e in catalog.entries if e.origin == "user"]
    for entry in sorted(mine, key=lambda e: not e.active):
        if entry.name == name or entry.path.stem == name:
            return entry
    for entry in mine:
        if entry.name.casefold() == name.casefold():
            return entry
    other = catalog.entry(name)
    if other is not None and other.origin == "bundled":
        raise InputError(
            f"{other.name!r} is a bundled set ({other.path}); only your own sets, in "
            f"{sets_dir}, can be changed (copy it there to make your own version)"
        )
    hint = did_you_mean(name, [e.name for e in mine])
    names = ", ".join(sorted({e.name for e in mine})) or "none yet"
    raise InputError(f"you have no set called {name!r}{hint} (your sets: {names})")


@dataclass(frozen=True)
class EditCheck:
    """An edited set's text checked: the set, or its problems."""

    qset: QuestionSet | None
    problems: tuple[Problem, ...] = ()


def check_edit(text: str, path: Path) -> EditCheck:
    """Validate ``text`` as the new content of the set file ``path``."""
    try:
        return EditCheck(parse_set(text, path=path, default_name=path.stem))
    except QuestionSetError as exc:
        return EditCheck(None, tuple(exc.problems))


def rejected_path(path: Path) -> Path:
    """Where an edit of ``path`` that does not validate is kept."""
    return path.with_name(path.name + REJECTED_SUFFIX)
