"""Scratch directories: one process's temporary files, private, and cleaned after a kill.

The speech worker writes each spoken piece of a question to a WAV file before it is
played. Those files hold the question's audio, so they live in a directory only the user
can read (0700, its files 0600), inside voicemock's cache directory rather than the
shared temporary directory, and the directory is named after the process that made it
(``voicemock-tts-<pid>-<random>``). The process removes it when done; if it is killed
first, :func:`clean_leftovers` removes it at the next start, once that process is gone.
Directories left in ``$TMPDIR`` by older versions (``voicemock-tts-<random>``) are removed
too when they have not been touched for :data:`LEGACY_AGE_S`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from voicemock.files import PRIVATE_DIR_MODE

LEGACY_AGE_S = 600.0
"""An old-style directory untouched this long belongs to no running synthesis (a question
takes seconds)."""


def _name(kind: str) -> re.Pattern[str]:
    return re.compile(rf"voicemock-{re.escape(kind)}-(\d+)-[A-Za-z0-9_]+")


def _legacy(kind: str) -> re.Pattern[str]:
    return re.compile(rf"voicemock-{re.escape(kind)}-[a-z0-9_]{{8}}")


def system_tmp() -> Path:
    """The system's temporary directory, found without writing to it.

    ``tempfile.gettempdir()`` proves a directory writable by creating a file in it: a
    write outside the data and cache directories on every start. This looks at the same
    places (``TMPDIR``, ``TEMP``, ``TMP``, then the usual directories) and only checks.
    """
    for name in ("TMPDIR", "TEMP", "TMP"):
        value = os.environ.get(name)
        if value and Path(value).is_dir():
            return Path(value)
    for candidate in ("/tmp", "/var/tmp", "/usr/tmp"):
        if Path(candidate).is_dir():
            return Path(candidate)
    return Path.cwd()


def make_dir(base: Path | None, kind: str) -> Path:
    """A new private directory ``<base>/voicemock-<kind>-<pid>-<random>`` (0700).

    ``base`` (created 0700 if missing) defaults to the system's temporary directory.
    """
    if base is None:
        base = system_tmp()
    else:
        base.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    return Path(tempfile.mkdtemp(prefix=f"voicemock-{kind}-{os.getpid()}-", dir=base))


@contextlib.contextmanager
def scratch_dir(base: Path | None, kind: str) -> Iterator[Path]:
    """:func:`make_dir`, removed with everything in it when the block ends."""
    path = make_dir(base, kind)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def clean_leftovers(base: Path | None, kind: str, *, now: float | None = None) -> int:
    """Remove this user's ``voicemock-<kind>-*`` directories in ``base`` whose process is
    gone (and old-style ones untouched for :data:`LEGACY_AGE_S`). Returns how many went.

    Only real directories owned by this user are touched, never a symbolic link; errors
    are ignored (a leftover is retried at the next start).
    """
    directories = [base] if base is not None else []
    directories.append(system_tmp())
    named, legacy = _name(kind), _legacy(kind)
    now = time.time() if now is None else now
    removed = 0
    for directory in dict.fromkeys(directories):
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            match = named.fullmatch(entry.name)
            if match is None and not legacy.fullmatch(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
                continue
            if match is not None:
                if _alive(int(match.group(1))):
                    continue
            elif now - info.st_mtime < LEGACY_AGE_S:
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += not os.path.lexists(entry.path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return True
