"""Ownership: "I decided" is strong, "we decided" and "I helped" are weak; I/we counts."""

from __future__ import annotations

import pytest

from voicemock.analysis.ownership import find_ownership
from voicemock.transcript import Transcript, Word


def strong_weak(text: str) -> tuple[list[str], list[str]]:
    o = find_ownership(Transcript.from_text(text))
    return [a.phrase for a in o.strong], [a.phrase for a in o.weak]


@pytest.mark.parametrize(
    "phrase",
    [
        "I decided", "I owned", "I built", "I chose", "I wrote", "I killed", "I led", "I drove",
        "I designed", "I proposed", "I pushed back", "I convinced", "I made the call", "I set",
        "I launched", "I negotiated", "I hired", "I fired", "I cut", "I prioritised",
        "I prioritized", "I personally decided", "I then wrote", "I, um, decided",
        "I've decided", "I eventually convinced",
    ],
)  # fmt: skip
def test_strong_ownership(phrase: str) -> None:
    assert strong_weak(f"{phrase} it.") == ([phrase], [])


@pytest.mark.parametrize(
    "phrase",
    [
        "we decided", "we chose", "we built", "the team decided", "I helped", "I supported",
        "I was involved", "I was heavily involved", "I was part of", "I influenced",
        "I collaborated", "I assisted", "I contributed", "I participated", "I tried to",
        "our team chose", "we eventually launched", "we made the call",
    ],
)  # fmt: skip
def test_weak_agency(phrase: str) -> None:
    assert strong_weak(f"Then {phrase} it.") == ([], [phrase])


def test_we_decided_is_never_strong() -> None:
    strong, weak = strong_weak(
        "We decided. We personally decided. we, um, decided. Then we decided and I decided."
    )
    assert strong == ["I decided"]
    assert weak == ["We decided", "We personally decided", "we, um, decided", "we decided"]


@pytest.mark.parametrize(
    "text",
    [
        "I never decided anything.",
        "I almost decided to quit.",
        "I didn't decide.",
        "I had decided nothing.",
        "The decision was made.",
    ],
)
def test_no_claim_without_the_speaker_doing_it(text: str) -> None:
    assert strong_weak(text) == ([], [])


def test_pronoun_counts_and_ratio() -> None:
    o = find_ownership(
        Transcript.from_text(
            "I'm sure I'd do it, I've done it: me, my, mine, myself. I'll go. "
            "We're here, we'd go, we've been, we'll see; us, our, ours, ourselves, we."
        )
    )
    assert (o.i_count, o.we_count) == (8, 9)
    assert o.i_we_ratio == 0.89


def test_us_the_country_and_the_filler_i_mean_are_not_pronouns() -> None:
    o = find_ownership(Transcript.from_text("I mean, we sold in the US and U.S. markets for us."))
    assert (o.i_count, o.we_count) == (0, 2)


def test_ratio_is_null_without_we() -> None:
    o = find_ownership(Transcript.from_text("I decided and I built it."))
    assert (o.i_count, o.we_count, o.i_we_ratio) == (2, 0, None)
    assert o.to_dict()["i_we_ratio"] is None


def test_agency_carries_start_and_span() -> None:
    words = [Word("so", 0.0, 0.2), Word("we", 1.0, 1.2), Word("decided.", 1.25, 1.7)]
    o = find_ownership(words)
    assert [a.to_dict() for a in o.weak] == [
        {"phrase": "we decided", "start": 1.0, "word_index": 1, "word_count": 2}
    ]
