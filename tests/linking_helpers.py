"""The story-linking test set (tests/data/stories/linking.toml) and how it is scored.

Shared by tests/test_stories_linking.py and scripts/bench_linking.py.

Protocol. A *known* case is telling k of a banked story: the bank holds every story's
title and summary, the other stories' tellings, and this story's tellings before k (as it
would be the k-th time the person tells it). With ``cold=True`` the bank holds titles
and summaries only (a bank just typed in, no tellings yet). A *new* case is a telling of
a story that is not in the bank, scored against the full bank (every telling).
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from voicemock.stories.similarity import THRESHOLD, StoryText, Suggestion, suggest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).resolve().parent / "data" / "stories" / "linking.toml"


@dataclass(frozen=True)
class Telling:
    story: str
    index: int
    question: str
    text: str
    spoken: bool

    @property
    def name(self) -> str:
        return f"{self.story}-{self.index + 1}"


@dataclass(frozen=True)
class Banked:
    id: int
    key: str
    title: str
    summary: str
    principles: tuple[str, ...]
    tellings: tuple[Telling, ...]


@dataclass(frozen=True)
class LinkingSet:
    stories: tuple[Banked, ...]
    new: tuple[Telling, ...]

    def known(self) -> list[Telling]:
        return [t for s in self.stories for t in s.tellings]

    def spoken(self) -> list[Telling]:
        return [t for t in [*self.known(), *self.new] if t.spoken]


def load(path: Path = DATA) -> LinkingSet:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    stories = []
    for n, s in enumerate(data["stories"], start=1):
        tellings = tuple(
            Telling(s["key"], i, t["question"], _flat(t["text"]), bool(t.get("spoken")))
            for i, t in enumerate(s["tellings"])
        )
        stories.append(
            Banked(n, s["key"], s["title"], s["summary"], tuple(s["principles"]), tellings)
        )
    counts: Counter[str] = Counter()
    new = []
    for t in data["new"]:
        new.append(
            Telling(
                t["key"], counts[t["key"]], t["question"], _flat(t["text"]), bool(t.get("spoken"))
            )
        )
        counts[t["key"]] += 1
    return LinkingSet(tuple(stories), tuple(new))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


Scorer = Callable[[str, Sequence[StoryText]], list[Suggestion]]


def bank_for(
    data: LinkingSet,
    case: Telling | None,
    *,
    cold: bool = False,
    texts: dict[str, str] | None = None,
) -> list[StoryText]:
    """The bank as it stands when ``case`` is told (``None``: every telling banked)."""
    texts = texts or {}
    bank = []
    for s in data.stories:
        if cold:
            told: tuple[Telling, ...] = ()
        elif case is not None and case.story == s.key:
            told = s.tellings[: case.index]
        else:
            told = s.tellings
        bank.append(
            StoryText(s.id, s.title, s.summary, tuple(texts.get(t.name, t.text) for t in told))
        )
    return bank


@dataclass(frozen=True)
class Outcome:
    case: Telling
    expected: int | None
    """The banked story's id; None for a new story."""
    ranked: list[Suggestion]

    @property
    def best(self) -> Suggestion | None:
        return self.ranked[0] if self.ranked else None

    @property
    def right_first(self) -> bool:
        return self.best is not None and self.best.story_id == self.expected

    @property
    def linked(self) -> bool:
        """Would be linked automatically (best score at or above the threshold)."""
        return self.best is not None and self.best.score >= THRESHOLD

    def score_of(self, story_id: int | None) -> float:
        return next((s.score for s in self.ranked if s.story_id == story_id), 0.0)


def evaluate(
    data: LinkingSet,
    cases: Sequence[Telling],
    *,
    scorer: Scorer = suggest,
    cold: bool = False,
    texts: dict[str, str] | None = None,
) -> list[Outcome]:
    """Score each case (its text replaced by ``texts[case.name]`` when given)."""
    ids = {s.key: s.id for s in data.stories}
    out = []
    for case in cases:
        known = case.story in ids and case in data.stories[ids[case.story] - 1].tellings
        bank = bank_for(data, case if known else None, cold=cold)
        text = (texts or {}).get(case.name, case.text)
        out.append(Outcome(case, ids[case.story] if known else None, scorer(text, bank)))
    return out


@dataclass(frozen=True)
class Figures:
    known: int
    right_first: int
    right_linked: int
    wrong_linked: int
    new: int
    new_rejected: int

    @property
    def right_first_rate(self) -> float:
        return self.right_first / self.known if self.known else 1.0

    @property
    def new_rejected_rate(self) -> float:
        return self.new_rejected / self.new if self.new else 1.0

    def line(self) -> str:
        parts = []
        if self.known:
            parts.append(
                f"right story first {self.right_first}/{self.known} ({self.right_first_rate:.0%}),"
                f" linked automatically {self.right_linked}/{self.known},"
                f" wrongly linked {self.wrong_linked}"
            )
        if self.new:
            rate = f"{self.new_rejected_rate:.0%}"
            parts.append(f"new story not linked {self.new_rejected}/{self.new} ({rate})")
        return "; ".join(parts)


def figures(outcomes: Sequence[Outcome]) -> Figures:
    known = [o for o in outcomes if o.expected is not None]
    new = [o for o in outcomes if o.expected is None]
    return Figures(
        known=len(known),
        right_first=sum(o.right_first for o in known),
        right_linked=sum(o.right_first and o.linked for o in known),
        wrong_linked=sum(o.linked and not o.right_first for o in known),
        new=len(new),
        new_rejected=sum(not o.linked for o in new),
    )


# -- the baseline: plain bag-of-words cosine ---------------------------------------------


def plain_cosine(answer_text: str, stories: Sequence[StoryText]) -> list[Suggestion]:
    """Raw word counts, no stop words, stemming, IDF or number handling: the baseline."""

    def bag(text: str) -> Counter[str]:
        return Counter(re.findall(r"[a-z0-9']+", text.lower()))

    def cos(a: Counter[str], b: Counter[str]) -> float:
        dot = sum(v * b[t] for t, v in a.items())
        na = math.sqrt(sum(v * v for v in a.values()))
        nb = math.sqrt(sum(v * v for v in b.values()))
        return dot / (na * nb) if na and nb else 0.0

    answer = bag(answer_text)
    out = []
    for s in stories:
        profile = bag(" ".join([s.title, s.summary, *s.tellings]))
        out.append(Suggestion(s.id, s.title, round(cos(answer, profile), 4)))
    out.sort(key=lambda x: (-x.score, x.story_id))
    return out


# -- spoken tellings ---------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s.strip()]


def speak_and_transcribe(cases: Sequence[Telling], workdir: Path, espeak: str) -> dict[str, str]:
    """Each telling spoken by espeak-ng, then transcribed by the real model through
    `voicemock analyze --json` (the same pipeline as a practice answer)."""
    import json

    from click.testing import CliRunner

    from tests.speech_helpers import espeak_wav
    from voicemock.cli import cli

    out: dict[str, str] = {}
    for case in cases:
        wav = espeak_wav(
            espeak, [(s, 450) for s in sentences(case.text)], workdir / f"{case.name}.wav", wpm=165
        )
        result = CliRunner().invoke(cli, ["analyze", str(wav), "--json"])
        if result.exit_code != 0:
            raise RuntimeError(f"analyze failed on {case.name}: {result.output}")
        out[case.name] = json.loads(result.stdout)["transcript"]
    return out
