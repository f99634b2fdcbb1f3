"""The value of a spoken or written quantity, so that two ways of saying it compare equal.

``"forty percent"`` and ``"40 %"`` are both a fraction of 0.4; ``"half"`` is 0.5 like
``"50%"``; ``"1.2 million"``, ``"1,200,000"`` and ``"one point two million"`` are all
1 200 000; ``"$3.4M"`` and ``"3.4 million dollars"`` are money; ``"six weeks"`` and ``"two and a
half months"`` are durations in days; ``"3x"``, ``"tripled"`` and ``"three times
faster"`` are multipliers.

:func:`quantities` reads every quantity in a short phrase (the text of one metric the
analysis found, e.g. ``"from 22 to 9%"``); :func:`same_value` says whether two of them are
the same figure, allowing for rounding ("about a third" and "33 %") but not for a changed
figure ("40 %" and "30 %").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Dimension = Literal["fraction", "money", "duration", "count", "multiplier", "points"]

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}  # fmt: skip
_SUFFIX_SCALES: dict[str, float] = {"k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}
_FRACTION_WORDS: dict[str, float] = {
    "half": 1 / 2, "halves": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4,
    "quarters": 1 / 4, "fifth": 1 / 5, "fifths": 1 / 5, "tenth": 1 / 10, "tenths": 1 / 10,
}  # fmt: skip
_MULTIPLIER_WORDS: dict[str, float] = {
    "doubled": 2, "doubling": 2, "double": 2, "twice": 2, "tripled": 3, "tripling": 3,
    "triple": 3, "quadrupled": 4,
}  # fmt: skip
_HALVED = frozenset({"halved", "halving"})
_HALF_NOT_AFTER = frozenset({"first", "second", "back", "other", "last", "latter", "former"})
_DAYS: dict[str, float] = {
    "millisecond": 1 / 86_400_000, "milliseconds": 1 / 86_400_000, "ms": 1 / 86_400_000,
    "second": 1 / 86_400, "seconds": 1 / 86_400, "sec": 1 / 86_400, "secs": 1 / 86_400,
    "minute": 1 / 1440, "minutes": 1 / 1440, "min": 1 / 1440, "mins": 1 / 1440,
    "hour": 1 / 24, "hours": 1 / 24, "hr": 1 / 24, "hrs": 1 / 24,
    "day": 1.0, "days": 1.0, "weekend": 2.0, "weekends": 2.0, "week": 7.0, "weeks": 7.0,
    "sprint": 14.0, "sprints": 14.0, "month": 30.44, "months": 30.44,
    "quarter": 91.31, "quarters": 91.31, "year": 365.25, "years": 365.25, "yrs": 365.25,
    "decade": 3652.5, "decades": 3652.5,
}  # fmt: skip
_MONEY_WORDS = frozenset(
    {"dollars", "dollar", "bucks", "usd", "euros", "euro", "eur", "pounds", "gbp", "cents"}
)
_PERCENT_WORDS = frozenset({"percent", "pct", "%", "percentage"})
_POINT_WORDS = frozenset({"points", "point", "bps", "pp"})
_RANGE_WORDS = frozenset({"to", "through", "-", "and", "from", "between"})

APPROXIMATORS = frozenset(
    {
        "about", "around", "roughly", "nearly", "almost", "approximately", "approx", "some",
        "~", "over", "under", "than", "close", "circa", "ish", "like", "maybe", "probably",
    }
)  # fmt: skip
"""Words that make a figure approximate: "about 15 %" may be "one in seven"."""

EXACT_TOLERANCE = 0.02
"""Relative difference still counted as the same exact figure ("a third" = "33 %")."""
APPROX_TOLERANCE = 0.12
"""Relative difference allowed when either figure is approximate ("about $300k" = "$330k")."""
APPROX_FRACTION_POINTS = 0.03
"""For percentages and fractions, when either is approximate: 3 points ("one in seven" = 15 %)."""
UNIT_CHANGE_TOLERANCE = 0.15
"""Durations said in different units ("six weeks", "a month and a half") are rounder."""

_TOKEN = re.compile(
    r"[$€£]?\d+(?:,\d{3})*(?:\.\d+)?(?:%|(?:x|k|mm|m|bn|b)\b)?|[a-z]+(?:'[a-z]+)?|%|~"
)
_DIGITS = re.compile(r"^([$€£])?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%|x|k|m|mm|b|bn)?$")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure: its value in the dimension's base unit, as said."""

    value: float
    """fraction: 0.4 for 40 %; duration: days; money: amount; others: the number."""
    dimension: Dimension
    unit: str = ""
    """The word the figure was said in ("weeks", "percent", "dollars"), for display."""
    approximate: bool = False
    text: str = ""

    def describe(self) -> str:
        """The figure in one canonical spelling: ``40%``, ``$1.2M``, ``6 weeks``."""
        return describe(self.value, self.dimension, self.unit)


