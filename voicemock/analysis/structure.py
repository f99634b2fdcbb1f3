"""The shape of the answer: STAR phases, reasons given, Leadership Principle name-drops.

Phases (context, problem, action, result, lesson) are estimated per sentence from cue
phrases ("the situation was", "the problem was", "I decided", "as a result", "I learned")
and then smoothed with a small Viterbi pass: moving forward through the phases is cheap,
going back is expensive, and a sentence without cues stays in the phase before it (or, at
the start, takes the phase of the first cued sentence). The
time spent in each phase is compared with a budget (context 20-30 s, problem 10-30 s,
action 60-120 s, result 30-50 s, lesson 10-25 s for a 2:30-3:30 answer; scaled with the
target window).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from voicemock.analysis.document import NameDropDoc, PhaseDoc, ReasonDoc, StructureDoc
from voicemock.analysis.document import PhaseName as PhaseName
from voicemock.analysis.metrics import Metric, find_metrics
from voicemock.analysis.ownership import STRONG_VERBS
from voicemock.analysis.text import Doc, DocSource, PhraseSet, Span, location, round_time
from voicemock.principles import LEADERSHIP_PRINCIPLES
from voicemock.timing import DEFAULT_MAX_S, DEFAULT_MIN_S, Target

PHASES: tuple[PhaseName, ...] = ("context", "problem", "action", "result", "lesson")

BUDGETS_S: dict[PhaseName, tuple[float, float]] = {
    "context": (20.0, 30.0),
    "problem": (10.0, 30.0),
    "action": (60.0, 120.0),
    "result": (30.0, 50.0),
    "lesson": (10.0, 25.0),
}
"""Seconds per phase for the default 2:30-3:30 window."""

_CENTRES = (0.07, 0.18, 0.5, 0.8, 0.95)
"""Where in the answer (share of words) each phase usually sits: a tie-breaker for cues."""
_PRIOR_WEIGHT = 0.6
_FORWARD_COST = 0.8
_BACKWARD_COST = 3.0

_ADV = {"adv": lambda k: k.endswith("ly") or k in ("then", "also", "first", "just", "quickly")}

_CUES: dict[PhaseName, PhraseSet] = {
    "context": PhraseSet(
        [
            (
                "at my last|previous|current|old|former|first "
                "company|job|role|team|employer|startup",
                "2",
            ),
            ("in my last|previous|current|former|old role|job|position|team", "2"),
            ("when i was at|working|leading|running|managing|the|a|an", "1.5"),
            (
                "i was the|a|an pm|product|senior|lead|tech|technical|program|project|principal|"
                "group|manager|engineer|head|director|owner|founder|member|designer|analyst|data|"
                "sole|only|new|first",
                "1.5",
            ),
            ("i worked at|for|as", "1.5"),
            ("i was working|leading|running|managing|responsible|in|on|at", "1.2"),
            ("i had just? joined", "1.5"),
            ("i joined", "1.5"),
            ("the|a|our situation", "2"),
            ("the|some context|background|setting", "2"),
            ("years|months|weeks ago", "1.5"),
            ("last year|quarter|summer|spring|fall|winter", "1"),
            ("back in", "1"),
            ("at the|that time", "1"),
            ("our|my team was|owned|owns|is|had|built|ran|runs|handled|handles|managed", "1.2"),
            ("i was a? part|member of", "1.2"),
            ("we were a|an|the", "1"),
            ("the company was|is|had", "1"),
            ("i owned|own the|our", "0.6"),
        ]
    ),
    "problem": PhraseSet(
        [
            (
                "the|a|our|my|one biggest|main|big|key|core|real|major|underlying|root? "
                "problem|problems|challenge|issue|risk|blocker|bottleneck|pain|complaint",
                "2",
            ),
            ("my|our|the task|goal|objective|mandate|mission|brief|target", "2"),
            ("my job was", "2"),
            ("we|i needed|had|wanted to", "1.3"),
            ("we|i were|was asked|tasked|expected|supposed to|with", "1.5"),
            ("the question was", "1.5"),
            (
                "losing|dropping|declining|dropped|falling|failing|broken|struggling|behind|"
                "missing|complaints|complained|churning|delayed|slipping|outage|outages|crashing|"
                "stuck|stalled|blocked|overdue|unhappy|frustrated|escalations|bugs|incident",
                "0.7",
            ),
            ("wasn't|weren't|couldn't|didn't work|working|scale|ship|launch", "0.8"),
            ("too slow|late|expensive|many|few|complex|long", "0.8"),
            ("no one|nobody knew|owned|had", "1"),
            ("if we didn't", "1"),
            ("deadline", "1"),
        ]
    ),
    "action": PhraseSet(
        [
            (f"i|i've <adv>? {'|'.join(STRONG_VERBS)}", "1.5"),
            ("i <adv>? pushed back", "1.5"),
            ("i <adv>? made|took the|a call|decision|lead", "1.5"),
            ("so i", "1.5"),
            ("first i|we", "1.2"),
            ("then i|we", "1.2"),
            ("next i|we", "1.2"),
            ("what i did", "2"),
            ("my|the approach|plan|proposal|idea|solution|strategy|hypothesis", "1.5"),
            (
                "i <adv>? went|met|talked|spoke|sat|worked|reached|asked|pulled|dug|ran|analyzed|"
                "analysed|looked|interviewed|called|brought|organized|organised|mapped|partnered|"
                "aligned|presented|pitched|gathered|created|tested|prototyped|measured|tracked|"
                "shadowed|recommended|suggested|focused|moved|changed|reworked|removed|added|"
                "split|structured|scheduled|got|made|put|framed|identified|sent|shared|reviewed|"
                "started|began|set|used|found|dropped|replaced|simplified|automated|created|"
                "negotiated|ran|paired|coached|explained|showed|broke|wrote|kicked|rallied|"
                "offered|volunteered|convinced|persuaded|committed|agreed|compared|modelled|"
                "modeled|estimated|ranked|scoped|descoped|defined",
                "1.2",
            ),
            (
                "we <adv>? built|ran|launched|tested|shipped|rolled|implemented|designed|created|"
                "changed|moved|added|removed|replaced|piloted|prototyped|decided|chose|agreed",
                "0.8",
            ),
            ("to do that|this|so", "1"),
            ("in order to", "0.6"),
        ],
        _ADV,
    ),
    "result": PhraseSet(
        [
            ("as a result", "2.5"),
            ("the|end|net|final result|results|outcome|impact|upshot", "2.5"),
            ("in the end", "2"),
            ("by the end", "1.5"),
            ("at the end of the day|quarter|year", "1"),
            ("ultimately", "1.5"),
            ("this|that|which|it led|resulted to|in", "2"),
            (
                "we|it|that|they <adv>? increased|grew|improved|reduced|saved|hit|exceeded|"
                "achieved|delivered|beat|doubled|tripled|halved|won|cut|recovered|dropped|rose|"
                "gained|lifted|boosted|generated|retained",
                "1.5",
            ),
            (
                "conversion|revenue|retention|churn|nps|adoption|usage|engagement|sales|latency|"
                "costs|cost|signups|traffic|tickets|complaints|errors|satisfaction|margin|"
                "bookings|growth went|grew|increased|rose|dropped|fell|improved|doubled|"
                "decreased|jumped|climbed|declined|halved",
                "1.8",
            ),
            ("we saw|ended|launched|shipped|hit|beat|exceeded", "1.2"),
            ("ended up", "1"),
            ("it|this|that worked", "1.2"),
            ("paid off", "1.2"),
            ("was a success|hit|win", "1.2"),
            ("on time", "1"),
            ("within weeks|months|days", "0.8"),
            ("was|got promoted|adopted|rolled", "0.8"),
            ("the customer|customers|users|team was|were happy|thrilled|delighted", "1"),
        ],
        _ADV,
    ),
    "lesson": PhraseSet(
        [
            ("i <adv>? learned|learnt|learn", "3"),
            ("lesson|lessons|learnings", "2.5"),
            ("my|the|a key|biggest|big|main learning", "2.5"),
            ("next time", "2.5"),
            ("in hindsight|retrospect", "3"),
            ("looking back", "3"),
            ("differently", "1.5"),
            ("what i'd|i would do differently", "3"),
            ("if i did it again|over", "2.5"),
            ("if i had|were|could to? do it again|over", "2.5"),
            ("taught|teaches me", "2.5"),
            ("i <adv>? realized|realised", "1.5"),
            ("takeaway|takeaways", "2.5"),
            ("going forward", "1.5"),
            ("since then", "1.5"),
            ("i now", "1.5"),
            ("now i <adv>? always|never|make|start|try", "2"),
            ("i would|should|could have", "1.5"),
            ("i'd have", "1.5"),
            ("reflecting|reflect", "2"),
        ],
        _ADV,
    ),
}

_RESULT_METRIC_CHANGE = 1.5
_RESULT_METRIC_OTHER = 0.7

_REASONS = PhraseSet(
    [
        ("because", "because"),
        ("'cause|cuz|cos", "because"),
        ("given that", "given that"),
        ("despite", "despite"),
        ("so that", "so that"),
        ("the trade-off|tradeoff|trade-offs|tradeoffs was|were|is", "the trade-off was"),
        ("the trade off|offs was|were|is", "the trade-off was"),
        ("which|that|this meant", "which meant"),
        ("since", "since"),
        ("due to", "due to"),
        ("the|my|our reason|rationale", "the reason"),
        ("that's|which's why", "that's why"),
        ("which|that is why", "that's why"),
        ("in order to", "in order to"),
    ]
)
_SINCE_CAUSAL_NEXT = frozenset(
    {"we", "i", "they", "it", "he", "she", "you", "there", "nobody", "everyone", "no",
     "this", "that", "these", "those", "most", "all", "none", "our", "their"}
)  # fmt: skip
_SINCE_TEMPORAL_AFTER_DET = frozenset({"then", "joining", "launch", "last", "day", "start"})

PRINCIPLES: dict[str, tuple[str, ...]] = {p.name: p.spoken for p in LEADERSHIP_PRINCIPLES}
"""Each Leadership Principle's name -> the spoken patterns of its name (one table:
:data:`voicemock.principles.LEADERSHIP_PRINCIPLES`)."""
_PRINCIPLE_PHRASES = PhraseSet(
    [(spec, name) for name, specs in PRINCIPLES.items() for spec in specs]
)
_LABEL_WORDS = frozenset(
    {
        "this", "that", "that's", "it's", "it", "is", "was", "shows", "show", "showed",
        "shown", "showing", "demonstrates", "demonstrated", "demonstrating", "demonstrate",
        "an", "a", "example", "of", "the", "principle", "principles", "leadership", "lp",
        "lps", "which", "and", "also", "here", "there", "too", "really", "again", "so",
        "exactly", "about", "all", "my", "me", "for", "i", "think", "embodies", "reflects",
        "highlights", "displays", "displayed", "like", "pure", "classic", "textbook",
        "called", "amazon's", "amazon", "as", "well", "what", "mean", "by", "you", "know",
        "to", "perfect", "great", "good", "case",
    }
)  # fmt: skip
_LABEL_LEAD_INS = (
    ("that's",), ("that", "is"), ("this", "is"), ("it's",), ("which", "is"), ("shows",),
    ("showed",), ("demonstrates",), ("demonstrated",), ("showing",), ("demonstrating",),
    ("example", "of"), ("principle", "of"), ("principle",), ("embodies",), ("reflects",),
    ("called",),
)  # fmt: skip
_HEADER_MARKS = (":", "\u2014", "\u2013", "-", ";")
_MINOR_WORDS = frozenset({"and", "for", "to", "be", "the", "on", "a", "bring", "are"})


@dataclass(frozen=True, slots=True)
class Phase:
    name: PhaseName
    word_index: int
    word_count: int
    start: float | None
    end: float | None
    budget_s: tuple[float, float] | None

    @property
    def duration_s(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return max(0.0, self.end - self.start)

    def to_dict(self) -> PhaseDoc:
        duration = self.duration_s
        return {
            "name": self.name,
            "start": round_time(self.start),
            "end": round_time(self.end),
            "duration_s": None if duration is None else round(duration, 2),
            "budget_s": None if self.budget_s is None else list(self.budget_s),
            "word_index": self.word_index,
            "word_count": self.word_count,
        }


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    word_index: int
    word_count: int
    start: float | None

    def to_dict(self) -> ReasonDoc:
        return {
            "text": self.text,
            **location(self),
        }


@dataclass(frozen=True, slots=True)
class NameDrop:
    principle: str
    text: str
    word_index: int
    word_count: int
    start: float | None

    def to_dict(self) -> NameDropDoc:
        return {
            "principle": self.principle,
            "text": self.text,
            **location(self),
        }


@dataclass(frozen=True)
class Structure:
    phases: list[Phase] = field(default_factory=list)
    result_has_metric: bool = False
    has_lesson: bool = False
    reasons: list[Reason] = field(default_factory=list)
    lp_name_drops: list[NameDrop] = field(default_factory=list)

    @property
    def because_count(self) -> int:
        """How many reasons were given ("because", "so that", causal "since", ...)."""
        return len(self.reasons)

    def seconds_in(self, name: PhaseName) -> float | None:
        """Total time in phase ``name`` (None when untimed; 0 when the phase is absent)."""
        total = 0.0
        for p in self.phases:
            if p.name == name:
                if p.duration_s is None:
                    return None
                total += p.duration_s
        return total

    def to_dict(self) -> StructureDoc:
        return {
            "phases": [p.to_dict() for p in self.phases],
            "result_has_metric": self.result_has_metric,
            "has_lesson": self.has_lesson,
            "because_count": self.because_count,
            "reasons": [r.to_dict() for r in self.reasons],
            "lp_name_drops": [d.to_dict() for d in self.lp_name_drops],
        }


def phase_budgets(target: Target | None = None) -> dict[PhaseName, tuple[float, float]]:
    """The phase budgets scaled to ``target``'s window (the defaults for 2:30-3:30)."""
    if target is None:
        return dict(BUDGETS_S)
    scale = (target.min_s + target.max_s) / (DEFAULT_MIN_S + DEFAULT_MAX_S)
    return {k: (round(lo * scale, 1), round(hi * scale, 1)) for k, (lo, hi) in BUDGETS_S.items()}


