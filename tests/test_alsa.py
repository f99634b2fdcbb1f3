"""alsa-lib's "underrun occurred" lines never reach the terminal once voicemock opens
PortAudio; everything else written to stderr still does.

An output stream through the private PulseAudio daemon (ALSA's pulse plugin, as on a
desktop) is starved on purpose three times. Without the handler alsa-lib prints a line
for each underrun (checked here too, so the test can see what it asserts is gone).
"""

from __future__ import annotations

import ctypes.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import pulse_helpers
from tests.conftest import ROOT, require
from tests.pulse_helpers import PulseAudio
from voicemock.audio.alsa import quiet_alsa

pulse_daemon = pulse_helpers.pulse_daemon
pulse = pulse_helpers.pulse

STARVED_STREAM = """
import sys, time
{open_portaudio}
starved = []
def callback(outdata, frames, _time, _status):
    outdata[:] = 0
    starved.append(1)
    if len(starved) in (5, 10, 15):
        time.sleep(0.4)  # longer than the buffer: the device runs dry
stream = sd.OutputStream(
    samplerate=16000, channels=1, dtype="float32", callback=callback, blocksize=160
)
stream.start()
time.sleep(2.0)
stream.stop()
stream.close()
print("still on stderr", file=sys.stderr)
"""
PLAIN = "import sounddevice as sd"
VOICEMOCK = "from voicemock.audio.devices import portaudio\nsd = portaudio()"


def starve(pulse: PulseAudio, open_portaudio: str) -> str:
    code = STARVED_STREAM.format(open_portaudio=open_portaudio)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=pulse.subprocess_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_alsa_lib_is_found_and_quieting_is_idempotent() -> None:
    require(ctypes.util.find_library("asound"), "alsa-lib (Debian package libasound2)")
    assert quiet_alsa() is True
    assert quiet_alsa() is True


@pytest.mark.slow
def test_underrun_lines_are_dropped_and_other_stderr_stays(pulse: PulseAudio) -> None:
    require(ctypes.util.find_library("asound"), "alsa-lib (Debian package libasound2)")
    plain = starve(pulse, PLAIN)
    assert plain.count("underrun occurred") >= 1, plain  # what alsa-lib does by itself
    quiet = starve(pulse, VOICEMOCK)
    assert "underrun" not in quiet and "ALSA lib" not in quiet, quiet
    assert "still on stderr" in quiet


# -- during playback and during a round (issue 9, item 20) -----------------------------------
#
# A process that is not scheduled for a while (a loaded machine; here SIGSTOP) cannot feed
# its output stream, and alsa-lib reports the underrun when it runs again. The control
# shows that a plain sounddevice player stopped the same way prints the lines.

PLAIN_PLAYER = """
import numpy as np, sounddevice as sd
tone = (0.1 * np.sin(np.arange(16000 * 4) / 5)).astype(np.float32)
sd.play(tone, 16000)
sd.wait()
"""


def pause(pid: int, seconds: float) -> None:
    """Stop the process ``pid`` (one this test started) for ``seconds``, then let it go on."""
    import os
    import signal
    import time

    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(seconds)
    finally:
        os.kill(pid, signal.SIGCONT)


def spoken_answer(tmp_path: Path, espeak: str, seconds: float = 8.0) -> Path:
    from tests.speech_helpers import espeak_wav

    sentence = "I decided to rebuild the payment form and conversion rose by eleven percent."
    return espeak_wav(espeak, [(sentence, 500)] * max(1, round(seconds / 5)), tmp_path / "a.wav")


