"""Filler words: hesitations (um, uh, er, ah, hmm) and discourse fillers (like, you know, ...).

Hesitations are fillers wherever they occur. Discourse fillers are ordinary words that are
fillers only in some positions, so each has a context rule: "it was, like, huge" and
"there were like 20 people" are fillers, "customers like fast delivery", "I'd like to" and
"things like pricing" are not. The rules lean towards precision: a word counted as a filler
should be one a listener would agree is filler.

Voice the recogniser heard but could not write down (``transcript.speech`` not covered by
any word) is reported separately by :func:`find_hesitations`.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from voicemock.analysis.document import FillerDoc, FillerSummaryDoc, HesitationDoc
from voicemock.analysis.document import FillerKind as FillerKind
from voicemock.analysis.text import (
    Doc,
    DocSource,
    is_cardinal_word,
    is_number,
    location,
    per_minute,
)
from voicemock.transcript import Span as TimeSpan
from voicemock.transcript import Transcript

HESITATION_MIN_S = 0.5
"""Voice without a word for at least this long is an unlabelled hesitation. Shorter
stretches are mostly word alignment ending a word early at a comma or a full stop: at
0.3 s, fluent read speech (4:40, no hesitation in it) showed 4–6 of them and the AMI
meetings 8 true in 32; at 0.5 s, 0–1 and 1 in 14 (``scripts/bench_longform.py``)."""


@dataclass(frozen=True, slots=True)
class Filler:
    text: str
    """Canonical form: ``"um"`` for Um/Umm/uhm, ``"like"``, ``"you know"``, ``"so"``..."""
    kind: FillerKind
    word_index: int
    word_count: int
    start: float | None

    def to_dict(self) -> FillerDoc:
        return {"text": self.text, "kind": self.kind, **location(self)}


@dataclass(frozen=True, slots=True)
class FillerSummary:
    count: int
    hesitation: int
    discourse: int
    per_minute: float | None
    by_text: dict[str, int]
    """Counts by canonical text, most frequent first."""

    def to_dict(self) -> FillerSummaryDoc:
        return {
            "count": self.count,
            "hesitation": self.hesitation,
            "discourse": self.discourse,
            "per_minute": self.per_minute,
            "by_text": dict(self.by_text),
        }


# -- word classes used by the context rules --------------------------------------------------

_SUBJECTS = frozenset({"i", "you", "we", "they", "he", "she", "people", "customers", "users"})
_LIKE_AS_VERB_BEFORE = frozenset(
    {
        "i", "you", "we", "they", "would", "i'd", "you'd", "we'd", "they'd", "he'd", "she'd",
        "do", "does", "did", "don't", "doesn't", "didn't", "to", "really", "also", "not",
        "who", "might", "will", "wouldn't", "i'll", "we'll", "you'll", "they'll", "'d",
    }
)  # fmt: skip
_LIKE_AS_PREPOSITION_BEFORE = frozenset(
    {
        "look", "looks", "looked", "looking", "feel", "feels", "felt", "feeling", "sound",
        "sounds", "sounded", "seem", "seems", "seemed", "act", "acted", "just", "something",
        "anything", "nothing", "everything", "things", "thing", "stuff", "more", "much",
        "exactly", "lot", "what", "nobody", "someone", "somebody", "anyone", "treat",
        "treated", "behave", "behaved", "unlike", "dressed", "works", "worked", "smell",
        "taste", "tastes", "be",
    }
)  # fmt: skip
_BE_FORMS = frozenset(
    {"was", "were", "is", "am", "are", "i'm", "he's", "she's", "they're", "we're", "you're"}
)
_NON_PERSON_SUBJECTS = frozenset({"it", "that", "this", "there", "which", "what", "everything"})
_QUOTED_OPENERS = frozenset(
    {
        "no", "yes", "yeah", "oh", "wow", "what", "why", "okay", "ok", "hey", "whoa", "huh",
        "come", "hold", "wait", "seriously", "nope", "sure", "great", "cool", "i", "we",
        "you", "this", "that's", "let's", "look", "listen", "hmm", "ugh",
    }
)  # fmt: skip
_INTENSIFIERS = frozenset(
    {"really", "so", "super", "very", "totally", "completely", "insanely", "crazy", "pretty"}
)
_APPROXIMATE_QUANTITY = frozenset({"a", "an", "maybe", "half", "almost", "over", "around"})
_QUANTITY_AFTER_A = frozenset(
    {
        "hundred",
        "thousand",
        "million",
        "billion",
        "dozen",
        "couple",
        "few",
        "third",
        "quarter",
        "year",
        "month",
        "week",
        "day",
        "minute",
        "hour",
        "second",
        "bunch",
        "ton",
        "lot",
    }
)

_YOU_KNOW_NOT_AFTER = frozenset(
    {
        "do", "did", "does", "don't", "didn't", "doesn't", "if", "would", "will", "as",
        "what", "how", "whether", "when", "where", "who", "why", "that", "because", "can",
        "could", "might", "should", "let", "make", "making", "have", "to", "so",
    }
)  # fmt: skip
_YOU_KNOW_NOT_BEFORE = frozenset(
    {"how", "what", "where", "why", "when", "whether", "if", "who", "which", "about", "that"}
)
_I_MEAN_NOT_AFTER = frozenset(
    {"it", "to", "that", "this", "what", "by", "business", "well", "no", "anything", "any"}
)
_I_MEAN_NOT_BEFORE = frozenset(
    {"what", "what's", "if", "do", "did", "don't", "didn't", "which", "that", "as"}
)
_ACTUALLY_NOT_BEFORE = frozenset({"what", "who", "how", "which", "whether", "if", "whatever"})
_SO_NOT_AFTER = frozenset({"far", "much", "many", "few", "little", "long", "called", "to"})
_WELL_NOT_AFTER = frozenset(
    {
        "over", "above", "below", "under", "before", "after", "into", "beyond", "past",
        "within", "ahead", "behind", "enough", "done", "known", "received", "worth",
    }
)  # fmt: skip
_RIGHT_QUESTION_BEFORE = frozenset(
    {"that", "that's", "is", "it", "it's", "am", "i", "all", "alright", "right", "are", "you"}
)
_QUOTE_MARKS = ('"', "\u201c", "'", "\u2018")
_PERSON_PRONOUNS = frozenset({"we", "i", "they", "you", "he", "she", "it", "there"})
_QUESTION_OPENERS = frozenset(
    {"was", "were", "is", "are", "did", "do", "does", "had", "have", "has", "could", "would",
     "should", "can", "will", "what", "why", "how", "who", "which", "where", "when"}
)  # fmt: skip


def _is_quantity_start(doc: Doc, i: int) -> bool:
    """Word ``i`` starts a quantity: "20", "twenty", "a hundred", "a couple", "half"."""
    key = doc.key(i)
    if not key:
        return False
    if is_number(key) and key != "one":
        return True
    if key in ("one",) or key in _APPROXIMATE_QUANTITY:
        nxt = doc.key(i + 1)
        return (
            key == "half"
            or nxt in _QUANTITY_AFTER_A
            or is_cardinal_word(nxt)
            or (key in ("maybe", "almost", "over", "around") and is_number(nxt))
        )
    return False


# -- the context rules -------------------------------------------------------------------


def _like_is_filler(doc: Doc, i: int) -> bool:
    prev = doc.prev_word(i)
    before = doc.key(prev) if prev is not None else ""
    nxt_i = doc.next_word(i)
    quoted_next = nxt_i is not None and doc.words[nxt_i].text.lstrip()[:1] in _QUOTE_MARKS
    if quoted_next and before not in _BE_FORMS:
        return False  # "checkpoints like 'ten minutes until shoes'": an example
    if (
        prev is not None
        and doc.clause_mark_after(prev)
        and doc.set_off_after(i)
        and not doc.sentence_final(i)
    ):
        return True  # "learned to, like, move fast", "can be, like, completely different"
    if before in _LIKE_AS_VERB_BEFORE or before in _LIKE_AS_PREPOSITION_BEFORE:
        return False
    if before.endswith("'d"):  # I'd like, we'd like
        return False
    nxt_i = doc.next_word(i)
    nxt = doc.key(nxt_i) if nxt_i is not None else ""
    if nxt == "to" and not doc.set_off_after(
        i
    ):  # "we'd like to" already excluded; "like to" is a verb
        return False
    # "like, ..." / "like, um, ..." set off after it: "it was, like, huge", "Like, we had no data"
    if doc.set_off_after(i) and not doc.sentence_final(i):
        return True
    # "like like": the first one is a filler
    if nxt == "like" and nxt_i == i + 1:
        return True
    # approximating a quantity: "there were like 20 people", "like a hundred tickets"
    if nxt_i is not None and _is_quantity_start(doc, nxt_i):
        return True
    # set off before it and followed by an intensifier/quantity: "it was, like really slow"
    if doc.set_off_before(i) and not doc.opens_sentence(i) and nxt in _INTENSIFIERS:
        return True
    # quotative: "and he was like, no" / "she was like what"
    if before in _BE_FORMS and prev is not None:
        subject_i = doc.prev_word(prev)
        subject = doc.key(subject_i) if subject_i is not None else ""
        person = subject not in _NON_PERSON_SUBJECTS and before not in ("it's", "that's")
        if nxt in ("no", "yes", "yeah", "oh", "wow", "okay", "ok", "whoa", "huh", "hey"):
            return True
        if person and (nxt in _QUOTED_OPENERS or nxt in _INTENSIFIERS):
            return True
        if nxt_i is not None and doc.words[nxt_i].text.lstrip()[:1] in ('"', "\u201c", "'"):
            return True
    return False


def _you_know_is_filler(doc: Doc, i: int) -> bool:
    """``i`` is "you" and ``i + 1`` is "know"."""
    prev = doc.prev_word(i)
    before = doc.key(prev) if prev is not None else ""
    after_i = doc.next_word(i + 1)
    after = doc.key(after_i) if after_i is not None else ""
    marked_after = doc.set_off_after(i + 1)
    if before in _YOU_KNOW_NOT_AFTER and not (marked_after and doc.set_off_before(i)):
        return False
    if doc.question_after(i + 1) or doc.sentence_final(i + 1):
        # "..., you know?" is a tag; "do you know?" was excluded above
        return True
    if marked_after:
        return True
    if after in _YOU_KNOW_NOT_BEFORE or after in ("the", "a", "an", "him", "her", "them", "it"):
        return False  # "you know how it works", "you know the metric"
    # unpunctuated, mid-sentence: a filler when it interrupts ("it was you know a mess")
    return doc.set_off_before(i)


def _i_mean_is_filler(doc: Doc, i: int) -> bool:
    """``i`` is "I" and ``i + 1`` is "mean"."""
    prev = doc.prev_word(i)
    before = doc.key(prev) if prev is not None else ""
    if before in _I_MEAN_NOT_BEFORE:
        return False  # "what I mean is"
    if doc.set_off_after(i + 1):
        return not doc.sentence_final(i + 1) or doc.set_off_before(i)  # "I mean, ..."
    after_i = doc.next_word(i + 1)
    after = doc.key(after_i) if after_i is not None else ""
    if doc.set_off_before(i) and not doc.opens_sentence(i) and after not in ("it", "by", "well"):
        return True  # a repair: "to them, I mean to their customers"
    if after in _I_MEAN_NOT_AFTER:
        return False  # "I mean it", "I mean to", "I mean that ..."
    return doc.set_off_before(i)


def _actually_is_filler(doc: Doc, i: int) -> bool:
    prev = doc.prev_word(i)
    before = doc.key(prev) if prev is not None else ""
    if before in _ACTUALLY_NOT_BEFORE:
        return False  # "what actually happened"
    if doc.set_off_after(i) and not doc.sentence_final(i):
        return True  # "Actually, ...", "it was actually, um, ..."
    if doc.set_off_before(i):
        return True  # opening a sentence or clause: "Actually we ..."
    # "So actually we ...", "and actually the ..."
    return prev is not None and before in ("and", "but", "so") and doc.set_off_before(prev)


_OPENERS = frozenset({"right", "okay", "ok", "well", "yeah", "alright", "anyway", "now"})


_SO_FRAMES = (
    ("this",), ("that",), ("that's",), ("the", "thing"), ("what",), ("basically",),
    ("anyway",), ("overall",), ("my", "answer"), ("to", "answer"), ("in", "summary"),
    ("long", "story"), ("yeah",), ("there", "was"), ("there", "were"), ("one",), ("at",),
    ("back", "in"), ("last",), ("i", "think"), ("i", "guess"), ("honestly",), ("um",),
    ("uh",), ("all", "in"), ("in", "short"), ("here's",), ("let", "me"), ("let's",),
    ("when", "i"), ("this", "one"), ("yes",), ("okay",), ("ok",), ("right",), ("well",),
    ("i", "was", "at"), ("i'm",), ("in", "my"), ("a", "few"), ("a", "couple"), ("like",),
    ("actually",), ("i", "mean"),
)  # fmt: skip
"""What a "So" opening a sentence is followed by when it frames rather than concludes:
"So this was at Medibook", "So the thing is", "So, that's the story", "So my answer is"."""
_INTERJECTIONS = frozenset(
    {"sure", "yeah", "yes", "okay", "ok", "great", "right", "absolutely", "definitely", "so",
     "well", "hmm", "um", "uh", "alright", "thanks", "certainly", "of", "course", "question",
     "good", "a", "that's", "sounds"}
)  # fmt: skip


def _opens_answer(doc: Doc, i: int) -> bool:
    """Word ``i`` is in the answer's first sentence, not counting a lone "Sure." before it."""
    s = doc.sentence_of[i]
    for k in range(s):
        span = doc.sentences[k]
        if any(
            doc.keys[j] not in _INTERJECTIONS and doc.hesitation[j] is None
            for j in range(span.index, span.stop)
        ):
            return False
    return True


