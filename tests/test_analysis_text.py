"""The shared word helpers: normalising, sentences, phrase matching, quoting."""

from __future__ import annotations

import pytest

from voicemock.analysis.text import (
    Doc,
    PhraseSet,
    Span,
    compile_phrase,
    hesitation_form,
    is_number,
    normalize,
    per_minute,
)
from voicemock.transcript import Transcript, Word


def doc(text: str) -> Doc:
    return Doc.of(Transcript.from_text(text))


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Um,", "um"),
        ("22%", "22%"),
        ("$1.2", "$1.2"),
        ("$3.4M,", "$3.4m"),
        ("one-page", "one-page"),
        ("don't", "don't"),
        ("Don\u2019t", "don't"),
        ("Obsession.", "obsession"),
        ("1.2.", "1.2"),
        ("(22%)", "22%"),
        ('"Ownership:', "ownership"),
        ("2,000", "2,000"),
        ("U.S.", "u.s"),
        ("...", ""),
        ("\u2014", ""),
    ],
)
def test_normalize_keeps_inner_marks_and_strips_the_rest(raw: str, key: str) -> None:
    assert normalize(raw) == key


@pytest.mark.parametrize(
    ("key", "form"),
    [
        ("um", "um"),
        ("umm", "um"),
        ("ummm", "um"),
        ("uhm", "um"),
        ("uh", "uh"),
        ("uhh", "uh"),
        ("er", "er"),
        ("erm", "erm"),
        ("ah", "ah"),
        ("hmm", "hmm"),
        ("mm", "mm"),
        ("mmm", "mm"),
    ],
)
def test_hesitation_spellings_share_one_form(key: str, form: str) -> None:
    assert hesitation_form(key) == form


@pytest.mark.parametrize("key", ["u", "m", "me", "mum", "hum", "are", "her", "oh", "", "umbrella"])
def test_ordinary_words_are_not_hesitations(key: str) -> None:
    assert hesitation_form(key) is None


def test_numbers_in_digits_and_words() -> None:
    for key in ("22", "22%", "$1.2", "2,000", "3x", "six", "twenty-two", "million"):
        assert is_number(key), key
    for key in ("2nd", "first", "one-page", "q3", "twenty-page"):
        assert not is_number(key), key


def test_sentences_split_on_end_punctuation_but_not_abbreviations() -> None:
    d = doc("I met Mr. Smith at 3.5 p.m. today. Did it work? Yes! It did")
    texts = [d.text(s) for s in d.sentences]
    assert texts == ["I met Mr. Smith at 3.5 p.m", "today", "Did it work", "Yes", "It did"]


def test_a_one_second_silence_ends_a_sentence_in_a_timed_transcript() -> None:
    words = [
        Word("we", 0.0, 0.2),
        Word("shipped", 0.3, 0.6),
        Word("it", 1.7, 1.9),  # 1.1 s after "shipped"
        Word("then", 2.0, 2.2),
        Word("it", 3.0, 3.2),  # 0.8 s: same sentence
    ]
    d = Doc(words)
    assert [(s.index, s.count) for s in d.sentences] == [(0, 2), (2, 3)]


def test_opening_a_sentence_ignores_hesitations_before_it() -> None:
    d = doc("Um, uh, so we started. Then, um, we stopped.")
    assert d.opens_sentence(2)  # "so"
    assert not d.opens_sentence(3)
    assert d.opens_sentence(5)  # "Then,"
    assert d.prev_word(7) == 5  # "we" -> "Then," skipping "um,"


def test_phrases_match_alternatives_optional_slots_and_classes() -> None:
    phrases = PhraseSet(
        [("i <adv>? decided|chose", "strong"), ("we decided", "shared"), ("the team", "team")],
        classes={"adv": lambda k: k.endswith("ly")},
    )
    d = doc("I personally decided, then we decided. I chose. The team. I really, truly decided.")
    found = [(m.index, m.count, m.label) for m in phrases.find(d)]
    assert found == [(0, 3, "strong"), (4, 2, "shared"), (6, 2, "strong"), (8, 2, "team")]


def test_phrases_skip_hesitations_inside_but_never_cross_a_sentence() -> None:
    phrases = PhraseSet(["i decided", "you know"])
    d = doc("I, um, decided. You. Know.")
    assert [(m.index, m.count) for m in phrases.find(d)] == [(0, 3)]


def test_longest_phrase_wins() -> None:
    phrases = PhraseSet(["a bit", "a little bit", "a little"])
    assert [(m.index, m.count) for m in phrases.find(doc("it was a little bit slow"))] == [(2, 3)]


def test_bad_phrase_specs_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown class"):
        compile_phrase("i <verb>")
    with pytest.raises(ValueError, match="required word"):
        compile_phrase("maybe?")


def test_quote_runs_to_the_end_of_the_clause_without_dangling_words() -> None:
    d = doc("We decided to delay the launch by a week to add monitoring, which meant risk.")
    assert d.quote(Span(0, 2)) == "We decided to delay the launch"
    longer = "We decided to delay the launch by a week to add monitoring"
    assert d.quote(Span(0, 2), max_words=20) == longer
    assert d.text(Span(11, 1)) == "monitoring"


def test_bad_times_are_treated_as_unknown() -> None:
    d = Doc([Word("a", float("nan"), float("inf")), Word("b", 1.0, 1.2)])
    assert d.start(0) is None and d.end(0) is None and d.start(1) == 1.0


def test_per_minute_needs_a_positive_duration() -> None:
    assert per_minute(6, 120.0) == 3.0
    assert per_minute(6, None) is None
    assert per_minute(6, 0.0) is None
