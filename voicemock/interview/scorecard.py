"""The bar-raiser scorecard: an interview's answers read as an interviewer writes feedback.

Five **signals**, each ``strong``, ``mixed`` or ``missing`` with the quotes that decided it,
are judged per main answer (its follow-up replies count, but less) and then across the
loop:

- **ownership** — "I" decisions. Strong: at least :data:`OWNED_STRONG_MIN` owned decisions
  ("I decided", "I built"…) and at least :data:`OWNED_SHARE_STRONG` of all the answer's
  decisions owned rather than shared ("we decided", "I helped"). Mixed: at least one owned
  decision, in the answer or only in a reply. Missing: none.
- **results** — quantified with context. Strong: the result has a number with a baseline or
  comparison (:func:`~voicemock.interview.followups.metric_context`). Mixed: a number in
  the result with no baseline, or a number given only in a reply. Missing: no number.
- **judgment** — the because-chain. Strong: at least :data:`REASONS_STRONG` reasons
  ("because", "so that", "the trade-off was"). Mixed: one, or reasons only in a reply.
  Missing: none.
- **reflection** — the lesson. Strong: the answer states one. Mixed: only in a reply (the
  interviewer had to ask). Missing: none.
- **delivery** — time in the window, fillers per minute (at most
  :data:`FILLERS_PER_MIN_MAX`) and pace (:data:`PACE_WPM`): strong when all three hold,
  mixed when one does not, missing when two or more do not (main answers only; a check
  that cannot be made, as for a typed transcript, is left out).

Across the loop a signal is strong when it is strong in every answer, missing when it is
missing in every answer, and mixed otherwise: a bar raiser wants it every time.

Each **principle** probed (the question's main Leadership Principle) is rated from its
answer's signals: strong with at least :data:`PRINCIPLE_STRONG_SIGNALS` strong signals and
none missing, missing with at least :data:`PRINCIPLE_MISSING_SIGNALS` missing, else mixed.

The **lean** adds :data:`POINTS` over the five signals (at most 10): ``strong hire`` from
:data:`LEAN_STRONG_HIRE` points, ``inclined`` from :data:`LEAN_INCLINED`, else ``not
inclined``. The **two changes** that would move it most are the weakest signals (missing
before mixed, then in the order above), each said with the candidate's own words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from voicemock.interview.followups import (
    Doc,
    items_of,
    lesson_in,
    mapping_of,
    metric_context,
    number_of,
    quote_of,
    reason_in,
    result_metrics,
)
from voicemock.timing import fmt_clock

Level = Literal["strong", "mixed", "missing"]
LEVELS: tuple[Level, ...] = get_args(Level)
Signal = Literal["ownership", "results", "judgment", "reflection", "delivery"]
SIGNALS: tuple[Signal, ...] = get_args(Signal)
Lean = Literal["strong hire", "inclined", "not inclined"]
LEANS: tuple[Lean, ...] = get_args(Lean)

SIGNAL_TITLES: dict[Signal, str] = {
    "ownership": "Ownership",
    "results": "Results",
    "judgment": "Judgment",
    "reflection": "Reflection",
    "delivery": "Delivery",
}
SIGNAL_WHAT: dict[Signal, str] = {
    "ownership": "“I” decisions",
    "results": "quantified, with context",
    "judgment": "the because-chain",
    "reflection": "the lesson",
    "delivery": "time, fillers, pace",
}

OWNED_STRONG_MIN = 2
"""Owned decisions ("I decided", "I built"…) an answer needs for strong ownership."""
OWNED_SHARE_STRONG = 2 / 3
"""Share of an answer's decisions that must be owned, not shared, for strong ownership."""
REASONS_STRONG = 2
"""Reasons ("because", "so that", "the trade-off was"…) an answer needs for strong judgment."""
FILLERS_PER_MIN_MAX = 4.0
"""Most fillers per minute for good delivery (about one every 15 seconds)."""
PACE_WPM = (110.0, 185.0)
"""Words per minute that are comfortable to follow (as in the HTML report's pace chart)."""
PRINCIPLE_STRONG_SIGNALS = 4
"""Strong signals (of five, none missing) for a strong principle."""
PRINCIPLE_MISSING_SIGNALS = 3
"""Missing signals (of five) that make a principle missing."""
POINTS: dict[Level, int] = {"strong": 2, "mixed": 1, "missing": 0}
LEAN_STRONG_HIRE = 9
"""Points (of 10) for ``strong hire``: four signals strong and the fifth at least mixed."""
LEAN_INCLINED = 6
"""Points (of 10) for ``inclined``; fewer is ``not inclined``."""


