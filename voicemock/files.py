"""Private directories, private files and atomic writes: the one place that sets modes.

The data directory and its ``audio/`` tree are 0700, the database and the recordings 0600
(exactly, whatever the umask). Files the user asked for (an export, a question set) get the
usual 0666-minus-umask and are written whole or not at all: a temporary file beside the
target, renamed over it. Errors are left as :class:`OSError` for the caller to word.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
SHARED_FILE_MODE = 0o666
"""Before the umask: what any program's new file gets."""


def private_dir(path: Path, *, parents: bool = False) -> Path:
    """Create ``path`` (mode 0700) if missing; make an existing one exactly 0700."""
    path.mkdir(parents=parents, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
        path.chmod(PRIVATE_DIR_MODE)
    return path


def create_private(path: Path) -> int:
    """Create ``path`` new (never over an existing file), exactly 0600; its open fd."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)  # exact, whatever the umask
    except BaseException:
        os.close(fd)
        raise
    return fd


def make_private(path: Path) -> None:
    """``path`` exists and only its owner can read it: created empty 0600, or tightened."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
        try:
            os.fchmod(fd, PRIVATE_FILE_MODE)
        finally:
            os.close(fd)
    elif path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_FILE_MODE)


def atomic_write(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all.

    A temporary file beside ``path`` is written and renamed over it, so a reader sees the
    old file or the new one, never half of one. ``private``: the file is 0600; otherwise
    0666 minus the umask, like any new file.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    body = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if private:
            fd = create_private(tmp)
        else:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, SHARED_FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def fsync_dir(directory: Path) -> None:
    """Make a new directory entry durable (POSIX); a no-op where directories can't be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