def _so_is_filler(doc: Doc, i: int) -> bool:
    """ "So" as a discourse marker: opening the answer, restarting, piled onto another filler
    or set off by a comma, wrapping up ("So, that's how I'd approach it"). Not "so" meaning
    *therefore* ("She was worried about fraud. So I proposed a two-market launch"), nor
    purpose ("so that"), degree ("so slow") or "So far"."""
    nxt_i = doc.next_word(i)
    nxt = doc.key(nxt_i) if nxt_i is not None else ""
    prev = doc.prev_word(i)
    before = doc.key(prev) if prev is not None else ""
    after_opener = (
        prev is not None
        and doc.opens_sentence(prev)
        and doc.keys[prev] in _OPENERS
        and doc.set_off_before(i)
    )
    if nxt in _SO_NOT_AFTER and not doc.set_off_after(i):
        return False  # "So far …", "so many", "so that"
    if nxt == "that" and nxt_i is not None and doc.key(nxt_i + 1) in _PERSON_PRONOUNS:
        return False  # "so that we could …": purpose
    if i > 0 and doc.same_sentence(i - 1, i) and doc.hesitation[i - 1] is not None:
        return nxt_i is not None  # piled onto a hesitation: "So, um, so this was …"
    if doc.opens_sentence(i) or after_opener:  # "So …", "Right, so …"
        if nxt_i is None:
            return False
        if doc.set_off_after(i) or after_opener:
            return True  # "So, …"
        if i > 0 and doc.hesitation[i - 1] is not None and doc.same_sentence(i - 1, i):
            return True  # "Um, so what I did …"
        if _opens_answer(doc, i):
            return True  # "So at Tutorloop we had …"
        rest = tuple(doc.keys[nxt_i : nxt_i + 3])
        return any(rest[: len(frame)] == frame for frame in _SO_FRAMES)
    # "um, so, we …", "And, so, the fax volume …", "And so, basically, …"
    return (
        doc.set_off_after(i)
        and not doc.sentence_final(i)
        and (doc.set_off_before(i) or before in ("and", "but"))
    )