# -- input -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyEvidence:
    """A reply to a follow-up: its analysis and the gap it was asked to close."""

    doc: Doc | None
    gap_kind: str | None = None
    status: str | None = None
    quote: str | None = None

    @property
    def closed(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True)
class AnswerEvidence:
    """One main answer of the loop with its replies."""

    position: int
    question: str
    principle: str | None
    """The question's main Leadership Principle (its name), if it has one."""
    doc: Doc | None
    replies: tuple[ReplyEvidence, ...] = ()


# -- output ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """The candidate's words that decided a signal; ``good`` is evidence for it."""

    text: str
    position: int
    good: bool

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "position": self.position, "good": self.good}


@dataclass(frozen=True)
class SignalScore:
    signal: Signal
    level: Level
    summary: str
    """One sentence of feedback, as an interviewer writes it."""
    quotes: tuple[Quote, ...] = ()
    by_answer: tuple[Level, ...] = ()

    @property
    def title(self) -> str:
        return SIGNAL_TITLES[self.signal]

    def to_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "level": self.level,
            "summary": self.summary,
            "quotes": [q.to_dict() for q in self.quotes],
            "by_answer": list(self.by_answer),
        }


@dataclass(frozen=True)
class PrincipleScore:
    principle: str
    position: int
    question: str
    level: Level
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "principle": self.principle,
            "position": self.position,
            "question": self.question,
            "level": self.level,
            "note": self.note,
        }


