"""Playing sound: mono float32 samples to the default or a chosen output device.

:func:`play` sends samples to the output device with ``sounddevice``: blocking, stopped
at once by Ctrl-C or a ``stop`` event, with a little silence around the sound so that
nothing is clipped on the way to PulseAudio/PipeWire. :class:`DevicePlayer` is the same
behind the small :class:`Player` protocol that the question reader plays through.

Nothing heavy is imported at module import time.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from voicemock.audio import SAMPLE_RATE
from voicemock.errors import DeviceError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from voicemock.audio.devices import Device

    Samples = npt.NDArray[np.float32]

LEAD_IN_S = 0.1
TAIL_S = 0.15
"""Silence played before and after every sound (see :func:`play`)."""


@dataclass(frozen=True, eq=False)
class Sound:
    """Float32 mono samples at ``sample_rate``."""

    samples: Samples
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate if self.sample_rate else 0.0

    def resampled(self, sample_rate: int) -> Sound:
        return Sound(resample(self.samples, self.sample_rate, sample_rate), sample_rate)


def resample(samples: Samples, source_rate: int, target_rate: int) -> Samples:
    """Linear-interpolation resampling, low-pass filtered first when going down.

    Good enough for speech playback on a device that refuses the engine's rate and for
    feeding a recogniser; not a mastering-grade resampler.
    """
    import numpy as np

    data: Samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if source_rate == target_rate or data.size == 0:
        same: Samples = data.copy()
        return same
    if target_rate < source_rate:
        cutoff = 0.45 * target_rate / source_rate  # cycles per source sample
        taps = np.arange(-32, 33)
        kernel = 2 * cutoff * np.sinc(2 * cutoff * taps) * np.hamming(len(taps))
        data = np.convolve(data, kernel / kernel.sum(), mode="same").astype(np.float32)
    n_out = max(1, round(data.size * target_rate / source_rate))
    t_out = np.arange(n_out) * (source_rate / target_rate)
    out = np.interp(t_out, np.arange(data.size), data)
    return np.asarray(out, dtype=np.float32)


def start_tone(
    sample_rate: int = SAMPLE_RATE,
    *,
    frequency: float = 880.0,
    duration_s: float = 0.12,
    fade_s: float = 0.015,
    volume: float = 0.3,
) -> Sound:
    """A short, soft beep (A5, 120 ms) with raised-cosine fades, so it never clicks."""
    import numpy as np

    n = round(duration_s * sample_rate)
    t = np.arange(n) / sample_rate
    tone = np.sin(2 * math.pi * frequency * t)
    fade = min(round(fade_s * sample_rate), n // 2)
    if fade:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
        tone[:fade] *= ramp
        tone[n - fade :] *= ramp[::-1]
    return Sound((volume * tone).astype(np.float32), sample_rate)


def _output_format(sd: Any, device: Device, sample_rate: int) -> tuple[int, int]:
    """A (sample rate, channels) the device accepts: ours, else its default rate, else stereo."""
    default_rate = int(device.default_samplerate or sample_rate)
    last: Exception | None = None
    for rate, channels in ((sample_rate, 1), (default_rate, 1), (default_rate, 2)):
        try:
            sd.check_output_settings(
                device=device.index, channels=channels, dtype="float32", samplerate=rate
            )
        except (ValueError, sd.PortAudioError) as exc:
            last = exc
            continue
        return rate, channels
    raise DeviceError(f"speaker {device.label} refuses to play audio: {last}")


def play(
    samples: Samples | Sequence[float],
    sample_rate: int,
    device: int | str | None = None,
    *,
    stop: threading.Event | None = None,
) -> float:
    """Play mono ``samples`` on the default or given output device; return seconds played.

    Blocks until the sound has played, ``stop`` is set, or Ctrl-C (which stops the sound
    at once and propagates). ``device`` is chosen as ``voicemock devices`` lists them
    (:func:`voicemock.audio.devices.resolve_output`: an index or part of a name). Raises
    :class:`DeviceError` (one line) for a missing PortAudio or speaker. A device that
    refuses the sample rate gets the sound resampled to its own.
    """
    import numpy as np

    from voicemock.audio.devices import portaudio, resolve_output

    data = np.ascontiguousarray(np.asarray(samples, dtype=np.float32).reshape(-1))
    sd = portaudio()
    if data.size == 0:
        return 0.0
    speaker = resolve_output(device)
    index = speaker.index
    rate, channels = _output_format(sd, speaker, sample_rate)
    if rate != sample_rate:
        data = resample(data, sample_rate, rate)
    # Silence around the sound: through ALSA's PulseAudio plugin the first and last ~50 ms
    # handed to PortAudio are never heard (measured on a null sink; 50 ms of padding was
    # enough, these leave a margin).
    head = round(LEAD_IN_S * rate)
    padded = np.concatenate([np.zeros(head, dtype=np.float32), data])
    tail = round(TAIL_S * rate)  # at least the stream's own latency, set once it is open
    done = threading.Event()
    position = 0

    def callback(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
        nonlocal position
        chunk = padded[position : position + frames]
        outdata[: len(chunk)] = chunk[:, None]
        outdata[len(chunk) :] = 0
        position += frames
        if position >= padded.size + tail:
            raise sd.CallbackStop

    try:
        stream = sd.OutputStream(
            samplerate=rate,
            channels=channels,
            dtype="float32",
            device=index,
            callback=callback,
            finished_callback=done.set,
        )
    except (ValueError, sd.PortAudioError) as exc:
        raise DeviceError(f"cannot open speaker {speaker.label}: {exc}") from exc
    tail = max(tail, round(float(stream.latency) * rate))
    end = padded.size + tail
    watch = StallWatch(time.monotonic())
    finished = False
    try:
        stream.start()
        while not done.wait(0.02):
            if stop is not None and stop.is_set():
                break
            verdict = watch.check(time.monotonic(), position, end)
            if verdict == "ended":  # all handed over; the end was just never reported
                stream.stop()
                finished = True
                break
            if verdict == "stalled":
                raise DeviceError(f"speaker {speaker.label} stopped playing (stalled)")
        else:
            # PortAudio reports the end once the last block is handed over, which (through
            # ALSA's PulseAudio plugin) is before it is heard: drain, don't drop it.
            stream.stop()
            finished = True
    except sd.PortAudioError as exc:
        raise DeviceError(f"playback failed on speaker {speaker.label}: {exc}") from exc
    finally:
        if not finished:  # stopped, Ctrl-C or an error: silence at once
            stream.abort(ignore_errors=True)
        stream.close(ignore_errors=True)
    return min(max(position - head, 0), data.size) / rate


STALL_S = 5.0
"""Seconds without progress, while this process runs, that count as a stalled speaker."""
END_GRACE_S = 2.0
"""Seconds to wait for PortAudio's end-of-stream after the last frame was handed over."""
PAUSE_S = 0.5
"""A gap this long between two checks means the process itself was not running (a loaded
machine, a suspended job): the time in between is not held against the speaker."""


