"""Does the story stay the same from one telling to the next?

Interviewers in one loop compare notes. A story told once with "I led" and once with "I
supported", or with "40 %" and then "30 %", reads as invented. This module compares the
tellings of one story, from the analysis document stored with each answer (see README,
"The JSON document"):

- **numbers** (``metrics``): a figure that changed between tellings about the same thing
  ("cut refunds by 40 %" then "by 30 %"). Values are compared with
  :mod:`voicemock.stories.numbers`, so "forty percent" = "40 %", "half" = "50 %",
  "1.2 million" = "1,200,000", and "about 15 %" = "one in seven". Two figures are about
  the same thing when they share the words around them (:func:`_linked`); a figure said
  in only one telling is an omission, not a contradiction, and is not reported.
- **ownership** (``ownership.strong`` / ``ownership.weak``): the same action owned in one
  telling and shared or weakened in another ("I decided to delay the launch" then "we
  decided to delay the launch"; "I led the migration" then "I supported the migration").
- **the result** (``structure``): a result with a number in one telling and without one
  (or with no result at all) in the next.

Each telling is compared with the tellings before it, nearest first: a figure is checked
against the latest earlier telling that speaks about the same thing, so a change is
reported once, where it happened, quoting both tellings with their dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from voicemock.analysis.text import Doc, Span
from voicemock.stories.numbers import APPROXIMATORS, Quantity, compatible, quantities, same_value
from voicemock.stories.text import content_terms
from voicemock.transcript import Transcript, Word

DifferenceKind = Literal["number", "ownership", "result"]

CONTEXT_WORDS = 6
"""Words either side of a figure (in its sentence) that say what it measures."""
NEAR_WORDS = 3
"""Words either side that bind tightly ("refunds by 40 %")."""
OBJECT_WORDS = 8
"""Words after "I decided" / "we decided" that say what was decided."""


@dataclass(frozen=True)
class Telling:
    """One telling of a story: a stored answer's analysis document, or the summary."""

    label: str
    """How the user finds it: ``"session 4, answer 2"``, ``"the summary"``."""
    when: datetime | None
    doc: Mapping[str, Any]
    answer_id: int | None = None
    reference: bool = False
    """The story's summary: compared for numbers and ownership, not for the result."""


@dataclass(frozen=True)
class Quote:
    label: str
    when: datetime | None
    text: str
    answer_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "when": None if self.when is None else self.when.isoformat(),
            "text": self.text,
            "answer_id": self.answer_id,
        }


@dataclass(frozen=True)
class Difference:
    """One way two tellings of a story disagree, quoting both."""

    kind: DifferenceKind
    summary: str
    """e.g. ``"40% became 30%"``, ``"'I led' became 'I supported'"``."""
    earlier: Quote
    later: Quote

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "summary": self.summary,
            "earlier": self.earlier.to_dict(),
            "later": self.later.to_dict(),
        }


# -- reading a telling -------------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    quantity: Quantity
    context: frozenset[str]
    near: frozenset[str]
    quote: str


@dataclass(frozen=True)
class _Agency:
    strong: bool
    agent: str
    verb: str
    phrase: str
    objects: tuple[str, ...]
    quote: str


@dataclass(frozen=True)
class _Result:
    level: int
    """2: the result has a number; 1: a result without one; 0: no result found."""
    quote: str


@dataclass
class _Read:
    telling: Telling
    mentions: list[_Mention] = field(default_factory=list)
    agencies: list[_Agency] = field(default_factory=list)
    result: _Result | None = None


def _doc(analysis: Mapping[str, Any]) -> Doc:
    words = analysis.get("words")
    if isinstance(words, list) and words:
        out = []
        for w in words:
            if isinstance(w, Mapping) and isinstance(w.get("word"), str):
                out.append(Word.from_dict(w))
        return Doc(out)
    text = analysis.get("transcript")
    return Doc(Transcript.from_text(text if isinstance(text, str) else "").words)


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _items(value: object) -> list[Mapping[str, Any]]:
    return [x for x in value if isinstance(x, Mapping)] if isinstance(value, list) else []


