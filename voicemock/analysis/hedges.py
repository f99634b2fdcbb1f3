"""Hedges: words that soften a claim ("I think", "maybe", "kind of", "I'm not sure").

A behavioural answer is a story the speaker lived; hedging it makes the speaker sound
unsure of their own past. "What kind of product" and "I think about pricing" are not hedges.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicemock.analysis.document import HedgeDoc
from voicemock.analysis.text import Doc, DocSource, PhraseSet, location

_PHRASES = PhraseSet(
    [
        ("i think", "i think"),
        ("i guess", "i guess"),
        ("i suppose", "i suppose"),
        ("i believe", "i believe"),
        ("i feel like", "i feel like"),
        ("i'm not <adv>? sure", "i'm not sure"),
        ("i am not <adv>? sure", "i'm not sure"),
        ("not really sure", "not sure"),
        ("i don't know if|whether", "i don't know if"),
        ("i do not know if|whether", "i don't know if"),
        ("i'd say", "i'd say"),
        ("i would say", "i'd say"),
        ("maybe", "maybe"),
        ("perhaps", "perhaps"),
        ("probably", "probably"),
        ("hopefully", "hopefully"),
        ("possibly", "possibly"),
        ("somewhat", "somewhat"),
        ("kind|kinda of?", "kind of"),
        ("sort|sorta of?", "sort of"),
        ("a little bit", "a little bit"),
        ("a bit", "a bit"),
        ("might|may have", "might have"),
        ("more or less", "more or less"),
        ("to some extent", "to some extent"),
        ("in a way", "in a way"),
        ("it seems|seemed like?", "it seems"),
    ],
    classes={"adv": lambda k: k in ("really", "totally", "entirely", "quite", "100%")},
)

# Words that make "kind of"/"sort of" a noun phrase: "what kind of product", "a sort of tool"
_KIND_AS_NOUN_BEFORE = frozenset(
    {
        "what", "which", "this", "that", "these", "those", "the", "a", "an", "some", "any",
        "every", "same", "different", "one", "other", "another", "right", "wrong", "new",
        "our", "my", "their", "your", "its", "his", "her", "particular", "certain", "all",
        "no", "first", "specific",
    }
)  # fmt: skip
_THINK_NOT_AFTER = frozenset({"about", "of", "through", "big", "so", "differently"})
_BELIEVE_NOT_AFTER = frozenset({"in"})
_BIT_NOT_AFTER = frozenset({"more", "of"})  # "a bit more context", "a bit of research"


@dataclass(frozen=True, slots=True)
class Hedge:
    text: str
    """What was said, as spoken ("I think", "kind of")."""
    phrase: str
    """The canonical hedge it matched ("i think")."""
    word_index: int
    word_count: int
    start: float | None

    def to_dict(self) -> HedgeDoc:
        return {
            "text": self.text,
            **location(self),
        }


def _is_hedge(doc: Doc, index: int, count: int, phrase: str) -> bool:
    prev = doc.prev_word(index)
    before = doc.key(prev) if prev is not None else ""
    after = doc.key(index + count) if doc.same_sentence(index, index + count) else ""
    if phrase in ("kind of", "sort of"):
        if count == 1 and doc.keys[index] in ("kind", "sort"):
            return False  # "kind" alone is an adjective ("she was kind"); "kinda"/"sorta" count
        return before not in _KIND_AS_NOUN_BEFORE and not doc.key(index).startswith("kinds")
    if phrase == "i think":
        return after not in _THINK_NOT_AFTER
    if phrase == "i believe":
        return after not in _BELIEVE_NOT_AFTER
    if phrase == "a bit":
        return after not in _BIT_NOT_AFTER
    if phrase == "a little bit":
        return after != "of"
    if phrase == "in a way":
        return after in ("", "it", "that", "this", "i", "we") or doc.break_after(index + count - 1)
    if phrase == "it seems":
        return before not in ("what",)
    return True


def find_hedges(source: DocSource) -> list[Hedge]:
    """Every hedge in speaking order."""
    doc = Doc.of(source)
    out: list[Hedge] = []
    for m in _PHRASES.finditer(doc):
        if _is_hedge(doc, m.index, m.count, m.label):
            out.append(Hedge(doc.text(m.span), m.label, m.index, m.count, doc.start(m.index)))
    return out


__all__ = ["Hedge", "find_hedges"]
