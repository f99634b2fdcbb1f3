"""Numbers that quantify something, what kind they are, and whether they have context.

A number is a quantity said in digits, words or both ("22%", "twenty-two percent", "1.2
million", "$3.4M", "one point two million dollars", "40k"), a fraction or multiple ("half",
"a third", "a quarter of a point", "twice", "3x", "doubled"), a duration that measures
("six weeks", "a whole month", "3-4 days", "within a week"), or a count, also with words
between number and noun ("thirty other drivers", "a dozen accounts"). A range is one number
("10-12%", "ten to twelve percent", "between five and eight engineers", "a week or two"),
and so is a movement "from X to Y".

Not numbers: names with digits (versions "Android 14", years, "Q3", "L6", "week three",
"day one", "number two"), dates and clock times, time references that place an event ("two
years ago", "four weeks later", "two weeks before launch"), numbers naming a metric, unit or
format ("30-day retention", "per thousand households", "a one-page memo"), references back
to a group ("all four approved", "those five"), vague amounts ("a few", "dozens of"),
announced points ("Two reasons."), "one" meaning "a" ("one customer told me") and "100%"
as an intensifier.

Each number is classified (``kind``, the first that applies): ``change`` (a movement:
"from X to Y", "grew 30%", "cut churn by 15%", "doubled"), ``percent``, ``money``,
``ratio`` (multiples and fractions), ``duration``, ``count``. And each gets a ``context``:
``baseline`` (a starting value, a comparison, a target or plan), ``period`` (a time span,
a rate, a window, or a scope that bounds it), ``both`` or ``neither`` — "improved retention
by 15%" alone says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from voicemock.analysis.context import Quantity, judge_contexts
from voicemock.analysis.document import MetricContext as MetricContext
from voicemock.analysis.document import MetricDoc
from voicemock.analysis.document import MetricKind as MetricKind
from voicemock.analysis.lexicon import FUNCTION_WORDS, is_past_form
from voicemock.analysis.text import (
    SCALE_WORDS,
    TENS_WORDS,
    UNITS_WORDS,
    Doc,
    DocSource,
    Span,
    is_cardinal_word,
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
    context: MetricContext = "neither"

    @property
    def stop(self) -> int:
        return self.word_index + self.word_count

    def to_dict(self, *, in_result: bool = False) -> MetricDoc:
        return {
            "text": self.text,
            "kind": self.kind,
            "context": self.context,
            "in_result": in_result,
            **location(self),
        }


# -- word classes ------------------------------------------------------------------------------

TIME_UNITS = frozenset(
    {
        "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours",
        "hr", "hrs", "day", "days", "week", "weeks", "weekend", "weekends", "fortnight",
        "fortnights", "month", "months", "quarter", "quarters", "year", "years", "yrs",
        "sprint", "sprints", "decade", "decades", "afternoon", "afternoons", "millisecond",
        "milliseconds", "ms", "semester", "semesters", "night", "nights",
    }
)  # fmt: skip
RATE_PERIODS = frozenset(
    {"second", "minute", "hour", "day", "week", "weekday", "month", "quarter", "year",
     "session", "night", "shift", "sprint", "release"}
)  # fmt: skip
_RATE_ADVERBS = frozenset(
    {"annually", "monthly", "yearly", "weekly", "daily", "quarterly", "hourly", "annualised",
     "annualized", "apiece"}
)  # fmt: skip
_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekday",
     "weekend", "morning", "evening", "night"}
)  # fmt: skip
_MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
     "sep", "sept", "oct", "nov", "dec"}
)  # fmt: skip
_MONEY_WORDS = frozenset(
    {"dollars", "dollar", "bucks", "usd", "euros", "euro", "eur", "pounds", "gbp", "grand",
     "cents", "yen", "rupees", "reais", "pesos", "yuan", "francs", "kronor", "krona",
     "rand", "dirhams", "won", "zloty", "lira", "rubles", "shekels", "baht", "ringgit"}
)  # fmt: skip
_MONEY_CONTEXT = frozenset(
    {"revenue", "sales", "savings", "saved", "save", "budget", "profit", "cost", "costs",
     "spend", "spent", "arr", "mrr", "bookings", "funding", "gmv", "ebitda", "price", "prices",
     "quote", "paid", "pay", "worth", "fee", "fees", "margin", "income", "deal", "deals",
     "contract", "invoice", "invoices", "losses", "loss", "dollars", "$", "€", "£", "raised"}
)  # fmt: skip
_PERCENT_WORDS = frozenset({"percent", "pct", "%", "pp", "bps"})
_COMPARATIVES = frozenset(
    {"faster", "more", "bigger", "higher", "larger", "better", "as", "the", "lower", "less",
     "normal", "usual", "average", "baseline", "typical",
     "cheaper", "quicker", "smaller", "fewer", "greater", "slower", "longer", "shorter",
     "likely", "often", "over", "what", "that", "our", "their", "its", "my"}
)  # fmt: skip
_CHANGE_VERB_BASES = frozenset(
    {"increase", "grow", "rise", "climb", "jump", "lift", "boost", "improve", "raise",
     "double", "triple", "quadruple", "halve", "cut", "reduce", "decrease", "drop", "dip",
     "fall", "decline", "shrink", "lower", "shave", "trim", "lose", "recover", "slash",
     "plummet", "plunge", "soar", "spike", "gain", "accelerate", "speed", "bump", "expand",
     "sink", "slip", "tick", "inch", "balloon", "collapse", "move"}
)  # fmt: skip
_CHANGE_FORMS = frozenset(
    {"increased", "increase", "increases", "increasing", "grew", "grow", "grown", "growing",
     "grows", "rose", "risen", "rise", "rising", "climbed", "climb", "jumped", "jump",
     "lifted", "lift", "boosted", "boost", "improved", "improve", "improving", "raised",
     "raise", "doubled", "tripled", "quadrupled", "halved", "cut", "cutting", "reduced",
     "reduce", "reducing", "decreased", "decrease", "dropped", "drop", "dropping", "dipped",
     "dip", "fell", "fall", "falling", "fallen", "declined", "decline", "shrank", "shrunk",
     "shrink", "lowered", "lower", "shaved", "trimmed", "lost", "lose", "losing",
     "recovered", "recover", "slashed", "plummeted", "plunged", "soared", "spiked", "gained",
     "gain", "accelerated", "sped", "bumped", "expanded", "sank", "slipped", "ticked",
     "inched", "ballooned", "collapsed", "moved"}
)  # fmt: skip
_CHANGE_NOUNS = frozenset(
    {"lift", "drop", "increase", "decrease", "reduction", "jump", "rise", "growth", "decline",
     "improvement", "gain", "boost", "cut", "dip", "fall", "uplift", "expansion", "swing"}
)  # fmt: skip
_APPROX = frozenset(
    {"about", "around", "roughly", "nearly", "almost", "over", "under", "approximately",
     "~", "just", "only", "some", "maybe", "like", "exactly", "precisely", "barely",
     "another", "an", "a", "additional", "extra", "estimated", "somewhere", "than", "more",
     "less", "fewer", "least", "most", "at", "to", "by", "well", "upwards", "close"}
)  # fmt: skip
_TO_APPROX = frozenset(
    {"about", "around", "roughly", "nearly", "almost", "over", "under", "approximately",
     "just", "only", "fewer", "less", "more", "than", "below", "above", "barely", "at",
     "least", "well", "maybe", "like", "somewhere"}
)  # fmt: skip
_LABEL_NOUNS = frozenset(
    {"week", "day", "month", "year", "phase", "step", "version", "round", "level", "sprint",
     "chapter", "number", "tier", "stage", "part", "season", "episode", "slide", "option",
     "plan", "wave", "milestone", "v", "q", "gen", "generation", "release", "priority", "p",
     "grade", "floor", "room", "line", "item", "pillar", "gate", "terminal", "zone", "lane",
     "row", "column", "page", "figure", "table", "section", "rule", "batch", "cohort",
     "build", "iteration", "attempt", "test", "experiment", "lesson", "box", "question",
     "store", "site", "warehouse", "route", "station", "bay", "dock", "platform", "channel",
     "ios", "android", "windows", "macos", "python", "java", "checkout", "app"}
)  # fmt: skip
"""Nouns a number names rather than counts: "week three", "phase two", "version 2"."""
_PERSON_NOUNS = frozenset(
    {"designer", "engineer", "pm", "person", "analyst", "developer", "researcher", "writer",
     "manager", "lead", "tester", "scientist", "marketer", "recruiter", "intern",
     "contractor", "more", "extra", "additional", "full-time", "part-time", "dedicated",
     "single", "other", "headcount"}
)  # fmt: skip
"""After "one", nouns that make it a count of people or resources ("one designer")."""
_DURATION_BEFORE_ONE = frozenset(
    {"in", "within", "for", "took", "takes", "take", "than", "only", "just", "about",
     "around", "under", "over", "after", "of", "every", "per", "each", "spent", "lasted",
     "by", "roughly", "nearly", "almost", "least", "whole", "entire", "full", "single"}
)  # fmt: skip
_POINT_NOUNS = frozenset(
    {"reasons", "reason", "things", "points", "principles", "lessons", "takeaways", "levels",
     "parts", "ways", "steps", "pillars", "buckets", "areas", "questions", "options",
     "dimensions", "factors", "criteria", "ideas", "goals", "priorities", "phases",
     "themes", "aspects", "considerations", "learnings", "thing", "point"}
)  # fmt: skip
_SPEAKER_POINTS = frozenset(
    {"reasons", "principles", "lessons", "takeaways", "learnings", "levels", "points",
     "pillars", "buckets", "dimensions", "criteria", "considerations", "aspects", "themes"}
)  # fmt: skip
"""Nouns that announce the speaker's own points, never a count in the story."""
_METRIC_AFTER_COMPOUND = frozenset(
    {"retention", "churn", "conversion", "active", "return", "returns", "rolling", "average",
     "moving", "review", "reviews", "guarantee", "filter", "trial",
     "delivery", "money-back", "readmission", "survival", "retention,", "repeat", "cohort",
     "value", "ltv"}
)  # fmt: skip
"""After "30-day", "six-month": the compound names a metric, a feature or a format."""
_FORMAT_UNITS = frozenset(
    {"page", "pager", "pagers", "pages", "way", "ways", "on", "tap", "click", "star", "stop",
     "size", "liner", "liners", "off", "time", "shot", "sided", "dimensional", "word",
     "line", "minute-read"}
)  # fmt: skip
_TEAMISH = frozenset({"team", "teams", "company", "startup", "group", "org", "squad", "crew"})
_GROUP_REFERENCE = frozenset({"all", "both", "those", "these", "each", "every"})
_REFERENCE_AFTER = frozenset({"ago", "later", "earlier", "before", "after", "prior"})
_INTERVAL_AFTER = frozenset({"each", "every", "it", "they"})
"""After "N days before/after": an interval between two events ("four days after it was
merged", "three days before each renewal"), not a time reference ("before launch")."""
_INTENSIFIED = frozenset(
    {"sure", "certain", "confident", "convinced", "committed", "behind", "right", "agree",
     "aligned", "honest", "focused", "positive", "correct", "wrong", "true", "serious"}
)  # fmt: skip
_KPI_NAMES = frozenset(
    {"nps", "csat", "arr", "mrr", "roi", "ctr", "gmv", "dau", "mau", "wau", "ltv", "cac",
     "aov", "sla", "ces", "okr", "p99", "p95", "p90", "p50"}
)  # fmt: skip
_FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10, "sixth": 6,
              "eighth": 8, "thirds": 3, "quarters": 4, "fifths": 5, "tenths": 10}  # fmt: skip