_UNIT_STEMS = frozenset(
    content_terms(
        "percent percentage point points basis dollars dollar bucks euros pounds cents grand"
        " millisecond milliseconds second seconds minute minutes hour hours day days week weeks"
        " weekend weekends month months quarter quarters year years sprint sprints decade"
        " decades times fold"
    )
)
"""What a figure is measured in says nothing about what it measures ("six weeks")."""


def _stems(doc: Doc, start: int, stop: int, sentence_of: int) -> frozenset[str]:
    """Content stems of words ``start:stop`` in one sentence, without numbers and units."""
    keep = [
        doc.words[i].text
        for i in range(max(0, start), min(len(doc), stop))
        if doc.sentence_of[i] == sentence_of
    ]
    terms = content_terms(" ".join(keep))
    return frozenset(t for t in terms if not t.startswith("#") and t not in _UNIT_STEMS)


def _sentence_quote(doc: Doc, index: int, count: int, max_words: int = 24) -> str:
    """The clause around ``index``: its sentence, trimmed around the span to ``max_words``."""
    if not 0 <= index < len(doc):
        return ""
    sentence = doc.sentences[doc.sentence_of[index]]
    start, stop = sentence.index, sentence.stop
    while doc.hesitation[start] is not None and start < index:
        start += 1
    if stop - start > max_words:
        before = max_words // 3
        start = max(start, index - before)
        stop = min(stop, start + max_words)
        start = max(sentence.index, min(start, index + count - max_words))
    text = doc.text(Span(start, stop - start))
    if start > sentence.index:
        text = "…" + text
    if stop < sentence.stop:
        text += "…"
    return text


def read_telling(telling: Telling) -> _Read:
    """The figures, agency phrases and result of one telling, from its analysis."""
    analysis = telling.doc
    doc = _doc(analysis)
    read = _Read(telling)
    n = len(doc)
    for metric in _items(analysis.get("metrics")):
        index, count = _int(metric.get("word_index"), -1), max(1, _int(metric.get("word_count"), 1))
        text = metric.get("text")
        if not isinstance(text, str) or not 0 <= index < n:
            continue
        kind = metric.get("kind") if isinstance(metric.get("kind"), str) else None
        found = quantities(text, kind)
        if not found:
            continue
        sentence = doc.sentence_of[index]
        # The figure's own words count ("cut refunds by 40 %", "2,000 users"), except
        # its numbers and units.
        context = _stems(doc, index - CONTEXT_WORDS, index + count + CONTEXT_WORDS, sentence)
        near = _stems(doc, index - NEAR_WORDS, index + count + NEAR_WORDS, sentence)
        before = {
            doc.key(i) for i in (index - 1, index - 2) if i >= 0 and doc.same_sentence(i, index)
        }
        approx = bool(before & APPROXIMATORS)
        quote = _sentence_quote(doc, index, count)
        for q in found:
            q = replace(q, approximate=q.approximate or approx)
            read.mentions.append(_Mention(q, context, near, quote))
    ownership = analysis.get("ownership")
    if isinstance(ownership, Mapping):
        for strong, key in ((True, "strong"), (False, "weak")):
            for item in _items(ownership.get(key)):
                agency = _agency(doc, item, strong)
                if agency is not None:
                    read.agencies.append(agency)
    if not telling.reference:
        read.result = _result(doc, analysis)
    return read


_AGENTS = {"i": "I", "i've": "I", "i'd": "I", "we": "we", "we've": "we", "we'd": "we"}


def _agency(doc: Doc, item: Mapping[str, Any], strong: bool) -> _Agency | None:
    index, count = _int(item.get("word_index"), -1), max(1, _int(item.get("word_count"), 1))
    if not 0 <= index < len(doc):
        return None
    keys = [doc.key(i) for i in range(index, min(len(doc), index + count))]
    if keys[0] in _AGENTS:
        agent = _AGENTS[keys[0]]
        rest = keys[1:]
    elif len(keys) > 2 and keys[1] == "team":
        agent, rest = "the team", keys[2:]
    else:
        agent, rest = keys[0], keys[1:]
    verb = " ".join(content_terms(" ".join(rest))) or " ".join(rest)
    stop = index + count
    sentence = doc.sentence_of[index]
    objects = tuple(
        t
        for t in content_terms(
            " ".join(
                doc.words[i].text
                for i in range(stop, min(len(doc), stop + OBJECT_WORDS))
                if doc.sentence_of[i] == sentence
            )
        )
        if not t.startswith("#")
    )
    phrase = doc.text(Span(index, count))
    return _Agency(strong, agent, verb, phrase, objects, doc.quote(Span(index, count), 12))


