"""Advice: specific, quoted lines ordered by how much they would move the answer (at most
three on top), strengths, and which checks apply to which kind of question."""

from __future__ import annotations

import re

import pytest

from tests.analysis_helpers import STAR_ANSWER, timed
from voicemock.analysis import analyze
from voicemock.timing import Target, fmt_clock
from voicemock.transcript import Transcript

CLEAN_TYPED = (
    "At my last company I was the PM for search. The problem was that results were stale "
    "and customers complained every week. I decided to rebuild the indexer because the old one "
    "could not scale. I wrote the design, I convinced the two other teams, and I ran a pilot. "
    "As a result, freshness went from two days to ten minutes and complaints fell by 40% in a "
    "quarter. I learned to run a pilot before arguing about designs. Next time I would bring "
    "support in on day one."
)
MORE_CONTEXT = (
    "The site sold furniture and home goods in four countries, and checkout had been rebuilt "
    "twice in three years by different teams. Most of our customers were on mobile, a lot of "
    "them first-time buyers who found us through ads, and the business cared a great deal "
    "about the holiday season because it brought in almost half of the yearly revenue. I "
    "reported to the head of product and worked with six engineers and one designer. "
)
CLOCK = re.compile(r"\b\d+:\d\d\b")


def advice(transcript: Transcript, target: Target | None = None) -> list[tuple[str, str]]:
    return [(a.topic, a.text) for a in analyze(transcript, target).advice]


def topics(lines: list[tuple[str, str]]) -> list[str]:
    return [topic for topic, _ in lines]


def line(lines: list[tuple[str, str]], topic: str) -> str:
    found = [text for t, text in lines if t == topic]
    assert found, f"no {topic} advice in {lines}"
    return found[0]


def test_a_good_typed_answer_gets_no_advice_only_strengths() -> None:
    a = analyze(Transcript.from_text(CLEAN_TYPED))
    assert a.advice == []
    assert [s.topic for s in a.strengths] == ["result", "ownership", "structure"]


def test_an_on_target_answer_gets_no_timing_line() -> None:
    lines = advice(timed(STAR_ANSWER).transcript)
    assert "timing" not in topics(lines)


def test_short_answer_says_how_short_and_where_to_spend_the_time() -> None:
    # Cut the result down to one sentence without a number.
    head, _, _ = STAR_ANSWER.partition("As a result")
    script = timed(head + "As a result, things got better. I learned to ask support first.")
    a = analyze(script.transcript)
    assert a.findings.timing is not None and a.findings.timing.verdict == "short"
    gap = round(150 - (a.duration_s or 0))
    text = line([(x.topic, x.text) for x in a.advice], "timing")
    assert text == (
        f"{fmt_clock(a.duration_s or 0)} — {gap} s short of the 2:30–3:30 window: "
        "spend them on the result: what changed, by how much, and what it meant"
    )
    assert "timing" in [x.topic for x in a.advice if x.top]


def test_long_answer_names_the_phase_to_cut_with_its_time_and_budget() -> None:
    script = timed(STAR_ANSWER.replace("<pause 2.4>", MORE_CONTEXT * 2 + "<pause 2.4>"))
    a = analyze(script.transcript)
    assert a.findings.timing is not None and a.findings.timing.verdict in ("long", "over_cap")
    context = a.findings.structure.seconds_in("context") or 0
    text = line([(x.topic, x.text) for x in a.advice], "timing")
    assert f"cut the context first ({fmt_clock(context)} of a 0:20–0:30 budget)" in text


def test_over_the_cap_from_a_slow_pace_says_so() -> None:
    a = analyze(timed(STAR_ANSWER, rate=0.6).transcript)
    assert a.findings.timing is not None and a.findings.timing.verdict == "over_cap"
    text = line([(x.topic, x.text) for x in a.advice], "timing")
    assert text.startswith(f"{fmt_clock(a.duration_s or 0)} — past the 4:00 cap")
    assert f"at {a.findings.delivery.wpm:.0f} words/min" in text
    assert "pace" not in topics([(x.topic, x.text) for x in a.advice])  # said once, not twice


