"""Reading audio files into float32 mono 16 kHz buffers, whole or block by block.

Any file PyAV (FFmpeg) decodes is accepted: WAV, FLAC, MP3, OGG, M4A… What a user names
can be anything, so every reader here:

- opens only a regular file (never a device such as ``/dev/zero``, a named pipe that
  would block, a directory or a socket), and decodes from that open file, so the file
  checked is the file read;
- refuses a sample rate no recording has (a header claiming 7 Hz would otherwise be
  resampled into gigabytes) and more than :data:`MAX_CHANNELS` channels, before decoding;
- decodes and resamples a group of frames at a time, so memory follows the length of
  the *output* (:func:`load_audio`) or a block of it (:func:`iter_audio`), never a
  multiple of the file;
- stops at ``max_s`` seconds of output, whatever the file's header claimed.

Samples are identical to ``faster_whisper.audio.decode_audio`` (16-bit mono resampling
by libswresample, then divided by 32768), so a file read here transcribes as before.
Every failure is an :class:`~voicemock.errors.AudioError` with a one-line reason.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from voicemock.audio import SAMPLE_RATE
from voicemock.errors import AudioError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Audio = npt.NDArray[np.float32]

MIN_RATE = 4_000
"""Lowest sample rate accepted: below telephone quality nothing useful is left of speech."""
MAX_RATE = 768_000
"""Highest sample rate accepted (the highest any audio interface records at)."""
MAX_CHANNELS = 64
MAX_LOAD_S = 2 * 3600.0
"""The longest recording :func:`load_audio` returns (2:00:00, 460 MB of samples). Read
longer ones block by block with :func:`iter_audio`."""
GROUP_SAMPLES = 1 << 16
"""Input samples resampled at a time (0.4–16 s of audio, depending on its rate)."""


@dataclass(frozen=True)
class AudioInfo:
    """What a file says about its first audio stream (nothing decoded beyond a frame)."""

    path: Path
    codec: str
    sample_rate: int
    channels: int
    duration_s: float | None
    """The container's estimate, ``None`` when it gives none."""


def probe_audio(path: str | Path) -> AudioInfo:
    """Check ``path`` is a readable audio file and say what it holds.

    Decodes the first frame (a corrupt or unsupported file fails here, in a moment) and
    applies the same checks as the readers. Raises :class:`AudioError`.
    """
    path = Path(path)
    with _opened(path) as fh, _container(fh, path) as container:
        stream = _audio_stream(container, path)
        info = _info(stream, container, path)
        for _ in _frames(container, stream, path):
            break
        else:
            raise AudioError(f"{path} holds no audio samples")
    return info


def iter_audio(
    path: str | Path, *, block_s: float = 30.0, max_s: float | None = MAX_LOAD_S
) -> Generator[Audio, None, None]:
    """Blocks of ``block_s`` seconds of 16 kHz mono float32 (the last one shorter).

    Memory stays at about one block whatever the length. Raises :class:`AudioError`
    before the first block for a file it cannot read, and on reaching ``max_s`` seconds
    (``None``: no limit) for a longer one.
    """
    import numpy as np

    block = max(1, round(block_s * SAMPLE_RATE))
    buffer = np.zeros(0, dtype=np.int16)
    with _decoding(Path(path), max_s) as (_info, pcm_chunks):
        for pcm in pcm_chunks:
            buffer = np.concatenate([buffer, pcm]) if len(buffer) else pcm
            while len(buffer) >= block:
                yield _to_float(buffer[:block])
                buffer = buffer[block:]
    if len(buffer):
        yield _to_float(buffer)


