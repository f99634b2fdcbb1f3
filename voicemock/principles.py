"""Amazon's 16 Leadership Principles: one table for question sets and analysis alike.

Each :class:`Principle` has its canonical tag (``slug``), its full ``name``, other
spellings a question set may tag it with (``aliases``), and the ``spoken`` patterns that
find its name said in an answer (the name-drop finding, :mod:`voicemock.analysis.structure`;
the pattern syntax is :class:`voicemock.analysis.text.PhraseSet`'s: words separated by
spaces, ``|`` between alternatives for one word).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principle:
    """One Amazon Leadership Principle: its canonical tag and its full name."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    spoken: tuple[str, ...] = ()


LEADERSHIP_PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        "customer-obsession",
        "Customer Obsession",
        spoken=("customer obsession", "customer obsessed|obsessive"),
    ),
    Principle("ownership", "Ownership", spoken=("ownership",)),
    Principle("invent-and-simplify", "Invent and Simplify", spoken=("invent and simplify",)),
    Principle("are-right-a-lot", "Are Right, A Lot", spoken=("are|be|being right a lot",)),
    Principle("learn-and-be-curious", "Learn and Be Curious", spoken=("learn and be curious",)),
    Principle(
        "hire-and-develop-the-best",
        "Hire and Develop the Best",
        spoken=("hire and develop the best",),
    ),
    Principle(
        "insist-on-the-highest-standards",
        "Insist on the Highest Standards",
        spoken=("insist on the highest standards", "highest standards"),
    ),
    Principle("think-big", "Think Big", spoken=("think|thinking big",)),
    Principle("bias-for-action", "Bias for Action", spoken=("bias for|to|towards action",)),
    Principle("frugality", "Frugality", spoken=("frugality",)),
    Principle("earn-trust", "Earn Trust", spoken=("earn|earning|earned trust",)),
    Principle("dive-deep", "Dive Deep", spoken=("dive|diving deep",)),
    Principle(
        "have-backbone",
        "Have Backbone; Disagree and Commit",
        ("disagree-and-commit", "backbone"),
        spoken=("have|having backbone", "disagree and commit", "disagreeing and committing"),
    ),
    Principle("deliver-results", "Deliver Results", spoken=("deliver|delivering results",)),
    Principle(
        "earths-best-employer",
        "Strive to be Earth's Best Employer",
        ("best-employer", "earth-s-best-employer"),
        spoken=("strive to be earth's best employer", "earth's best employer"),
    ),
    Principle(
        "broad-responsibility",
        "Success and Scale Bring Broad Responsibility",
        ("success-and-scale",),
        spoken=("success and scale bring broad responsibility", "broad responsibility"),
    ),
)
"""The 16 Leadership Principles in Amazon's order. Tags use :attr:`Principle.slug`."""

BY_SLUG: dict[str, Principle] = {p.slug: p for p in LEADERSHIP_PRINCIPLES}


def slugify(text: str) -> str:
    """``"Earth's Best Employer"`` -> ``"earths-best-employer"`` (any script's letters kept)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    text = re.sub(r"['’`´]", "", text)
    return re.sub(r"[\W_]+", "-", text).strip("-")


SPELLINGS: dict[str, str] = {
    slugify(spelling): p.slug for p in LEADERSHIP_PRINCIPLES for spelling in (p.name, *p.aliases)
}
"""Slugified full names and aliases -> the principle's slug."""
