"""What an answer lacked, the follow-up question it calls for, and whether the reply closed it.

A bar raiser digs where an answer is thin. Each **rule** here is a small pure function over
one answer's analysis document (:class:`~voicemock.analysis.document.AnalysisDoc`) that
returns a :class:`Gap`, quoting the candidate's own words where they show it, or ``None``:

===================  ===========================================================  =========
gap (``kind``)       fires when                                                   e.g. asks
===================  ===========================================================  =========
``ownership``        more shared or weak agency ("we decided", "I helped") than   What did
                     owned ("I decided")                                          you decide
                                                                                  yourself?
``result_number``    the result has no number (``structure.result_has_metric``)   How did you
                                                                                  measure it?
``baseline``         the result's numbers have no baseline or comparison          From what,
                     ("improved retention by 15 percent")                         over what
                                                                                  period?
``lp_label``         a Leadership Principle is named as a label                   What did you
                     ("Customer Obsession.")                                      actually do?
``reasons``          fewer than :data:`FEW_REASONS_BELOW` reasons ("because",     Why that
                     "so that", "the trade-off was")                              option?
``short``            spoken for less than :data:`FAR_SHORT_SHARE` of the window's Walk me
                     opening time                                                 through it.
``lesson``           no lesson or reflection                                      What would
                                                                                  you do
                                                                                  differently?
===================  ===========================================================  =========

:data:`RULES` holds them in the order an interviewer would probe: with one follow-up per
answer, the first gap found is the one asked about. When no rule fires (or more follow-ups
are wanted than there are gaps), the question's own ``follow_ups`` from its set come next,
then :data:`PROBES`, probing questions in the seeds' spirit.

**Wording** is varied deterministically: each gap kind has several phrasings, and which
one is used depends on the quote, the question and how often that kind was already asked
in the session (:class:`FollowUpPlanner`), so the same gap does not always give the same
sentence, and a session is reproducible.

**Did the reply close it?** :func:`check_reply` judges a reply against the gap that
triggered it: an owned decision ("I decided…") for ownership, a number for the result,
a number with a baseline or comparison, a reason, a lesson; ``closed`` or ``open``, with
the reply's words that decided it.

The document is read defensively (``.get`` with defaults): the analysis may gain keys,
and a metric may carry ``context`` (``"baseline"``, ``"period"``, ``"both"`` or
``"neither"``); when it does not, :func:`metric_context` works it out from the words
around the number.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

if TYPE_CHECKING:
    from voicemock.analysis.document import AnalysisDoc

GapKind = Literal[
    "ownership", "result_number", "baseline", "lp_label", "reasons", "short", "lesson"
]
GAP_KINDS: tuple[GapKind, ...] = get_args(GapKind)
Source = Literal["gap", "seed", "probe"]
"""Why a follow-up was asked: a gap in the answer, the question's own follow-ups, a probe."""
GapStatus = Literal["closed", "open"]
MetricContext = Literal["baseline", "period", "both", "neither"]
CONTEXTS: tuple[MetricContext, ...] = get_args(MetricContext)

GAP_LABELS: dict[GapKind, str] = {
    "ownership": "shared ownership",
    "result_number": "no number in the result",
    "baseline": "a number without a baseline",
    "lp_label": "a principle named, not shown",
    "reasons": "few reasons given",
    "short": "far short of the window",
    "lesson": "no lesson",
}
"""How each gap is named on screen and in reviews."""

FEW_REASONS_BELOW = 2
"""An answer giving fewer reasons than this ("because", "so that", "the trade-off was"…)
is asked why: one reason is rarely a because-chain."""
FAR_SHORT_SHARE = 0.6
"""An answer shorter than this share of the window's opening time (1:30 of a 2:30–3:30
window) is asked to walk through the key decision."""
QUOTE_MAX_WORDS = 12
"""The longest quote of the candidate's words in a follow-up question."""

