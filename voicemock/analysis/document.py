"""The analysis document (schema 2): exactly what ``Analysis.to_dict()`` emits, what
``voicemock analyze --json`` prints, what the database stores and what every renderer reads.

Each finding's ``to_dict`` returns its type here, so mypy checks the producer and every
reader against one description. A located finding ends with :class:`Location`'s keys: the
``start`` of its first word (``None`` for a typed transcript) and the words it spans.
Nothing here imports the finding modules; they import their names from here.

Schema 2 added, to schema 1: ``question_kind`` (and its ``question_kind_source``),
``answer_style``, ``answered_hypothetically``, ``repeated_words``, ``strengths``, each
advice line's ``top``, each metric's ``context`` and ``in_result``, each ownership item's
``kind``, and ``structure.has_result`` / ``structure.result_metric_has_context``. A stored
schema-1 document is still read: :func:`as_document` fills the new keys in (what can be
derived from the old keys is derived; a metric's context, which needs the analysis, is
``None``).
"""

from __future__ import annotations

import re
from typing import Any, Literal, TypedDict, cast

from voicemock.transcript import WordDict

SCHEMA = 2
"""The document's ``schema``; bump it (and teach :func:`as_document` the old one) if a key
changes meaning."""
READABLE_SCHEMAS = (1, 2)

Verdict = Literal["short", "on_target", "long", "over_cap"]
FillerKind = Literal["hesitation", "discourse"]
MetricKind = Literal["percent", "money", "count", "duration", "ratio", "change"]
PhaseName = Literal["context", "problem", "action", "result", "lesson"]
AgencyKind = Literal["strong", "shared", "weak"]
"""``strong``: "I decided"; ``shared``: "we decided", "my designer and I agreed";
``weak``: "I helped", "I was involved"."""
MetricContext = Literal["baseline", "period", "both", "neither"]
"""What the answer says around a number so that it means something: a baseline or
comparison ("from 60%", "versus 8% last year"), a period or scope ("in one quarter", "a
year", "for enterprise accounts"), both, or neither."""
QuestionKind = Literal["story", "introduction", "product", "hypothetical"]
AnswerStyle = Literal["story", "hypothetical", "introduction", "product"]
KindSource = Literal["tags", "question", "answer", "default"]
"""Where ``question_kind`` came from: the question set's tags, the question's text, the
answer itself (no question given), or the default (a behavioural story)."""
StrengthTopic = Literal[
    "timing", "ownership", "result", "metrics", "structure", "reasons", "delivery", "answer"
]
AdviceTopic = Literal[
    "answer",
    "timing",
    "metrics",
    "result",
    "ownership",
    "structure",
    "reasons",
    "leadership_principles",
    "fillers",
    "hedges",
    "pauses",
    "pace",
    "repetition",
]
"""What an advice line is about."""


class TargetDoc(TypedDict):
    min_s: float
    max_s: float
    cap_s: float


class TimingDoc(TypedDict):
    duration_s: float
    verdict: Verdict
    seconds_to_window: float
    """Seconds still missing (short) or spoken past the window's end (long, over_cap)."""


class Location(TypedDict):
    start: float | None
    word_index: int
    word_count: int


class FillerDoc(Location):
    text: str
    kind: FillerKind


class FillerSummaryDoc(TypedDict):
    count: int
    hesitation: int
    discourse: int
    per_minute: float | None
    by_text: dict[str, int]


class HesitationDoc(TypedDict):
    start: float
    end: float


class HedgeDoc(Location):
    text: str


class AgencyDoc(Location):
    phrase: str
    kind: AgencyKind


class OwnershipDoc(TypedDict):
    i_count: int
    we_count: int
    i_we_ratio: float | None
    strong: list[AgencyDoc]
    weak: list[AgencyDoc]
    """Everything that is not owned: shared subjects and weak verbs (see each ``kind``)."""


class MetricDoc(Location):
    text: str
    kind: MetricKind
    context: MetricContext | None
    """``None`` only in a document stored before schema 2."""
    in_result: bool
    """The number is part of a statement of the result."""


class PhaseDoc(TypedDict):
    name: PhaseName
    start: float | None
    end: float | None
    duration_s: float | None
    budget_s: list[float] | None
    word_index: int
    word_count: int


class ReasonDoc(Location):
    text: str


class NameDropDoc(Location):
    principle: str
    text: str


class StructureDoc(TypedDict):
    phases: list[PhaseDoc]
    has_result: bool
    """The answer states an actual outcome (a result phase was found)."""
    result_has_metric: bool
    result_metric_has_context: bool
    """A number of the result has a baseline or a period (its ``context`` is not neither)."""
    has_lesson: bool
    because_count: int
    reasons: list[ReasonDoc]
    lp_name_drops: list[NameDropDoc]


class PaceWindowDoc(TypedDict):
    start: float
    end: float
    wpm: float


class PauseDoc(TypedDict):
    start: float
    duration: float


class DeliveryDoc(TypedDict):
    word_count: int
    speaking_s: float | None
    wpm: float | None
    wpm_by_30s: list[PaceWindowDoc] | None
    long_pauses: list[PauseDoc] | None