def tokens(text: str) -> list[str]:
    """Lower-case word and number tokens: ``"Cut it by 40 %!"`` -> ``[cut, it, by, 40, %]``."""
    folded = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    folded = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", folded)  # "twenty-two" -> "twenty two"
    return _TOKEN.findall(folded)


@dataclass
class _Run:
    value: float
    start: int
    stop: int
    money: bool = False
    percent: bool = False
    multiplier: bool = False
    fraction: bool = False
    scaled: bool = False


def _read_digits(tok: str) -> tuple[float, bool, str] | None:
    m = _DIGITS.match(tok)
    if m is None:
        return None
    value = float(m.group(2).replace(",", "") + (m.group(3) or ""))
    return value, m.group(1) is not None, m.group(4) or ""


def _read_words(toks: list[str], i: int) -> tuple[float, int, bool] | None:
    """A number in words from ``i``: "twenty two", "one point two million", "a hundred"."""
    n = len(toks)
    j = i
    if toks[i] in ("a", "an"):
        if i + 1 < n and (toks[i + 1] in SCALES or toks[i + 1] == "dozen"):
            j = i + 1
            total, current, scaled = 0.0, 1.0, False
        else:
            return None
    elif toks[i] in UNITS or toks[i] in TENS or toks[i] in SCALES or toks[i] == "dozen":
        total, current, scaled = 0.0, 0.0, False
    else:
        return None
    seen = False
    while j < n:
        t = toks[j]
        if t in UNITS:
            current += UNITS[t]
        elif t in TENS:
            current += TENS[t]
        elif t == "dozen":
            current = (current or 1) * 12
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in SCALES:
            total += (current or 1) * SCALES[t]
            current = 0.0
            scaled = True
        elif t == "and" and seen and j + 1 < n and (toks[j + 1] in UNITS or toks[j + 1] in TENS):
            j += 1
            continue
        elif t == "point" and seen and j + 1 < n and toks[j + 1] in UNITS:
            digits = ""
            j += 1
            while j < n and toks[j] in UNITS and UNITS[toks[j]] < 10:
                digits += str(UNITS[toks[j]])
                j += 1
            current += float("0." + digits)
            while j < n and toks[j] in SCALES:
                scale = SCALES[toks[j]]
                if scale >= 1e3:
                    total += current * scale
                    current = 0.0
                    scaled = True
                else:
                    current *= scale
                j += 1
            seen = True
            break
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return total + current, j, scaled


def _and_a_half(toks: list[str], j: int) -> tuple[float, int]:
    if toks[j : j + 3] == ["and", "a", "half"]:
        return 0.5, j + 3
    return 0.0, j


