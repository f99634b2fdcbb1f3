"""Private directories, private files, atomic writes and bounded reads: the one place
that sets modes and opens what a user names.

The data directory and its ``audio/`` tree are 0700, the database and the recordings 0600
(exactly, whatever the umask). Files the user asks for (an export, a report, a question
set) hold their answers too: :func:`write_export` writes them 0600, whole or not at all
(a temporary file beside the target, renamed over it), and only ever over a regular file.
What a user names is read with :func:`read_bounded`: a regular file, never more than a
bound. Errors are left as :class:`OSError` for the caller to word.
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


# -- reading what a user names -----------------------------------------------------------


class NotRegularFile(OSError):
    """The path names a directory, a device, a pipe or a socket: nothing voicemock reads."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a regular file")
        self.path = path
        self.kind = kind


class FileTooLarge(OSError):
    """The file is larger than the reader's bound."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a message ("a directory", "a named pipe"…)."""
    import stat

    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def open_regular(path: Path) -> int:
    """Open ``path`` for reading only if it is a regular file (after symbolic links).

    Never blocks: a named pipe is opened non-blocking and refused, so is a device
    (``/dev/zero``, ``/dev/urandom``), a directory or a socket, with
    :class:`NotRegularFile` naming what it is. Returns the open descriptor.
    """
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, file_kind(mode))
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refusing one larger than ``limit`` bytes.

    Reads at most ``limit + 1`` bytes whatever the file claims (its size can change, and
    ``/proc`` files claim none), so memory stays bounded. Raises :class:`NotRegularFile`,
    :class:`FileTooLarge` or the :class:`OSError` of the read.
    """
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"{path} is larger than {limit:,} bytes")
    return data


def write_export(path: Path, data: str | bytes) -> Path:
    """Write a file the user asked for at ``path``: whole or not at all, mode 0600.

    - ``path`` (after symbolic links) must be a regular file or not exist: a directory,
      a device (``/dev/full``), a named pipe or a socket is refused with
      :class:`NotRegularFile` and left as it is;
    - a symbolic link is written *through*: the file it points to is replaced and the
      link stays a link;
    - the new content goes to a temporary file beside that file, is flushed to the disk,
      made 0600 and renamed over it, so a reader sees the old file or the new one.

    Returns the path of the regular file written.
    """
    import stat

    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = target.stat()
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, file_kind(info.st_mode))
    body = data.encode("utf-8") if isinstance(data, str) else data
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = create_private(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(target.parent)
    return target