@pytest.mark.slow
def test_a_stopped_player_underruns_without_voicemock(pulse: PulseAudio) -> None:
    import time

    child = subprocess.Popen(
        [sys.executable, "-c", PLAIN_PLAYER],
        env=pulse.subprocess_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    pause(child.pid, 1.0)
    _, err = child.communicate(timeout=60)
    assert "underrun occurred" in err, err


@pytest.mark.slow
def test_play_under_load_keeps_alsa_quiet_and_plays_to_the_end(
    pulse: PulseAudio, tmp_path: Path, espeak: str, voicemock_home: Path
) -> None:
    """`voicemock play` stopped for longer than the stall limit in the middle of an answer:
    no ALSA line, no "stalled" report, and the answer plays to its end (issue 9, item 8)."""
    import time

    from voicemock.audio.io import load_audio
    from voicemock.audio.playback import STALL_S
    from voicemock.storage import Store

    answer = spoken_answer(tmp_path, espeak, seconds=10)
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name="amazon-pm", model="tiny.en")
        record = store.start_answer(
            session.id, question_id="q", question_text="Tell me about a decision."
        )
        assert record.audio_path is not None
        record.audio_path.write_bytes(answer.read_bytes())
        store.complete_answer(record.id, duration_s=10.0, transcript="", analysis=None)
    length = len(load_audio(answer)) / 16000
    with pulse.capture_speaker() as heard:
        child = subprocess.Popen(
            [sys.executable, "-m", "voicemock", "play", "latest", "1"],
            env={**pulse.subprocess_env(), "VOICEMOCK_HOME": str(voicemock_home)},
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().startswith("Playing answer 1: ")
        time.sleep(2.0)
        pause(child.pid, STALL_S + 1.5)  # the old wall-clock limit reported a stall here
        _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "stalled" not in err and "ALSA lib" not in err and "underrun" not in err, err
    # Everything was heard: the capture holds about as much sound as the answer.
    heard_audio = load_audio(heard.path)
    loud = (abs(heard_audio) > 0.01).nonzero()[0]
    assert len(loud) and (loud[-1] - loud[0]) / 16000 > length - 1.5, (loud[-1:], length)


@pytest.mark.slow
@pytest.mark.e2e
def test_a_round_under_load_keeps_alsa_quiet(
    pulse: PulseAudio, tmp_path: Path, espeak: str, shared_audio: Path
) -> None:
    """The real round in a pseudo-terminal, its process stopped again and again while the
    question is read aloud (and the start tone plays) and while it records: nothing from
    alsa-lib reaches the terminal, and the round finishes."""
    import time

    import pexpect

    qset = tmp_path / "alsa.toml"
    qset.write_text(
        'name = "alsa"\nthink_s = 0\ntarget = { min_s = 5, max_s = 20, cap_s = 40 }\n\n'
        '[[questions]]\nid = "q"\ntext = "Tell me about a time you changed a team\'s mind '
        'with data, and what happened next."\n',
        encoding="utf-8",
    )
    env = {**pulse.subprocess_env(), "TERM": "xterm-256color", "COLUMNS": "120"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "voicemock", "practice", "--set", str(qset), "--count", "1", "--follow-ups", "0"],
        env=env,
        cwd=str(tmp_path),
        encoding="utf-8",
        codec_errors="replace",
        timeout=180,
        dimensions=(40, 120),
    )
    seen = ""
    child.expect("Question 1 of 1")
    seen += (child.before or "") + (child.after or "")
    deadline = time.monotonic() + 120
    while True:  # stopped for 0.5 s every 0.8 s until recording has begun
        pause(child.pid, 0.5)
        try:
            child.expect("Enter to finish", timeout=0.3)
        except pexpect.TIMEOUT:
            seen += child.before or ""
            assert time.monotonic() < deadline, seen[-2000:]
            continue
        seen += (child.before or "") + (child.after or "")
        break
    player = pulse.play_into_mic(shared_audio / "jfk.flac")
    for _ in range(4):
        time.sleep(0.5)
        pause(child.pid, 0.5)
    assert player.wait(timeout=60) == 0
    child.send("\r")
    child.expect("try this question again now", timeout=300)  # Enter: go on
    seen += (child.before or "") + (child.after or "")
    child.send("\r")
    child.expect("Round summary", timeout=300)
    seen += (child.before or "") + (child.after or "")
    child.expect(pexpect.EOF, timeout=60)
    seen += child.before or ""
    child.close()
    assert child.exitstatus == 0, seen[-2000:]
    assert "ALSA lib" not in seen and "underrun" not in seen and "overrun" not in seen, seen
    assert "voice unavailable" not in seen, seen  # the question was really played