@dataclass(frozen=True)
class Scorecard:
    principles: tuple[PrincipleScore, ...]
    signals: tuple[SignalScore, ...]
    lean: Lean
    points: int
    changes: tuple[str, ...] = field(default=())

    def signal(self, name: Signal) -> SignalScore:
        return next(s for s in self.signals if s.signal == name)

    def levels(self) -> dict[Signal, Level]:
        return {s.signal: s.level for s in self.signals}

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "lean": self.lean,
            "points": self.points,
            "max_points": POINTS["strong"] * len(SIGNALS),
            "principles": [p.to_dict() for p in self.principles],
            "signals": [s.to_dict() for s in self.signals],
            "changes": list(self.changes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard | None:
        """A stored scorecard back, or ``None`` when it is not one this version reads."""
        try:
            signals = tuple(
                SignalScore(
                    signal=_choice(s["signal"], SIGNALS),
                    level=_choice(s["level"], LEVELS),
                    summary=str(s["summary"]),
                    quotes=tuple(
                        Quote(str(q["text"]), int(q["position"]), bool(q["good"]))
                        for q in s.get("quotes", [])
                    ),
                    by_answer=tuple(_choice(x, LEVELS) for x in s.get("by_answer", [])),
                )
                for s in data["signals"]
            )
            principles = tuple(
                PrincipleScore(
                    str(p["principle"]),
                    int(p["position"]),
                    str(p["question"]),
                    _choice(p["level"], LEVELS),
                    str(p.get("note", "")),
                )
                for p in data["principles"]
            )
            return cls(
                principles,
                signals,
                _choice(data["lean"], LEANS),
                int(data["points"]),
                tuple(str(c) for c in data.get("changes", [])),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _choice(value: object, options: tuple[str, ...]) -> Any:
    if value not in options:
        raise ValueError(f"{value!r} is not one of {options}")
    return value


# -- per answer --------------------------------------------------------------------------


@dataclass
class _Judged:
    level: Level
    good: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    counts: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Delivery: every check, good or not, in a fixed order."""


def _phrases(doc: Doc | None, key: str) -> list[str]:
    if doc is None:
        return []
    items = items_of(mapping_of(doc.get("ownership")).get(key))
    return [quote_of(doc, item) or str(item.get("phrase", "")) for item in items]


def judge_ownership(answer: AnswerEvidence) -> _Judged:
    owned, shared = _phrases(answer.doc, "strong"), _phrases(answer.doc, "weak")
    counts = {"owned": float(len(owned)), "shared": float(len(shared))}
    total = len(owned) + len(shared)
    if len(owned) >= OWNED_STRONG_MIN and len(owned) >= OWNED_SHARE_STRONG * total:
        return _Judged("strong", owned, shared, counts)
    later = [q for r in answer.replies for q in _phrases(r.doc, "strong")]
    if owned or later:
        return _Judged("mixed", owned + later, shared, counts)
    return _Judged("missing", [], shared, counts)


def judge_results(answer: AnswerEvidence) -> _Judged:
    doc = answer.doc
    if doc is not None and mapping_of(doc.get("structure")).get("result_has_metric") is True:
        metrics = result_metrics(doc)
        with_context = [m for m in metrics if metric_context(doc, m) in ("baseline", "both")]
        if with_context:
            return _Judged("strong", [quote_of(doc, with_context[0]) or ""])
        shown = [quote_of(doc, m) or str(m.get("text", "")) for m in metrics[:1]]
        return _Judged("mixed", [], shown)
    for reply in answer.replies:
        metrics = [
            m for m in items_of((reply.doc or {}).get("metrics")) if m.get("kind") != "duration"
        ]
        if metrics and reply.doc is not None:
            return _Judged("mixed", [quote_of(reply.doc, metrics[0]) or ""])
    return _Judged("missing", [], _result_words(doc))


def _result_words(doc: Doc | None) -> list[str]:
    if doc is None:
        return []
    from voicemock.interview.followups import no_result_number

    gap = no_result_number(doc)
    return [gap.quote] if gap is not None and gap.quote else []


def judge_judgment(answer: AnswerEvidence) -> _Judged:
    doc = answer.doc
    structure = mapping_of((doc or {}).get("structure"))
    count = structure.get("because_count")
    reasons = count if isinstance(count, int) else len(items_of(structure.get("reasons")))
    quotes = [quote_of(doc, r) or "" for r in items_of(structure.get("reasons"))[:2]] if doc else []
    counts = {"reasons": float(reasons)}
    if reasons >= REASONS_STRONG:
        return _Judged("strong", quotes, [], counts)
    later = [q for r in answer.replies if r.doc is not None for q in [reason_in(r.doc)] if q]
    if reasons >= 1 or later:
        return _Judged("mixed", quotes + later, [], counts)
    return _Judged("missing", [], [], counts)


def judge_reflection(answer: AnswerEvidence) -> _Judged:
    doc = answer.doc
    if doc is not None and mapping_of(doc.get("structure")).get("has_lesson") is True:
        return _Judged("strong", [q for q in [lesson_in(doc)] if q])
    later = [q for r in answer.replies if r.doc is not None for q in [lesson_in(r.doc)] if q]
    if later:
        return _Judged("mixed", later)
    return _Judged("missing")


def judge_delivery(answer: AnswerEvidence) -> _Judged:
    doc = answer.doc
    if doc is None:
        return _Judged("missing", [], ["not analysed"])
    judged = _Judged("strong")
    verdict = doc.get("timing_verdict")
    duration = number_of(doc.get("duration_s"))
    if verdict is not None and duration is not None:
        target = mapping_of(doc.get("target"))
        low, high = number_of(target.get("min_s")) or 0.0, number_of(target.get("max_s")) or 0.0
        window = f"the {fmt_clock(low)}–{fmt_clock(high)} window"
        where = {"on_target": "in", "short": "short of"}.get(str(verdict), "past")
        _note(judged, verdict == "on_target", f"{fmt_clock(duration)}, {where} {window}")
        judged.counts["in_window"] = float(verdict == "on_target")
    per_minute = number_of(mapping_of(doc.get("filler_summary")).get("per_minute"))
    if per_minute is not None:
        ok = per_minute <= FILLERS_PER_MIN_MAX
        _note(judged, ok, f"{per_minute:.1f} fillers/min" + ("" if ok else " (too many)"))
        judged.counts["fillers_per_min"] = per_minute
    wpm = number_of(mapping_of(doc.get("delivery")).get("wpm"))
    if wpm is not None:
        pace = (
            ""
            if PACE_WPM[0] <= wpm <= PACE_WPM[1]
            else (" (too slow)" if wpm < PACE_WPM[0] else " (too fast)")
        )
        _note(judged, not pace, f"{wpm:.0f} words/min{pace}")
        judged.counts["wpm"] = wpm
    misses = len(judged.bad)
    judged.level = "strong" if not misses else "mixed" if misses == 1 else "missing"
    if not judged.notes:
        judged.level = "mixed"  # a typed transcript: nothing to judge delivery on
    return judged


def _note(judged: _Judged, ok: bool, text: str) -> None:
    (judged.good if ok else judged.bad).append(text)
    judged.notes.append(text)


JUDGES = {
    "ownership": judge_ownership,
    "results": judge_results,
    "judgment": judge_judgment,
    "reflection": judge_reflection,
    "delivery": judge_delivery,
}


# -- across the loop ------------------------------------------------------------------------


def overall(levels: Sequence[Level]) -> Level:
    """Strong only when strong every time, missing only when missing every time."""
    if levels and all(x == "strong" for x in levels):
        return "strong"
    if not levels or all(x == "missing" for x in levels):
        return "missing"
    return "mixed"


def lean_for(points: int) -> Lean:
    if points >= LEAN_STRONG_HIRE:
        return "strong hire"
    if points >= LEAN_INCLINED:
        return "inclined"
    return "not inclined"


def score(answers: Sequence[AnswerEvidence]) -> Scorecard:
    """The scorecard of a loop's main answers (with their replies)."""
    judged: dict[Signal, list[_Judged]] = {s: [JUDGES[s](a) for a in answers] for s in SIGNALS}
    signals = tuple(_signal(s, judged[s], answers) for s in SIGNALS)
    principles = tuple(
        _principle(a, [judged[s][n].level for s in SIGNALS]) for n, a in enumerate(answers)
    )
    points = sum(POINTS[s.level] for s in signals)
    return Scorecard(
        principles, signals, lean_for(points), points, _changes(signals, judged, answers)
    )


def _signal(
    signal: Signal, judged: list[_Judged], answers: Sequence[AnswerEvidence]
) -> SignalScore:
    levels = [j.level for j in judged]
    level = overall(levels)
    quotes: list[Quote] = []
    for j, a in zip(judged, answers, strict=True):
        quotes += [Quote(q, a.position, True) for q in j.good[:1] if q]
    for j, a in zip(judged, answers, strict=True):
        quotes += [Quote(q, a.position, False) for q in j.bad[:1] if q]
    limit = 3 if signal != "delivery" else 0
    shown = (
        quotes[:limit]
        if level == "strong"
        else [q for q in quotes if not q.good][:2] + [q for q in quotes if q.good][:1]
    )
    if signal == "delivery":
        shown = []
    return SignalScore(
        signal, level, _summary(signal, level, judged, answers), tuple(shown), tuple(levels)
    )


def _n(count: float, word: str) -> str:
    n = int(count)
    return f"{n} {word}" + ("" if n == 1 else "s")


def _summary(
    signal: Signal, level: Level, judged: list[_Judged], answers: Sequence[AnswerEvidence]
) -> str:
    many = len(answers) > 1
    if signal == "ownership":
        owned = sum(j.counts.get("owned", 0) for j in judged)
        shared = sum(j.counts.get("shared", 0) for j in judged)
        figures = f"{_n(owned, 'owned decision')}, {int(shared)} shared"
        return {
            "strong": f"Owns the decisions: {figures}.",
            "mixed": f"Ownership comes and goes: {figures}; some only when asked.",
            "missing": f"No decision owned as “I”: {figures}.",
        }[level]
    if signal == "results":
        return {
            "strong": "Results are quantified against a baseline"
            + (" every time." if many else "."),
            "mixed": "Results are only partly quantified: a number with no baseline,"
            " or only when asked.",
            "missing": "No result is put in numbers.",
        }[level]
    if signal == "judgment":
        reasons = sum(j.counts.get("reasons", 0) for j in judged)
        return {
            "strong": f"Explains the why: {_n(reasons, 'reason')} given.",
            "mixed": (
                f"Some reasoning ({_n(reasons, 'reason')}), thin on why this option over the"
                " others."
                if reasons
                else "Gives reasons only when asked: no because-chain in the answers themselves."
            ),
            "missing": "Decisions come with no reasons: no because-chain.",
        }[level]
    if signal == "reflection":
        return {
            "strong": "States what was learned" + (" in every story." if many else "."),
            "mixed": "Reflects only in some stories, or when asked.",
            "missing": "No lesson or reflection.",
        }[level]
    details = "; ".join(
        f"Q{a.position}: " + ", ".join(j.notes or j.bad)
        for j, a in zip(judged, answers, strict=True)
    )
    lead = {
        "strong": "Delivery is clean",
        "mixed": "Delivery is uneven",
        "missing": "Delivery gets in the way",
    }[level]
    return f"{lead}. {details}." if details else f"{lead}."


def _principle(answer: AnswerEvidence, levels: list[Level]) -> PrincipleScore:
    strong = levels.count("strong")
    missing = levels.count("missing")
    if strong >= PRINCIPLE_STRONG_SIGNALS and missing == 0:
        level: Level = "strong"
    elif missing >= PRINCIPLE_MISSING_SIGNALS:
        level = "missing"
    else:
        level = "mixed"
    weak = [SIGNAL_TITLES[s].lower() for s, x in zip(SIGNALS, levels, strict=True) if x != "strong"]
    note = f"{strong} of 5 signals strong" + (f"; weak on {', '.join(weak)}" if weak else "")
    return PrincipleScore(
        answer.principle or "General", answer.position, answer.question, level, note
    )


_ORDER = {s: n for n, s in enumerate(SIGNALS)}


def _changes(
    signals: Sequence[SignalScore],
    judged: Mapping[Signal, list[_Judged]],
    answers: Sequence[AnswerEvidence],
) -> tuple[str, ...]:
    weakest = sorted(
        (s for s in signals if s.level != "strong"),
        key=lambda s: (s.level != "missing", _ORDER[s.signal]),
    )
    return tuple(_change(s, judged[s.signal], answers) for s in weakest[:2])


def _first_bad(judged: list[_Judged], answers: Sequence[AnswerEvidence]) -> tuple[str, Level]:
    """`` (Q2: “the quote”)`` for the first answer not strong on a signal, and its level."""
    for j, a in zip(judged, answers, strict=True):
        if j.level != "strong":
            where = f" (Q{a.position}: “{j.bad[0]}”)" if j.bad and j.bad[0] else f" (Q{a.position})"
            return where, j.level
    return "", "strong"


def _change(signal: SignalScore, judged: list[_Judged], answers: Sequence[AnswerEvidence]) -> str:
    where, level = _first_bad(judged, answers)
    if signal.signal == "ownership":
        return (
            f"Say what you decided yourself{where}: “I decided…”, “I wrote…”, with what you "
            "did and why; keep “we” for the team's part."
        )
    if signal.signal == "results":
        if level == "missing":
            return f"Put the result in numbers{where}: how much, from what, over what period."
        return (
            f"Give each number a baseline and a period{where}: from what, to what, over how long."
        )
    if signal.signal == "judgment":
        return (
            "Give the because-chain for each decision: the options you had, why you chose "
            "this one, and what you traded off."
        )
    if signal.signal == "reflection":
        return "End every story with what you learned and what you would do differently."
    bad = [
        f"Q{a.position}: {', '.join(j.bad)}" for j, a in zip(judged, answers, strict=True) if j.bad
    ]
    return (
        "Tighten the delivery"
        + (f" ({'; '.join(bad)})" if bad else "")
        + f": land in the window, under {FILLERS_PER_MIN_MAX:.0f} fillers a minute, "
        f"{PACE_WPM[0]:.0f}–{PACE_WPM[1]:.0f} words a minute."
    )


__all__ = [
    "FILLERS_PER_MIN_MAX",
    "LEAN_INCLINED",
    "LEAN_STRONG_HIRE",
    "OWNED_SHARE_STRONG",
    "OWNED_STRONG_MIN",
    "PACE_WPM",
    "POINTS",
    "PRINCIPLE_MISSING_SIGNALS",
    "PRINCIPLE_STRONG_SIGNALS",
    "REASONS_STRONG",
    "AnswerEvidence",
    "Level",
    "PrincipleScore",
    "Quote",
    "ReplyEvidence",
    "Scorecard",
    "Signal",
    "SignalScore",
    "lean_for",
    "overall",
    "score",
]
