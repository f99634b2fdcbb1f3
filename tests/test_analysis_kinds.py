"""Question kinds, answer styles, results and lessons from what sentences do, repeated words,
and old (schema 1) documents still read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from voicemock.analysis import analyze
from voicemock.analysis.document import SCHEMA, as_document
from voicemock.analysis.kinds import question_kind
from voicemock.analysis.repetition import find_repeated
from voicemock.transcript import Transcript

# -- the question's kind -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Tell me about yourself.", "introduction"),
        ("Walk me through your résumé.", "introduction"),
        ("Why Amazon?", "introduction"),
        ("Why do you want this role?", "introduction"),
        ("What would you build next for Alexa?", "product"),
        ("How would you improve Prime Video for families?", "product"),
        ("Design a parking app for cities.", "product"),
        ("What is your favourite product, and how would you improve it?", "product"),
        ("If you were the PM for returns, what is the first thing you would change?", "product"),
        ("What would you do if your top engineer wanted to quit before launch?", "hypothetical"),
        ("Imagine your launch slips by a month. What do you do?", "hypothetical"),
        ("How would you handle a stakeholder who keeps changing requirements?", "hypothetical"),
        ("Tell me about a time you disagreed with your manager.", "story"),
        ("Give me an example of a hard trade-off.", "story"),
        ("Describe a situation where you influenced without authority.", "story"),
        ("What is the hardest decision you have made?", "story"),
        ("Tell me about a product you launched.", "story"),
    ],
)
def test_kind_from_the_question_text(question: str, kind: str) -> None:
    assert question_kind(question) == (kind, "question")


def test_kind_tags_win_but_a_category_tag_does_not_override_a_story_question() -> None:
    assert question_kind("Your turn.", ["introduction"]) == ("introduction", "tags")
    assert question_kind("Anything?", ["hypothetical"]) == ("hypothetical", "tags")
    story = "Tell me about a time you had several good product bets and room for one."
    assert question_kind(story, ["product-sense", "are-right-a-lot"]) == ("story", "question")
    pick = "Pick a product you use every day. What would you build next?"
    assert question_kind(pick, ["product-sense"]) == ("product", "question")


def test_without_a_question_the_answer_decides() -> None:
    assert question_kind(None) == ("story", "default")
    assert question_kind(None, (), "product") == ("product", "answer")
    assert question_kind("", (), "introduction") == ("introduction", "answer")


# -- the answer's style ------------------------------------------------------------------------

STORY = (
    "At Cartly I owned the checkout. Customers dropped off at the payment step. I decided to "
    "cut the form to one page, I ran a test with two stores and I wrote the rollout plan. "
    "Conversion went from 60% to 70% in a quarter. What stuck with me is that small tests "
    "settle big debates."
)
WOULD = (
    "If I were in that situation, I would first figure out how reversible the decision is. "
    "If it's a two-way door, I'd decide quickly and I'd set a date to revisit it. If it's a "
    "one-way door, I would slow down and get the missing data. I'd also be clear with my team "
    "about what we're assuming. That's generally how I'd approach it."
)
GENERALLY = (
    "Generally, when I have a conflict with a colleague, I like to address it early. I'd "
    "start by asking questions, because most conflicts come from different information. Then "
    "I'd share my perspective and try to find common ground."
)


@pytest.mark.parametrize(
    ("text", "question", "style"),
    [
        (STORY, "Tell me about a time you improved conversion.", "story"),
        (WOULD, "Tell me about a time you decided with incomplete data.", "hypothetical"),
        (GENERALLY, "Tell me about a time you had a conflict.", "hypothetical"),
        (STORY, "What would you do if conversion dropped?", "story"),
        (WOULD, "What would you do with incomplete data?", "hypothetical"),
    ],
)
def test_answer_style(text: str, question: str, style: str) -> None:
    f = analyze(Transcript.from_text(text), question=question).findings
    assert f.answer_style == style
    assert f.answered_hypothetically == (f.question_kind == "story" and style == "hypothetical")


def test_a_hypothetical_answer_has_no_result_lesson_or_credited_ownership() -> None:
    f = analyze(Transcript.from_text(WOULD), question="Tell me about a time.").findings
    assert not f.structure.has_result and not f.structure.has_lesson
    assert f.ownership.strong == [] and f.ownership.weak == []


# -- result and lesson from what a sentence does --------------------------------------------

HEAD = (
    "At Cartly I owned the checkout. Customers dropped off at payment. I decided to cut the "
    "form to one page and I ran a test with two stores. "
)


@pytest.mark.parametrize(
    ("ending", "result", "lesson"),
    [
        ("The new flow went live in May and complaints stayed below two a week.", True, False),
        ("Conversion climbed to 12% within a month.", True, False),
        ("Customers loved it and the CFO approved a national rollout.", True, False),
        ("The pilot flopped and we shut it down.", True, False),
        ("We hit our target two weeks early.", True, False),
        ("I'd expect conversion to rise by 5%.", False, False),
        ("The next step was going to be a national test.", False, False),
        ("That should cut tickets in half.", False, False),
        ("What stuck with me is that small tests settle big debates.", False, True),
        ("The thing I carry from it is to test before arguing.", False, True),
        ("It reminded me that customers rarely read forms.", False, True),
        ("Since then I always run a pilot first.", False, True),
        ("Next time I'd involve support earlier.", False, True),
        ("If I did it again, I'd start with the data.", False, True),
        ("It made me much more careful about test samples.", False, True),
        ("Now every launch checklist has a line for support.", False, True),
        ("I now start every test by asking support.", False, True),
        ("I think it shows that I really care about customers.", False, False),
        ("That's the kind of work I love.", False, False),
        ("We learned that config changes skipped the canary stage.", False, False),
        ("I pulled the data and most orders came from guests who stayed a week.", False, False),
        ("And eventually I started doing the onboarding work myself.", False, False),
        ("I called each store and only one of the 150 dropped out.", True, False),
        ("The new checkout drove about 40% of our weekend orders.", True, False),
    ],
)
def test_results_and_lessons_are_found_by_what_the_sentence_does(
    ending: str, result: bool, lesson: bool
) -> None:
    s = analyze(Transcript.from_text(HEAD + ending), question="Tell me about a time.")
    assert (s.findings.structure.has_result, s.findings.structure.has_lesson) == (result, lesson)


def test_the_result_number_and_its_context() -> None:
    bare = analyze(Transcript.from_text(HEAD + "We improved conversion by 15%.")).findings
    assert bare.structure.result_has_metric and not bare.structure.result_metric_has_context
    full = analyze(
        Transcript.from_text(HEAD + "Conversion went from 60% to 75% in one quarter.")
    ).findings
    assert full.structure.result_has_metric and full.structure.result_metric_has_context
    early = analyze(Transcript.from_text("About 22% of people dropped off. " + HEAD)).findings
    assert not early.structure.result_has_metric  # a number in the problem is not the result


# -- repeated words -----------------------------------------------------------------------------


def test_repeated_habit_words_from_four_times_on() -> None:
    text = (
        "It was really hard, really. We really tried and it really worked. The stuff was great "
        "and the great team did great things; customers customers customers customers."
    )
    found = find_repeated(Transcript.from_text(text))
    assert [(r.word, r.count) for r in found] == [("really", 4)]  # "great" ×3, topic words
    assert found[0].to_dict()["word_indices"] == [2, 4, 6, 10]


def test_no_repeated_words_below_the_threshold() -> None:
    assert find_repeated(Transcript.from_text("It was really, really, really good.")) == []


# -- old documents -------------------------------------------------------------------------------


def schema_1(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` as the first release stored it."""
    old = json.loads(json.dumps(doc))
    old["schema"] = 1
    for key in ("question_kind", "question_kind_source", "answer_style",
                "answered_hypothetically", "repeated_words", "strengths"):  # fmt: skip
        del old[key]
    for m in old["metrics"]:
        del m["context"], m["in_result"]
    for key in ("strong", "weak"):
        for a in old["ownership"][key]:
            del a["kind"]
    for a in old["advice"]:
        del a["top"]
    del old["structure"]["has_result"], old["structure"]["result_metric_has_context"]
    return old


def test_a_schema_1_document_is_read_as_schema_2() -> None:
    text = STORY + " We decided to ship it and I helped support with the launch."
    new = analyze(Transcript.from_text(text), question="Tell me about yourself.").to_dict()
    old = schema_1(dict(new))
    read = as_document(old)
    assert read is not None and read["schema"] == SCHEMA == 2
    assert old["schema"] == 1  # the stored value is not changed
    assert read["question_kind"] == "introduction"
    assert read["structure"]["has_result"] == any(
        p["name"] == "result" for p in new["structure"]["phases"]
    )
    assert [a["kind"] for a in read["ownership"]["weak"]] == [
        a["kind"] for a in new["ownership"]["weak"]
    ]
    assert all(m["context"] is None for m in read["metrics"])
    assert [a["top"] for a in read["advice"]] == [n < 3 for n in range(len(read["advice"]))]
    assert read["strengths"] == [] and read["repeated_words"] == []


@pytest.mark.parametrize("value", [{}, [], None, {"schema": 3}, {"schema": 1, "words": []}])
def test_other_values_are_not_documents(value: object) -> None:
    assert as_document(value) is None
