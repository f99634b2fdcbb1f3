"""Getting better? Figures per answer, per session and as a trend; attempt against attempt.

Everything is computed from the analysis document stored with each answer (README, "The
JSON document"), so old sessions count as soon as this version reads them:

- **length against the window**: the answer's duration, its timing verdict, and how far
  it landed from the window (negative: short by, positive: long by, 0: inside);
- **fillers per minute**; **I:we** (first person singular against plural);
- **result has a number** (``structure.result_has_metric``); **reasons** given
  (``structure.because_count``); **words per minute**; **owned decisions** (strong agency
  phrases such as "I decided").

:func:`session_points` aggregates answers into one :class:`SessionPoint` per session (the
points a chart draws), :func:`trend` turns the points into one line per figure, and
:func:`compare` words what changed between two attempts at the same question or story
("2.1 fewer fillers per minute, result now has a number"), which is what the practice
round shows after "try it again".

Only :func:`load` touches the database and the question sets; the rest is pure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from voicemock.analysis.timing import Target, fmt_clock, judge

if TYPE_CHECKING:
    from voicemock.questions import Catalog
    from voicemock.storage import AnswerRecord, Store

PACE_BAND = (130.0, 170.0)
"""Words per minute that listeners follow comfortably; outside it, pace is worth a note."""
SAME_FILLERS_PER_MIN = 0.5
"""A change in fillers per minute smaller than this is "about the same"."""
SAME_LENGTH_S = 10.0
"""A change in length smaller than this is "about the same"."""

Better = Literal["up", "down", "window", "band"]


# -- per answer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerFigures:
    """The figures of one answer that progress tracks (None: not available for it)."""

    answer_id: int
    session_id: int
    position: int
    started_at: datetime
    question_id: str
    question_text: str
    set_name: str | None
    tags: tuple[str, ...]
    story_id: int | None
    target: Target
    duration_s: float | None
    verdict: str | None
    seconds_from_window: float | None
    """Negative: short of the window by; positive: past its end by; 0: inside."""
    fillers: int | None
    fillers_per_min: float | None
    i_count: int | None
    we_count: int | None
    owned: int | None
    """Strong agency phrases ("I decided", "I led")."""
    shared: int | None
    """Weak or shared agency phrases ("we decided", "I helped")."""
    owned_phrases: tuple[str, ...]
    result_has_number: bool | None
    reasons: int | None
    wpm: float | None
    word_count: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer_id": self.answer_id,
            "session_id": self.session_id,
            "position": self.position,
            "started_at": self.started_at.isoformat(),
            "question_id": self.question_id,
            "set_name": self.set_name,
            "tags": list(self.tags),
            "story_id": self.story_id,
            "duration_s": self.duration_s,
            "verdict": self.verdict,
            "seconds_from_window": self.seconds_from_window,
            "fillers": self.fillers,
            "fillers_per_min": self.fillers_per_min,
            "i_count": self.i_count,
            "we_count": self.we_count,
            "owned": self.owned,
            "shared": self.shared,
            "result_has_number": self.result_has_number,
            "reasons": self.reasons,
            "wpm": self.wpm,
        }


def _num(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _count(value: object) -> int | None:
    number = _num(value)
    return None if number is None else round(number)


def _map(doc: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class DocFigures:
    """The tracked figures of one analysis document (shared by answers and :func:`compare`)."""

    duration_s: float | None
    target: Target
    verdict: str | None
    seconds_from_window: float | None
    fillers: int | None
    fillers_per_min: float | None
    i_count: int | None
    we_count: int | None
    owned: int | None
    shared: int | None
    owned_phrases: tuple[str, ...]
    result_has_number: bool | None
    reasons: int | None
    wpm: float | None
    word_count: int | None


def doc_figures(
    doc: Mapping[str, Any], *, duration_s: float | None = None, target: Target | None = None
) -> DocFigures:
    """The figures of an analysis document; missing keys give None, never an error."""
    if target is None:
        t = _map(doc, "target")
        try:
            target = Target(
                _num(t.get("min_s")) or 150.0,
                _num(t.get("max_s")) or 210.0,
                _num(t.get("cap_s")) or 240.0,
            )
        except ValueError:
            target = Target()
    duration = duration_s if duration_s is not None else _num(doc.get("duration_s"))
    verdict: str | None = None
    distance: float | None = None
    if duration is not None:
        timing = judge(duration, target)
        verdict = timing.verdict
        distance = -timing.seconds_to_window if verdict == "short" else timing.seconds_to_window
    stored = doc.get("timing_verdict")
    if isinstance(stored, str) and stored:
        verdict = stored
    fillers = _map(doc, "filler_summary")
    count = _count(fillers.get("count"))
    per_min = _num(fillers.get("per_minute"))
    if per_min is None and count is not None and duration:
        per_min = round(count / duration * 60, 2)
    ownership = _map(doc, "ownership")
    strong = [x for x in _list(ownership.get("strong")) if isinstance(x, Mapping)]
    weak = _list(ownership.get("weak"))
    structure = _map(doc, "structure")
    result = structure.get("result_has_metric")
    reasons = _count(structure.get("because_count"))
    if reasons is None and isinstance(structure.get("reasons"), list):
        reasons = len(structure["reasons"])
    delivery = _map(doc, "delivery")
    return DocFigures(
        duration_s=duration,
        target=target,
        verdict=verdict,
        seconds_from_window=distance,
        fillers=count,
        fillers_per_min=per_min,
        i_count=_count(ownership.get("i_count")),
        we_count=_count(ownership.get("we_count")),
        owned=len(strong) if "strong" in ownership else None,
        shared=len(weak) if "weak" in ownership else None,
        owned_phrases=tuple(str(x.get("phrase", "")) for x in strong if x.get("phrase")),
        result_has_number=result if isinstance(result, bool) else None,
        reasons=reasons,
        wpm=_num(delivery.get("wpm")),
        word_count=_count(delivery.get("word_count")),
    )


def answer_figures(
    record: AnswerRecord, *, tags: Sequence[str] = (), story_id: int | None = None
) -> AnswerFigures:
    """The tracked figures of a stored answer."""
    f = doc_figures(record.analysis or {}, duration_s=record.duration_s, target=record.target)
    return AnswerFigures(
        answer_id=record.id,
        session_id=record.session_id,
        position=record.position,
        started_at=record.started_at,
        question_id=record.question_id,
        question_text=record.question_text,
        set_name=record.set_name,
        tags=tuple(tags),
        story_id=story_id,
        target=record.target,
        duration_s=f.duration_s,
        verdict=record.timing_verdict or f.verdict,
        seconds_from_window=f.seconds_from_window,
        fillers=f.fillers,
        fillers_per_min=f.fillers_per_min,
        i_count=f.i_count,
        we_count=f.we_count,
        owned=f.owned,
        shared=f.shared,
        owned_phrases=f.owned_phrases,
        result_has_number=f.result_has_number,
        reasons=f.reasons,
        wpm=f.wpm,
        word_count=f.word_count,
    )


# -- per session --------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionPoint:
    """One session's figures: one point on every progress chart.

    Rates are pooled over the session's answers (total fillers over total minutes, total
    "I" over total "we"), so a short answer does not weigh as much as a long one.
    """

    session_id: int
    started_at: datetime
    answers: int
    timed: int
    """Answers with a known duration."""
    avg_duration_s: float | None
    in_window: int
    in_window_share: float | None
    avg_seconds_from_window: float | None
    fillers_per_min: float | None
    i_count: int
    we_count: int
    i_we_ratio: float | None
    """None when no "we" was said (or nothing at all)."""
    result_number_share: float | None
    reasons_per_answer: float | None
    wpm: float | None
    owned_per_answer: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "started_at": self.started_at.isoformat(),
            "answers": self.answers,
            "timed": self.timed,
            "avg_duration_s": _round(self.avg_duration_s),
            "in_window": self.in_window,
            "in_window_share": _round(self.in_window_share, 3),
            "avg_seconds_from_window": _round(self.avg_seconds_from_window),
            "fillers_per_min": _round(self.fillers_per_min),
            "i_count": self.i_count,
            "we_count": self.we_count,
            "i_we_ratio": _round(self.i_we_ratio),
            "result_number_share": _round(self.result_number_share, 3),
            "reasons_per_answer": _round(self.reasons_per_answer),
            "wpm": _round(self.wpm, 1),
            "owned_per_answer": _round(self.owned_per_answer),
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def session_point(session_id: int, answers: Sequence[AnswerFigures]) -> SessionPoint:
    """Pool one session's answers into a point."""
    timed = [a for a in answers if a.duration_s is not None]
    in_window = sum(1 for a in timed if a.verdict == "on_target")
    with_fillers = [a for a in timed if a.fillers is not None]
    minutes = sum((a.duration_s or 0.0) for a in with_fillers) / 60
    fillers_per_min = (
        sum(a.fillers or 0 for a in with_fillers) / minutes if with_fillers and minutes else None
    )
    i_count = sum(a.i_count or 0 for a in answers)
    we_count = sum(a.we_count or 0 for a in answers)
    judged = [a for a in answers if a.result_has_number is not None]
    paced = [a for a in timed if a.wpm is not None]
    pace_minutes = sum((a.duration_s or 0.0) for a in paced)
    wpm = (
        sum((a.wpm or 0.0) * (a.duration_s or 0.0) for a in paced) / pace_minutes
        if paced and pace_minutes
        else None
    )
    return SessionPoint(
        session_id=session_id,
        started_at=min(a.started_at for a in answers),
        answers=len(answers),
        timed=len(timed),
        avg_duration_s=_mean(a.duration_s for a in timed),
        in_window=in_window,
        in_window_share=in_window / len(timed) if timed else None,
        avg_seconds_from_window=_mean(a.seconds_from_window for a in timed),
        fillers_per_min=fillers_per_min,
        i_count=i_count,
        we_count=we_count,
        i_we_ratio=i_count / we_count if we_count else None,
        result_number_share=(
            sum(1 for a in judged if a.result_has_number) / len(judged) if judged else None
        ),
        reasons_per_answer=_mean(
            float(a.reasons) if a.reasons is not None else None for a in answers
        ),
        wpm=wpm,
        owned_per_answer=_mean(float(a.owned) if a.owned is not None else None for a in answers),
    )


