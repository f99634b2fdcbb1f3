"""Hedges: softeners in a story the speaker lived, with their noun-phrase look-alikes excluded."""

from __future__ import annotations

import pytest

from voicemock.analysis.hedges import find_hedges
from voicemock.transcript import Transcript, Word


def hedges(text: str) -> list[tuple[str, int, int]]:
    found = find_hedges(Transcript.from_text(text))
    return [(h.text, h.word_index, h.word_count) for h in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I think we were late.", [("I think", 0, 2)]),
        ("Maybe it worked.", [("Maybe", 0, 1)]),
        ("I guess that was it.", [("I guess", 0, 2)]),
        ("It was kind of slow.", [("kind of", 2, 2)]),
        ("It was sort of broken.", [("sort of", 2, 2)]),
        ("It kinda worked.", [("kinda", 1, 1)]),
        ("It was probably fine.", [("probably", 2, 1)]),
        ("Hopefully it ships.", [("Hopefully", 0, 1)]),
        ("I feel like we missed it.", [("I feel like", 0, 3)]),
        ("I believe it helped.", [("I believe", 0, 2)]),
        ("Perhaps we should wait.", [("Perhaps", 0, 1)]),
        ("We might have lost users.", [("might have", 1, 2)]),
        ("It was somewhat better.", [("somewhat", 2, 1)]),
        ("It was a little bit slow.", [("a little bit", 2, 3)]),
        ("I'm not sure it worked.", [("I'm not sure", 0, 3)]),
        ("I am not really sure.", [("I am not really sure", 0, 5)]),
        ("I don't know if it helped.", [("I don't know if", 0, 4)]),
        ("I'd say it doubled.", [("I'd say", 0, 2)]),
        ("I think, um, maybe it worked.", [("I think", 0, 2), ("maybe", 3, 1)]),
    ],
)
def test_hedges_are_found(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert hedges(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "What kind of product was it?",
        "It was a kind of dashboard.",
        "That sort of problem is common.",
        "We built the same kind of tool.",
        "She was kind to the team.",
        "I think about pricing every day.",
        "I believe in small teams.",
        "We did a bit of research.",
        "We needed a bit more context.",
        "It took a little bit of time.",
        "We decided to launch.",
    ],
)
def test_look_alikes_are_not_hedges(text: str) -> None:
    assert hedges(text) == []


def test_hedges_carry_their_start_time_and_canonical_phrase() -> None:
    words = [Word("So", 0.0, 0.2), Word("I", 0.3, 0.4), Word("THINK", 0.4, 0.7), Word("it", 1, 1.1)]
    (hedge,) = find_hedges(words)
    assert (hedge.phrase, hedge.text, hedge.start) == ("i think", "I THINK", 0.3)
    assert hedge.to_dict() == {"text": "I THINK", "start": 0.3, "word_index": 1, "word_count": 2}
