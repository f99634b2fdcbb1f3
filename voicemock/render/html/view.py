"""What the HTML report shows, read from stored answers: the one module that knows the keys.

Input is the JSON-ready form of a session (``Session.to_dict()``) and its answers
(``AnswerRecord.to_dict()``, the shape ``voicemock sessions export`` prints), whose
``analysis`` is the analysis document described in the README ("The JSON document").
Every key may be missing (an older answer, a failed one, a typed transcript): what is
missing is left out, never invented. Nothing here escapes text; the templates do.

**Follow-ups.** An answer dict may carry ``follow_ups``: a list of replies to the
interviewer's follow-up questions, each an answer dict of the same shape (its own
``question_text``, ``words``, ``analysis``, ``audio_path``…) plus, optionally::

    "prompt": "You said 'we decided'. What did you decide yourself?"   # what was asked
    "gap": {"kind": "ownership", "status": "closed", "quote": "I decided to ..."}

``prompt`` falls back to ``question_text``; ``gap.status`` is ``closed`` or ``open``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from voicemock.analysis.timing import fmt_clock

Doc = Mapping[str, Any]

# -- highlight kinds ---------------------------------------------------------------------

# kind -> legend label. Order is priority: where findings overlap, the earlier kind wins.
KINDS: dict[str, str] = {
    "filler": "filler",
    "weak": "shared or weak ownership",
    "strong": "owned",
    "hedge": "hedge",
    "metric": "number",
    "reason": "reason",
}

PHASE_LABELS = {
    "context": "Context",
    "problem": "Problem",
    "action": "Action",
    "result": "Result",
    "lesson": "Lesson",
}

VERDICT_TEXT = {
    "short": "short",
    "on_target": "in the window",
    "long": "long",
    "over_cap": "over the cap",
}


# -- view records ------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    index: int
    text: str
    start: float | None


@dataclass(frozen=True)
class Run:
    """Consecutive words with the same highlight (``kind`` None: plain words)."""

    kind: str | None
    words: tuple[Word, ...]
    pause_before: float | None = None
    """A long pause (seconds) just before this run's first word."""

    @property
    def label(self) -> str:
        return KINDS.get(self.kind or "", "")


@dataclass(frozen=True)
class Chip:
    """A quoted finding; with a time it becomes a button that plays from there."""

    text: str
    start: float | None = None

    @property
    def clock(self) -> str:
        return fmt_clock(self.start) if self.start is not None else ""


@dataclass(frozen=True)
class Finding:
    label: str
    summary: str
    tone: str = ""
    """``good``, ``warn`` or empty."""
    chips: tuple[Chip, ...] = ()
    chip_label: str = ""


@dataclass(frozen=True)
class Phase:
    name: str
    start: float
    end: float
    duration_s: float
    budget: tuple[float, float] | None

    @property
    def label(self) -> str:
        return PHASE_LABELS.get(self.name, self.name.title())

    @property
    def status(self) -> str:
        """``under``, ``within`` or ``over`` its budget (empty without one)."""
        if self.budget is None:
            return ""
        spent = round(self.duration_s)  # as shown: 0:10 against 0:10 is within
        if spent < round(self.budget[0]):
            return "under"
        return "over" if spent > round(self.budget[1]) else "within"

    @property
    def status_text(self) -> str:
        if self.budget is None:
            return fmt_clock(self.duration_s)
        lo, hi = self.budget
        spent, budget = fmt_clock(self.duration_s), f"budget {fmt_clock(lo)}–{fmt_clock(hi)}"
        if self.status == "under":
            return f"{spent}, {fmt_clock(lo - self.duration_s)} under ({budget})"
        if self.status == "over":
            return f"{spent}, {fmt_clock(self.duration_s - hi)} over ({budget})"
        return f"{spent}, within ({budget})"


@dataclass(frozen=True)
class Mark:
    """A point (``end`` None) or a span on the timeline."""

    kind: str
    """``filler``, ``hesitation`` or ``pause``."""
    start: float
    end: float | None
    title: str


@dataclass(frozen=True)
class Timing:
    duration_s: float
    verdict: str
    min_s: float
    max_s: float
    cap_s: float
    seconds_to_window: float

    @property
    def text(self) -> str:
        window = f"{fmt_clock(self.min_s)}–{fmt_clock(self.max_s)}"
        verdict = VERDICT_TEXT.get(self.verdict, self.verdict)
        head = f"{fmt_clock(self.duration_s)} — {verdict}"
        if self.verdict == "short":
            head += f", {fmt_clock(self.seconds_to_window)} before the window opens"
        elif self.verdict in ("long", "over_cap"):
            head += f", {fmt_clock(self.seconds_to_window)} past the window"
        return f"{head} (window {window}, cap {fmt_clock(self.cap_s)})"