def test_pace_is_only_blamed_when_a_usual_pace_would_fix_the_length() -> None:
    fast = analyze(timed(STAR_ANSWER, rate=1.4).transcript)
    text = line([(x.topic, x.text) for x in fast.advice], "timing")
    assert (
        f"at {fast.findings.delivery.wpm:.0f} words/min: the same words at 150 words/min would take"
        in text
    )
    # a fast but far too short answer: more words are needed, not a slower pace
    head, _, _ = STAR_ANSWER.partition("I decided")
    short = analyze(timed(head, rate=1.6).transcript)
    assert short.findings.delivery.wpm is not None and short.findings.delivery.wpm > 185
    text = line([(x.topic, x.text) for x in short.advice], "timing")
    assert "words/min" not in text and "spend them on" in text
    assert "pace" in [x.topic for x in short.advice]


def test_weak_ownership_is_quoted_with_its_time() -> None:
    script = timed(STAR_ANSWER)
    start = script.transcript.words[script.index_of("We", 0)].start
    assert start is not None
    text = line(advice(script.transcript), "ownership")
    assert text.startswith(f"'We decided to delay the launch' ({fmt_clock(start)})")
    assert text.endswith("say what *you* decided")


def test_mostly_we_is_called_out() -> None:
    text = (
        "We had a problem. We decided to rebuild it and we chose a vendor. We built it, "
        "we tested it and we launched it. As a result, sales grew 20%. I learned to plan."
    )
    lines = advice(Transcript.from_text(text))
    assert any("'we' ×" in t and "'I' ×1" in t for topic, t in lines if topic == "ownership")


def test_a_result_without_a_number() -> None:
    text = CLEAN_TYPED.replace(
        "freshness went from two days to ten minutes and complaints fell by 40% in a quarter",
        "freshness improved and customers were happy",
    ).replace("the two other teams", "the other teams")
    assert advice(Transcript.from_text(text)) == [
        (
            "metrics",
            "no numbers anywhere in the answer: say what moved and by how much, "
            "e.g. 'conversion went from 60% to 81%'",
        )
    ]
    # with a number earlier in the story, the advice points at the result
    with_problem_number = text.replace("complained every week", "complained 300 times a week")
    (only,) = advice(Transcript.from_text(with_problem_number))
    assert only[1].startswith("your result has no number (you gave '300 times a week' earlier)")


def test_name_dropping_is_quoted() -> None:
    script = timed(STAR_ANSWER)
    start = script.transcript.words[script.index_of("Customer")].start
    assert start is not None
    assert line(advice(script.transcript), "leadership_principles") == (
        f"you said 'Customer Obsession' ({fmt_clock(start)}) as a label: "
        "show it with what you did instead"
    )


def test_fillers_line_counts_rates_and_says_what_to_do() -> None:
    a = analyze(timed(STAR_ANSWER, rate=1.2).transcript)
    text = line([(x.topic, x.text) for x in a.advice], "fillers")
    rate = a.findings.filler_summary.per_minute
    assert rate is not None and rate >= 2
    # "So I wrote a memo" (after "the resets were the bigger issue") means *therefore*
    assert text.startswith(f"6 fillers ({rate:.1f}/min): 'uh' ×2, 'um' ×2, 'like': pause silently")


def test_a_few_fillers_in_a_long_answer_are_not_worth_a_line() -> None:
    a = analyze(timed(STAR_ANSWER.replace("like,", "").replace("So I", "I"), rate=0.9).transcript)
    assert (
        a.findings.filler_summary.per_minute is not None
        and a.findings.filler_summary.per_minute < 2
    )
    assert "fillers" not in [x.topic for x in a.advice]


def test_missing_lesson_and_reasons() -> None:
    text = (
        "At my last company I was the PM. The problem was slow checkout. I decided to cut the "
        "form in half. I wrote the spec and I built the prototype with two engineers over a "
        "few weeks, and I ran the test on a tenth of our traffic with support watching the "
        "complaints queue every morning and the data team checking the numbers every night. "
        "As a result, conversion went from 60 to 81% and the team moved on to the next "
        "project on the roadmap."
    )
    lines = advice(Transcript.from_text(text))
    assert ("structure", "no lesson: close with what you learned or would do differently "
            "(10–25 s)") in lines  # fmt: skip
    assert line(lines, "reasons").startswith(
        "you never said why: after 'I decided to cut the form in half', give the reason"
    )


def test_discourse_fillers_are_named_as_spoken() -> None:
    text = "I mean, it was fine. I mean, we shipped. Basically it worked. " * 2
    assert "drop 'I mean'" in line(advice(Transcript.from_text(text)), "fillers")


