"""Structure: STAR phases and their time against budgets, reasons, LP name-dropping."""

from __future__ import annotations

import pytest

from tests.analysis_helpers import STAR_ANSWER, timed
from voicemock.analysis.structure import (
    BUDGETS_S,
    find_name_drops,
    find_phases,
    find_reasons,
    find_structure,
    phase_budgets,
)
from voicemock.timing import Target
from voicemock.transcript import Transcript

BACKBONE = "Have Backbone; Disagree and Commit"
TYPED_STAR = (
    "At my last company I was the PM for search. Our team owned the ranking service. "
    "The problem was that results were stale and customers complained. My goal was to fix it "
    "in a quarter. I decided to rebuild the indexer. I wrote the design and I convinced the "
    "team to try it. Then I ran a pilot with two teams. As a result, freshness went from "
    "two days to ten minutes and complaints fell by 40%. I learned to pilot before arguing. "
    "Next time I would involve support earlier."
)


def phase_of(structure_text: str, phrase: str) -> str:
    transcript = Transcript.from_text(structure_text)
    index = structure_text.split().index(phrase.split()[0])
    for p in find_phases(transcript):
        if p.word_index <= index < p.word_index + p.word_count:
            return p.name
    raise AssertionError(f"{phrase} in no phase")


def test_typed_star_answer_runs_through_all_phases_in_order() -> None:
    phases = find_phases(Transcript.from_text(TYPED_STAR))
    assert [p.name for p in phases] == ["context", "problem", "action", "result", "lesson"]
    words = TYPED_STAR.split()
    assert sum(p.word_count for p in phases) == len(words)
    firsts = [" ".join(words[p.word_index : p.word_index + 2]) for p in phases]
    assert firsts == ["At my", "The problem", "I decided", "As a", "I learned"]


def test_typed_phases_have_no_times_but_keep_budgets() -> None:
    structure = find_structure(Transcript.from_text(TYPED_STAR))
    for p in structure.phases:
        d = p.to_dict()
        assert (d["start"], d["end"], d["duration_s"]) == (None, None, None)
        assert d["budget_s"] == list(BUDGETS_S[p.name])
    assert structure.seconds_in("context") is None


def test_result_metric_and_lesson_are_detected() -> None:
    s = find_structure(Transcript.from_text(TYPED_STAR))
    assert s.result_has_metric and s.has_lesson


def test_a_metric_only_in_the_problem_does_not_count_for_the_result() -> None:
    text = (
        "The problem was that 22% of users dropped off. I decided to simplify the form and "
        "I built a prototype. As a result, conversion went up and the team was happy."
    )
    s = find_structure(Transcript.from_text(text))
    assert [p.name for p in s.phases] == ["problem", "action", "result"]
    assert not s.result_has_metric
    assert not s.has_lesson


def test_unlabelled_sentences_join_their_neighbour() -> None:
    text = (
        "The situation was simple. It was a small team. It had four people. "
        "I decided to split the work. It took a while. Everyone pitched in."
    )
    phases = find_phases(Transcript.from_text(text))
    assert [(p.name, p.word_count) for p in phases] == [("context", 13), ("action", 13)]


def test_a_stray_cue_does_not_send_the_story_backwards() -> None:
    text = (
        "At my last company I was the PM. The problem was slow pages. I decided to cache them. "
        "I built the cache and we needed to test it, so I ran a load test. I also wrote docs. "
        "As a result, pages got 3x faster."
    )
    names = [p.name for p in find_phases(Transcript.from_text(text))]
    assert names == ["context", "problem", "action", "result"]


def test_timed_phases_measure_seconds_against_budgets() -> None:
    script = timed(STAR_ANSWER)
    s = find_structure(script.transcript)
    assert [p.name for p in s.phases] == ["context", "problem", "action", "result", "lesson"]
    words = script.transcript.words
    for here, after in zip(s.phases, s.phases[1:], strict=False):
        assert here.end == after.start == words[after.word_index].start
    last = s.phases[-1]
    assert last.end == words[-1].end
    total = sum(p.duration_s or 0 for p in s.phases)
    assert total == pytest.approx(words[-1].end - words[0].start)
    action = next(p for p in s.phases if p.name == "action")
    assert action.budget_s == (60.0, 120.0)
    assert 60 <= (action.duration_s or 0) <= 120


