"""Shared text helpers: normalised words, sentences and phrase matching over word sequences.

Every finding module works on a :class:`Doc`, built once from the transcript's words: the
normalised key of each word (``"Um,"`` -> ``"um"``, ``"$3.4M,"`` -> ``"$3.4m"``), its
punctuation, its times and the sentence it belongs to. Phrases are matched over keys with a
tiny pattern language (see :func:`compile_phrase`) and come back as
``(word_index, word_count)`` spans, which is what the report and the renderer use.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, Union

from voicemock.analysis.document import Location
from voicemock.transcript import Transcript, Word

# -- normalising one word ------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_LEADING = re.compile(r"^[^\w$€£]+")
_TRAILING = re.compile(r"[^\w%]+$")


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lower-case, strip surrounding punctuation; keep inner apostrophes, ``%``, ``$``, ``.``.

    >>> [normalize(t) for t in ["Um,", "22%", "$1.2", "one-page", "Don\u2019t", "Obsession."]]
    ['um', '22%', '$1.2', 'one-page', "don't", 'obsession']
    """
    folded = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    return _TRAILING.sub("", _LEADING.sub("", folded))


def trailing_punctuation(text: str) -> str:
    """What follows the last letter/digit/``%`` of a word: ``"know,"`` -> ``","``."""
    m = _TRAILING.search(text.strip())
    return m.group(0) if m else ""


# -- hesitation fillers (um, uh, ...) are needed by several modules --------------------------

_HESITATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:u+h*m+|a+h+m+)$"), "um"),  # um, umm, ummm, uhm, ahm
    (re.compile(r"^u+h+$"), "uh"),  # uh, uhh
    (re.compile(r"^e+r+$"), "er"),  # er, err
    (re.compile(r"^e+r+m+$"), "erm"),
    (re.compile(r"^a+h+$"), "ah"),  # ah, ahh
    (re.compile(r"^h+m+$"), "hmm"),  # hm, hmm
    (re.compile(r"^m{2,}$"), "mm"),  # mm, mmm
)


@lru_cache(maxsize=8192)
def hesitation_form(key: str) -> str | None:
    """The canonical spelling of a hesitation filler (``"ummm"`` -> ``"um"``), else None."""
    if not key or len(key) > 12 or not key.isalpha():
        return None
    for pattern, canonical in _HESITATIONS:
        if pattern.match(key):
            return canonical
    return None


# -- numbers in words ------------------------------------------------------------------------

UNITS_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS_WORDS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALE_WORDS: dict[str, int] = {
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_DIGITS = re.compile(r"^[$€£]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%|x|k|m|mm|b|bn)?$")


def is_cardinal_word(key: str) -> bool:
    """``"six"``, ``"twenty-two"``, ``"hundred"``: a cardinal number written as a word."""
    if key in UNITS_WORDS or key in TENS_WORDS or key in SCALE_WORDS:
        return True
    parts = key.split("-")
    return (
        len(parts) == 2
        and parts[0] in TENS_WORDS
        and parts[1] in UNITS_WORDS
        and 0 < UNITS_WORDS[parts[1]] < 10
    )


def is_digit_number(key: str) -> bool:
    """``"22"``, ``"22%"``, ``"$1.2"``, ``"$3.4m"``, ``"2,000"``, ``"3x"`` (not ``"2nd"``)."""
    return bool(_DIGITS.match(key))


def is_number(key: str) -> bool:
    return is_digit_number(key) or is_cardinal_word(key)


# -- the document ----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?:[.?!]|\u2026)[\"'\u201d\u2019)\]]*$")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "vs", "e.g", "i.e", "u.s", "u.k", "st", "jr", "sr", "approx"}
)
_CLAUSE_MARK = re.compile(r"[,;:\u2014\u2013]|--|(?<=\w)-$")