class AdviceDoc(TypedDict):
    topic: AdviceTopic
    text: str
    top: bool
    """One of the (at most three) changes shown by default; the rest are shown on request."""


class StrengthDoc(TypedDict):
    topic: StrengthTopic
    text: str


class RepeatedWordDoc(TypedDict):
    word: str
    count: int
    word_indices: list[int]


class AnalysisDoc(TypedDict):
    """One answer's analysis. Time-based values are ``None`` for a typed transcript."""

    schema: int
    question: str | None
    question_kind: QuestionKind
    question_kind_source: KindSource
    answer_style: AnswerStyle
    answered_hypothetically: bool
    """A story question answered with what the speaker would do, not what they did."""
    model: str | None
    duration_s: float | None
    target: TargetDoc
    timing_verdict: Verdict | None
    timing: TimingDoc | None
    transcript: str
    words: list[WordDict]
    fillers: list[FillerDoc]
    filler_summary: FillerSummaryDoc
    hesitations: list[HesitationDoc] | None
    hedges: list[HedgeDoc]
    ownership: OwnershipDoc
    metrics: list[MetricDoc]
    structure: StructureDoc
    delivery: DeliveryDoc
    repeated_words: list[RepeatedWordDoc]
    strengths: list[StrengthDoc]
    advice: list[AdviceDoc]
    """Every advice line, the one that would move the answer most first."""


REQUIRED_KEYS: frozenset[str] = AnalysisDoc.__required_keys__
"""Every key of a document; a stored one missing any is not read as an analysis."""


SCHEMA_1_KEYS: frozenset[str] = REQUIRED_KEYS - {
    "question_kind",
    "question_kind_source",
    "answer_style",
    "answered_hypothetically",
    "repeated_words",
    "strengths",
}
TOP_ADVICE = 3
"""At most this many advice lines are shown by default."""


def as_document(value: object) -> AnalysisDoc | None:
    """``value`` (parsed JSON, e.g. a stored row) as a document of this schema, else None.

    The keys are checked, not every nested value: documents are only ever written by
    :meth:`voicemock.analysis.report.Analysis.to_dict`. A schema-1 document is upgraded
    (a new dict; ``value`` is not changed). Anything else (an empty ``{}`` for an answer
    that was never analysed, a row edited by hand) is not an analysis.
    """
    if not isinstance(value, dict):
        return None
    schema = value.get("schema")
    if schema == SCHEMA and value.keys() >= REQUIRED_KEYS:
        return cast("AnalysisDoc", value)
    if schema == 1 and value.keys() >= SCHEMA_1_KEYS:
        try:
            return _upgrade_1(value)
        except (TypeError, KeyError, AttributeError, ValueError):
            return None
    return None


_STORY_QUESTION = re.compile(
    r"\b(tell me about a time|give me an example|describe a (time|situation)|"
    r"tell me about (a|the|an) (situation|project|decision|mistake|failure|conflict)|"
    r"what is the (hardest|most|best|biggest)|walk me through a time)",
    re.IGNORECASE,
)
_INTRO_QUESTION = re.compile(
    r"\b(tell me about yourself|walk me through your (r[eé]sum[eé]|background|career)|"
    r"why (do you want|are you interested|this role|amazon))",
    re.IGNORECASE,
)


def _upgrade_1(old: dict[str, Any]) -> AnalysisDoc:
    """A schema-1 document with the schema-2 keys filled in."""
    doc = dict(old)
    question = old.get("question") or ""
    kind: QuestionKind = "story"
    source: KindSource = "default"
    if question and _INTRO_QUESTION.search(question) and not _STORY_QUESTION.search(question):
        kind, source = "introduction", "question"
    elif question:
        source = "question"
    doc["schema"] = SCHEMA
    doc["question_kind"] = kind
    doc["question_kind_source"] = source
    doc["answer_style"] = "introduction" if kind == "introduction" else "story"
    doc["answered_hypothetically"] = False
    ownership = dict(old["ownership"])
    ownership["strong"] = [{**a, "kind": "strong"} for a in ownership["strong"]]
    ownership["weak"] = [
        {**a, "kind": "weak" if str(a.get("phrase", "")).lower().startswith("i ") else "shared"}
        for a in ownership["weak"]
    ]
    doc["ownership"] = ownership
    structure = dict(old["structure"])
    phases = structure.get("phases") or []
    result_words: set[int] = set()
    for p in phases:
        if p.get("name") == "result":
            result_words.update(range(p["word_index"], p["word_index"] + p["word_count"]))
    structure["has_result"] = bool(result_words)
    structure["result_metric_has_context"] = False
    doc["structure"] = structure
    doc["metrics"] = [
        {**m, "context": None, "in_result": m.get("word_index") in result_words}
        for m in old["metrics"]
    ]
    doc["repeated_words"] = []
    doc["strengths"] = []
    doc["advice"] = [{**a, "top": n < TOP_ADVICE} for n, a in enumerate(old.get("advice") or [])]
    return cast("AnalysisDoc", doc)
