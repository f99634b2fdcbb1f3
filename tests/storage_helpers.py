"""Helpers for the storage and `sessions` command tests (real SQLite, real files)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from voicemock.analysis import analyze
from voicemock.storage import Store
from voicemock.transcript import Span, Transcript, Word

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def stepping_clock(
    start: datetime = T0, step: timedelta = timedelta(seconds=30)
) -> Callable[[], datetime]:
    """A wall clock that moves ``step`` forward on every reading (ordering is deterministic)."""
    now = [start - step]

    def clock() -> datetime:
        now[0] += step
        return now[0]

    return clock


def analysis_dict(
    duration_s: float,
    verdict: str,
    *,
    transcript: str = "So I decided to rebuild the ingestion pipeline and cut p95 latency by 40%.",
) -> dict[str, Any]:
    """A real ``voicemock.analysis.analyze(...).to_dict()`` document for ``transcript`` spoken
    over ``duration_s``, with round figures the review tests look for put in its findings:
    7 fillers, 14 "I" to 4 "we", three numbers, a result with a number, two advice lines."""
    tokens = transcript.split()
    step = duration_s / len(tokens)
    words = [Word(t, round(i * step, 2), round((i + 0.8) * step, 2)) for i, t in enumerate(tokens)]
    doc = analyze(Transcript.from_words(words, duration_s, [Span(0.0, duration_s)])).to_dict()
    assert doc["timing_verdict"] == verdict, (doc["timing_verdict"], verdict)
    doc["filler_summary"].update(count=7, per_minute=round(7 / duration_s * 60, 2))
    doc["ownership"].update(i_count=14, we_count=4)
    doc["metrics"] = [
        {"text": text, "kind": kind, "start": None, "word_index": 0, "word_count": 1}
        for text, kind in (("40%", "percent"), ("six weeks", "duration"), ("$2M", "money"))
    ]
    doc["structure"]["result_has_metric"] = True
    doc["advice"] = [
        {"topic": "fillers", "text": "Pause silently instead of saying um."},
        {"topic": "ownership", "text": "Say what you decided, not what the team did."},
    ]
    return dict(doc)


WORDS = [
    {"word": "So", "start": 0.0, "end": 0.3, "probability": 0.9},
    {"word": "I", "start": 0.35, "end": 0.5, "probability": 0.95},
    {"word": "decided", "start": 0.5, "end": 0.9, "probability": 0.97},
]


@dataclass
class Seeded:
    first: int
    second: int
    audio: list[Path]


def seed(home: Path) -> Seeded:
    """Two finished sessions through the real Store: the second is the latest.

    Session 1: one answer in the window (2:52) and one failed (no speech).
    Session 2: one long answer (3:52) recovered as interrupted.
    """
    audio: list[Path] = []
    with Store.open(home, clock=stepping_clock()) as store:
        s1 = store.create_session(set_name="amazon-pm", model="tiny.en", settings={"voice": "en"})
        a = store.start_answer(
            s1.id,
            question_id="ownership-1",
            question_text="Tell me about a time you took ownership.",
        )
        a.audio_path.write_bytes(b"RIFF" + b"\x00" * 2000)  # type: ignore[union-attr]
        store.complete_answer(
            a.id,
            duration_s=172.4,
            transcript="So I decided to rebuild the ingestion pipeline and cut p95 latency by 40%.",
            words=WORDS,
            analysis=analysis_dict(172.4, "on_target"),
        )
        b = store.start_answer(
            s1.id,
            question_id="dive-deep-2",
            question_text="Tell me about a time you dug into data.",
        )
        store.fail_answer(b.id, "no speech heard in the recording")
        store.finish_session(s1.id, "complete")

        s2 = store.create_session(set_name="amazon-pm", model="tiny.en")
        c = store.start_answer(
            s2.id, question_id="bias-for-action-1", question_text="Tell me about a calculated risk."
        )
        c.audio_path.write_bytes(b"RIFF" + b"\x00" * 500)  # type: ignore[union-attr]
        store.complete_answer(
            c.id,
            duration_s=232.4,
            transcript="We shipped it anyway.",
            analysis=analysis_dict(232.4, "long", transcript="We shipped it anyway."),
            status="interrupted",
        )
        store.finish_session(s2.id, "interrupted")
        audio = [p for p in (a.audio_path, b.audio_path, c.audio_path) if p is not None]
    return Seeded(s1.id, s2.id, audio)


def raw(home: Path) -> sqlite3.Connection:
    """An independent connection, to check what is really on disk."""
    conn = sqlite3.connect(home / "voicemock.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def spawn_python(code: str, *, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A real child Python process running ``code`` (stdin, stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A real small file system (root only): for a truly full or read-only disk."""
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
