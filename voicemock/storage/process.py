"""Is the process that started a recording still running?

A pid alone is not an identity: after a crash or a reboot the same number can belong to
an unrelated process. So next to the pid we store a *start token*: on Linux the boot id
plus the process's start time in clock ticks since boot (``/proc/<pid>/stat`` field 22),
which no other process can share. Where ``/proc`` is missing (macOS, BSD) the token is
empty and we fall back to "the pid is alive and is ours (signal 0 is permitted)".
"""

from __future__ import annotations

import os
from pathlib import Path

_PROC = Path("/proc")


def _boot_id() -> str:
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _stat(pid: int) -> tuple[str, str]:
    """(state, start ticks) of ``pid`` from ``/proc``; empty strings when unknown."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return "", ""
    # The command name (field 2) is in parentheses and may itself hold spaces or ")".
    fields = stat[stat.rfind(")") + 2 :].split()
    # fields[0] is field 3 (state); field 22 (starttime) is fields[19].
    if len(fields) <= 19:
        return "", ""
    return fields[0], fields[19]


def start_token(pid: int | None = None) -> str:
    """An identity for process ``pid`` (default: this one) that survives pid reuse.

    Empty when the platform offers no way to tell (no ``/proc``).
    """
    _, ticks = _stat(os.getpid() if pid is None else pid)
    boot = _boot_id()
    return f"{boot}:{ticks}" if ticks and boot else ""


def is_running(pid: int | None, token: str | None) -> bool:
    """True when the process that recorded ``(pid, token)`` is still alive.

    False for a missing pid, a dead or zombie pid, a pid now owned by another user (our own
    recorder always runs as us), and a pid whose start token differs (reused, or the
    machine has rebooted).
    """
    if pid is None or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # alive, but another user's: not the voicemock that recorded
    except OSError:
        return False
    state, _ = _stat(pid)
    if state in ("Z", "X"):
        return False  # exited, not yet reaped by its parent
    if token:
        current = start_token(pid)
        if current:
            return current == token
        # The pid is alive yet has no start token: it is not the same process if /proc
        # exists (it would have one), or we cannot tell (then trust the pid).
        return not _PROC.joinpath("self").exists()
    return True