class StallWatch:
    """Tells a stalled output stream from a slow or a finished one.

    A speaker is stalled when its callback has asked for no frame for :data:`STALL_S`
    seconds of time in which this process was itself running. Once every frame has been
    handed over, nothing is a stall: PortAudio's end notice may come late under load, and
    after :data:`END_GRACE_S` the playback counts as ended.
    """

    def __init__(self, now: float) -> None:
        self.last_check = now
        self.position = -1
        self.waited = 0.0
        self.ended_at: float | None = None

    def check(self, now: float, position: int, end: int) -> str:
        """``"playing"``, ``"ended"`` or ``"stalled"`` at ``now``, ``position`` of ``end``."""
        gap = now - self.last_check
        self.last_check = now
        if position >= end:
            if self.ended_at is None:
                self.ended_at = now
            return "ended" if now - self.ended_at > END_GRACE_S else "playing"
        if position != self.position:
            self.position = position
            self.waited = 0.0
            return "playing"
        if gap <= PAUSE_S:
            self.waited += gap
        return "stalled" if self.waited > STALL_S else "playing"


class Player(Protocol):
    """Plays mono samples; blocks until they are heard or ``stop`` is set."""

    def play(
        self,
        samples: Samples | Sequence[float],
        sample_rate: int,
        *,
        stop: threading.Event | None = None,
    ) -> float:
        """Play ``samples``; return the seconds played."""
        ...


class DevicePlayer:
    """The real player: :func:`play` on one output device (``None``: the default)."""

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device

    def play(
        self,
        samples: Samples | Sequence[float],
        sample_rate: int,
        *,
        stop: threading.Event | None = None,
    ) -> float:
        return play(samples, sample_rate, self.device, stop=stop)
