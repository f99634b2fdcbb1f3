"""Reading audio files into float32 mono 16 kHz buffers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voicemock.audio import SAMPLE_RATE
from voicemock.errors import AudioError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Audio = npt.NDArray[np.float32]


def load_audio(path: str | Path) -> Audio:
    """Decode any audio file PyAV can read (WAV, FLAC, MP3, OGG, M4A…) to 16 kHz mono.

    Raises :class:`AudioError` with a one-line reason for a missing, empty, corrupt or
    unsupported file.
    """
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

    import numpy as np

    try:
        from faster_whisper.audio import decode_audio

        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except PermissionError as exc:
        raise AudioError(f"cannot read {path}: permission denied") from exc
    except Exception as exc:
        # PyAV raises its own error types (InvalidDataError, DecoderNotFoundError, ...)
        # and sometimes plain ValueError/IndexError for files with no audio stream.
        raise AudioError(
            f"cannot read {path} as audio: unsupported format or corrupt file ({_reason(exc)})"
        ) from exc
    if audio.size == 0:
        raise AudioError(f"{path} holds no audio samples")
    return np.ascontiguousarray(audio, dtype=np.float32)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
