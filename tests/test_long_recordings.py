"""Recordings of mock-interview length (issue 15, item 4): `voicemock analyze` decodes and
analyses in constant memory, draws a progress bar on a terminal, stops cleanly on Ctrl-C,
and says "no speech" for noise instead of inventing fillers. The 60-minute figures are
printed by ``scripts/bench_faults.py``; these tests run the same paths on shorter files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pexpect
import pytest

from tests.longform import READ_CLIPS
from voicemock.audio import SAMPLE_RATE
from voicemock.audio.io import load_audio

pytestmark = pytest.mark.slow

MEMORY_LIMIT_MB = 500


def write_wav(path: Path, audio: np.ndarray) -> Path:
    import soundfile

    soundfile.write(str(path), audio, SAMPLE_RATE, subtype="PCM_16")
    return path


def read_speech(shared_audio: Path, minutes: float) -> np.ndarray:
    """The read clips again and again, each followed by a 0.5–1.5 s pause."""
    rng = np.random.default_rng(7)
    clips = [load_audio(shared_audio / clip) for clip in READ_CLIPS]
    parts: list[np.ndarray] = []
    total = 0
    while total < minutes * 60 * SAMPLE_RATE:
        for clip in clips:
            pause = np.zeros(int(rng.uniform(0.5, 1.5) * SAMPLE_RATE), dtype=np.float32)
            parts += [clip, pause]
            total += len(clip) + len(pause)
    return np.concatenate(parts)[: int(minutes * 60 * SAMPLE_RATE)]


def analyze_peak(wav: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """``voicemock analyze --json`` in a child; its exit, output and peak RSS in MB."""
    code = (
        "import resource, subprocess, sys, json\n"
        "r = subprocess.run([sys.executable, '-m', 'voicemock', 'analyze', sys.argv[1],"
        " '--json'], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'code': r.returncode, 'out': r.stdout, 'err': r.stderr,"
        " 'peak': peak}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(wav)],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    data = json.loads(run.stdout)
    done = subprocess.CompletedProcess(["analyze"], data["code"], data["out"], data["err"])
    return done, float(data["peak"])


def test_memory_does_not_grow_with_length(shared_audio: Path, tmp_path: Path) -> None:
    """Ten minutes of speech peak within 60 MB of three minutes, under 500 MB (the
    60-minute figures: scripts/bench_faults.py)."""
    short = write_wav(tmp_path / "short.wav", read_speech(shared_audio, 3))
    long = write_wav(tmp_path / "long.wav", read_speech(shared_audio, 10))
    ran_short, peak_short = analyze_peak(short)
    ran_long, peak_long = analyze_peak(long)
    print(f"peak RSS: 3 min {peak_short:.0f} MB, 20 min {peak_long:.0f} MB")
    assert ran_short.returncode == 0, ran_short.stderr
    assert ran_long.returncode == 0, ran_long.stderr
    doc = json.loads(ran_long.stdout)
    assert doc["duration_s"] >= 590
    assert doc["words"][-1]["start"] > 560  # transcribed to the end
    assert peak_long <= MEMORY_LIMIT_MB
    assert peak_long <= peak_short + 60


@pytest.mark.parametrize("kind", ["white", "pink"])
def test_noise_is_no_speech_not_fillers(tmp_path: Path, kind: str) -> None:
    """Ten minutes of noise: "no speech detected" (exit 2, bad input), no filler, bounded
    memory."""
    rng = np.random.default_rng(3)
    noise = rng.standard_normal(10 * 60 * SAMPLE_RATE).astype(np.float32)
    if kind == "pink":  # more energy low down, like a fan or traffic
        spectrum = np.fft.rfft(noise)
        spectrum /= np.sqrt(np.arange(1, len(spectrum) + 1))
        noise = np.fft.irfft(spectrum, len(noise)).astype(np.float32)
    noise *= 0.1 / float(np.sqrt(np.mean(noise**2)))
    wav = write_wav(tmp_path / "noise.wav", noise)
    ran, peak = analyze_peak(wav)
    print(f"{kind} noise: exit {ran.returncode}, {ran.stderr.strip()!r}, peak {peak:.0f} MB")
    assert ran.returncode == 2
    assert ran.stderr.strip().splitlines() == [f"Error: no speech detected in {wav}"]
    assert ran.stdout == ""
    assert peak <= MEMORY_LIMIT_MB


def test_progress_bar_and_a_clean_ctrl_c(shared_audio: Path, tmp_path: Path) -> None:
    """On a terminal a long file shows a progress bar that fits 80 columns; Ctrl-C stops
    it at once (within 3 s on a loaded machine) with one line and status 130."""
    wav = write_wav(tmp_path / "long.wav", read_speech(shared_audio, 12))
    env = {**os.environ, "TERM": "xterm-256color"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "voicemock", "analyze", str(wav)],
        env=env,
        encoding="utf-8",
        timeout=120,
        dimensions=(24, 80),
    )
    child.expect(r"Transcribing \[#+\.+\] +(\d+)%")
    first = int(child.match.group(1))
    child.expect(r"Transcribing \[#+\.+\] +(\d+)%")
    bar = child.after
    assert len(bar) < 80
    assert int(child.match.group(1)) > first
    sent = time.monotonic()
    child.kill(signal.SIGINT)
    child.expect(pexpect.EOF, timeout=10)
    took = time.monotonic() - sent
    child.close()
    tail = child.before.strip().splitlines()
    print(f"Ctrl-C took {took:.2f} s; last lines {tail[-2:]}")
    assert tail[-1] == "Interrupted."
    assert "Traceback" not in child.before
    assert child.exitstatus == 130
    assert took <= 3.0
