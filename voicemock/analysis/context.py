"""A number's context: does the answer say what it is compared with, and when or where
it holds?

"We improved retention by 15%" says nothing on its own. It means something with a
**baseline** — a starting value ("from 60%"), a comparison ("versus 8% last year", "twice
the control group", "instead of nine"), a target or plan ("against a goal of 10%", "eight
days early", "under budget"), or an earlier value of the same measure ("Before, agents
handled 40 chats a day … they handled 55") — and with a **period** — a time span ("in one
quarter", "over six months"), a rate ("a year", "per week"), a window ("last year", "in
Q3", "by the end of October", "the following month", "30-day retention") or a scope that
bounds it ("in the test group", "in Texas", "for enterprise accounts").

Context is read where a listener hears it: in the number's own clause, plus an opening
adverbial that sets the time for the whole sentence ("In the first month, …", "Four weeks
later, …"). Counts and durations are bounded only by windows and rates (twelve customers
"in six weeks" are still just twelve customers), a change, a share or an amount also by a
span of time or a scope.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from voicemock.analysis.document import MetricContext, MetricKind
from voicemock.analysis.lexicon import FUNCTION_WORDS, is_past_form
from voicemock.analysis.text import Doc, is_cardinal_word


@dataclass(frozen=True, slots=True)
class Quantity:
    """What the context rules need to know about one number."""

    start: int
    stop: int
    num: int
    """The first number word."""
    num_stop: int
    unit: MetricKind
    """What it measures (percent, money, duration, ratio or count)."""
    kind: MetricKind
    """Its kind (``change`` for a movement)."""
    from_to: bool = False
    """A "from X to Y" movement."""


TIME_UNITS = frozenset(
    {
        "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week",
        "weeks", "weekend", "weekends", "fortnight", "month", "months", "quarter",
        "quarters", "year", "years", "sprint", "sprints", "decade", "season",
        "semester", "period", "window", "cycle", "run", "shift", "morning", "evening",
        "night", "afternoon", "weekday",
    }
)  # fmt: skip
_RATE_WORDS = frozenset(
    {"annually", "monthly", "yearly", "weekly", "daily", "quarterly", "hourly", "annualised",
     "annualized", "nightly", "apiece", "each", "per"}
)  # fmt: skip
_MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"}
)  # fmt: skip
_ORDINALS = frozenset(
    {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
     "tenth", "next", "following", "previous", "last", "same", "whole", "entire", "holiday",
     "peak", "rest", "remaining", "final", "initial", "early", "opening", "busiest", "past",
     "coming", "current", "subsequent", "busy"}
)  # fmt: skip
_DETERMINERS = frozenset({"the", "their", "our", "its", "that", "those", "this", "these", "his",
                          "her", "my", "a", "an"})  # fmt: skip
_WINDOW_PREPS = frozenset(
    {"in", "during", "over", "within", "by", "until", "through", "for", "after", "since",
     "throughout", "across", "from", "before", "at", "of"}
)  # fmt: skip
_EVENTS = frozenset(
    {"deadline", "launch", "fix", "switch", "migration", "rollout", "pilot", "test", "trial",
     "change", "redesign", "release", "outage", "holidays", "holiday", "peak", "season",
     "transition", "campaign", "promotion", "experiment", "beta", "period", "sale", "cutover",
     "incident", "reorg", "acquisition", "end", "cutoff", "cut-off", "review", "quarter",
     "year", "month", "week", "day", "sprint"}
)  # fmt: skip
_BARE_EVENTS = frozenset({"launch", "release", "rollout", "go-live", "launching", "shipping"})
"""Events named without an article that bound a figure: "after launch"."""
_SCOPE_PREPS = frozenset({"in", "among", "across", "for", "at", "on"})
_SCOPE_NOUNS = frozenset(
    {"group", "groups", "market", "markets", "region", "regions", "city", "cities", "country",
     "countries", "store", "stores", "pilot", "segment", "segments", "cohort", "area", "areas",
     "airport", "airports", "mobile", "android", "ios", "desktop", "web", "app", "accounts",
     "customers", "users", "members", "households", "clinics", "sellers", "hosts", "drivers",
     "towns", "test", "holdout", "treatment", "variant", "arm", "control", "beta", "version",
     "flow", "program", "plan", "tier", "category", "categories", "businesses", "teams",
     "schools", "hospitals", "sites", "warehouses", "centres", "centers", "zone", "zones",
     "restaurants", "merchants", "partners", "riders", "students", "tutors", "patients",
     "viewers", "subscribers", "buyers", "guests", "shoppers", "agents", "callers"}
)  # fmt: skip
_COMPARE_AFTER = frozenset({"versus", "vs", "instead", "unlike", "relative"})
_COMPARATIVE_WORDS = frozenset(
    {"more", "less", "fewer", "higher", "lower", "longer", "shorter", "faster", "slower",
     "bigger", "smaller", "better", "worse", "cheaper", "likely", "often", "greater",
     "larger", "quicker", "above", "below", "over", "under"}
)  # fmt: skip
_REFERENCE_VALUES = frozenset(
    {"average", "usual", "normal", "typical", "baseline", "benchmark", "control", "previous",
     "old", "original", "price", "cost", "rate", "retention", "median", "marketplace", "rest",
     "current", "standard", "list", "full", "regular", "existing"}
)  # fmt: skip
_USUAL = frozenset(
    {"usual", "normal", "typical", "average", "previous", "old", "original", "standard",
     "regular", "current", "existing", "planned", "expected", "median"}
)  # fmt: skip
_TRIALS = frozenset(
    {"test", "tests", "tested", "testing", "pilot", "piloted", "piloting", "experiment",
     "experiments", "trial", "trialled", "trialed", "rollout", "rolled", "canary", "beta",
     "exposed", "holdout", "a/b"}
)  # fmt: skip
_UNIT_WORDS = frozenset({"year", "month", "week", "day", "quarter"})
_PRESENT_MARKERS = frozenset({"now", "currently", "nowadays", "today"})
_GOAL_WORDS = frozenset(
    {"goal", "target", "targets", "goals", "aim", "quota", "projected", "forecast", "predicted",
     "expected"}
)  # fmt: skip
_PLANS = frozenset({"budget", "plan", "target", "goal", "forecast", "estimate", "schedule",
                    "projection", "quota"})  # fmt: skip
_CLAUSE_OPENERS = frozenset(
    {"and", "but", "so", "while", "which", "when", "whereas", "though", "although",
     "because", "where", "who", "since", "yet", "or", "then", "after", "before", "until",
     "once", "if"}
)  # fmt: skip
_SUBJECTS = frozenset({"i", "we", "they", "he", "she", "it", "you", "there"})
_FINITE = frozenset(
    {"was", "were", "is", "are", "had", "has", "have", "did", "does", "do", "went", "came",
     "got", "made", "took", "fell", "rose", "grew", "ran", "saw", "stayed", "dropped",
     "happened", "became", "felt", "kept", "left", "led", "cut", "moved", "hit", "won",
     "lost", "paid", "spent", "sold", "set", "put", "told", "said", "found", "built"}
)  # fmt: skip
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_QUARTER = re.compile(r"^(?:q[1-4]|h[12])$")
_COMPOUND_WINDOW = re.compile(
    r"^(?:\d+|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"[a-z]+ty|[a-z]+teen|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)-"
    r"(?:day|week|month|year|hour|minute)$"
)
_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekday",
     "morning", "evening", "night", "weekend"}
)  # fmt: skip
_EVENT_ING = re.compile(r"^[a-z]+ing$")


def judge_contexts(doc: Doc, items: Sequence[Quantity]) -> list[MetricContext]:
    """The context of every number in ``items`` (in speaking order)."""
    judge = _Judge(doc, items)
    return [judge.context(n) for n in range(len(items))]


class _Judge:
    def __init__(self, doc: Doc, items: Sequence[Quantity]) -> None:
        self.doc = doc
        self.items = items
        self.keys = doc.keys
        self._segments: dict[int, list[tuple[int, int, bool]]] = {}
        self._clauses: dict[int, tuple[int, int]] = {}
        self._measures: dict[int, set[str]] = {}
        self.goals = self._goals()

    # -- clauses -------------------------------------------------------------------------

    def segments(self, s: int) -> list[tuple[int, int, bool]]:
        """The sentence's stretches between clause marks: (start, stop, has a finite verb)."""
        if s in self._segments:
            return self._segments[s]
        doc = self.doc
        span = doc.sentences[s]
        out: list[tuple[int, int, bool]] = []
        lo = span.index
        for j in range(span.index, span.stop):
            if doc.clause_mark_after(j) or j == span.stop - 1:
                out.append((lo, j + 1, self._verbal(lo, j + 1)))
                lo = j + 1
        self._segments[s] = out
        return out

    def _verbal(self, lo: int, hi: int) -> bool:
        keys = self.keys
        for j in range(lo, hi):
            key = keys[j]
            if key in _FINITE or key.endswith(("'re", "'m", "'ve", "'ll")):
                return True
            if is_past_form(key) and j > lo and keys[j - 1] not in _DETERMINERS:
                prev = keys[j - 1]
                if not prev.endswith("ly") or j - 1 > lo:
                    return True
        return False

    def clause(self, q: Quantity) -> tuple[int, int]:
        """The number's clause: its stretch, joined with the verbless stretches around it
        (an apposition ", about 2,600 of them", a tail ", with a median of 11%") and with
        the stretches of its own clause that a comma interrupts ("…, at around 2% a month")."""
        found = self._clauses.get(q.num)
        if found is None:
            found = self._clauses[q.num] = self._clause(q)
        return found

    def _clause(self, q: Quantity) -> tuple[int, int]:
        doc = self.doc
        s = doc.sentence_of[q.num]
        segs = self.segments(s)
        k = next(n for n, (lo, hi, _) in enumerate(segs) if lo <= q.num < hi)
        _lo, _hi, _ = segs[k]
        a = k
        while (
            a > 0 and not self._opens_clause(segs[a][0]) and (not segs[a - 1][2] or not segs[a][2])
        ):
            a -= 1
            if segs[a][2]:
                break
        b = k
        while b + 1 < len(segs) and not self._opens_clause(segs[b + 1][0]) and not segs[b + 1][2]:
            b += 1
        if a < k and self._lead(s) is not None and a == 0:
            a = 1 if len(segs) > 1 and a < 1 <= k else a
        return segs[a][0], segs[b][1]

    def _opens_clause(self, j: int) -> bool:
        key = self.keys[j]
        return key in _CLAUSE_OPENERS or key in _SUBJECTS

    def _lead(self, s: int) -> tuple[int, int] | None:
        """A sentence-opening adverbial that sets its time: "In the first month,",
        "Four weeks later,", "The first month,", "Over the next quarter,"."""
        segs = self.segments(s)
        span = self.doc.sentences[s]
        opening = self._opening_time(span.index, span.stop)
        if opening is not None:
            return opening  # "Within two months the backlog was…", "By March we had…"
        if len(segs) < 2:
            return None
        lo, hi, verbal = segs[0]
        if verbal or hi - lo > 9:
            return None
        first = self.keys[lo]
        words = self.keys[lo:hi]
        if first in _WINDOW_PREPS or first in ("that", "the", "this", "last", "next", "by"):
            return lo, hi
        if words and words[-1] in ("later", "after", "on") and len(words) <= 4:
            return lo, hi
        return None

    def _tail(self, s: int) -> tuple[int, int] | None:
        """A sentence-closing time phrase set off by a comma, which sets the time for the
        whole sentence as an opening one does: "Mobile conversion went to 2.6%, so roughly a
        quarter of the gap closed, in the first month."."""
        segs = self.segments(s)
        if len(segs) < 2:
            return None
        lo, hi, verbal = segs[-1]
        keys = self.keys
        if verbal or hi - lo > 6 or keys[lo] not in _WINDOW_PREPS or keys[lo] == "of":
            return None
        timed = any(
            _unit(k) or k in _MONTHS or _QUARTER.match(k) or _YEAR.match(k) for k in keys[lo:hi]
        )
        return (lo, hi) if timed else None  # not ", after testing four levels"

    def _opening_time(self, lo: int, hi: int) -> tuple[int, int] | None:
        """A time phrase opening the sentence without a comma: "Within two months the
        backlog…", "By March we had…", "In the first month about 31,000 visits…"."""
        keys = self.keys
        k = lo
        while k < hi and keys[k] in ("and", "so", "then", "but", "um", "uh"):
            k += 1
        if k >= hi or keys[k] not in ("within", "by", "in", "after", "over", "during"):
            return None
        j = k + 1
        if j < hi and (keys[j] in _MONTHS or keys[j] in _WEEKDAYS or _QUARTER.match(keys[j])):
            return k, j + 1
        while (
            j < hi
            and j < k + 6
            and (
                keys[j] in _DETERMINERS
                or keys[j] in _ORDINALS
                or is_cardinal_word(keys[j])
                or keys[j][:1].isdigit()
                or keys[j] in ("end", "of", "rest")
            )
        ):
            j += 1
        if j < hi and _unit(keys[j]) and j > k + 1:
            return k, j + 1
        return None

    # -- the judgement ---------------------------------------------------------------------

    def context(self, n: int) -> MetricContext:
        q = self.items[n]
        baseline = self.baseline(n)
        period = self.period(q)
        if baseline and period:
            return "both"
        if baseline:
            return "baseline"
        if period:
            return "period"
        return "neither"

    # -- period ------------------------------------------------------------------------------

    def period(self, q: Quantity) -> bool:
        keys = self.keys
        # a rate inside the number's own words: "$1.2 million a year", "40 tickets a day"
        for j in range(q.start, q.stop):
            if q.num <= j < q.num_stop and not q.from_to:
                continue
            key = keys[j]
            prev = keys[j - 1] if j > q.start else ""
            if key in _RATE_WORDS and (key != "each" or j == q.num_stop or q.unit == "money"):
                return True
            if (
                key in ("a", "an")
                and prev not in ("from", "to")
                and j + 1 < q.stop
                and _unit(keys[j + 1])
                and j > q.num
            ):
                return True
            if (
                key == "every"
                and j + 1 < q.stop
                and (
                    _unit(keys[j + 1])
                    or keys[j + 1] in _WEEKDAYS
                    or (j + 2 < q.stop and _unit(keys[j + 2]))
                )
            ):
                return True  # "three hours every two weeks", "an hour every Friday"
            if _COMPOUND_WINDOW.match(key) and j >= q.num_stop:
                return True
        if q.unit == "duration" and q.kind != "change" and not self._measured_time(q):
            return self._year_window(q)  # a length of time: only a rate or a year bounds it
        if q.unit == "count" and q.kind != "change" and self._scope_after_count(q):
            return True
        if q.unit == "count" and q.kind != "change" and q.start > 0 and keys[q.start - 1] == "with":
            return False  # who or what took part: "a pilot with 300 commuters", "with three PMs"
        if self._exposure(q):
            return False  # who a test ran on: "a test on half of the traffic for a month"
        earlier = self._restated(q)
        if earlier is not None and self._has_rate(earlier):
            return True  # "… 40 chats a day. After the change, they handled 55."
        measure = (
            q.kind == "change" or q.unit in ("percent", "money", "ratio") or (q.unit == "duration")
        )
        lo, hi = self.clause(q)
        multiple = self._reference_multiple(q)
        near_lo = lo
        if multiple:
            lo = q.stop  # "twice the rate of those who…": only "over the same period" after it
        lead = None if multiple else self._lead(self.doc.sentence_of[q.num])
        if lead is None and not multiple:
            lead = self._tail(self.doc.sentence_of[q.num])
        if (
            lead is not None
            and not (lead[0] <= q.num < lead[1])
            and not self._found(q)
            and self._lead_reaches(q)
        ):
            for j in range(lead[0], lead[1]):
                extent = self._window_at(j, lead[0], lead[1], q, counts=False)
                if extent is not None or self._span_at(j, lead[1]) is not None:
                    return True  # the opening sets the time for the whole sentence
                if (
                    self.keys[j] in ("by", "on")
                    and j + 1 < lead[1]
                    and (self.keys[j + 1] in _WEEKDAYS or self.keys[j + 1] in _MONTHS)
                ):
                    return True  # "By Monday, …"
                if measure and self._scope_at(j, lead[1]):
                    return True
        for j in range(lo, hi):
            if q.start <= j < q.stop or self._inside_other(j, q):
                continue
            extent = self._window_at(j, lo, hi, q, counts=not measure)
            if extent is not None and not measure and self._dates_action(extent[0], extent[1]):
                continue  # "I killed two price points after the first week"
            if extent is None and measure and not self._reference_multiple(q):
                extent = self._span_at(j, hi) or self._scope_at(j, hi) or None
            if extent is None:
                continue
            a, b = extent
            if a < q.stop and q.start < b:
                continue  # the number's own phrase: "in the first six weeks"
            if self._nearest(a, b, near_lo, hi) is q:
                return True
        return False

    def _dates_action(self, a: int, b: int) -> bool:
        """A time phrase that places an event at a point ("after the first week", "in
        2021") rather than spanning or closing a window ("in the first month", "by the end
        of Q1", "over the next quarter"): it dates what was done, and a count of things done
        then ("we acquired two marketplaces in 2021") is not bounded by it."""
        keys = self.keys
        if keys[a] == "after" or (a > 0 and keys[a - 1] == "after"):
            return True
        return keys[a] == "in" and b - a == 2 and bool(_YEAR.match(keys[a + 1]))

    def _exposure(self, q: Quantity) -> bool:
        """A share that says who or what a test, pilot or rollout ran on ("I ran it as a test
        on half of the traffic for a whole month", "we rolled it out to 10% of riders"): the
        test's scope, not a measured figure, so the clause's time span is the test's."""
        keys = self.keys
        if q.kind == "change" or q.unit not in ("ratio", "percent") or q.start == 0:
            return False
        if keys[q.start - 1] not in ("on", "to", "with"):
            return False
        lo, _ = self.clause(q)
        return any(keys[j] in _TRIALS for j in range(lo, q.start - 1))

    def _lead_reaches(self, q: Quantity) -> bool:
        """Whether a sentence-opening time phrase sets the time of this number's clause: not
        when the clause is told in the present ("Within two quarters he shipped it, and he now
        mentors two associate PMs"); "by now" and "until now" still count back to it."""
        lo, hi = self.clause(q)
        keys = self.keys
        return not any(
            keys[j] in _PRESENT_MARKERS and (j == 0 or keys[j - 1] not in ("by", "until", "till"))
            for j in range(lo, hi)
        )

    def _nearest(self, a: int, b: int, lo: int, hi: int) -> Quantity | None:
        """The number in the clause closest to the phrase ``a..b`` (outside it): a window
        or scope belongs to it ("…more than 50 items in their first week": the items)."""
        best: tuple[float, int] | None = None
        pick: Quantity | None = None
        for n, o in enumerate(self.items):
            if o.stop <= lo or o.start >= hi or (a <= o.start and o.stop <= b):
                continue
            distance: float
            if o.stop <= a:
                distance = a - o.stop
            elif o.start >= b:
                distance = o.start - b + 0.5
            else:
                continue
            if best is None or (distance, n) < best:
                best, pick = (distance, n), o
        return pick

    def _year_window(self, q: Quantity) -> bool:
        """ "eleven minutes on hold in the first half of 2022": a year bounds a duration."""
        lo, hi = self.clause(q)
        for j in range(max(lo, q.stop), hi):
            if _YEAR.match(self.keys[j]) and self.keys[j - 1] in ("of", "in", "during"):
                return self._nearest(j - 1, j + 1, lo, hi) is q
        return False

    def _found(self, q: Quantity) -> bool:
        """The number is inside what the speaker found or noticed ("… I noticed that 70% of
        our losses came from one code"): a finding, not a figure bounded by the opening."""
        keys = self.keys
        for j in range(max(0, q.start - 6), q.start):
            if keys[j] in (
                "noticed",
                "found",
                "saw",
                "realised",
                "realized",
                "learned",
                "discovered",
                "showed",
                "shows",
            ) and (keys[j + 1] == "that" or j + 1 == q.start):
                return True
        return False

    def _measured_time(self, q: Quantity) -> bool:
        """A duration that is the value of a measure: "p95 latency was about 4.2 seconds",
        "patients spent an average of eleven minutes on hold"."""
        keys = self.keys
        before = keys[max(0, q.start - 5) : q.start]
        return any(
            w in ("latency", "time", "times", "wait", "waits", "duration", "turnaround",
                  "average", "median", "p95", "p99", "p50", "hold")
            for w in before
        )  # fmt: skip

    def _scope_after_count(self, q: Quantity) -> bool:
        """A count's own scope, right after it: "3,000 buyers in Quebec", "1,100 mismatches
        across all markets"."""
        keys = self.keys
        j = q.stop
        if j >= len(keys) or not self.doc.same_sentence(q.num, j) or self.doc.break_after(j - 1):
            return False
        if keys[j] == "across" and j + 1 < len(keys) and keys[j + 1] in ("all", "every", "our"):
            return True
        if keys[j] == "among":
            return True
        text = self.doc.words[j + 1].text.strip() if j + 1 < len(keys) else ""
        return keys[j] == "in" and text[:1].isupper() and keys[j + 1] not in _MONTHS

    def _inside_other(self, j: int, q: Quantity) -> bool:
        return any(o is not q and o.start <= j < o.stop for o in self.items)

    def _number_between(self, j: int, q: Quantity) -> bool:
        lo, hi = (q.stop, j) if j >= q.stop else (j, q.start)
        return any(o is not q and lo <= o.start and o.stop <= hi for o in self.items)

    def _window_at(
        self, j: int, lo: int, hi: int, q: Quantity, *, counts: bool
    ) -> tuple[int, int] | None:
        """A window of time starting at word ``j`` and the words it covers: "in the first
        month", "by December", "in 2023", "that week", "the following month", "at week
        eight", "every month"; with ``counts`` only those that bound a count (not "during
        the rush" or "after launch")."""
        keys = self.keys
        doc = self.doc

        def at(k: int) -> str:
            return keys[k] if lo <= k < hi else ""

        key = keys[j]
        if (
            _YEAR.match(key)
            and j != q.num
            and at(j - 1) in ("in", "by", "since", "for", "of", "during", "until", "through")
        ):
            return j - 1, j + 1
        if (
            _QUARTER.match(key)
            and at(j - 1) in ("in", "by", "of", "during")
            and not (counts and at(j - 1) == "in")
        ):
            return j - 1, j + 1
        if (
            key in _MONTHS
            and doc.words[j].text.strip()[:1].isupper()
            and at(j - 1) in ("by", "since", "until", "through")
        ):
            return j - 1, j + 1
        if key in _RATE_WORDS and key not in ("each", "per") and j >= q.stop:
            return j, j + 1  # "annualised"
        if (
            _COMPOUND_WINDOW.match(key)
            and at(j + 1).isalpha()
            and at(j + 1) not in (FUNCTION_WORDS)
        ):
            return j, j + 2  # "30-day retention", "second-month cancellations"
        if key in _UNIT_WORDS and at(j + 1) == "over" and at(j + 2) == key:
            return j, j + 3  # "month over month"
        if key in ("that", "this", "last", "next", "every") and _unit(at(j + 1)):
            return j, j + 2  # "that week", "last year", "every month"
        if (
            key == "the"
            and at(j + 1) in _ORDINALS
            and at(j + 1) not in ("same", "whole")
            and (_unit(at(j + 2)))
        ):
            return j, j + 3  # "the following month", "the next quarter"
        if (
            key in ("at", "by", "on")
            and at(j + 1) in ("week", "day", "month")
            and (is_cardinal_word(at(j + 2)) or at(j + 2)[:1].isdigit())
        ):
            return j, j + 3  # "at week eight", "at day 90"
        if key == "within" and at(j + 1) == "the" and _unit(at(j + 2)):
            return j, j + 3  # "within the hour"
        if (
            key in ("in", "on", "during", "per")
            and at(j + 1) in ("a", "an", "any")
            and at(j + 2)
            in ("given", "normal", "typical", "average", "single", "busy", "good", "bad")
            and _unit(at(j + 3))
        ):
            return j, j + 4  # "in a given month", "on a normal night"
        if (
            key == "over"
            and at(j + 1) in ("the", "its", "their")
            and at(j + 2)
            in (
                "contract",
                "term",
                "life",
                "lifetime",
                "course",
                "period",
                "pilot",
                "test",
            )
        ):
            return j, j + 3  # "over the contract"
        if key == "since" and j == q.stop and at(j + 1) in ("", "then"):
            return j, j + 1  # "no findings in the two audits since": from then until now
        if key in ("later",) and j > lo and _unit(keys[j - 1]) and j - 1 < q.start:
            return j - 3, j + 1  # "Four weeks later"
        if (
            key in ("earlier", "ago", "before")
            and j > lo
            and j - 1 >= q.stop
            and _unit(keys[j - 1])
            and (key != "before" or at(j + 1) in ("", "that", "then"))
        ):
            return j - 2, j + 1  # "compared with 21% for the US launch two years earlier"
        if key in _WINDOW_PREPS and key != "of":
            k = j + 1
            if at(k) in _DETERMINERS and at(k) not in ("a", "an"):
                k += 1
                ordinal = False
                while (
                    at(k) in _ORDINALS
                    or is_cardinal_word(at(k))
                    or at(k)[:1].isdigit()
                    or _COMPOUND_WINDOW.match(at(k))
                ):
                    ordinal = ordinal or at(k) in _ORDINALS
                    k += 1
                if (
                    at(k - 1) in _EVENTS
                    and (at(k) in FUNCTION_WORDS or not at(k).isalpha())
                    and k - 1 > j + 1
                ):
                    k -= 1  # "during the holiday peak": the last word is the event itself
                word = at(k)
                if (
                    ordinal
                    and at(j + 1) == "the"
                    and at(k - 1) in ("next", "following", "last")
                    and word.isalpha()
                    and word not in FUNCTION_WORDS
                ):
                    return j, k + 1  # "in the next engagement survey"
                if word in ("end", "start", "beginning", "middle", "rest") and at(k + 1) == "of":
                    tail = at(k + 2), at(k + 3)
                    if key in ("by", "at", "until", "before", "in", "towards") and (
                        _unit(tail[0])
                        or _unit(tail[1])
                        or _QUARTER.match(tail[0])
                        or _YEAR.match(tail[0])
                        or tail[0] in _MONTHS
                    ):
                        return j, k + 4  # "by the end of the quarter"
                if _unit(word) and ordinal:
                    return j, k + 1  # "in the first month", "over the next two quarters"
                if at(j + 1) in ("those", "that", "these") and _unit(word.rstrip("s")):
                    return j, k + 1  # "from those weekends"
                if (
                    not counts
                    and word in _EVENTS
                    and key
                    in (
                        "before",
                        "after",
                        "during",
                        "since",
                        "until",
                        "throughout",
                        "across",
                    )
                ):
                    return j, k + 1  # "before the deadline", "during the switch"
                if not counts and _unit(word) and at(j + 1) in ("that", "those", "this"):
                    return j, k + 1
            if (
                not counts
                and key in ("after", "during", "since", "before")
                and (
                    (at(k) in _BARE_EVENTS and key != "before")
                    or (_EVENT_ING.match(at(k)) and key != "since")
                )
            ):
                return j, k + 1  # "after launch", "before expanding"
        if (
            key in ("ended", "closed", "finished", "exited", "started", "began")
            and at(j + 1) in ("the", "that", "this")
            and _unit(at(j + 2))
        ):
            return j, j + 3  # "we ended the quarter at 12.4%"
        return None

    def _reference_multiple(self, q: Quantity) -> bool:
        """ "twice the rate among iOS users": the scope belongs to the reference."""
        return q.kind == "ratio" and self._multiple_of_reference(q)

    def _span_at(self, j: int, hi: int) -> tuple[int, int] | None:
        """A span of time: "in six weeks", "within 48 hours", "over three months"."""
        keys = self.keys
        if keys[j] not in ("in", "within", "over", "after", "for", "across", "inside"):
            return None
        k = j + 1
        while k < hi and keys[k] in (
            "just",
            "only",
            "about",
            "roughly",
            "around",
            "under",
            "less",
            "than",
            "a",
            "an",
            "the",
            "first",
            "next",
            "whole",
            "full",
            "single",
            "entire",
            "at",
            "least",
            "most",
            "over",
            "nearly",
            "almost",
        ):
            k += 1
        while k < hi and (is_cardinal_word(keys[k]) or keys[k][:1].isdigit()):
            k += 1
        if k < hi and _unit(keys[k]) and k > j + 1:
            return j, k + 1
        return None

    def _scope_at(self, j: int, hi: int) -> tuple[int, int] | None:
        """A scope that bounds the number: "in the test group", "in those markets", "in
        Texas", "among members", "for enterprise accounts", "on mobile"."""
        keys = self.keys
        doc = self.doc
        key = keys[j]
        if key not in _SCOPE_PREPS or j + 1 >= hi:
            return None
        nxt = keys[j + 1]
        if key == "among":
            return j, j + 3
        if nxt in ("the", "those", "that", "these", "our", "its", "their", "each", "every", "one"):
            for k in range(j + 2, min(j + 5, hi)):
                if keys[k] in _SCOPE_NOUNS:
                    if key == "for" and nxt == "the":
                        return None
                    return self._scope_extent(j, k + 1)
                if keys[k] in FUNCTION_WORDS:
                    break
            return None
        text = doc.words[j + 1].text.strip()
        if (
            key in ("in", "across")
            and text[:1].isupper()
            and nxt not in _MONTHS
            and not _QUARTER.match(nxt)
            and not _YEAR.match(nxt)
        ):
            return self._scope_extent(j, j + 2)  # "in Texas", "in Canada"
        if key == "on" and nxt in ("mobile", "android", "ios", "desktop", "web"):
            return j, j + 2
        if key == "for" and nxt not in FUNCTION_WORDS and not _unit(nxt):
            k = j + 1
            while k < min(j + 4, hi) and keys[k] not in FUNCTION_WORDS:
                if keys[k] in _SCOPE_NOUNS and keys[k].endswith("s"):
                    return self._scope_extent(j, k + 1)  # "for small businesses"
                k += 1
        return None

    def _scope_extent(self, a: int, b: int) -> tuple[int, int] | None:
        """ "for accounts with more than 100,000 invoices": a number qualifying the scope noun
        is part of the scope (it bounds another number of the clause, not itself)."""
        if b < len(self.keys) and self.keys[b] in ("under", "over", "above", "below", "with"):
            inner = next((o for o in self.items if b < o.start <= b + 4), None)
            return (a, inner.stop) if inner is not None else (a, b)
        return a, b

    # -- baseline ------------------------------------------------------------------------------

    def baseline(self, n: int) -> bool:
        q = self.items[n]
        keys = self.keys
        if q.from_to:
            return True
        if self._is_reference(q):
            return False  # "versus the 18%", "instead of nine": the value compared with
        lo, _ = self.clause(q)
        after = self._after(q)
        # "75%, up from 60%", "versus 8% last year", "instead of nine", "than in Bogotá"
        for k, j in enumerate(after):
            key = keys[j]
            nxt = keys[j + 1] if j + 1 < len(keys) else ""
            nxt2 = keys[j + 2] if j + 2 < len(keys) else ""
            if key == "instead" and (nxt != "of" or not self._amount_follows(j + 2)):
                continue  # "moved it instead", "around two problems instead of a list of skills"
            if key in _COMPARE_AFTER or (key == "compared" and nxt in ("with", "to")):
                return self._nearest_same(n, j)
            if key == "than" and k <= 4 and self._compared(q, after[:k]):
                return True
            if key in ("up", "down") and k == 0 and nxt == "from":
                return True
            if key == "early" and k <= 1:
                return True  # "eight days early"
            if key in ("later", "earlier", "sooner", "longer") and k <= 1 and nxt == "than":
                return True  # "seven days later than planned"
            if key == "to" and nxt == "spare" and k <= 1:
                return True  # "with six weeks to spare"
            if (
                key in ("late", "behind")
                and k <= 1
                and (
                    nxt in ("than", "schedule")
                    or nxt2
                    in (
                        "schedule",
                        "plan",
                    )
                )
            ):
                return True  # "seven days later than planned", "two weeks behind schedule"
            if (
                key == "ahead"
                and k <= 1
                and (
                    nxt2 in _PLANS
                    or (
                        nxt == "of"
                        and nxt2
                        in (
                            "schedule",
                            "plan",
                            "time",
                        )
                    )
                )
            ):
                return True
            if key in ("under", "over", "above", "below") and k <= 1:
                following = keys[j + 1 : j + 5]
                if any(
                    w in _PLANS
                    or w
                    in (
                        "normal",
                        "average",
                        "baseline",
                        "price",
                        "quote",
                        "projected",
                        "projection",
                        "estimate",
                        "goal",
                    )
                    for w in following
                ):
                    return True  # "22% under budget", "40% under the projected price"
            if key == "against":
                return True
            if key in _UNIT_WORDS and nxt == "over" and nxt2 == key:
                return True  # "35% year over year"
            if key == "not" and k == 0 and self.doc.clause_mark_after(j - 1):
                return True  # "one chart, not twenty"
            if key in ("of",) and k == 0 and q.unit == "percent" and keys[q.num - 1] == "within":
                return True  # "within 10% of Bogotá"
        # "3.1% a month, twice the rate of the others": a multiple in apposition
        nxt_item = self.items[n + 1] if n + 1 < len(self.items) else None
        if (
            nxt_item is not None
            and self.doc.clause_mark_after(q.stop - 1)
            and nxt_item.start - q.stop <= 1
            and nxt_item.unit == "ratio"
            and self._multiple_of_reference(nxt_item)
        ):
            return True
        # "twice the rate", "three times as often as", "1.5 times the average",
        # "a third of the price of a new plan", "half your old distance"
        if self._multiple_of_reference(q):
            return True
        # "…, which was about twice the retention of regular riders"
        if self._referred_comparison(q):
            return True
        # "would have blown the budget by more than a million"
        if q.unit == "money" and self._over_budget(q, lo):
            return True
        # a bare value of a measure given earlier: "… 40 chats a day. … they handled 55"
        if self._restated(q) is not None:
            return True
        # a change whose starting value was said earlier: "dropped to about 40"
        if q.kind == "change" and self._change_to(q):
            return self._earlier_same_unit(n)
        # a state of a measure given earlier: "the backlog was under 1,000" after "a backlog
        # of 9,000 tickets", "response time was under a day" after "over four days"
        if (
            q.kind != "change"
            and q.unit in ("count", "duration", "money")
            and self._state_value(q)
            and self._earlier_same_subject(n)
        ):
            return True
        # a level of a measure given earlier, or of a goal set earlier
        level = q.kind != "change" and q.unit == "percent" and n not in self.goals
        if level and self._state_value(q) and self._earlier_same_subject(n):
            return True  # "that version reached 15% of new subscribers" after "20% of new…"
        return level and self._meets_goal(n)

    def _compared(self, q: Quantity, between: Sequence[int]) -> bool:
        """A comparative on this number before "than": "40% longer than", "five times more
        likely to churn than" (not "who earned more than half")."""
        keys = self.keys
        own = keys[q.num_stop : q.stop]
        if any(w in _COMPARATIVE_WORDS or w.endswith("er") for w in own):
            return True
        return bool(between) and (
            keys[between[0]] in _COMPARATIVE_WORDS
            or (
                keys[between[0]].endswith("er")
                and keys[between[0]] not in ("never", "over", "under")
            )
        )

    def _restated(self, q: Quantity) -> Quantity | None:
        """An earlier number of the same measure that this bare number restates: the same
        unit and the same verb ("agents handled 40 chats a day … they handled 55")."""
        if q.stop > q.num_stop or q.kind == "change":
            return None  # it names its own noun or moves: not a bare restatement
        verb = self._verb_before(q)
        if verb is None:
            return None
        for other in self.items:
            if other.start >= q.start:
                break
            if other.unit == q.unit and self._verb_before(other) == verb:
                return other
        return None

    def _verb_before(self, q: Quantity) -> str | None:
        keys = self.keys
        for j in range(q.start - 1, max(q.start - 4, -1), -1):
            if is_past_form(keys[j]) and keys[j] not in ("was", "were", "had"):
                return keys[j]
            if self.doc.break_after(j):
                return None
        return None

    def _has_rate(self, q: Quantity) -> bool:
        keys = self.keys
        span = keys[q.num_stop : q.stop]
        return any(w in _RATE_WORDS for w in span) or any(
            w in ("a", "an", "every") and _unit(n) for w, n in itertools.pairwise(span)
        )

    def _subject_words(self, q: Quantity) -> set[str]:
        """What a state value is of: the subject before its verb ("the backlog was under
        1,000", "clinic satisfaction with video visits was 4.7": "satisfaction") and its own
        "of" phrase ("15% of new subscribers")."""
        keys = self.keys
        j = q.num - 1
        while j > 0 and keys[j] not in (
            "was",
            "were",
            "is",
            "are",
            "stayed",
            "remained",
            "reached",
            "hit",
        ):
            j -= 1
            if j < q.num - 6:
                return set()
        k = j - 1
        out: set[str] = set()
        if k >= 0:
            if k >= 2 and keys[k - 2] in ("with", "for", "in", "on", "about", "among"):
                k -= 3
            elif k >= 1 and keys[k - 1] in ("with", "for", "in", "on", "about", "among"):
                k -= 2
            if k >= 0 and keys[k].isalpha():
                out.add(keys[k].rstrip("s"))
        out |= {w for w in self._measure_words(q) if q.num < self._index_of(w, q)}
        return out

    def _index_of(self, word: str, q: Quantity) -> int:
        for j in range(q.num_stop, q.stop):
            if self.keys[j].rstrip("s") == word:
                return j
        return -1

    def _earlier_same_subject(self, n: int) -> bool:
        q = self.items[n]
        mine = self._subject_words(q)
        if not mine:
            return False
        for other in self.items[:n]:
            if (
                other.unit != q.unit
                or self.doc.sentence_of[other.num] == self.doc.sentence_of[q.num]
            ):
                continue
            if mine & self._measure_words(other):
                return True
        return False

    def _state_value(self, q: Quantity) -> bool:
        keys = self.keys
        j = q.num - 1
        while j >= 0 and keys[j] in (
            "under",
            "over",
            "below",
            "above",
            "about",
            "around",
            "roughly",
            "at",
            "just",
            "only",
            "nearly",
            "almost",
            "fewer",
            "less",
            "more",
            "than",
        ):
            j -= 1
        return j >= 0 and keys[j] in (
            "was",
            "were",
            "is",
            "are",
            "stayed",
            "remained",
            "reached",
            "hit",
            "down",
            "back",
        )

    def _is_reference(self, q: Quantity) -> bool:
        keys = self.keys
        j = q.start - 1
        while j >= 0 and keys[j] in ("the", "about", "around", "roughly", "a", "an", "just"):
            j -= 1
        if j < 0:
            return False
        key = keys[j]
        if key in ("versus", "vs"):
            return True
        if key == "than":
            return j == 0 or keys[j - 1] not in ("more", "less", "fewer", "under", "over")
        return (
            key in ("of", "with", "to")
            and j > 0
            and keys[j - 1]
            in (
                "instead",
                "compared",
                "relative",
            )
        )

    def _after(self, q: Quantity) -> list[int]:
        """Words after the number up to the next clause or number (across a plain comma:
        "in eleven weeks, two weeks early"; "18% of orders …, against a target of 80%")."""
        doc = self.doc
        keys = self.keys
        s = doc.sentences[doc.sentence_of[q.num]]
        out: list[int] = []
        j = q.stop
        starts = {o.start: o for o in self.items if o.start >= q.stop}
        while j < min(s.stop, q.stop + 10):
            other = starts.get(j)
            if other is not None:
                if other.unit == q.unit == "duration" and len(out) <= 1:
                    j = other.stop  # "in eleven weeks, two weeks early"
                    continue
                if len(out) <= 2 and doc.clause_mark_after(q.stop - 1):
                    j = other.stop  # "$940,000, about 22% under budget": a restatement
                    continue
                break
            if (
                j >= q.stop
                and doc.clause_mark_after(j - 1)
                and (keys[j] in _CLAUSE_OPENERS or keys[j] in _SUBJECTS)
            ):
                break
            out.append(j)
            j += 1
        return out

    def _amount_follows(self, j: int) -> bool:
        """Whether the words from ``j`` name an amount to compare with: another number ("instead
        of nine"), a time unit or a usual value ("instead of the usual quarter", "instead of a
        week") — not an alternative thing ("instead of a list of skills")."""
        keys = self.keys
        doc = self.doc
        for k in range(j, min(j + 4, len(keys))):
            if not doc.same_sentence(j, k):
                break
            key = keys[k]
            if any(o.start == k for o in self.items) or _unit(key) or key in _USUAL:
                return True
            if key in _DETERMINERS or key in ("just", "about", "roughly", "around"):
                continue
            return is_cardinal_word(key) or key[:1].isdigit()
        return False

    def _over_budget(self, q: Quantity, lo: int) -> bool:
        keys = self.keys
        return any(
            keys[j] == "budget" and "by" in keys[j + 1 : q.start] for j in range(lo, q.start)
        )

    def _nearest_same(self, n: int, at: int) -> bool:
        """Is item ``n`` the number a comparison at word ``at`` refers to? "0.3%, roughly 200
        bookings, versus the 18%": the comparison belongs to the percent, not the count."""
        after = next((x for x in self.items if x.start > at), None)
        if after is None or self.doc.sentence_of[after.num] != self.doc.sentence_of[at]:
            return True
        me = self.items[n]
        if me.unit == after.unit or (me.kind == "change" and after.kind == "change"):
            return True
        for other in reversed(self.items[:n]):
            if (
                other.stop <= at
                and other.unit == after.unit
                and self.doc.sentence_of[other.num] == self.doc.sentence_of[at]
            ):
                return False
        return True

    def _multiple_of_reference(self, q: Quantity) -> bool:
        keys = self.keys
        words = keys[q.num_stop : q.stop]
        first = keys[q.num]
        multiple = first in ("twice", "double", "triple") or "times" in words or first.endswith("x")
        tail = keys[q.stop : q.stop + 5]
        if multiple:
            if any(w in ("the", "as", "than", "that", "what") for w in words):
                return True
            if any(w in _REFERENCE_VALUES or w in _COMPARATIVE_WORDS for w in words):
                return True  # "twice our average", "eight times normal", "seven times faster"
            if any(w.endswith("er") and w not in ("over", "under") for w in words):
                return True
            return any(w in ("than", "as") for w in tail[:4])
        if q.unit == "ratio" and "of" in words:
            rest = words[words.index("of") + 1 :]
            return any(w in _REFERENCE_VALUES for w in rest)
        if q.unit == "ratio" and tail[:1] and tail[0] in ("your", "their", "our", "the", "his"):
            return any(w in ("old", "usual", "normal", "previous", "original") for w in tail[:3])
        return False

    def _referred_comparison(self, q: Quantity) -> bool:
        """ "72%, which was about twice …", "10–12% …, and that was twice the rate among…"."""
        keys = self.keys
        j = q.stop
        s = self.doc.sentences[self.doc.sentence_of[q.num]]
        limit = min(s.stop, j + 12)
        while j < limit:
            if keys[j] in ("which", "that") and j + 1 < limit and keys[j + 1] in ("was", "is"):
                window = keys[j + 2 : j + 7]
                if any(w in ("twice", "double", "half", "times") for w in window):
                    return True
                return bool(
                    any(w in _COMPARATIVE_WORDS for w in window) and "than" in keys[j : j + 9]
                )
            if any(x.start == j for x in self.items):
                return False
            j += 1
        return False

    def _change_to(self, q: Quantity) -> bool:
        """ "dropped to 40", "fell to about six minutes", "went back to 6%", "rose to 52%"."""
        keys = self.keys
        j = q.num - 1
        while j >= q.start and keys[j] in (
            "about",
            "around",
            "roughly",
            "nearly",
            "almost",
            "just",
            "under",
            "below",
            "over",
            "above",
            "only",
        ):
            j -= 1
        return j >= 0 and keys[j] == "to"

    def _earlier_same_unit(self, n: int) -> bool:
        q = self.items[n]
        for other in self.items[:n]:
            if other.unit == q.unit or (q.unit == "count" and other.unit == "count"):
                return True
        return False

    def _measure_words(self, q: Quantity) -> set[str]:
        """Content words naming what a number measures: its noun, "of" phrase and subject."""
        found = self._measures.get(q.num)
        if found is None:
            found = self._measures[q.num] = self._measure_words_of(q)
        return found

    def _measure_words_of(self, q: Quantity) -> set[str]:
        keys = self.keys
        lo, _ = self.clause(q)
        words: set[str] = set()
        for j in range(max(lo, q.start - 6), q.stop):
            if q.num <= j < q.num_stop:
                continue
            key = keys[j]
            if (
                len(key) > 3
                and key.isalpha()
                and key not in FUNCTION_WORDS
                and key
                not in (
                    "about",
                    "around",
                    "roughly",
                    "were",
                    "went",
                    "down",
                    "from",
                    "than",
                    "more",
                    "only",
                    "still",
                    "just",
                    "well",
                    "over",
                    "under",
                    "percent",
                    "dollars",
                    "share",
                    "rate",
                    "total",
                    "number",
                )
                and not is_past_form(key)
                and not _unit(key)
                and key not in _RATE_WORDS
            ):
                words.add(key.rstrip("s"))
        return words

    def _goals(self) -> list[int]:
        """Items that state a goal or target: "a goal of 60,000", "against a target of 80%",
        "I set a goal to raise it from ten to twelve percent" (the first number after the
        goal word, in its sentence)."""
        keys = self.keys
        doc = self.doc
        out = []
        for n, q in enumerate(self.items):
            s = doc.sentences[doc.sentence_of[q.num]]
            lo = max(s.index, q.start - 16)
            words = [j for j in range(lo, q.start) if keys[j] in _GOAL_WORDS]
            if not words:
                continue
            last = words[-1]
            if any(last < o.start < q.start for o in self.items):
                continue  # another number is the goal's
            out.append(n)
        return out

    def _meets_goal(self, n: int) -> bool:
        q = self.items[n]
        if n in self.goals:
            return False
        doc = self.doc
        return any(
            g < n
            and self.items[g].unit == q.unit
            and doc.sentence_of[self.items[g].num] != doc.sentence_of[q.num]
            for g in self.goals
        )


def _unit(word: str) -> bool:
    return word in TIME_UNITS or (word.endswith("s") and word[:-1] in TIME_UNITS)


__all__ = ["Quantity", "judge_contexts"]
