"""Shared pieces of the benchmark scripts: real-speech answers and process measurements."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED_AUDIO = Path(os.environ.get("VOICEMOCK_SHARED_AUDIO", ROOT.parent / "shared" / "audio"))

READ_CLIPS = [
    *(f"ljspeech/LJ001-000{i}.wav" for i in range(1, 9)),
    "librispeech/2412-153948-0000.flac",
    "librispeech/1089-134686-0000.flac",
    "librispeech/1089-134691-0001.flac",
    "librispeech/1089-134686-0001.flac",
    "librispeech/1089-134691-0000.flac",
    "picovoice/test.wav",
    "jfk.flac",
]
MEETING_CLIPS = [f"ami/{p.name}" for p in sorted((SHARED_AUDIO / "ami").glob("*.wav"))]


def build_answer(minutes: float, path: Path, seed: int = 0) -> tuple[Path, float]:
    """A WAV of real speech about ``minutes`` long: read clips, then meeting clips, each
    followed by a natural pause (0.4-1.6 s). It ends, as an answer does, after a whole
    clip and its pause, at the clip boundary nearest to ``minutes``. Returns the path and
    its length in seconds."""
    import numpy as np
    import soundfile

    from voicemock.audio import SAMPLE_RATE
    from voicemock.audio.io import load_audio

    rng = np.random.default_rng(seed)
    parts: list[np.ndarray] = []
    total = 0.0
    target = minutes * 60
    clips = READ_CLIPS + MEETING_CLIPS
    i = 0
    while True:
        audio = load_audio(SHARED_AUDIO / clips[i % len(clips)])
        pause = np.zeros(int(rng.uniform(0.4, 1.6) * SAMPLE_RATE), dtype=np.float32)
        length = (len(audio) + len(pause)) / SAMPLE_RATE
        if parts and total + length / 2 > target:
            break
        parts += [audio, pause]
        total += length
        i += 1
    joined = np.concatenate(parts)
    soundfile.write(str(path), joined, SAMPLE_RATE, subtype="PCM_16")
    return path, len(joined) / SAMPLE_RATE


@dataclass
class Run:
    wall_s: float
    peak_rss_mb: float
    stdout: str
    cpu_s: float = 0.0
    """User plus system CPU time of the process (wait4)."""


_LAUNCHER = """
import os, subprocess, sys
report, *cmd = sys.argv[1:]
proc = subprocess.Popen(cmd)
_, status, usage = os.wait4(proc.pid, 0)
with open(report, "w") as f:
    f.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def own_usage(cmd: list[str], report: Path) -> list[str]:
    """``cmd`` run through a small launcher that writes the command's own peak RSS (kB)
    and CPU time to ``report``. A process's ``ru_maxrss`` survives ``exec``, so a command
    forked straight from a bench holding hundreds of MB of audio reports the bench's
    memory, not its own."""
    return [sys.executable, "-c", _LAUNCHER, str(report), *cmd]


def read_usage(report: Path, fallback: Any) -> tuple[float, float]:
    """Peak RSS in MB and CPU seconds from :func:`own_usage`'s report."""
    if report.exists():
        kb, cpu = report.read_text().split()
        return int(kb) / 1024, float(cpu)
    return fallback.ru_maxrss / 1024, fallback.ru_utime + fallback.ru_stime


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd``; return its wall time, peak resident memory (wait4) and stdout."""
    import tempfile

    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "usage"
        start = time.perf_counter()
        proc = subprocess.Popen(
            own_usage(cmd, report), stdout=out, stderr=err, env=env or os.environ.copy()
        )
        _, status, usage = os.wait4(proc.pid, 0)
        peak_mb, cpu_s = read_usage(report, usage)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            sys.exit(
                f"command failed ({proc.returncode}): {' '.join(cmd)}\n"
                + err.read().decode(errors="replace")[-2000:]
            )
        return Run(wall, peak_mb, out.read().decode(errors="replace"), cpu_s)


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores, {cpu}{mem}, Python {platform.python_version()}"


def dump(path: Path | None, data: object) -> None:
    if path is not None:
        path.write_text(json.dumps(data, indent=2))
