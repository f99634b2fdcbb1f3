"""Ownership: did the speaker say what *they* did?

Interviewers assess the candidate, not the team, so "I decided" is strong and "we decided",
"the team decided", "I helped" or "I was involved" hide the speaker's own part. Also counts
first-person singular against plural pronouns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from voicemock.analysis.document import AgencyDoc, OwnershipDoc
from voicemock.analysis.fillers import Filler, find_fillers
from voicemock.analysis.text import Doc, DocSource, PhraseSet, Span, location

I_FORMS = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i'd", "i've", "i'll"})
WE_FORMS = frozenset({"we", "us", "our", "ours", "ourselves", "we're", "we'd", "we've", "we'll"})

STRONG_VERBS = (
    "decided", "owned", "built", "chose", "wrote", "killed", "led", "drove", "designed",
    "proposed", "convinced", "set", "launched", "negotiated", "hired", "fired", "cut",
    "prioritised", "prioritized", "persuaded", "shipped", "created", "defined", "initiated",
    "architected", "rewrote", "redesigned", "overruled", "escalated", "vetoed", "spearheaded",
)  # fmt: skip
STRONG_PHRASES = (
    "pushed back", "made the call", "made the decision", "made a call", "made a decision",
    "took ownership", "took the lead", "took charge", "took the decision", "stepped in",
    "stepped up",
)  # fmt: skip
WEAK_VERBS = (
    "helped", "supported", "influenced", "collaborated", "assisted", "contributed",
    "participated", "facilitated",
)  # fmt: skip

_NOT_ADVERBS = frozenset(
    {
        "never", "not", "barely", "hardly", "rarely", "nearly", "almost", "supposedly",
        "allegedly", "family", "reply", "supply", "apply", "early", "only", "ugly", "italy",
    }
)  # fmt: skip
_ADVERBS = frozenset(
    {
        "then", "also", "myself", "just", "still", "actually", "first", "instead", "alone",
        "again", "later", "soon", "already", "basically", "eventually", "ultimately",
        "finally", "quickly", "immediately", "personally", "really", "so", "therefore",
        "together", "originally", "initially",
    }
)  # fmt: skip


def _is_adverb(key: str) -> bool:
    if key in _NOT_ADVERBS:
        return False
    return key in _ADVERBS or (len(key) > 4 and key.endswith("ly") and key.isalpha())


_CLASSES = {"adv": _is_adverb}
_VERBS = "|".join(STRONG_VERBS)

_STRONG = PhraseSet(
    [f"i|i've|i'd <adv>? {_VERBS}"]
    + [f"i|i've|i'd <adv>? {p}" for p in STRONG_PHRASES]
    + ["i was|am <adv>? the one who|that"],
    _CLASSES,
)
_WEAK = PhraseSet(
    [f"we|we've|we'd <adv>? {_VERBS}"]
    + [f"we|we've|we'd <adv>? {p}" for p in STRONG_PHRASES]
    + [f"the|my|our team <adv>? {_VERBS}"]
    + [f"i <adv>? {'|'.join(WEAK_VERBS)}"]
    + [
        "i <adv>? tried to",
        "i was <adv>? involved",
        "i got <adv>? involved",
        "i was <adv>? a? part of",
        "i was <adv>? a? member of",
        "i was <adv>? asked to",
        "i was <adv>? told to",
        "i <adv>? worked on",
    ],
    _CLASSES,
)


@dataclass(frozen=True, slots=True)
class Agency:
    """One "I decided" (strong) or "we decided"/"I helped" (weak)."""

    phrase: str
    word_index: int
    word_count: int
    start: float | None

    def to_dict(self) -> AgencyDoc:
        return {
            "phrase": self.phrase,
            **location(self),
        }


@dataclass(frozen=True)
class Ownership:
    i_count: int
    we_count: int
    strong: list[Agency] = field(default_factory=list)
    weak: list[Agency] = field(default_factory=list)

    @property
    def i_we_ratio(self) -> float | None:
        return None if self.we_count == 0 else round(self.i_count / self.we_count, 2)

    def to_dict(self) -> OwnershipDoc:
        return {
            "i_count": self.i_count,
            "we_count": self.we_count,
            "i_we_ratio": self.i_we_ratio,
            "strong": [a.to_dict() for a in self.strong],
            "weak": [a.to_dict() for a in self.weak],
        }


def find_ownership(source: DocSource, fillers: Sequence[Filler] | None = None) -> Ownership:
    """Pronoun counts and strong/weak agency phrases.

    The "I" of a filler "I mean" is not counted; ``fillers`` saves finding them again.
    """
    doc = Doc.of(source)
    if fillers is None:
        fillers = find_fillers(doc)
    in_filler: set[int] = set()
    for f in fillers:
        in_filler.update(range(f.word_index, f.word_index + f.word_count))
    i_count = we_count = 0
    for n, key in enumerate(doc.keys):
        if n in in_filler:
            continue
        if key in I_FORMS:
            i_count += 1
        elif key in WE_FORMS and not (key == "us" and doc.words[n].text.strip(".,;:!?") == "US"):
            we_count += 1
    strong = [_agency(doc, m.index, m.count) for m in _STRONG.finditer(doc)]
    weak = [_agency(doc, m.index, m.count) for m in _WEAK.finditer(doc)]
    return Ownership(i_count, we_count, strong, weak)


def _agency(doc: Doc, index: int, count: int) -> Agency:
    return Agency(doc.text(Span(index, count)), index, count, doc.start(index))


__all__ = [
    "I_FORMS",
    "STRONG_VERBS",
    "WEAK_VERBS",
    "WE_FORMS",
    "Agency",
    "Ownership",
    "find_ownership",
]
