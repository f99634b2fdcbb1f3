"""The records the store hands out: sessions, answers, summaries, what a delete removed.

Plain frozen dataclasses, so that readers of the database (the story bank, progress,
renderers) can name them without importing the store itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, get_args

from voicemock.analysis.document import AnalysisDoc, Verdict
from voicemock.analysis.timing import judge
from voicemock.storage.process import is_running
from voicemock.storage.values import iso
from voicemock.timing import Target
from voicemock.transcript import WordDict

SessionStatus = Literal["active", "complete", "interrupted"]
AnswerStatus = Literal["recording", "complete", "interrupted", "failed"]
SESSION_STATUSES: tuple[str, ...] = get_args(SessionStatus)
ANSWER_STATUSES: tuple[str, ...] = get_args(AnswerStatus)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Session:
    """One practice round."""

    id: int
    started_at: datetime
    ended_at: datetime | None
    set_name: str | None
    set_path: str | None
    model: str | None
    settings: dict[str, Any]
    status: SessionStatus
    pid: int | None
    pid_start: str | None

    @property
    def running(self) -> bool:
        """Still ``active`` and its process is alive (a round in progress right now)."""
        return self.status == "active" and is_running(self.pid, self.pid_start)

    @property
    def abandoned(self) -> bool:
        """Marked ``active`` but its process is gone (crash, SIGKILL, power loss)."""
        return self.status == "active" and not is_running(self.pid, self.pid_start)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "set_name": self.set_name,
            "set_path": self.set_path,
            "model": self.model,
            "settings": self.settings,
            "status": self.status,
        }


@dataclass(frozen=True)
class AnswerRecord:
    """One spoken answer: its question, recording, transcript and full analysis."""

    id: int
    session_id: int
    position: int
    """1-based order within the session."""
    question_id: str
    question_text: str
    set_name: str | None
    target: Target
    started_at: datetime
    ended_at: datetime | None
    audio_path: Path | None
    """Absolute path of the recording (it may have been removed by hand)."""
    duration_s: float | None
    transcript: str | None
    words: list[WordDict]
    analysis: AnalysisDoc | None
    """``None`` when the answer was never analysed (failed, recording, or recovered empty)."""
    overflow_count: int
    model: str | None
    status: AnswerStatus
    pid: int | None
    pid_start: str | None
    error: str | None

    @property
    def timing_verdict(self) -> Verdict | None:
        """``short``/``on_target``/``long``/``over_cap`` from the analysis (or the duration)."""
        return verdict_of(self.analysis, self.duration_s, self.target)

    @property
    def in_window(self) -> bool:
        return self.timing_verdict == "on_target"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "position": self.position,
            "question_id": self.question_id,
            "question_text": self.question_text,
            "set_name": self.set_name,
            "target": self.target.to_dict(),
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "status": self.status,
            "error": self.error,
            "audio_path": str(self.audio_path) if self.audio_path else None,
            "duration_s": self.duration_s,
            "timing_verdict": self.timing_verdict,
            "overflow_count": self.overflow_count,
            "model": self.model,
            "transcript": self.transcript,
            "words": self.words,
            "analysis": self.analysis or {},
        }


@dataclass(frozen=True)
class SessionSummary:
    """A session with the figures ``voicemock sessions list`` shows."""

    session: Session
    answer_count: int
    in_window: int
    """Answers whose timing verdict is ``on_target``."""
    timed_count: int
    """Answers with a known duration (the ones averaged)."""
    total_duration_s: float
    avg_duration_s: float | None


@dataclass(frozen=True)
class DeleteResult:
    session: Session
    answers: int
    audio_files: int
    audio_bytes: int


def verdict_of(
    analysis: AnalysisDoc | None, duration_s: float | None, target: Target
) -> Verdict | None:
    """The analysis's ``timing_verdict``, else the duration judged against ``target``."""
    if analysis is not None and analysis["timing_verdict"] is not None:
        return analysis["timing_verdict"]
    if duration_s is None or not math.isfinite(duration_s):
        return None
    return judge(duration_s, target).verdict