PROBES: tuple[str, ...] = (
    "What would you do differently with ten times the data?",
    "What did it cost, and who signed off?",
    "What was the riskiest assumption, and how did you test it?",
    "Who disagreed with you, and how did you bring them round?",
    "What happened six months later?",
    "What would have happened if you had done nothing?",
)
"""Probing questions for an answer with no gap left to dig into and no seeds left."""


# -- values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """Something the answer lacked, with the candidate's words that show it."""

    kind: GapKind
    quote: str | None = None
    """The candidate's own words ("we decided to delay the launch"), when they help."""
    detail: str = ""
    """Per kind: ``decision``/``help``/``other`` for ownership, the principle's name for
    ``lp_label``, the metric's context for ``baseline``."""

    @property
    def label(self) -> str:
        return GAP_LABELS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "trigger": self.quote,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class FollowUp:
    """One follow-up question as the interviewer asks it."""

    text: str
    source: Source
    gap: Gap | None = None

    def to_dict(self, check: GapCheck | None = None) -> dict[str, Any]:
        """What is stored with the reply (``AnswerRecord.follow_up``)."""
        gap: dict[str, Any] | None = None
        if self.gap is not None:
            gap = {**self.gap.to_dict(), "status": None, "quote": None}
            if check is not None:
                gap.update(status=check.status, quote=check.quote)
        return {"source": self.source, "text": self.text, "gap": gap}


@dataclass(frozen=True)
class GapCheck:
    """Whether a reply closed its gap, with the reply's words that decided it."""

    status: GapStatus
    quote: str | None = None

    @property
    def closed(self) -> bool:
        return self.status == "closed"


# -- reading the document defensively ------------------------------------------------------

Doc = Mapping[str, Any]


