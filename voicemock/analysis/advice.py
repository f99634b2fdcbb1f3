"""Advice and strengths: what was good, and the few changes that would move the answer most.

Every advice line says what was heard (quoting the user's words, with the time, m:ss, when
the answer was timed) and what to do instead. Each line carries a weight — how much fixing
it would change how an interviewer hears the answer — and the list is ordered by it: a story
question answered with "I would…" first, then a missing result, a far-off length, answers
told as "we", a result without a number or without context, structure, and delivery last.
A sub-second or few-second overrun is a footnote, not the top advice. At most
:data:`~voicemock.analysis.document.TOP_ADVICE` lines are ``top`` (shown by default); the
rest are shown on request.

Which checks apply depends on the question's kind: a behavioural story gets every STAR
check; an introduction is not asked for a result or a lesson; a product or hypothetical
answer is not asked for a story at all (and "I would decide" is the expected form there).

:func:`find_strengths` names the two or three things that worked — owned actions, a result
with a number in context, a complete story, the length — so a strong answer hears what to
keep, not only nitpicks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from voicemock.analysis.document import TOP_ADVICE, AdviceDoc, StrengthDoc, StrengthTopic
from voicemock.analysis.document import AdviceTopic as AdviceTopic
from voicemock.analysis.findings import Findings
from voicemock.analysis.lexicon import IRREGULAR_PAST
from voicemock.analysis.metrics import Metric
from voicemock.analysis.ownership import Agency
from voicemock.analysis.structure import PHASES, PhaseName, phase_budgets
from voicemock.analysis.text import Doc, Span, hesitation_form, is_number
from voicemock.timing import fmt_clock, whole_seconds

EXAMPLE_RESULT = "'conversion went from 60% to 81%'"
EXAMPLE_CONTEXT = "'from 60% to 75% in one quarter'"

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
    top: bool = False
    weight: float = 0.0
    """How much fixing it would move the answer (orders the list; not stored)."""

    def to_dict(self) -> AdviceDoc:
        return {"topic": self.topic, "text": self.text, "top": self.top}


@dataclass(frozen=True, slots=True)
class Strength:
    topic: StrengthTopic
    text: str
    weight: float = 0.0

    def to_dict(self) -> StrengthDoc:
        return {"topic": self.topic, "text": self.text}


# -- small helpers ---------------------------------------------------------------------------


def _clock(seconds: float | None) -> str:
    return "" if seconds is None else fmt_clock(seconds)


def _when(seconds: float | None) -> str:
    """`` (1:12)`` for a timed finding, nothing for a typed one."""
    return "" if seconds is None else f" ({fmt_clock(seconds)})"


def _amount(seconds: float) -> str:
    """``25 s`` below a minute, ``1:05`` from one."""
    return f"{whole_seconds(seconds)} s" if seconds < 59.5 else fmt_clock(seconds)


def _range(lo: float, hi: float) -> str:
    """``10–25 s`` below a minute, ``1:00–2:00`` from one."""
    if hi < 59.5:
        return f"{whole_seconds(lo)}–{whole_seconds(hi)} s"
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


def _seconds(c: Findings, name: PhaseName) -> float | None:
    return c.structure.seconds_in(name) if c.timed else None


def _budget(c: Findings, name: PhaseName) -> tuple[float, float]:
    """The phase's budget for this answer's target window (also when the phase is absent)."""
    return phase_budgets(c.target)[name]


def _names(c: Findings) -> set[PhaseName]:
    return {p.name for p in c.structure.phases}


def _overruns(c: Findings) -> list[tuple[float, PhaseName, float, tuple[float, float]]]:
    """(seconds over, phase, seconds spent, budget) for phases past their budget."""
    out = []
    for name in PHASES:
        spent, budget = _seconds(c, name), _budget(c, name)
        if spent is not None and name in _names(c) and spent > budget[1] + 2:
            out.append((spent - budget[1], name, spent, budget))
    return sorted(out, reverse=True)


def _shortfalls(c: Findings) -> list[tuple[float, PhaseName, float, tuple[float, float]]]:
    """(seconds short, phase, seconds spent, budget) for present phases under budget."""
    out = []
    for name in PHASES:
        spent, budget = _seconds(c, name), _budget(c, name)
        if spent is not None and name in _names(c) and spent < budget[0] - 2:
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


def _story(c: Findings) -> bool:
    """The STAR checks apply (a story question, or any question answered with a story)."""
    return c.tells_story


# -- the rules ---------------------------------------------------------------------------------

Rule = Callable[[Findings], list[Advice]]


def _answer(c: Findings) -> list[Advice]:
    """A story question answered with what the speaker would do."""
    if not c.answered_hypothetically:
        return []
    doc = c.doc
    said = ""
    for clause in c.clauses:
        if clause.mood == "modal":
            s = doc.sentences[doc.sentence_of[clause.start]]
            said = f" ({_quote(doc, s.index, min(s.count, 3), doc.start(s.index), 7)})"
            break
    return [
        Advice(
            "answer",
            f"you said what you would do{said}, but the question asks for a time you did it: "
            "tell one real situation — what you did, and what happened",
            weight=100,
        )
    ]


def _timing(c: Findings) -> list[Advice]:
    t = c.timing
    if t is None or t.verdict == "on_target":
        return []
    gap = t.seconds_to_window
    if t.verdict == "over_cap":
        weight = 90.0
    elif gap >= 30:
        weight = 72.0
    elif gap >= 15:
        weight = 52.0
    elif gap >= 5:
        weight = 30.0
    else:
        weight = 8.0  # a second or two over: worth knowing, not the first thing to fix
    window = _window(c.target.min_s, c.target.max_s)
    head = _clock(t.duration_s)
    if _pace_explains_timing(c):
        wpm = c.delivery.wpm or USUAL_WPM
        usual = c.delivery.word_count * 60.0 / USUAL_WPM
        where = "short of" if t.verdict == "short" else "past"
        said = f"{_amount(gap)} {where} the {window} window"
        if t.verdict == "over_cap":
            said = f"past the {_clock(c.target.cap_s)} cap, where listeners drop off ({said})"
        return [
            Advice(
                "timing",
                f"{head} — {said}, at {wpm:.0f} words/min: the same words at "
                f"{USUAL_WPM:.0f} words/min would take {_clock(usual)}",
                weight=weight,
            )
        ]
    if t.verdict == "short":
        if not _story(c):
            spend = "the point you most want them to remember"
        elif not c.structure.has_result or not c.structure.result_has_metric:
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
                f"{head} — {_amount(gap)} short of the {window} window: spend them on {spend}",
                weight=weight,
            )
        ]
    over = _overruns(c) if _story(c) else []
    if over:
        _, name, spent, budget = over[0]
        fix = f"cut the {name} first ({_clock(spent)} of a {_window(*budget)} budget)"
    elif gap < 5:
        fix = "trim a sentence"
    else:
        fix = "keep the two or three points that mattered most and drop the rest"
    if t.verdict == "over_cap":
        text = (
            f"{head} — past the {_clock(c.target.cap_s)} cap, where listeners drop off "
            f"({_amount(gap)} past the {window} window): {fix}"
        )
    else:
        text = f"{head} — {_amount(gap)} past the {window} window: {fix}"
    return [Advice("timing", text, weight=weight)]


def _number_part(doc: Doc, m: Metric) -> str:
    """ "15%" of "improved retention by 15%": the metric from its first number word."""
    words = doc.words[m.word_index : m.word_index + m.word_count]
    for k, _w in enumerate(words):
        key = doc.keys[m.word_index + k]
        if (
            key[:1].isdigit()
            or key[:1] in "$€£"
            or is_number(key)
            or key
            in (
                "half",
                "a",
                "an",
                "twice",
                "doubled",
                "halved",
                "tripled",
            )
        ):
            return doc.text(Span(m.word_index + k, m.word_count - k))
    return m.text


def _result(c: Findings) -> list[Advice]:
    if len(c.doc) < 30:
        return []
    s = c.structure
    if c.question_kind == "introduction" and not _story(c):
        if not c.metrics and len(c.doc) >= 60:
            return [
                Advice(
                    "metrics",
                    "no numbers in your introduction: give one achievement with its result, "
                    f"e.g. {EXAMPLE_RESULT}",
                    weight=38,
                )
            ]
        return []
    if not _story(c):
        return []
    if not c.metrics:
        return [
            Advice(
                "metrics",
                "no numbers anywhere in the answer: say what moved and by how much, "
                f"e.g. {EXAMPLE_RESULT}",
                weight=80,
            )
        ]
    if not s.has_result:
        return [
            Advice(
                "result",
                f"no clear result: end with the outcome and its number, e.g. {EXAMPLE_RESULT}",
                weight=85,
            )
        ]
    if not s.result_has_metric:
        first = c.metrics[0]
        return [
            Advice(
                "metrics",
                f"your result has no number (you gave '{first.text}'{_when(first.start)} "
                f"earlier): say what moved and by how much, e.g. {EXAMPLE_RESULT}",
                weight=75,
            )
        ]
    measured = [c.metrics[n] for n in s.result_metrics if c.metrics[n].kind in _MEASURES]
    if measured and not any(m.context != "neither" for m in measured):
        m = measured[0]
        number = _number_part(c.doc, m)
        return [
            Advice(
                "metrics",
                f"'{m.text}'{_when(m.start)}: {number} from what, over what period? Give the "
                f"starting point or a comparison and the time span, e.g. {EXAMPLE_CONTEXT}",
                weight=62,
            )
        ]
    return []


_MEASURES = ("change", "percent", "money", "ratio")
"""Numbers that measure an effect (the ones a listener asks "from what?" about)."""
_SUBJECTS = frozenset({"we", "we've", "we'd", "the", "my", "our", "team", "and", "i", "of", "us"})


def _shared_verb(doc: Doc, a: Agency) -> str:
    """ "decided" for "we decided"/"the team decided"; "did" for longer phrases."""
    keys = doc.keys[a.word_index : a.word_index + a.word_count]
    rest = [k for k in keys if k not in _SUBJECTS and hesitation_form(k) is None and k.isalpha()]
    verb = rest[-1] if rest else ""
    return verb if verb.endswith("ed") or verb in IRREGULAR_PAST else "did"


_DECISION_VERBS = frozenset({"decided", "chose", "made", "took", "proposed", "prioritized"})


def _most_telling(c: Findings, items: Sequence[Agency]) -> Agency:
    """The phrase to quote: a shared decision in the story before one in the context."""
    context = {
        i
        for p in c.structure.phases
        if p.name == "context"
        for i in range(p.word_index, p.word_index + p.word_count)
    }

    def rank(a: Agency) -> tuple[bool, bool, int]:
        keys = c.doc.keys[a.word_index : a.word_index + a.word_count]
        decision = any(k in _DECISION_VERBS or k.startswith("prioriti") for k in keys)
        return (a.word_index in context, not decision, a.word_index)

    return min(items, key=rank)


def _ownership(c: Findings) -> list[Advice]:
    if not (_story(c) or c.question_kind == "introduction"):
        return []  # "I would decide" is the expected form in a product or hypothetical answer
    intro = not _story(c)
    out: list[Advice] = []
    o = c.ownership
    doc = c.doc
    partial, shared = o.partial, o.shared
    if partial:
        first = partial[0]
        quote = _quote(doc, first.word_index, first.word_count, first.start)
        more = f" (and {len(partial) - 1} more like it)" if len(partial) > 1 else ""
        weight = 58.0 if len(partial) >= len(o.strong) else 35.0
        out.append(
            Advice(
                "ownership",
                f"{quote}{more}: say what you did yourself, not that you took part",
                weight=weight - (15 if intro else 0),
            )
        )
    if o.we_count >= 5 and o.we_count > 2 * o.i_count:
        out.append(
            Advice(
                "ownership",
                f"'we' ×{o.we_count} against 'I' ×{o.i_count}: the interviewer is assessing you, "
                "so tell it as what you did",
                weight=50.0 if intro else 70.0,
            )
        )
    elif shared:
        first = _most_telling(c, shared)
        quote = _quote(doc, first.word_index, first.word_count, first.start)
        more = f" (and {len(shared) - 1} more like it)" if len(shared) > 1 else ""
        # a strong answer with one shared "we launched" has a footnote, not a problem
        weight = 45.0 if len(shared) >= len(o.strong) else 14.0
        out.append(
            Advice(
                "ownership",
                f"{quote}{more}: say what *you* {_shared_verb(doc, first)}",
                weight=weight - (15 if intro else 0),
            )
        )
    if not o.strong and not intro and len(doc) >= 80 and not out:
        out.append(
            Advice(
                "ownership",
                "you never said 'I decided', 'I built' or 'I wrote': "
                "name at least one call you made yourself",
                weight=65,
            )
        )
    return out


def _structure(c: Findings) -> list[Advice]:
    if not _story(c) or len(c.doc) < 40:
        return []
    out: list[Advice] = []
    timing_long = c.timing is not None and c.timing.verdict in ("long", "over_cap")
    timing_short = c.timing is not None and c.timing.verdict == "short"
    acted = "action" in _names(c) or bool(c.ownership.strong)
    if not acted:
        out.append(
            Advice(
                "structure",
                "no clear action: say what you did, step by step, with 'I'",
                weight=70,
            )
        )
    if c.timed:
        for name in ("context", "problem"):
            spent, budget = _seconds(c, name), _budget(c, name)
            if spent is not None and name in _names(c) and spent > budget[1] + 5:
                out.append(
                    Advice(
                        "structure",
                        f"{name} took {_clock(spent)} of a {_window(*budget)} budget: "
                        "get to what you did sooner",
                        weight=50 if timing_long else 40,
                    )
                )
        action_s, action_budget = _seconds(c, "action"), _budget(c, "action")
        if (
            acted
            and action_s is not None
            and "action" in _names(c)
            and action_s < action_budget[0] - 5
            and not timing_long
            and not timing_short  # the timing line already says where to spend the time
        ):
            out.append(
                Advice(
                    "structure",
                    f"action took {_clock(action_s)} of a {_window(*action_budget)} "
                    "budget: it is the part they assess, walk through what you did and why",
                    weight=40,
                )
            )
    else:
        total = len(c.doc)
        context_words = sum(p.word_count for p in c.structure.phases if p.name == "context")
        if context_words > 0.35 * total and acted:
            out.append(
                Advice(
                    "structure",
                    f"context is {round(100 * context_words / total)}% of your answer: "
                    "keep it to a few sentences and get to what you did",
                    weight=45,
                )
            )
    if not c.structure.has_lesson:
        budget = _budget(c, "lesson")
        out.append(
            Advice(
                "structure",
                "no lesson: close with what you learned or would do differently "
                f"({_range(*budget)})",
                weight=42,
            )
        )
    return out


def _reasons(c: Findings) -> list[Advice]:
    if not _story(c) or c.structure.because_count or len(c.doc) < 80:
        return []
    anchor = c.ownership.strong[0] if c.ownership.strong else None
    if anchor is not None:
        quote = _quote(c.doc, anchor.word_index, anchor.word_count, anchor.start)
        text = f"you never said why: after {quote}, give the reason ('… because …')"
    else:
        text = (
            "you never said why: give the reason behind your key decision ('I chose X because …')"
        )
    return [Advice("reasons", text, weight=35)]


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
            weight=40 + 2 * min(len(drops), 5),
        )
    ]


def _fillers(c: Findings) -> list[Advice]:
    s = c.filler_summary
    unlabelled = len(c.hesitations or [])
    if s.count == 0:
        return []
    per_100 = 100.0 * s.count / max(1, len(c.doc))
    worth = (
        (s.per_minute is not None and s.per_minute >= FILLER_RATE_PER_MIN)
        or max(s.by_text.values()) >= 5
        or (s.per_minute is None and s.count >= 3)
    )
    if not worth:
        return []
    rate = s.per_minute if s.per_minute is not None else per_100 * 1.5
    weight = 55.0 if rate >= 8 else 45.0 if rate >= 4 else 30.0
    ranked = list(s.by_text.items())[:3]
    parts = ", ".join(_times(_spoken(text), n) for text, n in ranked)
    shown = f" ({s.per_minute:.1f}/min)" if s.per_minute is not None else ""
    head = f"{s.count} filler{'s' if s.count != 1 else ''}{shown}: {parts}"
    discourse = [text for text, _ in s.by_text.items() if hesitation_form(text) is None]
    if s.hesitation >= s.discourse:
        fix = "pause silently instead: a one-second silence sounds more confident than 'um'"
    elif discourse[0] == "so":
        fix = "start sentences with the point, not 'so'"
    else:
        fix = f"drop '{_spoken(discourse[0])}': it adds nothing and listeners notice it"
    extra = f" (plus {unlabelled} unworded hesitations)" if unlabelled >= 3 else ""
    return [Advice("fillers", f"{head}{extra}: {fix}", weight=weight)]


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
    whose = "it is your story" if _story(c) else "it is your view"
    weight = min(48.0, 22.0 + 4 * (len(c.hedges) - 2))
    return [Advice("hedges", f"{summary}, e.g. {quote}: {whose}, state it plainly", weight=weight)]


_VAGUE = frozenset({"stuff", "things"})


def _repetition(c: Findings) -> list[Advice]:
    if not c.repeated:
        return []
    top = c.repeated[0]
    parts = ", ".join(f"'{r.word}' ×{r.count}" for r in c.repeated[:3])
    if top.word in _VAGUE:
        fix = f"name the {top.word} instead: each one you name is a detail they can remember"
    elif top.word in ("leverage", "synergy", "impactful", "seamless", "seamlessly"):
        fix = "say what actually happened instead of the buzzword"
    else:
        fix = "say it once or not at all: repeated, it stops meaning anything"
    weight = min(45.0, 24.0 + 3 * (top.count - 4))
    return [Advice("repetition", f"{parts}: {fix}", weight=weight)]


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
            weight=25,
        )
    ]


def _pace(c: Findings) -> list[Advice]:
    wpm = c.delivery.wpm
    if wpm is None or c.delivery.word_count < 40 or _pace_explains_timing(c):
        return []  # when pace explains the timing, the timing line already says so
    if wpm > FAST_WPM:
        return [
            Advice(
                "pace",
                f"{wpm:.0f} words/min is fast: slow down so the numbers land",
                weight=32,
            )
        ]
    if wpm < SLOW_WPM:
        return [
            Advice(
                "pace",
                f"{wpm:.0f} words/min is slow: keep sentences moving; rehearse the story's order",
                weight=30,
            )
        ]
    return []


RULES: tuple[Rule, ...] = (
    _answer,
    _timing,
    _result,
    _ownership,
    _structure,
    _reasons,
    _name_drops,
    _fillers,
    _hedges,
    _repetition,
    _pauses,
    _pace,
)
"""Every rule; the list they make is ordered by weight (ties: this order)."""


def build_advice(c: Findings) -> list[Advice]:
    """Every advice line, the one that would move the answer most first; the first
    :data:`TOP_ADVICE` are marked ``top``."""
    if len(c.doc) == 0:
        return []
    lines: list[tuple[float, int, Advice]] = []
    for rule in RULES:
        for a in rule(c):
            lines.append((-a.weight, len(lines), a))
    ordered = [a for _, _, a in sorted(lines)]
    return [Advice(a.topic, a.text, n < TOP_ADVICE, a.weight) for n, a in enumerate(ordered)]


# -- strengths ---------------------------------------------------------------------------------

MAX_STRENGTHS = 3


def find_strengths(c: Findings, advice: Sequence[Advice] = ()) -> list[Strength]:
    """The two or three things that worked best, strongest first (none for an empty or a
    very short answer). Nothing is praised that a top advice line asks to fix."""
    if len(c.doc) < 40:
        return []
    fixing = {a.topic for a in advice if a.top and a.weight >= 40}  # not for a footnote
    out: list[Strength] = []
    doc = c.doc
    s = c.structure
    o = c.ownership
    story = _story(c)
    # owned actions
    if (story or c.question_kind == "introduction") and "ownership" not in fixing:
        owned = [a.phrase for a in o.strong]
        ratio_ok = o.we_count == 0 or o.i_count >= 1.5 * o.we_count
        if len(owned) >= 2 and ratio_ok and len(o.partial) < len(owned):
            said = ", ".join(f"'{p}'" for p in owned[:3])
            ratio = f" (I:we {o.i_we_ratio:.1f})" if o.i_we_ratio is not None else ""
            out.append(Strength("ownership", f"you owned it: {said}{ratio}", 80 + len(owned)))
    # the result and its number
    if story and s.has_result and s.result_has_metric and "metrics" not in fixing:
        ms = sorted(
            (c.metrics[n] for n in s.result_metrics),
            key=lambda m: (m.kind not in _MEASURES, m.kind != "change", m.word_index),
        )
        good = [m for m in ms if m.context != "neither" and m.kind in _MEASURES]
        if good:
            m = good[0]
            out.append(
                Strength(
                    "result",
                    f"a result with a number and its context: '{m.text}'{_when(m.start)}",
                    95,
                )
            )
        else:
            m = ms[0]
            out.append(Strength("result", f"a result with a number: '{m.text}'", 58))
    # a complete story
    complete = story and s.has_result and s.has_lesson and ("action" in _names(c) or o.strong)
    if complete and "structure" not in fixing:
        out.append(
            Strength(
                "structure",
                "a complete story: what you did, what came of it, and what you learned",
                70,
            )
        )
    # length
    t = c.timing
    if t is not None and t.verdict == "on_target":
        out.append(
            Strength(
                "timing",
                f"{_clock(t.duration_s)}, inside the {_window(c.target.min_s, c.target.max_s)} "
                "window",
                66,
            )
        )
    # reasons
    if story and s.because_count >= 2 and "reasons" not in fixing:
        first = s.reasons[0]
        out.append(
            Strength(
                "reasons",
                f"you said why ({s.because_count} reasons, e.g. '{first.text} …')",
                48 + s.because_count,
            )
        )
    # numbers in context
    with_context = [m for m in c.metrics if m.context != "neither"]
    if len(c.metrics) >= 5 and len(with_context) >= 3 and "metrics" not in fixing:
        out.append(
            Strength(
                "metrics",
                f"{len(c.metrics)} numbers, {len(with_context)} of them with a baseline or a "
                "period",
                54,
            )
        )
    # delivery
    per_minute = c.filler_summary.per_minute
    if "fillers" not in fixing and "hedges" not in fixing:
        if per_minute is not None and per_minute < 1.5 and (c.duration_s or 0) >= 60:
            out.append(Strength("delivery", f"few fillers ({per_minute:.1f}/min)", 44))
        elif (
            per_minute is None and c.filler_summary.count == 0 and not c.hedges and len(doc) >= 100
        ):
            out.append(Strength("delivery", "no fillers or hedges: you said it plainly", 40))
    # an answer of the kind asked for
    if c.question_kind == "product" and c.answer_style == "product" and _measures(doc):
        out.append(Strength("answer", "you said how you would measure success", 50))
    out.sort(key=lambda x: -x.weight)
    return out[:MAX_STRENGTHS]


_MEASURE = re.compile(r"\b(?:measure|metric|track|success|kpi|north star)\b")


def _measures(doc: Doc) -> bool:
    return bool(_MEASURE.search(" ".join(doc.keys)))


__all__ = ["MAX_STRENGTHS", "RULES", "Advice", "Strength", "build_advice", "find_strengths"]
