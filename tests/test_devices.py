"""Listing and choosing sound devices, against real PortAudio and a private PulseAudio."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import pulse_helpers
from tests.conftest import require
from tests.pulse_helpers import PulseAudio
from voicemock.audio.devices import Device, list_devices, resolve_input, resolve_output
from voicemock.cli import cli
from voicemock.errors import DeviceError

ROOT = Path(__file__).resolve().parent.parent
pulse_daemon, pulse = pulse_helpers.pulse_daemon, pulse_helpers.pulse
no_audio_server = pulse_helpers.no_audio_server


def test_lists_the_virtual_devices_with_the_defaults_marked(pulse: PulseAudio) -> None:
    found = list_devices()
    names = {d.name for d in found}
    assert {"pulse", "default"} <= names, names
    mic = resolve_input()
    assert mic.is_default_input and mic.inputs > 0
    assert sum(d.is_default_input for d in found) == 1
    assert sum(d.is_default_output for d in found) == 1
    assert resolve_output().is_default_output


def test_resolves_by_index_exact_name_or_unique_part(pulse: PulseAudio) -> None:
    found = list_devices()
    by_name = {d.name: d for d in found}
    assert resolve_input("pulse") == by_name["pulse"]
    assert resolve_input("PULS") == by_name["pulse"]
    assert resolve_input(by_name["pulse"].index) == by_name["pulse"]
    assert resolve_input(str(by_name["default"].index)) == by_name["default"]
    with pytest.raises(DeviceError, match="matches several microphones") as many:
        resolve_input("u")  # "pulse" and "default"
    assert "'pulse'" in str(many.value) and "'default'" in str(many.value)
    with pytest.raises(DeviceError, match=r"no microphone matches 'usb'.*voicemock devices"):
        resolve_input("usb")
    with pytest.raises(DeviceError, match="there is no device number 99"):
        resolve_input(99)


def test_devices_command_lists_inputs_and_outputs(pulse: PulseAudio) -> None:
    result = CliRunner().invoke(cli, ["devices"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Microphones (input):"
    speakers_at = lines.index("Speakers (output):")
    mics, speakers = lines[1:speakers_at], lines[speakers_at + 1 : -1]
    for section in (mics, speakers):
        marked = [line for line in section if line.lstrip().startswith("*")]
        assert len(marked) == 1 and marked[0].endswith("(default)"), section
        assert any(" pulse " in line for line in section)
    assert "default" in [line.split()[2] for line in mics if line.lstrip().startswith("*")]
    assert "44100 Hz" in result.output  # the null sinks' rate, as PortAudio reports it


def test_devices_help_shows_an_example() -> None:
    result = CliRunner().invoke(cli, ["devices", "--help"])
    assert result.exit_code == 0
    assert "voicemock devices" in result.output.split("Examples:")[1]


NOTHING = (
    "Microphones (input):\n"
    "    (none)\n"
    "Speakers (output):\n"
    "    (none)\n"
    "(* = default device)\n"
    "No microphone: practise with a recorded answer instead: --answer-file ANSWER.wav\n"
)


def test_no_sound_device_lists_none_for_both_and_exits_0(
    no_audio_server: dict[str, str],
) -> None:
    """The real CLI, in its own process, on a machine where PortAudio finds nothing:
    `devices` says what exists (nothing) and succeeds (issue 9, item 11)."""
    done = subprocess.run(
        [sys.executable, "-m", "voicemock", "devices"],
        env={**os.environ, **no_audio_server},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    require("Microphones (input):\n    (none)" in done.stdout, "a machine without sound cards")
    assert done.returncode == 0, done.stderr
    assert done.stdout == NOTHING
    assert done.stderr == ""


def test_no_microphone_in_process_too(no_audio_server: dict[str, str]) -> None:
    """In a process that already initialised PortAudio, a device list that turns up
    empty is scanned again, so the answer reflects the machine now; practising without
    a microphone is still one line suggesting --answer-file."""
    found = list_devices()
    require(not [d for d in found if d.inputs], "a machine without sound cards")
    with pytest.raises(DeviceError, match=r"^no microphone found .*--answer-file"):
        resolve_input()
    result = CliRunner().invoke(cli, ["devices"])
    if not found:
        assert result.exit_code == 0 and result.output == NOTHING
    practice = CliRunner().invoke(cli, ["practice", "--no-voice"])
    assert practice.exit_code == 2
    assert practice.stderr.startswith("Error: no microphone found")
    assert practice.stderr.count("\n") == 1 and "--answer-file" in practice.stderr


# -- resolution logic on made-up device lists ---------------------------------------------


def dev(index: int, name: str, inputs: int, outputs: int, **flags: bool) -> Device:
    return Device(index, name, "ALSA", inputs, outputs, 48000.0, **flags)


def test_output_only_machine_names_what_it_found() -> None:
    hdmi = [dev(0, "HDA Intel HDMI", 0, 8, is_default_output=True)]
    with pytest.raises(DeviceError) as err:
        resolve_input(None, hdmi)
    assert str(err.value) == (
        "no microphone found (PortAudio sees only 0 'HDA Intel HDMI' (output)); "
        "practise with a recorded answer instead: --answer-file ANSWER.wav"
    )
    assert resolve_output(None, hdmi).index == 0


def test_an_output_is_not_a_microphone_and_no_default_means_the_first() -> None:
    devices = [dev(0, "HDMI", 0, 2), dev(1, "USB Mic", 1, 0), dev(2, "Webcam Mic", 2, 0)]
    assert resolve_input(None, devices).index == 1  # PortAudio named no default
    with pytest.raises(DeviceError, match="device 0 'HDMI' has no inputs"):
        resolve_input(0, devices)
    assert resolve_input("mic", [*devices, dev(3, "mic", 1, 0)]).index == 3  # exact wins
    assert resolve_input("  webcam ", devices).index == 2
    assert resolve_input("", devices).index == 1


def test_missing_portaudio_is_one_line_with_the_package(tmp_path: Path) -> None:
    """sounddevice raises OSError when libportaudio2 is absent (measured); a stand-in
    module that does the same shows how the CLI reports it."""
    (tmp_path / "sounddevice.py").write_text('raise OSError("PortAudio library not found")\n')
    done = subprocess.run(
        [sys.executable, "-m", "voicemock", "devices"],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "PortAudio sound library is not installed" in done.stderr
    assert "apt-get install libportaudio2" in done.stderr