def session_points(answers: Iterable[AnswerFigures]) -> list[SessionPoint]:
    """One point per session, oldest session first."""
    by_session: dict[int, list[AnswerFigures]] = {}
    for a in answers:
        by_session.setdefault(a.session_id, []).append(a)
    points = [session_point(sid, group) for sid, group in by_session.items()]
    return sorted(points, key=lambda p: (p.started_at, p.session_id))


# -- trend ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """How one figure is drawn and judged."""

    key: str
    label: str
    better: Better
    value: Callable[[SessionPoint], float | None]
    fmt: Callable[[float], str]


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _one(value: float) -> str:
    return f"{value:.1f}"


def _signed_clock(value: float) -> str:
    if abs(value) < 0.5:
        return "in window"
    return ("-" if value < 0 else "+") + fmt_clock(abs(value))


SERIES: tuple[Series, ...] = (
    Series("avg_duration_s", "Length (avg)", "window", lambda p: p.avg_duration_s, fmt_clock),
    Series(
        "avg_seconds_from_window",
        "From window",
        "window",
        lambda p: p.avg_seconds_from_window,
        _signed_clock,
    ),
    Series("in_window_share", "In window", "up", lambda p: p.in_window_share, _pct),
    Series("fillers_per_min", "Fillers/min", "down", lambda p: p.fillers_per_min, _one),
    Series("i_we_ratio", "I:we", "up", lambda p: p.i_we_ratio, _one),
    Series("result_number_share", "Result has #", "up", lambda p: p.result_number_share, _pct),
    Series("reasons_per_answer", "Reasons/answer", "up", lambda p: p.reasons_per_answer, _one),
    Series("wpm", "Words/min", "band", lambda p: p.wpm, lambda v: f"{v:.0f}"),
)
"""The figures progress tracks, in display order."""