def _cue_scores(doc: Doc, metrics: Sequence[Metric]) -> list[list[float]]:
    scores = [[0.0] * len(PHASES) for _ in doc.sentences]
    for p, name in enumerate(PHASES):
        for m in _CUES[name].finditer(doc):
            scores[doc.sentence_of[m.index]][p] += float(m.label)
    action = PHASES.index("action")
    result = PHASES.index("result")
    first_action = next((s for s, row in enumerate(scores) if row[action] >= 1.0), None)
    if first_action is not None:
        for metric in metrics:
            s = doc.sentence_of[metric.word_index]
            if s > first_action:
                bonus = _RESULT_METRIC_CHANGE if metric.kind == "change" else _RESULT_METRIC_OTHER
                scores[s][result] += bonus
    return scores


def _label_sentences(doc: Doc, scores: list[list[float]]) -> list[int]:
    """The best phase per sentence: cue scores + position prior - transition costs."""
    n_words = max(1, len(doc))
    k = len(PHASES)
    best: list[list[float]] = []
    back: list[list[int]] = []
    for s, sentence in enumerate(doc.sentences):
        where = (sentence.index + sentence.count / 2) / n_words
        # The position prior only weighs between cues; a sentence without any cue gets no
        # say of its own and stays in the phase of the sentence before it.
        cued = any(scores[s])
        emit = [
            scores[s][p]
            + (_PRIOR_WEIGHT * max(0.0, 1.0 - abs(where - _CENTRES[p]) / 0.5) if cued else 0.0)
            for p in range(k)
        ]
        if s == 0:
            best.append(emit)
            back.append(list(range(k)))
            continue
        row: list[float] = []
        ptr: list[int] = []
        for p in range(k):
            choice, value = 0, float("-inf")
            for q in range(k):
                cost = 0.0 if q == p else (_FORWARD_COST if q < p else _BACKWARD_COST)
                v = best[s - 1][q] - cost
                if v > value:
                    choice, value = q, v
            row.append(value + emit[p])
            ptr.append(choice)
        best.append(row)
        back.append(ptr)
    if not best:
        return []
    state = max(range(k), key=lambda p: (best[-1][p], -p))
    path = [state]
    for s in range(len(best) - 1, 0, -1):
        state = back[s][state]
        path.append(state)
    path.reverse()
    return path


