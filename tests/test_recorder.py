"""Recording answers: a file as a microphone, and the real microphone path through
PortAudio and a private PulseAudio daemon (a null sink's monitor is the microphone)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from tests import pulse_helpers
from tests.pulse_helpers import PulseAudio
from voicemock.audio.recorder import (
    FileRecorder,
    SoundDeviceRecorder,
    from_pcm16,
    meter,
    to_pcm16,
)
from voicemock.audio.wavfile import read_wav_info, repair_wav
from voicemock.errors import AudioError, DeviceError

pulse_daemon, pulse = pulse_helpers.pulse_daemon, pulse_helpers.pulse
no_audio_server = pulse_helpers.no_audio_server

ROOT = Path(__file__).resolve().parent.parent
LONG_CLIP = "librispeech/2412-153948-0000.flac"  # 11.66 s, one reader, 16 kHz 16-bit
SHORT_CLIP = "librispeech/1089-134691-0000.flac"  # 2.09 s: "he could wait no longer"


def int16(path: Path) -> np.ndarray:
    data, rate = soundfile.read(str(path), dtype="int16")
    assert rate == 16000
    return data


class Collector:
    """A subscriber that keeps every block it is given."""

    def __init__(self) -> None:
        self.blocks: list[np.ndarray] = []
        self.threads: set[str] = set()

    def __call__(self, block: np.ndarray) -> None:
        self.blocks.append(block.copy())
        self.threads.add(threading.current_thread().name)

    @property
    def audio(self) -> np.ndarray:
        return np.concatenate(self.blocks) if self.blocks else np.zeros(0, np.float32)


# -- a file as the microphone ---------------------------------------------------------------


def test_file_recording_is_bit_exact_and_every_sample_reaches_subscribers_once(
    shared_audio: Path, tmp_path: Path
) -> None:
    source = shared_audio / SHORT_CLIP
    out = tmp_path / "answer.wav"
    seen = Collector()
    rec = FileRecorder(source, realtime=False)
    rec.subscribe(seen)
    with rec.start(out):
        assert rec.wait(10), "a file recording ends by itself"
    result = rec.recording
    assert result is not None
    np.testing.assert_array_equal(int16(out), int16(source))  # 16-bit in, same bits out
    np.testing.assert_array_equal(to_pcm16(seen.audio), int16(source))  # once, in order
    assert seen.threads == {"voicemock-recorder-delivery"}  # never the source's thread
    assert result.frames == len(int16(source)) and result.duration_s == pytest.approx(2.085)
    assert (result.overflows, result.warnings, result.reached_cap) == (0, (), False)
    assert result.device == f"file {source.name}"
    assert out.stat().st_mode & 0o777 == 0o600
    assert not repair_wav(out).changed  # stop() left the header exact


def test_real_time_pacing_follows_the_clock_without_sleeping_in_tests(
    shared_audio: Path, tmp_path: Path
) -> None:
    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    rec = FileRecorder(shared_audio / LONG_CLIP, clock=lambda: now[0], sleep=sleep)
    started = time.monotonic()
    rec.start(tmp_path / "paced.wav")
    assert rec.wait(10)
    result = rec.stop()
    assert time.monotonic() - started < 5  # 11.66 s of audio, no real waiting
    assert sum(slept) == pytest.approx(11.66, abs=1e-6)  # the whole clip, in speech time
    released = np.array(rec.fed_at) - 1000.0
    block_ends = np.minimum(np.arange(1, len(released) + 1) * 0.1, 11.66)
    np.testing.assert_allclose(released, block_ends, atol=1e-6)  # as a microphone would
    assert result.duration_s == pytest.approx(11.66)


def test_fast_mode_does_not_wait(shared_audio: Path, tmp_path: Path) -> None:
    rec = FileRecorder(shared_audio / LONG_CLIP, realtime=False)
    started = time.monotonic()
    with rec.start(tmp_path / "fast.wav"):
        assert rec.wait(10)
    assert time.monotonic() - started < 3
    assert rec.recording is not None and rec.recording.duration_s == pytest.approx(11.66)


def test_stopping_early_in_real_time_keeps_what_was_said(
    shared_audio: Path, tmp_path: Path
) -> None:
    rec = FileRecorder(shared_audio / LONG_CLIP)  # the real clock
    rec.start(tmp_path / "early.wav")
    started = time.monotonic()
    time.sleep(0.6)
    since = time.monotonic() - started
    elapsed = rec.elapsed
    assert not rec.finished
    assert since - 0.35 <= elapsed <= since + 0.05  # paced: no faster than speech
    result = rec.stop()
    assert elapsed <= result.duration_s <= time.monotonic() - started + 0.05
    assert rec.stop() is result  # a second stop is harmless
    np.testing.assert_array_equal(
        int16(tmp_path / "early.wav"), int16(shared_audio / LONG_CLIP)[: result.frames]
    )


def test_level_is_the_rms_of_the_latest_block(tmp_path: Path) -> None:
    tone = tmp_path / "tone.wav"
    t = np.arange(16000) / 16000
    soundfile.write(str(tone), 0.5 * np.sin(2 * np.pi * 440 * t), 16000, subtype="PCM_16")
    rec = FileRecorder(tone, realtime=False)
    with rec.start(tmp_path / "out.wav"):
        assert rec.wait(10)
        assert rec.level == pytest.approx(0.5 / np.sqrt(2), rel=1e-3)
        assert meter(rec.level) == pytest.approx(1 - 9.03 / 60, abs=0.01)  # -9 dBFS


def test_stops_by_itself_at_the_cap(shared_audio: Path, tmp_path: Path) -> None:
    seen = Collector()
    rec = FileRecorder(shared_audio / LONG_CLIP, realtime=False, max_seconds=1.5)
    rec.subscribe(seen)
    rec.start(tmp_path / "capped.wav")
    assert rec.wait(10)
    result = rec.stop()
    assert result.reached_cap and result.frames == 24000
    assert len(seen.audio) == 24000 and rec.level == 0.0
    assert int16(tmp_path / "capped.wav").shape == (24000,)


def test_appends_to_an_interrupted_recording(shared_audio: Path, tmp_path: Path) -> None:
    out = tmp_path / "resumed.wav"
    for _ in range(2):
        with FileRecorder(shared_audio / SHORT_CLIP, realtime=False).start(out) as rec:
            rec.wait(10)
    clip = int16(shared_audio / SHORT_CLIP)
    np.testing.assert_array_equal(int16(out), np.concatenate([clip, clip]))
    assert rec.recording is not None and rec.recording.frames == 2 * len(clip)


def test_a_failing_subscriber_is_dropped_and_named_while_recording_goes_on(
    shared_audio: Path, tmp_path: Path
) -> None:
    calls = []

    def flaky(block: np.ndarray) -> None:
        calls.append(len(block))
        if len(calls) == 3:
            raise RuntimeError("model crashed")

    seen = Collector()
    rec = FileRecorder(shared_audio / SHORT_CLIP, realtime=False)
    rec.subscribe(flaky)
    rec.subscribe(seen)
    with rec.start(tmp_path / "a.wav"):
        rec.wait(10)
    result = rec.recording
    assert result is not None
    assert len(calls) == 3
    assert result.warnings == (
        "live processing (test_a_failing_subscriber_is_dropped_and_named_while_recording_goes_on"
        ".<locals>.flaky) failed and was turned off: model crashed",
    )
    assert len(seen.audio) == result.frames == len(int16(shared_audio / SHORT_CLIP))


def test_a_slow_subscriber_does_not_hold_up_the_disk(shared_audio: Path, tmp_path: Path) -> None:
    gate = threading.Event()
    seen = Collector()

    def slow(block: np.ndarray) -> None:
        gate.wait(10)
        seen(block)

    rec = FileRecorder(shared_audio / SHORT_CLIP, realtime=False)
    rec.subscribe(slow)
    out = tmp_path / "a.wav"
    rec.start(out)
    assert rec.wait(10)  # the whole file is on disk while the subscriber is stuck
    assert read_wav_info(out).frames == len(int16(shared_audio / SHORT_CLIP))
    assert seen.blocks == []
    gate.set()
    result = rec.stop()  # returns once the subscriber has had every block
    assert len(seen.audio) == result.frames


def test_an_unreadable_answer_file_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.wav"
    with pytest.raises(AudioError, match="no such file"):
        FileRecorder(tmp_path / "missing.wav").start(out)
    bad = tmp_path / "bad.wav"
    bad.write_text("hello")
    with pytest.raises(AudioError, match="cannot read"):
        FileRecorder(bad).start(out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


SIGINT_SCRIPT = """
import json, sys, time
from voicemock.audio.recorder import FileRecorder
rec = FileRecorder(sys.argv[1])
try:
    with rec.start(sys.argv[2]):
        print("recording", flush=True)
        while not rec.wait(0.05):
            pass