@dataclass(frozen=True)
class TrendLine:
    key: str
    label: str
    values: tuple[float | None, ...]
    """One per session, oldest first (None where the session has no value)."""
    first: float | None
    last: float | None
    improved: bool | None
    """Last against first: True better, False worse, None unchanged or unknown."""
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "values": [_round(v, 3) for v in self.values],
            "first": _round(self.first, 3),
            "last": _round(self.last, 3),
            "improved": self.improved,
            "text": self.text,
        }


def _band_distance(value: float, band: tuple[float, float]) -> float:
    low, high = band
    return max(0.0, low - value, value - high)


def _judge(series: Series, first: float, last: float, window: Target | None) -> bool | None:
    if series.better == "up":
        return None if math.isclose(first, last, abs_tol=1e-9) else last > first
    if series.better == "down":
        return None if math.isclose(first, last, abs_tol=1e-9) else last < first
    if series.better == "band":
        a, b = _band_distance(first, PACE_BAND), _band_distance(last, PACE_BAND)
        return None if math.isclose(a, b, abs_tol=1.0) else b < a
    # "window": closer to the window is better
    if series.key == "avg_seconds_from_window":
        a, b = abs(first), abs(last)
    else:
        target = window or Target()
        a = _band_distance(first, (target.min_s, target.max_s))
        b = _band_distance(last, (target.min_s, target.max_s))
    return None if math.isclose(a, b, abs_tol=SAME_LENGTH_S) else b < a


