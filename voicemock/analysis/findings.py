"""Every finding for one answer, found once and passed whole to the advice and the report.

:class:`Findings` is the one place the findings are listed: :func:`find_all` fills it
from a transcript, :func:`voicemock.analysis.advice.build_advice` reads it, and
:class:`voicemock.analysis.report.Analysis` turns it into the stored document.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

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
from voicemock.transcript import Transcript


@dataclass(frozen=True)
class Findings:
    """The answer's words (``doc``), its target, and what was found in it.

    Time-based findings (``timing``, ``hesitations``) are ``None`` for a typed transcript.
    """

    doc: Doc
    target: Target
    timing: Timing | None
    fillers: Sequence[Filler]
    filler_summary: FillerSummary
    hesitations: Sequence[Hesitation] | None
    hedges: Sequence[Hedge]
    ownership: Ownership
    metrics: Sequence[Metric]
    structure: Structure
    delivery: Delivery

    @property
    def timed(self) -> bool:
        """The answer was timed (it comes from audio, not typed text)."""
        return self.timing is not None

    @property
    def duration_s(self) -> float | None:
        return None if self.timing is None else self.timing.duration_s


def duration_of(transcript: Transcript) -> float | None:
    """The transcript's length in seconds, if it is a usable number."""
    d = transcript.duration
    if d is None:
        return None
    try:
        value = float(d)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and value >= 0 else None


def find_all(transcript: Transcript, target: Target) -> Findings:
    """Every finding for one answer. Pure and deterministic."""
    doc = Doc(transcript.words)
    duration = duration_of(transcript)
    timed = duration is not None
    fillers = find_fillers(doc)
    metrics = find_metrics(doc)
    return Findings(
        doc=doc,
        target=target,
        timing=judge(duration, target) if duration is not None else None,
        fillers=fillers,
        filler_summary=summarize_fillers(fillers, duration),
        hesitations=find_hesitations(transcript, doc=doc) if timed else None,
        hedges=find_hedges(doc),
        ownership=find_ownership(doc, fillers),
        metrics=metrics,
        structure=find_structure(doc, metrics, target),
        delivery=find_delivery(doc, transcript.speech if timed else None),
    )


__all__ = ["Findings", "duration_of", "find_all"]
