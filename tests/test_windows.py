"""How one chunk's decoding windows are joined (pure logic of ``asr/whisper.py``): where a
continuation starts, what of its opening is a repeat, and how a sentence the first pass
skipped is put back. The real model on real speech: tests/test_longform_real.py."""

from __future__ import annotations

from voicemock.asr.whisper import (
    drop_repeated_opening,
    merge_gap,
    next_phrase,
    restart_point,
    uncovered,
    voiced_seconds,
)
from voicemock.transcript import Span, Word


def words(text: str, start: float, step: float = 0.4) -> list[Word]:
    """One word every ``step`` seconds from ``start``, each ``step - 0.05`` long."""
    return [
        Word(t, start + i * step, start + i * step + step - 0.05)
        for i, t in enumerate(text.split())
    ]


def texts(ws: list[Word]) -> str:
    return " ".join(w.text for w in ws)


def test_a_continuation_s_repeated_opening_is_dropped_even_when_garbled() -> None:
    before = words("that as an example of fine typography", 10.0)
    found = words("There's an example of fine typography the ink was", 11.0)
    assert texts(drop_repeated_opening(before, found, 12.8)) == "the ink was"


def test_without_a_repeat_words_before_the_covered_point_are_dropped() -> None:
    before = words("one two three", 0.0)
    found = [Word("three", 0.8, 1.1), Word("four", 1.3, 1.6), Word("five", 1.7, 2.0)]
    assert texts(drop_repeated_opening(before, found, 1.2)) == "four five"


def test_restart_at_the_phrase_start_when_close_else_a_word_well_before() -> None:
    speech = [Span(0.0, 2.0), Span(2.5, 12.0)]
    ws = words("a b c d e f g h i j k l m n o p q r s t u v w", 2.5)
    assert restart_point(speech, ws, 4.0) == 2.5  # the phrase began 1.5 s before
    at = restart_point(speech, ws, 10.0)  # 7.5 s into a phrase: a word >= 1.5 s back
    assert at <= 8.5 and any(w.start == at for w in ws)


def test_next_phrase_and_voiced_seconds() -> None:
    speech = [Span(0.0, 2.0), Span(3.0, 5.0)]
    assert next_phrase(speech, 2.1) == 3.0
    assert next_phrase(speech, 4.0) == 4.0  # none after: stay
    assert voiced_seconds(speech, 1.0, 4.0) == 2.0


def test_uncovered_voice_is_found_only_when_long_enough() -> None:
    speech = [Span(0.0, 6.5)]
    ws = words("a b c", 0.0) + words("x y z", 5.0)  # 1.15 .. 5.0 has no word
    gaps = uncovered(speech, ws, 1.0)
    assert len(gaps) == 1
    assert 1.3 <= gaps[0].start <= 1.6 and 4.7 <= gaps[0].end <= 5.0
    assert uncovered(speech, words("a b c d e f g h i j k l m n o p", 0.0), 1.0) == []
    assert uncovered(speech, [*words("a b", 0.0), *words("c d e f g h i j k l m", 1.6)], 1.0) == []


def test_a_skipped_sentence_is_put_back_between_its_neighbours() -> None:
    # First pass: a sentence is missing after "bread"; alignment let "then" start early.
    first = [*words("he ate the bread", 0.0), Word("then", 4.5, 5.0), *words("he slept", 5.1)]
    gaps = uncovered([Span(0.0, 6.0)], first, 1.0)
    assert len(gaps) == 1
    # The second decode starts before the gap and runs into the words after it.
    found = words("the bread stuff it into you his belly counselled him then he slept", 0.8)
    merged = merge_gap(first, gaps[0], found)
    assert texts(merged) == (
        "he ate the bread stuff it into you his belly counselled him then he slept"
    )
    starts = [w.start or 0.0 for w in merged]
    assert starts == sorted(starts)
    assert all((w.end or 0.0) >= (w.start or 0.0) for w in merged)


def test_a_gap_decode_with_nothing_new_changes_nothing() -> None:
    first = words("he ate the bread", 0.0) + words("then he slept", 4.0)
    found = words("the bread then he slept", 0.8)
    gap = Span(1.7, 3.9)
    assert merge_gap(first, gap, found) == first
