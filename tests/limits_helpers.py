"""Running voicemock on hostile input without letting it take the machine down.

:func:`limited` runs one command in a child process with an address-space ceiling (a
runaway read fails there instead of eating the machine's memory) and a wall-clock
timeout, and reports its peak resident memory (``wait4``), its time and its output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT_MB = 500
"""What any command may use on any input (peak resident memory)."""
TIME_LIMIT_S = 10.0
ADDRESS_SPACE_CEILING = 6 << 30
"""A safety net far above MEMORY_LIMIT_MB (threads and mapped libraries reserve much more
address space than they use): a command reading /dev/zero dies here, not at 24 GB."""


@dataclass(frozen=True)
class Outcome:
    code: int | None
    """Exit status; ``None`` when it was killed for running too long."""
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def one_clear_line(self) -> bool:
        """A failure told in exactly one line on stderr, not a bug report."""
        lines = self.stderr.strip("\n").splitlines()
        return (
            self.code not in (0, None)
            and len(lines) == 1
            and "unexpected" not in lines[0]
            and "Traceback" not in self.stderr
        )


_LAUNCHER = """
import os, resource, subprocess, sys
limit, report, *args = sys.argv[1:]
resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
proc = subprocess.Popen([sys.executable, "-m", "voicemock", *args])
_, status, usage = os.wait4(proc.pid, 0)
with open(report, "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""
"""Runs the command as its own child and reports that child's peak memory: a process's
``ru_maxrss`` survives ``exec``, so a command forked straight from a big test process
would report the test process's memory, not its own."""


def limited(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = TIME_LIMIT_S * 3,
    stdin: str = "",
    cwd: Path | None = None,
) -> Outcome:
    """Run ``python -m voicemock ARGS`` under the ceiling; killed after ``timeout``."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "maxrss"
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(ADDRESS_SPACE_CEILING), str(report), *args],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
        assert proc.stdin is not None
        try:
            proc.stdin.write(stdin.encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
        code: int | None
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, 9)  # the launcher and the command
                _, status, usage = os.wait4(proc.pid, 0)
                code = None
                break
            time.sleep(0.02)
        proc.returncode = code if code is not None else -9
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Outcome(
            code,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            seconds,
            (int(report.read_text()) if report.exists() else usage.ru_maxrss) / 1024,
        )
