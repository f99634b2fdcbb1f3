"""Reading audio files into float32 mono 16 kHz buffers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicemock.audio import SAMPLE_RATE
from voicemock.errors import AudioError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Audio = npt.NDArray[np.float32]


BLOCK_S = 30.0
"""Seconds of audio per block when a file is read piece by piece."""


def load_audio(path: str | Path) -> Audio:
    """Decode any audio file PyAV can read (WAV, FLAC, MP3, OGG, M4A…) to 16 kHz mono.

    Raises :class:`AudioError` with a one-line reason for a missing, empty, corrupt or
    unsupported file.
    """
    import numpy as np

    blocks = list(iter_audio(path))
    return blocks[0] if len(blocks) == 1 else np.concatenate(blocks)


def iter_audio(path: str | Path, block_s: float = BLOCK_S) -> Iterator[Audio]:
    """:func:`load_audio` piece by piece: blocks of about ``block_s`` seconds, so that a
    long recording is never held whole (the blocks joined are exactly what
    :func:`load_audio` returns). Errors as :func:`load_audio`, raised at the first block."""
    path = _checked(path)
    import numpy as np

    produced = 0
    try:
        for block in _decoded_blocks(path, int(block_s * SAMPLE_RATE)):
            produced += len(block)
            yield np.ascontiguousarray(block, dtype=np.float32)
    except PermissionError as exc:
        raise AudioError(f"cannot read {path}: permission denied") from exc
    except AudioError:
        raise
    except Exception as exc:
        # PyAV raises its own error types (InvalidDataError, DecoderNotFoundError, ...)
        # and sometimes plain ValueError/IndexError for files with no audio stream.
        raise AudioError(
            f"cannot read {path} as audio: unsupported format or corrupt file ({_reason(exc)})"
        ) from exc
    if not produced:
        raise AudioError(f"{path} holds no audio samples")


def audio_duration(path: str | Path) -> float | None:
    """The length of an audio file in seconds as its container states it (``None`` if it
    does not say); for progress reports, not for timing."""
    try:
        import av

        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if container.duration:
                return float(container.duration) / 1_000_000
            stream = container.streams.audio[0]
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except Exception:
        return None
    return None


def _checked(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise AudioError(f"no such file: {path}")
    if path.is_dir():
        raise AudioError(f"{path} is a directory, not an audio file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AudioError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if size == 0:
        raise AudioError(f"{path} is empty (0 bytes)")
    return path


def _decoded_blocks(path: Path, samples: int) -> Iterator[Audio]:
    """faster-whisper's ``decode_audio`` (PyAV, resampled to 16 kHz mono s16), yielding a
    float32 block whenever ``samples`` are ready instead of collecting the whole file."""
    import itertools

    import av
    import numpy as np

    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    pending: list[Audio] = []
    held = 0
    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        frames = _valid_frames(container.decode(audio=0))
        for frame in itertools.chain(_grouped(frames), [None]):
            for out in resampler.resample(frame):
                array = out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
                pending.append(array)
                held += len(array)
                if held >= samples:
                    yield np.concatenate(pending)
                    pending, held = [], 0
    if held:
        yield np.concatenate(pending)


def _valid_frames(frames: Iterable[Any]) -> Iterator[Any]:
    """Skip the frames PyAV cannot decode (as faster-whisper does)."""
    import av

    iterator = iter(frames)
    while True:
        try:
            yield next(iterator)
        except StopIteration:
            return
        except av.error.InvalidDataError:
            continue


def _grouped(frames: Iterable[Any], samples: int = 500_000) -> Iterator[Any]:
    """Frames joined into groups of about ``samples`` (as faster-whisper does)."""
    import av

    fifo = av.audio.fifo.AudioFifo()
    for frame in frames:
        frame.pts = None  # Ignore timestamp check.
        fifo.write(frame)
        if fifo.samples >= samples:
            yield fifo.read()
    if fifo.samples > 0:
        yield fifo.read()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
