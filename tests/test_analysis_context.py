"""Numbers as issue 11 asks: ranges, fractions, spelled-out and mixed forms, what is not a
quantity, and each number's context (baseline, period, both, neither)."""

from __future__ import annotations

import pytest

from voicemock.analysis.metrics import find_metrics
from voicemock.transcript import Transcript


def numbers(text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.kind, m.context) for m in find_metrics(Transcript.from_text(text))]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t, k) for t, k, _ in numbers(text)]


# -- what is one number ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ranges are one number with the kind of their unit, not a change
        ("Conversion was stuck at 10–12 % for months.", [("10–12 %", "percent")]),
        ("It was 10-12% of users.", [("10-12% of users", "percent")]),
        ("It took 3-4 days to fix.", [("3-4 days", "duration")]),
        ("Ten to twelve percent of users tapped it.", [("Ten to twelve percent of users", "percent")]),
        ("Between five and eight engineers worked on it.", [("Between five and eight engineers", "count")]),
        ("It took a week or two.", [("a week or two", "duration")]),
        ("We built fifteen or twenty dashboards.", [("fifteen or twenty dashboards", "count")]),
        # a movement "from X to Y" is one change
        ("We grew from ten to twelve percent.", [("from ten to twelve percent", "change")]),
        ("Churn went from about 9% to under 1%.", [("from about 9% to under 1%", "change")]),
        ("It fell from around fifteen a month to one or two.", [("from around fifteen a month to one or two", "change")]),
        # fractions and multiples
        ("We lost a quarter of a point of conversion.", [("lost a quarter of a point", "change")]),
        ("A quarter of a point was worth $5 million a year.", [("A quarter of a point", "percent"), ("$5 million a year", "money")]),
        ("It cost a third of the price of a new plan.", [("a third of the price", "ratio")]),
        ("It was a factor of two.", [("a factor of two", "ratio")]),
        ("We ran it on half of the traffic.", [("half of the traffic", "ratio")]),
        ("They tried it twice and then met twice a week.", [("twice", "count"), ("twice a week", "count")]),
        # spelled out and mixed forms
        ("The budget was one point two million dollars.", [("one point two million dollars", "money")]),
        ("Each site quoted a hundred and ten thousand dollars.", [("a hundred and ten thousand dollars", "money")]),
        ("Plan completion was sixty-something percent.", [("sixty-something percent", "percent")]),
        ("We had 40k users and $3.4M in revenue.", [("40k users", "count"), ("$3.4M", "money")]),
        # durations, and counts with words between number and noun
        ("It took a whole month.", [("a whole month", "duration")]),
        ("We launched within a week.", [("a week", "duration")]),
        ("I gave it one more week.", [("one more week", "duration")]),
        ("It took a week and a half.", [("a week and a half", "duration")]),
        ("Rui introduced me to thirty other drivers.", [("thirty other drivers", "count")]),
        ("We had one designer for four product teams.", [("one designer", "count"), ("four product teams", "count")]),
        ("Eleven of them signed, and three of the four deals closed.", [("Eleven of them", "count"), ("three of the four deals", "count")]),
        ("I ran three thirty-minute sessions.", [("three", "count"), ("thirty-minute", "duration")]),
        ("We finished eight days early.", [("eight days", "duration")]),
        ("It was a forty-item checklist.", [("forty-item", "count")]),
    ],
)  # fmt: skip
def test_what_one_number_is(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Android 14 users saw the crash first.",
        "It only broke on iOS 17.",
        "We shipped it in Q3 after the L6 review.",
        "It was our number two priority, a P0 for week three.",
        "In 2023 we started over.",
        "It launched at 2 a.m. on day one.",
        "I sent a status every evening at six.",
        "All four approved the plan.",
        "We finished all three waves.",
        "Two years ago I joined.",
        "Four weeks later, she called.",
        "We were two days from launching.",
        "The rollout was planned two weeks before launch.",
        "We watched 30-day retention.",
        "Complaints per thousand households mattered most.",
        "I wrote a one-page memo and a six-pager.",
        "It was a two-way door.",
        "We had a few complaints and dozens of tickets.",
        "Two reasons. First, the cost.",
        "One customer told me it was slow.",
        "One of the engineers fixed it.",
        "I was 100% sure.",
        "At one point we nearly gave up.",
        "We started from zero.",
    ],
)
def test_what_is_not_a_quantity(text: str) -> None:
    assert numbers(text) == []


