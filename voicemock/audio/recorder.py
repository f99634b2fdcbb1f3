"""Recording an answer into a WAV file that is valid at every moment.

Two sources share one pipeline:

- :class:`SoundDeviceRecorder`: a PortAudio input stream (16 kHz mono when the device
  accepts it, otherwise its own rate, resampled here);
- :class:`FileRecorder`: a recorded answer fed as if it were a microphone, paced in real
  time by default, so the live display, streaming transcription and saving downstream
  run exactly as with a microphone.

The pipeline has three threads, so no part can hold up another::

    source ──► queue ──► writer thread ──► WAV file (header valid after every block)
    (audio callback:           │             fdatasync about once a second
     copy + enqueue only)      └──► delivery thread ──► subscribers (16 kHz float32)

The audio callback only copies the block into a queue and counts overflows. The writer
resamples, writes, updates the level and hands the block to the delivery thread, which
calls the subscribers (a streaming transcriber, say): a slow subscriber delays neither
the microphone nor the disk. A kill at any moment leaves a WAV that standard readers
open, at most one block (0.1 s) behind what reached the process; ``stop()`` drains the
audio still in flight, finalises the file and returns a :class:`Recording`.

>>> with SoundDeviceRecorder().start("answer.wav") as rec:   # doctest: +SKIP
...     while not rec.wait(0.1) and not user_pressed_enter():
...         show(rec.elapsed, meter(rec.level))
>>> rec.recording.duration_s                                  # doctest: +SKIP
"""

from __future__ import annotations

import collections
import contextlib
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from voicemock.audio import SAMPLE_RATE
from voicemock.audio.wavfile import FSYNC_INTERVAL_S, WavWriter
from voicemock.errors import DeviceError, VoicemockError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from voicemock.audio.io import Audio

    Block = npt.NDArray[np.float32]

Subscriber = Callable[["Audio"], None]
"""Called with each new block of 16 kHz mono float32 audio, exactly as written to disk."""

BLOCK_S = 0.1
"""Audio arrives and is written in blocks of this length."""
START_TIMEOUT_S = 5.0
"""How long a microphone may take to deliver its first block before it counts as dead."""
DRAIN_TIMEOUT_S = 2.5
"""The longest ``stop()`` waits for audio still in flight (PulseAudio's default
fragments are 2 s)."""
DRAIN_MARGIN_S = 0.05
METER_FLOOR_DB = -60.0


@dataclass(frozen=True)
class Recording:
    """A finished recording."""

    path: Path
    duration_s: float
    """Length of the whole file (including audio it held before, if it was appended to)."""
    frames: int
    """Samples in the file, at :attr:`samplerate`."""
    overflows: int
    """Times the input reported an overflow (audio dropped before it reached us)."""
    device: str
    """The microphone's name, or ``file NAME`` for a :class:`FileRecorder`."""
    device_samplerate: int
    """The rate the device was opened at (resampled to :attr:`samplerate` if different)."""
    samplerate: int = SAMPLE_RATE
    reached_cap: bool = False
    """Recording stopped by itself at ``max_seconds``."""
    warnings: tuple[str, ...] = ()
    """One-line problems worth telling the user (overflows, a failed subscriber…)."""


