"""The value of a spoken quantity: two ways of saying one figure compare equal."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from num2words import num2words

from voicemock.stories.numbers import Quantity, describe, quantities, same_value


def one(text: str, kind: str | None = None) -> Quantity:
    found = quantities(text, kind)
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "dimension"),
    [
        ("forty percent", 0.4, "fraction"),
        ("40 %", 0.4, "fraction"),
        ("40%", 0.4, "fraction"),
        ("forty per cent", 0.4, "fraction"),
        ("twenty-two percent", 0.22, "fraction"),
        ("half", 0.5, "fraction"),
        ("in half", 0.5, "fraction"),
        ("halved", 0.5, "fraction"),
        ("a third", 1 / 3, "fraction"),
        ("two thirds of", 2 / 3, "fraction"),
        ("a quarter of", 0.25, "fraction"),
        ("one in seven", 1 / 7, "fraction"),
        ("3 out of 4", 0.75, "fraction"),
        ("1.2 million", 1.2e6, "count"),
        ("1,200,000", 1.2e6, "count"),
        ("one point two million", 1.2e6, "count"),
        ("$1.2M", 1.2e6, "money"),
        ("$3.4M,", 3.4e6, "money"),
        ("one point two million dollars", 1.2e6, "money"),
        ("half a million dollars", 5e5, "money"),
        ("three hundred thousand dollars", 3e5, "money"),
        ("300 thousand dollars", 3e5, "money"),
        ("$40k", 4e4, "money"),
        ("10k users", 1e4, "count"),
        ("a hundred and eighty reports", 180, "count"),
        ("one hundred and twenty", 120, "count"),
        ("six weeks", 42, "duration"),
        ("two and a half weeks", 17.5, "duration"),
        ("forty eight hours", 2, "duration"),
        ("one quarter", 91.31, "duration"),
        ("3x", 3, "multiplier"),
        ("tripled", 3, "multiplier"),
        ("three times faster", 3, "multiplier"),
        ("doubled", 2, "multiplier"),
        ("twelve points", 12, "points"),
        ("NPS of 45", 45, "count"),
    ],
)
def test_reads_the_value(text: str, value: float, dimension: str) -> None:
    q = one(text, "duration" if text == "one quarter" else None)
    assert q.dimension == dimension
    assert q.value == pytest.approx(value, rel=1e-3)


def test_a_unit_said_once_covers_the_range() -> None:
    assert [(q.value, q.dimension) for q in quantities("from 22 to 9%")] == [
        (pytest.approx(0.22), "fraction"),
        (pytest.approx(0.09), "fraction"),
    ]
    assert [q.value for q in quantities("from sixty to eighty one percent")] == [
        pytest.approx(0.6),
        pytest.approx(0.81),
    ]
    assert [(q.value, q.dimension) for q in quantities("2 to 3 million dollars")] == [
        (2e6, "money"),
        (3e6, "money"),
    ]
    assert [(q.value, q.unit) for q in quantities("from seventy days to forty five")] == [
        (70, "days"),
        (45, "days"),
    ]


def test_not_numbers() -> None:
    assert quantities("the second half of the year") == []
    assert quantities("a quarter") == [] or quantities("a quarter")[0].dimension != "fraction"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("forty percent", "40 %"),
        ("forty percent", "40%"),
        ("half", "50%"),
        ("cut in half", "by 50 percent"),
        ("1.2 million", "1,200,000"),
        ("$1.2M", "one point two million dollars"),
        ("a third", "33%"),
        ("one in seven", "15%"),
        ("twenty two percent", "22 %"),
        ("six weeks", "42 days"),
        ("tripled", "3x"),
    ],
)
def test_the_same_figure_said_two_ways(a: str, b: str) -> None:
    assert same_value(one(a), one(b))
    assert same_value(one(b), one(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("40%", "30%"),
        ("forty percent", "thirty percent"),
        ("1.2 million", "1.5 million"),
        ("$1.2M", "$1M"),
        ("six weeks", "eight weeks"),
        ("22 %", "9 %"),
        ("3x", "2x"),
        ("40%", "40 days"),  # different dimensions never match
    ],
)
def test_a_changed_figure(a: str, b: str) -> None:
    assert not same_value(one(a), one(b))


def test_approximate_figures_allow_rounding_but_not_change() -> None:
    def approx(text: str) -> Quantity:
        return replace(one(text), approximate=True)

    assert same_value(approx("a million"), one("1.2 million"))  # "roughly a million"
    assert same_value(approx("20%"), one("22%"))
    assert not same_value(approx("40%"), one("45%"))
    assert not same_value(approx("40%"), one("30%"))
    assert not same_value(approx("a million"), one("1.5 million"))
    assert not same_value(one("a million"), one("1.2 million"))  # said exactly


def test_describe() -> None:
    assert one("forty percent").describe() == "40%"
    assert one("$1.2M").describe() == "$1.2M"
    assert one("six weeks").describe() == "6 weeks"
    assert one("3x").describe() == "3x"
    assert describe(1_200_000, "count") == "1.2M"
    assert one("one in seven").describe() == "1 in 7"


@settings(deadline=None, max_examples=300)
@given(st.integers(min_value=1, max_value=999_999))
def test_spelled_out_numbers_equal_their_digits(n: int) -> None:
    words = num2words(n)  # "one hundred and twenty-three"
    assert same_value(one(f"{words} percent"), one(f"{n}%"))
    assert same_value(one(words), one(f"{n:,}"))
    assert one(words).value == n


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=9))
def test_point_decimals_and_scales(whole: int, tenth: int) -> None:
    spoken = f"{num2words(whole)} point {num2words(tenth)} million dollars"
    assert one(spoken).value == pytest.approx((whole + tenth / 10) * 1e6)
    assert same_value(one(spoken), one(f"${whole}.{tenth}M"))
