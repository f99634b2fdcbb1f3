"""``analyze()``: every finding for one answer, and the JSON document (schema 2) they make.

The document is what the database stores, what ``voicemock analyze --json`` prints and what
the terminal renderer works from, so it is self-contained: the words with their times, the
findings with the words they span (``word_index``, ``word_count``) and the advice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from voicemock.analysis.advice import Advice, Strength, build_advice, find_strengths
from voicemock.analysis.document import SCHEMA, AnalysisDoc
from voicemock.analysis.findings import Findings, find_all
from voicemock.timing import Target
from voicemock.transcript import Transcript, Word


@dataclass(frozen=True)
class Analysis:
    """All findings for one answer and the advice drawn from them.

    :meth:`to_dict` is the stored/printed document (:class:`AnalysisDoc`).
    """

    findings: Findings
    advice: list[Advice]
    question: str | None = None
    model: str | None = None
    strengths: list[Strength] = field(default_factory=list)

    @property
    def words(self) -> tuple[Word, ...]:
        return self.findings.doc.words

    @property
    def target(self) -> Target:
        return self.findings.target

    @property
    def duration_s(self) -> float | None:
        return self.findings.duration_s

    @property
    def transcript(self) -> str:
        return " ".join(w.text for w in self.words)

    def to_dict(self) -> AnalysisDoc:
        f = self.findings
        in_result = set(f.structure.result_metrics)
        return {
            "schema": SCHEMA,
            "question": self.question,
            "question_kind": f.question_kind,
            "question_kind_source": f.question_kind_source,
            "answer_style": f.answer_style,
            "answered_hypothetically": f.answered_hypothetically,
            "model": self.model,
            "duration_s": None if f.duration_s is None else round(f.duration_s, 2),
            "target": f.target.to_dict(),
            "timing_verdict": None if f.timing is None else f.timing.verdict,
            "timing": None if f.timing is None else f.timing.to_dict(),
            "transcript": self.transcript,
            "words": [w.to_dict() for w in self.words],
            "fillers": [x.to_dict() for x in f.fillers],
            "filler_summary": f.filler_summary.to_dict(),
            "hesitations": None if f.hesitations is None else [h.to_dict() for h in f.hesitations],
            "hedges": [h.to_dict() for h in f.hedges],
            "ownership": f.ownership.to_dict(),
            "metrics": [m.to_dict(in_result=n in in_result) for n, m in enumerate(f.metrics)],
            "structure": f.structure.to_dict(),
            "delivery": f.delivery.to_dict(),
            "repeated_words": [r.to_dict() for r in f.repeated],
            "strengths": [s.to_dict() for s in self.strengths],
            "advice": [a.to_dict() for a in self.advice],
        }


def analyze(
    transcript: Transcript,
    target: Target | None = None,
    *,
    question: str | None = None,
    tags: Iterable[str] = (),
    model: str | None = None,
) -> Analysis:
    """Analyse one answer. Pure and deterministic; time-based findings are None when typed.

    ``question`` (its text) and ``tags`` (its set's tags) decide which checks apply.
    """
    findings = find_all(
        transcript, target if target is not None else Target(), question=question, tags=tags
    )
    advice = build_advice(findings)
    return Analysis(
        findings,
        advice,
        question=question,
        model=model,
        strengths=find_strengths(findings, advice),
    )


__all__ = ["SCHEMA", "Analysis", "analyze"]
