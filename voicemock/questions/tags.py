"""Question tags: Leadership Principles (full names, slugs, aliases) and categories."""

from __future__ import annotations

from voicemock.principles import BY_SLUG, SPELLINGS, Principle, slugify

CATEGORIES: dict[str, str] = {
    "product-sense": "Product sense",
    "stakeholder-management": "Stakeholder management",
}
"""Non-LP categories the bundled sets use for product-manager loops."""


def _build_aliases() -> dict[str, str]:
    aliases = dict(SPELLINGS)
    aliases.update({"stakeholders": "stakeholder-management", "product": "product-sense"})
    return aliases


_TAG_ALIASES = _build_aliases()


def canonical_tag(tag: str) -> str:
    """The canonical form of a tag: case, spacing and full LP names don't matter.

    ``"Customer Obsession"``, ``"customer_obsession"`` and ``"customer-obsession"`` are the
    same tag; ``"Have Backbone; Disagree and Commit"`` is ``"have-backbone"``.
    """
    slug = slugify(tag)
    return _TAG_ALIASES.get(slug, slug)


def principle_for(tag: str) -> Principle | None:
    """The Leadership Principle a tag names, if it names one."""
    return BY_SLUG.get(canonical_tag(tag))


def tag_label(tag: str) -> str:
    """A human name for a tag: the LP's full name, a category's name, else the tag."""
    principle = principle_for(tag)
    if principle is not None:
        return principle.name
    return CATEGORIES.get(tag, tag)