_POINT_MOVES = frozenset(
    {
        "moved",
        "up",
        "down",
        "by",
        "about",
        "nearly",
        "almost",
        "roughly",
        "another",
        "half",
        "gained",
        "lost",
        "only",
        "just",
        "over",
        "under",
    }
)
"""Before "a point": where it is an amount ("moved a point", "up a point", "by a point")."""
_FRACTION_BEFORE = frozenset({"by", "roughly", "nearly", "almost", "about", "around"})
_HALF_NOT_AFTER = frozenset({"first", "second", "back", "other", "last", "latter", "former"})
_FOLD = re.compile(r"^(?:\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten)-?fold$")
_YEAR = re.compile(r"^(?:19|20)\d\d(?:s)?$")
_DIGITS = re.compile(
    r"^(?P<cur>[$€£])?(?P<a>\d[\d,]*(?:\.\d+)?)(?P<asuf>%|x|k|m|mm|b|bn|s)?"
    r"(?:(?P<dash>[-–—]|to)(?P<cur2>[$€£])?(?P<b>\d[\d,]*(?:\.\d+)?)(?P<bsuf>%|x|k|m|mm|b|bn)?)?"
    r"(?:-(?P<unit>[a-z][a-z-]*))?$"
)
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_CLOCK_AFTER = frozenset({"a.m", "p.m", "am", "pm", "o'clock", "a.m.", "p.m.", "oclock"})
_COUNTING_TO = frozenset({"the", "a", "an", "our", "their", "my", "those", "these", "its"})


# -- the scanner ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Q:
    """A quantity found in the words, before it is judged and classified."""

    start: int
    stop: int
    unit: MetricKind
    """percent, money, duration, ratio or count (change is decided later)."""
    num: int
    """Index of the (first) number word, for the exclusion rules."""
    num_stop: int
    """End of the number words themselves (before units and nouns)."""
    bare: bool = False
    """A plain number with no unit or noun ("at six", "Android 14")."""
    one: bool = False
    """The number is just "one" / "1" / "a" (the "one"-means-"a" rules)."""
    change: bool = False
    """Already a change: "from X to Y", "doubled", "in half"."""
    article: bool = False
    """Starts with "a"/"an" ("a week", "a third")."""
    range_: bool = False
    movement: bool = False
    """ "from X to Y" or "went X to Y": a change that states its starting value."""


def _same(doc: Doc, i: int, j: int) -> bool:
    return doc.same_sentence(i, j)


def _k(doc: Doc, i: int, origin: int) -> str:
    """Key of word ``i`` if it is in the sentence of ``origin``."""
    return doc.keys[i] if 0 <= i < doc.n and doc.same_sentence(origin, i) else ""


def _raw(doc: Doc, i: int) -> str:
    return doc.words[i].text.strip() if 0 <= i < doc.n else ""


def _read_words(doc: Doc, i: int) -> int | None:
    """End (exclusive) of a number in words starting at ``i``: "one point two million",
    "a hundred and ten thousand", "twenty two", "sixty-something", "a dozen"."""
    key = doc.keys[i]
    j = i
    if key in ("a", "an"):
        nxt = _k(doc, i + 1, i)
        if nxt not in SCALE_WORDS and nxt != "dozen":
            return None
        j = i + 1
    elif key == "half" and _k(doc, i + 1, i) in ("a", "an"):
        if _k(doc, i + 2, i) not in ("million", "billion", "thousand", "dozen", "hundred"):
            return None
        j = i + 2
    elif not (is_cardinal_word(key) or _something(key) or key == "dozen"):
        return None
    last_scale = False
    seen = False
    while j < doc.n and _same(doc, i, j):
        k = doc.keys[j]
        if is_cardinal_word(k) or k == "dozen" or _something(k):
            # "one two" is not a number: only scales follow a complete number
            scale = k in SCALE_WORDS or k == "dozen"
            if (
                seen
                and not last_scale
                and not scale
                and not (doc.keys[j - 1] in TENS_WORDS and k in UNITS_WORDS)
            ):
                break
            last_scale = k in SCALE_WORDS or k == "dozen"
            seen = True
            j += 1
            if doc.clause_mark_after(j - 1):
                break
        elif k == "and" and last_scale and is_cardinal_word(_k(doc, j + 1, i)):
            j += 1  # "a hundred and ten"
        elif k == "point" and seen and _k(doc, j + 1, i) in UNITS_WORDS:
            j += 1
            while j < doc.n and _same(doc, i, j) and doc.keys[j] in UNITS_WORDS:
                if UNITS_WORDS[doc.keys[j]] >= 10:
                    break
                j += 1
            while j < doc.n and _same(doc, i, j) and doc.keys[j] in SCALE_WORDS:
                j += 1
            break
        else:
            break
    if j == i or (key in ("a", "an") and j == i + 1):
        return None
    return _and_a_half(doc, i, j)