def quantities(text: str, kind: str | None = None) -> list[Quantity]:
    """Every figure in a short phrase, in order: ``"from 22 to 9%"`` -> 22 %, 9 %.

    A unit said once for a range applies to every number in it ("from 60 to 81 percent",
    "2 to 3 million dollars"). ``kind`` is the analysis's metric kind when known: "a
    quarter" is a fraction only before "of" or in a ``ratio``, else three months.
    """
    toks = tokens(text)
    runs: list[_Run] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t in _MULTIPLIER_WORDS:
            runs.append(_Run(_MULTIPLIER_WORDS[t], i, i + 1, multiplier=True))
            i += 1
            continue
        if t == "half" and i > 0 and toks[i - 1] in _HALF_NOT_AFTER:
            i += 1  # "the second half of the year": a part, not a figure
            continue
        if t in _HALVED or (t == "half" and not (i + 1 < n and toks[i + 1] in ("a", "an"))):
            runs.append(_Run(0.5, i, i + 1, fraction=True))
            i += 1
            continue
        if t == "half" and i + 2 < n and toks[i + 2] in SCALES:  # "half a million"
            runs.append(_Run(0.5 * SCALES[toks[i + 2]], i, i + 3, scaled=True))
            i += 3
            continue
        digits = _read_digits(t)
        if digits is not None:
            value, money, suffix = digits
            j = i + 1
            scaled = False
            if suffix in _SUFFIX_SCALES:
                value *= _SUFFIX_SCALES[suffix]
                scaled = True
            while j < n and toks[j] in SCALES:
                value *= SCALES[toks[j]]
                scaled = True
                j += 1
            if j < n and toks[j] in _SUFFIX_SCALES and not scaled:
                value *= _SUFFIX_SCALES[toks[j]]
                scaled = True
                j += 1
            half, j = _and_a_half(toks, j)
            runs.append(
                _Run(
                    value + half,
                    i,
                    j,
                    money=money,
                    percent=suffix == "%",
                    multiplier=suffix == "x",
                    scaled=scaled,
                )
            )
            i = j
            continue
        # fractions said as words: "a third", "two thirds", "one quarter of"
        if (t in ("a", "one") or t in UNITS) and i + 1 < n and toks[i + 1] in _FRACTION_WORDS:
            word = toks[i + 1]
            is_quarter = word in ("quarter", "quarters")
            quarter_ok = (i + 2 < n and toks[i + 2] == "of") or kind == "ratio"
            if word not in ("half", "halves") and (quarter_ok or not is_quarter):
                count = 1 if t in ("a", "one") else UNITS[t]
                runs.append(_Run(count * _FRACTION_WORDS[toks[i + 1]], i, i + 2, fraction=True))
                i += 2
                continue
        words = _read_words(toks, i)
        if words is not None:
            value, j, scaled = words
            half, j = _and_a_half(toks, j)
            runs.append(_Run(value + half, i, j, scaled=scaled))
            i = j
            continue
        i += 1
    return _classify(toks, runs, text)


def _classify(toks: list[str], runs: list[_Run], text: str) -> list[Quantity]:
    out: list[Quantity] = []
    approximate_all = any(t in APPROXIMATORS for t in toks)
    # Units that follow each run (up to the next run).
    units: list[tuple[Dimension | None, str, float]] = []
    for r, run in enumerate(runs):
        nxt = runs[r + 1].start if r + 1 < len(runs) else len(toks)
        after = toks[run.stop : nxt]
        units.append(_unit(run, after))
    # A unit said after the last number of a range applies to the numbers before it.
    for r in range(len(runs) - 2, -1, -1):
        dim, unit, factor = units[r]
        between = toks[runs[r].stop : runs[r + 1].start]
        if dim is None and between and all(t in _RANGE_WORDS for t in between):
            units[r] = units[r + 1]
            if runs[r + 1].scaled and not runs[r].scaled and runs[r].value < 1000:
                scale = _scale_of(runs[r + 1].value)
                runs[r] = _Run(runs[r].value * scale, runs[r].start, runs[r].stop, scaled=True)
    # ... and one said only before it to the numbers after: "from 70 days to 45".
    for r in range(1, len(runs)):
        between = toks[runs[r - 1].stop : runs[r].start]
        if units[r][0] is None and units[r - 1][0] is not None:
            after_unit = between[1:] if between and _unit_word(between[0]) else between
            if after_unit and all(t in ("to", "through", "-") for t in after_unit):
                units[r] = units[r - 1]
    for run, (dim, unit, factor) in zip(runs, units, strict=True):
        if dim is None:
            dim, unit, factor = "count", "", 1.0
        approximate = approximate_all or run.fraction
        value = run.value * factor
        out.append(Quantity(value, dim, unit, approximate, text))
    # "one in five", "3 out of 4": a fraction, said approximately
    return _ratios(toks, runs, out)


def _unit_word(token: str) -> bool:
    return token in _DAYS or token in _MONEY_WORDS or token in _PERCENT_WORDS or token == "x"


def _scale_of(value: float) -> float:
    for scale in (1e12, 1e9, 1e6, 1e3):
        if value >= scale:
            return scale
    return 1.0


def _unit(run: _Run, after: list[str]) -> tuple[Dimension | None, str, float]:
    """The dimension a run is in, its unit word, and the factor to the base unit."""
    first = after[0] if after else ""
    second = after[1] if len(after) > 1 else ""
    if run.percent or first in _PERCENT_WORDS or (first == "per" and second == "cent"):
        if first == "percentage" and second in ("point", "points"):
            return "points", "percentage points", 1.0
        return "fraction", "percent", 0.01
    if first in ("basis",) and second in ("point", "points"):
        return "fraction", "basis points", 0.0001
    if first in _POINT_WORDS and first != "point":
        return "points", "points", 1.0
    if run.fraction:
        return "fraction", "", 1.0
    if run.multiplier or first in ("x", "times", "fold"):
        return "multiplier", "x", 1.0
    if run.money or first in _MONEY_WORDS:
        return "money", "dollars", 1.0
    if first == "grand":
        return "money", "dollars", 1000.0
    if first in _DAYS:
        return "duration", first, _DAYS[first]
    if first in ("a", "an") and second in _DAYS and run.value < 1:  # rare: ".5 a week"
        return None, "", 1.0
    return None, "", 1.0


