"""Nothing leaves the machine and nothing is left outside voicemock's own directories.

onnxruntime (it runs the Silero voice-activity detector) ships a telemetry uploader on
Linux (the 1DS SDK): about 10 s into a process it looks up a Microsoft host, and at once
it writes ``$TMPDIR/.ses`` and a device id under ``~/.cache/Microsoft/DeveloperTools``.
``voicemock.privacy`` turns it off before anything imports onnxruntime. These tests run
real commands long enough for that timer under ``strace`` and check every socket and every
file written, with onnxruntime's own off switches (CI variables) removed from the
environment, so only voicemock's switch can be what keeps them quiet; a control run
without voicemock shows the tracer does see the uploader.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests import pulse_helpers
from tests.pulse_helpers import PulseAudio
from tests.trace_helpers import (
    clean_environment,
    internet_sockets,
    outside,
    strace,
    traced,
    written_paths,
)

pulse_daemon, pulse = pulse_helpers.pulse_daemon, pulse_helpers.pulse

CLIPS = [
    "jfk.flac",
    "librispeech/1089-134686-0000.flac",
    "ljspeech/LJ001-0003.wav",
    "picovoice/test.wav",
    "librispeech/2412-153948-0000.flac",
    "ljspeech/LJ001-0001.wav",
]


def speech(shared_audio: Path, path: Path, seconds: float) -> Path:
    """At least ``seconds`` of real speech, clips joined with half-second pauses."""
    from voicemock.audio.io import load_audio

    parts: list[np.ndarray] = []
    total = 0.0
    while total < seconds:
        for clip in CLIPS:
            audio = load_audio(shared_audio / clip)
            parts += [audio, np.zeros(8000, dtype=np.float32)]
            total += len(audio) / 16000 + 0.5
            if total >= seconds:
                break
    soundfile.write(str(path), np.concatenate(parts), 16000, subtype="PCM_16")
    return path


def sandbox(tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    """An environment with its own empty HOME and TMPDIR, so any write shows; the data dir."""
    user, tmp, cwd = tmp_path / "user", tmp_path / "tmp", tmp_path / "cwd"
    for d in (user, tmp, cwd):
        d.mkdir()
    home = tmp_path / "voicemock-data"
    env = clean_environment(
        {
            "HOME": str(user),
            "TMPDIR": str(tmp),
            "VOICEMOCK_HOME": str(home),
            "PYTHONDONTWRITEBYTECODE": "1",  # the interpreter's own cache, not ours
        }
    )
    env.pop("XDG_CACHE_HOME", None)
    return env, home, cwd


def assert_private(
    tmp_path: Path, trace: Path, cwd: Path, home: Path, sound_server: Path | None = None
) -> None:
    assert internet_sockets(trace) == []
    # The data directory holds the cache too (VOICEMOCK_HOME/cache); nothing else but
    # the sound server's own runtime directory (libpulse opens its cookie read-write).
    allowed = [home] if sound_server is None else [home, sound_server]
    assert outside(written_paths(trace, cwd), allowed) == []
    assert list((tmp_path / "tmp").iterdir()) == []
    assert list((tmp_path / "user").iterdir()) == []


def test_importing_voicemock_turns_onnxruntime_telemetry_off() -> None:
    code = "import os; os.environ['ORT_DISABLE_TELEMETRY'] = '0'; import voicemock; import os; "
    code += "print(os.environ['ORT_DISABLE_TELEMETRY'], os.getenv('HF_HUB_DISABLE_TELEMETRY'))"
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["1", "1"]


LINGER_S = 30.0
"""How long the traced `analyze` process lives (the issue: a run of 30 s or more)."""


@pytest.mark.slow
def test_analyze_sends_nothing_and_writes_only_in_the_data_dir(
    tmp_path: Path, shared_audio: Path
) -> None:
    env, home, cwd = sandbox(tmp_path)
    answer = speech(shared_audio, tmp_path / "answer.wav", 40)
    trace = tmp_path / "analyze.trace"
    # `voicemock analyze` itself, in a process kept alive for LINGER_S whatever the speed
    # of the machine: onnxruntime's uploader fires ~10 s after it loads, and a quick run
    # would end before it and look clean.
    code = (
        "import runpy, sys, time\n"
        "started = time.monotonic()\n"
        "sys.argv = ['voicemock', 'analyze', sys.argv[1]]\n"
        "try:\n    runpy.run_module('voicemock', run_name='__main__')\n"
        "except SystemExit as exc:\n    code = exc.code\n"
        f"time.sleep(max(0.0, {LINGER_S} - (time.monotonic() - started)))\n"
        "sys.exit(code)\n"
    )
    started = time.monotonic()
    done = traced([sys.executable, "-c", code, str(answer)], trace, env=env, cwd=cwd)
    lasted = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "Transcript" in done.stdout
    assert lasted >= LINGER_S, "the run must outlast onnxruntime's ~10 s upload timer"
    assert_private(tmp_path, trace, cwd, home)


@pytest.mark.slow
@pytest.mark.e2e
def test_a_spoken_practice_round_sends_nothing_and_writes_only_in_the_data_dir(
    tmp_path: Path, shared_audio: Path, pulse: PulseAudio
) -> None:
    """The question read aloud (the speech worker's files), a 15 s answer fed in real time,
    streaming transcription, the database, the recording: all inside the data directory."""
    env, home, cwd = sandbox(tmp_path)
    env.update(pulse.env)  # the private sound server of the pulse fixture
    answer = speech(shared_audio, tmp_path / "answer.wav", 15)
    trace = tmp_path / "practice.trace"
    with pulse.capture_speaker() as heard:
        done = traced(
            [
                sys.executable, "-m", "voicemock", "practice", "--question", "ow-outside-scope",
                "--think", "0", "--follow-ups", "0", "--answer-file", str(answer),
            ],
            trace,
            env=env,
            cwd=cwd,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Round summary" in done.stdout
    assert "voice unavailable" not in done.stdout  # the question really was spoken
    assert heard.path.stat().st_size > 100_000
    assert_private(tmp_path, trace, cwd, home, sound_server=pulse.runtime_dir)
    pieces = [p for p in written_paths(trace, cwd) if p[1].endswith(".wav") and "tts" in p[1]]
    assert pieces and all(p[1].startswith(str(home / "cache")) for p in pieces)
    assert not list((home / "cache").glob("voicemock-tts-*"))  # cleaned up after use


@pytest.mark.slow
def test_control_without_voicemock_the_tracer_sees_the_uploader(tmp_path: Path) -> None:
    """The same tracer on onnxruntime alone (no voicemock, no off switch): it writes its
    session file and device id at once and opens an internet socket ~10 s in. So the two
    tests above would fail if voicemock did not turn it off."""
    strace()
    env, _home, cwd = sandbox(tmp_path)
    code = (
        "import time\nfrom faster_whisper.vad import get_vad_model\nget_vad_model()\n"
        "time.sleep(20)\n"
    )
    trace = tmp_path / "control.trace"
    done = traced([sys.executable, "-c", code], trace, env=env, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "tmp" / ".ses").exists()
    assert (tmp_path / "user" / ".cache" / "Microsoft" / "DeveloperTools").is_dir()
    assert internet_sockets(trace), "onnxruntime's uploader opened no internet socket"