def trend(points: Sequence[SessionPoint], window: Target | None = None) -> list[TrendLine]:
    """One line per tracked figure across the sessions, first against last."""
    lines = []
    for series in SERIES:
        values = tuple(series.value(p) for p in points)
        known = [v for v in values if v is not None]
        first = known[0] if known else None
        last = known[-1] if known else None
        improved = None
        if first is not None and last is not None and len(known) > 1:
            improved = _judge(series, first, last, window)
        if first is None or last is None:
            text = "-"
        elif len(known) == 1:
            text = series.fmt(last)
        else:
            text = f"{series.fmt(first)} → {series.fmt(last)}"
        lines.append(TrendLine(series.key, series.label, values, first, last, improved, text))
    return lines


# -- attempt against attempt ------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One figure before and after, worded."""

    key: Literal["length", "fillers", "owned", "result", "reasons"]
    before: float | bool | None
    after: float | bool | None
    better: bool | None
    """True improved, False worse, None about the same (or not comparable)."""
    text: str
    """Short, for a headline: "2 fewer fillers per minute"."""
    detail: str
    """With the values: "fillers 4.0 → 1.9 per minute"."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "before": self.before,
            "after": self.after,
            "better": self.better,
            "text": self.text,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Comparison:
    """What changed from one attempt to the next."""

    changes: tuple[Change, ...] = field(default=())

    @property
    def notable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.better is not None)

    @property
    def improved(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.better is True)

    @property
    def worse(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.better is False)

    def headline(self, attempt: int | None = None, noun: str = "attempt") -> str:
        """ "third telling: 2 fewer fillers per minute, result now has a number"."""
        lead = f"{ordinal(attempt)} {noun}: " if attempt is not None else ""
        notable = self.notable
        if not notable:
            return lead + "about the same as last time"
        return lead + ", ".join(c.text for c in notable)

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [c.to_dict() for c in self.changes]}


_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth",
)  # fmt: skip


def ordinal(n: int) -> str:
    """1 -> "first" ... 10 -> "tenth", then "11th", "12th", "21st"."""
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _amount(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _plural(n: float, word: str) -> str:
    return word if n == 1 else word + "s"


def _length_change(a: DocFigures, b: DocFigures) -> Change | None:
    if a.duration_s is None or b.duration_s is None:
        return None
    target = b.target  # each attempt against its own window (a retry may change it)
    before_d = _band_distance(a.duration_s, (a.target.min_s, a.target.max_s))
    after_d = _band_distance(b.duration_s, (target.min_s, target.max_s))
    detail = f"length {fmt_clock(a.duration_s)} → {fmt_clock(b.duration_s)}"
    window = f"{fmt_clock(target.min_s)}–{fmt_clock(target.max_s)}"
    delta = b.duration_s - a.duration_s
    if after_d == 0 and before_d > 0:
        return Change(
            "length", a.duration_s, b.duration_s, True, f"now in the {window} window", detail
        )
    if before_d == 0 and after_d > 0:
        where = "short of" if b.duration_s < target.min_s else "past"
        text = f"now {fmt_clock(after_d)} {where} the window"
        return Change("length", a.duration_s, b.duration_s, False, text, detail)
    if abs(delta) < SAME_LENGTH_S or math.isclose(before_d, after_d, abs_tol=SAME_LENGTH_S):
        return Change("length", a.duration_s, b.duration_s, None, "about the same length", detail)
    direction = "longer" if delta > 0 else "shorter"
    better = after_d < before_d
    text = f"{fmt_clock(abs(delta))} {direction}"
    if after_d > 0:
        where = "short of" if b.duration_s < target.min_s else "past"
        text += f", {fmt_clock(after_d)} {where} the window"
    return Change("length", a.duration_s, b.duration_s, better, text, detail)


def _fillers_change(a: DocFigures, b: DocFigures) -> Change | None:
    if a.fillers_per_min is not None and b.fillers_per_min is not None:
        x, y = a.fillers_per_min, b.fillers_per_min
        detail = f"fillers {x:.1f} → {y:.1f} per minute"
        if abs(y - x) < SAME_FILLERS_PER_MIN:
            return Change("fillers", x, y, None, "about as many fillers", detail)
        word = "fewer" if y < x else "more"
        return Change(
            "fillers", x, y, y < x, f"{_amount(abs(y - x))} {word} fillers per minute", detail
        )
    if a.fillers is not None and b.fillers is not None:  # typed answers: no minutes
        i, j = a.fillers, b.fillers
        detail = f"fillers {i} → {j}"
        if i == j:
            return Change("fillers", i, j, None, "as many fillers", detail)
        word = "fewer" if j < i else "more"
        return Change(
            "fillers", i, j, j < i, f"{abs(j - i)} {word} {_plural(abs(j - i), 'filler')}", detail
        )
    return None


def _owned_change(a: DocFigures, b: DocFigures) -> Change | None:
    if a.owned is None or b.owned is None:
        return None
    i, j = a.owned, b.owned
    detail = f"owned decisions {i} → {j}"
    new = [p for p in b.owned_phrases if p not in a.owned_phrases]
    if new:
        detail += " (" + ", ".join(f"'{p}'" for p in dict.fromkeys(new)) + ")"
    if i == j:
        return Change("owned", i, j, None, "as many owned decisions", detail)
    word = "more" if j > i else "fewer"
    text = f"{abs(j - i)} {word} owned {_plural(abs(j - i), 'decision')}"
    return Change("owned", i, j, j > i, text, detail)


def _result_change(a: DocFigures, b: DocFigures) -> Change | None:
    if a.result_has_number is None or b.result_has_number is None:
        return None
    x, y = a.result_has_number, b.result_has_number
    detail = f"result has a number: {'yes' if x else 'no'} → {'yes' if y else 'no'}"
    if x == y:
        text = "result still has a number" if y else "result still has no number"
        return Change("result", x, y, None, text, detail)
    if y:
        return Change("result", x, y, True, "result now has a number", detail)
    return Change("result", x, y, False, "result lost its number", detail)


def _reasons_change(a: DocFigures, b: DocFigures) -> Change | None:
    if a.reasons is None or b.reasons is None:
        return None
    i, j = a.reasons, b.reasons
    detail = f"reasons {i} → {j}"
    if i == j:
        return Change("reasons", i, j, None, "as many reasons", detail)
    word = "more" if j > i else "fewer"
    return Change(
        "reasons", i, j, j > i, f"{abs(j - i)} {word} {_plural(abs(j - i), 'reason')}", detail
    )


def compare(previous_doc: Mapping[str, Any], new_doc: Mapping[str, Any]) -> Comparison:
    """What changed from ``previous_doc`` to ``new_doc`` (two analysis documents).

    Length against the window, fillers per minute, owned decisions, whether the result
    has a number, and reasons given: each worded, and judged better, worse or about the
    same. Figures missing from either document are left out.
    """
    a, b = doc_figures(previous_doc), doc_figures(new_doc)
    found = (
        _length_change(a, b),
        _fillers_change(a, b),
        _owned_change(a, b),
        _result_change(a, b),
        _reasons_change(a, b),
    )
    return Comparison(tuple(c for c in found if c is not None))


@dataclass(frozen=True)
class Attempt:
    """One attempt at a question (or one telling of a story) and what changed since the last."""

    number: int
    figures: AnswerFigures
    since_last: Comparison | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "answer": self.figures.to_dict(),
            "since_last": None if self.since_last is None else self.since_last.to_dict(),
        }


def attempts(records: Sequence[tuple[AnswerFigures, Mapping[str, Any]]]) -> list[Attempt]:
    """Attempts in order, each compared with the one before (``(figures, document)`` pairs)."""
    ordered = sorted(records, key=lambda r: (r[0].started_at, r[0].answer_id))
    out: list[Attempt] = []
    for n, (figures, doc) in enumerate(ordered, start=1):
        since = compare(ordered[n - 2][1], doc) if n > 1 else None
        out.append(Attempt(n, figures, since))
    return out


# -- loading ----------------------------------------------------------------------------------


class TagIndex:
    """The tags of each practised question, from the question sets (answers store only ids).

    A set that is gone or broken gives no tags: its answers still count, just not for a
    principle.
    """

    def __init__(self, lookup: Callable[[str], Any] | None) -> None:
        self._lookup = lookup
        self._sets: dict[str | None, dict[str, tuple[str, ...]]] = {}

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> TagIndex:
        return cls(catalog.get)

    @classmethod
    def fixed(cls, tags: Mapping[tuple[str | None, str], Sequence[str]]) -> TagIndex:
        index = cls(None)
        for (set_name, qid), values in tags.items():
            index._sets.setdefault(set_name, {})[qid] = tuple(values)
        return index

    def tags(self, set_name: str | None, question_id: str) -> tuple[str, ...]:
        if set_name not in self._sets:
            found: dict[str, tuple[str, ...]] = {}
            if set_name is not None and self._lookup is not None:
                from voicemock.errors import VoicemockError

                try:
                    qset = self._lookup(set_name)
                    found = {q.id: tuple(q.tags) for q in qset.questions}
                except (VoicemockError, OSError):
                    found = {}
            self._sets[set_name] = found
        return self._sets[set_name].get(question_id, ())


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    story_id: int | None = None
    tag: str | None = None
    """A canonical tag (a Leadership Principle or category)."""
    question_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": None if self.since is None else self.since.isoformat(),
            "story": self.story_id,
            "tag": self.tag,
            "question": self.question_id,
        }


@dataclass(frozen=True)
class Progress:
    """What ``voicemock progress`` shows."""

    filters: Filters
    answers: tuple[AnswerFigures, ...]
    sessions: tuple[SessionPoint, ...]
    trend: tuple[TrendLine, ...]
    attempts: tuple[Attempt, ...]
    """Attempt by attempt, when the filter is one story or one question."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_dict(),
            "sessions": [p.to_dict() for p in self.sessions],
            "trend": [t.to_dict() for t in self.trend],
            "attempts": [a.to_dict() for a in self.attempts],
        }


