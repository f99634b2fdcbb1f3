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
