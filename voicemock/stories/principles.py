"""The Leadership Principles a story proves: parsing what the user typed, and the weights
that coverage and question selection use.

Amazon loops weigh four principles most (Customer Obsession, Ownership, Bias for Action,
Have Backbone), and three are the ones candidates forget to prepare a story for (Learn
and Be Curious, Hire and Develop the Best, Bias for Action).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from voicemock.errors import InputError
from voicemock.questions import LEADERSHIP_PRINCIPLES, Principle, canonical_tag, principle_for

FIRST_FOUR: tuple[str, ...] = (
    "customer-obsession",
    "ownership",
    "bias-for-action",
    "have-backbone",
)
"""The principles most loops probe first; they weigh :data:`FIRST_FOUR_WEIGHT` in coverage."""
FORGOTTEN: tuple[str, ...] = (
    "learn-and-be-curious",
    "hire-and-develop-the-best",
    "bias-for-action",
)
"""The principles candidates most often have no story for; highlighted in coverage."""
FIRST_FOUR_WEIGHT = 2.0
OTHER_WEIGHT = 1.0

PRINCIPLE_SLUGS: tuple[str, ...] = tuple(p.slug for p in LEADERSHIP_PRINCIPLES)


def weight(slug: str) -> float:
    """How much a principle counts in the coverage score."""
    return FIRST_FOUR_WEIGHT if slug in FIRST_FOUR else OTHER_WEIGHT


def priority(slug: str) -> tuple[int, int]:
    """Sort key for closing gaps: the first four, then the forgotten, then Amazon's order."""
    order = PRINCIPLE_SLUGS.index(slug) if slug in PRINCIPLE_SLUGS else len(PRINCIPLE_SLUGS)
    if slug in FIRST_FOUR:
        return (0, FIRST_FOUR.index(slug))
    if slug in FORGOTTEN:
        return (1, order)
    return (2, order)


def principle(slug: str) -> Principle:
    found = principle_for(slug)
    if found is None:
        raise KeyError(slug)
    return found


def parse_principles(values: Iterable[str]) -> tuple[str, ...]:
    """Canonical principle tags from what the user typed, in order, without repeats.

    Each value may hold several principles separated by commas ("Ownership, Dive Deep");
    names, tags, case and spacing are all accepted ("Are Right, A Lot", "are-right-a-lot",
    "dive_deep"). An unknown principle raises :class:`InputError` with a suggestion.
    """
    out: list[str] = []
    for value in values:
        for slug in _split(value):
            if slug not in out:
                out.append(slug)
    return tuple(out)


def _split(value: str) -> list[str]:
    pieces = [p.strip() for p in value.replace(";", ",").split(",")]
    pieces = [p for p in pieces if p]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        # Names that hold a comma or semicolon themselves: "Are Right, A Lot",
        # "Have Backbone; Disagree and Commit".
        if i + 1 < len(pieces):
            joined = principle_for(f"{pieces[i]} {pieces[i + 1]}")
            if joined is not None and principle_for(pieces[i]) is None:
                out.append(joined.slug)
                i += 2
                continue
            if joined is not None and principle_for(pieces[i + 1]) is None:
                out.append(joined.slug)
                i += 2
                continue
        found = principle_for(pieces[i])
        if found is None:
            raise InputError(f"{pieces[i]!r} is not a Leadership Principle{_hint(pieces[i])}")
        out.append(found.slug)
        i += 1
    return out


def _hint(text: str) -> str:
    names = {p.slug: p.name for p in LEADERSHIP_PRINCIPLES}
    slug = canonical_tag(text)
    close = difflib.get_close_matches(slug, list(names), n=1, cutoff=0.6)
    if not close:
        by_word = [s for s in names if slug and slug.split("-")[0] in s.split("-")]
        close = by_word[:1]
    if close:
        return f" (did you mean {names[close[0]]!r}?)"
    return " (see `voicemock coverage` for the 16)"


__all__ = [
    "FIRST_FOUR",
    "FIRST_FOUR_WEIGHT",
    "FORGOTTEN",
    "OTHER_WEIGHT",
    "PRINCIPLE_SLUGS",
    "parse_principles",
    "principle",
    "priority",
    "weight",
]
