"""Discovery: the bundled sets, the user's sets directory and paths given, with shadowing."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from voicemock.errors import InputError
from voicemock.questions.model import QuestionSet
from voicemock.questions.parsing import load_set, valid_name
from voicemock.questions.problems import Problem, QuestionSetError, did_you_mean
from voicemock.questions.reading import read_text
from voicemock.questions.toml_lines import TomlLines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from voicemock.env import Environment

DEFAULT_SET = "amazon-pm"
"""The set a practice round uses when the user names none."""


Origin = Literal["bundled", "user", "path"]


def bundled_sets_dir() -> Path | None:
    """The bundled sets: inside the installed package, else the checkout's ``question_sets/``."""
    package = Path(__file__).resolve().parent.parent
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
                hint = did_you_mean(ref, self.names)
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
        return TomlLines(entry.path.read_text(encoding="utf-8-sig")).line("name")
    except (OSError, UnicodeDecodeError):
        return 1