SENTENCE_PAUSE_S = 1.0
"""A silence this long between two words ends a sentence in a timed transcript."""


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    if type(value) is float:
        return value if math.isfinite(value) else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of words: ``index`` of the first, ``count`` of them."""

    index: int
    count: int

    @property
    def stop(self) -> int:
        return self.index + self.count


DocSource = Union["Doc", Transcript, Sequence[Word]]


class Doc:
    """Words with their normalised keys, punctuation, times and sentences. Build once, share."""

    __slots__ = (
        "_first_in_sentence",
        "ends",
        "hesitation",
        "keys",
        "n",
        "sentence_of",
        "sentences",
        "starts",
        "trail",
        "words",
    )

    def __init__(self, words: Iterable[Word]) -> None:
        self.words: tuple[Word, ...] = tuple(words)
        self.n = len(self.words)
        texts = [w.text if isinstance(w.text, str) else str(w.text) for w in self.words]
        self.keys: tuple[str, ...] = tuple(normalize(t) for t in texts)
        trail = [trailing_punctuation(t) for t in texts]
        for i in range(self.n - 1):  # a bare "—" or "," token marks the word before it
            if not self.keys[i + 1] and texts[i + 1].strip():
                trail[i] += texts[i + 1].strip()
        self.trail: tuple[str, ...] = tuple(trail)
        self.starts: tuple[float | None, ...] = tuple(_finite(w.start) for w in self.words)
        self.ends: tuple[float | None, ...] = tuple(_finite(w.end) for w in self.words)
        self.hesitation: tuple[str | None, ...] = tuple(hesitation_form(k) for k in self.keys)
        sentence_of: list[int] = []
        sentences: list[Span] = []
        first = 0
        for i in range(len(self.words)):
            sentence_of.append(len(sentences))
            if self._ends_sentence(i):
                sentences.append(Span(first, i + 1 - first))
                first = i + 1
        if first < len(self.words):
            sentences.append(Span(first, len(self.words) - first))
        self.sentence_of: tuple[int, ...] = tuple(sentence_of)
        self.sentences: tuple[Span, ...] = tuple(sentences)
        firsts: list[int] = []
        for s in sentences:  # the first word of each sentence that is not um/uh
            j = s.index
            while j < s.stop - 1 and self.hesitation[j] is not None:
                j += 1
            firsts.append(j)
        self._first_in_sentence = tuple(firsts)

    @classmethod
    def of(cls, source: DocSource) -> Doc:
        """``source`` itself when it already is a Doc, else a Doc of its words."""
        if isinstance(source, Doc):
            return source
        if isinstance(source, Transcript):
            return cls(source.words)
        return cls(source)

    def __len__(self) -> int:
        return self.n

    def _ends_sentence(self, i: int) -> bool:
        if i + 1 >= len(self.words):
            return True
        text = self.words[i].text.strip()
        if _SENTENCE_END.search(text) and self.keys[i] not in _ABBREVIATIONS:
            return True
        end, nxt = self.ends[i], self.starts[i + 1]
        return end is not None and nxt is not None and nxt - end >= SENTENCE_PAUSE_S

    # -- positions -----------------------------------------------------------------------
    def key(self, i: int) -> str:
        """The key of word ``i``, or ``""`` outside the document."""
        return self.keys[i] if 0 <= i < len(self.keys) else ""

    def same_sentence(self, i: int, j: int) -> bool:
        n = self.n
        return 0 <= i < n and 0 <= j < n and self.sentence_of[i] == self.sentence_of[j]

    def opens_sentence(self, i: int) -> bool:
        """Word ``i`` is the first of its sentence, not counting um/uh before it."""
        return 0 <= i < len(self.words) and self._first_in_sentence[self.sentence_of[i]] == i

    def sentence_final(self, i: int) -> bool:
        return 0 <= i < len(self.words) and self.sentences[self.sentence_of[i]].stop == i + 1

    def clause_mark_after(self, i: int) -> bool:
        """A comma, dash, colon or semicolon right after word ``i``."""
        return 0 <= i < len(self.words) and bool(_CLAUSE_MARK.search(self.trail[i]))

    def break_after(self, i: int) -> bool:
        """Word ``i`` ends a sentence or a clause."""
        return self.sentence_final(i) or self.clause_mark_after(i)

    def question_after(self, i: int) -> bool:
        return 0 <= i < len(self.words) and "?" in self.trail[i]

    def prev_word(self, i: int) -> int | None:
        """Index of the nearest word before ``i`` in its sentence that is not um/uh."""
        j = i - 1
        while j >= 0 and self.same_sentence(i, j):
            if self.hesitation[j] is None:
                return j
            j -= 1
        return None

    def next_word(self, i: int) -> int | None:
        """Index of the nearest word after ``i`` in its sentence that is not um/uh."""
        j = i + 1
        while j < len(self.words) and self.same_sentence(i, j):
            if self.hesitation[j] is None:
                return j
            j += 1
        return None

    def set_off_before(self, i: int) -> bool:
        """Word ``i`` opens its sentence, or a comma or an um/uh comes right before it."""
        if self.opens_sentence(i):
            return True
        j = i - 1
        if not self.same_sentence(i, j):
            return True
        return self.hesitation[j] is not None or self.clause_mark_after(j)

    def set_off_after(self, i: int) -> bool:
        """Word ``i`` ends its sentence, or a comma or an um/uh comes right after it."""
        if self.break_after(i):
            return True
        j = i + 1
        return j < len(self.words) and self.hesitation[j] is not None

    # -- times and text -----------------------------------------------------------------
    def start(self, i: int) -> float | None:
        return self.starts[i] if 0 <= i < len(self.starts) else None

    def end(self, i: int) -> float | None:
        return self.ends[i] if 0 <= i < len(self.ends) else None

    def span_start(self, span: Span) -> float | None:
        """The first known start time among the span's words."""
        for i in range(span.index, min(span.stop, len(self.words))):
            if self.starts[i] is not None:
                return self.starts[i]
        return None

    def span_end(self, span: Span) -> float | None:
        for i in range(min(span.stop, len(self.words)) - 1, span.index - 1, -1):
            if self.ends[i] is not None:
                return self.ends[i]
        return None

    def text(self, span: Span) -> str:
        """The words of ``span`` as spoken, without the punctuation around the whole."""
        raw = " ".join(w.text.strip() for w in self.words[span.index : span.stop])
        return _TRAILING.sub("", _LEADING_QUOTE.sub("", raw)) or raw.strip()

    def quote(self, span: Span, max_words: int = 8) -> str:
        """``span`` and the words after it up to the end of its clause, at most ``max_words``."""
        stop = span.stop
        while (
            stop < len(self.words)
            and stop - span.index < max_words
            and not self.break_after(stop - 1)
            and self.same_sentence(span.index, stop)
        ):
            stop += 1
        while stop > span.stop and self.keys[stop - 1] in _DANGLING:
            stop -= 1  # "we decided to delay the launch by a" -> "... the launch"
        return self.text(Span(span.index, max(stop - span.index, span.count)))


