"""The scorecard's thresholds, each on both sides of its line, the lean, the two changes,
and storage round trips. Documents come from the real analysis."""

from __future__ import annotations

from typing import Any

import pytest

from tests.interview_helpers import timed
from voicemock.analysis import analyze
from voicemock.interview import scorecard as sc
from voicemock.interview.scorecard import AnswerEvidence, ReplyEvidence, Scorecard, score
from voicemock.timing import Target
from voicemock.transcript import Transcript


def typed(text: str) -> dict[str, Any]:
    return dict(analyze(Transcript.from_text(text)).to_dict())


def answer(doc: dict[str, Any] | None, *replies: dict[str, Any], n: int = 1) -> AnswerEvidence:
    return AnswerEvidence(
        n, f"Question {n}?", "Ownership", doc, tuple(ReplyEvidence(r) for r in replies)
    )


def level(signal: str, doc: dict[str, Any] | None, *replies: dict[str, Any]) -> str:
    return str(sc.JUDGES[signal](answer(doc, *replies)).level)


def test_the_thresholds_are_named_and_sane() -> None:
    assert sc.OWNED_STRONG_MIN == 2 and pytest.approx(2 / 3) == sc.OWNED_SHARE_STRONG
    assert sc.REASONS_STRONG == 2
    assert sc.FILLERS_PER_MIN_MAX == 4.0 and sc.PACE_WPM == (110.0, 185.0)
    assert sc.LEAN_STRONG_HIRE == 9 and sc.LEAN_INCLINED == 6
    assert sc.POINTS == {"strong": 2, "mixed": 1, "missing": 0}
    assert sc.PRINCIPLE_STRONG_SIGNALS == 4 and sc.PRINCIPLE_MISSING_SIGNALS == 3


# -- ownership -------------------------------------------------------------------------------


def test_ownership_strong_needs_two_owned_decisions_and_two_thirds_owned() -> None:
    two_owned = typed("I decided to cut scope. I wrote the plan. We shipped it.")
    assert level("ownership", two_owned) == "strong"  # 2 owned, 1 shared: 2/3
    one_owned = typed("I decided to cut scope. The team wrote the plan.")
    assert level("ownership", one_owned) == "mixed"  # one owned decision
    too_shared = typed("I decided to cut scope. I wrote the plan. We shipped it. We launched it.")
    assert level("ownership", too_shared) == "mixed"  # 2 of 4 owned: under 2/3


def test_ownership_given_only_in_a_reply_is_mixed_and_none_is_missing() -> None:
    shared = typed("We decided to cut scope and the team wrote the plan.")
    assert level("ownership", shared) == "missing"
    assert level("ownership", shared, typed("I decided it myself.")) == "mixed"


# -- results --------------------------------------------------------------------------------


def test_results_strong_needs_a_number_with_a_baseline() -> None:
    base = "I decided to rebuild the form because people left. As a result, "
    assert level("results", typed(base + "conversion went from 60 to 81 percent.")) == "strong"
    assert level("results", typed(base + "conversion grew 21 percent.")) == "mixed"
    assert level("results", typed(base + "customers were happier.")) == "missing"
    assert (
        level(
            "results",
            typed(base + "customers were happier."),
            typed("Conversion rose 12 percent."),
        )
        == "mixed"
    )


def test_results_use_the_metric_context_when_the_analysis_gives_it() -> None:
    doc = typed("I decided to rebuild it. As a result, conversion grew 21 percent.")
    for metric in doc["metrics"]:
        metric["context"] = "both"
    assert level("results", doc) == "strong"


# -- judgment, reflection ---------------------------------------------------------------------


def test_judgment_counts_reasons() -> None:
    two = typed("I chose the cheaper vendor because it was faster, so that we hit the date.")
    assert two["structure"]["because_count"] >= 2
    assert level("judgment", two) == "strong"
    one = typed("I chose the cheaper vendor because it was faster.")
    assert one["structure"]["because_count"] == 1 and level("judgment", one) == "mixed"
    none = typed("I chose the cheaper vendor.")
    assert level("judgment", none) == "missing"
    assert level("judgment", none, typed("Because the other one cost twice as much.")) == "mixed"


def test_reflection_needs_the_lesson_in_the_answer() -> None:
    # a story (three things the speaker did), so its "I would" is a lesson, not the answer
    story = "I led the rebuild. I wrote the plan. I shipped it in March."
    told = typed(f"{story} Next time I would test it with users first.")
    assert level("reflection", told) == "strong"
    assert level("reflection", typed("I shipped it.")) == "missing"
    late = typed("I would involve legal on day one next time.")
    assert level("reflection", typed("I shipped it."), late) == "mixed"


# -- delivery -------------------------------------------------------------------------------

WINDOW = Target(20.0, 40.0, 60.0)
SPOKEN = " ".join(["I decided to rebuild the payment form for our checkout."] * 8)  # 80 words


