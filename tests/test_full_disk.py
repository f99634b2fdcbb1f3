"""A disk that fills up (issue 15, item 7; issue 9, item 7), on a real small file system.

- During an answer: the moment a write fails the screen says so, what was said is kept,
  and once space is freed ``sessions recover`` saves it.
- With a full disk and an existing database: reading commands work, writing ones say
  the disk is full.
- A start refused for lack of space leaves no session and no empty database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fakes import FakeTranscriber
from tests.speech_helpers import espeak_wav
from tests.storage_helpers import analysis_dict, tmpfs
from voicemock.cli import cli
from voicemock.env import Environment
from voicemock.practice.round import SPACE_MARGIN_BYTES, space_needed
from voicemock.storage import Store

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")


def fill(disk: Path) -> Path:
    """Take every free byte of ``disk`` with one file; returns it."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while fh.write(b"\0" * size):
                    pass
            except OSError:
                pass
    return filler


def leave_free(disk: Path, free: int) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize - free))
    return filler


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk", "24m") as where:
        yield where


def env_for(home: Path) -> Environment:
    return Environment(
        environ={**os.environ, "VOICEMOCK_HOME": str(home)},
        transcriber_factory=lambda _m: FakeTranscriber().enqueue("I decided to fix it."),
    )


def test_the_space_needed_for_an_answer_is_explained() -> None:
    """Issue 9, item 7: 28 MB for a 4:00 answer was 20 MB of unexplained margin. Now:
    the audio (32 kB a second) and 5 MB for the database and its write-ahead log."""
    assert space_needed(240) == 240 * 32_000 + SPACE_MARGIN_BYTES
    assert SPACE_MARGIN_BYTES == 5_000_000
    assert round(space_needed(240) / 1e6, 1) == 12.7


@needs_root
def test_a_start_refused_for_space_leaves_no_session_and_no_database(
    disk: Path, tmp_path: Path, espeak: str
) -> None:
    wav = espeak_wav(espeak, [("I decided to fix it.", 300)], tmp_path / "a.wav")
    home = disk / "home"
    leave_free(disk, 8_000_000)
    args = ["practice", "--answer-file", str(wav), "--fast", "--no-voice"]
    result = CliRunner().invoke(cli, args, obj=env_for(home))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "a 4:00 answer needs 12.7 MB (7.7 MB of audio, 5 MB for the database)" in result.stderr
    assert not (home / "voicemock.db").exists()
    # With a database already there: still no new (empty) session.
    (disk / "filler").unlink()
    with Store.open(home):
        pass
    leave_free(disk, 8_000_000)
    result = CliRunner().invoke(cli, args, obj=env_for(home))
    assert result.exit_code == 2 and "not enough free space" in result.stderr
    with Store.open(home) as store:
        assert store.count_sessions() == 0


@needs_root
def test_a_full_disk_leaves_no_empty_database(disk: Path) -> None:
    home = disk / "home"
    home.mkdir()
    fill(disk)
    result = CliRunner().invoke(cli, ["stories", "add", "Checkout"], obj=env_for(home))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "is full" in result.stderr
    assert not (home / "voicemock.db").exists()
    assert not list(home.glob("voicemock.db*"))


@needs_root
def test_with_a_full_disk_reading_works_and_writing_says_the_disk_is_full(disk: Path) -> None:
    home = disk / "home"
    with Store.open(home) as store:
        session = store.create_session(set_name="amazon-pm")
        record = store.start_answer(session.id, question_id="q", question_text="Why?")
        store.complete_answer(
            record.id,
            duration_s=200.0,
            transcript="So I decided to rebuild it.",
            analysis=analysis_dict(200.0, "on_target"),  # type: ignore[arg-type]
        )
        store.stories.add("Checkout", summary="", principles=())
        store.finish_session(session.id)
    fill(disk)
    env = env_for(home)
    for args in (
        ["sessions", "list"],
        ["review"],
        ["sessions", "export", "1"],
        ["report", "1", "--no-audio", "-o", "-"],
        ["stories", "list"],
        ["progress"],
        ["coverage"],
    ):
        result = CliRunner().invoke(cli, args, obj=env)
        assert result.exit_code == 0, (args, result.stderr)
    for args in (
        ["sessions", "delete", "1", "--yes"],
        ["stories", "add", "Pricing"],
        ["stories", "link", "1:1", "1"],
    ):
        result = CliRunner().invoke(cli, args, obj=env)
        assert result.exit_code == 2, (args, result.stdout)
        assert result.stderr.count("\n") == 1
        assert f"the disk holding {home / 'voicemock.db'} is full" in result.stderr
        assert "disk I/O error" not in result.stderr


class Lines:
    """A child's output lines with the time each arrived."""

    def __init__(self, stream: object) -> None:
        self.lines: list[tuple[float, str]] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append((time.monotonic(), line))

    def first(self, text: str) -> tuple[float, str] | None:
        return next(((t, line) for t, line in self.lines if text in line), None)

    def text(self) -> str:
        self._thread.join(timeout=5)
        return "".join(line for _, line in self.lines)


def recording_in(home: Path) -> Path | None:
    found = sorted(home.glob("audio/*/*.wav"))
    return found[0] if found else None


@pytest.mark.slow
@needs_root
def test_a_disk_filling_mid_answer_stops_at_once_keeps_the_answer_and_recovers(
    disk: Path, tmp_path: Path, shared_audio: Path
) -> None:
    from tests.test_privacy import speech

    answer = speech(shared_audio, tmp_path / "answer.wav", 30)
    home = disk / "home"
    env = {**os.environ, "VOICEMOCK_HOME": str(home)}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "voicemock", "practice", "--question", "ow-outside-scope",
            "--think", "0", "--no-voice", "--answer-file", str(answer),
        ],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    deadline = time.monotonic() + 60
    wav = None
    while time.monotonic() < deadline:  # wait for 4 s of answer on disk
        wav = recording_in(home)
        if wav is not None and wav.stat().st_size > 44 + 4 * 32_000:
            break
        time.sleep(0.05)
    assert wav is not None, err.text()
    fill(disk)
    filled_at = time.monotonic()
    recorded_at_fill = (wav.stat().st_size - 44) / 32_000
    code = proc.wait(timeout=120)

    said = out.first("Disk full")
    assert said is not None, out.text()
    assert said[0] - filled_at < 1.0  # said the moment the write failed
    assert "recording stopped at 0:0" in said[1] and "what you said so far is kept" in said[1]
    assert code == 2
    message = err.text().strip().splitlines()
    assert len(message) == 1, message
    assert "is full" in message[0] and "voicemock sessions recover" in message[0]
    with Store.open(home) as store:  # the disk is full: opened read-only, and readable
        (kept,) = store.answers(1)
    assert kept.status == "recording"

    (disk / "filler").unlink()
    recovered = subprocess.run(
        [sys.executable, "-m", "voicemock", "sessions", "recover"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert recovered.returncode == 0, recovered.stderr
    assert "Recovered an interrupted answer (session 1, answer 1" in recovered.stdout
    with Store.open(home) as store:
        (saved,) = store.answers(1)
    assert saved.status == "interrupted"
    assert saved.duration_s is not None
    assert recorded_at_fill - 0.2 <= saved.duration_s <= recorded_at_fill + 1.5
    assert saved.transcript
    conn = sqlite3.connect(home / "voicemock.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