def _ratios(toks: list[str], runs: list[_Run], found: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    r = 0
    while r < len(runs):
        run = runs[r]
        if r + 1 < len(runs):
            between = toks[run.stop : runs[r + 1].start]
            if between in (["in"], ["out", "of"]) and runs[r + 1].value > run.value > 0:
                said = f"{_plain(run.value)} in {_plain(runs[r + 1].value)}"
                out.append(
                    Quantity(run.value / runs[r + 1].value, "fraction", said, True, found[r].text)
                )
                r += 2
                continue
        out.append(found[r])
        r += 1
    return out


def same_value(a: Quantity, b: Quantity) -> bool:
    """The same figure said two ways (allowing for rounding and approximation).

    Exact figures may differ by :data:`EXACT_TOLERANCE` ("a third" = "33 %"). When either
    is approximate ("about", "roughly", "half", "one in seven") the allowance widens to
    :data:`APPROX_TOLERANCE`, and a round figure covers what rounds to it: "roughly a
    million" = "1.2 million", "about 20 %" = "22 %", but "about 40 %" != "45 %".
    """
    if not compatible(a.dimension, b.dimension):
        return False
    x, y = a.value, b.value
    if x == y:
        return True
    big = max(abs(x), abs(y))
    if big == 0:
        return True
    tolerance = EXACT_TOLERANCE
    if a.approximate or b.approximate:
        scale = 100.0 if a.dimension == "fraction" else 1.0
        if _rounds_to(x * scale, y * scale) or _rounds_to(y * scale, x * scale):
            return True
        if a.dimension == "fraction":
            return abs(x - y) <= APPROX_FRACTION_POINTS
        tolerance = APPROX_TOLERANCE
    if a.dimension == "duration" and a.unit.rstrip("s") != b.unit.rstrip("s"):
        tolerance = max(tolerance, UNIT_CHANGE_TOLERANCE)
    return abs(x - y) / big <= tolerance


def _significant(value: float) -> int:
    """Significant digits of a figure as said: 1 000 000 -> 1, 1 200 000 -> 2, 45 -> 2."""
    digits = f"{abs(value):.6g}".replace(".", "").lstrip("0")
    if "e" in digits:
        digits = digits.split("e")[0]
    return max(1, len(digits.rstrip("0")))


def _rounds_to(rough: float, precise: float) -> bool:
    """``precise`` rounded to the precision of the round figure ``rough`` gives ``rough``."""
    if rough == 0 or _significant(rough) >= _significant(precise):
        return False
    magnitude = math.floor(math.log10(abs(rough))) - _significant(rough) + 1
    step = 10.0**magnitude
    return math.floor(precise / step + 0.5) * step == rough


def compatible(a: Dimension, b: Dimension) -> bool:
    """Dimensions that can hold the same figure (a bare count may be money said loosely)."""
    if a == b:
        return True
    return {a, b} == {"count", "money"}


def describe(value: float, dimension: Dimension, unit: str = "") -> str:
    """A figure in one spelling: ``40%``, ``$1.2M``, ``6 weeks`` (42 days said in weeks)."""
    if dimension == "fraction":
        return unit if " in " in unit else f"{_plain(value * 100)}%"  # "1 in 7" stays
    if dimension == "money":
        return "$" + _short(value)
    if dimension == "multiplier":
        return f"{_plain(value)}x"
    if dimension == "duration":
        key = unit if unit in _DAYS else "days"
        plural = key if key.endswith("s") or key == "ms" else key + "s"
        amount = value / _DAYS[key]
        return f"{_plain(amount)} {key if amount == 1 else plural}"
    if dimension == "points":
        return f"{_plain(value)} {unit or 'points'}"
    return _short(value)


def _plain(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def _short(value: float) -> str:
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale and value % (scale / 10) == 0:
            return f"{_plain(value / scale)}{suffix}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


__all__ = [
    "APPROXIMATORS",
    "APPROX_TOLERANCE",
    "EXACT_TOLERANCE",
    "Dimension",
    "Quantity",
    "compatible",
    "describe",
    "quantities",
    "same_value",
    "tokens",
]
