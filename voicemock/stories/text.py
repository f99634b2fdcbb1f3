"""Content words for comparing stories: stop words and fillers out, light stemming, numbers
as values.

``content_terms("So, um, we cut refunds by forty percent")`` is ``["cut", "refund",
"#40"]``: "so", "um", "we", "by" carry no content, "refunds" and "refund" are one term,
and "forty percent", "40%" and "40 percent" are all ``#40``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from voicemock.stories.numbers import SCALES, TENS, UNITS


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _wordset(
    """
    a about above after again against all almost along already also although always am
    among an and another any anyone anything are around as at away back be became because
    become been before being below between both but by can cannot could did do does doing
    done down during each either else enough even ever every everyone everything few for
    from further get gets getting got gotten had has have having he her here hers herself
    him himself his how however i i'd i'll i'm i've if in into is isn't it it's its itself
    just least less let like made make makes making many may me might mine more most much
    must my myself near need needed needs neither never no nobody none nor not nothing now
    of off often on once one ones only onto or other others our ours ourselves out over own
    per perhaps put quite rather really said same say says see seem seemed seems several
    shall she should since so some someone something sometimes soon still such than that
    that's the their theirs them themselves then there there's these they they'd they're
    this those though through thus to together too took toward towards under until up upon
    us very via was wasn't way we we'd we'll we're we've well were weren't what what's when
    where whether which while who whom whose why will with within without won't would you
    you'd you'll you're your yours yourself don't didn't doesn't couldn't wouldn't can't
    shouldn't haven't hasn't hadn't aren't let's yes yeah okay ok oh go goes going gone went
    come came know knew think thought want wanted tell told thing things lot lots kind sort
    bit pretty basically actually literally honestly anyway right sure able
    """
)
"""English function words and the vaguest verbs and adverbs."""

FILLERS = _wordset("um umm uh uhh uhm er erm ah ahh hmm hm mm mmm mhm")

SCAFFOLDING = _wordset(
    """
    situation task action result results lesson lessons learned learnt story example
    question answer time times first second third next finally end looking hindsight
    instead also then later ago last previous
    """
)
"""Words every STAR answer uses to frame itself: they say nothing about which story."""

_WORD = re.compile(r"[$€£]?\d+(?:,\d{3})*(?:\.\d+)?(?:%|(?:x|k|mm|m|bn|b)\b)?|[a-z]+(?:'[a-z]+)*|%")
_NUMBER_DIGITS = re.compile(r"^[$€£]?(\d+(?:,\d{3})*(?:\.\d+)?)(%|x|k|mm|m|bn|b)?$")
_SUFFIX = {"k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}


def words(text: str) -> list[str]:
    """Lower-case words and numbers of ``text`` (hyphenated words split, apostrophes kept)."""
    folded = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    folded = re.sub(r"[-\u2013\u2014/]", " ", folded)
    return _WORD.findall(folded)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light stem: plurals, -ing, -ed, -ly and a final -e go; doubled consonants undoubled.

    >>> [stem(w) for w in ["customers", "companies", "decided", "decide", "shipping"]]
    ['customer', 'company', 'decid', 'decid', 'ship']
    """
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses") or (w.endswith(("ches", "shes", "xes", "zes")) and len(w) > 4):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    if w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) > 5 and _has_vowel(w[:-3]):
        w = _undouble(w[:-3])
    elif w.endswith("ed") and len(w) > 4 and _has_vowel(w[:-2]):
        w = _undouble(w[:-2])
    elif w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def _has_vowel(text: str) -> bool:
    return any(c in "aeiouy" for c in text)


def _undouble(w: str) -> str:
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in "aeiou":
        return w[:-1]
    return w


def _number_value(tokens: list[str], i: int) -> tuple[float, int] | None:
    """A number starting at ``tokens[i]`` (digits or words) and the index after it."""
    tok = tokens[i]
    m = _NUMBER_DIGITS.match(tok)
    if m:
        value = float(m.group(1).replace(",", ""))
        value *= _SUFFIX.get(m.group(2) or "", 1.0)
        j = i + 1
        while j < len(tokens) and tokens[j] in SCALES:
            value *= SCALES[tokens[j]]
            j += 1
        return value, j
    if tok not in UNITS and tok not in TENS and tok not in ("hundred", "thousand", "million"):
        return None
    total = current = 0.0
    j = i
    while j < len(tokens):
        t = tokens[j]
        if t in UNITS:
            current += UNITS[t]
        elif t in TENS:
            current += TENS[t]
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in SCALES:
            total += (current or 1) * SCALES[t]
            current = 0.0
        elif t == "point" and j + 1 < len(tokens) and tokens[j + 1] in UNITS:
            digits = ""
            j += 1
            while j < len(tokens) and tokens[j] in UNITS and UNITS[tokens[j]] < 10:
                digits += str(UNITS[tokens[j]])
                j += 1
            current += float("0." + digits)
            continue
        else:
            break
        j += 1
    return total + current, j


def _number_term(value: float) -> str:
    rounded = round(value, 2)
    return "#" + (str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}")


_DROP_AFTER_NUMBER = frozenset({"percent", "%", "dollars", "dollar", "pct"})
SMALL_NUMBER = 10
"""Numbers below this ("two days", "three people") are too common to tell stories apart."""


def content_terms(text: str) -> list[str]:
    """The stemmed content words of ``text`` and its numbers as ``#value`` terms, in order."""
    tokens = words(text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        number = _number_value(tokens, i)
        if number is not None:
            value, j = number
            if value >= SMALL_NUMBER or value != int(value):
                out.append(_number_term(value))
            while j < len(tokens) and tokens[j] in _DROP_AFTER_NUMBER:
                j += 1
            i = max(j, i + 1)
            continue
        tok = tokens[i]
        i += 1
        if tok in STOPWORDS or tok in FILLERS or tok in SCAFFOLDING or len(tok) < 2:
            continue
        if tok == "%" or tok.isdigit():
            continue
        out.append(stem(tok))
    return out


__all__ = ["FILLERS", "SCAFFOLDING", "STOPWORDS", "content_terms", "stem", "words"]