def find_phases(
    source: DocSource, metrics: Sequence[Metric] | None = None, target: Target | None = None
) -> list[Phase]:
    """Contiguous runs of sentences in one phase, in speaking order."""
    doc = Doc.of(source)
    if not doc.sentences:
        return []
    if metrics is None:
        metrics = find_metrics(doc)
    path = _label_sentences(doc, _cue_scores(doc, metrics))
    budgets = phase_budgets(target)
    runs: list[tuple[int, Span]] = []
    for s, sentence in enumerate(doc.sentences):
        if runs and runs[-1][0] == path[s]:
            first = runs[-1][1]
            runs[-1] = (path[s], Span(first.index, sentence.stop - first.index))
        else:
            runs.append((path[s], sentence))
    phases: list[Phase] = []
    for r, (p, span) in enumerate(runs):
        start = doc.span_start(span)
        end = doc.span_start(runs[r + 1][1]) if r + 1 < len(runs) else None
        if end is None or (start is not None and end < start):
            end = doc.span_end(span)
        if start is None or end is None:
            start = end = None
        name = PHASES[p]
        phases.append(Phase(name, span.index, span.count, start, end, budgets[name]))
    return phases


def find_reasons(source: DocSource) -> list[Reason]:
    """Causal connectives: "because", "given that", "so that", causal "since", ..."""
    doc = Doc.of(source)
    out: list[Reason] = []
    for m in _REASONS.finditer(doc):
        if m.label == "since":
            nxt = doc.key(m.index + 1) if doc.same_sentence(m.index, m.index + 1) else ""
            if nxt not in _SINCE_CAUSAL_NEXT or doc.key(m.index + 2) in _SINCE_TEMPORAL_AFTER_DET:
                continue  # "since 2019", "since then", "since the launch"
        if (
            m.label == "due to"
            and doc.key(m.index - 1) in ("is", "was", "were", "are")
            and doc.key(m.index + 2) in ("be", "ship", "launch", "start", "go")
        ):
            continue  # "was due to ship"
        out.append(Reason(doc.text(m.span), m.index, m.count, doc.start(m.index)))
    return out


