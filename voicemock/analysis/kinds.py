"""What the question asks for, and what the answer does.

Not every question wants a STAR story. The **question kind** decides which checks apply:

- ``story``: a real past situation ("Tell me about a time…", "Give me an example…",
  "What is the hardest decision you have made?") — every check;
- ``introduction``: the candidate's background ("Tell me about yourself", "Why this
  role?") — no result, lesson or context checks;
- ``product``: product sense, design or strategy ("What would you build next for
  Alexa?", "How would you improve…", "Design a…") — no STAR checks;
- ``hypothetical``: what the candidate would do in a described situation ("What would you
  do if…", "Imagine…") — "I would…" is the expected form, no result or lesson required.

It comes from the question set's tags when a tag names a kind, else from the question's
text, else (no question given) from the answer itself.

The **answer style** is what the answer does, whatever was asked: it recounts a specific
past situation (``story``), says what the speaker would or generally does
(``hypothetical``), summarises a background (``introduction``) or reasons about a product
(``product``). A story question answered hypothetically must be told so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from voicemock.analysis.document import AnswerStyle, KindSource, QuestionKind
from voicemock.analysis.lexicon import is_past_form
from voicemock.analysis.ownership import Clause
from voicemock.analysis.text import Doc

_STORY = re.compile(
    r"\b(?:tell (?:me|us) about (?:a|an|the|one|some) (?:time|situation|moment|occasion|"
    r"example|project|decision|mistake|failure|conflict|disagreement|case|product|feature|"
    r"launch|risk|piece|stakeholder|customer|bet|goal|metric|challenge|setback)"
    r"|tell (?:me|us) about (?:your|the) (?:hardest|biggest|most|best|proudest|worst|toughest)"
    r"|give (?:me|us) (?:an|a|one|some) (?:example|instance|story|time)"
    r"|describe (?:a|an|the|one) (?:time|situation|moment|occasion|project|decision|case)"
    r"|walk (?:me|us) through (?:a|an|the) (?:time|situation|project|decision|launch)"
    r"|share (?:an|a) (?:example|story|time)|have you ever|when (?:did|have) you"
    r"|what (?:is|was|'s) the (?:hardest|biggest|most|best|toughest|worst|proudest|piece)"
    r"[^?.]*\byou(?:'ve| have| did| made| were|'re| are)?\b"
    r"|tell (?:me|us) about something you)",
    re.IGNORECASE,
)
_INTRODUCTION = re.compile(
    r"\b(?:tell (?:me|us) (?:a (?:little|bit) )?about yourself|introduce yourself"
    r"|walk (?:me|us) through your (?:r[eé]sum[eé]|cv|background|career|experience)"
    r"|why (?:do you want|are you (?:interested|applying|looking)|this (?:role|job|company|team)"
    r"|amazon|us|should we hire)"
    r"|what (?:brings you|makes you (?:a good|the right)|are you looking for)"
    r"|where do you see yourself|your background)",
    re.IGNORECASE,
)
_PRODUCT = re.compile(
    r"\b(?:what would you (?:build|design|launch|create|add|change|improve|prioriti[sz]e)"
    r"|how would you (?:improve|design|build|measure|redesign|grow|monetize|monetise|"
    r"prioriti[sz]e|launch|price|change)"
    r"|design (?:a|an|the)\b|(?:your )?favou?rite (?:product|app)|a product you"
    r"|pick (?:a|one) product|what product would|what is a product|what's a product"
    r"|first thing you would change|what metrics? would you|how would you fix"
    r"|what would you do (?:next )?(?:with|for) (?:alexa|prime|our|the|amazon|this product))",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:what would you do|how would you (?:handle|respond|react|deal|approach|manage|"
    r"proceed|decide|tell|convince|resolve)|imagine|suppose|let's say|say you"
    r"|what if|if you (?:were|had|found|learned|discovered|disagreed|joined|inherited|got)\b)",
    re.IGNORECASE,
)

_KIND_TAGS: dict[str, QuestionKind] = {
    "introduction": "introduction", "about-you": "introduction", "motivation": "introduction",
    "background": "introduction", "why-amazon": "introduction",
    "hypothetical": "hypothetical", "situational": "hypothetical", "scenario": "hypothetical",
    "product-design": "product", "design": "product", "product-strategy": "product",
    "product-improvement": "product", "product-sense": "product",
}  # fmt: skip
_WEAK_TAGS = frozenset({"product-sense", "motivation"})
"""Tags that name a category more than a kind: a story question can be tagged product-sense."""


def kind_from_text(question: str) -> tuple[QuestionKind | None, bool]:
    """The kind the question's words ask for, and whether the words say it plainly."""
    if _STORY.search(question):
        return "story", True
    if _INTRODUCTION.search(question):
        return "introduction", True
    if _PRODUCT.search(question):
        return "product", True
    if _HYPOTHETICAL.search(question):
        return "hypothetical", True
    return None, False


def question_kind(
    question: str | None, tags: Iterable[str] = (), style: AnswerStyle | None = None
) -> tuple[QuestionKind, KindSource]:
    """The question's kind and where it came from (tags, the question text, the answer)."""
    tag_kinds = [(t, _KIND_TAGS[t]) for t in tags if t in _KIND_TAGS]
    text_kind, plain = kind_from_text(question) if question else (None, False)
    strong_tags = [k for t, k in tag_kinds if t not in _WEAK_TAGS]
    if strong_tags:
        return strong_tags[0], "tags"
    if text_kind is not None and plain:
        return text_kind, "question"
    if tag_kinds:
        return tag_kinds[0][1], "tags"
    if question and question.strip():
        return "story", "question"
    if style in ("introduction", "product"):
        return style, "answer"
    return "story", "default"