@dataclass(frozen=True)
class Clip:
    """One recorded answer or reply: what the player, timeline and transcript show."""

    key: str
    """Unique in the report: ``1`` for answer 1, ``1-2`` for its second follow-up."""
    duration_s: float | None
    timing: Timing | None
    runs: tuple[Run, ...]
    kinds_present: tuple[str, ...]
    phases: tuple[Phase, ...]
    """In the order spoken; a phase may come back (context, action, result, action…)."""
    marks: tuple[Mark, ...]
    pace: tuple[tuple[float, float], ...]
    """(window start in seconds, words per minute) per 30 s."""
    findings: tuple[Finding, ...]
    advice: tuple[str, ...]
    audio_path: str | None
    typed: bool
    """A typed transcript: no times, no player, no timeline."""

    @property
    def phase_totals(self) -> tuple[Phase, ...]:
        """Time per phase name (all its stretches together), in STAR order, for budgets."""
        totals: dict[str, Phase] = {}
        for p in self.phases:
            seen = totals.get(p.name)
            spent = p.duration_s + (seen.duration_s if seen else 0.0)
            totals[p.name] = Phase(
                p.name, p.start if seen is None else seen.start, p.end, spent, p.budget
            )
        order = list(PHASE_LABELS)
        return tuple(
            sorted(totals.values(), key=lambda p: order.index(p.name) if p.name in order else 99)
        )


@dataclass(frozen=True)
class FollowUp:
    prompt: str
    gap_kind: str
    gap_status: str
    """``closed``, ``open`` or empty."""
    gap_quote: str
    clip: Clip
    status: str
    error: str


@dataclass(frozen=True)
class Answer:
    position: int
    question: str
    set_name: str
    status: str
    error: str
    started_at: datetime | None
    clip: Clip
    follow_ups: tuple[FollowUp, ...] = ()


@dataclass(frozen=True)
class SessionView:
    id: int | None
    set_name: str
    status: str
    started_at: datetime | None
    model: str
    answers: tuple[Answer, ...] = field(default=())


# -- reading -----------------------------------------------------------------------------


def read_session(session: Doc, answers: Iterable[Doc]) -> SessionView:
    return SessionView(
        id=_int(session.get("id")),
        set_name=_str(session.get("set_name")),
        status=_str(session.get("status")),
        started_at=_time(session.get("started_at")),
        model=_str(session.get("model")),
        answers=tuple(read_answer(a) for a in answers),
    )


def read_answer(answer: Doc) -> Answer:
    position = _int(answer.get("position")) or 0
    follow_ups = []
    for n, item in enumerate(_list(answer.get("follow_ups")), 1):
        if isinstance(item, Mapping):
            follow_ups.append(_read_follow_up(item, f"{position}-{n}"))
    return Answer(
        position=position,
        question=_str(answer.get("question_text"))
        or _str(_mapping(answer.get("analysis")).get("question")),
        set_name=_str(answer.get("set_name")),
        status=_str(answer.get("status")),
        error=_str(answer.get("error")),
        started_at=_time(answer.get("started_at")),
        clip=read_clip(answer, str(position)),
        follow_ups=tuple(follow_ups),
    )


def _read_follow_up(item: Doc, key: str) -> FollowUp:
    gap = _mapping(item.get("gap"))
    status = _str(gap.get("status")).lower()
    return FollowUp(
        prompt=_str(item.get("prompt")) or _str(item.get("question_text")),
        gap_kind=_str(gap.get("kind")),
        gap_status=status if status in ("closed", "open") else "",
        gap_quote=_str(gap.get("quote")),
        clip=read_clip(item, key),
        status=_str(item.get("status")),
        error=_str(item.get("error")),
    )


def read_clip(answer: Doc, key: str) -> Clip:
    doc = _mapping(answer.get("analysis"))
    words = _words(doc, answer)
    typed = bool(words) and all(w.start is None for w in words)
    duration = _float(doc.get("duration_s"))
    if duration is None:
        duration = _float(answer.get("duration_s"))
    kinds = word_kinds(doc, len(words))
    pauses = [
        (start, length)
        for p in _items(_mapping(doc.get("delivery")).get("long_pauses"))
        if (start := _float(p.get("start"))) is not None
        and (length := _float(p.get("duration"))) is not None
    ]
    return Clip(
        key=key,
        duration_s=duration,
        timing=_timing(doc, answer, duration),
        runs=tuple(_runs(words, kinds, pauses)),
        kinds_present=tuple(k for k in KINDS if k in kinds),
        phases=tuple(_phases(doc)),
        marks=tuple(_marks(doc, pauses)),
        pace=tuple(_pace(doc)),
        findings=tuple(_findings(doc)),
        advice=tuple(t for a in _items(doc.get("advice")) if (t := _str(a.get("text")))),
        audio_path=_str(answer.get("audio_path")) or None,
        typed=typed,
    )


