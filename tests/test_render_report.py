"""The terminal report: markers in colour too (issue 9.18), what worked, the top three changes
and the rest on request, each number's context, the question's kind."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from voicemock.analysis import analyze
from voicemock.analysis.document import AnalysisDoc
from voicemock.render.report import MARKS, render_report, transcript_text
from voicemock.transcript import Transcript

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WEAK_ANSWER = (
    "So, um, I was involved in the launch, you know. I helped with, like, the requirements "
    "and I supported the design team. We did a lot of stuff, really, and we really aligned "
    "everyone on the really big things. I think it went really well and maybe the team was "
    "happy. We shipped it and, um, people liked it, I guess."
)
STRONG_ANSWER = (
    "At my last company I was the PM for search. The problem was that results were stale and "
    "customers complained every week. I decided to rebuild the indexer because the old one "
    "could not scale. I wrote the design, I convinced the two other teams, and I ran a pilot. "
    "As a result, freshness went from two days to ten minutes and complaints fell by 40% in a "
    "quarter. I learned to run a pilot before arguing about designs. Next time I would bring "
    "support in on day one. We launched it on television the next month."
)


def doc_of(text: str, question: str | None = None) -> AnalysisDoc:
    return analyze(Transcript.from_text(text), question=question).to_dict()


def render(doc: AnalysisDoc, *, color: bool, **kwargs: object) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        color_system="truecolor" if color else None,
        width=200,
        highlight=False,
        emoji=False,
    )
    render_report(console, doc, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("color", [False, True])
def test_owned_and_shared_phrases_keep_their_markers_with_and_without_colour(color: bool) -> None:
    """Issue 9.18: a colour-blind reader tells owned from shared in colour mode too."""
    doc = doc_of("I decided to cut it. We shipped it in May. Um, it worked.")
    out = render(doc, color=color)
    plain = ANSI.sub("", out)
    assert "*I decided*" in plain and "_We shipped_" in plain and "{Um,}" in plain
    assert "Legend: {filler}  _shared/weak ownership_  *owned*  <hedge>  [number]" in plain
    assert ("\x1b[" in out) == color


def test_owned_phrases_are_also_underlined_and_bold_in_colour() -> None:
    doc = doc_of("I decided to cut it. We shipped it.")
    text = transcript_text(doc, color=True)
    styles = {str(span.style) for span in text.spans}
    assert MARKS["strong"][0] in styles and "underline" in MARKS["strong"][0]
    assert MARKS["weak"][0] in styles and MARKS["weak"][0] != MARKS["strong"][0]


def test_what_worked_comes_before_the_changes() -> None:
    out = render(doc_of(STRONG_ANSWER), color=False)
    assert out.index("Numbers") < out.index("What worked") < out.index("Advice")
    worked = out.split("What worked", 1)[1]
    assert " + a result with a number and its context: 'from two days to ten minutes'" in worked
    assert " + you owned it: 'I decided', 'I wrote', 'I convinced'" in worked


def test_at_most_three_changes_then_the_rest_on_request() -> None:
    doc = doc_of(WEAK_ANSWER, "Tell me about a time you led a launch.")
    assert len(doc["advice"]) > 3
    out = render(doc, color=False, more_hint="--all shows them")
    advice = out.split("Advice", 1)[1]
    numbered = re.findall(r"^ *(\d+)\. ", advice, re.MULTILINE)
    assert numbered == ["1", "2", "3"]
    hidden = len(doc["advice"]) - 3
    assert f"+{hidden} more change" in advice and "(--all shows them)" in advice
    everything = render(doc, color=False, all_advice=True).split("Advice", 1)[1]
    assert len(re.findall(r"^ *\d+\. ", everything, re.MULTILINE)) == len(doc["advice"])
    assert "more change" not in everything


def test_numbers_show_their_context_and_the_result_first() -> None:
    doc = doc_of(
        "About 22% of people dropped off at payment, and support heard about it every day. "
        "I decided to cut the form to one page, I wrote the spec and I ran a test with our "
        "two biggest stores. We improved retention by 15%."
    )
    out = render(doc, color=False)
    line = next(x for x in out.splitlines() if x.startswith("Numbers"))
    assert line.index("improved retention by 15% (change, no context)") < line.index("22%")
    assert "the result's number has no baseline or period" in line
    advice = out.split("Advice", 1)[1]
    assert "'improved retention by 15%': 15% from what, over what period?" in advice


def test_the_question_kind_and_a_hypothetical_answer_are_named() -> None:
    text = (
        "If I disagreed with my boss, I would first make sure I understood her reasoning. I'd "
        "ask for a short one-on-one. I'd come prepared with data and I'd make a specific "
        "recommendation. If she still disagreed, I'd commit to her decision."
    )
    out = render(doc_of(text, "Tell me about a time you disagreed with your boss."), color=False)
    assert "Question  a behavioural story, answered with what you would do" in out
    assert "1. you said what you would do" in out
    product = render(doc_of(text, "What would you build next for Alexa?"), color=False)
    assert "Question  product sense" in product
    assert "not a story: no result or lesson expected" in product