def load_audio(path: str | Path, *, max_s: float | None = MAX_LOAD_S) -> Audio:
    """Decode any audio file PyAV can read (WAV, FLAC, MP3, OGG, M4A…) to 16 kHz mono.

    Raises :class:`AudioError` with a one-line reason for a missing, empty, special,
    corrupt or unsupported file, an impossible sample rate, or one longer than ``max_s``.
    Memory: the samples returned, plus a group of frames while decoding.
    """
    import numpy as np

    with _decoding(Path(path), max_s) as (info, pcm_chunks):
        estimate = info.duration_s if info.duration_s is not None else 60.0
        if max_s is not None:
            estimate = min(estimate, max_s)
        out = np.empty(round(estimate * SAMPLE_RATE) + SAMPLE_RATE, dtype=np.float32)
        filled = 0
        for pcm in pcm_chunks:
            if filled + len(pcm) > len(out):  # the estimate was short: grow by half
                grown = np.empty(max(filled + len(pcm), len(out) * 3 // 2), dtype=np.float32)
                grown[:filled] = out[:filled]
                out = grown
            out[filled : filled + len(pcm)] = pcm
            filled += len(pcm)
    out = out[:filled]
    out /= np.float32(32768.0)
    return out


# -- internals ---------------------------------------------------------------------------


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[IO[bytes]]:
    from voicemock.files import NotRegularFile, open_regular

    try:
        fd = open_regular(path)
    except FileNotFoundError:
        raise AudioError(f"no such file: {path}") from None
    except NotRegularFile as exc:
        raise AudioError(f"{path} is {exc.kind}, not an audio file") from None
    except PermissionError:
        raise AudioError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise AudioError(f"cannot read {path}: {_reason(exc)}") from None
    with os.fdopen(fd, "rb") as fh:
        if os.fstat(fd).st_size == 0:
            raise AudioError(f"{path} is empty (0 bytes)")
        yield fh


@contextlib.contextmanager
def _container(fh: IO[bytes], path: Path) -> Iterator[Any]:
    """The open PyAV container; every decoding error becomes one :class:`AudioError`."""
    import av

    try:
        container = av.open(fh, mode="r", metadata_errors="ignore")
    except Exception as exc:  # av.error.*, ValueError, …
        raise _unreadable(path, exc) from None
    try:
        with container:
            yield container
    except AudioError:
        raise
    except (MemoryError, Exception) as exc:
        raise _unreadable(path, exc) from None
    finally:
        import gc

        gc.collect()  # PyAV's resampler holds FFmpeg memory until collected


@contextlib.contextmanager
def _decoding(
    path: Path, max_s: float | None
) -> Iterator[tuple[AudioInfo, Iterator[npt.NDArray[np.int16]]]]:
    """The file's :class:`AudioInfo` and its 16 kHz 16-bit samples, a chunk at a time,
    checked against ``max_s`` as they come; no samples at all is an error."""
    limit = None if max_s is None else round(max_s * SAMPLE_RATE) + SAMPLE_RATE // 10

    with _opened(path) as fh, _container(fh, path) as container:
        stream = _audio_stream(container, path)
        info = _info(stream, container, path)
        if max_s is not None and info.duration_s is not None and info.duration_s > max_s + 1:
            raise _too_long(path, info.duration_s, max_s)

        def chunks() -> Iterator[npt.NDArray[np.int16]]:
            produced = 0
            for pcm in _resampled(container, stream, path):
                produced += len(pcm)
                if limit is not None and produced > limit:
                    assert max_s is not None
                    raise _too_long(path, None, max_s)
                if len(pcm):
                    yield pcm
            if produced == 0:
                raise AudioError(f"{path} holds no audio samples")

        yield info, chunks()


def _audio_stream(container: Any, path: Path) -> Any:
    if not container.streams.audio:
        raise AudioError(f"{path} has no audio in it")
    return container.streams.audio[0]


def _info(stream: Any, container: Any, path: Path) -> AudioInfo:
    if stream.codec_context is None:
        raise AudioError(f"cannot read {path} as audio: no decoder for its audio format")
    rate = int(stream.codec_context.sample_rate or 0)
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(
            f"{path} claims {rate:,} samples a second: not a recording voicemock can use"
            f" (it reads {MIN_RATE:,} to {MAX_RATE:,})"
        )
    channels = int(stream.codec_context.channels or 0)
    if not 1 <= channels <= MAX_CHANNELS:
        raise AudioError(f"{path} claims {channels} audio channels: not a usable recording")
    duration: float | None = None
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / 1_000_000
    return AudioInfo(path, str(stream.codec_context.name), rate, channels, duration)


def _frames(container: Any, stream: Any, path: Path) -> Iterator[Any]:
    """Decoded frames, skipping ones FFmpeg finds invalid (as faster-whisper does)."""
    import av

    frames = container.decode(stream)
    while True:
        try:
            frame = next(frames)
        except StopIteration:
            return
        except av.error.InvalidDataError:
            continue
        if not MIN_RATE <= frame.sample_rate <= MAX_RATE:
            raise AudioError(f"{path} changes to an unusable sample rate mid-stream")
        yield frame


def _resampled(container: Any, stream: Any, path: Path) -> Iterator[npt.NDArray[np.int16]]:
    """16 kHz mono 16-bit samples, resampled a group of input frames at a time."""
    import av
    import numpy as np

    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    fifo = av.AudioFifo()

    def convert(frame: Any) -> Iterator[npt.NDArray[np.int16]]:
        for out in resampler.resample(frame):
            yield np.asarray(out.to_ndarray(), dtype=np.int16).reshape(-1)

    for frame in _frames(container, stream, path):
        frame.pts = None  # ignore timestamp gaps, as faster-whisper does
        fifo.write(frame)
        if fifo.samples >= GROUP_SAMPLES:
            yield from convert(fifo.read())
    if fifo.samples:
        yield from convert(fifo.read())
    yield from convert(None)


def _to_float(pcm: npt.NDArray[np.int16]) -> Audio:
    import numpy as np

    audio: Audio = pcm.astype(np.float32) / np.float32(32768.0)
    return audio


def _too_long(path: Path, duration_s: float | None, max_s: float) -> AudioError:
    length = f" ({_hours(duration_s)})" if duration_s is not None else ""
    return AudioError(
        f"{path} is longer than voicemock reads{length}: the limit is {_hours(max_s)}"
    )


def _hours(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _unreadable(path: Path, exc: BaseException) -> AudioError:
    if isinstance(exc, MemoryError):
        return AudioError(f"cannot read {path} as audio: it needs more memory than is free")
    return AudioError(
        f"cannot read {path} as audio: unsupported format or corrupt file ({_reason(exc)})"
    )


_ERRNO = re.compile(r"^\[Errno -?\d+\]\s*")


def _reason(exc: BaseException) -> str:
    """One short line from an exception, without FFmpeg's raw error number
    ("[Errno 1094995529] Invalid data found…" reads "Invalid data found…")."""
    strerror = getattr(exc, "strerror", None)
    text = strerror if isinstance(strerror, str) and strerror.strip() else str(exc)
    text = _ERRNO.sub("", text.strip())
    text = text.splitlines()[0] if text else type(exc).__name__
    return text[:120]
