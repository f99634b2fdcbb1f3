"""Which story is an answer telling: content words, the similarity function, its accuracy."""

from __future__ import annotations

import pytest

from tests.linking_helpers import evaluate, figures, load, plain_cosine
from voicemock.stories.similarity import THRESHOLD, StoryText, best_match, suggest
from voicemock.stories.text import content_terms, stem

# -- content words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("customers", "customer"),
        ("companies", "company"),
        ("decided", "decid"),
        ("decide", "decid"),
        ("shipping", "ship"),
        ("shipped", "ship"),
        ("boxes", "box"),
        ("processes", "process"),
        ("quickly", "quick"),
        ("simplified", "simplify"),
        ("analysis", "analysis"),
        ("bus", "bus"),
        ("team's", "team"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_content_terms_drop_fillers_stopwords_and_scaffolding() -> None:
    assert content_terms("So, um, the result was that we cut refunds by forty percent.") == [
        "cut",
        "refund",
        "#40",
    ]


def test_numbers_said_two_ways_are_one_term() -> None:
    spoken = content_terms("one point two million dollars and twenty two percent")
    written = content_terms("$1.2 million and 22%")
    assert spoken == written == ["#1200000", "#22"]
    # Small numbers ("two days", "three people") tell no story apart.
    assert content_terms("two engineers in three days") == ["engineer", "day"]


# -- the function -----------------------------------------------------------------------------

BANK = [
    StoryText(
        1, "Checkout payment form", "Cut payment drop-off from 22% to 9% with a one-tap card"
    ),
    StoryText(
        2, "Analytics warehouse migration", "Hadoop to a cloud warehouse; reports in 40 minutes"
    ),
    StoryText(3, "Black Friday outage", "Ran the war room when the inventory service fell over"),
]


def test_ranks_the_story_being_told_first() -> None:
    ranked = suggest(
        "I moved our nightly reports off the Hadoop cluster into a cloud data warehouse.", BANK
    )
    assert ranked[0].story_id == 2
    assert ranked[0].score > ranked[1].score >= ranked[2].score
    assert "hadoop" in ranked[0].shared and "warehous" in ranked[0].shared
    assert all(0.0 <= s.score <= 1.0 for s in ranked)


def test_spelled_out_numbers_match_digits() -> None:
    bank = [
        StoryText(1, "A", "churn fell 18% after the win back emails"),
        StoryText(2, "B", "churn"),
    ]
    ranked = suggest("eighteen percent", bank)
    assert ranked[0].story_id == 1 and ranked[0].score > 0


def test_earlier_tellings_count() -> None:
    bank = [
        StoryText(1, "Story one", "", ("We rebuilt the onboarding emails for new admins.",)),
        StoryText(2, "Story two", "", ("The vendor contract renewal and its price increase.",)),
    ]
    assert suggest("the onboarding emails for admins", bank)[0].story_id == 1
    assert suggest("renewal price of the vendor contract", bank)[0].story_id == 2


def test_nothing_to_compare() -> None:
    assert suggest("um, so, uh, you know", BANK) == []
    assert suggest("anything at all", []) == []
    empty = suggest("checkout", [StoryText(9, "", "")])
    assert [(s.story_id, s.score) for s in empty] == [(9, 0.0)]


def test_deterministic_and_ties_by_id() -> None:
    bank = [StoryText(2, "alpha beta", ""), StoryText(1, "alpha beta", "")]
    assert [s.story_id for s in suggest("alpha", bank)] == [1, 2]
    assert suggest("alpha beta", bank) == suggest("alpha beta", bank)


def test_best_match_only_at_the_threshold() -> None:
    told = "The inventory service fell over on Black Friday and I ran the war room."
    best = best_match(told, BANK)
    assert best is not None and best.story_id == 3 and best.score >= THRESHOLD
    assert best.automatic
    unrelated = "I learned Japanese so that I could interview learners in Tokyo about lessons."
    assert best_match(unrelated, BANK) is None


# -- accuracy on the test set (text) ------------------------------------------------------------
#
# The acceptance bars are >= 90 % right story first and >= 90 % of new stories not linked.
# Measured: 30/30 and 16/16 (see README, "Stories"); the bars leave three misses of headroom
# on the known tellings and one on the new ones.


def test_the_test_set_is_big_enough() -> None:
    data = load()
    assert len(data.stories) >= 6 and len(data.known()) >= 24
    assert len({t.story for t in data.new}) >= 4
    assert len(data.spoken()) >= 6
    for s in data.stories:
        questions = [t.question for t in s.tellings]
        openings = [t.text.split()[:3] for t in s.tellings]
        assert len(set(questions)) == len(questions)  # told to different questions
        assert len({tuple(o) for o in openings}) == len(openings)  # different openings


def test_links_the_right_story_first() -> None:
    data = load()
    result = figures(evaluate(data, data.known()))
    assert result.right_first_rate >= 0.9, result.line()
    assert result.wrong_linked == 0, result.line()


def test_links_the_right_story_first_from_titles_and_summaries_alone() -> None:
    data = load()
    result = figures(evaluate(data, data.known(), cold=True))
    assert result.right_first_rate >= 0.9, result.line()


def test_a_new_story_is_not_linked() -> None:
    data = load()
    result = figures(evaluate(data, data.new))
    assert result.new_rejected_rate >= 0.9, result.line()


def test_beats_the_plain_word_count_baseline() -> None:
    data = load()
    cases = [*data.known(), *data.new]
    ours = figures(evaluate(data, cases))
    plain = figures(evaluate(data, cases, scorer=plain_cosine))
    assert ours.right_first > plain.right_first