def _well_is_filler(doc: Doc, i: int) -> bool:
    nxt_i = doc.next_word(i)
    nxt = doc.key(nxt_i) if nxt_i is not None else ""
    if nxt_i is None or nxt in _WELL_NOT_AFTER:
        return False
    if doc.opens_sentence(i):
        return True
    # "Okay, well I think ..." / "and, well, it failed"
    return doc.set_off_before(i) and (doc.set_off_after(i) or nxt in _PERSON_PRONOUNS)


def _right_is_tag(doc: Doc, i: int) -> bool:
    """A tag ("we had no data, right?") or an opener ("Right, so the plan was ...")."""
    if doc.opens_sentence(i) and doc.clause_mark_after(i) and doc.next_word(i) is not None:
        return True
    if not doc.question_after(i):
        return False
    prev = doc.prev_word(i)
    if prev is None:
        return False  # "Right?" on its own is a question, not a tag
    first = doc.sentences[doc.sentence_of[i]].index
    if doc.keys[first] in _QUESTION_OPENERS and not doc.clause_mark_after(prev):
        return False  # "Was the data right?": a question about being right
    return doc.clause_mark_after(prev) or doc.key(prev) not in _RIGHT_QUESTION_BEFORE


def find_fillers(source: DocSource) -> list[Filler]:
    """Every filler in speaking order, each covering the words it spans."""
    doc = Doc.of(source)
    out: list[Filler] = []
    i = 0
    n = len(doc)
    while i < n:
        key = doc.keys[i]
        nxt = doc.key(i + 1) if doc.same_sentence(i, i + 1) else ""
        found: tuple[str, FillerKind, int] | None = None
        hesitation = doc.hesitation[i]
        if hesitation is not None:
            found = (hesitation, "hesitation", 1)
        elif key == "like":
            if _like_is_filler(doc, i):
                found = ("like", "discourse", 1)
        elif key == "you" and nxt == "know":
            if _you_know_is_filler(doc, i):
                found = ("you know", "discourse", 2)
        elif key in ("y'know", "ya'know"):
            found = ("you know", "discourse", 1)
        elif key == "i" and nxt == "mean":
            if _i_mean_is_filler(doc, i):
                found = ("i mean", "discourse", 2)
        elif key in ("basically", "literally"):
            found = (key, "discourse", 1)
        elif key == "actually":
            if _actually_is_filler(doc, i):
                found = ("actually", "discourse", 1)
        elif key in ("okay", "ok") and nxt == "so" and doc.set_off_before(i):
            found = ("okay so", "discourse", 2)
        elif key == "so":
            if _so_is_filler(doc, i):
                found = ("so", "discourse", 1)
        elif key == "well":
            if _well_is_filler(doc, i):
                found = ("well", "discourse", 1)
        elif key == "right" and _right_is_tag(doc, i):
            found = ("right", "discourse", 1)
        if found is None:
            i += 1
            continue
        text, kind, count = found
        out.append(Filler(text, kind, i, count, doc.start(i)))
        i += count
    return out


