"""Inputs that used to eat the machine: special files, huge or deeply nested TOML, audio
headers with absurd sample rates (issue 15, item 3). Each command runs in a child process
under an address-space ceiling and a timeout; every outcome is one clear line within
10 s and 500 MB."""

from __future__ import annotations

import os
import socket
import struct
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.limits_helpers import MEMORY_LIMIT_MB, TIME_LIMIT_S, Outcome, limited
from voicemock.audio.io import MAX_RATE, MIN_RATE, iter_audio, load_audio, probe_audio
from voicemock.errors import AudioError
from voicemock.files import FileTooLarge, NotRegularFile, read_bounded

SPECIAL = ["/dev/zero", "/dev/urandom", "fifo", "socket", "directory", "dangling"]


@pytest.fixture
def special(tmp_path: Path) -> Iterator[dict[str, Path]]:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.toml"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    directory = tmp_path / "dir.toml"
    directory.mkdir()
    dangling = tmp_path / "gone.toml"
    dangling.symlink_to(tmp_path / "nowhere")
    yield {
        "/dev/zero": Path("/dev/zero"),
        "/dev/urandom": Path("/dev/urandom"),
        "fifo": fifo,
        "socket": sock_path,
        "directory": directory,
        "dangling": dangling,
    }
    sock.close()


@pytest.fixture
def answer_wav(tmp_path: Path) -> Path:
    path = tmp_path / "answer.wav"
    soundfile.write(str(path), np.zeros(16000, dtype=np.float32), 16000, subtype="PCM_16")
    return path


def within_limits(outcome: Outcome) -> None:
    assert outcome.code is not None, f"killed after {outcome.seconds:.0f} s: {outcome.stderr}"
    assert outcome.seconds < TIME_LIMIT_S, outcome
    assert outcome.peak_mb < MEMORY_LIMIT_MB, outcome


def commands(path: Path, answer: Path) -> dict[str, list[str]]:
    p = str(path)
    return {
        "practice --set": ["practice", "--set", p, "--no-voice", "--answer-file", str(answer)],
        "sets import": ["sets", "import", p, "--name", "x"],
        "sets list": ["sets", "list", p],
        "sets show": ["sets", "show", p],
        "sets validate": ["sets", "validate", p],
        "analyze": ["analyze", p],
        "analyze --text": ["analyze", "--text", p],
        "practice --answer-file": ["practice", "--answer-file", p, "--no-voice"],
    }


@pytest.mark.parametrize("kind", SPECIAL)
def test_special_files_are_refused_by_every_command_that_reads_a_file(
    special: dict[str, Path], answer_wav: Path, kind: str
) -> None:
    path = special[kind]
    for name, args in commands(path, answer_wav).items():
        outcome = limited(args)
        within_limits(outcome)
        if name == "sets list":  # lists what it can, the bad path marked as an error
            assert outcome.code == 0, outcome
            assert kind == "directory" or "error" in outcome.stdout, outcome  # a dir: its sets
            continue
        assert outcome.one_clear_line, (name, outcome)
        if kind != "dangling":
            said = outcome.stdout + outcome.stderr  # sets validate: the problem on stdout
            assert any(
                word in said
                for word in ("directory", "device", "named pipe", "socket", "not a file")
            ), (name, said)


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "directory"])
def test_a_special_config_file_is_one_line(
    special: dict[str, Path], voicemock_home: Path, tmp_path: Path, kind: str
) -> None:
    voicemock_home.mkdir()
    config = voicemock_home / "config.toml"
    if kind == "directory":
        config.mkdir()
    else:
        config.symlink_to(special[kind])
    text = tmp_path / "answer.txt"
    text.write_text("I decided to ship it.")
    outcome = limited(["analyze", "--text", str(text)])
    within_limits(outcome)
    assert outcome.one_clear_line and "config.toml" in outcome.stderr, outcome


def test_huge_set_and_transcript_files_are_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"# x\n" * 1_000_000)
    outcome = limited(["sets", "validate", str(big)])
    within_limits(outcome)
    assert outcome.one_clear_line and "too large" in outcome.stdout + outcome.stderr
    text = tmp_path / "big.txt"
    text.write_bytes(b"word " * 1_000_000)
    outcome = limited(["analyze", "--text", str(text)])
    within_limits(outcome)
    assert outcome.one_clear_line and "too large" in outcome.stderr