def _something(key: str) -> bool:
    """ "sixty-something", "twenty-odd"."""
    head, _, tail = key.partition("-")
    return tail in ("something", "odd", "ish") and (head in TENS_WORDS or head in UNITS_WORDS)


def _and_a_half(doc: Doc, i: int, j: int) -> int:
    if (
        _k(doc, j, i) == "and"
        and _k(doc, j + 1, i) == "a"
        and _k(doc, j + 2, i) == "half"
        and not doc.clause_mark_after(j - 1)
    ):
        return j + 3
    return j


def _compound(key: str) -> tuple[str, str] | None:
    """ "thirty-minute" -> ("thirty", "minute"), "24-hour" -> ("24", "hour")."""
    head, sep, tail = key.rpartition("-")
    if not sep or not head or not tail.isalpha() or is_cardinal_word(key) or _something(key):
        return None
    if is_cardinal_word(head) or head.isdigit() or _DECIMAL.fullmatch(head):
        return head, tail
    return None


def _scan(doc: Doc) -> list[_Q]:
    out: list[_Q] = []
    i = 0
    n = doc.n
    while i < n:
        found = _at(doc, i)
        if found is None:
            i += 1
            continue
        out.append(found)
        i = max(found.stop, i + 1)
    return out


def _at(doc: Doc, i: int) -> _Q | None:
    key = doc.keys[i]
    if not key or doc.hesitation[i] is not None:
        return None
    first = key[0]
    if first.isdigit() or first in "$€£":
        return _digits_at(doc, i)
    if key in ("doubled", "tripled", "quadrupled", "halved", "doubling", "halving", "tripling"):
        return _Q(i, i + 1, "ratio", i, i + 1, change=True)
    if _FOLD.match(key) and key.removesuffix("fold").strip("-"):
        return _Q(i, i + 1, "ratio", i, i + 1)
    if key in ("twice", "once"):
        return _frequency_at(doc, i)
    if key in ("half", "a", "an", "one", "two", "three", "four", "five") or is_cardinal_word(key):
        fraction = _fraction_at(doc, i)
        if fraction is not None:
            return fraction
    if key in ("a", "an"):
        return _article_at(doc, i)
    compound = _compound(key)
    if compound is not None and (is_cardinal_word(compound[0])):
        return _compound_at(doc, i, compound[1])
    stop = _read_words(doc, i)
    if stop is None:
        return None
    if (
        key == "one"
        and stop == i + 1
        and _k(doc, i + 1, i) in ("or", "to")
        and is_cardinal_word(_k(doc, i + 2, i))
    ):
        return _Q(i, i + 1, "count", i, i + 1, bare=True)  # "one or two": joined later
    return _with_unit(doc, i, i, stop, one=(key == "one" and stop == i + 1))


def _digits_at(doc: Doc, i: int) -> _Q | None:
    key = doc.keys[i]
    m = _DIGITS.match(key)
    if m is None:
        return None
    if m.group("unit"):
        unit = m.group("unit")
        return _compound_at(doc, i, unit)
    stop = i + 1
    suffix = m.group("bsuf") or m.group("asuf") or ""
    money = bool(m.group("cur") or m.group("cur2"))
    ranged = bool(m.group("b"))
    # "1.2 million", "40 k", "10–12 %"
    while stop < doc.n and _same(doc, i, stop) and doc.keys[stop] in SCALE_WORDS and not suffix:
        stop += 1
    if not suffix and _k(doc, stop, i) in ("k", "m", "bn", "mm", "b"):
        suffix = doc.keys[stop]
        stop += 1
    if not suffix and _raw(doc, stop).startswith("%"):
        suffix = "%"
        stop += 1
    stop = _and_a_half(doc, i, stop)
    if suffix == "s" and _YEAR.match(key):
        return None  # "the 1990s"
    if _YEAR.match(key) and stop == i + 1 and not money and not ranged:
        return _Q(i, i + 1, "count", i, i + 1, bare=True)  # judged (and dropped) as a year
    if suffix == "%":
        return _with_unit(doc, i, i, stop, unit="percent", ranged=ranged)
    if suffix == "x":
        return _Q(i, stop, "ratio", i, stop, range_=ranged)
    if money:
        return _with_unit(doc, i, i, stop, unit="money", ranged=ranged)
    one = key in ("1",) and stop == i + 1
    q = _with_unit(doc, i, i, stop, one=one, ranged=ranged)
    if (
        q is not None
        and suffix in ("k", "m", "mm", "b", "bn")
        and q.unit == "count"
        and (
            q.stop == stop  # no counted noun: "40k", "$3.4M" without "$"
        )
    ):
        return replace(q, unit="money" if _money_clause(doc, i) else "count")
    return q


def _money_clause(doc: Doc, i: int) -> bool:
    """A money word near ``i`` in its clause ("a quote at sixty-five thousand per site")."""
    s = doc.sentences[doc.sentence_of[i]]
    lo = i
    while lo > max(s.index, i - 8) and not doc.clause_mark_after(lo - 1):
        lo -= 1
    hi = i
    while hi < min(s.stop - 1, i + 4) and not doc.clause_mark_after(hi):
        hi += 1
    return any(doc.keys[j] in _MONEY_CONTEXT or doc.keys[j][:1] in "$€£" for j in range(lo, hi + 1))


def _compound_at(doc: Doc, i: int, unit: str) -> _Q | None:
    """ "thirty-minute", "24-hour", "40-field", "twelve-person", "one-page"."""
    key = doc.keys[i]
    head = key.rsplit("-", 1)[0]
    nxt = _k(doc, i + 1, i)
    if unit in _FORMAT_UNITS or unit.startswith("page"):
        return None  # "a one-page memo", "a two-way door", "one-on-one"
    if head in ("one", "1") and unit not in TIME_UNITS:
        return None  # "one-tap", "one-click"
    if unit not in TIME_UNITS and _value(head) < 10:
        return None  # "a two-market launch", "two-person delivery": a type, not an amount
    if nxt in _METRIC_AFTER_COMPOUND or (nxt == "day" and unit == "day"):
        return None  # "30-day retention", "the six-month review"
    kind: MetricKind = "duration" if unit in TIME_UNITS else "count"
    if unit in ("percent", "point", "points"):
        kind = "percent"
    if unit in ("dollar", "euro"):
        kind = "money"
    return _Q(i, i + 1, kind, i, i + 1)


def _value(word: str) -> float:
    """The value of a plain number word or digits ("twelve" -> 12, "40" -> 40), else 0."""
    if word in UNITS_WORDS:
        return UNITS_WORDS[word]
    if word in TENS_WORDS:
        return TENS_WORDS[word]
    tens, _, units = word.partition("-")
    if tens in TENS_WORDS and units in UNITS_WORDS:
        return TENS_WORDS[tens] + UNITS_WORDS[units]
    try:
        return float(word.replace(",", ""))
    except ValueError:
        return 0.0