def summarize_fillers(fillers: Sequence[Filler], duration: float | None) -> FillerSummary:
    """Totals, the rate per minute of the answer (None when untimed) and counts by text."""
    counts = Counter(f.text for f in fillers)
    by_text = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    hesitation = sum(1 for f in fillers if f.kind == "hesitation")
    return FillerSummary(
        count=len(fillers),
        hesitation=hesitation,
        discourse=len(fillers) - hesitation,
        per_minute=per_minute(len(fillers), duration),
        by_text=by_text,
    )


@dataclass(frozen=True, slots=True)
class Hesitation:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> HesitationDoc:
        return {"start": round(self.start, 2), "end": round(self.end, 2)}


def find_hesitations(
    transcript: Transcript, min_s: float = HESITATION_MIN_S, *, doc: Doc | None = None
) -> list[Hesitation] | None:
    """Stretches where the VAD heard voice but no recognised word covers it for ``min_s``+.

    None when the transcript has no speech map (typed, or timed without one). ``doc``, the
    transcript's words already prepared, saves preparing them again.
    """
    if not transcript.speech:
        return None
    covered: list[tuple[float, float]] = []
    doc = doc if doc is not None else Doc.of(transcript)
    for i in range(len(doc)):
        lo, hi = doc.starts[i], doc.ends[i]
        if lo is not None and hi is not None and hi > lo:
            covered.append((lo, hi))
    covered.sort()
    merged: list[tuple[float, float]] = []
    for lo, hi in covered:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    ends = [hi for _, hi in merged]
    out: list[Hesitation] = []
    for region in sorted(transcript.speech, key=lambda s: s.start):
        first = bisect.bisect_right(ends, region.start)
        out.extend(_uncovered(region, merged, first, min_s))
    return out


def _uncovered(
    region: TimeSpan, covered: Sequence[tuple[float, float]], first: int, min_s: float
) -> list[Hesitation]:
    """Parts of ``region`` at least ``min_s`` long outside the sorted, disjoint ``covered``."""
    gaps: list[Hesitation] = []
    cursor = region.start
    for k in range(first, len(covered)):
        lo, hi = covered[k]
        if lo >= region.end:
            break
        if lo - cursor >= min_s:
            gaps.append(Hesitation(cursor, lo))
        cursor = max(cursor, hi)
        if cursor >= region.end:
            return gaps
    if region.end - cursor >= min_s:
        gaps.append(Hesitation(cursor, region.end))
    return gaps


__all__ = [
    "HESITATION_MIN_S",
    "Filler",
    "FillerKind",
    "FillerSummary",
    "Hesitation",
    "find_fillers",
    "find_hesitations",
    "summarize_fillers",
]
