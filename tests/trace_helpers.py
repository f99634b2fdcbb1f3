"""Running a command under ``strace`` and reading back what it did to the network and files.

``traced(cmd, out)`` runs ``cmd`` with ``strace -f -y --seccomp-bpf`` on network and file
system calls; :func:`internet_sockets` lists every ``socket(AF_INET…)``/``AF_INET6`` call
(one is made before any name lookup or connection, so none means nothing was sent), and
:func:`written_paths` every successful call that creates or writes a file or directory:
``open``/``openat``/``creat`` for writing or creating, ``mkdir``, ``rename`` targets,
``link``/``symlink`` and ``truncate``, with relative paths resolved against the
descriptor strace names (``-y``) or the working directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import require

WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")
CI_VARIABLES = (
    "CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TRAVIS", "JENKINS_URL",
    "CODEBUILD_BUILD_ID", "BUILDKITE", "TEAMCITY_VERSION", "APPVEYOR", "BITBUCKET_BUILD_NUMBER",
    "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI", "ORT_RUNNING_UNIT_TESTS",
)  # fmt: skip
"""onnxruntime turns its telemetry off by itself when one of these is set (its source:
``telemetry_environment.h``), so a test that proves *voicemock* turns it off unsets them."""

_CALL = re.compile(r"^(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_FD = re.compile(r"(?:^|, )(?:-?\d+|AT_FDCWD)<([^>]*)>")


@dataclass(frozen=True)
class Call:
    pid: int
    name: str
    args: str
    result: int


def strace() -> str:
    path = shutil.which("strace")
    require(path, "strace (Debian package strace)")
    assert path is not None
    return path


def clean_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """``os.environ`` without onnxruntime's own off switches (CI variables, and the one
    voicemock sets), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES}
    env.pop("ORT_DISABLE_TELEMETRY", None)
    env.update(extra)
    return env


def traced(
    cmd: Sequence[str],
    trace: Path,
    *,
    env: Mapping[str, str],
    cwd: Path,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` under strace, writing the trace to ``trace``."""
    full = [
        strace(), "-f", "-qq", "-y", "--seccomp-bpf", "-e", "trace=%network,%file",
        "-o", str(trace), *cmd,
    ]  # fmt: skip
    return subprocess.run(
        full, env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def calls(trace: Path) -> list[Call]:
    found = []
    for line in trace.read_text(errors="replace").splitlines():
        m = _CALL.match(line)
        if m and m.group(4) != "?":
            found.append(Call(int(m.group(1)), m.group(2), m.group(3), int(m.group(4))))
    return found


def internet_sockets(trace: Path) -> list[str]:
    """Every socket() call for an internet address family, successful or not."""
    return [
        f"{c.name}({c.args})"
        for c in calls(trace)
        if c.name in ("socket", "socketpair") and re.match(r"AF_INET6?\b", c.args)
    ]


def written_paths(trace: Path, cwd: Path) -> list[tuple[str, str]]:
    """(call, absolute path) of every successful call that created or wrote a path."""
    out: list[tuple[str, str]] = []
    for c in calls(trace):
        if c.result < 0:
            continue
        strings = _STRING.findall(c.args)
        fds = _FD.findall(c.args)
        if not strings:
            continue

        def absolute(path: str, base: str | None) -> str:
            return path if path.startswith("/") else str(Path(base or cwd) / path)

        at = fds[0] if fds and c.name.endswith("at") else None
        if c.name in ("open", "openat", "creat"):
            if c.name == "creat" or any(flag in c.args for flag in WRITE_FLAGS):
                out.append((c.name, absolute(strings[0], at)))
        elif c.name in ("mkdir", "mkdirat", "truncate"):
            out.append((c.name, absolute(strings[0], at)))
        elif c.name in ("rename", "renameat", "renameat2", "link", "linkat"):
            base = fds[-1] if fds and c.name.endswith(("at", "at2")) else None
            out.append((c.name, absolute(strings[-1], base)))
        elif c.name in ("symlink", "symlinkat"):
            out.append((c.name, absolute(strings[-1], at)))
    return out


IPC_AND_DEVICES = re.compile(
    r"^/dev/(null|tty|pts/\d+|snd/|shm/sem\.|shm/jack_)|^/proc/(self|\d+)/"
)
"""Not files: devices, terminals, POSIX semaphores (Python's multiprocessing, created and
unlinked at once), JACK's shared-memory registry that PortAudio's JACK backend opens."""


def outside(paths: list[tuple[str, str]], allowed: Sequence[Path]) -> list[str]:
    """The writes that are neither under an allowed directory nor IPC/devices."""
    roots = [str(p.resolve()) for p in allowed]
    bad = []
    for call, path in paths:
        real = os.path.normpath(path)
        if IPC_AND_DEVICES.match(real):
            continue
        if any(real == r or real.startswith(r + os.sep) for r in roots):
            continue
        bad.append(f"{call} {real}")
    return sorted(set(bad))
