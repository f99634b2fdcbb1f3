"""``analyze()``: every finding for one answer, and the JSON document (schema 1) they make.

The document is what the database stores, what ``voicemock analyze --json`` prints and what
the terminal renderer works from, so it is self-contained: the words with their times, the
findings with the words they span (``word_index``, ``word_count``) and the advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicemock.analysis.advice import Advice, build_advice
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
        return {
            "schema": SCHEMA,
            "question": self.question,
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
            "metrics": [m.to_dict() for m in f.metrics],
            "structure": f.structure.to_dict(),
            "delivery": f.delivery.to_dict(),
            "advice": [a.to_dict() for a in self.advice],
        }


def analyze(
    transcript: Transcript,
    target: Target | None = None,
    *,
    question: str | None = None,
    model: str | None = None,
) -> Analysis:
    """Analyse one answer. Pure and deterministic; time-based findings are None when typed."""
    findings = find_all(transcript, target if target is not None else Target())
    return Analysis(findings, build_advice(findings), question=question, model=model)


__all__ = ["SCHEMA", "Analysis", "analyze"]