def test_typed_advice_has_no_times() -> None:
    text = "We decided to wait. Customer Obsession. Um, I think, um, it was, um, maybe fine. " * 3
    lines = advice(Transcript.from_text(text))
    assert {"ownership", "leadership_principles", "fillers", "hedges"} <= set(topics(lines))
    assert not any(CLOCK.search(t) for _, t in lines)


def test_long_pauses_are_advised_from_the_speech_map() -> None:
    lines = advice(timed(STAR_ANSWER).transcript)
    assert line(lines, "pauses").startswith("2 silences of 2 s or more (longest 3.5 s at 1:51)")


def test_advice_is_ordered_by_weight_with_at_most_three_on_top() -> None:
    for rate in (0.6, 1.0, 1.4, 1.7):
        a = analyze(timed(STAR_ANSWER, rate=rate).transcript)
        weights = [x.weight for x in a.advice]
        assert weights == sorted(weights, reverse=True)
        assert [x.top for x in a.advice] == [n < 3 for n in range(len(a.advice))]
        assert all("top" in d for d in a.to_dict()["advice"])


def test_a_weak_answer_gets_three_changes_on_top_not_a_dozen() -> None:
    text = (
        "So, um, I was involved in the launch, you know. I helped with, like, the "
        "requirements and I supported the design team. We did a lot of stuff, really, and "
        "we really aligned everyone on the really big things. I think it went really well "
        "and maybe the team was happy. We shipped it and, um, people liked it, I guess."
    )
    a = analyze(Transcript.from_text(text), question="Tell me about a time you led a launch.")
    assert len(a.advice) >= 5
    top = [x for x in a.advice if x.top]
    assert len(top) == 3
    assert top[0].topic == "metrics"  # no numbers at all moves a story most
    assert "repetition" in [x.topic for x in a.advice]


# -- issue 9.4: a sub-second overrun is not the top advice --------------------------------------


def test_a_sub_second_overrun_is_on_target_and_a_small_one_is_a_footnote() -> None:
    script = timed(STAR_ANSWER)
    t = script.transcript
    for duration, expect in ((210.3, "on_target"), (211.6, "long")):
        a = analyze(Transcript.from_words(t.words, duration, t.speech))
        assert a.findings.timing is not None and a.findings.timing.verdict == expect
        lines = [(x.topic, x.text, x.top) for x in a.advice]
        if expect == "on_target":
            assert "timing" not in [t for t, _, _ in lines]
        else:
            (timing,) = [x for x in a.advice if x.topic == "timing"]
            assert not timing.top and a.advice[0].topic != "timing"
            assert "2 s past" in timing.text and "0 s" not in timing.text


# -- issue 9.5: "no clear action" for typed answers too -----------------------------------------


NO_ACTION = (
    "At my last company the checkout page was slow and customers complained every week. "
    "The engineering team rebuilt the page over the summer and the designers changed the "
    "form. As a result, conversion went from 60% to 70% in a quarter. Looking back, the "
    "biggest lesson is that speed matters more than features."
)


def test_no_clear_action_is_reported_for_typed_answers() -> None:
    lines = advice(Transcript.from_text(NO_ACTION))
    assert ("structure", "no clear action: say what you did, step by step, with 'I'") in lines
    timed_lines = advice(timed(NO_ACTION).transcript)
    assert any(t.startswith("no clear action") for _, t in timed_lines)


# -- issue 9.6: the lesson's budget in the advice scales with the window -----------------------


@pytest.mark.parametrize(
    ("target", "budget"),
    [(None, "10–25 s"), (Target(75, 105, 120), "5–13 s"), (Target(300, 420, 480), "20–50 s")],
)
def test_the_no_lesson_budget_scales_with_a_custom_window(
    target: Target | None, budget: str
) -> None:
    text = CLEAN_TYPED.split(" I learned")[0]
    lines = advice(Transcript.from_text(text), target)
    assert (
        "structure",
        f"no lesson: close with what you learned or would do differently ({budget})",
    ) in lines


# -- issue 11: context of the result's number ------------------------------------------------------


def test_a_result_number_without_context_is_asked_from_what_and_over_what_period() -> None:
    text = CLEAN_TYPED.replace(
        "freshness went from two days to ten minutes and complaints fell by 40% in a quarter",
        "we improved retention by 15%",
    )
    (line,) = [t for topic, t in advice(Transcript.from_text(text)) if topic == "metrics"]
    assert line.startswith("'improved retention by 15%': 15% from what, over what period?")
    words = [w.replace("by", "by") for w in text.split()]
    script = timed(" ".join(words))
    start = script.transcript.words[script.index_of("improved")].start
    assert start is not None
    (line,) = [t for topic, t in advice(script.transcript) if topic == "metrics"]
    assert line.startswith(f"'improved retention by 15%' ({fmt_clock(start)}): 15% from what")


