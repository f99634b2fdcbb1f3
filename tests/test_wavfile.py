"""The crash-proof WAV writer and the repair of files whose writer died."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicemock.audio import wavfile
from voicemock.audio.wavfile import WavWriter, pcm_header, read_wav_info, repair_wav
from voicemock.errors import AudioError, StorageError


def pcm(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(-32768, 32768, n, dtype=np.int16)


def read_both(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The samples as the stdlib ``wave`` module and libsndfile each see them."""
    with wave.open(str(path), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2)
        by_wave = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    by_sndfile, rate = soundfile.read(str(path), dtype="int16")
    assert rate == 16000
    return by_wave, by_sndfile


def test_header_is_valid_after_every_write(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    written: list[np.ndarray] = []
    with WavWriter(path) as w:
        by_wave, by_sndfile = read_both(path)  # valid before any audio, too
        assert by_wave.size == by_sndfile.size == 0
        for i, n in enumerate([1600, 1, 799, 3200, 0, 1600]):
            block = pcm(n, seed=i)
            w.write(block.data)
            written.append(block)
            expected = np.concatenate(written)
            by_wave, by_sndfile = read_both(path)  # while the writer still has it open
            np.testing.assert_array_equal(by_wave, expected)
            np.testing.assert_array_equal(by_sndfile, expected)
            assert w.frames == expected.size
    assert read_wav_info(path).frames == sum(b.size for b in written)
    assert not repair_wav(path).changed


def test_new_file_is_private_and_no_temporary_is_left(tmp_path: Path) -> None:
    path = tmp_path / "answer.wav"
    with WavWriter(path) as w:
        assert w.created
        w.write(pcm(160).data)
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.wav"]


def test_fills_a_reserved_empty_file_and_appends_to_an_existing_recording(tmp_path: Path) -> None:
    path = tmp_path / "r.wav"
    path.touch(mode=0o600)
    first, second = pcm(1000, 1), pcm(555, 2)
    with WavWriter(path) as w:
        assert not w.created
        w.write(first.data)
    with WavWriter(path) as w:
        assert w.initial_frames == 1000
        w.write(second.data)
        assert w.frames == 1555
    for samples in read_both(path):
        np.testing.assert_array_equal(samples, np.concatenate([first, second]))


def test_appending_repairs_a_killed_recording_first(tmp_path: Path) -> None:
    path = tmp_path / "r.wav"
    first = pcm(1000, 1)
    with WavWriter(path) as w:
        w.write(first.data)
    with open(path, "ab") as f:  # the writer died after its data, before its header
        f.write(pcm(300, 3).tobytes() + b"\x01")  # ... and in the middle of a sample
    with WavWriter(path) as w:
        assert w.initial_frames == 1300
        w.write(pcm(10, 4).data)
    assert read_wav_info(path).frames == 1310
    assert not repair_wav(path).changed


def test_refuses_to_append_other_formats(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    soundfile.write(str(path), np.zeros((100, 2), dtype=np.int16), 44100, subtype="PCM_16")
    with pytest.raises(AudioError, match="44100 Hz, 2-channel"):
        WavWriter(path)
    assert soundfile.info(str(path)).frames == 100  # untouched


def test_refuses_to_append_after_a_header_it_did_not_write(tmp_path: Path) -> None:
    """A WAV with a chunk between ``fmt `` and ``data`` (a LIST, as some tools write) is
    read and repaired, but not appended to: the writer keeps the plain 44-byte layout."""
    path = tmp_path / "tagged.wav"
    samples = pcm(100).astype("<i2").tobytes()
    fmt_chunk = pcm_header(16000, 1, 2, len(samples))[12:36]
    info = b"INFOISFT\x04\x00\x00\x00abc\x00"
    body = fmt_chunk + b"LIST" + struct.pack("<I", len(info)) + info
    body += b"data" + struct.pack("<I", len(samples)) + samples
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
    assert read_wav_info(path).frames == 100
    with pytest.raises(AudioError, match="not a plain PCM one"):
        WavWriter(path)
    assert soundfile.info(str(path)).frames == 100  # untouched


def test_a_new_file_header_is_the_one_the_standard_library_writes(tmp_path: Path) -> None:
    path = tmp_path / "w.wav"
    block = pcm(480)
    with WavWriter(path) as w:
        w.write(block.data)
    reference = tmp_path / "ref.wav"
    with wave.open(str(reference), "wb") as ref:
        ref.setnchannels(1)
        ref.setsampwidth(2)
        ref.setframerate(16000)
        ref.writeframes(block.tobytes())
    assert path.read_bytes() == reference.read_bytes()
    assert path.read_bytes()[:44] == pcm_header(16000, 1, 2, 960)


def test_write_rejects_partial_frames_and_use_after_close(tmp_path: Path) -> None:
    w = WavWriter(tmp_path / "x.wav")
    with pytest.raises(ValueError, match="whole number of frames"):
        w.write(b"\x00\x01\x02")
    w.close()
    w.close()  # twice is fine
    with pytest.raises(ValueError, match="closed"):
        w.write(b"\x00\x00")


def test_unwritable_directory_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot write"):
        WavWriter(tmp_path / "no" / "such" / "dir" / "x.wav")


def test_fsyncs_about_once_a_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    syncs: list[int] = []
    real = wavfile._datasync
    monkeypatch.setattr(wavfile, "_datasync", lambda fd: (syncs.append(fd), real(fd)))
    now = [0.0]
    with WavWriter(tmp_path / "s.wav", clock=lambda: now[0]) as w:
        for _ in range(25):  # 2.5 s of 100 ms blocks
            w.write(pcm(1600).data)
            now[0] += 0.1
        during = len(syncs)
    assert during == 2  # at 1.0 s and 2.0 s, not after every block
    assert len(syncs) == 3  # and once more on close


# -- repair ----------------------------------------------------------------------------


def write_raw(path: Path, samples: np.ndarray, declared: int | None, tail: bytes = b"") -> None:
    data = samples.astype("<i2").tobytes() + tail
    path.write_bytes(pcm_header(16000, 1, 2, len(data) if declared is None else declared) + data)


def test_repair_extends_a_header_that_lags_the_data(tmp_path: Path) -> None:
    path = tmp_path / "lag.wav"
    samples = pcm(16000)
    write_raw(path, samples, declared=2 * 12000)
    assert soundfile.info(str(path)).frames == 12000  # valid, just short
    result = repair_wav(path)
    assert (result.changed, result.header_frames, result.frames) == (True, 12000, 16000)
    assert result.duration_s == 1.0
    for got in read_both(path):
        np.testing.assert_array_equal(got, samples)
    assert not repair_wav(path).changed  # idempotent


def test_repair_cuts_a_file_that_ends_mid_sample(tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    samples = pcm(999)
    write_raw(path, samples, declared=0, tail=b"\x7f")
    result = repair_wav(path)
    assert (result.frames, result.trimmed_bytes) == (999, 1)
    assert path.stat().st_size == 44 + 2 * 999
    for got in read_both(path):
        np.testing.assert_array_equal(got, samples)


def test_repair_shrinks_a_header_that_claims_more_than_there_is(tmp_path: Path) -> None:
    path = tmp_path / "short.wav"
    samples = pcm(500)
    write_raw(path, samples, declared=0xFFFFFFFF - 44)  # as streaming tools write it
    assert repair_wav(path).frames == 500
    np.testing.assert_array_equal(read_both(path)[1], samples)


def test_repair_keeps_chunks_other_tools_put_after_the_audio(tmp_path: Path) -> None:
    path = tmp_path / "tagged.wav"
    samples = pcm(400)
    soundfile.write(str(path), samples, 16000, subtype="PCM_16")
    with soundfile.SoundFile(str(path), "r+") as f:
        f.title = "my answer"  # libsndfile writes a LIST chunk after 'data'
    before = path.read_bytes()
    assert b"LIST" in before[44 + 800 :]
    assert not repair_wav(path).changed
    assert path.read_bytes() == before


def test_repair_of_an_empty_or_foreign_file_is_a_one_line_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.touch()
    with pytest.raises(AudioError, match="empty"):
        repair_wav(empty)
    text = tmp_path / "notes.wav"
    text.write_text("not audio at all")
    with pytest.raises(AudioError, match="not a WAV file"):
        repair_wav(text)
    with pytest.raises(AudioError, match="no such file"):
        repair_wav(tmp_path / "missing.wav")
    headless = tmp_path / "headless.wav"
    headless.write_bytes(pcm_header(16000, 1, 2, 0)[:36])
    with pytest.raises(AudioError, match="no 'data' chunk"):
        repair_wav(headless)
    headless.write_bytes(pcm_header(16000, 1, 2, 0)[:30])
    with pytest.raises(AudioError, match="truncated WAV format chunk"):
        repair_wav(headless)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(0, 5000),
    cut=st.integers(0, 10_001),
    declared=st.one_of(st.none(), st.integers(0, 0xFFFFFFFF - 44)),
    seed=st.integers(0, 2**32 - 1),
)
def test_repair_recovers_every_whole_sample_whatever_the_header_says(
    tmp_path: Path, n: int, cut: int, declared: int | None, seed: int
) -> None:
    """A file cut anywhere after its header, whose header says anything: after the repair
    every reader sees exactly the whole samples that are on disk, and nothing else."""
    path = tmp_path / "p.wav"
    samples = pcm(n, seed)
    data = samples.tobytes()[: min(cut, 2 * n)]
    path.write_bytes(pcm_header(16000, 1, 2, len(data) if declared is None else declared) + data)
    result = repair_wav(path)
    whole = len(data) // 2
    assert result.frames == whole
    assert path.stat().st_size == 44 + 2 * whole
    for got in read_both(path):
        np.testing.assert_array_equal(got, samples[:whole])
    assert not repair_wav(path).changed


WRITER_LOOP = """
import sys
from voicemock.audio.wavfile import WavWriter
w = WavWriter(sys.argv[1], fsync_interval=1e9)
block = bytes(range(128)) * 25  # 3200 bytes = 100 ms
print("writing", flush=True)
while True:
    w.write(block)
"""


@pytest.mark.parametrize("after_s", [0.05, 0.2, 0.45])
def test_a_writer_killed_mid_write_leaves_a_valid_wav(tmp_path: Path, after_s: float) -> None:
    """SIGKILL a process writing as fast as it can: whatever instant it dies, the file
    opens as a WAV, and the repair only ever adds the one block in flight."""
    path = tmp_path / "hot.wav"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER_LOOP, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(after_s)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    size = path.stat().st_size
    with wave.open(str(path), "rb") as w:  # valid as it was left
        header_frames = w.getnframes()
    assert header_frames > 0
    assert 0 <= 2 * header_frames <= size - 44
    assert (size - 44) - 2 * header_frames <= 3200  # at most the block in flight
    result = repair_wav(path)
    assert result.frames == (size - 44) // 2
    riff, data = struct.unpack("<I", path.read_bytes()[4:8])[0], read_wav_info(path).data_size
    assert (riff, data) == (path.stat().st_size - 8, 2 * result.frames)
