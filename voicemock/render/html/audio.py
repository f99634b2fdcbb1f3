"""Recordings compressed for embedding in a report: Ogg/Opus at a speech bit rate.

Encoded with libopus through PyAV (already installed: faster-whisper decodes audio with
it) at 32 kbit/s mono: about 0.9 MB for a 4-minute answer. Complexity 0 encodes at about
400 times real time per core, twice as fast as complexity 5, and PyAV releases the GIL
while encoding, so recordings are compressed in parallel threads. The copy is for
listening; the analysis always uses the original recording. libsndfile's Opus writer
(soundfile) does the same job about twenty times slower: it is the fallback when PyAV
lacks libopus, and Ogg/Vorbis after that.

The encoded stream starts where the recording starts (the decoder drops Opus's pre-skip),
so a word's time in the transcript is its time in the player.
"""

from __future__ import annotations

import base64
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voicemock.errors import AudioError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

SAMPLE_RATE = 16_000
FRAME_SAMPLES = SAMPLE_RATE * 10
BITRATE = 32_000
"""Bits per second: clear wideband speech, under 1 MB for 4 minutes."""
FRAME_MS = 60
"""Opus frame length: 60 ms costs a third less time to encode than the usual 20 ms."""
COMPLEXITY = 0
"""libopus complexity (0-10): 0 encodes about twice as fast as 5 and seven times as fast
as 10. Measured by re-transcribing hard meeting speech, complexity (0, 4, 10) and bit rate
(32 or 48 kbit/s) change the result less than going from WAV to any of them does."""


@dataclass(frozen=True)
class EncodedAudio:
    data: bytes
    mime: str
    codec: str
    """What encoded it, e.g. ``opus (libopus)``."""

    @property
    def data_url(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def encode(path: Path) -> EncodedAudio:
    """``path`` (any format PyAV reads) as Ogg/Opus; raises :class:`AudioError`."""
    if not path.is_file():
        raise AudioError(f"no such file: {path}")
    try:
        return _encode_pyav(path)
    except _Unavailable:
        pass
    return _encode_soundfile(path)


class _Unavailable(Exception):
    """This encoder is not installed here."""


def _encode_pyav(path: Path) -> EncodedAudio:
    try:
        import av
    except ImportError as exc:  # pragma: no cover - PyAV comes with faster-whisper
        raise _Unavailable from exc
    if "libopus" not in av.codecs_available:
        raise _Unavailable
    buffer = io.BytesIO()
    try:
        # All the samples first, then encoded in long frames: PyAV's per-frame
        # bookkeeping would cost more than libopus itself on 1024-sample frames.
        samples = _samples(path)
        with av.open(buffer, "w", format="ogg") as sink:
            stream = sink.add_stream("libopus", rate=SAMPLE_RATE)
            stream.bit_rate = BITRATE
            stream.layout = "mono"
            stream.options = {
                "application": "audio",
                "compression_level": str(COMPLEXITY),
                "frame_duration": str(FRAME_MS),
            }
            for start in range(0, len(samples), FRAME_SAMPLES):
                frame = av.AudioFrame.from_ndarray(
                    samples[None, start : start + FRAME_SAMPLES], format="s16", layout="mono"
                )
                frame.sample_rate = SAMPLE_RATE
                for packet in stream.encode(frame):
                    sink.mux(packet)
            for packet in stream.encode(None):
                sink.mux(packet)
    except Exception as exc:  # PyAV's own error types, or a file with no audio stream
        raise AudioError(f"cannot read {path} as audio ({_reason(exc)})") from exc
    return EncodedAudio(buffer.getvalue(), "audio/ogg;codecs=opus", "opus (libopus)")


def _samples(path: Path) -> npt.NDArray[np.int16]:
    """The recording as 16 kHz mono 16-bit samples: read directly when it already is
    (voicemock's own WAV files), else decoded and resampled by PyAV."""
    import av
    import numpy as np
    import soundfile

    try:
        info = soundfile.info(str(path))
    except (RuntimeError, OSError):  # not a file libsndfile reads: PyAV will try
        info = None
    if info is not None and info.samplerate == SAMPLE_RATE and info.channels == 1:
        data, _ = soundfile.read(str(path), dtype="int16", always_2d=False)
        return np.ascontiguousarray(data, dtype=np.int16)
    with av.open(str(path)) as source:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        pieces = [
            chunk.to_ndarray().reshape(-1)
            for frame in [*source.decode(audio=0), None]
            for chunk in resampler.resample(frame)
        ]
    return np.concatenate([np.zeros(0, dtype=np.int16), *pieces]).astype(np.int16)


def _encode_soundfile(path: Path) -> EncodedAudio:
    import soundfile

    from voicemock.audio.io import load_audio

    audio = load_audio(path)
    subtypes = soundfile.available_subtypes("OGG")
    for subtype, mime in (("OPUS", "audio/ogg;codecs=opus"), ("VORBIS", "audio/ogg")):
        if subtype not in subtypes:
            continue
        # A real file (in a private temporary directory): libsndfile's Ogg writers are
        # unreliable on Python file objects.
        with tempfile.TemporaryDirectory(prefix="voicemock-") as tmp:
            out = Path(tmp) / f"answer.{subtype.lower()}.ogg"
            try:
                with soundfile.SoundFile(
                    str(out), "w", samplerate=SAMPLE_RATE, channels=1, format="OGG", subtype=subtype
                ) as sink:
                    sink.write(audio)
                return EncodedAudio(out.read_bytes(), mime, f"{subtype.lower()} (libsndfile)")
            except (RuntimeError, OSError) as exc:
                raise AudioError(f"cannot compress {path}: {_reason(exc)}") from exc
    raise AudioError("no Ogg encoder here: PyAV without libopus and libsndfile without Ogg")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


__all__ = ["BITRATE", "EncodedAudio", "encode"]