def test_a_result_with_context_is_a_strength_not_advice() -> None:
    a = analyze(Transcript.from_text(CLEAN_TYPED))
    assert a.strengths[0].text.startswith("a result with a number and its context: 'from two")
    assert "metrics" not in [x.topic for x in a.advice]


# -- issue 11: the question's kind decides which checks apply ------------------------------------

INTRO = (
    "I'm a product manager with about eight years of experience, the last five in "
    "marketplaces. I started my career as a data analyst at a bank. Then I moved into "
    "product at Ridewell, where I owned driver pricing. For the last three years I've been "
    "at Shopfront, where I lead the seller tools team. I'm looking for a role where I can "
    "own a bigger surface area, and Amazon's seller business is exactly that."
)
PRODUCT = (
    "I'd start with families with young kids, because the morning routine is where they "
    "struggle most. The product would be a morning mode: Alexa knows each child's schedule "
    "and calls out checkpoints. I'd measure it by how many families use it four mornings a "
    "week, and I'd test the tone with twenty families before building anything."
)
WOULD = (
    "If I disagreed with my boss, I would first make sure I understood her reasoning. I'd "
    "ask for a short one-on-one rather than raising it in a group meeting. I'd come prepared "
    "with data and I'd make a specific recommendation. If she still disagreed, I'd commit to "
    "her decision and do my best to make it work."
)
STORY_CHECKS = {"result", "reasons"}


@pytest.mark.parametrize(
    ("text", "question", "kind"),
    [
        (INTRO, "Tell me about yourself.", "introduction"),
        (PRODUCT, "What would you build next for Alexa?", "product"),
        (WOULD, "What would you do if you disagreed with your boss?", "hypothetical"),
    ],
)
def test_answers_that_are_not_stories_get_no_star_checks(
    text: str, question: str, kind: str
) -> None:
    a = analyze(Transcript.from_text(text), question=question)
    assert a.findings.question_kind == kind and a.findings.answer_style == kind
    lines = [(x.topic, x.text) for x in a.advice]
    assert not STORY_CHECKS & set(topics(lines))
    assert not any(t.startswith(("no lesson", "no clear", "context is")) for _, t in lines)
    if kind != "introduction":
        assert "ownership" not in topics(lines)  # "I would decide" is expected here


def test_a_story_question_answered_hypothetically_is_told_so_first() -> None:
    a = analyze(Transcript.from_text(WOULD), question="Tell me about a time you disagreed.")
    assert a.findings.answered_hypothetically
    assert a.to_dict()["answered_hypothetically"] is True
    first = a.advice[0]
    assert first.topic == "answer" and first.top
    assert first.text.startswith("you said what you would do ('If I disagreed")
    assert "tell one real situation" in first.text
    assert not a.findings.ownership.strong  # "I would decide" is not credited


def test_the_set_tags_decide_the_kind_when_the_text_does_not() -> None:
    a = analyze(Transcript.from_text(INTRO), question="Your turn.", tags=["introduction"])
    assert (a.findings.question_kind, a.findings.question_kind_source) == ("introduction", "tags")
    b = analyze(Transcript.from_text(CLEAN_TYPED), question="Tell me about a time you chose.",
                tags=["product-sense"])  # fmt: skip
    assert b.findings.question_kind == "story"


def test_repeated_habit_words_are_advice() -> None:
    text = (
        CLEAN_TYPED.replace("I decided", "I really decided")
        .replace("I wrote", "I really, really wrote")
        .replace("I learned", "I really learned")
    )
    (line,) = [t for topic, t in advice(Transcript.from_text(text)) if topic == "repetition"]
    assert line.startswith("'really' ×4: say it once or not at all")


def test_a_strong_answer_hears_its_strengths_before_a_nitpick() -> None:
    text = CLEAN_TYPED + " We launched it on television the next month."
    a = analyze(Transcript.from_text(text))
    assert len(a.strengths) >= 2
    shared = [x for x in a.advice if x.topic == "ownership"]
    assert all(not x.top or len(a.advice) <= 3 for x in shared)
    assert all(x.weight < 20 for x in shared)