def _frequency_at(doc: Doc, i: int) -> _Q | None:
    key = doc.keys[i]
    nxt = _k(doc, i + 1, i)
    if key == "once":
        if nxt == "every" or (nxt in ("a", "an", "per") and _period(_k(doc, i + 2, i))):
            stop = _rate(doc, i, i + 1)
            return _Q(i, stop, "count", i, i + 1)
        return None
    # "twice the rate", "twice as much", "twice a week", "tried it twice"
    if nxt == "as":
        stop = i + 3 if _k(doc, i + 2, i) else i + 2
        return _Q(i, stop, "ratio", i, i + 1)
    if nxt in ("the", "that", "what", "our", "their", "its", "my", "your") or nxt in (
        "more",
        "faster",
        "longer",
        "bigger",
        "higher",
    ):
        return _Q(i, _noun_end(doc, i, i + 2), "ratio", i, i + 1)
    stop = _rate(doc, i, i + 1)
    return _Q(i, stop, "count", i, i + 1)


def _period(key: str) -> bool:
    return key in RATE_PERIODS or key.rstrip("s") in RATE_PERIODS


def _fraction_at(doc: Doc, i: int) -> _Q | None:
    """ "half", "a third", "two thirds", "a quarter of", "in half", "a quarter of a point"."""
    key = doc.keys[i]
    prev = doc.prev_word(i)
    before = doc.keys[prev] if prev is not None else ""
    nxt = _k(doc, i + 1, i)
    if key == "half":
        if before in _HALF_NOT_AFTER:
            return None  # "the second half"
        if nxt in ("a", "an") and _k(doc, i + 2, i) in TIME_UNITS:
            return _Q(i, i + 3, "duration", i, i + 3)  # "half a day"
        if nxt in ("a", "an") and _k(doc, i + 2, i) in ("million", "billion", "thousand"):
            return None  # "half a million": a number, read by the cardinal rules
        if nxt in ("an",) and _k(doc, i + 2, i) == "hour":
            return _Q(i, i + 3, "duration", i, i + 3)
        if before == "in" and prev is not None:
            return _Q(prev, i + 1, "ratio", i, i + 1, change=True)  # "cut it in half"
        stop = _noun_end(doc, i, i + 1, of=True)
        return _Q(i, stop, "ratio", i, i + 1)
    if key in ("a", "one") and nxt in _FRACTIONS and nxt not in ("half", "thirds", "quarters"):
        after = _k(doc, i + 2, i)
        if nxt == "quarter":
            if (
                after == "of"
                and _k(doc, i + 3, i) in ("a", "one")
                and _k(doc, i + 4, i)
                in (
                    "point",
                    "percent",
                    "percentage",
                )
            ):
                stop = i + 5 + (_k(doc, i + 5, i) == "point")
                return _Q(i, stop, "percent", i, i + 2)  # "a quarter of a point"
            if after != "of":
                return None  # "a quarter": a duration, read by the article rules
        stop = _noun_end(doc, i, i + 2, of=True)
        return _Q(i, stop, "ratio", i, i + 2, article=key == "a")
    if (is_cardinal_word(key) and key != "one") and nxt in ("thirds", "quarters", "fifths"):
        if nxt == "quarters" and _k(doc, i + 2, i) != "of" and before not in _FRACTION_BEFORE:
            return None  # "two quarters" is a duration; "by three quarters" a fraction
        stop = _noun_end(doc, i, i + 2, of=True)
        return _Q(i, stop, "ratio", i, i + 2)
    return None


def _article_at(doc: Doc, i: int) -> _Q | None:
    """ "a week", "a whole month", "an afternoon", "a point", "a dozen", "a hundred"."""
    j = i + 1
    while _k(doc, j, i) in ("whole", "full", "entire", "single", "solid", "extra", "good"):
        j += 1
    unit = _k(doc, j, i)
    if unit == "factor" and _k(doc, j + 1, i) == "of":
        stop = _read_words(doc, j + 2) if _k(doc, j + 2, i) else None
        if stop is None and _k(doc, j + 2, i)[:1].isdigit():
            stop = j + 3
        if stop is not None:
            return _Q(i, stop, "ratio", i, stop)  # "a factor of two"
    if unit in TIME_UNITS and not unit.endswith("s"):
        after = _k(doc, j + 1, i)
        if unit == "second" and after.isalpha() and after not in FUNCTION_WORDS | {"or"}:
            return None  # "a second lesson": an ordinal
        prev = doc.prev_word(i)
        if (
            prev is not None
            and doc.keys[prev] == "of"
            and doc.key(prev - 1)
            in (
                *TIME_UNITS,
                "end",
                "start",
                "beginning",
                "middle",
                "rest",
                "course",
            )
        ):
            return None  # "the last day of a month"
        stop = _rate(doc, i, _and_a_half(doc, i, j + 1))
        return _Q(i, stop, "duration", i, j, one=True, article=True)
    if unit == "point" and not doc.keys[i + 1 : j]:
        prev = doc.prev_word(i)
        before = doc.keys[prev] if prev is not None else ""
        if before in _POINT_MOVES or before in _CHANGE_FORMS:
            return _Q(i, j + 1, "percent", i, j, one=True, article=True)
        return None  # "he had a point", "at a point"
    stop = _read_words(doc, i)
    if stop is None:
        return None
    return _with_unit(doc, i, i, stop, one=False)


def _with_unit(
    doc: Doc,
    start: int,
    num: int,
    num_stop: int,
    *,
    unit: MetricKind | None = None,
    one: bool = False,
    ranged: bool = False,
) -> _Q | None:
    """The quantity whose number is ``num..num_stop``, with its unit, counted noun or rate."""
    j = num_stop

    def at(k: int) -> str:
        return _k(doc, k, num)

    if unit == "percent":
        return _Q(start, _of_phrase(doc, num, j), "percent", num, num_stop, range_=ranged)
    if unit == "money":
        if at(j) in _MONEY_WORDS:
            j += 1
        stop = _rate(doc, num, j)
        if stop == j and at(j) == "in":
            k = _words_of_noun(doc, num, j + 1, 3)
            if k > j + 1 and _rate(doc, num, k) > k:
                stop = _rate(doc, num, k)  # "$4 million in gross bookings a month"
        return _Q(start, stop, "money", num, num_stop, range_=ranged)
    if at(j) in ("percent", "pct", "%") and not doc.break_after(j - 1):
        return _Q(start, _of_phrase(doc, num, j + 1), "percent", num, num_stop, range_=ranged)
    if at(j) == "per" and at(j + 1) == "cent":
        return _Q(start, _of_phrase(doc, num, j + 2), "percent", num, num_stop, range_=ranged)
    if at(j) in ("percentage", "basis") and at(j + 1) in ("point", "points"):
        return _Q(start, j + 2, "percent", num, num_stop, range_=ranged)
    if at(j) in ("bps", "pp"):
        return _Q(start, j + 1, "percent", num, num_stop, range_=ranged)
    if at(j) in ("points", "point") and not doc.break_after(j - 1):
        prev = doc.prev_word(num)
        if at(j) == "point" and prev is not None and doc.keys[prev] in ("at", "some", "that"):
            return None  # "at one point we nearly gave up"
        return _Q(start, j + 1, "percent", num, num_stop, range_=ranged)
    if at(j) in _MONEY_WORDS:
        return _Q(start, _rate(doc, num, j + 1), "money", num, num_stop, range_=ranged)
    if at(j) == "x" or _FOLD.match(at(j)):
        return _Q(start, j + 1, "ratio", num, num_stop, range_=ranged)
    if at(j) == "times" and (at(j + 1) in _COMPARATIVES or at(j + 1).endswith("er")):
        stop = j + 2
        if at(j + 1) in ("as", "more", "less") and at(j + 2):
            stop = j + 3
        return _Q(start, _noun_end(doc, num, stop), "ratio", num, num_stop, range_=ranged)
    if at(j) == "in" and at(j + 1) not in TIME_UNITS:
        other = _read_words(doc, j + 1) if at(j + 1) else None
        if other is None and at(j + 1)[:1].isdigit():
            other = j + 2
        if other is not None and not _YEAR.match(at(j + 1)):
            return _Q(start, _noun_end(doc, num, other), "ratio", num, num_stop)  # "one in five"
    if at(j) == "out" and at(j + 1) == "of":
        other = _read_words(doc, j + 2) if at(j + 2) else None
        if other is None and at(j + 2)[:1].isdigit():
            other = j + 3
        if other is not None:
            kind: MetricKind = "count" if "." in doc.keys[num] else "ratio"
            return _Q(start, _noun_end(doc, num, other), kind, num, num_stop)
    if at(j) == "of" and (at(j + 1) in _COUNTING_TO or at(j + 1) in ("them", "us")) and not one:
        stop = _group_of(doc, num, j + 1)  # "two of our six engineers", "three of them"
        return _Q(start, stop, "count", num, num_stop, range_=ranged)
    if at(j) in TIME_UNITS or (at(j) in ("whole", "full", "extra") and at(j + 1) in TIME_UNITS):
        if at(j) not in TIME_UNITS:
            j += 1
        if one:
            prev = doc.prev_word(num)
            measured = prev is not None and doc.keys[prev] in _DURATION_BEFORE_ONE
            if not measured and at(j + 1) != "more":
                return None  # "One day my manager…", "one week later"
        return _Q(start, _rate(doc, num, j + 1), "duration", num, num_stop, range_=ranged)
    if at(j) == "more" and at(j + 1) in TIME_UNITS:
        return _Q(start, j + 2, "duration", num, num_stop)  # "one more week"
    if at(j) == "times":
        return _Q(start, _rate(doc, num, j + 1), "count", num, num_stop)
    if at(j) in ("revenue", "savings", "sales", "arr", "gmv") and not doc.break_after(j - 1):
        return _Q(start, j, "money", num, num_stop)
    for gap in (1, 2):
        words = [at(j + g) for g in range(gap)]
        if (
            all(w.isalpha() and w not in FUNCTION_WORDS and w not in TIME_UNITS for w in words)
            and at(j + gap) in ("hours", "days", "weeks", "minutes", "months")
            and not any(doc.break_after(j - 1 + g) for g in range(gap + 1))
            and not one
        ):
            end = j + gap + 1  # "30 agent hours", "1,200 lost picker hours"
            return _Q(start, _rate(doc, num, end), "duration", num, num_stop)
    if one and at(j) in ("a", "an", "per") and _period(at(j + 1)):
        return _Q(start, j + 2, "count", num, num_stop)  # "one a month"
    if one and not _one_counts(doc, num, j) and not _end_of_movement(doc, num):
        return None
    stop = _noun_end(doc, num, j)
    bare = stop == j
    if bare and _money_clause(doc, num) and _big(doc, num, num_stop):
        return _Q(start, _rate(doc, num, j), "money", num, num_stop, range_=ranged)
    return _Q(start, _rate(doc, num, stop), "count", num, num_stop, bare=bare, one=one)