_DANGLING = frozenset(
    {"a", "an", "the", "to", "of", "by", "and", "or", "but", "in", "on", "at", "for", "with",
     "from", "that", "which", "so", "my", "our", "their", "its", "your", "we", "i", "it"}
)  # fmt: skip
_LEADING_QUOTE = re.compile(r"^[\"'\u201c\u2018(\[\u2014\u2013-]+")


# -- phrase patterns -------------------------------------------------------------------------

Predicate = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class _Slot:
    words: frozenset[str] | None
    test: Predicate | None
    optional: bool

    def accepts(self, key: str) -> bool:
        if self.words is not None:
            return key in self.words
        assert self.test is not None
        return self.test(key)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A compiled phrase pattern and the label its matches carry."""

    spec: str
    label: str
    slots: tuple[_Slot, ...]


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    index: int
    count: int
    label: str

    @property
    def span(self) -> Span:
        return Span(self.index, self.count)


def compile_phrase(
    spec: str, label: str | None = None, classes: Mapping[str, Predicate] | None = None
) -> Phrase:
    """Compile ``spec``: words separated by spaces, where each slot is

    - a word (``decided``), matched against the normalised key;
    - alternatives (``the|my|our``);
    - a class ``<name>`` looked up in ``classes`` (a predicate on the key);

    and a trailing ``?`` makes a slot optional: ``"i <adv>? decided"``.
    """
    slots: list[_Slot] = []
    for raw in spec.split():
        optional = raw.endswith("?") and len(raw) > 1
        token = raw[:-1] if optional else raw
        if token.startswith("<") and token.endswith(">"):
            name = token[1:-1]
            if classes is None or name not in classes:
                raise ValueError(f"phrase {spec!r}: unknown class <{name}>")
            slots.append(_Slot(None, classes[name], optional))
        else:
            slots.append(_Slot(frozenset(token.split("|")), None, optional))
    if not slots or all(s.optional for s in slots):
        raise ValueError(f"phrase {spec!r} must have a required word")
    return Phrase(spec, label if label is not None else spec, tuple(slots))


class PhraseSet:
    """Many phrases, matched leftmost-longest without overlaps.

    ``phrases`` is an iterable of specs or ``(spec, label)`` pairs. Um/uh between the words
    of a phrase are skipped ("I, um, decided" matches ``"i decided"``) and a phrase never
    crosses a sentence boundary.
    """

    def __init__(
        self,
        phrases: Iterable[str | tuple[str, str]],
        classes: Mapping[str, Predicate] | None = None,
    ) -> None:
        self.phrases: list[Phrase] = []
        self._by_first: dict[str, list[Phrase]] = {}
        self._anywhere: list[Phrase] = []
        for item in phrases:
            spec, label = (item, None) if isinstance(item, str) else item
            phrase = compile_phrase(spec, label, classes)
            self.phrases.append(phrase)
            firsts = _first_words(phrase.slots)
            if firsts is None:
                self._anywhere.append(phrase)
            else:
                for word in firsts:
                    self._by_first.setdefault(word, []).append(phrase)

    def match_at(self, doc: Doc, i: int) -> PhraseMatch | None:
        """The longest phrase starting at word ``i`` (ties: the one listed first)."""
        best: PhraseMatch | None = None
        candidates = self._by_first.get(doc.keys[i], [])
        for phrase in (*candidates, *self._anywhere) if self._anywhere else candidates:
            stop = _match(phrase.slots, doc, i, i)
            if stop is not None and stop > i and (best is None or stop - i > best.count):
                best = PhraseMatch(i, stop - i, phrase.label)
        return best

    def finditer(self, doc: Doc) -> Iterator[PhraseMatch]:
        i = 0
        keys, hesitation, firsts = doc.keys, doc.hesitation, self._by_first
        anywhere = bool(self._anywhere)
        while i < doc.n:
            if hesitation[i] is not None or not (anywhere or keys[i] in firsts):
                i += 1
                continue
            found = self.match_at(doc, i)
            if found is None:
                i += 1
            else:
                yield found
                i = found.index + found.count

    def find(self, doc: Doc) -> list[PhraseMatch]:
        return list(self.finditer(doc))


def _first_words(slots: Sequence[_Slot]) -> set[str] | None:
    """The words a phrase can start with, or None when a class can start it."""
    words: set[str] = set()
    for slot in slots:
        if slot.words is None:
            return None
        words |= slot.words
        if not slot.optional:
            return words
    return words  # pragma: no cover - compile_phrase forbids all-optional phrases


def _match(slots: Sequence[_Slot], doc: Doc, pos: int, origin: int) -> int | None:
    """End index (exclusive) of the longest match of ``slots`` at ``pos``, or None."""
    if not slots:
        return pos
    slot, rest = slots[0], slots[1:]
    best: int | None = None
    j = pos
    n, sentence_of = doc.n, doc.sentence_of
    sentence = sentence_of[origin]
    if j > origin:  # skip um/uh inside the phrase
        while j < n and doc.hesitation[j] is not None and sentence_of[j] == sentence:
            j += 1
    if j < n and sentence_of[j] == sentence:
        key = doc.keys[j]
        words = slot.words
        if (key in words) if words is not None else slot.accepts(key):
            best = _match(rest, doc, j + 1, origin)
    if slot.optional:
        skipped = _match(rest, doc, pos, origin)
        if skipped is not None and (best is None or skipped > best):
            best = skipped
    return best


# -- small shared helpers ------------------------------------------------------------------


def per_minute(count: int, seconds: float | None) -> float | None:
    """``count`` per minute over ``seconds``, rounded to 0.1; None when time is unknown."""
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        return None
    rate = count * 60.0 / seconds
    return round(rate, 1) if math.isfinite(rate) else None


def round_time(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class Located(Protocol):
    """A finding placed in the transcript: its first word and time."""

    @property
    def start(self) -> float | None: ...
    @property
    def word_index(self) -> int: ...
    @property
    def word_count(self) -> int: ...


def location(item: Located) -> Location:
    """The ``start``, ``word_index`` and ``word_count`` keys that end a finding's JSON."""
    return {
        "start": round_time(item.start),
        "word_index": item.word_index,
        "word_count": item.word_count,
    }
