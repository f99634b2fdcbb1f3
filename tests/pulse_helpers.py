"""A private PulseAudio daemon whose null sinks stand in for a microphone and a speaker.

Use it in a test module with::

    from tests import pulse_helpers
    from tests.pulse_helpers import PulseAudio

    pulse_daemon, pulse = pulse_helpers.pulse_daemon, pulse_helpers.pulse  # the fixtures

    def test_something(pulse: PulseAudio) -> None:
        player = pulse.play_into_mic(shared_audio / "jfk.flac")   # the "microphone" hears it
        with pulse.capture_speaker() as capture:                   # what the app plays
            ...
        capture.path                                               # a 16 kHz mono WAV

What a test that asks for ``pulse`` gets:

- a ``pulseaudio`` daemon of its own, started once per session (about 2 s, most of it
  waiting for the null sinks to wake) and reset for each test: a child of the test
  process with its own ``XDG_RUNTIME_DIR`` and ``HOME``
  (nothing shared with a desktop session), with two null sinks: ``mic``, whose
  ``mic.monitor`` is the default source (PortAudio's ``default``/``pulse`` devices record
  what is played into ``mic``), and ``speaker``, the default sink (what the app plays
  can be captured from ``speaker.monitor``);
- ``PULSE_SERVER``, ``XDG_RUNTIME_DIR``, ``PULSE_COOKIE`` and ``PULSE_LATENCY_MSEC=50`` in
  ``os.environ`` (so both this process and every subprocess it spawns reach the daemon);
  without the latency cap the ALSA-to-PulseAudio path buffers seconds of audio;
- PortAudio's device list re-read if ``sounddevice`` is already imported (PortAudio scans
  devices once, when it is initialised), before the test and again after the teardown;
- every ``paplay``/``parecord`` started through it stopped after the test.

``no_audio_server`` is the opposite: ``PULSE_SERVER`` pointing at nothing, so PortAudio
sees no device (on a machine without sound cards, such as CI).

Missing binaries skip the test with :func:`tests.conftest.require` (and fail under ``CI``).
Only processes started here are ever stopped here, by their own pid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pytest

from tests.conftest import require

PULSE_LATENCY_MSEC = "50"
START_TIMEOUT_S = 10.0
MIC_SINK = "mic"
SPEAKER_SINK = "speaker"
MIC_SOURCE = f"{MIC_SINK}.monitor"
SPEAKER_MONITOR = f"{SPEAKER_SINK}.monitor"


class SpeakerCapture:
    """``parecord`` recording ``speaker.monitor`` into a 16 kHz mono 16-bit WAV.

    A context manager: leaving the block (or :meth:`stop`) ends the capture cleanly, so
    the WAV header is complete. ``path`` is the file.
    """

    def __init__(self, proc: subprocess.Popen[bytes], path: Path) -> None:
        self.proc = proc
        self.path = path

    def stop(self, *, tail_s: float = 0.2) -> Path:
        """Keep listening ``tail_s`` more seconds (what is still in flight), then stop."""
        if self.proc.poll() is None:
            time.sleep(tail_s)
            self.proc.send_signal(signal.SIGINT)  # parecord finalises the file on SIGINT
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.path

    def __enter__(self) -> SpeakerCapture:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass
class PulseAudio:
    """A running private daemon. ``env`` holds the variables that reach it."""

    runtime_dir: Path
    env: dict[str, str]
    daemon: subprocess.Popen[bytes]
    log: Path
    started_in_s: float
    _children: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _count: int = 0

    @property
    def server(self) -> str:
        return self.env["PULSE_SERVER"]

    def subprocess_env(self) -> dict[str, str]:
        """``os.environ`` plus the daemon's variables, for a subprocess started by hand."""
        return {**os.environ, **self.env}

    def pactl(self, *args: str) -> str:
        done = subprocess.run(
            ["pactl", *args],
            env=self.subprocess_env(),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def sources(self) -> list[str]:
        return [line.split("\t")[1] for line in self.pactl("list", "short", "sources").splitlines()]

    def sinks(self) -> list[str]:
        return [line.split("\t")[1] for line in self.pactl("list", "short", "sinks").splitlines()]

    def play_into_mic(self, audio: str | Path) -> subprocess.Popen[bytes]:
        """Start ``paplay`` playing ``audio`` (any file soundfile reads) into the ``mic``
        sink, in the background. ``wait()`` on the result to know it has been played."""
        proc = subprocess.Popen(
            ["paplay", f"--device={MIC_SINK}", str(self.playable(audio))],
            env=self.subprocess_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._children.append(proc)
        return proc

    def playable(self, audio: str | Path) -> Path:
        """``audio`` as a file paplay plays in full: 16-bit PCM WAV (paplay stops after
        ~2 s of a 24-bit FLAC such as ``jfk.flac``), converted once into the runtime dir."""
        import soundfile

        audio = Path(audio)
        info = soundfile.info(str(audio))
        if info.format == "WAV" and info.subtype == "PCM_16":
            return audio
        self._count += 1
        converted = self.runtime_dir / f"play-{self._count}-{audio.stem}.wav"
        data, rate = soundfile.read(str(audio), dtype="int16", always_2d=True)
        soundfile.write(str(converted), data, rate, subtype="PCM_16")
        return converted

    def capture_speaker(self, path: str | Path | None = None) -> SpeakerCapture:
        """Start recording what is played to the ``speaker`` sink (16 kHz mono s16 WAV)."""
        if path is None:
            self._count += 1
            path = self.runtime_dir / f"speaker-{self._count}.wav"
        path = Path(path)
        proc = subprocess.Popen(
            [
                "parecord",
                f"--device={SPEAKER_MONITOR}",
                "--file-format=wav",
                "--format=s16le",
                "--rate=16000",
                "--channels=1",
                str(path),
            ],
            env=self.subprocess_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._children.append(proc)
        _wait_for(lambda: proc.poll() is not None or path.exists(), 5.0)
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"parecord did not start: {err.strip()}")
        return SpeakerCapture(proc, path)

    def reset(self) -> None:
        """Defaults back to ``mic.monitor``/``speaker``, volumes to 100 %, nothing muted."""
        self.pactl("set-default-source", MIC_SOURCE)
        self.pactl("set-default-sink", SPEAKER_SINK)
        for sink in (MIC_SINK, SPEAKER_SINK):
            self.pactl("set-sink-volume", sink, "100%")
            self.pactl("set-sink-mute", sink, "0")
        for source in (MIC_SOURCE, SPEAKER_MONITOR):
            self.pactl("set-source-volume", source, "100%")
            self.pactl("set-source-mute", source, "0")

    def stop_children(self) -> None:
        for proc in self._children:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        self._children.clear()


def _wait_for(cond: object, timeout: float) -> bool:
    assert callable(cond)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return bool(cond())


def _rescan_portaudio() -> None:
    """PortAudio lists devices once, at initialisation: make it look again."""
    sd = sys.modules.get("sounddevice")
    if sd is None:
        return
    with contextlib.suppress(Exception):
        sd._terminate()
        sd._initialize()


def _require_binaries() -> None:
    for binary, package in (
        ("pulseaudio", "pulseaudio"),
        ("pactl", "pulseaudio-utils"),
        ("paplay", "pulseaudio-utils"),
        ("parecord", "pulseaudio-utils"),
    ):
        require(shutil.which(binary), f"{binary} (Debian package {package})")
    require(
        any(
            Path(d, "libasound_module_pcm_pulse.so").exists()
            for d in (
                "/usr/lib/x86_64-linux-gnu/alsa-lib",
                "/usr/lib/aarch64-linux-gnu/alsa-lib",
                "/usr/lib/alsa-lib",
                "/usr/lib64/alsa-lib",
            )
        ),
        "ALSA's PulseAudio plugin (Debian package libasound2-plugins)",
    )


class _Keeper:
    """A low-latency ``parecord`` that keeps a null sink awake and responsive.

    An idle null sink sleeps in blocks of up to 2 s: a client that connects then waits up
    to 2 s for its first audio (measured: 0.03–2.1 s, by phase), and the start of what is
    played or recorded in that window is lost. One permanently connected recorder asking
    for 20 ms keeps every sink block short. Its audio is read and thrown away.
    """

    def __init__(self, source: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [
                "parecord",
                "--raw",
                f"--device={source}",
                "--latency-msec=20",
                "--rate=8000",
                "--channels=1",
                "--format=s16le",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.flowing = threading.Event()
        self._thread = threading.Thread(target=self._drain, daemon=True, name=f"keep-{source}")
        self._thread.start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        while self.proc.stdout.read1(4096):  # type: ignore[attr-defined]
            self.flowing.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._thread.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@contextlib.contextmanager
def running_pulseaudio(*, mic_rate: int = 44100, mic_channels: int = 2) -> Iterator[PulseAudio]:
    """Start a daemon, yield it, stop it. Leaves ``os.environ`` alone (the fixture sets it)."""
    _require_binaries()
    # A short path: a unix socket path must stay under 108 bytes.
    runtime_dir = Path(tempfile.mkdtemp(prefix="vm-pulse-"))
    runtime_dir.chmod(0o700)
    log = runtime_dir / "daemon.log"
    env = {
        "XDG_RUNTIME_DIR": str(runtime_dir),
        "PULSE_SERVER": f"unix:{runtime_dir}/pulse/native",
        "PULSE_COOKIE": str(runtime_dir / "cookie"),
        "PULSE_LATENCY_MSEC": PULSE_LATENCY_MSEC,
    }
    daemon_env = {
        **os.environ,
        **env,
        "HOME": str(runtime_dir),  # the daemon's state and cookie stay in here
        "XDG_CONFIG_HOME": str(runtime_dir / "config"),
        "XDG_STATE_HOME": str(runtime_dir / "state"),
    }
    del daemon_env["PULSE_SERVER"]  # it is the server
    started = time.monotonic()
    with open(log, "wb") as log_file:
        daemon = subprocess.Popen(
            [
                "pulseaudio",
                "--daemonize=no",
                "-n",  # no default.pa: only the modules below
                "--exit-idle-time=-1",
                "--disallow-exit",
                "--use-pid-file=no",
                "--realtime=no",
                "--high-priority=no",
                "--log-target=stderr",
                "--load=module-native-protocol-unix auth-anonymous=1",
                f"--load=module-null-sink sink_name={MIC_SINK} rate={mic_rate} "
                f"channels={mic_channels} sink_properties=device.description=Virtual-mic",
                f"--load=module-null-sink sink_name={SPEAKER_SINK} "
                "sink_properties=device.description=Virtual-speaker",
            ],
            env=daemon_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the terminal is pytest's, not the daemon's
        )
    server = PulseAudio(runtime_dir, env, daemon, log, 0.0)
    keepers: list[_Keeper] = []
    try:
        socket = runtime_dir / "pulse" / "native"
        ready = _wait_for(lambda: daemon.poll() is not None or socket.exists(), START_TIMEOUT_S)
        if daemon.poll() is not None or not ready:
            tail = log.read_text(errors="replace")[-800:]
            raise RuntimeError(f"pulseaudio did not start: {tail}")
        # The socket file appears a moment before the daemon accepts connections.
        for attempt in range(50):
            try:
                server.reset()
                break
            except RuntimeError:
                if attempt == 49 or daemon.poll() is not None:
                    raise
                time.sleep(0.1)
        client_env = server.subprocess_env()
        keepers = [_Keeper(MIC_SOURCE, client_env), _Keeper(SPEAKER_MONITOR, client_env)]
        for keeper in keepers:
            if not keeper.flowing.wait(START_TIMEOUT_S):
                raise RuntimeError(f"no audio from the null sinks: {log.read_text()[-800:]}")
        server.started_in_s = time.monotonic() - started
        yield server
    finally:
        server.stop_children()
        for keeper in keepers:
            keeper.stop()
        if daemon.poll() is None:
            daemon.terminate()
            try:
                daemon.wait(timeout=5)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        shutil.rmtree(runtime_dir, ignore_errors=True)


_shared: PulseAudio | None = None
_shared_stack = contextlib.ExitStack()
_shared_users = 0


@pytest.fixture(scope="session")
def pulse_daemon() -> Iterator[PulseAudio]:
    """One daemon for the whole session (starting one and waking its sinks takes ~2 s);
    tests use :func:`pulse`, which points the environment at it and cleans up after.

    Every test module that imports this fixture gets its own session-scoped instance of
    it, so the daemon itself is shared between them and stopped with the last one.
    """
    global _shared, _shared_users
    if _shared is None or _shared.daemon.poll() is not None:
        _shared_stack.close()
        _shared = _shared_stack.enter_context(running_pulseaudio())
    _shared_users += 1
    try:
        yield _shared
    finally:
        _shared_users -= 1
        if _shared_users == 0:
            _shared = None
            _shared_stack.close()


@pytest.fixture
def pulse(pulse_daemon: PulseAudio) -> Iterator[PulseAudio]:
    """The private PulseAudio daemon, reached by this test and its subprocesses:
    ``mic.monitor`` is the default microphone, ``speaker`` the default speaker; see the
    module docstring."""
    server = pulse_daemon
    require(server.daemon.poll() is None, "a running private pulseaudio daemon")
    server.reset()
    with pytest.MonkeyPatch.context() as mp:
        for name, value in server.env.items():
            mp.setenv(name, value)
        _rescan_portaudio()
        try:
            yield server
        finally:
            server.stop_children()
            mp.undo()
            _rescan_portaudio()


@pytest.fixture
def no_audio_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """No sound server, as on a machine without a sound card: ``PULSE_SERVER`` points at
    nothing. Yields the variables (also in ``os.environ``, so subprocesses see them)."""
    env = {
        "PULSE_SERVER": f"unix:{tmp_path}/no-such-server",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PULSE_COOKIE": str(tmp_path / "cookie"),
    }
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        _rescan_portaudio()
        try:
            yield env
        finally:
            mp.undo()
            _rescan_portaudio()