def _end_of_movement(doc: Doc, num: int) -> bool:
    """ "from four hours a week to under one": "one" ends a movement."""
    j = doc.prev_word(num)
    while j is not None and doc.keys[j] in _TO_APPROX:
        j = doc.prev_word(j)
    if j is None or doc.keys[j] != "to":
        return False
    s = doc.sentences[doc.sentence_of[num]]
    return "from" in doc.keys[max(s.index, num - 12) : num]


def _big(doc: Doc, num: int, num_stop: int) -> bool:
    """A number of thousands or more ("sixty-five thousand", "a million", "600,000")."""
    if any(doc.keys[k] in ("thousand", "million", "billion") for k in range(num, num_stop)):
        return True
    digits = doc.keys[num].replace(",", "").lstrip("$€£")
    try:
        return float(digits) >= 1000 and not _YEAR.match(doc.keys[num])
    except ValueError:
        return False


def _one_counts(doc: Doc, num: int, j: int) -> bool:
    """ "one designer", "one engineer", "one chart, not twenty": "one" counting people or
    resources, or set against another number. Not "one customer told me", "one of the"."""
    nxt = _k(doc, j, num)
    if nxt in _PERSON_NOUNS or nxt.rstrip("s") in _PERSON_NOUNS:
        return True
    prev = doc.prev_word(num)
    if prev is not None and doc.keys[prev] in ("only", "just", "exactly"):
        return nxt.isalpha() and nxt not in FUNCTION_WORDS and nxt not in ("day", "thing")
    return bool(nxt and doc.clause_mark_after(j) and _k(doc, j + 1, num) == "not")


def _noun_end(doc: Doc, origin: int, j: int, *, of: bool = False) -> int:
    """Include the counted noun phrase after a number (up to three words): "thirty other
    drivers", "two host interviews", "nine more markets"; with ``of``, an "of the traffic"
    phrase too."""
    if doc.break_after(j - 1):
        return j
    if _k(doc, j, origin) in ("more", "other", "additional", "extra", "new", "fewer"):
        after = _words_of_noun(doc, origin, j + 1, 3)
        if after > j + 1:
            return after
    if of and _k(doc, j, origin) == "of" and not doc.break_after(j - 1):
        k = j + 1
        if _k(doc, k, origin) in _COUNTING_TO or _k(doc, k, origin) in ("them", "us", "each"):
            k += 1
        return _words_of_noun(doc, origin, k, 3) if _k(doc, k - 1, origin) != "them" else k
    return _words_of_noun(doc, origin, j, 3)


def _words_of_noun(doc: Doc, origin: int, j: int, limit: int) -> int:
    k = j
    while k < j + limit and k < doc.n and _same(doc, origin, k):
        if k > j and doc.break_after(k - 1):
            break
        key = doc.keys[k]
        if not key or not key.replace("-", "").replace("'", "").isalpha():
            break
        if key in FUNCTION_WORDS or key in TIME_UNITS or key in _MONEY_WORDS:
            break
        if _compound(key) is not None or is_cardinal_word(key):
            break
        if is_past_form(key):
            following = _k(doc, k + 1, origin)
            if k > j or not following.isalpha() or following in FUNCTION_WORDS:
                break
            if is_past_form(following):
                break
        if key in (
            "per",
            "each",
            "every",
            "a",
            "an",
            "or",
            "in",
            "total",
            "later",
            "earlier",
            "ago",
            "before",
            "after",
            "early",
            "late",
            "apiece",
            "ahead",
            "first",
            "last",
            "again",
            "instead",
            "too",
            "alone",
            "together",
            "overall",
        ):
            break
        k += 1
        if key.endswith("s") and not key.endswith("ss") and k > j:
            break  # a plural noun ends the phrase: "two host interviews"
    return k


def _of_phrase(doc: Doc, num: int, j: int) -> int:
    """ "22% of users", "70% of new drivers", "10% of each sprint", "6% of … every week"."""
    stop = j
    if _k(doc, j, num) == "of" and not doc.break_after(j - 1):
        k = j + 1
        while _k(doc, k, num) in _COUNTING_TO or _k(doc, k, num) in ("each", "every", "all"):
            k += 1
        stop = _words_of_noun(doc, num, k, 3)
        if stop == k and _k(doc, k, num) in TIME_UNITS:
            stop = k + 1  # "10% of each sprint", "3% of nights"
        if stop == k:
            stop = j
    return _rate(doc, num, stop)


def _group_of(doc: Doc, num: int, k: int) -> int:
    """ "two of our six engineers", "three of them", "two of his site managers"."""
    if _k(doc, k, num) in ("them", "us"):
        return k + 1
    k += 1
    if is_cardinal_word(_k(doc, k, num)) or _k(doc, k, num)[:1].isdigit():
        k += 1
    return _words_of_noun(doc, num, k, 3)


