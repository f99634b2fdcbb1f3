"""Numbers that quantify something: "22%", "one point two million dollars", "six weeks", "3x".

Each metric is classified:

- ``percent``: "22%", "twenty-two percent", "40 basis points"
- ``money``: "$1.2 million", "one point two million dollars", "$3.4M"
- ``duration``: "six weeks", "30 seconds", "two quarters"
- ``ratio``: multipliers and fractions: "3x", "three times faster", "half", "a third"
- ``change``: a movement: "from 60 to 81 percent", "60 to 81%", "reduced churn by 15%",
  "grew 30%", "doubled", "halved"
- ``count``: any other quantity: "2,000 users", "NPS of 45", "twelve engineers"

Not metrics: "one of the", "a couple of", "a few", "first", "second time", "one day my
manager...", "one thing", "no one", "one-on-one", years ("in 2019"), ordinals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicemock.analysis.document import MetricDoc
from voicemock.analysis.document import MetricKind as MetricKind
from voicemock.analysis.text import (
    SCALE_WORDS,
    UNITS_WORDS,
    Doc,
    DocSource,
    Span,
    is_cardinal_word,
    is_digit_number,
    location,
)


@dataclass(frozen=True, slots=True)
class Metric:
    text: str
    """The exact words spanned, as spoken."""
    kind: MetricKind
    word_index: int
    word_count: int
    start: float | None

    def to_dict(self) -> MetricDoc:
        return {
            "text": self.text,
            "kind": self.kind,
            **location(self),
        }


_MONEY_WORDS = frozenset(
    {"dollars", "dollar", "bucks", "usd", "euros", "euro", "pounds", "grand", "cents"}
)
_MONEY_NOUNS = frozenset(
    {"revenue", "sales", "savings", "budget", "profit", "cost", "costs", "spend", "arr", "mrr",
     "bookings", "funding", "gmv", "ebitda"}
)  # fmt: skip
_DURATION_UNITS = frozenset(
    {
        "second", "seconds", "secs", "sec", "minute", "minutes", "mins", "min", "hour",
        "hours", "hrs", "hr", "day", "days", "week", "weeks", "month", "months", "quarter",
        "quarters", "year", "years", "yrs", "sprint", "sprints", "milliseconds", "ms",
        "weekend", "weekends", "decade", "decades",
    }
)  # fmt: skip
_DURATION_BEFORE_ONE = frozenset(
    {
        "in", "within", "for", "took", "takes", "take", "than", "only", "just", "about",
        "around", "under", "over", "after", "of", "to", "every", "per", "each", "spent",
        "lasted", "by", "roughly", "nearly", "almost", "least", "whole", "entire", "full",
    }
)  # fmt: skip
_RATE_PERIODS = frozenset({"year", "month", "quarter", "week", "day", "hour", "minute"})
_RATE_ADVERBS = frozenset({"annually", "monthly", "yearly", "weekly", "daily", "quarterly"})
_COMPARATIVES = frozenset(
    {
        "faster", "more", "bigger", "higher", "larger", "better", "as", "the", "lower", "less",
        "cheaper", "quicker", "smaller", "fewer", "greater", "slower", "over", "increase",
        "growth", "improvement", "return", "longer", "shorter",
    }
)  # fmt: skip
_CHANGE_VERBS = frozenset(
    {
        "increased", "increase", "increasing", "decreased", "decrease", "decreasing", "grew",
        "grow", "grown", "growing", "rose", "risen", "fell", "fallen", "dropped", "drop",
        "cut", "cutting", "reduced", "reduce", "reducing", "improved", "improve", "improving",
        "boosted", "boost", "raised", "lowered", "lifted", "lift", "shrank", "shrunk",
        "slashed", "jumped", "climbed", "declined", "up", "down", "gained", "lost", "moved",
        "went", "accelerated", "sped", "halved", "doubled", "tripled", "trimmed", "shaved",
    }
)  # fmt: skip
_CHANGE_WORDS = {"doubled": "doubled", "tripled": "tripled", "quadrupled": "quadrupled"}
_CHANGE_WORDS.update({"halved": "halved", "doubling": "doubling", "halving": "halving"})
_APPROXIMATORS = frozenset(
    {"about", "around", "roughly", "nearly", "almost", "over", "under", "some", "just", "only",
     "approximately", "~", "like", "than", "least", "at", "more", "less", "another", "a",
     "an", "additional", "extra"}
)  # fmt: skip
_KPI_NAMES = frozenset(
    {"nps", "csat", "arr", "mrr", "roi", "ctr", "gmv", "dau", "dau's", "mau", "wau", "ltv",
     "cac", "aov", "sla", "p99", "p95", "p90", "p50", "latency", "churn", "retention",
     "conversion", "uptime", "ces", "okr"}
)  # fmt: skip
_HALF_NOT_AFTER = frozenset({"first", "second", "back", "other", "last", "latter", "former"})
_FRACTION_OK_AFTER = frozenset(
    {"of", "the", "less", "more", "fewer", "faster", "cheaper", "lower", "higher", "as"}
)
_FRACTION_OK_BEFORE = frozenset(
    {"by", "than", "about", "nearly", "almost", "over", "roughly", "to", "around", "only",
     "just", "under", "in"}
)  # fmt: skip
_NOT_COUNT_NOUNS = frozenset(
    {"thing", "things", "way", "ways", "reason", "reasons", "of", "on", "another", "or",
     "other", "others", "side", "sided", "hand"}
)  # fmt: skip
_LABEL_NOUNS = frozenset(
    {"week", "day", "month", "year", "phase", "step", "version", "round", "level", "sprint",
     "page", "chapter", "number", "tier", "stage", "part", "season", "episode", "slide",
     "option", "plan", "wave", "milestone", "v", "q", "gen", "generation", "release",
     "priority", "p", "grade", "floor", "room", "line", "item", "point", "team", "pillar"}
)  # fmt: skip
"""Nouns a number names rather than counts: "week three", "phase two", "version 2"."""
_FOLD = re.compile(
    r"^(?:\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred)-?fold$"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DIGITS_ONLY = re.compile(r"^[$€£]?[\d,]*\.?\d+")


@dataclass(frozen=True, slots=True)
class _Number:
    index: int
    stop: int
    money: bool  # "$" / "€" / "£" prefix
    suffix: str  # "%", "x", "k", "m", "b" ... on a digit token
    just_one: bool  # the number is only "one" / "1"? (see the "one" rules)
    year: bool


def _read_number(doc: Doc, i: int) -> _Number | None:
    """A cardinal starting at word ``i``: "22%", "1.2 million", "twenty two", "a hundred"."""
    key = doc.keys[i]
    n = len(doc)

    def ok(j: int) -> bool:
        return j < n and doc.same_sentence(i, j)

    if is_digit_number(key):
        m = _DIGITS_ONLY.match(key)
        suffix = key[m.end() :] if m else ""
        j = i + 1
        while ok(j) and doc.keys[j] in SCALE_WORDS and not suffix:
            j += 1
        if ok(j) and doc.keys[j] in ("k", "m", "bn", "mm", "b") and not suffix:
            suffix = doc.keys[j]
            j += 1
        j = _and_a_half(doc, i, j)
        year = bool(_YEAR.match(key)) and j == i + 1
        return _Number(i, j, key[0] in "$€£", suffix, key in ("1", "$1") and j == i + 1, year)
    j = i
    if key in ("a", "an"):
        if not ok(i + 1) or doc.keys[i + 1] not in (*SCALE_WORDS, "dozen"):
            return None
        j = i + 1
    elif key == "half" and ok(i + 2) and doc.keys[i + 1] in ("a", "an"):
        if doc.keys[i + 2] not in ("million", "billion", "thousand", "dozen"):
            return None
        j = i + 2
    elif not is_cardinal_word(key):
        return None
    last_scale = False
    while ok(j):
        k = doc.keys[j]
        if is_cardinal_word(k) or k == "dozen":
            last_scale = k in SCALE_WORDS
            j += 1
        elif k == "and" and last_scale and ok(j + 1) and is_cardinal_word(doc.keys[j + 1]):
            j += 1  # "one hundred and twenty"
        elif k == "point" and j > i and ok(j + 1) and doc.keys[j + 1] in UNITS_WORDS:
            j += 1  # "one point two": the digits after "point" follow
            while ok(j) and doc.keys[j] in UNITS_WORDS and UNITS_WORDS[doc.keys[j]] < 10:
                j += 1
            while ok(j) and doc.keys[j] in SCALE_WORDS:
                j += 1
            break
        else:
            break
    if j == i:
        return None
    j = _and_a_half(doc, i, j)
    return _Number(i, j, False, "", key == "one" and j == i + 1, False)


def _and_a_half(doc: Doc, i: int, j: int) -> int:
    """Swallow "and a half" after a number: "two and a half weeks"."""
    if (
        j + 2 < len(doc)
        and doc.same_sentence(i, j + 2)
        and doc.keys[j] == "and"
        and doc.keys[j + 1] == "a"
        and doc.keys[j + 2] == "half"
    ):
        return j + 3
    return j


def _unit(doc: Doc, num: _Number) -> tuple[MetricKind | None, int]:
    """Kind and end of the metric whose number is ``num``; kind None when it is not one."""
    j = num.stop

    def at(k: int) -> str:
        return doc.key(k) if doc.same_sentence(num.index, k) else ""

    if num.suffix == "%":
        return "percent", j
    if at(j) in ("percent", "pct", "%"):
        return "percent", j + 1
    if at(j) == "per" and at(j + 1) == "cent":
        return "percent", j + 2
    if at(j) in ("percentage", "basis") and at(j + 1) in ("point", "points"):
        return "percent", j + 2
    if at(j) in ("bps", "pp"):
        return "percent", j + 1
    if num.money or at(j) in _MONEY_WORDS:
        return "money", j + (1 if at(j) in _MONEY_WORDS else 0)
    if num.suffix == "x" or at(j) == "x" or _FOLD.match(at(j)):
        return "ratio", j + (0 if num.suffix == "x" else 1)
    if at(j) == "times" and at(j + 1) in _COMPARATIVES:
        return "ratio", j + 2
    if at(j) == "in" or (at(j) == "out" and at(j + 1) == "of"):
        # "one in five users", "3 out of 4"
        k = j + (1 if at(j) == "in" else 2)
        other = _read_number(doc, k) if at(k) else None
        if other is not None and not other.year:
            return "ratio", other.stop
    if num.year:
        return None, j
    if at(j) in _DURATION_UNITS:
        if num.just_one:
            prev = doc.prev_word(num.index)
            if prev is None or doc.keys[prev] not in _DURATION_BEFORE_ONE:
                return None, j  # "One day my manager...", "one week later"
        return "duration", j + 1
    if num.just_one:
        return None, j  # "one thing", "one of the", "one customer told me"
    if num.suffix in ("k", "m", "mm", "b", "bn"):
        return ("money" if _money_follows(doc, num.index, j) else "count"), j
    if at(j) in _NOT_COUNT_NOUNS and not is_digit_number(doc.keys[num.index]):
        return None, j  # "two things", "two of them"
    if at(j) == "times":
        return "count", j + 1  # a frequency: "300 times (a week)"
    if _money_follows(doc, num.index, j):
        return "money", j
    return "count", _count_noun(doc, num.index, j)


_FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and",
        "or", "but", "so", "that", "this", "these", "those", "it", "we", "i", "you", "they",
        "he", "she", "is", "was", "were", "are", "be", "been", "had", "has", "have", "did",
        "do", "more", "less", "per", "each", "every", "than", "as", "if", "when", "then",
        "out", "up", "down", "over", "into", "ago", "before", "after", "which", "who",
        "what", "where", "times", "plus", "nor", "not", "no", "all", "my", "our",
        "their", "your", "his", "her", "its", "there", "here", "now", "because", "since",
        "until", "while", "about", "around", "like", "just", "only", "also", "too", "very",
        "really", "said", "went", "got", "get", "will", "would", "could", "should", "can",
    }
)  # fmt: skip


def _count_noun(doc: Doc, i: int, j: int) -> int:
    """Include the counted noun: "2,000 users", "twelve engineers"."""
    if doc.clause_mark_after(j - 1) or doc.sentence_final(j - 1) or j >= len(doc):
        return j
    key = doc.keys[j]
    if doc.same_sentence(i, j) and key.isalpha() and key not in _FUNCTION_WORDS:
        return j + 1
    return j


def _money_follows(doc: Doc, i: int, j: int) -> bool:
    """A money noun right after the number: "2 million in revenue", "$40k budget"."""
    return any(doc.same_sentence(i, k) and doc.key(k) in _MONEY_NOUNS for k in (j, j + 1))


def _per_period(doc: Doc, i: int, j: int) -> int:
    """Swallow "a year" / "per month" / "annually" after money or a count."""
    if doc.same_sentence(i, j) and doc.key(j) in _RATE_ADVERBS:
        return j + 1
    if (
        doc.same_sentence(i, j + 1)
        and doc.key(j) in ("a", "an", "per", "each", "every")
        and doc.key(j + 1) in _RATE_PERIODS
    ):
        return j + 2
    return j


def _fraction(doc: Doc, i: int) -> tuple[MetricKind, int] | None:
    """ "half", "a third", "two thirds", "a quarter of", "in half"; None if not a fraction."""
    key = doc.keys[i]
    prev = doc.prev_word(i)
    before = doc.key(prev) if prev is not None else ""
    after = doc.key(i + 1) if doc.same_sentence(i, i + 1) else ""
    if key == "half":
        if before in _HALF_NOT_AFTER or after in ("hour", "day", "time", "a", "an"):
            return None  # "the second half", "half an hour", "half a million" (a number)
        if before == "in" and prev is not None:
            return "change", i + 1  # "cut it in half"
        return "ratio", i + 1
    if key in ("a", "one") and after in ("third", "quarter", "fifth", "tenth"):
        nxt = doc.key(i + 2) if doc.same_sentence(i, i + 2) else ""
        if nxt in _FRACTION_OK_AFTER or not nxt or before in _FRACTION_OK_BEFORE:
            if after == "quarter" and nxt != "of":
                return None  # "in a quarter" is a duration of a quarter-year, not a fraction
            return "ratio", i + 2
        return None
    if is_cardinal_word(key) and key != "one" and after in ("thirds", "quarters", "fifths"):
        if after == "quarters" and doc.key(i + 2) != "of":
            return None  # "two quarters" is a duration, read by the number rules
        return "ratio", i + 2
    return None


def _kpi_start(doc: Doc, i: int) -> int:
    """Include a KPI name before the number: "NPS of 45", "NPS 45"."""
    if doc.key(i - 1) == "of" and doc.key(i - 2) in _KPI_NAMES and doc.same_sentence(i - 2, i):
        return i - 2
    if (
        i >= 1
        and doc.key(i - 1) in _KPI_NAMES
        and doc.same_sentence(i - 1, i)
        and doc.words[i - 1].text.strip(",.:;").isupper()  # an acronym, "NPS 45"
    ):
        return i - 1
    return i


_NUMBER_STARTS = frozenset({"a", "an", "one", "half", "dozen"})
"""Words that can start a number or fraction besides digits and cardinal words."""


@dataclass
class _Found:
    index: int
    stop: int
    kind: MetricKind


def _base_metrics(doc: Doc) -> list[_Found]:
    out: list[_Found] = []
    i = 0
    n = len(doc)
    while i < n:
        key = doc.keys[i]
        if key in _CHANGE_WORDS:
            out.append(_Found(i, i + 1, "change"))
            i += 1
            continue
        if key == "twice" and doc.key(i + 1) in _COMPARATIVES and doc.same_sentence(i, i + 1):
            stop = i + 3 if doc.key(i + 1) == "as" and doc.same_sentence(i, i + 2) else i + 2
            out.append(_Found(i, stop, "ratio"))  # "twice as fast", "twice the traffic"
            i = stop
            continue
        if _FOLD.match(key) and key.removesuffix("fold").strip("-"):
            out.append(_Found(i, i + 1, "ratio"))
            i += 1
            continue
        if not (
            key[:1].isdigit() or key[:1] in "$€£" or key in _NUMBER_STARTS or is_cardinal_word(key)
        ):
            i += 1
            continue
        fraction = _fraction(doc, i)
        if fraction is not None:
            kind, stop = fraction
            start = i - 1 if kind == "change" else i  # "in half"
            out.append(_Found(start, stop, kind))
            i = stop
            continue
        num = _read_number(doc, i)
        if num is None:
            i += 1
            continue
        if (
            doc.key(i - 1) in _LABEL_NOUNS
            and doc.same_sentence(i - 1, i)
            and not num.money
            and num.suffix not in ("%", "x")
            and doc.key(num.stop) not in ("percent", "x")
        ):
            i = num.stop  # "week three", "phase 2": a name, not a quantity
            continue
        kind_or_none, stop = _unit(doc, num)
        if kind_or_none is not None:
            if kind_or_none in ("money", "count"):
                stop = _per_period(doc, i, stop)
            out.append(_Found(_kpi_start(doc, i), stop, kind_or_none))
        i = max(stop, num.stop)
    return out


def _skip_back(doc: Doc, i: int, words: frozenset[str]) -> int:
    """Index of the word before ``i`` after skipping approximators like "about"."""
    j = i - 1
    steps = 0
    while j >= 0 and steps < 2 and doc.same_sentence(i, j) and doc.keys[j] in words:
        j -= 1
        steps += 1
    return j


def _combine(doc: Doc, found: list[_Found]) -> list[_Found]:
    """Ranges become one change ("from 60 to 81%"); a change verb makes a metric a change."""
    out: list[_Found] = []
    k = 0
    while k < len(found):
        cur = found[k]
        nxt = found[k + 1] if k + 1 < len(found) else None
        if (
            nxt is not None
            and nxt.index == cur.stop + 1
            and doc.key(cur.stop) in ("to", "through", "-")
            and doc.same_sentence(cur.index, nxt.index)
            and cur.kind != "change"
        ):
            start = cur.index
            if doc.key(start - 1) == "from" and doc.same_sentence(start - 1, start):
                start -= 1
            out.append(_Found(start, nxt.stop, "change"))
            k += 2
            continue
        if (
            nxt is not None
            and doc.key(cur.index - 1) == "between"
            and nxt.index == cur.stop + 1
            and doc.key(cur.stop) == "and"
            and doc.same_sentence(cur.index, nxt.index)
        ):
            out.append(_Found(cur.index - 1, nxt.stop, nxt.kind))
            k += 2
            continue
        changed = _change_context(doc, cur)
        if out and changed.index < out[-1].stop:  # "doubled to 2,000": one change
            out[-1] = _Found(out[-1].index, max(out[-1].stop, changed.stop), "change")
        else:
            out.append(changed)
        k += 1
    return out


def _is_change_verb(key: str) -> bool:
    """ "reduced", "grew", "up"...; "went"/"moved" only through "up"/"down"/"from"."""
    return key in _CHANGE_VERBS and key not in ("went", "moved")


def _change_context(doc: Doc, cur: _Found) -> _Found:
    """``cur`` as a change when a change verb governs it: "grew 30%", "cut churn by 15%"."""
    if cur.kind == "change":
        return cur
    j = _skip_back(doc, cur.index, _APPROXIMATORS)
    if j < 0 or not doc.same_sentence(j, cur.index) or doc.break_after(j):
        return cur
    key = doc.keys[j]
    if key in ("up", "down"):
        points = doc.keys[cur.stop - 1] in ("point", "points")
        if cur.kind in ("percent", "money", "ratio") or points:
            return _Found(j, cur.stop, "change")  # "up 12 points", "down 20%"
        return cur
    if _is_change_verb(key):
        return _Found(j, cur.stop, "change")  # "grew 30%", "cut 20% of the budget"
    if key in ("by", "to"):
        for back in range(j - 1, max(j - 5, -1), -1):
            if not doc.same_sentence(back, cur.index) or doc.break_after(back):
                break
            if _is_change_verb(doc.keys[back]):
                return _Found(back, cur.stop, "change")  # "reduced churn by 15%"
    return cur


def find_metrics(source: DocSource) -> list[Metric]:
    """Every metric in speaking order, classified, with the exact words spanned."""
    doc = Doc.of(source)
    found = _combine(doc, _base_metrics(doc))
    out: list[Metric] = []
    last_stop = 0
    for f in found:
        index = max(f.index, last_stop)  # never overlap the metric before
        if f.stop <= index:
            continue
        span = Span(index, f.stop - index)
        out.append(Metric(doc.text(span), f.kind, index, span.count, doc.span_start(span)))
        last_stop = f.stop
    return out


__all__ = ["Metric", "MetricKind", "find_metrics"]
