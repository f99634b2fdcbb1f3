"""Every finding for one answer, found once and passed whole to the advice and the report.

:class:`Findings` is the one place the findings are listed: :func:`find_all` fills it
from a transcript, :func:`voicemock.analysis.advice.build_advice` reads it, and
:class:`voicemock.analysis.report.Analysis` turns it into the stored document.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from voicemock.analysis.delivery import Delivery, find_delivery
from voicemock.analysis.document import AnswerStyle, KindSource, QuestionKind
from voicemock.analysis.fillers import (
    Filler,
    FillerSummary,
    Hesitation,
    find_fillers,
    find_hesitations,
    summarize_fillers,
)
from voicemock.analysis.functions import find_functions
from voicemock.analysis.hedges import Hedge, find_hedges
from voicemock.analysis.kinds import StyleEvidence, answer_style, question_kind, style_evidence
from voicemock.analysis.metrics import Metric, find_metrics
from voicemock.analysis.ownership import Clause, Ownership, find_clauses, find_ownership
from voicemock.analysis.repetition import RepeatedWord, find_repeated
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
    question_kind: QuestionKind = "story"
    question_kind_source: KindSource = "default"
    answer_style: AnswerStyle = "story"
    style: StyleEvidence | None = None
    repeated: Sequence[RepeatedWord] = ()
    clauses: Sequence[Clause] = ()
    """Every clause with the speaker in its subject (owned, shared, negated, modal…)."""

    @property
    def answered_hypothetically(self) -> bool:
        """A story question answered with what the speaker would do."""
        return self.question_kind == "story" and self.answer_style == "hypothetical"

    @property
    def tells_story(self) -> bool:
        """The STAR checks apply: a story question, or any question answered with a story."""
        if self.answer_style == "story":
            return True
        return self.question_kind == "story" and self.answer_style != "hypothetical"

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


def find_all(
    transcript: Transcript,
    target: Target,
    *,
    question: str | None = None,
    tags: Iterable[str] = (),
) -> Findings:
    """Every finding for one answer. Pure and deterministic.

    ``question`` and its set's ``tags`` decide the question's kind (and so which checks
    apply); without them the kind is read from the answer.
    """
    doc = Doc(transcript.words)
    duration = duration_of(transcript)
    timed = duration is not None
    fillers = find_fillers(doc)
    metrics = find_metrics(doc)
    in_filler = {i for f in fillers for i in range(f.word_index, f.word_index + f.word_count)}
    clauses = find_clauses(doc, in_filler)
    evidence = style_evidence(doc, clauses)
    tags = tuple(tags)
    kind, source = question_kind(question, tags)
    style = answer_style(doc, clauses, kind, evidence)
    if source == "default":
        kind, source = question_kind(question, tags, style)
        style = answer_style(doc, clauses, kind, evidence)
    return Findings(
        doc=doc,
        target=target,
        timing=judge(duration, target) if duration is not None else None,
        fillers=fillers,
        filler_summary=summarize_fillers(fillers, duration),
        hesitations=find_hesitations(transcript, doc=doc) if timed else None,
        hedges=find_hedges(doc),
        ownership=find_ownership(doc, fillers, clauses),
        metrics=metrics,
        structure=find_structure(
            doc, metrics, target, find_functions(doc, metrics, clauses, style), fillers
        ),
        delivery=find_delivery(doc, transcript.speech if timed else None),
        question_kind=kind,
        question_kind_source=source,
        answer_style=style,
        style=evidence,
        repeated=find_repeated(doc),
        clauses=tuple(clauses),
    )


__all__ = ["Findings", "duration_of", "find_all"]
