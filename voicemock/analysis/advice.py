"""Advice: concrete, prioritised lines built from the findings, quoting the user's own words.

Most important first: timing, a result without a number, ownership, structure, reasons,
Leadership Principle name-drops, fillers, hedges, pauses, pace. Every line says what was
heard (with its time, m:ss, when the answer was timed) and what to do instead. There is no
praise line: when nothing needs fixing the list is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voicemock.analysis.document import AdviceDoc
from voicemock.analysis.document import AdviceTopic as AdviceTopic
from voicemock.analysis.findings import Findings
from voicemock.analysis.ownership import Agency
from voicemock.analysis.structure import PHASES, PhaseName
from voicemock.analysis.text import Doc, Span, hesitation_form
from voicemock.timing import fmt_clock

EXAMPLE_RESULT = "'conversion went from 60% to 81%'"

FILLER_RATE_PER_MIN = 2.0
"""From this many fillers a minute, they are worth a line of advice."""
FAST_WPM = 185.0
SLOW_WPM = 110.0
USUAL_WPM = 150.0
"""A comfortable interview pace, used to say how long the same words would take."""


@dataclass(frozen=True, slots=True)
class Advice:
    topic: AdviceTopic
    text: str

    def to_dict(self) -> AdviceDoc:
        return {"topic": self.topic, "text": self.text}


def _clock(seconds: float | None) -> str:
    return "" if seconds is None else fmt_clock(seconds)


def _when(seconds: float | None) -> str:
    """`` (1:12)`` for a timed finding, nothing for a typed one."""
    return "" if seconds is None else f" ({fmt_clock(seconds)})"


def _amount(seconds: float) -> str:
    """``25 s`` below a minute, ``1:05`` from one."""
    return f"{round(seconds)} s" if seconds < 59.5 else fmt_clock(seconds)


def _range(lo: float, hi: float) -> str:
    """``10–25 s`` below a minute, ``1:00–2:00`` from one."""
    if hi < 59.5:
        return f"{round(lo)}–{round(hi)} s"
    return _window(lo, hi)


def _window(lo: float, hi: float) -> str:
    return f"{fmt_clock(lo)}–{fmt_clock(hi)}"


def _spoken(phrase: str) -> str:
    """A canonical phrase as written: "i think" -> "I think", "i'm not sure" -> "I'm not sure"."""
    return " ".join(
        w[0].upper() + w[1:] if w == "i" or w.startswith("i'") else w for w in phrase.split()
    )


def _times(text: str, n: int) -> str:
    """``'um' ×3``, or just ``'um'`` once."""
    return f"'{text}' ×{n}" if n > 1 else f"'{text}'"


def _quote(doc: Doc, index: int, count: int, start: float | None, max_words: int = 8) -> str:
    return f"'{doc.quote(Span(index, count), max_words)}'{_when(start)}"


def _names(c: Findings) -> set[PhaseName]:
    return {p.name for p in c.structure.phases}


def _seconds(c: Findings, name: PhaseName) -> float | None:
    return c.structure.seconds_in(name) if c.timed else None


def _budget(c: Findings, name: PhaseName) -> tuple[float, float] | None:
    for p in c.structure.phases:
        if p.name == name:
            return p.budget_s
    return None


def _overruns(c: Findings) -> list[tuple[float, PhaseName, float, tuple[float, float]]]:
    """(seconds over, phase, seconds spent, budget) for phases past their budget."""
    out = []
    for name in PHASES:
        spent, budget = _seconds(c, name), _budget(c, name)
        if spent is not None and budget is not None and spent > budget[1] + 2:
            out.append((spent - budget[1], name, spent, budget))
    return sorted(out, reverse=True)


def _shortfalls(c: Findings) -> list[tuple[float, PhaseName, float, tuple[float, float]]]:
    """(seconds short, phase, seconds spent, budget) for present phases under budget."""
    out = []
    for name in PHASES:
        spent, budget = _seconds(c, name), _budget(c, name)
        if spent is not None and budget is not None and spent < budget[0] - 2:
            out.append((budget[0] - spent, name, spent, budget))
    return sorted(out, reverse=True)


def _pace_explains_timing(c: Findings) -> bool:
    """The length is off because of pace: fast and short, or slow and long, and the same
    words at a usual pace would land within 10 s of the window."""
    t, wpm = c.timing, c.delivery.wpm
    if t is None or wpm is None or c.delivery.word_count < 40:
        return False
    usual = c.delivery.word_count * 60.0 / USUAL_WPM
    if t.verdict == "short":
        return wpm > FAST_WPM and usual >= c.target.min_s - 10
    slow = t.verdict in ("long", "over_cap") and wpm < SLOW_WPM
    return slow and usual <= c.target.max_s + 10


def _timing(c: Findings) -> list[Advice]:
    t = c.timing
    if t is None or t.verdict == "on_target":
        return []
    window = _window(c.target.min_s, c.target.max_s)
    head = _clock(t.duration_s)
    if _pace_explains_timing(c):
        wpm = c.delivery.wpm or USUAL_WPM
        usual = c.delivery.word_count * 60.0 / USUAL_WPM
        where = "short of" if t.verdict == "short" else "past"
        gap = f"{_amount(t.seconds_to_window)} {where} the {window} window"
        if t.verdict == "over_cap":
            gap = f"past the {_clock(c.target.cap_s)} cap, where listeners drop off ({gap})"
        return [
            Advice(
                "timing",
                f"{head} — {gap}, at {wpm:.0f} words/min: the same words at "
                f"{USUAL_WPM:.0f} words/min would take {_clock(usual)}",
            )
        ]
    if t.verdict == "short":
        if "result" not in _names(c) or not c.structure.result_has_metric:
            spend = "the result: what changed, by how much, and what it meant"
        elif not c.structure.has_lesson:
            spend = "a lesson: what you learned or would do differently"
        elif _shortfalls(c):
            name = _shortfalls(c)[0][1]
            spend = f"the {name}" + (": what you did and why" if name == "action" else "")
        else:
            spend = "the action: the decisions you made and why"
        return [
            Advice(
                "timing",
                f"{head} — {_amount(t.seconds_to_window)} short of the {window} window: "
                f"spend them on {spend}",
            )
        ]
    over = _overruns(c)
    if over:
        _, name, spent, budget = over[0]
        fix = f"cut the {name} first ({_clock(spent)} of a {_window(*budget)} budget)"
    else:
        fix = "keep the two or three actions that mattered most and drop the rest"
    if t.verdict == "over_cap":
        text = (
            f"{head} — past the {_clock(c.target.cap_s)} cap, where listeners drop off "
            f"({_amount(t.seconds_to_window)} past the {window} window): {fix}"
        )
    else:
        text = f"{head} — {_amount(t.seconds_to_window)} past the {window} window: {fix}"
    return [Advice("timing", text)]


def _result(c: Findings) -> list[Advice]:
    if c.structure.result_has_metric or len(c.doc) < 30:
        return []
    if not c.metrics:
        return [
            Advice(
                "metrics",
                "no numbers anywhere in the answer: say what moved and by how much, "
                f"e.g. {EXAMPLE_RESULT}",
            )
        ]
    if "result" not in _names(c):
        return [
            Advice(
                "result",
                f"no clear result: end with the outcome and its number, e.g. {EXAMPLE_RESULT}",
            )
        ]
    first = c.metrics[0]
    return [
        Advice(
            "metrics",
            f"your result has no number (you gave '{first.text}'{_when(first.start)} earlier): "
            f"say what moved and by how much, e.g. {EXAMPLE_RESULT}",
        )
    ]


_SUBJECTS = frozenset({"we", "we've", "we'd", "the", "my", "our", "team"})


def _shared_verb(keys: Sequence[str]) -> str:
    """ "decided" for "we decided"/"the team decided"; "did" for longer phrases."""
    rest = [k for k in keys if k not in _SUBJECTS and hesitation_form(k) is None]
    return rest[-1] if len(rest) == 1 else "did"


_DECISION_VERBS = frozenset({"decided", "chose", "made", "took", "proposed", "prioritized"})


def _most_telling(c: Findings, weak: Sequence[Agency]) -> Agency:
    """The weak phrase to quote: a shared decision in the story before one in the context."""
    context = {
        i
        for p in c.structure.phases
        if p.name == "context"
        for i in range(p.word_index, p.word_index + p.word_count)
    }

    def rank(a: Agency) -> tuple[int, int, int]:
        keys = c.doc.keys[a.word_index : a.word_index + a.word_count]
        decision = any(k in _DECISION_VERBS or k.startswith("prioriti") for k in keys)
        return (a.word_index in context, not decision, a.word_index)

    return min(weak, key=rank)


def _ownership(c: Findings) -> list[Advice]:
    out: list[Advice] = []
    o = c.ownership
    doc = c.doc
    if o.weak:
        first = _most_telling(c, o.weak)
        keys = doc.keys[first.word_index : first.word_index + first.word_count]
        quote = _quote(doc, first.word_index, first.word_count, first.start)
        more = f" (and {len(o.weak) - 1} more like it)" if len(o.weak) > 1 else ""
        if keys and keys[0] == "i":
            fix = "say what you did yourself, not that you took part"
        else:
            fix = f"say what *you* {_shared_verb(keys)}"
        out.append(Advice("ownership", f"{quote}{more}: {fix}"))
    if o.we_count >= 5 and o.we_count > 2 * o.i_count:
        out.append(
            Advice(
                "ownership",
                f"'we' ×{o.we_count} against 'I' ×{o.i_count}: the interviewer is assessing you, "
                "so tell it as what you did",
            )
        )
    elif not o.strong and len(doc) >= 80:
        out.append(
            Advice(
                "ownership",
                "you never said 'I decided', 'I built' or 'I wrote': "
                "name at least one call you made yourself",
            )
        )
    return out


def _structure(c: Findings) -> list[Advice]:
    out: list[Advice] = []
    if c.timed:
        for name in ("context", "problem"):
            spent, budget = _seconds(c, name), _budget(c, name)
            if spent is not None and budget is not None and spent > budget[1] + 5:
                out.append(
                    Advice(
                        "structure",
                        f"{name} took {_clock(spent)} of a {_window(*budget)} budget: "
                        "get to what you did sooner",
                    )
                )
        action_s, action_budget = _seconds(c, "action"), _budget(c, "action")
        timing_long = c.timing is not None and c.timing.verdict in ("long", "over_cap")
        if action_s is not None and action_budget is not None:
            if action_s < action_budget[0] - 5 and not timing_long:
                out.append(
                    Advice(
                        "structure",
                        f"action took {_clock(action_s)} of a {_window(*action_budget)} "
                        "budget: it is the part they assess, walk through what you did and why",
                    )
                )
        elif "action" not in _names(c) and len(c.doc) >= 40:
            out.append(
                Advice(
                    "structure",
                    "no clear action: say what you did, step by step, with 'I'",
                )
            )
    elif len(c.doc) >= 40:
        total = len(c.doc)
        context_words = sum(p.word_count for p in c.structure.phases if p.name == "context")
        if context_words > 0.35 * total:
            out.append(
                Advice(
                    "structure",
                    f"context is {round(100 * context_words / total)}% of your answer: "
                    "keep it to a few sentences and get to what you did",
                )
            )
    if not c.structure.has_lesson and len(c.doc) >= 40:
        budget = _budget(c, "lesson") or (10.0, 25.0)
        out.append(
            Advice(
                "structure",
                "no lesson: close with what you learned or would do differently "
                f"({_range(*budget)})",
            )
        )
    return out


def _reasons(c: Findings) -> list[Advice]:
    if c.structure.because_count or len(c.doc) < 80:
        return []
    anchor = c.ownership.strong[0] if c.ownership.strong else None
    if anchor is not None:
        quote = _quote(c.doc, anchor.word_index, anchor.word_count, anchor.start)
        text = f"you never said why: after {quote}, give the reason ('… because …')"
    else:
        text = (
            "you never said why: give the reason behind your key decision ('I chose X because …')"
        )
    return [Advice("reasons", text)]


def _name_drops(c: Findings) -> list[Advice]:
    drops = c.structure.lp_name_drops
    if not drops:
        return []
    first = drops[0]
    said = c.doc.text(Span(first.word_index, first.word_count))
    more = f" (and {len(drops) - 1} more)" if len(drops) > 1 else ""
    return [
        Advice(
            "leadership_principles",
            f"you said '{said}'{_when(first.start)} as a label{more}: "
            "show it with what you did instead",
        )
    ]


def _fillers(c: Findings) -> list[Advice]:
    s = c.filler_summary
    unlabelled = len(c.hesitations or [])
    if s.count == 0:
        return []
    worth = (
        (s.per_minute is not None and s.per_minute >= FILLER_RATE_PER_MIN)
        or max(s.by_text.values()) >= 5
        or (s.per_minute is None and s.count >= 3)
    )
    if not worth:
        return []
    ranked = list(s.by_text.items())[:3]
    parts = ", ".join(_times(_spoken(text), n) for text, n in ranked)
    rate = f" ({s.per_minute:.1f}/min)" if s.per_minute is not None else ""
    head = f"{s.count} filler{'s' if s.count != 1 else ''}{rate}: {parts}"
    discourse = [text for text, _ in s.by_text.items() if hesitation_form(text) is None]
    if s.hesitation >= s.discourse:
        fix = "pause silently instead: a one-second silence sounds more confident than 'um'"
    elif discourse[0] == "so":
        fix = "start sentences with the point, not 'so'"
    else:
        fix = f"drop '{_spoken(discourse[0])}': it adds nothing and listeners notice it"
    extra = f" (plus {unlabelled} unworded hesitations)" if unlabelled >= 3 else ""
    return [Advice("fillers", f"{head}{extra}: {fix}")]


def _hedges(c: Findings) -> list[Advice]:
    if len(c.hedges) < 2:
        return []
    counts: dict[str, int] = {}
    for h in c.hedges:
        counts[h.phrase] = counts.get(h.phrase, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    first = c.hedges[0]
    quote = _quote(c.doc, first.word_index, first.word_count, first.start, 10)
    summary = ", ".join(_times(_spoken(p), n) for p, n in ranked)
    return [Advice("hedges", f"{summary}, e.g. {quote}: it is your story, state it plainly")]


def _pauses(c: Findings) -> list[Advice]:
    pauses = c.delivery.long_pauses or []
    if not pauses:
        return []
    longest = max(pauses, key=lambda p: p.duration)
    if len(pauses) < 2 and longest.duration < 4.0:
        return []
    many = f"{len(pauses)} silences of 2 s or more" if len(pauses) > 1 else "a long silence"
    return [
        Advice(
            "pauses",
            f"{many} (longest {longest.duration:.1f} s at {fmt_clock(longest.start)}): "
            "a breath is fine, but long gaps mid-story sound lost; outline the story first",
        )
    ]


def _pace(c: Findings) -> list[Advice]:
    wpm = c.delivery.wpm
    if wpm is None or c.delivery.word_count < 40 or _pace_explains_timing(c):
        return []  # when pace explains the timing, the timing line already says so
    if wpm > FAST_WPM:
        return [Advice("pace", f"{wpm:.0f} words/min is fast: slow down so the numbers land")]
    if wpm < SLOW_WPM:
        return [
            Advice(
                "pace",
                f"{wpm:.0f} words/min is slow: keep sentences moving; rehearse the story's order",
            )
        ]
    return []


def build_advice(c: Findings) -> list[Advice]:
    """Advice lines, most important first."""
    if len(c.doc) == 0:
        return []
    out: list[Advice] = []
    for rule in (
        _timing,
        _result,
        _ownership,
        _structure,
        _reasons,
        _name_drops,
        _fillers,
        _hedges,
        _pauses,
        _pace,
    ):
        out.extend(rule(c))
    return out


__all__ = ["Advice", "build_advice"]
