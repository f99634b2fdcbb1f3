"""WAV files that survive a crash: a streaming writer and a repair.

:class:`WavWriter` appends PCM with the standard library's :mod:`wave`, which after every
append rewrites the two size fields of the header (data first, header second), so at any
instant the file on disk is a valid WAV whose header covers at most one block less than
the data actually written. A kill, a crash or a power cut (the data is ``fdatasync``-ed
about once a second) leaves a file any reader opens; :func:`repair_wav` then makes the
header cover every whole frame on disk.

Only the standard library is used (:mod:`wave` writes the files): this module is safe to
import anywhere.
"""

from __future__ import annotations

import os
import struct
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from voicemock.audio import SAMPLE_RATE, WAV_HEADER_SIZE
from voicemock.errors import AudioError, StorageError
from voicemock.files import create_private, fsync_dir

PCM = 1
FLOAT = 3
EXTENSIBLE = 0xFFFE
HEADER_SIZE = WAV_HEADER_SIZE
"""A canonical PCM header: RIFF, ``fmt `` (16 bytes), ``data``. What the writer writes."""
MAX_DATA_SIZE = 0xFFFFFFFF - HEADER_SIZE
"""A RIFF size field is 32 bits: about 37 hours of 16 kHz mono 16-bit audio."""
FSYNC_INTERVAL_S = 1.0

# Chunks that may legitimately follow ``data`` in files written by other tools. Anything
# else after the declared end of ``data`` is taken to be audio the header does not cover.
_TRAILING_CHUNKS = frozenset(
    {b"LIST", b"id3 ", b"ID3 ", b"fact", b"cue ", b"smpl", b"bext", b"JUNK", b"junk",
     b"PAD ", b"inst", b"acid", b"_PMX", b"iXML", b"umid", b"labl", b"note", b"plst"}
)  # fmt: skip


@dataclass(frozen=True)
class WavInfo:
    """What a WAV header says, and where the ``data`` chunk is."""

    samplerate: int
    channels: int
    sampwidth: int
    """Bytes per sample."""
    format_tag: int
    block_align: int
    """Bytes per frame (all channels of one sample instant)."""
    data_offset: int
    """Where the audio bytes start (just after the ``data`` chunk header)."""
    data_size: int
    """The ``data`` size as declared in the header."""
    file_size: int

    @property
    def frames(self) -> int:
        return self.data_size // self.block_align if self.block_align else 0

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


@dataclass(frozen=True)
class RepairResult:
    """What :func:`repair_wav` found and did."""

    path: Path
    frames: int
    """Whole frames of audio now covered by the header."""
    samplerate: int
    changed: bool
    """The header was rewritten and/or a partial frame at the end was cut off."""
    header_frames: int
    """Frames the header claimed before the repair."""
    trimmed_bytes: int
    """Bytes of an incomplete last frame that were removed."""

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


def pcm_header(samplerate: int, channels: int, sampwidth: int, data_size: int) -> bytes:
    """The canonical 44-byte header of an integer-PCM WAV holding ``data_size`` bytes."""
    block_align = channels * sampwidth
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + data_size,
        b"WAVE",
        b"fmt ",
        16,
        PCM,
        channels,
        samplerate,
        samplerate * block_align,
        block_align,
        sampwidth * 8,
        b"data",
        data_size,
    )


