"""Metrics: quantities in digits or words, classified, with the exact words they span.

A number's span runs over what it counts ("22% of people", "Half of our users") and over a
rate attached to it ("$1.2 million a year"); a change verb that governs it starts it
("reduced churn by 15%"). Context (baseline / period) is tested in
``test_analysis_context.py``.
"""

from __future__ import annotations

import pytest

from voicemock.analysis.metrics import find_metrics
from voicemock.transcript import Transcript, Word


def metrics(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.kind) for m in find_metrics(Transcript.from_text(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # percent
        ("About 22% of people dropped off.", [("22% of people", "percent")]),
        ("It was twenty two percent.", [("twenty two percent", "percent")]),
        ("It was twenty-two percent.", [("twenty-two percent", "percent")]),
        ("It was 22 per cent.", [("22 per cent", "percent")]),
        ("Margin rose 40 basis points.", [("rose 40 basis points", "change")]),
        ("It was 40 basis points.", [("40 basis points", "percent")]),
        # money
        ("We saved 1.3 million dollars.", [("1.3 million dollars", "money")]),
        ("We saved one point two million dollars.", [("one point two million dollars", "money")]),
        ("It cost $3.4M.", [("$3.4M", "money")]),
        ("It was $1.2 million a year.", [("$1.2 million a year", "money")]),
        ("A budget of half a million dollars.", [("half a million dollars", "money")]),
        ("We booked 2 million in revenue.", [("2 million", "money")]),
        # duration
        ("We built it in six weeks.", [("six weeks", "duration")]),
        ("It took two and a half weeks.", [("two and a half weeks", "duration")]),
        ("We shipped in one day.", [("one day", "duration")]),
        ("Pages load in 300 milliseconds.", [("300 milliseconds", "duration")]),
        # ratio
        ("It was 3x faster.", [("3x", "ratio")]),
        ("It was three times faster.", [("three times faster", "ratio")]),
        ("It ran twice as fast.", [("twice as fast", "ratio")]),
        ("Half of our users left.", [("Half of our users", "ratio")]),
        ("A third of the tickets were bugs.", [("A third of the tickets", "ratio")]),
        ("Two thirds of them agreed.", [("Two thirds of them", "ratio")]),
        ("One in five users churned.", [("One in five users", "ratio")]),
        ("It was tenfold.", [("tenfold", "ratio")]),
        ("A tenfold increase.", [("tenfold", "change")]),  # "a 15% lift" is a change
        # change
        ("Conversion went from 60 to 81 percent.", [("from 60 to 81 percent", "change")]),
        ("Conversion went 60 to 81%.", [("60 to 81%", "change")]),
        ("It moved from two weeks to three days.", [("from two weeks to three days", "change")]),
        ("Revenue doubled.", [("doubled", "change")]),
        ("Costs halved.", [("halved", "change")]),
        ("We cut it in half.", [("in half", "change")]),
        ("We reduced churn by 15%.", [("reduced churn by 15%", "change")]),
        ("We cut costs by a third.", [("cut costs by a third", "change")]),
        ("Signups grew 30% in a quarter.", [("grew 30%", "change"), ("a quarter", "duration")]),
        ("NPS went up 12 points.", [("went up 12 points", "change")]),
        ("Latency went down by 20%.", [("down by 20%", "change")]),
        ("Usage doubled to 2,000 users.", [("doubled to 2,000 users", "change")]),
        # count
        ("We had 2,000 users.", [("2,000 users", "count")]),
        ("We got an NPS of 45.", [("NPS of 45", "count")]),
        ("We hired twelve engineers.", [("twelve engineers", "count")]),
        ("We took 2,000 orders a day.", [("2,000 orders a day", "count")]),
        ("There were 20 in the room.", [("20", "count")]),
        ("Users complained 300 times a week.", [("300 times a week", "count")]),
    ],
)
def test_metrics_are_found_and_classified(text: str, expected: list[tuple[str, str]]) -> None:
    assert metrics(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It was one of the hardest projects.",
        "A couple of engineers helped.",
        "First we met the team.",
        "The second time it worked.",
        "A few people complained.",
        "One day my manager called me.",
        "One thing I learned was patience.",
        "No one owned it.",
        "We had a one-on-one.",
        "I wrote a one-page memo.",
        "In 2019 we started.",
        "At one point we nearly gave up.",
        "In the second half of the year.",
        "Two reasons. First, the cost.",
        "I brought them in on week three.",
        "We were in phase 2.",
        "It was the third option.",
        "Millions of users saw it.",
        "We had hundreds of tickets.",
        "It was a 3rd party tool in Q3.",
    ],
)
def test_non_metrics(text: str) -> None:
    assert metrics(text) == []


def test_a_range_is_one_change_metric() -> None:
    found = find_metrics(Transcript.from_text("It went from 60 to 81 percent and then 2 weeks."))
    assert [(m.text, m.kind, m.word_index, m.word_count) for m in found] == [
        ("from 60 to 81 percent", "change", 2, 5),
        ("2 weeks", "duration", 9, 2),
    ]


def test_metrics_carry_the_start_of_their_first_word() -> None:
    words = [
        Word("We", 0.0, 0.2),
        Word("saved", 0.3, 0.6),
        Word("$1.2", 0.7, 1.2),
        Word("million.", 1.2, 1.7),
    ]
    (metric,) = find_metrics(words)
    assert metric.to_dict() == {
        "text": "$1.2 million",
        "kind": "money",
        "context": "neither",
        "in_result": False,
        "start": 0.7,
        "word_index": 2,
        "word_count": 2,
    }


def test_metrics_never_overlap_and_stay_in_order() -> None:
    text = (
        "NPS of 45, from 60 to 81% doubled, 3x, half, 22% of 2,000 users, $1.2 million a year, "
        "reduced churn by 15% in six weeks, twenty two percent to thirty percent."
    )
    found = find_metrics(Transcript.from_text(text))
    assert len(found) >= 10
    last = 0
    for m in found:
        assert m.word_index >= last and m.word_count >= 1
        last = m.word_index + m.word_count