def find_name_drops(source: DocSource) -> list[NameDrop]:
    """Leadership Principle names used as labels rather than shown through the story."""
    doc = Doc.of(source)
    capitals = sum(1 for w in doc.words if w.text.strip()[:1].isupper())
    mostly_capitalised = capitals > 0.5 * max(1, len(doc))
    out: list[NameDrop] = []
    for m in _PRINCIPLE_PHRASES.finditer(doc):
        if _is_label(doc, m.index, m.count, mostly_capitalised):
            out.append(NameDrop(m.label, doc.text(m.span), m.index, m.count, doc.start(m.index)))
    return out


def _is_label(doc: Doc, index: int, count: int, mostly_capitalised: bool) -> bool:
    last = index + count - 1
    sentence = doc.sentences[doc.sentence_of[index]]
    # (a) a header: "Ownership: I ..." / "Customer Obsession — ..."
    if doc.opens_sentence(index) and any(mark in doc.trail[last] for mark in _HEADER_MARKS):
        return True
    # (b) the whole sentence is the name with label words around it:
    #     "Customer Obsession." / "This shows Bias for Action." / "And that's Ownership."
    others = [
        j
        for j in range(sentence.index, sentence.stop)
        if not index <= j <= last and doc.hesitation[j] is None
    ]
    if all(doc.keys[j] in _LABEL_WORDS or not doc.keys[j] for j in others):
        return True
    # (c) a lead-in ("that's", "this shows", "an example of") right before the name, and the
    #     name ends its clause: "we shipped on time, and that's Deliver Results"
    if doc.break_after(last):
        before = tuple(doc.keys[max(sentence.index, index - 2) : index])
        for lead in _LABEL_LEAD_INS:
            if before[-len(lead) :] == lead:
                return True
    # (d) capitalised like a name in the middle of a sentence: "I showed Customer Obsession by"
    if not mostly_capitalised and not doc.opens_sentence(index):
        significant = [
            doc.words[j].text.strip()
            for j in range(index, last + 1)
            if doc.keys[j] not in _MINOR_WORDS and doc.hesitation[j] is None
        ]
        if significant and all(t[:1].isupper() for t in significant):
            return True
    return False


def find_structure(
    source: DocSource,
    metrics: Sequence[Metric] | None = None,
    target: Target | None = None,
) -> Structure:
    """Phases, whether the result has a number and a lesson is drawn, reasons, name-drops."""
    doc = Doc.of(source)
    if metrics is None:
        metrics = find_metrics(doc)
    phases = find_phases(doc, metrics, target)
    in_result: set[int] = set()
    for p in phases:
        if p.name == "result":
            in_result.update(range(p.word_index, p.word_index + p.word_count))
    return Structure(
        phases=phases,
        result_has_metric=any(m.word_index in in_result for m in metrics),
        has_lesson=any(p.name == "lesson" for p in phases),
        reasons=find_reasons(doc),
        lp_name_drops=find_name_drops(doc),
    )


__all__ = [
    "BUDGETS_S",
    "PHASES",
    "PRINCIPLES",
    "NameDrop",
    "Phase",
    "PhaseName",
    "Reason",
    "Structure",
    "find_name_drops",
    "find_phases",
    "find_reasons",
    "find_structure",
    "phase_budgets",
]