@pytest.mark.parametrize("parts", [30_000, 200_000])
def test_a_set_with_a_long_dotted_key_is_refused_at_once(tmp_path: Path, parts: int) -> None:
    path = tmp_path / "keys.toml"
    path.write_text('name = "keys"\n' + ".".join(["k"] * parts) + " = 1\n")
    outcome = limited(["sets", "validate", str(path)])
    within_limits(outcome)
    assert outcome.seconds < 3
    said = outcome.stdout + outcome.stderr
    assert "more than 8 dotted parts" in said or "too large for a TOML file" in said


# -- audio headers -----------------------------------------------------------------------------


def wav_header(rate: int, *, channels: int = 1, bits: int = 16, data: int = 200_000) -> bytes:
    align = channels * bits // 8
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + data, b"WAVE", b"fmt ", 16, 1, channels, rate,
        (rate * align) & 0xFFFFFFFF, align & 0xFFFF, bits, b"data", data,
    ) + bytes(range(256)) * (data // 256)  # fmt: skip


@pytest.mark.parametrize("rate", [1, 7, 100, MIN_RATE - 1, MAX_RATE + 1, 0xFFFFFFFF])
def test_an_absurd_sample_rate_is_refused_before_decoding(tmp_path: Path, rate: int) -> None:
    path = tmp_path / "answer.wav"
    path.write_bytes(wav_header(rate))
    started = time.monotonic()
    with pytest.raises(AudioError) as caught:
        load_audio(path)
    assert time.monotonic() - started < 1
    assert str(caught.value).count("\n") == 0
    outcome = limited(["analyze", str(path)])
    within_limits(outcome)
    assert outcome.one_clear_line, outcome


def test_the_slowest_rate_accepted_stays_bounded(tmp_path: Path) -> None:
    """4 kHz, the lowest accepted: four output samples per input sample at most."""
    path = tmp_path / "answer.wav"
    path.write_bytes(wav_header(MIN_RATE, data=400_000))
    tracemalloc.start()
    try:
        audio = load_audio(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(audio) == pytest.approx(200_000 * 4, rel=0.01)
    assert peak < 4 * audio.nbytes  # the output and a group of frames, nothing more


def test_decoding_stops_at_the_length_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    soundfile.write(str(path), np.zeros(16000 * 30, dtype=np.float32), 16000, subtype="PCM_16")
    with pytest.raises(AudioError, match="longer than voicemock reads"):
        load_audio(path, max_s=10)
    assert len(load_audio(path, max_s=40)) == 16000 * 30


def test_a_long_file_streams_in_blocks_of_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    minutes = 12
    soundfile.write(
        str(path), np.zeros(16000 * 60 * minutes, dtype=np.float32), 16000, subtype="PCM_16"
    )
    tracemalloc.start()
    try:
        total = sum(len(b) for b in iter_audio(path, block_s=1.0, max_s=None))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == 16000 * 60 * minutes
    assert peak < 10_000_000  # 12 minutes of float32 would be 46 MB


def test_the_answer_file_is_streamed_up_to_the_cap(tmp_path: Path) -> None:
    """``practice --answer-file`` with a long file decodes only what it records."""
    from voicemock.audio.recorder import FileRecorder

    source = tmp_path / "long.wav"
    soundfile.write(str(source), np.zeros(16000 * 600, dtype=np.float32), 16000)
    tracemalloc.start()
    try:
        rec = FileRecorder(source, realtime=False, max_seconds=5)
        rec.start(tmp_path / "out.wav")
        rec.wait(10)
        recording = rec.stop()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert recording.duration_s == pytest.approx(5.0, abs=0.01)
    assert peak < 8_000_000  # 10 minutes of float32 would be 38 MB


def test_ffmpeg_errors_keep_their_message_without_the_raw_errno(tmp_path: Path) -> None:
    """Issue 9, item 19: "[Errno 1094995529] Invalid data…" reads "Invalid data…"."""
    path = tmp_path / "answer.m4a"
    path.write_bytes(b"\x00\x01garbage, not audio" * 100)
    with pytest.raises(AudioError) as caught:
        probe_audio(path)
    message = str(caught.value)
    assert "Invalid data found when processing input" in message
    assert "Errno" not in message and "1094995529" not in message


def test_read_bounded_reads_only_regular_files_and_at_most_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(FileTooLarge):
        read_bounded(path, 99)
    with pytest.raises(NotRegularFile, match="character device"):
        read_bounded(Path("/dev/zero"), 10)
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(NotRegularFile, match="named pipe"):
        read_bounded(fifo, 10)  # never blocks waiting for a writer
    assert time.monotonic() - started < 1