def _rate(doc: Doc, origin: int, j: int) -> int:
    """Swallow a rate after a quantity: "a year", "per site", "each", "every two weeks",
    "annually", "in total"."""
    k = _k(doc, j, origin)
    if not k or doc.break_after(j - 1):
        return j
    if k in _RATE_ADVERBS:
        return j + 1
    if k == "each":
        return j + 1
    if k in ("a", "an") and _period(_k(doc, j + 1, origin)):
        return j + 2
    if k == "per" and _k(doc, j + 1, origin):
        return j + 2
    if k == "every":
        nxt = _k(doc, j + 1, origin)
        if _period(nxt) or nxt in _WEEKDAYS:
            return j + 2
        after = _read_words(doc, j + 1) if nxt else None
        if after is None and nxt[:1].isdigit():
            after = j + 2
        if after is not None and _period(_k(doc, after, origin)):
            return after + 1
        if nxt in ("single", "other") and _period(_k(doc, j + 2, origin)):
            return j + 3
    if k == "in" and _k(doc, j + 1, origin) == "total":
        return j + 2
    if (
        k == "in"
        and _k(doc, j + 1, origin) in ("a", "an")
        and _period(_k(doc, j + 2, origin))
        and j > origin + 1
        and doc.keys[j - 1].isalpha()
        and doc.keys[j - 1].endswith("s")
        and doc.keys[j - 1] not in _PERCENT_WORDS | {"points", "dollars", "euros"}
    ):
        return j + 3  # "two cancelled trips in a week"
    return j


# -- ranges and movements -------------------------------------------------------------------------


def _combine(doc: Doc, qs: list[_Q]) -> list[_Q]:
    """ "from X to Y" (one change), "X to Y", "between X and Y", "X or Y" (one number)."""
    return [_to_value(doc, q) for q in _pairs(doc, _pairs(doc, qs, only_or=True))]


_TO_VALUES = (
    ("same-day",), ("same", "day"), ("single", "digits"), ("zero",), ("none",), ("nothing",),
    ("almost", "nothing"), ("nearly", "nothing"), ("real", "time"), ("real-time",),
    ("instant",), ("seconds",), ("minutes",), ("hours",), ("next-day",), ("next", "day"),
)  # fmt: skip


def _to_value(doc: Doc, q: _Q) -> _Q:
    """ "from five days to same-day", "from 50 a month to single digits", "from a
    four-second load to under one second": a movement whose end is a word, or whose start
    names its noun."""
    if q.change:
        return q
    before = doc.prev_word(q.start)
    while before is not None and doc.keys[before] in _TO_APPROX | {"a", "an"}:
        before = doc.prev_word(before)
    if before is None or doc.keys[before] != "from":
        return q
    j = q.stop
    while j < min(q.stop + 3, doc.n) and _same(doc, q.num, j) and doc.keys[j] != "to":
        if doc.break_after(j):
            return q
        j += 1
    if doc.key(j) != "to" or not _same(doc, q.num, j):
        return q
    k = j + 1
    while doc.key(k) in _TO_APPROX:
        k += 1
    for value in _TO_VALUES:
        if tuple(doc.keys[k : k + len(value)]) == value and _same(doc, q.num, k):
            return replace(q, start=before, stop=k + len(value), change=True, movement=True)
    return q


def _pairs(doc: Doc, qs: list[_Q], *, only_or: bool = False) -> list[_Q]:
    out: list[_Q] = []
    k = 0
    while k < len(qs):
        cur = qs[k]
        nxt = qs[k + 1] if k + 1 < len(qs) else None
        if nxt is not None and _same(doc, cur.start, nxt.start):
            gap = doc.keys[cur.stop : nxt.start]
            joined = None if only_or and list(gap) != ["or"] else _join(doc, cur, nxt, gap)
            if joined is not None:
                out.append(joined)
                k += 2
                continue
        out.append(cur)
        k += 1
    return out


def _join(doc: Doc, cur: _Q, nxt: _Q, gap: Sequence[str]) -> _Q | None:
    if not gap:
        return None
    words = [g for g in gap if g]
    if not words:
        return None
    before = doc.prev_word(cur.start)
    while before is not None and (
        (doc.keys[before] in _TO_APPROX and doc.keys[before] != "at")
        or doc.keys[before] in ("a", "an")
    ):
        before = doc.prev_word(before)  # "from about 9% to under 1%", "from a four-second load"
    prev = doc.keys[before] if before is not None else ""
    if prev != "from":
        before = doc.prev_word(cur.start)
    if prev == "from" and "to" in words[1:3] and words[0] != "to":
        to = words.index("to")
        if all(w.isalpha() and w not in FUNCTION_WORDS for w in words[:to]) and all(
            w in _TO_APPROX for w in words[to + 1 :]
        ):
            start = before if before is not None else cur.start
            return _Q(start, nxt.stop, nxt.unit, cur.num, nxt.num_stop, change=True, movement=True)
    if words[0] == "to" and all(w in _TO_APPROX for w in words[1:]):
        if cur.unit != nxt.unit and not (cur.bare or nxt.bare or _compatible(cur, nxt)):
            return None
        if prev == "from":
            start = before if before is not None else cur.start
            return _Q(start, nxt.stop, nxt.unit, cur.num, nxt.num_stop, change=True, movement=True)
        if cur.change:
            return _Q(cur.start, nxt.stop, "change", cur.num, nxt.num_stop, change=True)
        if len(words) == 1 and not (cur.one or nxt.one):
            if _changes_before(doc, cur.start) or prev in _MOVED:
                return _Q(
                    cur.start,
                    nxt.stop,
                    nxt.unit,
                    cur.num,
                    nxt.num_stop,
                    change=True,
                    movement=True,
                )
            unit = nxt.unit if nxt.unit != "count" else cur.unit
            return _Q(cur.start, nxt.stop, unit, cur.num, nxt.num_stop, range_=True)
        return None
    if words == ["and"] and prev == "between" and before is not None:
        unit = nxt.unit if nxt.unit != "count" else cur.unit
        return _Q(before, nxt.stop, unit, cur.num, nxt.num_stop, range_=True)
    if words == ["or"] and (cur.bare or cur.unit == nxt.unit or nxt.bare):
        unit = cur.unit if cur.unit != "count" else nxt.unit
        return _Q(cur.start, nxt.stop, unit, cur.num, nxt.num_stop, range_=True)
    return None


_MOVED = frozenset({"went", "moved", "jumped", "climbed", "came", "go", "goes", "going"})
"""Before "X to Y", a verb of movement makes it a change: "conversion went 60 to 81%"."""


def _compatible(a: _Q, b: _Q) -> bool:
    return {a.unit, b.unit} <= {"count", "percent", "duration", "money", "ratio"} and (
        a.unit == "count" or b.unit == "count"
    )


def _only_fillers(doc: Doc, j: int, i: int) -> bool:
    """Between ``j`` and ``i`` there are only hesitations and approximators ("by, um, about")."""
    return all(doc.hesitation[k] is not None or doc.keys[k] in _APPROX for k in range(j + 1, i))


def _changes_before(doc: Doc, i: int) -> bool:
    """A change verb governs the number at ``i``: "went 60 to 81%", "grew 30%",
    "reduced churn by 15%", "cut it to about six weeks"."""
    return _change_verb_before(doc, i) is not None


_ASIDE = frozenset({"i", "think", "say", "guess", "want", "to", "maybe", "like", "'d", "i'd",
                    "would", "mean", "you", "know", "believe", "probably", "roughly"})  # fmt: skip


def _skip_aside(doc: Doc, j: int) -> int | None:
    """Step back over a comma-enclosed aside: "dropped, I want to say, around ten points"."""
    k: int | None = j
    words = 0
    while k is not None and words < 5:
        if doc.keys[k] not in _ASIDE and doc.hesitation[k] is None:
            return None
        prev = doc.prev_word(k)
        words += 1
        if prev is not None and doc.clause_mark_after(prev):
            return prev
        k = prev
    return None


