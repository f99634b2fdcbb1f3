"""``analyze()``: every finding for one answer, and the JSON document (schema 1) they make.

The document is what the database stores, what ``voicemock analyze --json`` prints and what
the terminal renderer works from, so it is self-contained: the words with their times, the
findings with the words they span (``word_index``, ``word_count``) and the advice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from voicemock.analysis.advice import Advice, build_advice
from voicemock.analysis.delivery import Delivery, find_delivery
from voicemock.analysis.fillers import (
    Filler,
    FillerSummary,
    Hesitation,
    find_fillers,
    find_hesitations,
    summarize_fillers,
)
from voicemock.analysis.hedges import Hedge, find_hedges
from voicemock.analysis.metrics import Metric, find_metrics
from voicemock.analysis.ownership import Ownership, find_ownership
from voicemock.analysis.structure import Structure, find_structure
from voicemock.analysis.text import Doc
from voicemock.analysis.timing import Timing, judge
from voicemock.timing import Target
from voicemock.transcript import Transcript, Word

SCHEMA = 1


@dataclass(frozen=True)
class Analysis:
    """All findings for one answer. :meth:`to_dict` is the stored/printed document."""

    words: tuple[Word, ...]
    target: Target
    duration_s: float | None
    timing: Timing | None
    fillers: list[Filler]
    filler_summary: FillerSummary
    hesitations: list[Hesitation] | None
    hedges: list[Hedge]
    ownership: Ownership
    metrics: list[Metric]
    structure: Structure
    delivery: Delivery
    advice: list[Advice]
    question: str | None = None
    model: str | None = None

    @property
    def transcript(self) -> str:
        return " ".join(w.text for w in self.words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "question": self.question,
            "model": self.model,
            "duration_s": None if self.duration_s is None else round(self.duration_s, 2),
            "target": self.target.to_dict(),
            "timing_verdict": None if self.timing is None else self.timing.verdict,
            "timing": None if self.timing is None else self.timing.to_dict(),
            "transcript": self.transcript,
            "words": [w.to_dict() for w in self.words],
            "fillers": [f.to_dict() for f in self.fillers],
            "filler_summary": self.filler_summary.to_dict(),
            "hesitations": None
            if self.hesitations is None
            else [h.to_dict() for h in self.hesitations],
            "hedges": [h.to_dict() for h in self.hedges],
            "ownership": self.ownership.to_dict(),
            "metrics": [m.to_dict() for m in self.metrics],
            "structure": self.structure.to_dict(),
            "delivery": self.delivery.to_dict(),
            "advice": [a.to_dict() for a in self.advice],
        }


def _duration(transcript: Transcript) -> float | None:
    d = transcript.duration
    if d is None:
        return None
    try:
        value = float(d)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and value >= 0 else None


def analyze(
    transcript: Transcript,
    target: Target | None = None,
    *,
    question: str | None = None,
    model: str | None = None,
) -> Analysis:
    """Analyse one answer. Pure and deterministic; time-based findings are None when typed."""
    target = target if target is not None else Target()
    doc = Doc(transcript.words)
    duration = _duration(transcript)
    timing = judge(duration, target) if duration is not None else None
    fillers = find_fillers(doc)
    summary = summarize_fillers(fillers, duration)
    hesitations = find_hesitations(transcript, doc=doc) if duration is not None else None
    hedges = find_hedges(doc)
    ownership = find_ownership(doc, fillers)
    metrics = find_metrics(doc)
    structure = find_structure(doc, metrics, target)
    delivery = find_delivery(doc, transcript.speech if duration is not None else None)
    advice = build_advice(
        doc,
        target=target,
        timing=timing,
        fillers=fillers,
        filler_summary=summary,
        hesitations=hesitations,
        hedges=hedges,
        ownership=ownership,
        metrics=metrics,
        structure=structure,
        delivery=delivery,
    )
    return Analysis(
        words=doc.words,
        target=target,
        duration_s=duration,
        timing=timing,
        fillers=fillers,
        filler_summary=summary,
        hesitations=hesitations,
        hedges=hedges,
        ownership=ownership,
        metrics=metrics,
        structure=structure,
        delivery=delivery,
        advice=advice,
        question=question,
        model=model,
    )


__all__ = ["SCHEMA", "Analysis", "analyze"]