def _result(doc: Doc, analysis: Mapping[str, Any]) -> _Result:
    structure = analysis.get("structure")
    if not isinstance(structure, Mapping):
        return _Result(0, "")
    phases = [p for p in _items(structure.get("phases")) if p.get("name") == "result"]
    if not phases:
        return _Result(0, "")
    spans = [(_int(p.get("word_index"), -1), _int(p.get("word_count"))) for p in phases]
    inside = [i for start, c in spans for i in range(start, start + c) if 0 <= i < len(doc)]
    if not inside:
        return _Result(0, "")
    if structure.get("result_has_metric") is True:
        for metric in _items(analysis.get("metrics")):
            index = _int(metric.get("word_index"), -1)
            if index in inside:
                count = max(1, _int(metric.get("word_count"), 1))
                return _Result(2, _sentence_quote(doc, index, count))
        return _Result(2, _sentence_quote(doc, inside[0], 1))
    return _Result(1, _sentence_quote(doc, inside[0], 1))


# -- comparing -------------------------------------------------------------------------


def _linked(a: _Mention, b: _Mention) -> tuple[int, int] | None:
    """How strongly two figures are about the same thing; None when they are not.

    Same dimension, and either a shared word right next to both ("refunds by 40 %" /
    "refunds by 30 %") or two shared words around them. A bare count needs two shared
    words: "three heaviest reports" and "180 reports" are different facts.
    """
    if not compatible(a.quantity.dimension, b.quantity.dimension):
        return None
    near = len(a.near & b.near)
    context = len(a.context & b.context)
    if context >= 2 or (near >= 1 and a.quantity.dimension != "count"):
        return near, context
    return None


def _has_value(read: _Read, q: Quantity) -> bool:
    return any(same_value(q, m.quantity) for m in read.mentions)


def _quote(read: _Read, text: str) -> Quote:
    t = read.telling
    return Quote(t.label, t.when, text, t.answer_id)


def _number_changes(later: _Read, earlier: Sequence[_Read]) -> list[Difference]:
    out: list[Difference] = []
    seen: set[tuple[str, float, float]] = set()
    for m in later.mentions:
        for read in earlier:  # nearest first
            if _has_value(read, m.quantity):
                break  # said the same way before: consistent
            candidates = [(_linked(m, x), x) for x in read.mentions]
            paired = [(score, x) for score, x in candidates if score is not None]
            if not paired:
                continue  # that telling did not speak of it: look further back
            # An earlier figure said here too is not what changed (the start of a range,
            # a before and after); if every related figure is, the tellings agree.
            changed = [(score, x) for score, x in paired if not _has_value(later, x.quantity)]
            if not changed:
                break
            _, x = max(changed, key=lambda p: p[0])
            key = (m.quantity.dimension, round(x.quantity.value, 6), round(m.quantity.value, 6))
            if key not in seen:
                seen.add(key)
                summary = f"{x.quantity.describe()} became {m.quantity.describe()}"
                out.append(
                    Difference("number", summary, _quote(read, x.quote), _quote(later, m.quote))
                )
            break
    return out


_SUPPORT_ROLES = frozenset(
    content_terms(
        "helped supported assisted contributed participated facilitated collaborated"
        " involved part member worked tried asked told"
    )
)
"""Verbs (stemmed) of a supporting role: "I helped", "I was involved", "I worked on"."""


def _same_action(a: _Agency, b: _Agency) -> bool:
    """Two agency phrases about the same action, told by the same or another agent.

    The same verb with a shared object: "I decided to delay the launch" / "we decided to
    delay the launch". Different verbs only for the speaker's own role, leading against
    supporting, with the same object: "I led the migration" / "I supported the migration".
    """
    shared = len(set(a.objects) & set(b.objects))
    if a.verb == b.verb:
        return shared >= 1 or (not a.objects and not b.objects)
    if a.agent != "I" or b.agent != "I":
        return False
    roles = {_support(a), _support(b)}
    if roles != {True, False}:
        return False
    return shared >= 2 or (shared >= 1 and min(len(a.objects), len(b.objects)) <= 3)