def _change_verb_before(doc: Doc, i: int) -> int | None:
    j = doc.prev_word(i)
    steps = 0
    crossed = False
    while j is not None and steps < 4:
        key = doc.keys[j]
        if key in _APPROX and key not in ("by", "to", "at"):
            j = doc.prev_word(j)
            steps += 1
            continue
        if doc.clause_mark_after(j) and doc.hesitation[j] is None and not crossed:
            aside = _skip_aside(doc, j)
            if aside is not None and doc.keys[aside] not in ("by", "to"):
                j = aside
                crossed = True
                steps += 1
                continue
        break
    if j is None:
        return None
    if (
        doc.break_after(j)
        and not crossed
        and not (doc.keys[j] in ("by", "to", "down", "up") and _only_fillers(doc, j, i))
    ):
        return None
    key = doc.keys[j]
    if key in ("up", "down"):
        verb = doc.prev_word(j)
        vkey = doc.keys[verb] if verb is not None else ""
        if vkey in ("came", "come", "ticked", "back", "went", "go", "goes", "moved"):
            return verb
        if is_past_form(vkey) and vkey not in _CHANGE_FORMS:
            return None  # "we mocked up three versions"
        return j
    if key in _CHANGE_FORMS and key not in ("moved", "lost", "cut"):
        return j
    if key in ("moved", "lost", "cut"):
        return j
    if key in ("by", "to"):
        # "reduced churn by 15%", "grew scheduled rides to 1.2 million", "fell to"
        back = doc.prev_word(j)
        while back is not None and doc.keys[back] in ("too", "also", "again", "even"):
            back = doc.prev_word(back)  # "dropped too, by about a third"
            if back is not None and doc.break_after(back):
                break
        steps = 0
        while back is not None and steps < 8:
            if doc.break_after(back) and not (steps == 0 and key in ("to", "by")):
                return None
            bkey = doc.keys[back]
            if bkey in ("up", "down") and key == "by":
                return back  # "went down by a third"
            if bkey in _CHANGE_FORMS or bkey in ("went", "came", "got", "back"):
                if bkey in ("went", "came", "got") and key == "by":
                    return None
                if bkey == "back" and key == "to":
                    return back
                if bkey in ("went", "got") and key == "to":
                    return back  # "went to 6%"
                if bkey == "came" and key == "to":
                    return None  # "it came to $22,000 a month": an amount
                return back
            if bkey in ("was", "were", "is", "be", "been") and key == "to":
                return None
            back = doc.prev_word(back)
            steps += 1
    return None


# -- judging: what is not a number -------------------------------------------------------------


def _keep(doc: Doc, q: _Q, earlier: Sequence[_Q]) -> bool:
    num = q.num
    key = doc.keys[num]
    prev_i = doc.prev_word(q.start)
    prev = doc.keys[prev_i] if prev_i is not None else ""
    nxt = _k(doc, q.num_stop, num)
    if doc.quoted[num] and _quoted_name(doc, num):
        return False
    if (q.bare or q.range_) and _YEAR.match(key):
        return False  # "in 2023", "in 2016 or 2017"
    explicit = key[:1] in "$€£" or key.endswith(("%", "x")) or q.unit == "percent"
    if (
        prev_i is not None
        and prev in _LABEL_NOUNS
        and prev_i == q.start - 1
        and not doc.clause_mark_after(prev_i)
        and not explicit
        and not q.article
        and q.start == q.num
    ):
        return False  # "week three", "phase 2", "Android 14"
    if q.bare and prev_i is not None and _named(doc, prev_i, num):
        return False  # "Android 14 users", "iOS 17"
    if nxt in _CLOCK_AFTER or _raw(doc, q.num_stop).lower().startswith(("a.m", "p.m")):
        return False  # "at 5 a.m."
    if q.bare and prev == "at" and _small(key) and not _following_noun(q):
        return False  # "every evening at six"
    if prev in _MONTHS or (nxt in _MONTHS and q.bare):
        return False  # "March 3", "3 March"
    if key in ("zero",) and prev == "from":
        return False  # "start from zero"
    if q.unit == "duration" or (q.bare and _k(doc, q.stop, num) in TIME_UNITS):
        after = _k(doc, q.stop, num)
        if after in _REFERENCE_AFTER or (after == "from" and _event_after(doc, q.stop + 1)):
            then = _k(doc, q.stop + 1, num)
            moved = any(
                doc.key(b) in ("moved", "shifted", "pushed", "pulled", "move")
                for b in range(q.start - 4, q.start)
            )
            if doc.break_after(q.stop):
                then = ""
            elliptical = after in ("before", "after") and then in (
                "was",
                "is",
                "were",
                "are",
                "would",
                "will",
            )
            measured = (
                elliptical
                or (after in ("later", "earlier") and (then == "than" or moved))
                or (after in ("before", "after") and then in _INTERVAL_AFTER)
                or (after in ("before", "after") and prev in ("for", "in", "within", "over"))
            )
            if not measured:
                return False  # "two years ago", "four weeks later", "two weeks before launch"
    rate = prev in ("per", "each", "every", "once", "twice", "times") or prev[:1].isdigit()
    if q.one and q.article and q.unit == "duration" and rate:
        return False  # a rate: "twice a week" (the rate belongs to the number before)
    each_of = prev == "each" and _k(doc, q.num_stop, num) == "of"
    group = prev in _GROUP_REFERENCE and prev != "every" and not each_of
    if group and not q.change and q.unit == "count":
        return False  # "all four approved", "those five", "both"
    if prev == "the" and q.unit == "count" and _said_before(doc, q, earlier):
        return False  # "the twenty customers" after "twenty customers"
    if nxt == "of" and _k(doc, q.num_stop + 1, num) == "us":
        return False  # "the two of us", "both of us": the people of a shared subject
    if key == "100%" and nxt in _INTENSIFIED:
        return False  # "I was 100% sure"
    if prev == "per" and not q.change:
        return False  # "complaints per thousand households"
    if q.unit == "count" and _announces(doc, q):
        return False  # "Two reasons.", "three things I'd do"
    if q.bare and prev in ("over", "under") and prev_i is not None:
        noun = doc.prev_word(prev_i)
        if noun is not None and doc.keys[noun] in (
            "viewers",
            "users",
            "people",
            "customers",
            "patients",
            "members",
            "adults",
            "kids",
        ):
            return False  # "viewers over 55": an age bracket
    return not (q.bare and key in ("one", "1") and not q.change)


def _quoted_name(doc: Doc, num: int) -> bool:
    """ "a 'ready in 30 minutes' filter": a number inside a quoted name."""
    j = num
    while j > 0 and doc.quoted[j - 1]:
        j -= 1
    k = num
    while k + 1 < doc.n and doc.quoted[k + 1]:
        k += 1
    return doc.key(j - 1) in ("a", "an", "the") and k - j < 6


def _named(doc: Doc, prev_i: int, num: int) -> bool:
    """A capitalised name right before a plain number: "Android 14", "iOS 17"."""
    text = doc.words[prev_i].text.strip()
    if not text or not text[0].isalpha() or doc.clause_mark_after(prev_i):
        return False
    if doc.opens_sentence(prev_i) or doc.keys[prev_i] in _MONTHS:
        return False
    if doc.keys[prev_i] in _KPI_NAMES or (text.isupper() and len(text) <= 4):
        return False
    capital = text[0].isupper() or (len(text) > 1 and text[1].isupper())
    return capital and not doc.keys[num][:1].isalpha() and "," not in doc.keys[num]


def _small(key: str) -> bool:
    return (key in UNITS_WORDS and 0 < UNITS_WORDS[key] <= 12) or (key.isdigit() and int(key) <= 12)


def _following_noun(q: _Q) -> bool:
    return q.stop > q.num_stop


def _event_after(doc: Doc, j: int) -> bool:
    """ "two days from launching", "two weeks from launch": an event, not a value."""
    key = doc.key(j)
    return key.endswith("ing") or key in ("launch", "the", "go-live", "release", "now")


def _said_before(doc: Doc, q: _Q, earlier: Sequence[_Q]) -> bool:
    """The same number with the same counted noun was said before: a reference back."""
    mine = _value_words(doc, q)
    if not mine[1]:
        return False
    return any(_value_words(doc, e) == mine for e in earlier)


def _value_words(doc: Doc, q: _Q) -> tuple[str, str]:
    number = " ".join(doc.keys[q.num : q.num_stop])
    noun = doc.keys[q.stop - 1] if q.stop > q.num_stop else ""
    return number, noun