# -- kind --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We improved retention by 15%.", [("improved retention by 15%", "change")]),
        ("Retention grew between eight and fifteen percent.", [("grew between eight and fifteen percent", "change")]),
        ("Tickets were 75%, up from 60% last year.", [("75%", "change"), ("60%", "percent")]),
        ("Sign-ups went up, I want to say, around ten points.", [("went up, I want to say, around ten points", "change")]),
        ("It cut the estimate to about six weeks.", [("cut the estimate to about six weeks", "change")]),
        ("We lost two engineers.", [("two engineers", "count")]),
        ("We expanded to nine more markets.", [("nine more markets", "count")]),
        ("I went to three stores.", [("three stores", "count")]),
        ("It was losing $1.6 million a year.", [("$1.6 million a year", "money")]),
    ],
)  # fmt: skip
def test_a_change_is_a_movement_not_any_number_near_a_verb(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert kinds(text) == expected


# -- context --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "context"),
    [
        # neither: a change verb without a starting value, an approximator, a bare count
        ("We improved retention by 15%.", "improved retention by 15%", "neither"),
        ("Signups doubled.", "doubled", "neither"),
        ("We interviewed twelve customers in six weeks.", "twelve customers", "neither"),
        ("Since 2021 I've led a group, with three PMs reporting to me.", "three PMs", "neither"),
        ("In May we ran a pilot with 300 commuters.", "300 commuters", "neither"),
        ("Within a year he shipped it, and he now mentors two PMs.", "two PMs", "neither"),
        ("Within a year he shipped it, and by now it has 900 users.", "900 users", "period"),
        ("It took about six weeks.", "six weeks", "neither"),
        # baseline: a starting value, a comparison, a plan, a reference
        ("Retention went from 60% to 75%.", "from 60% to 75%", "baseline"),
        ("Churn was 15% versus 8% last year.", "15%", "baseline"),
        ("It was twice the control group.", "twice the control group", "baseline"),
        ("It ran three times as often as before.", "three times as often", "baseline"),
        ("We finished eight days early.", "eight days", "baseline"),
        ("We shipped with six weeks to spare.", "six weeks", "baseline"),
        ("We came in 22% under budget.", "22%", "baseline"),
        ("Wait times were 40% longer than in Bogotá.", "40%", "both"),
        ("It cost a third of the price of a new plan.", "a third of the price", "baseline"),
        ("Tickets were 75%, up from 60% last year.", "75%", "baseline"),
        # period: a span, a rate, a window, a scope
        ("Churn was 15% versus 8% last year.", "8%", "period"),
        ("Revenue was $1.2 million a year.", "$1.2 million a year", "money"),
        ("We handled 40 tickets a day.", "40 tickets a day", "period"),
        ("Conversion rose 3% in the first month.", "rose 3%", "period"),
        ("By December we had 81,000 members.", "81,000 members", "period"),
        ("We cut invoice errors by 40% in 2023.", "cut invoice errors by 40%", "period"),
        (
            "Conversion in the test group came back up by 0.22 points.",
            "up by 0.22 points",
            "period",
        ),
        ("Net revenue in Canada rose about 6%.", "rose about 6%", "period"),
        ("Our 30-day retention was 40%.", "40%", "period"),
        ("Four weeks later, churn fell to 4%.", "fell to 4%", "period"),
        # both
        ("Retention went from 60% to 75% over two quarters.", "from 60% to 75%", "both"),
        ("Calls fell from 600 a month to under 200.", "from 600 a month to under 200", "both"),
        ("In the first month, churn fell from 9% to 4%.", "from 9% to 4%", "both"),
    ],
)
def test_context(text: str, number: str, context: str) -> None:
    found = {t: c for t, _, c in numbers(text)}
    if context == "money":  # a rate inside the number is its period
        assert found[number] == "period"
    else:
        assert found[number] == context, numbers(text)