def _words(doc: Doc, answer: Doc) -> list[Word]:
    """The analysed words (findings index into them), else the stored ones, else the text."""
    source = _list(doc.get("words")) or _list(answer.get("words"))
    words = [
        Word(i, _str(w.get("word")), _float(w.get("start")))
        for i, w in enumerate(source)
        if isinstance(w, Mapping)
    ]
    if not words:
        text = _str(doc.get("transcript")) or _str(answer.get("transcript"))
        words = [Word(i, t, None) for i, t in enumerate(text.split())]
    return words


def word_kinds(doc: Doc, count: int) -> list[str | None]:
    """Each word's highlight: the highest-priority finding that spans it."""
    own = _mapping(doc.get("ownership"))
    structure = _mapping(doc.get("structure"))
    sources: dict[str, list[Mapping[str, Any]]] = {
        "filler": _items(doc.get("fillers")),
        "weak": _items(own.get("weak")),
        "strong": _items(own.get("strong")),
        "hedge": _items(doc.get("hedges")),
        "metric": _items(doc.get("metrics")),
        "reason": _items(structure.get("reasons")),
    }
    kinds: list[str | None] = [None] * count
    for kind in reversed(KINDS):  # lowest priority first, overwritten by higher ones
        for item in sources[kind]:
            first = item.get("word_index")
            if not isinstance(first, int) or isinstance(first, bool):
                continue
            span = _int(item.get("word_count")) or 1
            for i in range(max(first, 0), min(first + max(span, 1), count)):
                kinds[i] = kind
    return kinds


def _runs(
    words: Sequence[Word], kinds: Sequence[str | None], pauses: Sequence[tuple[float, float]]
) -> list[Run]:
    # A long pause shows before the first word that starts after it began.
    pause_at: dict[int, float] = {}
    for start, length in pauses:
        for w in words:
            if w.start is not None and w.start >= start:
                pause_at.setdefault(w.index, length)
                break
    runs: list[Run] = []
    i = 0
    while i < len(words):
        kind = kinds[i]
        j = i + 1
        while j < len(words) and kinds[j] == kind and kind is not None and j not in pause_at:
            j += 1
        runs.append(Run(kind, tuple(words[i:j]), pause_at.get(i)))
        i = j
    return runs


def _timing(doc: Doc, answer: Doc, duration: float | None) -> Timing | None:
    target = _mapping(doc.get("target")) or _mapping(answer.get("target"))
    lo, hi, cap = (_float(target.get(k)) for k in ("min_s", "max_s", "cap_s"))
    if duration is None or lo is None or hi is None or cap is None:
        return None
    verdict = _str(doc.get("timing_verdict")) or _str(answer.get("timing_verdict"))
    if not verdict:
        verdict = "short" if duration < lo else "on_target" if duration <= hi else "long"
    gap = _float(_mapping(doc.get("timing")).get("seconds_to_window"))
    if gap is None:
        gap = lo - duration if duration < lo else max(duration - hi, 0.0)
    return Timing(duration, verdict, lo, hi, cap, gap)


def _phases(doc: Doc) -> list[Phase]:
    phases = []
    for p in _items(_mapping(doc.get("structure")).get("phases")):
        start, end = _float(p.get("start")), _float(p.get("end"))
        if start is None or end is None or end < start:
            continue
        budget = _list(p.get("budget_s"))
        lo = _float(budget[0]) if len(budget) == 2 else None
        hi = _float(budget[1]) if len(budget) == 2 else None
        duration = _float(p.get("duration_s"))
        phases.append(
            Phase(
                name=_str(p.get("name")),
                start=start,
                end=end,
                duration_s=duration if duration is not None else end - start,
                budget=(lo, hi) if lo is not None and hi is not None else None,
            )
        )
    return phases


def _marks(doc: Doc, pauses: Sequence[tuple[float, float]]) -> list[Mark]:
    marks = [
        Mark("pause", start, start + length, f"{length:.1f} s pause at {fmt_clock(start)}")
        for start, length in pauses
    ]
    for h in _items(doc.get("hesitations")):
        start = _float(h.get("start"))
        if start is not None:
            marks.append(
                Mark("hesitation", start, None, f"unlabelled hesitation at {fmt_clock(start)}")
            )
    for f in _items(doc.get("fillers")):
        start = _float(f.get("start"))
        if start is not None:
            text = _str(f.get("text")).strip(" ,.;:!?")
            marks.append(Mark("filler", start, None, f"“{text}” at {fmt_clock(start)}"))
    return marks


