"""Advice: specific, quoted, prioritised lines from the findings, and no praise."""

from __future__ import annotations

import re

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


def test_a_good_typed_answer_gets_no_advice_and_no_praise() -> None:
    assert advice(Transcript.from_text(CLEAN_TYPED)) == []


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
    assert topics([(x.topic, x.text) for x in a.advice])[0] == "timing"


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
    assert text.startswith(f"7 fillers ({rate:.1f}/min): 'so' ×2, 'uh' ×2, 'um' ×2: pause silently")


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


def test_advice_comes_in_priority_order() -> None:
    order = ["timing", "metrics", "result", "ownership", "structure", "reasons",
             "leadership_principles", "fillers", "hedges", "pauses", "pace"]  # fmt: skip
    for rate in (0.6, 1.0, 1.4, 1.7):
        seen = [order.index(t) for t in topics(advice(timed(STAR_ANSWER, rate=rate).transcript))]
        assert seen == sorted(seen)