def _support(agency: _Agency) -> bool:
    return any(word in _SUPPORT_ROLES for word in agency.verb.split())


def _ownership_changes(later: _Read, earlier: Sequence[_Read]) -> list[Difference]:
    out: list[Difference] = []
    seen: set[tuple[str, str]] = set()
    for a in later.agencies:
        for read in earlier:
            related = [b for b in read.agencies if _same_action(a, b)]
            if not related:
                continue
            if any(b.strong == a.strong for b in related):
                break  # owned (or shared) the same way before
            b = related[0]
            # Not a change when this telling also says it the earlier way.
            if any(c.strong == b.strong and _same_action(c, b) for c in later.agencies):
                break
            key = (b.phrase.lower(), a.phrase.lower())
            if key not in seen:
                seen.add(key)
                summary = f"'{b.phrase}' became '{a.phrase}'"
                out.append(
                    Difference("ownership", summary, _quote(read, b.quote), _quote(later, a.quote))
                )
            break
    return out


_RESULT_WORDS = {2: "a result with a number", 1: "a result without a number", 0: "no result"}


def _result_change(later: _Read, earlier: Sequence[_Read]) -> list[Difference]:
    if later.result is None:
        return []
    previous = next((r for r in earlier if r.result is not None), None)
    if previous is None or previous.result is None or previous.result.level == later.result.level:
        return []
    before, after = previous.result, later.result
    if after.level == 2 and before.level < 2:
        summary = "the result has a number now, not before"
        if before.level == 0:
            summary = "a result with a number now; none stated before"
    elif after.level == 1:
        summary = "the result lost its number"
    else:
        summary = "no result this time"
    return [
        Difference(
            "result",
            summary,
            _quote(previous, before.quote or f"({_RESULT_WORDS[before.level]})"),
            _quote(later, after.quote or f"({_RESULT_WORDS[after.level]})"),
        )
    ]


def check_telling(new: Telling, earlier: Sequence[Telling]) -> list[Difference]:
    """How ``new`` disagrees with the story's ``earlier`` tellings (oldest first).

    What the practice round shows after an answer linked to a story.
    """
    later = read_telling(new)
    previous = [read_telling(t) for t in reversed(earlier)]  # nearest first
    return _compare(later, previous)


def _compare(later: _Read, previous: Sequence[_Read]) -> list[Difference]:
    return [
        *_number_changes(later, previous),
        *_ownership_changes(later, previous),
        *_result_change(later, previous),
    ]


def check_story(tellings: Sequence[Telling]) -> list[Difference]:
    """Every change between a story's tellings, in the order they happened.

    ``tellings`` in chronological order; a ``reference`` telling (the summary) is
    compared as if told first.
    """
    ordered = sorted(tellings, key=lambda t: (not t.reference,))
    reads = [read_telling(t) for t in ordered]
    out: list[Difference] = []
    for k in range(1, len(reads)):
        out += _compare(reads[k], list(reversed(reads[:k])))
    return out


def summary_telling(text: str, when: datetime | None = None) -> Telling:
    """The story's summary as a reference telling (analysed as typed text)."""
    from voicemock.analysis import analyze

    doc: Mapping[str, Any] = analyze(Transcript.from_text(text)).to_dict() if text.strip() else {}
    return Telling("the summary", when, doc, None, reference=True)


def differences_by_kind(diffs: Iterable[Difference]) -> dict[DifferenceKind, int]:
    counts: dict[DifferenceKind, int] = {"number": 0, "ownership": 0, "result": 0}
    for d in diffs:
        counts[d.kind] += 1
    return counts


__all__ = [
    "Difference",
    "DifferenceKind",
    "Quote",
    "Telling",
    "check_story",
    "check_telling",
    "differences_by_kind",
    "read_telling",
    "summary_telling",
]