def _pace(doc: Doc) -> list[tuple[float, float]]:
    points = []
    for w in _items(_mapping(doc.get("delivery")).get("wpm_by_30s")):
        start, wpm = _float(w.get("start")), _float(w.get("wpm"))
        if start is not None and wpm is not None:
            points.append((start, wpm))
    return points


def _chips(items: Iterable[Mapping[str, Any]], key: str) -> tuple[Chip, ...]:
    return tuple(
        Chip(text, _float(item.get("start"))) for item in items if (text := _str(item.get(key)))
    )


def _findings(doc: Doc) -> list[Finding]:
    if not doc:
        return []
    out: list[Finding] = []
    summary = _mapping(doc.get("filler_summary"))
    fillers = _items(doc.get("fillers"))
    count = _int(summary.get("count"))
    count = len(fillers) if count is None else count
    text = str(count)
    per_minute = _float(summary.get("per_minute"))
    if per_minute is not None:
        text += f" ({per_minute:.1f} a minute)"
    by_text = _mapping(summary.get("by_text"))
    ranked = sorted(
        ((str(k), v) for k, v in by_text.items() if isinstance(v, int)), key=lambda kv: -kv[1]
    )
    if ranked:
        text += ": " + ", ".join(f"“{k}” ×{v}" for k, v in ranked[:6])
    hesitations = _items(doc.get("hesitations"))
    if hesitations:
        text += f"; {len(hesitations)} unlabelled hesitation(s)"
    out.append(
        Finding("Fillers", text, "good" if count == 0 else "", _chips(fillers, "text"), "heard")
    )

    hedges = _items(doc.get("hedges"))
    out.append(Finding("Hedges", str(len(hedges)), "", _chips(hedges, "text")))

    own = _mapping(doc.get("ownership"))
    if own:
        text = f"I ×{_int(own.get('i_count')) or 0}, we ×{_int(own.get('we_count')) or 0}"
        ratio = _float(own.get("i_we_ratio"))
        if ratio is not None:
            text += f" (I:we {ratio:.1f})"
        strong, weak = _items(own.get("strong")), _items(own.get("weak"))
        out.append(Finding("Owned", text, "good" if strong else "", _chips(strong, "phrase")))
        if weak:
            out.append(Finding("Shared or weak", str(len(weak)), "warn", _chips(weak, "phrase")))

    metrics = _items(doc.get("metrics"))
    structure = _mapping(doc.get("structure"))
    text = str(len(metrics))
    tone = ""
    if structure:
        has = bool(structure.get("result_has_metric"))
        text += "; the result has a number" if has else "; the result has no number"
        tone = "good" if has else "warn"
    out.append(Finding("Numbers", text, tone, _chips(metrics, "text")))

    if structure:
        reasons = _items(structure.get("reasons"))
        because = _int(structure.get("because_count"))
        out.append(
            Finding(
                "Reasons",
                f"{because if because is not None else len(reasons)} given",
                "",
                _chips(reasons, "text"),
            )
        )
        lesson = bool(structure.get("has_lesson"))
        out.append(
            Finding("Lesson", "stated" if lesson else "missing", "good" if lesson else "warn")
        )
        drops = _items(structure.get("lp_name_drops"))
        if drops:
            out.append(
                Finding(
                    "Principle as a label",
                    f"{len(drops)}: show it through what you did instead",
                    "warn",
                    _chips(drops, "text"),
                )
            )

    delivery = _mapping(doc.get("delivery"))
    wpm = _float(delivery.get("wpm"))
    if wpm is not None:
        text = f"{wpm:.0f} words a minute"
        windows = [v for _, v in _pace(doc)]
        if len(windows) > 1:
            text += f" (per 30 s: {min(windows):.0f}–{max(windows):.0f})"
        pauses = _items(delivery.get("long_pauses"))
        chips = tuple(
            Chip(f"{d:.1f} s", _float(p.get("start")))
            for p in pauses
            if (d := _float(p.get("duration"))) is not None
        )
        out.append(Finding("Pace", text, "", chips, "long pauses"))
    elif delivery:
        words = _int(delivery.get("word_count"))
        out.append(Finding("Pace", f"{words} words; no pace for a typed transcript"))
    return out


# -- tolerant accessors --------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in _list(value) if isinstance(v, Mapping)]


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return None
    return when


def clock(seconds: float | None) -> str:
    return fmt_clock(seconds) if seconds is not None else "—"


__all__: list[str] = [
    "KINDS",
    "Answer",
    "Chip",
    "Clip",
    "Finding",
    "FollowUp",
    "Mark",
    "Phase",
    "Run",
    "SessionView",
    "Timing",
    "Word",
    "clock",
    "read_answer",
    "read_clip",
    "read_session",
    "word_kinds",
]