def test_budgets_scale_with_the_target_window() -> None:
    assert phase_budgets() == BUDGETS_S
    assert phase_budgets(Target(150, 210, 240)) == BUDGETS_S
    half = phase_budgets(Target(75, 105, 120))
    assert half["action"] == (30.0, 60.0) and half["context"] == (10.0, 15.0)


# -- reasons ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We waited because fraud was high.", ["because"]),
        ("Given that we had no data, we ran a test.", ["Given that"]),
        ("Despite the pushback, we shipped.", ["Despite"]),
        ("We built it so that users could pay.", ["so that"]),
        ("The trade-off was speed.", ["The trade-off was"]),
        ("We delayed, which meant lost traffic.", ["which meant"]),
        ("Since we had no data, I ran a test.", ["Since"]),
        ("Since it was late, we cut scope.", ["Since"]),
        ("I have been a PM since 2019.", []),
        ("Since then we ship weekly.", []),
        ("Since joining, I have led two launches.", []),
        ("Things changed since the launch.", []),
        ("The root cause was a bug.", []),
        ("The release was due to ship in May.", []),
        ("We were late due to a vendor.", ["due to"]),
    ],
)
def test_reasons(text: str, expected: list[str]) -> None:
    assert [r.text for r in find_reasons(Transcript.from_text(text))] == expected


def test_because_count_is_the_number_of_reasons() -> None:
    s = find_structure(Transcript.from_text("I cut it because it was slow, so that we could ship."))
    assert s.because_count == len(s.reasons) == 2
    assert s.to_dict()["because_count"] == 2


# -- Leadership Principle names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "principle", "said"),
    [
        ("We shipped. Customer Obsession.", "Customer Obsession", "Customer Obsession"),
        ("Ownership: I took the pager myself.", "Ownership", "Ownership"),
        ("This shows Bias for Action.", "Bias for Action", "Bias for Action"),
        ("We shipped on time, and that's Deliver Results.", "Deliver Results", "Deliver Results"),
        ("And that's ownership.", "Ownership", "ownership"),
        ("I showed Customer Obsession by calling.", "Customer Obsession", "Customer Obsession"),
        ("Dive Deep — I read every log.", "Dive Deep", "Dive Deep"),
        ("An example of Disagree and Commit.", BACKBONE, "Disagree and Commit"),
        ("Frugality.", "Frugality", "Frugality"),
        ("It was about Earn Trust.", "Earn Trust", "Earn Trust"),
        ("Think Big: we aimed for 10x.", "Think Big", "Think Big"),
    ],
)  # fmt: skip
def test_principle_names_used_as_labels(text: str, principle: str, said: str) -> None:
    drops = find_name_drops(Transcript.from_text(text))
    assert [(d.principle, d.text) for d in drops] == [(principle, said)]


@pytest.mark.parametrize(
    "text",
    [
        "We took ownership of the outage.",
        "Customers were obsessed with speed.",
        "I had to dive deep into the logs.",
        "We had to deliver results by Friday.",
        "I wanted to earn trust with the sales team.",
        "We had to think big about the market.",
        "Ownership of the pager moved to my team.",
        "I learned to be curious about the data.",
    ],
)
def test_principle_words_inside_a_real_sentence_are_not_labels(text: str) -> None:
    assert find_name_drops(Transcript.from_text(text)) == []


def test_all_caps_transcripts_do_not_turn_every_principle_word_into_a_label() -> None:
    text = "WE TOOK OWNERSHIP OF THE OUTAGE AND WE HAD TO DIVE DEEP INTO THE LOGS"
    assert find_name_drops(Transcript.from_text(text)) == []


def test_name_drop_carries_its_time() -> None:
    script = timed(STAR_ANSWER)
    (drop,) = find_name_drops(script.transcript)
    index = script.index_of("Customer")
    assert (drop.word_index, drop.word_count) == (index, 2)
    assert drop.start == script.transcript.words[index].start