except KeyboardInterrupt:
    r = rec.recording
    print(json.dumps({"frames": r.frames, "duration_s": r.duration_s}), flush=True)
    sys.exit(130)
"""


def test_ctrl_c_finalises_what_was_recorded(shared_audio: Path, tmp_path: Path) -> None:
    out = tmp_path / "interrupted.wav"
    proc = subprocess.Popen(
        [sys.executable, "-c", SIGINT_SCRIPT, str(shared_audio / LONG_CLIP), str(out)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "recording"
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    report = json.loads(proc.stdout.readline())
    assert proc.wait(10) == 130
    proc.stdout.close()
    assert 0.9 <= report["duration_s"] <= 1.3
    assert not repair_wav(out).changed  # the header is final: nothing to repair
    assert len(int16(out)) == report["frames"]


# -- the pipeline's pieces ----------------------------------------------------------------


def test_pcm_conversion_round_trips_16_bit_values() -> None:
    ints = np.arange(-32768, 32768, dtype=np.int16)
    np.testing.assert_array_equal(to_pcm16(from_pcm16(ints)), ints)
    clipped = to_pcm16(np.array([-2.0, 1.0, 2.0], dtype=np.float32))
    assert clipped.tolist() == [-32768, 32767, 32767]


def test_meter_is_a_db_scale() -> None:
    assert meter(0.0) == 0.0
    assert meter(1.0) == 1.0
    assert meter(0.1) == pytest.approx(2 / 3)  # -20 dBFS of a 60 dB range
    assert meter(0.001) == 0.0


class RefusingPortAudio:
    """Stands in for ``sounddevice.check_input_settings`` on a device without 16 kHz."""

    def __init__(self, accepted: set[tuple[int, int]]) -> None:
        self.accepted = accepted

    def check_input_settings(
        self, *, device: int, samplerate: int, channels: int, **_: Any
    ) -> None:
        if (samplerate, channels) not in self.accepted:
            raise ValueError("Invalid sample rate")


def test_falls_back_to_the_device_rate_and_channels_it_accepts() -> None:
    from voicemock.audio.devices import Device

    usb = Device(3, "USB mic", "ALSA", 2, 0, 48000.0, is_default_input=True)
    rec = SoundDeviceRecorder()
    assert rec._settings_to_try(RefusingPortAudio({(48000, 2)}), usb) == [(48000, 2)]
    assert rec._settings_to_try(RefusingPortAudio({(16000, 1), (48000, 1)}), usb)[0] == (
        16000,
        1,
    )


class BurstyPortAudio:
    """A stand-in ``sounddevice`` whose one microphone captures in real time but delivers
    in bursts every ``period`` s, as a host with large buffers (Bluetooth, big PulseAudio
    fragments) does. The real path is tested against PortAudio below; this isolates the
    drain logic, which the low-latency virtual microphone never needs."""

    class _Status:
        def __init__(self, overflow: bool) -> None:
            self.input_overflow = overflow

    def __init__(self, period: float, overflow_every: int = 0) -> None:
        self.period = period
        self.overflow_every = overflow_every
        self.default = type("Default", (), {"device": (0, -1)})()
        self.t0 = 0.0
        self.burst = threading.Event()

    def query_devices(self) -> list[dict[str, Any]]:
        return [
            {
                "name": "bursty",
                "hostapi": 0,
                "max_input_channels": 1,
                "max_output_channels": 0,
                "default_samplerate": 16000.0,
            }
        ]

    def query_hostapis(self) -> list[dict[str, Any]]:
        return [{"name": "Fake"}]

    def check_input_settings(self, **_: Any) -> None:
        return None

    def InputStream(self, *, samplerate: int, blocksize: int, callback: Any, **_: Any) -> Any:
        fake = self

        class Stream:
            latency = 0.0

            def start(self) -> None:
                self.running = True
                fake.t0 = time.monotonic()
                self.thread = threading.Thread(target=self.run, daemon=True)
                self.thread.start()

            def run(self) -> None:
                delivered = 0
                while self.running:
                    captured = int((time.monotonic() - fake.t0) * samplerate)
                    while captured - delivered >= blocksize:
                        block = np.full((blocksize, 1), 0.1, dtype=np.float32)
                        n = delivered // blocksize + 1
                        overflow = bool(fake.overflow_every) and n % fake.overflow_every == 0
                        callback(block, blocksize, None, fake._Status(overflow))
                        delivered += blocksize
                    if delivered:
                        fake.burst.set()
                    time.sleep(fake.period)

            def stop(self) -> None:  # like PortAudio: what is not delivered is gone
                self.running = False
                self.thread.join()

            def close(self) -> None:
                pass

        return Stream()


@pytest.mark.parametrize("drain", [True, False])
def test_stop_waits_for_audio_still_in_flight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drain: bool
) -> None:
    from voicemock.audio import devices

    fake = BurstyPortAudio(period=0.5)
    monkeypatch.setattr(devices, "portaudio", lambda: fake)
    rec = SoundDeviceRecorder(drain_timeout=2.5 if drain else 0.0)
    rec.start(tmp_path / "bursty.wav")  # returns with the first burst
    fake.burst.clear()
    assert fake.burst.wait(5)  # the next burst has been delivered...
    time.sleep(0.25)  # ... and a quarter second more is in flight
    asked_at = time.monotonic() - fake.t0
    result = rec.stop()
    stopping = time.monotonic() - fake.t0 - asked_at
    if drain:
        assert result.duration_s >= asked_at - 0.1  # up to stop(), to the block
        assert stopping < 2.0  # ended by the audio arriving, not by the 2.5 s timeout
    else:
        assert result.duration_s <= asked_at - 0.15  # the control: the tail is lost


def test_overflows_are_counted_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voicemock.audio import devices

    fake = BurstyPortAudio(period=0.1, overflow_every=4)
    monkeypatch.setattr(devices, "portaudio", lambda: fake)
    rec = SoundDeviceRecorder().start(tmp_path / "busy.wav")
    while rec.elapsed < 1.0:
        time.sleep(0.02)
    result = rec.stop()
    assert result.overflows == rec.overflows == result.frames // 1600 // 4
    assert result.overflows >= 2
    assert result.warnings[0] == (
        f"the microphone input overflowed {result.overflows} times: some audio was dropped "
        "because the machine was too busy"
    )


# -- the real microphone path ----------------------------------------------------------------


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    from voicemock.asr.whisper import norm

    return float(jiwer.wer(norm(reference), norm(hypothesis)))


@pytest.mark.slow
def test_records_the_virtual_microphone_to_the_last_word(
    pulse: PulseAudio, shared_audio: Path, tmp_path: Path
) -> None:
    from voicemock.asr import transcribe
    from voicemock.asr.whisper import WhisperTranscriber
    from voicemock.audio.io import load_audio

    out = tmp_path / "mic.wav"
    seen = Collector()
    rec = SoundDeviceRecorder()
    rec.subscribe(seen)
    levels = []
    rec.start(out)
    player = pulse.play_into_mic(shared_audio / LONG_CLIP)
    while player.poll() is None:
        levels.append(rec.level)
        time.sleep(0.1)
    result = rec.stop()  # right after the player finished: the tail is still in flight
    assert result.overflows == 0 and result.warnings == ()
    assert result.device_samplerate == 16000 and result.device == "default"
    assert 11.66 <= result.duration_s <= 11.66 + 1.0
    assert max(levels) > 0.02  # the meter moved
    np.testing.assert_array_equal(to_pcm16(seen.audio), int16(out))
    transcript = transcribe(load_audio(out), WhisperTranscriber.load())
    reference = json.loads((shared_audio / "refs.json").read_text())[LONG_CLIP]
    assert wer(reference, transcript.text) <= 0.15, transcript.text
    assert transcript.text.lower().rstrip(".").endswith("painful to myself")


@pytest.mark.slow
def test_a_device_refusing_16k_is_resampled(
    pulse: PulseAudio, shared_audio: Path, tmp_path: Path
) -> None:
    """Opened at 44.1 kHz (as a device without 16 kHz would be): the file is 16 kHz, as
    long as the wall-clock recording, and holds the clip undistorted."""
    out = tmp_path / "resampled.wav"
    rec = SoundDeviceRecorder(device_samplerate=44100)
    started = time.monotonic()
    rec.start(out)
    pulse.play_into_mic(shared_audio / SHORT_CLIP).wait()
    result = rec.stop()
    wall = time.monotonic() - started
    assert result.device_samplerate == 44100 and soundfile.info(str(out)).samplerate == 16000
    assert result.duration_s == pytest.approx(wall, abs=0.4)
    recorded = int16(out).astype(np.float64)
    clip = int16(shared_audio / SHORT_CLIP).astype(np.float64)
    n = len(recorded) + len(clip)
    xcorr = np.fft.irfft(np.fft.rfft(recorded, n) * np.conj(np.fft.rfft(clip, n)), n)
    lag = int(np.argmax(xcorr))
    aligned = recorded[lag : lag + len(clip)]
    assert len(aligned) == len(clip), "the whole clip is in the recording"
    similarity = np.dot(aligned, clip) / np.sqrt(np.dot(aligned, aligned) * np.dot(clip, clip))
    assert similarity > 0.95


KILL_SCRIPT = """
import sys, time
from voicemock.audio.recorder import SoundDeviceRecorder
rec = SoundDeviceRecorder().start(sys.argv[1])
print("recording", flush=True)
time.sleep(60)
"""


@pytest.mark.slow
def test_sigkill_ten_seconds_in_keeps_at_least_nine(
    pulse: PulseAudio, shared_audio: Path, tmp_path: Path
) -> None:
    out = tmp_path / "killed.wav"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(out)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "recording"
    started = time.monotonic()
    pulse.play_into_mic(shared_audio / LONG_CLIP)
    time.sleep(10.0 - (time.monotonic() - started))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    with wave.open(str(out), "rb") as w:  # valid as the kill left it
        as_left = w.getnframes() / w.getframerate()
    result = repair_wav(out)
    assert result.duration_s >= 9.0, f"recovered {result.duration_s:.2f} s"
    assert as_left >= 9.0 and result.duration_s - as_left <= 0.2
    audio = int16(out).astype(np.float64) / 32768
    late = audio[int(8.5 * 16000) : int(9.0 * 16000)]
    assert np.sqrt(np.mean(late**2)) > 0.01, "speech right up to the end was kept"


@pytest.mark.slow
def test_a_microphone_that_goes_away_ends_the_recording_with_a_warning(tmp_path: Path) -> None:
    """The sound server dies mid-answer (as when a USB microphone is pulled out): the
    recording finishes by itself, keeps what came before, and says why."""
    out = tmp_path / "gone.wav"
    with pulse_helpers.running_pulseaudio() as server, pytest.MonkeyPatch.context() as mp:
        for name, value in server.env.items():
            mp.setenv(name, value)
        pulse_helpers._rescan_portaudio()
        rec = SoundDeviceRecorder().start(out)
        time.sleep(1.0)
        server.daemon.kill()  # our own child: the private daemon of this test
        server.daemon.wait()
        assert rec.wait(5), "the recorder noticed"
        result = rec.stop()
    pulse_helpers._rescan_portaudio()
    assert result.warnings == ("the microphone 'default' stopped delivering audio",)
    assert 0.9 <= result.duration_s <= 1.5
    assert len(int16(out)) == result.frames


def test_no_microphone_is_a_one_line_error_and_leaves_no_file(
    no_audio_server: dict[str, str], tmp_path: Path
) -> None:
    from tests.conftest import require
    from voicemock.audio.devices import list_devices

    require(not [d for d in list_devices() if d.inputs], "a machine without sound cards")
    out = tmp_path / "never.wav"
    with pytest.raises(DeviceError, match=r"^no microphone found .*--answer-file"):
        SoundDeviceRecorder().start(out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