def build(
    records: Sequence[AnswerRecord],
    *,
    tags: TagIndex,
    links: Mapping[int, int],
    filters: Filters = Filters(),
) -> Progress:
    """Progress from stored answers (``links``: answer id -> story id). Pure."""
    chosen: list[tuple[AnswerFigures, Mapping[str, Any]]] = []
    for record in records:
        if filters.since is not None and record.started_at < filters.since:
            continue
        story = links.get(record.id)
        if filters.story_id is not None and story != filters.story_id:
            continue
        if filters.question_id is not None and record.question_id != filters.question_id:
            continue
        answer_tags = tags.tags(record.set_name, record.question_id)
        if filters.tag is not None and filters.tag not in answer_tags:
            continue
        chosen.append(
            (answer_figures(record, tags=answer_tags, story_id=story), record.analysis or {})
        )
    figures = [f for f, _ in chosen]
    points = session_points(figures)
    window = figures[-1].target if figures else None
    one_thing = filters.story_id is not None or filters.question_id is not None
    return Progress(
        filters=filters,
        answers=tuple(figures),
        sessions=tuple(points),
        trend=tuple(trend(points, window)),
        attempts=tuple(attempts(chosen)) if one_thing else (),
    )


def load(store: Store, tags: TagIndex, filters: Filters = Filters()) -> Progress:
    """Progress from the database (complete and interrupted answers)."""
    records = store.all_answers(since=filters.since)
    links = {answer_id: link.story_id for answer_id, link in store.stories.links().items()}
    if filters.story_id is not None:
        store.stories.get(filters.story_id)  # a clear error for an unknown story
    return build(records, tags=tags, links=links, filters=filters)


__all__ = [
    "PACE_BAND",
    "SERIES",
    "AnswerFigures",
    "Attempt",
    "Change",
    "Comparison",
    "DocFigures",
    "Filters",
    "Progress",
    "SessionPoint",
    "TagIndex",
    "TrendLine",
    "answer_figures",
    "attempts",
    "build",
    "compare",
    "doc_figures",
    "load",
    "ordinal",
    "session_point",
    "session_points",
    "trend",
]