def _announces(doc: Doc, q: _Q) -> bool:
    """ "Two reasons.", "I'd define success at three levels", "the two things I learned"."""
    noun = doc.keys[q.stop - 1] if q.stop > q.num_stop else ""
    if noun not in _POINT_NOUNS:
        return False
    if doc.sentence_final(q.stop - 1) or ":" in doc.trail[q.stop - 1]:
        head = doc.prev_word(q.start)
        if head is None or doc.keys[head] in ("so", "and"):
            return True
        if doc.keys[head] in ("are", "were") and doc.key(head - 1) == "there":
            return True
        if noun in _SPEAKER_POINTS:
            return True  # "I work by two principles:", "success at three levels:"
    after = _k(doc, q.stop, q.num)
    if after in ("i", "that", "i'd", "i've", "we") and _k(doc, q.stop + 1, q.num) not in (
        "was",
        "were",
    ):
        return noun not in ("questions", "options", "ideas", "things") or after in ("i", "i'd")
    prev = doc.prev_word(q.start)
    return prev is not None and doc.keys[prev] in ("at", "on") and noun == "levels"


# -- kind ------------------------------------------------------------------------------------


def _kind(doc: Doc, q: _Q, changed_before: bool = False) -> tuple[MetricKind, int]:
    """The metric's kind and where its span starts (a change verb may start it);
    ``changed_before``: the number before it in its sentence is a change."""
    if q.change:
        return "change", q.start
    verb = _change_verb_before(doc, q.start)
    if verb is not None and _real_change(doc, verb, q):
        particle = doc.keys[verb] in ("up", "down")
        by = doc.key(q.start - 1) == "by" or doc.key(q.num - 1) == "by"
        if not particle or q.unit in ("percent", "money", "ratio") or by:
            return "change", verb
    nxt = _k(doc, q.stop, q.num)
    if nxt in _CHANGE_NOUNS and q.unit in ("percent", "money", "ratio", "count"):
        return "change", q.start  # "a 15% lift", "a 20% drop"
    if (
        _k(doc, q.stop + 1, q.num) in _CHANGE_NOUNS
        and nxt.isalpha()
        and nxt not in FUNCTION_WORDS
        and q.unit in ("percent", "money", "ratio")
    ):
        return "change", q.start  # "a 25% price increase"
    if nxt in ("up", "down") and _k(doc, q.stop + 1, q.num) == "from" and q.unit != "count":
        return "change", q.start  # "75%, up from 60%"
    prev_i = doc.prev_word(q.start)
    if prev_i is not None and doc.clause_mark_after(prev_i) and doc.keys[prev_i] in _CHANGE_NOUNS:
        return "change", q.start  # "a smaller price increase, 4%, …"
    if prev_i is not None and doc.keys[prev_i] in ("against", "versus", "vs") and changed_before:
        return "change", q.start  # "grew 9% over the period, against 3% in Rio"
    if nxt == "of" and _k(doc, q.stop + 1, q.num) in _CHANGE_NOUNS:
        return "change", q.start
    prev = doc.prev_word(q.start)
    if (
        prev is not None
        and doc.keys[prev] == "of"
        and doc.key(prev - 1) in _CHANGE_NOUNS
        and q.unit != "duration"
    ):
        return "change", q.start  # "an increase of 40 seats"
    return q.unit, q.start


def _real_change(doc: Doc, verb: int, q: _Q) -> bool:
    """The change verb moves this quantity, not a count it acts on: "cut the scope down to
    the three export formats" (a count), "lost two engineers" (a count)."""
    vkey = doc.keys[verb]
    if vkey in ("lost", "lose", "losing") and q.unit in ("money", "duration"):
        return False  # "losing $1.6 million a year", "we've lost a week": amounts, not moves
    if (
        vkey in ("lost", "lose", "losing", "moved", "shifted")
        and q.unit == "percent"
        and _k(doc, q.num_stop, q.num) == "of"
        and _k(doc, q.num_stop + 1, q.num) not in ("a", "one")
    ):
        return False  # "we lost about 0.3% of bookings", "moved 20% of the volume": a share
    if vkey in ("slipped", "delayed", "pushed", "extended") and q.unit == "duration":
        return False  # "the launch slipped by two months": a delay, not a movement
    if _k(doc, q.num_stop, q.num) in ("more", "other", "new", "additional", "extra"):
        return False  # "expanded to nine more markets"
    if vkey in ("went", "came", "got") and q.unit in ("count", "duration") and q.stop > q.num_stop:
        return False  # "I went to three stores"
    acts_on = vkey in ("lost", "lose", "losing", "cut", "moved", "gained")
    if acts_on and q.unit == "count" and doc.key(q.start - 1) not in ("by", "to"):
        return False  # "we lost two engineers", "moved two staff"
    if vkey == "moved" and q.unit not in ("percent",) and not q.one:
        return False
    if (
        vkey in ("dropped", "drop", "dropping")
        and q.unit == "count"
        and doc.key(q.start - 1)
        not in (
            "by",
            "to",
            "from",
        )
    ):
        return not (q.stop > q.num_stop)  # "dropped the loyalty program" is not a change
    return doc.key(q.start - 1) not in _COUNTING_TO


def _kpi_start(doc: Doc, i: int) -> int:
    """Include a KPI name before the number: "NPS of 45", "NPS 45"."""
    if doc.key(i - 1) == "of" and doc.key(i - 2) in _KPI_NAMES and doc.same_sentence(i - 2, i):
        return i - 2
    if (
        i >= 1
        and doc.key(i - 1) in _KPI_NAMES
        and doc.same_sentence(i - 1, i)
        and doc.words[i - 1].text.strip(",.:;").isupper()
    ):
        return i - 1
    return i


_ELLIPSIS_BEFORE = frozenset({"of", "than", "versus", "vs", "in", "within", "to", "from"})


def _ellipsis(doc: Doc, q: _Q, kept: Sequence[_Q]) -> _Q:
    """A bare number that leaves its unit to the number before it: "under five minutes
    instead of twenty-five", "five months … in three and a half"."""
    if not q.bare or q.unit != "count" or not kept:
        return q
    prev = doc.prev_word(q.start)
    if prev is None or doc.keys[prev] not in _ELLIPSIS_BEFORE:
        return q
    if doc.keys[prev] == "of" and doc.key(prev - 1) != "instead":
        return q
    before = kept[-1]
    if doc.sentence_of[q.num] - doc.sentence_of[before.num] > 1:
        return q
    if before.unit in ("duration", "money", "percent"):
        return replace(q, unit=before.unit)
    return q


def find_metrics(source: DocSource) -> list[Metric]:
    """Every number in speaking order, classified, with its context and the words spanned."""
    doc = Doc.of(source)
    scanned = _combine(doc, _scan(doc))
    kept: list[_Q] = []
    for q in scanned:
        if _keep(doc, q, kept):
            kept.append(_ellipsis(doc, q, kept))
    quantities: list[Quantity] = []
    last_stop = 0
    for q in kept:
        before = quantities[-1] if quantities else None
        changed = (
            before is not None
            and before.kind == "change"
            and doc.sentence_of[before.num] == doc.sentence_of[q.num]
        )
        kind, start = _kind(doc, q, changed)
        start = max(start, last_stop)
        if q.stop <= start:
            continue
        from_to = q.movement
        quantities.append(Quantity(start, q.stop, q.num, q.num_stop, q.unit, kind, from_to))
        last_stop = q.stop
    contexts = judge_contexts(doc, quantities)
    out: list[Metric] = []
    last_stop = 0
    for q2, context in zip(quantities, contexts, strict=True):
        first = max(_kpi_start(doc, q2.start) if q2.start == q2.num else q2.start, last_stop)
        span = Span(first, q2.stop - first)
        last_stop = q2.stop
        out.append(
            Metric(doc.text(span), q2.kind, first, span.count, doc.span_start(span), context)
        )
    return out


__all__ = ["TIME_UNITS", "Metric", "MetricContext", "MetricKind", "find_metrics"]