def mapping_of(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def items_of(value: object) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def int_of(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def number_of(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def words_of(doc: Doc) -> list[str]:
    """The answer's words as spoken (with their punctuation)."""
    words = [str(w.get("word", "")) for w in items_of(doc.get("words"))]
    if words:
        return words
    return str(doc.get("transcript") or "").split()


def _key(word: str) -> str:
    return re.sub(r"[^a-z0-9'%$]", "", word.lower().replace("’", "'"))


_HESITATIONS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm"})
_CLAUSE_BREAKS = frozenset(
    {"and", "but", "because", "so", "which", "while", "although", "though", "since", "when"}
)
_LOWER_FIRST = frozenset({"we", "the", "our", "my", "they", "it", "so", "and", "then", "but"})


def clause(
    words: Sequence[str], index: int, count: int = 1, max_words: int = QUOTE_MAX_WORDS
) -> str:
    """The candidate's words from ``index``: at least the ``count`` words of the finding,
    on to the end of the clause (a full stop, a comma after a few words, or "and", "but",
    "because"…), at most ``max_words``. Hesitations are left out; the first word is
    lower-cased when it is an ordinary word ("We decided" -> "we decided")."""
    out: list[str] = []
    i = max(index, 0)
    taken = 0
    ended = False
    while i < len(words) and len(out) < max_words:
        word = words[i]
        key = _key(word)
        if taken >= count and len(out) >= 3 and key in _CLAUSE_BREAKS:
            ended = True
            break
        taken += 1
        i += 1
        if key in _HESITATIONS:
            if out and word.endswith(","):  # "to, uh, replace" -> "to replace"
                out[-1] = out[-1].rstrip(",")
            continue
        out.append(word)
        if taken >= count and re.search(r"[.!?;:]['\"”’)]*$", word):
            ended = True
            break
        if taken >= count and len(out) >= 4 and re.search(r",['\"”’)]*$", word):
            ended = True
            break
    text = " ".join(out).strip(" ,.;:!?\"'“”‘’()")
    if not ended and i < len(words) and text:
        text += "…"  # cut at max_words, mid-clause
    first, _, rest = text.partition(" ")
    if first.lower().strip(",") in _LOWER_FIRST:
        text = first.lower() + (" " + rest if rest else "")
    return text


def _sentence_bounds(words: Sequence[str], index: int) -> tuple[int, int]:
    start = index
    while start > 0 and not re.search(r"[.!?]['\"”’)]*$", words[start - 1]):
        start -= 1
    end = index
    while end < len(words) - 1 and not re.search(r"[.!?]['\"”’)]*$", words[end]):
        end += 1
    return start, end + 1


def _phases(doc: Doc) -> list[Mapping[str, Any]]:
    return items_of(mapping_of(doc.get("structure")).get("phases"))


def _in_phase(doc: Doc, name: str, index: int) -> bool:
    for phase in _phases(doc):
        if phase.get("name") == name:
            first = int_of(phase.get("word_index"), -1)
            if first <= index < first + int_of(phase.get("word_count")):
                return True
    return False


def _result_start(doc: Doc) -> int | None:
    for phase in _phases(doc):
        if phase.get("name") == "result":
            return int_of(phase.get("word_index"), -1)
    return None


# -- metric context ---------------------------------------------------------------------

BASELINE_WORDS = frozenset(
    {"from", "compared", "versus", "vs", "baseline", "than", "before", "previously",
     "benchmark", "control", "prior", "originally", "baselines"}
)  # fmt: skip
"""Words near a number that say what it is measured against ("from 60 to 75 percent",
"compared with last year", "up from", "twice as many as before")."""
PERIOD_WORDS = frozenset(
    {"per", "annually", "monthly", "weekly", "daily", "yearly", "quarterly", "week", "weeks",
     "month", "months", "quarter", "quarters", "year", "years", "day", "days", "sprint",
     "sprints", "within"}
)  # fmt: skip
"""Words near a number that give the period it was measured over."""
CONTEXT_WINDOW = 6
"""How many words either side of a number (in its sentence) are read for its context."""


def metric_context(doc: Doc, metric: Mapping[str, Any]) -> MetricContext:
    """Whether ``metric`` has a baseline or comparison and a period: its own ``context``
    when the analysis gives one, else read from the words of its sentence within
    :data:`CONTEXT_WINDOW` words (:data:`BASELINE_WORDS`, :data:`PERIOD_WORDS`, a duration
    metric beside it)."""
    given = metric.get("context")
    if given in CONTEXTS:
        return cast("MetricContext", given)
    words = words_of(doc)
    index = int_of(metric.get("word_index"), -1)
    count = max(int_of(metric.get("word_count"), 1), 1)
    text_keys = [_key(w) for w in str(metric.get("text", "")).split()]
    if not words or not 0 <= index < len(words):
        keys = text_keys
        near: list[str] = []
    else:
        start, end = _sentence_bounds(words, index)
        low, high = max(start, index - CONTEXT_WINDOW), min(end, index + count + CONTEXT_WINDOW)
        keys = [_key(w) for w in words[index : index + count]]
        near = [_key(w) for w in words[low:index] + words[index + count : high]]
    baseline = ("from" in keys and "to" in keys) or bool(BASELINE_WORDS.intersection(near))
    period = bool(PERIOD_WORDS.intersection(near))
    if not period and index >= 0:
        start, end = _sentence_bounds(words, index) if words else (0, 0)
        period = any(
            m.get("kind") == "duration"
            and m is not metric
            and start <= int_of(m.get("word_index"), -1) < end
            for m in items_of(doc.get("metrics"))
        )
    if baseline and period:
        return "both"
    return "baseline" if baseline else "period" if period else "neither"


def result_metrics(doc: Doc) -> list[Mapping[str, Any]]:
    """The numbers of the result (all numbers when the phases are unknown), durations
    left out: "in six weeks" says how long, not how much."""
    metrics = [m for m in items_of(doc.get("metrics")) if m.get("kind") != "duration"]
    if _result_start(doc) is None:
        return metrics
    return [m for m in metrics if _in_phase(doc, "result", int_of(m.get("word_index"), -1))]


# -- the rules --------------------------------------------------------------------------

_DECISION = re.compile(r"\b(decided|chose|made the|made a|agreed|settled|picked|opted)\b", re.I)
_HELP = re.compile(
    r"\b(helped|supported|assisted|contributed|participated|facilitated|collaborated|"
    r"influenced|involved|part of|member of|tried to|worked on|asked to|told to)\b",
    re.I,
)


def shared_agency(doc: Doc) -> Gap | None:
    """More shared or weak agency ("we decided", "the team built", "I helped") than owned
    ("I decided"): asks what the candidate decided or did themselves."""
    own = mapping_of(doc.get("ownership"))
    strong, weak = items_of(own.get("strong")), items_of(own.get("weak"))
    if not weak or len(strong) >= len(weak):
        return None
    decisions = [w for w in weak if _DECISION.search(str(w.get("phrase", "")))]
    chosen = (decisions or weak)[0]
    phrase = str(chosen.get("phrase", ""))
    detail = "decision" if decisions else "help" if _HELP.search(phrase) else "other"
    return Gap("ownership", quote_of(doc, chosen) or phrase, detail)


def no_result_number(doc: Doc) -> Gap | None:
    """The result has no number: asks how it was measured, quoting the result."""
    structure = mapping_of(doc.get("structure"))
    if structure.get("result_has_metric", True) is not False:
        return None
    start = _result_start(doc)
    words = words_of(doc)
    quote = clause(words, start) if start is not None and 0 <= start < len(words) else None
    return Gap("result_number", quote or None)


def number_without_baseline(doc: Doc) -> Gap | None:
    """The result's numbers have no baseline or comparison ("improved retention by 15
    percent"): asks from what, and over what period."""
    if mapping_of(doc.get("structure")).get("result_has_metric") is not True:
        return None
    metrics = result_metrics(doc)
    if not metrics:
        return None
    contexts = [metric_context(doc, m) for m in metrics]
    if any(c in ("baseline", "both") for c in contexts):
        return None
    text = " ".join(str(metrics[0].get("text", "")).split()).strip(" ,.;:!?")
    return Gap("baseline", text or None, contexts[0])


def lp_label(doc: Doc) -> Gap | None:
    """A Leadership Principle named as a label ("Customer Obsession."): asks what the
    candidate actually did."""
    drops = items_of(mapping_of(doc.get("structure")).get("lp_name_drops"))
    if not drops:
        return None
    drop = drops[0]
    quote = " ".join(str(drop.get("text", "")).split()).strip(" ,.;:!?") or None
    return Gap("lp_label", quote, str(drop.get("principle", "")))


def few_reasons(doc: Doc) -> Gap | None:
    """Fewer than :data:`FEW_REASONS_BELOW` reasons: asks why that option, quoting the
    decision when there is one."""
    structure = mapping_of(doc.get("structure"))
    if "because_count" not in structure and "reasons" not in structure:
        return None  # not an analysed answer
    reasons = int_of(structure.get("because_count"), len(items_of(structure.get("reasons"))))
    if reasons >= FEW_REASONS_BELOW:
        return None
    strong = items_of(mapping_of(doc.get("ownership")).get("strong"))
    decisions = [s for s in strong if _DECISION.search(str(s.get("phrase", "")))]
    chosen = (decisions or strong)[:1]
    return Gap("reasons", quote_of(doc, chosen[0]) if chosen else None)


def far_short(doc: Doc) -> Gap | None:
    """Spoken for less than :data:`FAR_SHORT_SHARE` of the window's opening time: asks
    for a walk through the key decision."""
    duration = number_of(doc.get("duration_s"))
    minimum = number_of(mapping_of(doc.get("target")).get("min_s"))
    if duration is None or minimum is None or doc.get("timing_verdict") != "short":
        return None
    if duration >= FAR_SHORT_SHARE * minimum:
        return None
    return Gap("short", None, f"{duration:.0f} s")


def no_lesson(doc: Doc) -> Gap | None:
    """No lesson or reflection: asks what the candidate would do differently."""
    if mapping_of(doc.get("structure")).get("has_lesson", True) is not False:
        return None
    return Gap("lesson")


Rule = Callable[[Doc], "Gap | None"]
RULES: tuple[Rule, ...] = (
    shared_agency,
    no_result_number,
    number_without_baseline,
    lp_label,
    few_reasons,
    far_short,
    no_lesson,
)
"""Every rule, in the order an interviewer probes: ownership first, then the result."""


def find_gaps(doc: AnalysisDoc | Doc) -> list[Gap]:
    """Every gap in the answer, the most important first."""
    found = (rule(cast("Doc", doc)) for rule in RULES)
    return [gap for gap in found if gap is not None]


def quote_of(doc: Doc, item: Mapping[str, Any]) -> str | None:
    words = words_of(doc)
    index = int_of(item.get("word_index"), -1)
    if not 0 <= index < len(words):
        return None
    return clause(words, index, max(int_of(item.get("word_count"), 1), 1)) or None


# -- wording ----------------------------------------------------------------------------

_PRINCIPLE_ASKS: dict[str, str] = {
    "customer obsession": "What did you actually do for the customer?",
    "ownership": "What did you take on that was not in your job description?",
    "invent and simplify": "What exactly did you invent or simplify?",
    "are right, a lot": "How did you check that you were right?",
    "learn and be curious": "What did you actually learn, and how?",
    "hire and develop the best": "Who did you develop, and what did you do for them?",
    "insist on the highest standards": "Which standard did you raise, and how?",
    "think big": "What was the bigger plan you put forward?",
    "bias for action": "What did you do before you had all the data?",
    "frugality": "What did you get done with less?",
    "earn trust": "What did you do to earn that trust?",
    "dive deep": "What did you find when you dug into the details yourself?",
    "have backbone; disagree and commit": "Who did you disagree with, and what did you say?",
    "deliver results": "What did you deliver, in numbers?",
    "strive to be earth's best employer": "What did you change for the people on your team?",
    "success and scale bring broad responsibility": "What did you do about the wider impact?",
}
_DEFAULT_PRINCIPLE_ASK = "What did you actually do?"

_TEMPLATES: dict[str, tuple[str, ...]] = {
    "ownership.decision": (
        "You said “{q}”. What did you decide yourself?",
        "“{q}”: which part of that decision was yours, as opposed to the team's?",
        "When you say “{q}”, who made the final decision, and what was your part in it?",
    ),
    "ownership.help": (
        "You said “{q}”. What exactly did you do yourself?",
        "“{q}”: which part of that was yours alone?",
        "You said “{q}”. If I asked your team, what would they say you personally did?",
    ),
    "ownership.other": (
        "You said “{q}”. What was your own part in that?",
        "“{q}”: what did you do yourself, as opposed to the team?",
        "You said “{q}”. Which of those decisions were yours?",
    ),
    "result_number": (
        "You said “{q}”. How did you measure that?",
        "“{q}”: what number would show that?",
        "How did you measure the result? You said “{q}”.",
    ),
    "result_number.none": (
        "How did you measure the result?",
        "What was the result, in numbers?",
        "How did you know it worked? What did the numbers say?",
    ),
    "baseline.neither": (
        "You said “{q}”. From what, and over what period?",
        "“{q}”: compared with what, and over how long?",
        "What was the starting point behind “{q}”, and how long did it take?",
    ),
    "baseline.period": (
        "You said “{q}”. From what starting point?",
        "“{q}”: compared with what baseline?",
        "What was the number before, behind “{q}”?",
    ),
    "lp_label": (
        "You said “{q}”. {ask}",
        "“{q}” is a principle, not an example. {ask}",
        "Leaving the label “{q}” aside: {ask}",
    ),
    "reasons": (
        "You said “{q}”. Why that option and not the alternatives?",
        "“{q}”: what else did you consider, and why did you rule it out?",
        "You said “{q}”. What was the trade-off, and why was it worth it?",
    ),
    "reasons.none": (
        "Why that option and not the alternatives?",
        "What alternatives did you consider, and why did you choose this one?",
        "What was the trade-off you were weighing?",
    ),
    "short": (
        "Walk me through how you made the key decision.",
        "Take me through it step by step: what did you do first, and why?",
        "Let's slow down. What was the hardest decision in that, and how did you make it?",
    ),
    "lesson": (
        "What would you do differently next time?",
        "Looking back, what would you change?",
        "What did you learn from it that you still use?",
    ),
}


def templates_for(gap: Gap) -> tuple[str, ...]:
    """The phrasings a gap may be asked in (``{q}`` is the quote, ``{ask}`` the principle's
    own question)."""
    kind = gap.kind
    if kind == "ownership":
        return _TEMPLATES[
            f"ownership.{gap.detail if gap.detail in ('decision', 'help') else 'other'}"
        ]
    if kind == "baseline":
        return _TEMPLATES["baseline.period" if gap.detail == "period" else "baseline.neither"]
    if kind in ("result_number", "reasons") and not gap.quote:
        return _TEMPLATES[f"{kind}.none"]
    if kind == "lp_label" and not gap.quote:
        return ("{ask}",)
    return _TEMPLATES[kind]


def stable_index(*parts: str) -> int:
    """A number that depends only on ``parts`` (not on the process's hash seed)."""
    return zlib.crc32("\x1f".join(parts).encode("utf-8"))


def word_gap(gap: Gap, *, question_id: str = "", asked_before: int = 0) -> str:
    """The follow-up question for ``gap``: one of its phrasings, chosen from the quote and
    the question, and moved on by ``asked_before`` (how often this kind was already asked
    in the session), so the same gap is not always put the same way."""
    options = templates_for(gap)
    index = (stable_index(gap.kind, gap.quote or "", question_id) + asked_before) % len(options)
    ask = _PRINCIPLE_ASKS.get(gap.detail.lower(), _DEFAULT_PRINCIPLE_ASK)
    return options[index].format(q=gap.quote or "", ask=ask)


@dataclass
class FollowUpPlanner:
    """Chooses each answer's follow-ups for one session, remembering what was asked so the
    wording varies and no question is asked twice."""

    asked: Counter[str] = field(default_factory=Counter)
    said: set[str] = field(default_factory=set)

    def plan(
        self,
        doc: AnalysisDoc | Doc | None,
        *,
        question_id: str,
        seeds: Sequence[str] = (),
        count: int = 1,
    ) -> list[FollowUp]:
        """Up to ``count`` follow-ups for one answer (``doc`` ``None``: not analysed):
        its gaps first, then the question's ``seeds``, then :data:`PROBES`."""
        chosen: list[FollowUp] = []
        if count <= 0:
            return chosen
        for gap in find_gaps(doc) if doc is not None else []:
            if len(chosen) == count:
                return chosen
            text = word_gap(gap, question_id=question_id, asked_before=self.asked[gap.kind])
            chosen.append(self._take(FollowUp(text, "gap", gap), gap.kind))
        for seed in seeds:
            if len(chosen) == count:
                return chosen
            if seed not in self.said:
                chosen.append(self._take(FollowUp(seed, "seed"), "seed"))
        start = stable_index(question_id, "probe") % len(PROBES)
        for n in range(len(PROBES) * 2):
            if len(chosen) == count:
                break
            probe = PROBES[(start + n) % len(PROBES)]
            if probe not in self.said or n >= len(PROBES):
                chosen.append(self._take(FollowUp(probe, "probe"), "probe"))
        return chosen

    def _take(self, follow_up: FollowUp, kind: str) -> FollowUp:
        self.asked[kind] += 1
        self.said.add(follow_up.text)
        return follow_up


# -- did the reply close the gap? ----------------------------------------------------------

_LESSON_CUES = (
    ("next", "time"),
    ("i", "learned"),
    ("i", "learnt"),
    ("i've", "learned"),
    ("lesson",),
    ("differently",),
    ("in", "hindsight"),
    ("looking", "back"),
    ("i", "would", "have"),
    ("i'd", "have"),
    ("i", "would"),
    ("i'd",),
    ("takeaway",),
)
"""Words that open a lesson in a short reply, where the analysis may not see a phase."""


def _owned(reply: Doc) -> str | None:
    own = mapping_of(reply.get("ownership"))
    strong, weak = items_of(own.get("strong")), items_of(own.get("weak"))
    if strong and len(strong) >= len(weak):
        return quote_of(reply, strong[0]) or str(strong[0].get("phrase", ""))
    return None


def _closes_ownership(reply: Doc) -> str | None:
    return _owned(reply)


def _closes_result_number(reply: Doc) -> str | None:
    metrics = [m for m in items_of(reply.get("metrics")) if m.get("kind") != "duration"]
    if not metrics:
        return None
    return quote_of(reply, metrics[0]) or str(metrics[0].get("text", "")) or None


def _closes_baseline(reply: Doc) -> str | None:
    for metric in items_of(reply.get("metrics")):
        if metric.get("kind") == "duration":
            continue
        if metric_context(reply, metric) in ("baseline", "both"):
            return quote_of(reply, metric) or str(metric.get("text", ""))
    return None


def _closes_lp_label(reply: Doc) -> str | None:
    if items_of(mapping_of(reply.get("structure")).get("lp_name_drops")):
        return None
    return _owned(reply)


def reason_in(reply: Doc) -> str | None:
    structure = mapping_of(reply.get("structure"))
    reasons = items_of(structure.get("reasons"))
    if reasons:
        return quote_of(reply, reasons[0]) or str(reasons[0].get("text", ""))
    if int_of(structure.get("because_count")) > 0:
        return " ".join(words_of(reply)[:QUOTE_MAX_WORDS]) or None
    return None


def _closes_short(reply: Doc) -> str | None:
    owned = _owned(reply)
    return owned if owned and reason_in(reply) else None


def lesson_in(reply: Doc) -> str | None:
    words = words_of(reply)
    keys = [_key(w) for w in words]
    if mapping_of(reply.get("structure")).get("has_lesson") is True:
        for phase in _phases(reply):
            if phase.get("name") == "lesson":
                return clause(words, int_of(phase.get("word_index"))) or None
    for n in range(len(keys)):
        for cue in _LESSON_CUES:
            if tuple(keys[n : n + len(cue)]) == cue:
                return clause(words, n, len(cue)) or None
    return None


CLOSERS: dict[GapKind, Callable[[Doc], str | None]] = {
    "ownership": _closes_ownership,
    "result_number": _closes_result_number,
    "baseline": _closes_baseline,
    "lp_label": _closes_lp_label,
    "reasons": reason_in,
    "short": _closes_short,
    "lesson": lesson_in,
}
"""Per gap: the reply's words that close it, or ``None``."""

_STILL_OPEN: dict[GapKind, Callable[[Doc], str | None]] = {
    "ownership": lambda r: _first_quote(r, items_of(mapping_of(r.get("ownership")).get("weak"))),
    "baseline": lambda r: _first_quote(r, items_of(r.get("metrics"))),
    "lp_label": lambda r: _first_quote(
        r, items_of(mapping_of(r.get("structure")).get("lp_name_drops"))
    ),
}
"""Per gap: the reply's words that show it is still open, where there are any."""


def _first_quote(doc: Doc, items: list[Mapping[str, Any]]) -> str | None:
    return quote_of(doc, items[0]) if items else None


def check_reply(gap: Gap | Mapping[str, Any], reply: AnalysisDoc | Doc | None) -> GapCheck:
    """Did ``reply`` (its analysis; ``None`` when it was not analysed) close ``gap``?"""
    kind = gap.kind if isinstance(gap, Gap) else gap.get("kind")
    if reply is None or kind not in CLOSERS:
        return GapCheck("open")
    doc = cast("Doc", reply)
    kind = cast("GapKind", kind)
    quote = CLOSERS[kind](doc)
    if quote:
        return GapCheck("closed", quote)
    still = _STILL_OPEN.get(kind)
    return GapCheck("open", still(doc) if still is not None else None)
