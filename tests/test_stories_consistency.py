"""Consistency between tellings: changed numbers, changed ownership, a missing result.

Positive and negative cases for each kind, from analysis documents made by the real
analysis (``voicemock.analysis.analyze``) of typed tellings, plus the linking test set's
paraphrased tellings (no false alarm) and mutations of them (the change is found).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.linking_helpers import load
from voicemock.analysis import analyze
from voicemock.stories.consistency import (
    Difference,
    Telling,
    check_story,
    check_telling,
    summary_telling,
)
from voicemock.transcript import Transcript

DAY0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def told(text: str, day: int = 0, label: str | None = None) -> Telling:
    doc = analyze(Transcript.from_text(text)).to_dict()
    return Telling(label or f"telling {day + 1}", DAY0 + timedelta(days=day), doc, 100 + day)


def diffs(*texts: str) -> list[Difference]:
    return check_story([told(t, n) for n, t in enumerate(texts)])


def kinds(found: list[Difference]) -> list[str]:
    return [d.kind for d in found]


STORY = (
    "Our refund queue was taking nine days. I decided to automate the approval of small"
    " refunds. As a result we cut refunds handling time by {value}."
)

# -- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "summary"),
    [
        ("40 percent", "30 percent", "40% became 30%"),
        ("forty percent", "30%", "40% became 30%"),
        ("40%", "thirty percent", "40% became 30%"),
        ("half", "a third", "50% became 33.3%"),
    ],
)
def test_a_changed_number_is_found_and_quoted(before: str, after: str, summary: str) -> None:
    found = diffs(STORY.format(value=before), STORY.format(value=after))
    assert kinds(found) == ["number"]
    d = found[0]
    assert d.summary == summary
    assert before.split()[0] in d.earlier.text and after.split()[0] in d.later.text
    assert (d.earlier.when, d.later.when) == (DAY0, DAY0 + timedelta(days=1))
    assert (d.earlier.label, d.later.label) == ("telling 1", "telling 2")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("forty percent", "40 %"),
        ("40%", "40 percent"),
        ("half", "50 percent"),
        ("a third", "33%"),
        ("twenty two percent", "22%"),
    ],
)
def test_no_false_alarm_when_the_same_number_is_said_two_ways(before: str, after: str) -> None:
    assert diffs(STORY.format(value=before), STORY.format(value=after)) == []


def test_money_said_two_ways_and_changed() -> None:
    a = "I led the pricing work. The result was one point two million dollars a year in savings."
    b = "I led the pricing work. The result was $1,200,000 a year in savings."
    c = "I led the pricing work. The result was $1.5M a year in savings."
    assert diffs(a, b) == []
    (d,) = diffs(a, c)
    assert d.summary == "$1.2M became $1.5M"


def test_approximate_figures_are_not_contradictions() -> None:
    a = "About fifteen percent of enterprise accounts got a wrong invoice, so I delayed the launch."
    b = "Roughly one in seven enterprise accounts got a wrong invoice, so I delayed the launch."
    assert diffs(a, b) == []


def test_different_facts_are_not_paired() -> None:
    a = "We shipped it in six weeks. Drop off fell from 22 to 9 percent."
    b = "The holiday peak was eight weeks away. Drop off fell from 22 to 9 percent."
    assert [d for d in diffs(a, b) if d.kind == "number"] == []
    a = "I ran our three heaviest reports on the warehouse."
    b = "We retired about a hundred and eighty reports."
    assert diffs(a, b) == []


def test_a_figure_left_out_is_an_omission_not_a_change() -> None:
    a = STORY.format(value="40 percent")
    b = "Our refund queue was slow. I decided to automate approvals. Refunds got much faster."
    assert [d for d in diffs(a, b) if d.kind == "number"] == []


def test_a_range_and_its_end_agree() -> None:
    a = "Drop off at payment fell from twenty two to nine percent after I rebuilt the form."
    b = "After I rebuilt the form, drop off at payment fell to 9%."
    assert diffs(a, b) == []


def test_a_change_is_reported_once_where_it_happened() -> None:
    a, b = STORY.format(value="40 percent"), STORY.format(value="30 percent")
    assert [d.summary for d in diffs(a, b, b)] == ["40% became 30%"]
    assert [d.summary for d in diffs(a, b, a)] == ["40% became 30%", "30% became 40%"]
    # ... and a telling that does not mention it does not hide it
    c = "Our refund queue was taking nine days. I decided to automate the approvals."
    found = diffs(a, c, b)
    assert [(d.summary, d.earlier.label, d.later.label) for d in found if d.kind == "number"] == [
        ("40% became 30%", "telling 1", "telling 3")
    ]


# -- ownership ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "summary"),
    [
        ("I led", "I supported", "'I led' became 'I supported'"),
        ("I decided to move", "we decided to move", "'I decided' became 'we decided'"),
        ("I owned", "I helped with", "'I owned' became 'I helped'"),
        ("I helped with", "I led", "'I helped' became 'I led'"),
    ],
)
def test_changed_ownership_is_found(before: str, after: str, summary: str) -> None:
    template = "{} the migration of enterprise customers to usage pricing."
    found = diffs(template.format(before), template.format(after))
    assert [d.summary.replace("We", "we") for d in found] == [summary]
    assert found[0].kind == "ownership"
    assert "migration" in found[0].earlier.text and "migration" in found[0].later.text


def test_ownership_of_different_actions_is_not_a_change() -> None:
    a = "I decided to delay the launch. We decided the pricing page could wait."
    b = "I decided to delay the launch. The designers built the new page."
    assert diffs(a, b) == []
    a = "I made the call to build a one tap saved card flow."
    b = "We designed a saved card with a single tap."
    assert diffs(a, b) == []


def test_saying_both_is_not_a_change() -> None:
    a = "I decided to delay the launch by three weeks."
    b = "We decided to delay the launch by three weeks, and I decided to delay the launch myself."
    assert [d for d in diffs(a, b) if d.kind == "ownership"] == []


def test_the_same_ownership_reworded_is_not_a_change() -> None:
    a = "I led the pricing migration for enterprise customers."
    b = "For enterprise customers, I led the whole pricing migration."
    assert diffs(a, b) == []


# -- the result ----------------------------------------------------------------------------------


def test_a_result_that_loses_its_number() -> None:
    a = "The checkout was broken. I rebuilt the form. As a result, drop off fell from 22 to 9%."
    b = "The checkout was broken. I rebuilt the form. As a result, customers were much happier."
    (d,) = diffs(a, b)
    assert d.kind == "result" and d.summary == "the result lost its number"
    assert "22" in d.earlier.text and "happier" in d.later.text


def test_a_result_that_gains_a_number() -> None:
    a = "The checkout was broken. I rebuilt the form. As a result, customers were much happier."
    b = "The checkout was broken. I rebuilt the form. As a result, drop off fell from 22 to 9%."
    (d,) = diffs(a, b)
    assert d.kind == "result" and "now" in d.summary


def test_no_result_at_all() -> None:
    a = "The checkout was broken. I rebuilt the form. As a result, drop off fell from 22 to 9%."
    b = "The checkout was broken. I rebuilt the form."
    (d,) = diffs(a, b)
    assert d.kind == "result" and d.summary == "no result this time"
    assert d.later.text == "(no result)"


def test_the_same_result_is_no_change() -> None:
    a = "The checkout was broken. I rebuilt the form. As a result, drop off fell from 22 to 9%."
    b = "Checkout was losing people. I replaced the form. The result: drop off went to 9 percent."
    assert diffs(a, b) == []


# -- the summary and a new telling ------------------------------------------------------------


def test_the_summary_counts_as_the_first_telling_for_numbers() -> None:
    summary = summary_telling("Refund automation: cut refund handling time by 40%.", DAY0)
    later = told(STORY.format(value="30 percent"), 3)
    (d,) = check_story([summary, later])
    assert d.kind == "number" and d.earlier.label == "the summary"
    assert check_story([summary_telling("", DAY0)]) == []


def test_check_telling_compares_a_new_answer_with_the_earlier_ones() -> None:
    earlier = [told(STORY.format(value="40 percent"), 0), told(STORY.format(value="40%"), 1)]
    new = told(STORY.format(value="30 percent"), 2)
    (d,) = check_telling(new, earlier)
    assert d.earlier.label == "telling 2" and d.later.label == "telling 3"
    assert check_telling(told(STORY.format(value="forty percent"), 2), earlier) == []


def test_missing_or_odd_analysis_keys_do_not_break_it() -> None:
    odd = Telling("odd", None, {"metrics": [{"text": "40%"}, "x"], "ownership": {"strong": 3}})
    empty = Telling("empty", None, {})
    assert check_story([odd, empty, told(STORY.format(value="40%"))]) == check_story(
        [odd, empty, told(STORY.format(value="40%"))]
    )


# -- realistic tellings -------------------------------------------------------------------


def bank_tellings(key: str) -> list[Telling]:
    data = load()
    story = next(s for s in data.stories if s.key == key)
    return [told(t.text, n, t.name) for n, t in enumerate(story.tellings)]


@pytest.mark.parametrize("key", ["checkout", "warehouse", "pricing", "hiring", "churn", "outage"])
def test_paraphrased_tellings_raise_no_number_or_ownership_alarm(key: str) -> None:
    """Five tellings per story, numbers rounded and said differently ("about twenty two
    percent", "one in five", "roughly a million"), different openings and questions."""
    data = load()
    story = next(s for s in data.stories if s.key == key)
    found = check_story([summary_telling(story.summary, DAY0), *bank_tellings(key)])
    assert [d for d in found if d.kind in ("number", "ownership")] == [], [
        (d.summary, d.earlier.text, d.later.text) for d in found
    ]


MUTATIONS = [
    # (story, telling index, original words, replacement, expected summary)
    (
        "checkout",
        2,
        "went from twenty two percent to nine percent",
        "went from twenty two percent to fourteen percent",
        "9% became 14%",
    ),
    ("warehouse", 4, "forty minutes", "ninety minutes", "40 minutes became 90 minutes"),
    ("pricing", 3, "about fifteen percent", "about thirty percent", "15% became 30%"),
    ("hiring", 2, "by eight percent", "by twenty percent", "20% became 8%"),
    ("churn", 3, "eighteen percent", "twenty five percent", "18% became 25%"),
]


@pytest.mark.parametrize(("key", "index", "old", "new", "summary"), MUTATIONS)
def test_a_changed_number_in_a_real_telling_is_found(
    key: str, index: int, old: str, new: str, summary: str
) -> None:
    tellings = bank_tellings(key)
    data = load()
    original = next(s for s in data.stories if s.key == key).tellings[index].text
    assert old in original
    tellings[index] = told(original.replace(old, new), index, tellings[index].label)
    found = [d for d in check_story(tellings) if d.kind == "number"]
    assert summary in [d.summary for d in found], [d.summary for d in found]


OWNERSHIP_MUTATIONS = [
    # (story, telling index, original words, replacement, expected summary)
    (
        "outage",
        4,
        "I wrote the postmortem",
        "we wrote the postmortem",
        "'I wrote' became 'we wrote'",
    ),
]


@pytest.mark.parametrize(("key", "index", "old", "new", "summary"), OWNERSHIP_MUTATIONS)
def test_changed_ownership_in_a_real_telling_is_found(
    key: str, index: int, old: str, new: str, summary: str
) -> None:
    tellings = bank_tellings(key)
    data = load()
    original = next(s for s in data.stories if s.key == key).tellings[index].text
    assert old in original
    tellings[index] = told(original.replace(old, new), index, tellings[index].label)
    found = [d for d in check_story(tellings) if d.kind == "ownership"]
    assert [d.summary.replace("We", "we") for d in found] == [summary]


def test_led_then_supported_when_the_story_is_told_again() -> None:
    """A sixth telling, to another question, where "I led the move" became "I supported"."""
    tellings = bank_tellings("warehouse")
    data = load()
    original = next(s for s in data.stories if s.key == "warehouse").tellings[4].text
    assert "I led the move of our reporting" in original
    retold = "Sure. " + original.replace("I led the move", "I supported the move")
    tellings.append(told(retold, 5, "telling 6"))
    found = check_story(tellings)
    assert [(d.kind, d.summary, d.later.label) for d in found if d.kind != "result"] == [
        ("ownership", "'I led' became 'I supported'", "telling 6")
    ]
    assert "I led the move" in found[0].earlier.text
    assert "I supported the move" in found[0].later.text
