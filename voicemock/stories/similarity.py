"""Which story is this answer telling? Content-word similarity, no model, no network.

Each story is known by its title, its summary and its earlier tellings. An answer is
compared with each story by TF-IDF weighted cosine similarity over content words
(:func:`voicemock.stories.text.content_terms`: stop words, fillers and STAR scaffolding
removed, light stemming, numbers as values so "forty percent" matches "40%"):

- term frequency is sublinear (``1 + ln tf``), so a word repeated ten times does not
  drown the rest;
- inverse document frequency is computed over the stories in the bank (one document per
  story), so words every story shares ("customer", "team", "launch") weigh little and the
  words that tell stories apart ("checkout", "Hadoop", "Priya") weigh most;
- the story's *profile* is its title (counted twice) and summary as one part, and each
  telling as another part; the score is the larger of the similarity to the whole profile
  (all parts, each normalised, summed) and to its closest single part, so a story told
  once and a story told ten times are judged alike.

Scores run from 0 (nothing in common) to 1. :data:`THRESHOLD` is the score above which a
non-interactive round links an answer to its best story automatically; it is measured
by ``scripts/bench_linking.py`` (see the README for the figures).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from voicemock.stories.text import content_terms

THRESHOLD = 0.25
"""Link automatically at or above this score (see ``scripts/bench_linking.py``)."""

TITLE_WEIGHT = 2
"""The title's words count this many times in the title-and-summary part."""

Vector = dict[str, float]


@dataclass(frozen=True)
class StoryText:
    """What is known of a story's words: title, summary and earlier tellings."""

    id: int
    title: str
    summary: str = ""
    tellings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A story an answer may be telling, with its score and the words they share."""

    story_id: int
    title: str
    score: float
    shared: tuple[str, ...] = field(default=())
    """The shared terms that weigh most, heaviest first (stems and ``#numbers``)."""

    @property
    def automatic(self) -> bool:
        """High enough to link without asking (:data:`THRESHOLD`)."""
        return self.score >= THRESHOLD


def _tf(terms: Iterable[str]) -> Counter[str]:
    return Counter(terms)


def _weigh(counts: Mapping[str, int], idf: Mapping[str, float], default_idf: float) -> Vector:
    vec = {t: (1.0 + math.log(c)) * idf.get(t, default_idf) for t, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _normalised_sum(parts: Sequence[Vector]) -> Vector:
    total: Vector = {}
    for part in parts:
        for t, v in part.items():
            total[t] = total.get(t, 0.0) + v
    norm = math.sqrt(sum(v * v for v in total.values()))
    return {t: v / norm for t, v in total.items()} if norm else {}


def _parts(story: StoryText) -> list[Counter[str]]:
    head = content_terms(story.title) * TITLE_WEIGHT + content_terms(story.summary)
    parts = [_tf(head)] if head else []
    parts += [_tf(content_terms(t)) for t in story.tellings if t.strip()]
    return parts


def _idf(documents: Sequence[set[str]]) -> tuple[dict[str, float], float]:
    """Smoothed IDF over the stories: ``ln((1 + N) / (1 + df)) + 1``; default for unseen."""
    n = len(documents)
    df: Counter[str] = Counter()
    for doc in documents:
        df.update(doc)
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    return idf, math.log(1 + n) + 1.0


def suggest(
    answer_text: str, stories: Sequence[StoryText], *, limit: int | None = None
) -> list[Suggestion]:
    """The stories ranked by similarity to ``answer_text``, best first (ties by id).

    Pure and deterministic. An empty bank, or an answer with no content words, gives an
    empty list.
    """
    answer_terms = content_terms(answer_text)
    if not answer_terms or not stories:
        return []
    story_parts = [_parts(s) for s in stories]
    documents = [
        set().union(*(p.keys() for p in parts)) if parts else set() for parts in story_parts
    ]
    idf, default_idf = _idf(documents)
    answer = _weigh(_tf(answer_terms), idf, default_idf)
    out: list[Suggestion] = []
    for story, parts in zip(stories, story_parts, strict=True):
        if not parts:
            out.append(Suggestion(story.id, story.title, 0.0))
            continue
        vectors = [_weigh(p, idf, default_idf) for p in parts]
        profile = _normalised_sum(vectors)
        score = max(_cosine(answer, profile), max(_cosine(answer, v) for v in vectors))
        out.append(Suggestion(story.id, story.title, round(score, 4), _shared(answer, profile)))
    out.sort(key=lambda s: (-s.score, s.story_id))
    return out[:limit] if limit is not None else out


def best_match(answer_text: str, stories: Sequence[StoryText]) -> Suggestion | None:
    """The best story when its score reaches :data:`THRESHOLD` (automatic linking), else None."""
    ranked = suggest(answer_text, stories, limit=1)
    if ranked and ranked[0].automatic:
        return ranked[0]
    return None


def _shared(answer: Vector, profile: Vector, top: int = 5) -> tuple[str, ...]:
    common = sorted(
        ((answer[t] * profile[t], t) for t in answer.keys() & profile.keys()),
        key=lambda x: (-x[0], x[1]),
    )
    return tuple(t for _, t in common[:top])


__all__ = ["THRESHOLD", "StoryText", "Suggestion", "best_match", "suggest"]