class Recorder(Protocol):
    """What the practice loop needs from a recorder (microphone or file)."""

    def start(self, path: str | Path) -> Recorder: ...

    def stop(self) -> Recording: ...

    @property
    def elapsed(self) -> float: ...

    @property
    def level(self) -> float: ...

    @property
    def overflows(self) -> int: ...

    @property
    def finished(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...

    def subscribe(self, fn: Subscriber) -> Callable[[], None]: ...

    def __enter__(self) -> Recorder: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def meter(level: float, floor_db: float = METER_FLOOR_DB) -> float:
    """An RMS level (0..1) as a 0..1 meter position on a dB scale (``floor_db`` → 0).

    Speech RMS is typically 0.02–0.2: on a linear scale a meter would hardly move.
    """
    if level <= 0.0:
        return 0.0
    db = 20.0 * math.log10(min(level, 1.0))
    return max(0.0, min(1.0, 1.0 - db / floor_db))


def to_pcm16(audio: Audio) -> npt.NDArray[np.int16]:
    """float32 in [-1, 1) to little-endian 16-bit PCM (clipped), the inverse of what
    decoders do (``sample / 32768``): a 16-bit source goes through bit for bit."""
    import numpy as np

    scaled = np.rint(np.asarray(audio, dtype=np.float32) * 32768.0)
    pcm: npt.NDArray[np.int16] = np.clip(scaled, -32768, 32767).astype("<i2")
    return pcm


def from_pcm16(pcm: npt.NDArray[np.int16]) -> Audio:
    import numpy as np

    audio: Audio = pcm.astype(np.float32) / np.float32(32768.0)
    return audio


class _Stop:
    """Queue sentinel: the source has stopped; drain and finish."""


class _EndOfInput:
    """Queue sentinel: the source has no more audio (end of file, device gone)."""

    def __init__(self, warning: str | None = None) -> None:
        self.warning = warning


_STOP = _Stop()


class _PipelineRecorder:
    """The writer and delivery threads shared by every source. Subclasses provide
    ``_open_source`` (returns the source's sample rate), ``_start_source`` and
    ``_stop_source``, and feed float32 mono blocks with :meth:`_feed`."""

    device_name = "?"

    def __init__(
        self, *, max_seconds: float | None = None, fsync_interval: float = FSYNC_INTERVAL_S
    ):
        if max_seconds is not None and max_seconds <= 0:
            raise ValueError("max_seconds must be positive")
        self.max_seconds = max_seconds
        self._fsync_interval = fsync_interval
        self._subscribers: list[Subscriber] = []
        self._sub_lock = threading.Lock()
        self._state = "new"
        self._recording: Recording | None = None
        self._reset()

    def _reset(self) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._deliveries: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._finished = threading.Event()
        self._frames = 0
        self._level = 0.0
        self._overflows = 0
        self._reached_cap = False
        self._warnings: list[str] = []
        self._error: BaseException | None = None
        self._failed = False
        self._writer: WavWriter | None = None
        self._resampler: _Resampler | None = None
        self._channels = 1
        self.device_samplerate = SAMPLE_RATE

    # -- public API -------------------------------------------------------------------
    def start(self, path: str | Path) -> _PipelineRecorder:
        """Begin writing 16 kHz mono 16-bit PCM into ``path``: a new file (mode 0600),
        an empty one, or an existing WAV in that format (repaired, then appended to)."""
        if self._state == "recording":
            raise RuntimeError("this recorder is already recording")
        self._reset()
        self._recording = None
        writer = WavWriter(path, samplerate=SAMPLE_RATE, fsync_interval=self._fsync_interval)
        self._writer = writer
        self._frames = writer.frames
        self._cap = None if self.max_seconds is None else round(self.max_seconds * SAMPLE_RATE)
        self._write_thread = threading.Thread(
            target=self._write_loop, name="voicemock-recorder-writer", daemon=True
        )
        self._delivery_thread = threading.Thread(
            target=self._delivery_loop, name="voicemock-recorder-delivery", daemon=True
        )
        try:
            rate = self._open_source()
            self.device_samplerate = rate
            self._resampler = _Resampler(rate) if rate != SAMPLE_RATE else None
            self._write_thread.start()
            self._delivery_thread.start()
            self._state = "recording"
            self._start_source()
        except BaseException:
            self._abort_start()
            raise
        return self

    def stop(self) -> Recording:
        """Drain what is in flight, finalise the file and return the :class:`Recording`.

        Safe to call twice (the second call returns the same result) and safe against
        Ctrl-C: an interrupt while stopping is held until the file is finalised, then
        raised again (the result is still in :attr:`recording`).
        """
        if self._state == "stopped" and self._recording is not None:
            return self._recording
        if self._state != "recording":
            raise RuntimeError("this recorder has not been started")
        if threading.current_thread() is self._delivery_thread:
            raise RuntimeError("stop() cannot be called from a subscriber")
        interrupted: BaseException | None = None
        try:
            self._stop_source()
        except KeyboardInterrupt as exc:  # finish stopping without the drain
            interrupted = exc
            self._stop_source_now()
        except VoicemockError as exc:
            self._warnings.append(str(exc))
            self._stop_source_now()
        self._queue.put(_STOP)
        interrupted = _join(self._write_thread) or interrupted
        self._deliveries.put(_STOP)
        # A second Ctrl-C abandons slow subscribers; the file is finished regardless.
        interrupted = _join(self._delivery_thread, give_up_on_interrupt=True) or interrupted
        assert self._writer is not None
        try:
            self._writer.close()
        except VoicemockError as exc:
            self._warnings.append(str(exc))
        self._state = "stopped"
        self._recording = self._result()
        if interrupted is not None:
            raise interrupted
        return self._recording

    @property
    def recording(self) -> Recording | None:
        """The result of the last :meth:`stop`, if any."""
        return self._recording

    @property
    def path(self) -> Path | None:
        return self._writer.path if self._writer is not None else None

    @property
    def elapsed(self) -> float:
        """Seconds of audio in the file so far."""
        return self._frames / SAMPLE_RATE

    @property
    def level(self) -> float:
        """RMS (0..1) of the latest block; see :func:`meter` for a display position."""
        return self._level

    @property
    def overflows(self) -> int:
        return self._overflows

    @property
    def finished(self) -> bool:
        """The recording ended by itself: cap reached, end of file, device or disk failure."""
        return self._finished.is_set()

    @property
    def error(self) -> BaseException | None:
        """Why writing stopped early, if it did (the audio before it is on disk)."""
        return self._error

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until :attr:`finished` (or ``timeout``); return whether it is."""
        return self._finished.wait(timeout)

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        """Call ``fn`` with each new 16 kHz float32 block, on the delivery thread, in
        order, every sample exactly once. ``stop()`` returns only after the last block
        was delivered. A subscriber that raises is dropped and named in the warnings.
        Returns a function that unsubscribes."""
        with self._sub_lock:
            self._subscribers = [*self._subscribers, fn]

        def unsubscribe() -> None:
            with self._sub_lock:
                self._subscribers = [s for s in self._subscribers if s is not fn]

        return unsubscribe

    def __enter__(self) -> _PipelineRecorder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._state == "recording":
            self.stop()

    # -- for sources --------------------------------------------------------------------
    def _open_source(self) -> int:
        raise NotImplementedError

    def _start_source(self) -> None:
        raise NotImplementedError

    def _stop_source(self) -> None:
        """Stop after the audio in flight has arrived (may be slow; interruptible)."""
        raise NotImplementedError

    def _stop_source_now(self) -> None:
        """Stop at once (after an interrupt or a failure). Must not raise."""
        raise NotImplementedError

    def _feed(self, block: Any) -> None:
        """Hand a block (float32, shape ``(n,)`` or ``(n, channels)``) to the writer."""
        self._queue.put(block)

    def _end_of_input(self, warning: str | None = None) -> None:
        self._queue.put(_EndOfInput(warning))

    # -- internals ----------------------------------------------------------------------
    def _abort_start(self) -> None:
        self._state = "new"
        self._stop_source_now()
        for thread, q in (
            (self._write_thread, self._queue),
            (self._delivery_thread, self._deliveries),
        ):
            if thread.is_alive():
                q.put(_STOP)
                thread.join(timeout=5)
        writer = self._writer
        if writer is None:
            return
        with contextlib.suppress(VoicemockError):
            writer.close()
        if writer.created and writer.frames == 0:
            writer.path.unlink(missing_ok=True)  # nothing was recorded: leave nothing behind

    def _write_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            if self._failed or self._reached_cap:
                continue  # keep draining so the source never blocks or grows the queue
            try:
                if isinstance(item, _EndOfInput):
                    self._flush_resampler()
                    if item.warning:
                        self._warnings.append(item.warning)
                    self._finished.set()
                else:
                    self._consume(item)
            except BaseException as exc:
                self._failed = True
                self._error = exc
                when = _clock_text(self.elapsed)
                self._warnings.append(f"recording stopped at {when}: {_one_line(exc)}")
                self._finished.set()
        if not self._failed and not self._reached_cap:
            try:
                self._flush_resampler()
            except BaseException as exc:
                self._error = exc
                self._warnings.append(f"the end of the recording was lost: {_one_line(exc)}")

    def _consume(self, block: Any) -> None:
        import numpy as np

        if block.ndim == 2:
            block = block[:, 0] if block.shape[1] == 1 else block.mean(axis=1)
        block = np.ascontiguousarray(block, dtype=np.float32)
        if self._resampler is not None:
            block = self._resampler.resample(block)
        self._emit(block)

    def _flush_resampler(self) -> None:
        if self._resampler is not None:
            tail = self._resampler.flush()
            self._resampler = None
            if tail.size:
                self._emit(tail)

    def _emit(self, audio: Audio) -> None:
        import numpy as np

        if self._cap is not None:
            room = self._cap - self._frames
            if len(audio) >= room:
                audio = audio[: max(room, 0)]
                self._reached_cap = True
        if len(audio):
            pcm = to_pcm16(audio)
            assert self._writer is not None
            self._writer.write(pcm.data)
            self._frames += len(pcm)
            written = from_pcm16(pcm)
            self._level = float(np.sqrt(np.mean(np.square(written, dtype=np.float64))))
            if self._subscribers:
                self._deliveries.put(written)
        if self._reached_cap:
            self._level = 0.0
            self._finished.set()

    def _delivery_loop(self) -> None:
        while True:
            block = self._deliveries.get()
            if block is _STOP:
                return
            for fn in self._subscribers:
                try:
                    fn(block)
                except Exception as exc:
                    name = getattr(fn, "__qualname__", None) or type(fn).__name__
                    self._warnings.append(
                        f"live processing ({name}) failed and was turned off: {_one_line(exc)}"
                    )
                    with self._sub_lock:
                        self._subscribers = [s for s in self._subscribers if s is not fn]

    def _result(self) -> Recording:
        assert self._writer is not None
        warnings = list(self._warnings)
        if self._overflows:
            times = "once" if self._overflows == 1 else f"{self._overflows} times"
            warnings.insert(
                0,
                f"the microphone input overflowed {times}: some audio was dropped because "
                "the machine was too busy",
            )
        return Recording(
            path=self._writer.path,
            duration_s=self._frames / SAMPLE_RATE,
            frames=self._frames,
            overflows=self._overflows,
            device=self.device_name,
            device_samplerate=self.device_samplerate,
            samplerate=SAMPLE_RATE,
            reached_cap=self._reached_cap,
            warnings=tuple(warnings),
        )


class _Resampler:
    """Streaming resampling to 16 kHz mono with PyAV (libswresample)."""

    def __init__(self, rate: int) -> None:
        import av

        self._av = av
        self._rate = rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)

    def resample(self, block: Block) -> Block:
        frame = self._av.AudioFrame.from_ndarray(block.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self._rate
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> Block:
        return self._collect(self._resampler.resample(None))

    @staticmethod
    def _collect(frames: list[Any]) -> Block:
        import numpy as np

        if not frames:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(np.float32)


# -- the microphone ------------------------------------------------------------------------


class SoundDeviceRecorder(_PipelineRecorder):
    """Record from a PortAudio input device.

    ``device``: ``None`` (the default microphone), an index or part of a name (see
    :func:`voicemock.audio.devices.resolve_input`). The device is opened at
    ``device_samplerate`` if given, else at 16 kHz if it accepts that, else at its own
    default rate; anything but 16 kHz is resampled. Mono is asked for; a device that
    only offers more channels is downmixed.

    ``start()`` returns once the first audio has arrived (or raises :class:`DeviceError`
    after ``start_timeout``), so "speak now" is never shown before the microphone
    listens: a sound server can take a while to wake (an idle PulseAudio null sink took
    up to 2.1 s), and words spoken in that time would be lost. ``stop()`` keeps
    recording until the audio captured before the call has arrived (see
    :meth:`_stop_source`), ``drain_timeout`` at most.
    """

    def __init__(
        self,
        device: str | int | None = None,
        *,
        device_samplerate: int | None = None,
        max_seconds: float | None = None,
        block_s: float = BLOCK_S,
        start_timeout: float = START_TIMEOUT_S,
        drain_timeout: float = DRAIN_TIMEOUT_S,
        fsync_interval: float = FSYNC_INTERVAL_S,
    ) -> None:
        super().__init__(max_seconds=max_seconds, fsync_interval=fsync_interval)
        self._device_spec = device
        self._requested_rate = device_samplerate
        self._block_s = block_s
        self._start_timeout = start_timeout
        self._drain_timeout = drain_timeout
        self._stream: Any = None
        self.latency = 0.0
        """The input latency PortAudio reports for the open stream (seconds)."""

    def _open_source(self) -> int:
        from voicemock.audio import devices

        sd = devices.portaudio()
        device = devices.resolve_input(self._device_spec)
        self.device_name = device.name
        self._arrivals: collections.deque[float] = collections.deque(maxlen=64)
        self._received = 0
        self._stopping = False
        self._first_block = threading.Event()
        attempts = self._settings_to_try(sd, device)
        last_error: Exception | None = None
        for rate, channels in attempts:
            try:
                self._stream = sd.InputStream(
                    device=device.index,
                    samplerate=rate,
                    channels=channels,
                    dtype="float32",
                    blocksize=max(1, round(rate * self._block_s)),
                    latency="high",
                    callback=self._callback,
                    finished_callback=self._stream_finished,
                )
            except Exception as exc:  # PortAudioError, ValueError: try the next setting
                last_error = exc
                continue
            self._rate, self._channels = rate, channels
            self.latency = float(self._stream.latency)
            return rate
        reason = _one_line(last_error) if last_error else "no usable setting"
        raise DeviceError(
            f"cannot open microphone {device.label}: {reason}; choose another with --device "
            "(see 'voicemock devices') or use --answer-file"
        )

    def _settings_to_try(self, sd: Any, device: Any) -> list[tuple[int, int]]:
        """(rate, channels) pairs the device accepts, best first."""
        rates = [self._requested_rate] if self._requested_rate else [SAMPLE_RATE]
        native = round(device.default_samplerate)
        if native not in rates and not self._requested_rate:
            rates.append(native)
        channel_options = [1] + ([min(device.inputs, 2)] if device.inputs > 1 else [])
        accepted = []
        for rate in rates:
            for channels in channel_options:
                try:
                    sd.check_input_settings(
                        device=device.index, samplerate=rate, channels=channels, dtype="float32"
                    )
                except Exception:
                    continue
                accepted.append((rate, channels))
        # If nothing passes the check, still try to open (some hosts' checks are strict).
        return accepted or [(r, c) for r in rates for c in channel_options]

    def _start_source(self) -> None:
        try:
            self._stream.start()
        except Exception as exc:
            raise DeviceError(
                f"cannot start recording from {self.device_name!r}: {_one_line(exc)}"
            ) from exc
        if not self._first_block.wait(self._start_timeout):
            raise DeviceError(
                f"microphone {self.device_name!r} delivered no audio within "
                f"{self._start_timeout:g} s; check it is not muted or in use, or use --answer-file"
            )

    # The audio callback runs on PortAudio's thread: copy, enqueue, count. Nothing else.
    def _callback(self, indata: Any, frames: int, _time: Any, status: Any) -> None:
        self._queue.put(indata.copy())
        if status.input_overflow:
            self._overflows += 1
        self._received += frames
        self._arrivals.append(time.monotonic() - self._received / self._rate)
        if not self._first_block.is_set():
            self._first_block.set()

    def _stream_finished(self) -> None:
        if not self._stopping:  # the device went away by itself
            self._end_of_input(f"the microphone {self.device_name!r} stopped delivering audio")

    def _stop_source(self) -> None:
        """Keep recording until the audio captured before this call has arrived.

        Each block's arrival time minus the audio received so far bounds when the stream
        started; the tightest recent bound says how much audio must have been captured
        by now. Wait for it (plus a small margin), or ``drain_timeout`` at most.
        """
        stop_at = time.monotonic()
        deadline = stop_at + self._drain_timeout
        if self._arrivals:
            started = min(self._arrivals)
            needed = (stop_at + DRAIN_MARGIN_S - started) * self._rate
            while self._received < needed and time.monotonic() < deadline:
                if self._finished.is_set():
                    break
                time.sleep(0.01)
        self._stop_source_now()

    def _stop_source_now(self) -> None:
        self._stopping = True
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()  # waits for the callback in progress, if any
        except Exception as exc:
            self._warnings.append(f"stopping the microphone failed: {_one_line(exc)}")
        with contextlib.suppress(Exception):
            stream.close()


# -- a file as a microphone ---------------------------------------------------------------------


class FileRecorder(_PipelineRecorder):
    """Feed a recorded answer through the recording pipeline as if it were spoken now.

    Decodes any audio file :func:`voicemock.audio.io.load_audio` reads. ``realtime``
    paces the blocks at the speed of speech (block *i* is released when a microphone
    would have finished capturing it); ``realtime=False`` feeds as fast as the writer
    takes them. Ends by itself at the end of the file (:attr:`finished`). ``clock`` and
    ``sleep`` are injectable so tests need not wait.
    """

    def __init__(
        self,
        wav_path: str | Path,
        *,
        realtime: bool = True,
        max_seconds: float | None = None,
        block_s: float = BLOCK_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        fsync_interval: float = FSYNC_INTERVAL_S,
    ) -> None:
        super().__init__(max_seconds=max_seconds, fsync_interval=fsync_interval)
        self.source = Path(wav_path)
        self.realtime = realtime
        self._block = max(1, round(block_s * SAMPLE_RATE))
        self._clock = clock
        self._sleep = sleep
        self.device_name = f"file {self.source.name}"
        self._feeder: threading.Thread | None = None
        self._stop_feeding = threading.Event()
        self.fed_at: list[float] = []
        """Clock time each block was released (for tests of the pacing)."""

    def _open_source(self) -> int:
        from voicemock.audio.io import probe_audio

        probe_audio(self.source)  # a file that cannot be read fails here, at start()
        self._stop_feeding = threading.Event()
        self.fed_at = []
        return SAMPLE_RATE

    def _start_source(self) -> None:
        self._feeder = threading.Thread(
            target=self._feed_loop, name="voicemock-file-feeder", daemon=True
        )
        self._feeder.start()

    def _pause(self, seconds: float) -> None:
        if self._sleep is not None:
            self._sleep(seconds)
        else:
            self._stop_feeding.wait(seconds)

    def _feed_loop(self) -> None:
        """Decode the file a block at a time (memory stays at a block whatever its
        length) and feed it, paced; stop at ``max_seconds``, where the writer stops."""
        from voicemock.audio.io import iter_audio
        from voicemock.errors import AudioError

        started = self._clock()
        cap = None if self.max_seconds is None else round(self.max_seconds * SAMPLE_RATE)
        fed = 0
        blocks = iter_audio(self.source, block_s=self._block / SAMPLE_RATE, max_s=None)
        try:
            for block in blocks:
                if self.realtime:
                    due = started + (fed + len(block)) / SAMPLE_RATE
                    delay = due - self._clock()
                    if delay > 0:
                        self._pause(delay)
                if self._stop_feeding.is_set():
                    return
                self.fed_at.append(self._clock())
                self._feed(block)
                fed += len(block)
                if cap is not None and fed >= cap:
                    break
        except AudioError as exc:
            self._end_of_input(f"the answer file could not be read to its end: {exc}")
            return
        finally:
            blocks.close()
        self._end_of_input()

    def _stop_source(self) -> None:
        self._stop_source_now()

    def _stop_source_now(self) -> None:
        self._stop_feeding.set()
        feeder = self._feeder
        if feeder is not None and feeder.is_alive() and feeder is not threading.current_thread():
            feeder.join()


# -- helpers ------------------------------------------------------------------------------


def _join(thread: threading.Thread, *, give_up_on_interrupt: bool = False) -> BaseException | None:
    """Join ``thread`` even through Ctrl-C; return the interrupt if there was one."""
    interrupted: BaseException | None = None
    while thread.is_alive():
        try:
            thread.join(0.1)
        except KeyboardInterrupt as exc:
            if interrupted is not None and give_up_on_interrupt:
                return interrupted
            interrupted = exc
    return interrupted


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__


def _clock_text(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


if TYPE_CHECKING:  # both sources are Recorders (checked by mypy, never run)
    _mic: Recorder = SoundDeviceRecorder()
    _file: Recorder = FileRecorder("answer.wav")
