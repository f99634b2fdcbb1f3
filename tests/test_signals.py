"""Signals and leftovers (issue 15, item 8).

- SIGTERM during an answer is handled like Ctrl-C: the answer is saved, exit 143.
- Ctrl-C and SIGTERM exit within 2 s: the words come from the live transcription (what it
  decoded while recording, plus the last seconds), not from transcribing it all again.
- The question's audio, while synthesised, lives in a private scratch directory (0700,
  files 0600) that the next start removes if a kill left it behind.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fakes import FakeTranscriber
from tests.speech_helpers import espeak_wav
from voicemock.cli import cli
from voicemock.env import Environment
from voicemock.scratch import LEGACY_AGE_S, clean_leftovers, make_dir
from voicemock.storage import Store

EXIT_LIMIT_S = 6.0
"""The goal is 2 s (scripts/bench_faults.py measures it: about 1 s on an idle 2-core
machine, most of it decoding the last seconds). The test allows for a machine shared with
other work, where decoding those seconds can take three times as long; re-transcribing
the whole answer, as before, took 9 s."""


def recording_seconds(home: Path) -> float:
    found = sorted(home.glob("audio/*/*.wav"))
    return (found[0].stat().st_size - 44) / 32_000 if found else 0.0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "code", "word"),
    [(signal.SIGINT, 130, "Interrupted."), (signal.SIGTERM, 143, "Terminated.")],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_signal_during_an_answer_saves_it_and_exits_within_2_s(
    tmp_path: Path, shared_audio: Path, voicemock_home: Path, sig: int, code: int, word: str
) -> None:
    from tests.test_privacy import speech

    answer = speech(shared_audio, tmp_path / "answer.wav", 30)
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "voicemock", "practice", "--question", "ow-outside-scope",
            "--think", "0", "--no-voice", "--answer-file", str(answer),
        ],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while recording_seconds(voicemock_home) < 12 and time.monotonic() < deadline:
        time.sleep(0.05)
    spoken = recording_seconds(voicemock_home)
    assert spoken >= 12, proc.stderr.read() if proc.poll() is not None else "no recording"
    sent = time.monotonic()
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    assert proc.returncode == code, err
    assert took <= EXIT_LIMIT_S, f"{took:.2f} s to exit"
    assert err.strip().splitlines()[-1] == word
    assert "Saved as session 1, answer 1" in err
    with Store.open(voicemock_home) as store:
        (saved,) = store.answers(1)
        session = store.get_session(1)
    assert saved.status == "interrupted" and session.status == "interrupted"
    assert saved.duration_s is not None and abs(saved.duration_s - spoken) < 1.0
    assert saved.analysis is not None and "fellow Americans" in (saved.transcript or "")


def test_sigterm_while_recording_takes_the_ctrl_c_path(
    voicemock_home: Path, tmp_path: Path, espeak: str
) -> None:
    """In process, with scripted parts: SIGTERM lands where Ctrl-C would, and the answer
    is saved from the live transcription (the fake transcriber is asked for no second,
    whole-recording pass)."""
    from tests.practice_helpers import ClockRecorder, FakeClock, ScriptedKeys
    from voicemock.audio.io import load_audio

    wav = espeak_wav(
        espeak,
        [("At my last company I owned the checkout page.", 400)] * 3,
        tmp_path / "a.wav",
    )
    clock = FakeClock()
    transcriber = FakeTranscriber().enqueue(*["I decided to cut the form."] * 4)

    class Terminating(ClockRecorder):
        def wait(self, timeout: float | None = None) -> bool:
            done = super().wait(timeout)
            if self.elapsed >= 6.0:
                os.kill(os.getpid(), signal.SIGTERM)
            return done

    env = Environment(
        environ={**os.environ, "VOICEMOCK_HOME": str(voicemock_home)},
        clock=clock,
        sleep=clock.sleep,
        transcriber_factory=lambda _m: transcriber,
        recorder_factory=lambda req: Terminating(
            clock, load_audio(wav), max_seconds=req.max_seconds
        ),
        keys_factory=lambda: ScriptedKeys(clock).start(),
    )
    result = CliRunner().invoke(cli, ["practice", "--count", "1", "--no-voice"], obj=env)
    assert result.exit_code == 143, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "Terminated."
    with Store.open(voicemock_home) as store:
        (saved,) = store.answers(1)
    assert saved.status == "interrupted"
    assert saved.duration_s is not None and 6.0 <= saved.duration_s < 6.5
    assert max(transcriber.calls) < 6.5  # chunks and the tail, never the whole again
    assert signal.getsignal(signal.SIGTERM) is not None  # the handler was put back


# -- the speech worker's scratch files -------------------------------------------------------


def test_the_speech_worker_writes_the_question_0600_whatever_the_umask(tmp_path: Path) -> None:
    pytest.importorskip("pyttsx3")
    old = os.umask(0)
    try:
        work = make_dir(tmp_path / "cache", "tts")
        out = work / "piece.wav"
        done = subprocess.run(
            [sys.executable, "-m", "voicemock.tts.worker", "--", str(out), "Tell me more."],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    finally:
        os.umask(old)
    if done.returncode == 4:
        pytest.skip(f"missing: a text-to-speech engine ({done.stderr.strip()})")
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(work.stat().st_mode) == 0o700
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def leftover(base: Path, name: str, *, age_s: float = 0.0) -> Path:
    path = base / name
    path.mkdir(parents=True)
    (path / "piece000-try1.wav").write_bytes(b"RIFF the question's audio")
    if age_s:
        old = time.time() - age_s
        os.utime(path, (old, old))
    return path


def test_leftovers_of_a_killed_synthesis_are_removed_at_the_next_start(
    voicemock_home: Path, tmp_path: Path, espeak: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_tmp))
    cache = voicemock_home / "cache"
    killed = leftover(cache, f"voicemock-tts-{dead_pid()}-abc123")
    running = leftover(cache, f"voicemock-tts-{os.getppid()}-def456")  # alive: kept
    old_style = leftover(system_tmp, "voicemock-tts-k2j4h5l6", age_s=LEGACY_AGE_S + 60)
    fresh_old_style = leftover(system_tmp, "voicemock-tts-zz99yy88")  # may be in use: kept
    unrelated = leftover(system_tmp, "someone-else-tts-1-x")
    wav = espeak_wav(espeak, [("I decided to fix it.", 300)], tmp_path / "a.wav")
    env = Environment(transcriber_factory=lambda _m: FakeTranscriber().enqueue("I decided."))
    result = CliRunner().invoke(
        cli, ["practice", "--answer-file", str(wav), "--fast", "--no-voice"], obj=env
    )
    assert result.exit_code == 0, result.stderr
    assert not killed.exists() and not old_style.exists()
    assert running.exists() and fresh_old_style.exists() and unrelated.exists()


def test_cleaning_never_follows_a_link(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "file").write_text("keep")
    base = tmp_path / "cache"
    base.mkdir()
    (base / f"voicemock-tts-{dead_pid()}-abc").symlink_to(precious)
    assert clean_leftovers(base, "tts") == 0
    assert (precious / "file").read_text() == "keep"