def test_a_later_value_of_the_same_measure_has_a_baseline_and_its_rate() -> None:
    found = numbers("Before, agents handled 40 chats a day. After the change, they handled 55.")
    assert found == [("40 chats a day", "count", "period"), ("55", "count", "both")]


def test_a_window_belongs_to_the_number_nearest_to_it() -> None:
    text = "71% came from sellers who had listed more than 50 items in their first week."
    assert numbers(text) == [("71%", "percent", "neither"), ("50 items", "count", "period")]


def test_the_compared_value_itself_has_no_baseline() -> None:
    text = "Salt Lake reached 8,000 weekly orders in five months, versus the eleven months."
    found = {t: c for t, _, c in numbers(text)}
    assert found["five months"] == "baseline" and found["eleven months"] == "neither"


# -- what a count or a share quantifies, and what a time phrase scopes -----------------------


@pytest.mark.parametrize(
    ("text", "number", "context"),
    [
        # "instead of" compares a number only with another amount, not with an alternative
        ("We finished in five weeks instead of the usual quarter.", "five weeks", "baseline"),
        ("We hired 3 engineers instead of nine.", "3 engineers", "baseline"),
        (
            "I built the roadmap around three customer problems instead of a wish list.",
            "three customer problems",
            "neither",
        ),
        # the share a test or rollout ran on is its exposure, not a figure bounded in time
        (
            "I ran it as an experiment on 20% of the traffic for two weeks.",
            "20% of the traffic",
            "neither",
        ),
        (
            "We rolled it out to a quarter of our drivers in March.",
            "a quarter of our drivers",
            "neither",
        ),
        ("The pilot converted 8% of visitors in the first week.", "8% of visitors", "period"),
        # a closing time phrase set off by a comma sets the time for the whole sentence
        (
            "Basket size went to $41, so roughly half the drop was recovered, in the first month.",
            "half",
            "period",
        ),
        (
            "Basket size went to $41, so roughly half the drop was recovered, after two redesigns.",
            "half",
            "neither",
        ),
        # a multiple keeps the time span stated after its reference
        (
            "Pass holders rode 2.3 times as often as non-holders over the same period.",
            "2.3 times as often",
            "both",
        ),
        ("Pass holders rode 2.3 times as often as non-holders.", "2.3 times as often", "baseline"),
        # a scope qualified by a number still scopes the clause's figure
        (
            "Load time was about 3 seconds for stores with more than 5,000 products.",
            "3 seconds",
            "period",
        ),
        (
            "Load time was about 3 seconds for stores with more than 5,000 products.",
            "5,000 products",
            "neither",
        ),
        # "N units earlier / ago" after a number places it in time
        (
            "Our refund rate was 2%, compared with 7% for the first launch three years earlier.",
            "7%",
            "period",
        ),
        ("Our refund rate was 2%, compared with 7% at the first launch.", "7%", "neither"),
        # a point in time dates an action on a set of things; a window bounds a count
        ("We acquired three startups in 2022.", "three startups", "neither"),
        ("I cut four features after the first sprint.", "four features", "neither"),
        ("We signed 40 restaurants in the first month.", "40 restaurants", "period"),
        ("Revenue grew 8% in 2022.", "grew 8%", "period"),
        # a count closed by "since" runs from then until now; "since" opening a clause does not
        ("We've had no outages in the three releases since.", "three releases", "period"),
        ("We kept three vendors since they were cheaper.", "three vendors", "neither"),
        # an event named by a word that also qualifies ("peak", "holiday") closes the window
        ("Late deliveries stayed under 2% during the peak.", "2%", "period"),
        ("Late deliveries stayed under 2% during the holiday peak.", "2%", "period"),
        ("Late deliveries stayed under 2% across the two-week sale.", "2%", "period"),
    ],
)
def test_context_by_what_is_counted_and_what_the_time_scopes(
    text: str, number: str, context: str
) -> None:
    found = {t: c for t, _, c in numbers(text)}
    assert found[number] == context, numbers(text)