def read_wav_info(path: str | Path) -> WavInfo:
    """Parse the header of ``path`` (no audio is read).

    Raises :class:`AudioError` when the file is not a RIFF/WAVE file or has no ``fmt ``
    and ``data`` chunks.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            return _parse(f, path, os.fstat(f.fileno()).st_size)
    except FileNotFoundError as exc:
        raise AudioError(f"no such file: {path}") from exc
    except OSError as exc:
        raise AudioError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _parse(f: BinaryIO, path: Path, file_size: int) -> WavInfo:
    head = f.read(12)
    if len(head) == 0:
        raise AudioError(f"{path} is empty (0 bytes): no audio was recorded")
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioError(f"{path} is not a WAV file (no RIFF/WAVE header)")
    fmt: tuple[int, int, int, int, int] | None = None
    pos = 12
    while True:
        f.seek(pos)
        chunk = f.read(8)
        if len(chunk) < 8:
            what = "fmt " if fmt is None else "data"
            raise AudioError(f"{path} is not a usable WAV file (no '{what}' chunk)")
        cid, size = struct.unpack("<4sI", chunk)
        if cid == b"fmt ":
            body = f.read(min(size, 40))
            if len(body) < 16:
                raise AudioError(f"{path} has a truncated WAV format chunk")
            tag, channels, rate, _byte_rate, align, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, rate, align, bits)
        elif cid == b"data":
            if fmt is None:
                raise AudioError(f"{path} is not a usable WAV file ('data' before 'fmt ')")
            tag, channels, rate, align, bits = fmt
            if channels < 1 or rate < 1 or align < 1:
                raise AudioError(f"{path} has an invalid WAV format chunk")
            return WavInfo(
                samplerate=rate,
                channels=channels,
                sampwidth=(bits + 7) // 8,
                format_tag=tag,
                block_align=align,
                data_offset=pos + 8,
                data_size=size,
                file_size=file_size,
            )
        pos += 8 + size + (size & 1)


def repair_wav(path: str | Path) -> RepairResult:
    """Make the header of ``path`` cover every whole frame on disk; cut a partial frame.

    For a file whose writer was killed: the header may lag the data (or declare 0, or
    more than there is), and the last frame may be incomplete. Chunks another tool put
    after ``data`` (``LIST``, ``id3 ``…) are recognised and kept. Idempotent; a file that
    needs nothing is not written to. Raises :class:`AudioError` for an empty file or one
    that is not a WAV file.
    """
    path = Path(path)
    try:
        with open(path, "r+b") as f:
            size = os.fstat(f.fileno()).st_size
            info = _parse(f, path, size)
            available = size - info.data_offset
            declared_end = info.data_offset + info.data_size
            if info.data_size <= available and _chunk_follows(f, declared_end, size):
                data_size = info.data_size  # data is not the last chunk: it is complete
                trimmed = 0
                end = size
            else:
                data_size = available - available % info.block_align
                trimmed = available - data_size
                end = info.data_offset + data_size
            riff_size = end - 8
            f.seek(4)
            old_riff = struct.unpack("<I", f.read(4))[0]
            changed = data_size != info.data_size or riff_size != old_riff or trimmed > 0
            if changed:
                if trimmed:
                    f.truncate(end)
                f.seek(info.data_offset - 4)
                f.write(struct.pack("<I", data_size))
                f.seek(4)
                f.write(struct.pack("<I", riff_size))
                f.flush()
                os.fsync(f.fileno())
    except FileNotFoundError as exc:
        raise AudioError(f"no such file: {path}") from exc
    except OSError as exc:
        raise AudioError(f"cannot repair {path}: {exc.strerror or exc}") from exc
    return RepairResult(
        path=path,
        frames=data_size // info.block_align,
        samplerate=info.samplerate,
        changed=changed,
        header_frames=info.data_size // info.block_align,
        trimmed_bytes=trimmed,
    )


def _chunk_follows(f: BinaryIO, offset: int, file_size: int) -> bool:
    """Whether a known RIFF chunk starts at ``offset`` (or a pad byte then one) and fits."""
    for start in (offset, offset + 1):
        if start + 8 > file_size:
            continue
        f.seek(start)
        cid, size = struct.unpack("<4sI", f.read(8))
        if cid in _TRAILING_CHUNKS and start + 8 + size <= file_size + 1:
            return True
    return False


class _ResumedWave(wave.Wave_write):
    """The standard library's writer, resumed on a canonical WAV that holds audio already.

    ``wave`` cannot append; this sets the bookkeeping its own header writer would have
    left after writing ``data_size`` bytes (header at 0, sizes at 4 and 40), so the next
    :meth:`writeframes` appends and patches the header exactly as for a new file.
    """

    def __init__(self, f: BinaryIO, info: WavInfo) -> None:
        super().__init__(f)
        self.setnchannels(info.channels)
        self.setsampwidth(info.sampwidth)
        self.setframerate(info.samplerate)
        self._nframes = info.frames
        self._nframeswritten = info.frames
        self._datalength = self._datawritten = info.data_size
        self._form_length_pos = 4
        self._data_length_pos = info.data_offset - 4
        self._headerwritten = True


class WavWriter:
    """Append 16-bit (or other integer) PCM to a WAV file whose header is always valid.

    Built on the standard library's :mod:`wave`: its ``writeframes`` writes the audio,
    then patches the RIFF and ``data`` sizes (data first, header second), and the file is
    unbuffered, so at any instant the file on disk is a valid WAV whose header covers at
    most the block being written less than the data. A new file is created with mode
    0600, its header written under a temporary name and renamed into place, so ``path``
    never exists without a header. An existing WAV in the same format is repaired (see
    :func:`repair_wav`) and appended to; an existing empty file is filled. The data is
    ``fdatasync``-ed every ``fsync_interval`` seconds and on close. Not thread-safe: one
    thread writes.

    >>> with WavWriter("answer.wav") as w:   # doctest: +SKIP
    ...     w.write(pcm_bytes)
    """

    def __init__(
        self,
        path: str | Path,
        *,
        samplerate: int = SAMPLE_RATE,
        channels: int = 1,
        sampwidth: int = 2,
        fsync_interval: float = FSYNC_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.samplerate = samplerate
        self.channels = channels
        self.sampwidth = sampwidth
        self.block_align = channels * sampwidth
        self._fsync_interval = fsync_interval
        self._clock = clock
        self._file: BinaryIO | None = None
        self._wave: wave.Wave_write | None = None
        self._data_size = 0
        self.created = False
        """Whether this writer created the file (rather than appending to one)."""
        self.initial_frames = 0
        """Frames already in the file before this writer appended to it."""
        try:
            self._open()
        except OSError as exc:
            raise StorageError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self._last_sync = self._clock()

    def _open(self) -> None:
        path = self.path
        if path.exists() and path.stat().st_size > 0:
            repair_wav(path)
            info = read_wav_info(path)
            if (info.samplerate, info.channels, info.sampwidth, info.format_tag) != (
                self.samplerate,
                self.channels,
                self.sampwidth,
                PCM,
            ):
                raise AudioError(
                    f"cannot append to {path}: it holds {info.samplerate} Hz, "
                    f"{info.channels}-channel, {info.sampwidth * 8}-bit audio"
                )
            if info.data_offset + info.data_size != info.file_size:
                raise AudioError(f"cannot append to {path}: its audio is not at the end")
            if info.data_offset != HEADER_SIZE:
                raise AudioError(f"cannot append to {path}: its header is not a plain PCM one")
            self._file = open(path, "r+b", buffering=0)  # noqa: SIM115 (closed in close())
            self._file.seek(0, os.SEEK_END)
            self._wave = _ResumedWave(self._file, info)
            self._data_size = info.data_size
            self.initial_frames = info.frames
            return
        if path.exists():  # empty: someone reserved the name for us
            self._file = open(path, "r+b", buffering=0)  # noqa: SIM115 (closed in close())
            self._wave = self._start_wave(self._file)
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = create_private(tmp)
        try:
            self._file = open(fd, "r+b", buffering=0)  # noqa: SIM115 (closed in close())
            self._wave = self._start_wave(self._file)
            os.fsync(fd)
            tmp.replace(path)
        except BaseException:
            self._abandon()
            tmp.unlink(missing_ok=True)
            raise
        self.created = True
        fsync_dir(path.parent)

    def _start_wave(self, f: BinaryIO) -> wave.Wave_write:
        w = wave.open(f, "wb")  # noqa: SIM115 (closed in close())
        w.setnchannels(self.channels)
        w.setsampwidth(self.sampwidth)
        w.setframerate(self.samplerate)
        w.writeframes(b"")  # the header now, declaring no audio yet
        return w

    # -- writing -------------------------------------------------------------------
    @property
    def frames(self) -> int:
        """Frames in the file (including any that were there before)."""
        return self._data_size // self.block_align

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate

    @property
    def closed(self) -> bool:
        return self._wave is None

    def write(self, pcm: bytes | bytearray | memoryview) -> None:
        """Append whole frames of little-endian PCM, then update the header."""
        w = self._require_open()
        data = memoryview(pcm).cast("B")
        if len(data) % self.block_align:
            raise ValueError(f"{len(data)} bytes is not a whole number of frames")
        if not data:
            return
        if self._data_size + len(data) > MAX_DATA_SIZE:
            raise StorageError(f"{self.path} reached the 4 GB limit of a WAV file")
        try:
            w.writeframes(data)  # the data, then the header's two sizes
        except OSError as exc:
            raise StorageError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self._data_size += len(data)
        if self._clock() - self._last_sync >= self._fsync_interval:
            self.sync()

    def sync(self) -> None:
        """Push what was written to the disk (``fdatasync``)."""
        self._require_open()
        assert self._file is not None
        try:
            _datasync(self._file.fileno())
        except OSError as exc:
            raise StorageError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self._last_sync = self._clock()

    def close(self) -> None:
        """Sync and close. Safe to call twice."""
        if self._wave is None or self._file is None:
            return
        w, f = self._wave, self._file
        self._wave = self._file = None
        try:
            w.close()  # the header is already up to date: this only flushes
            _datasync(f.fileno())
        except OSError as exc:
            raise StorageError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        finally:
            f.close()

    def _abandon(self) -> None:
        """Close without syncing (the file is being thrown away)."""
        if self._file is not None:
            self._file.close()
        self._wave = self._file = None

    def _require_open(self) -> wave.Wave_write:
        if self._wave is None:
            raise ValueError(f"{self.path} is closed")
        return self._wave

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _datasync(fd: int) -> None:
    sync = getattr(os, "fdatasync", os.fsync)
    sync(fd)