# -- the answer's style ---------------------------------------------------------------------

_GENERIC_OPENERS = re.compile(
    r"\b(?:generally|usually|typically|normally|in general|in situations like (?:that|this)|"
    r"in (?:that|this|those) (?:kind|sort) of situations?|in a situation like|"
    r"my (?:general )?approach (?:is|would be)|the way i (?:usually|generally|typically)|"
    r"if i (?:were|was|had|disagreed|found|got)|i would (?:first|always|start|probably)|"
    r"i haven't|i have not|how i'?d approach)\b",
    re.IGNORECASE,
)
_STORY_OPENERS = re.compile(
    r"\b(?:that (?:actually )?happened to me|let me tell you (?:about|what)|"
    r"i can answer that with|this was at|there was (?:this |one )?time|at my (?:last|previous)|"
    r"last (?:year|spring|summer|fall|autumn|winter|quarter)|back in \d{4}|"
    r"a few (?:years|months) ago|in \d{4}|years? ago|when i was at)\b",
    re.IGNORECASE,
)
_INTRO_CUES = re.compile(
    r"\b(?:i'?m a (?:senior |lead |principal |group )?(?:product|pm|engineer|designer)|"
    r"years of experience|i'?ve been (?:in|doing|a) |my background|i started my career|"
    r"i'?m looking for|what i'?d bring|before (?:that|\w+),? i (?:spent|was|worked)|"
    r"right now i'?m|currently i'?m|my career)\b",
    re.IGNORECASE,
)
_PRODUCT_CUES = re.compile(
    r"\b(?:i'?d (?:build|design|add|focus|measure|track|launch|ship|solve|prioriti[sz]e|"
    r"start with|segment|break)|the (?:product|feature|metric) (?:i'?d|would)|"
    r"users?|customers? (?:want|need)|segments?|north star|success metric|"
    r"measure (?:it|success)|the biggest (?:pain|problem|risk))\b",
    re.IGNORECASE,
)
_WOULD = frozenset({"would", "i'd", "we'd", "wouldn't", "could", "should"})
_PRESENT_HABIT = frozenset({"always", "usually", "generally", "typically", "normally", "tend"})


@dataclass(frozen=True, slots=True)
class StyleEvidence:
    """What :func:`answer_style` counted, kept for tests and for the advice's wording."""

    past_actions: int
    """The speaker's real clauses in the past ("I ran", "we shipped", "I had pushed")."""
    past_verbs: int
    """Simple-past verbs anywhere (the story's other events: "the pilot ran", "she agreed")."""
    would: int
    """ "I'd…", "I would…", "we'd…" clauses and other conditionals."""
    generic: int
    """Markers of a general answer: "usually", "in situations like that", "if I were…"."""
    story_openers: int
    intro_cues: int
    product_cues: int


def style_evidence(doc: Doc, clauses: Sequence[Clause]) -> StyleEvidence:
    past_actions = 0
    would = 0
    for c in clauses:
        subject = doc.keys[c.start]
        verb = doc.keys[c.verb] if c.verb < doc.n else ""
        told = is_past_form(verb) or subject in ("i'd", "we'd")
        if c.mood in ("real", "weak") and c.verb > c.start and told:
            past_actions += 1
        if c.mood == "modal" and (subject in ("i'd", "we'd") or verb in _WOULD):
            would += 1
    past_verbs = 0
    for i, key in enumerate(doc.keys):
        if doc.quoted[i] or not is_past_form(key):
            continue
        prev = doc.key(i - 1)
        if prev in ("have", "has", "had", "'ve", "i've", "we've", "be", "been", "being"):
            continue  # "would have pushed", "had been": not a narrated event on its own
        past_verbs += 1
    text = " ".join(w.text for w in doc.words)
    return StyleEvidence(
        past_actions=past_actions,
        past_verbs=past_verbs,
        would=would,
        generic=len(_GENERIC_OPENERS.findall(text)),
        story_openers=len(_STORY_OPENERS.findall(text)),
        intro_cues=len(_INTRO_CUES.findall(text)),
        product_cues=len(_PRODUCT_CUES.findall(text)),
    )


def answer_style(
    doc: Doc, clauses: Sequence[Clause], kind: QuestionKind, evidence: StyleEvidence | None = None
) -> AnswerStyle:
    """What the answer does: tells a story, says what the speaker would do, introduces the
    speaker, or reasons about a product."""
    e = evidence if evidence is not None else style_evidence(doc, clauses)
    story_weight = 2 * e.past_actions + 0.5 * e.past_verbs + 2 * e.story_openers
    hypo_weight = 2 * e.would + 2 * e.generic
    tells_story = (e.past_actions >= 3 or (e.past_actions >= 2 and e.past_verbs >= 6)) and (
        story_weight >= 1.5 * hypo_weight
    )
    if kind == "introduction":
        if tells_story and e.intro_cues == 0 and e.story_openers > 0:
            return "story"
        return "introduction"
    if kind == "product":
        if tells_story and e.would <= 2 and e.past_actions >= 3:
            return "story"
        return "product"
    if tells_story:
        return "story"
    if e.intro_cues >= 2 and e.would < 2 and e.past_actions < 3:
        return "introduction"
    if e.would == 0 and e.generic == 0:
        return "story"  # no sign of anything else: a (perhaps thin) story
    return "hypothetical"


__all__ = [
    "StyleEvidence",
    "answer_style",
    "kind_from_text",
    "question_kind",
    "style_evidence",
]
