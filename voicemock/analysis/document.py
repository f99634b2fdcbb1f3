"""The analysis document (schema 1): exactly what ``Analysis.to_dict()`` emits, what
``voicemock analyze --json`` prints, what the database stores and what every renderer reads.

Each finding's ``to_dict`` returns its type here, so mypy checks the producer and every
reader against one description. A located finding ends with :class:`Location`'s keys: the
``start`` of its first word (``None`` for a typed transcript) and the words it spans.
Nothing here imports the finding modules; they import their names from here.
"""

from __future__ import annotations

from typing import Literal, TypedDict, cast

from voicemock.transcript import WordDict

SCHEMA = 1
"""The document's ``schema``; bump it (and migrate stored rows) if a key changes meaning."""

Verdict = Literal["short", "on_target", "long", "over_cap"]
FillerKind = Literal["hesitation", "discourse"]
MetricKind = Literal["percent", "money", "count", "duration", "ratio", "change"]
PhaseName = Literal["context", "problem", "action", "result", "lesson"]
AdviceTopic = Literal[
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
]
"""What an advice line is about, in the order the rules run."""


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


class OwnershipDoc(TypedDict):
    i_count: int
    we_count: int
    i_we_ratio: float | None
    strong: list[AgencyDoc]
    weak: list[AgencyDoc]


class MetricDoc(Location):
    text: str
    kind: MetricKind


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
    result_has_metric: bool
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


class AnalysisDoc(TypedDict):
    """One answer's analysis. Time-based values are ``None`` for a typed transcript."""

    schema: int
    question: str | None
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
    advice: list[AdviceDoc]


REQUIRED_KEYS: frozenset[str] = AnalysisDoc.__required_keys__
"""Every key of a document; a stored one missing any is not read as an analysis."""


def as_document(value: object) -> AnalysisDoc | None:
    """``value`` (parsed JSON, e.g. a stored row) as a document of this schema, else None.

    The keys are checked, not every nested value: documents are only ever written by
    :meth:`voicemock.analysis.report.Analysis.to_dict`. Anything else (an empty ``{}``
    for an answer that was never analysed, a row edited by hand) is not an analysis.
    """
    if isinstance(value, dict) and value.get("schema") == SCHEMA and value.keys() >= REQUIRED_KEYS:
        return cast("AnalysisDoc", value)
    return None