def test_delivery_strong_in_the_window_few_fillers_good_pace() -> None:
    doc = timed(SPOKEN, 30.0, "Q?", WINDOW)  # 160 words a minute, in the window, no fillers
    judged = sc.judge_delivery(answer(doc))
    assert judged.level == "strong", judged
    assert judged.counts["wpm"] == pytest.approx(160, abs=8)


def test_delivery_one_miss_is_mixed_two_are_missing() -> None:
    long = timed(SPOKEN, 50.0, "Q?", WINDOW)  # past the window, 96 words a minute: two misses
    assert sc.judge_delivery(answer(long)).level == "missing"
    fillers = " ".join(["Um, I decided to rebuild the form."] * 10)  # 70 words, 10 fillers
    doc = timed(fillers, 30.0, "Q?", WINDOW)  # 20 fillers a minute, 140 wpm, in the window
    judged = sc.judge_delivery(answer(doc))
    assert judged.counts["fillers_per_min"] > sc.FILLERS_PER_MIN_MAX
    assert judged.level == "mixed"


def test_delivery_of_a_typed_transcript_is_not_judged_missing() -> None:
    assert sc.judge_delivery(answer(typed(SPOKEN))).level == "mixed"


# -- across the loop -----------------------------------------------------------------------------


def test_a_signal_is_strong_only_when_strong_every_time() -> None:
    assert sc.overall(["strong", "strong"]) == "strong"
    assert sc.overall(["strong", "mixed"]) == "mixed"
    assert sc.overall(["missing", "strong"]) == "mixed"
    assert sc.overall(["missing", "missing"]) == "missing"
    assert sc.overall([]) == "missing"


@pytest.mark.parametrize(
    ("points", "lean"),
    [(10, "strong hire"), (9, "strong hire"), (8, "inclined"), (6, "inclined"),
     (5, "not inclined"), (0, "not inclined")],
)  # fmt: skip
def test_the_lean_thresholds(points: int, lean: str) -> None:
    assert sc.lean_for(points) == lean


STRONG_ANSWER = (
    "I owned the checkout page. I decided to replace the card form because half of the drop "
    "off came from it, and I chose a one tap flow since it shipped in weeks. As a result, "
    "conversion went from 60 to 81 percent over two quarters. Next time I would bring legal "
    "in on day one."
)
WEAK_ANSWER = (
    "Our team had a checkout problem. We decided to change the form and the team built it. "
    "We shipped it and it went well. Customers liked it."
)


def test_a_strong_loop_and_a_weak_loop() -> None:
    strong_doc = timed(STRONG_ANSWER, 28.0, "Q?", WINDOW)
    card = score([answer(strong_doc, n=1), answer(strong_doc, n=2)])
    assert card.levels() == dict.fromkeys(sc.SIGNALS, "strong")
    assert card.lean == "strong hire" and card.points == 10 and card.changes == ()
    assert [p.level for p in card.principles] == ["strong", "strong"]

    weak_doc = timed(WEAK_ANSWER, 10.0, "Q?", WINDOW)
    card = score([answer(weak_doc, n=1), answer(weak_doc, n=2)])
    levels = card.levels()
    assert [levels[s] for s in ("ownership", "results", "judgment", "reflection")] == [
        "missing"
    ] * 4
    assert card.lean == "not inclined"
    assert [p.level for p in card.principles] == ["missing", "missing"]
    assert len(card.changes) == 2
    assert card.changes[0].startswith("Say what you decided yourself (Q1: “we decided")
    assert card.changes[1].startswith("Put the result in numbers (Q1")


def test_a_mixed_loop_and_its_quotes() -> None:
    card = score(
        [
            answer(timed(STRONG_ANSWER, 28.0, "Q?", WINDOW), n=1),
            answer(timed(WEAK_ANSWER, 25.0, "Q?", WINDOW), n=2),
        ]
    )
    ownership = card.signal("ownership")
    assert ownership.level == "mixed" and ownership.by_answer == ("strong", "missing")
    bad = [q for q in ownership.quotes if not q.good]
    good = [q for q in ownership.quotes if q.good]
    assert bad[0].position == 2 and bad[0].text.startswith("we decided")
    assert good[0].position == 1 and good[0].text.startswith("I owned")
    assert card.lean in ("inclined", "not inclined")
    assert [p.level for p in card.principles] == ["strong", "missing"]
    assert "Q2" in card.changes[0]


def test_the_scorecard_survives_storage() -> None:
    card = score([answer(typed(STRONG_ANSWER)), answer(typed(WEAK_ANSWER), n=2)])
    data = card.to_dict()
    assert data["max_points"] == 10 and data["version"] == 1
    assert Scorecard.from_dict(data) == card
    assert Scorecard.from_dict({"lean": "maybe"}) is None
    assert Scorecard.from_dict({**data, "lean": "hire!"}) is None


def test_an_answer_that_was_not_analysed_counts_as_missing() -> None:
    card = score([answer(None)])
    assert set(card.levels().values()) == {"missing"}
    assert card.lean == "not inclined"
