"""The follow-up rules, one by one (each fires on the kind of answer it is for and stays
quiet otherwise), their wording, and whether a reply closes the gap. The documents come
from the real analysis of typed or evenly timed answers."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.interview_helpers import timed
from voicemock.analysis import analyze
from voicemock.interview import followups as f
from voicemock.interview.followups import FollowUpPlanner, Gap, check_reply, find_gaps
from voicemock.timing import Target
from voicemock.transcript import Transcript


def doc_of(text: str) -> dict[str, Any]:
    return dict(analyze(Transcript.from_text(text)).to_dict())


# -- the rules: positive and negative -------------------------------------------------------

STRONG = (
    "I owned the checkout page. I decided to replace the card form because half of the "
    "drop off came from it, and I chose a one tap flow over a redesign since it shipped in "
    "weeks. As a result, conversion went from 60 to 81 percent over two quarters. Next time "
    "I would bring legal in on day one."
)


def test_a_strong_answer_has_no_gap() -> None:
    assert find_gaps(doc_of(STRONG)) == []


@pytest.mark.parametrize(
    ("text", "quote", "detail"),
    [
        (
            "Our churn was rising. We decided to delay the launch until billing was fixed.",
            "we decided to delay the launch until billing was fixed",
            "decision",
        ),
        ("I helped the team rebuild the onboarding flow over the summer.", None, "help"),
        (
            "The team chose a new vendor and we shipped the migration in March.",
            None,
            "decision",
        ),
    ],
)
def test_shared_agency_fires_and_quotes_the_candidate(
    text: str, quote: str | None, detail: str
) -> None:
    gap = f.shared_agency(doc_of(text))
    assert gap is not None and gap.kind == "ownership" and gap.detail == detail
    assert gap.quote is not None and gap.quote.split()[0] in text.lower().split() + text.split()
    if quote is not None:
        assert gap.quote == quote


@pytest.mark.parametrize(
    "text",
    [
        STRONG,
        "I decided to delay the launch. We shipped it a month later.",  # as many owned
        "The weather was bad that spring and the store was quiet.",  # no agency at all
    ],
)
def test_shared_agency_stays_quiet(text: str) -> None:
    assert f.shared_agency(doc_of(text)) is None


def test_no_result_number_fires_and_quotes_the_result() -> None:
    doc = doc_of(
        "I decided to rebuild the payment form because customers dropped off. As a result "
        "customers were much happier and support was relieved."
    )
    gap = f.no_result_number(doc)
    assert gap is not None and gap.kind == "result_number"
    assert gap.quote is not None and "customers were much happier" in gap.quote


def test_no_result_number_stays_quiet_when_the_result_has_one() -> None:
    assert f.no_result_number(doc_of(STRONG)) is None


@pytest.mark.parametrize(
    "text",
    [
        "I decided to rework pricing because it confused buyers. As a result we improved "
        "retention by 15 percent.",
        "I rebuilt the alerts. In the end, pages dropped 40 percent.",
    ],
)
def test_a_number_without_a_baseline_is_asked_from_what(text: str) -> None:
    gap = f.number_without_baseline(doc_of(text))
    assert gap is not None and gap.kind == "baseline" and gap.detail == "neither"
    assert gap.quote and ("15 percent" in gap.quote or "40 percent" in gap.quote)


@pytest.mark.parametrize(
    "text",
    [
        STRONG,  # "from 60 to 81 percent"
        "I rebuilt the alerts. As a result pages dropped 40 percent compared with the "
        "quarter before.",
        "I decided to cut the form. As a result we grew signups 30 percent versus the control.",
    ],
)
def test_a_number_with_a_baseline_is_not_asked_about(text: str) -> None:
    assert f.number_without_baseline(doc_of(text)) is None


def test_the_metric_context_of_the_analysis_wins_when_it_is_given() -> None:
    """Issue 11 adds ``context`` to each metric: the rule uses it when present."""
    doc = doc_of("I rebuilt the alerts. As a result pages dropped 40 percent compared with before.")
    assert f.number_without_baseline(doc) is None  # its own check finds "compared", "before"
    for metric in doc["metrics"]:
        metric["context"] = "neither"
    gap = f.number_without_baseline(doc)
    assert gap is not None and gap.detail == "neither"
    for metric in doc["metrics"]:
        metric["context"] = "period"
    gap = f.number_without_baseline(doc)
    assert gap is not None and gap.detail == "period"
    assert "From what starting point" in f.word_gap(gap) or "baseline" in f.word_gap(
        gap, asked_before=1
    ) + f.word_gap(gap, asked_before=2)
    for metric in doc["metrics"]:
        metric["context"] = "both"
    assert f.number_without_baseline(doc) is None


def test_metric_context_on_its_own() -> None:
    doc = doc_of("Signups rose 30 percent in six weeks. Churn fell from 9 to 4 percent.")
    contexts = {m["text"]: f.metric_context(doc, m) for m in doc["metrics"]}
    assert contexts["from 9 to 4 percent"] in ("baseline", "both")
    rose = next(k for k in contexts if "30" in k)
    assert contexts[rose] == "period"


def test_a_principle_named_as_a_label_is_asked_for_what_was_done() -> None:
    doc = doc_of("Customer Obsession. I always start from the customer and work backwards.")
    gap = f.lp_label(doc)
    assert gap is not None and gap.quote == "Customer Obsession"
    assert gap.detail == "Customer Obsession"
    assert "What did you actually do for the customer?" in f.word_gap(gap)


def test_a_principle_shown_not_named_is_fine() -> None:
    assert f.lp_label(doc_of(STRONG)) is None
    assert f.lp_label(doc_of("I obsessed over the customer's checkout problem.")) is None


def test_few_reasons_quotes_the_decision() -> None:
    gap = f.few_reasons(doc_of("I decided to rebuild the onboarding flow. It shipped in May."))
    assert gap is not None and gap.kind == "reasons"
    assert gap.quote == "I decided to rebuild the onboarding flow"
    assert f.few_reasons(doc_of("It was a long project.")) == Gap("reasons", None)


def test_two_reasons_are_enough() -> None:
    assert f.few_reasons(doc_of(STRONG)) is None


def test_far_short_only_for_a_timed_answer_well_under_the_window() -> None:
    target = Target()
    short = timed(STRONG, 60.0, "Q?", target)  # 1:00 of a 2:30 opening: far short
    gap = f.far_short(short)
    assert gap is not None and gap.kind == "short"
    assert "decision" in f.word_gap(gap) or "decision" in f.word_gap(gap, asked_before=1)
    assert f.far_short(timed(STRONG, 120.0, "Q?", target)) is None  # short, not far
    assert f.far_short(timed(STRONG, 180.0, "Q?", target)) is None
    assert f.far_short(doc_of(STRONG)) is None  # typed: no timing


def test_no_lesson() -> None:
    gap = f.no_lesson(doc_of("I decided to ship it because customers asked. Sales rose 10%."))
    assert gap is not None and f.word_gap(gap).endswith("?")
    assert f.no_lesson(doc_of(STRONG)) is None


def test_rules_run_in_the_interviewer_order() -> None:
    doc = doc_of(
        "Customer Obsession. We decided to delay the launch. The team worked hard and in the "
        "end customers were happier."
    )
    assert [g.kind for g in find_gaps(doc)] == [
        "ownership",
        "result_number",
        "lp_label",
        "reasons",
        "lesson",
    ]


def test_a_document_with_missing_or_odd_keys_does_not_break_the_rules() -> None:
    for doc in ({}, {"structure": None, "ownership": "x", "metrics": [1, None]}):
        assert find_gaps(doc) == []
        assert check_reply(Gap("baseline", "15%"), doc).status == "open"
    doc = doc_of("We decided to wait. As a result we improved retention by 15 percent.")
    doc["future_key"] = {"anything": 1}
    doc["structure"]["new_finding"] = [1, 2]
    assert [g.kind for g in find_gaps(doc)][:2] == ["ownership", "baseline"]


# -- wording --------------------------------------------------------------------------------


def test_the_same_gap_is_not_always_worded_the_same() -> None:
    gap = Gap("ownership", "we decided to delay the launch", "decision")
    sentences = {f.word_gap(gap, question_id="q", asked_before=n) for n in range(3)}
    assert len(sentences) == 3
    assert all("“we decided to delay the launch”" in s for s in sentences)
    # Different quotes or questions start at different phrasings, deterministically.
    starts = {
        f.word_gap(Gap("ownership", q, "decision"), question_id=qid)
        for q in ("we decided to wait", "we decided to cut scope", "we decided to hire")
        for qid in ("a", "b", "c")
    }
    assert len({s.split("“")[0] + s.split("”")[-1] for s in starts}) >= 2
    assert f.word_gap(gap, question_id="q") == f.word_gap(gap, question_id="q")


@pytest.mark.parametrize("kind", f.GAP_KINDS)
def test_every_kind_has_varied_wording(kind: str) -> None:
    gap = Gap(kind, "a quote", "Dive Deep" if kind == "lp_label" else "")  # type: ignore[arg-type]
    texts = {f.word_gap(gap, asked_before=n) for n in range(3)}
    assert len(texts) == 3 and all((t and t[0].isupper()) or t[0] == "“" for t in texts), texts


def test_the_planner_moves_the_wording_on_within_a_session() -> None:
    planner = FollowUpPlanner()
    doc = doc_of("We decided to delay the launch. Customers were happier in the end.")
    first = planner.plan(doc, question_id="q1", count=1)[0]
    second = planner.plan(copy.deepcopy(doc), question_id="q1", count=1)[0]
    assert first.gap == second.gap and first.text != second.text


def test_the_planner_falls_back_to_seeds_then_probes_without_repeating() -> None:
    planner = FollowUpPlanner()
    strong = doc_of(STRONG)
    seeds = ("What did you stop doing?", "Who owns it now?")
    chosen = planner.plan(strong, question_id="q", seeds=seeds, count=3)
    assert [c.source for c in chosen] == ["seed", "seed", "probe"]
    assert [c.text for c in chosen[:2]] == list(seeds)
    assert chosen[2].text in f.PROBES
    again = planner.plan(strong, question_id="q", seeds=seeds, count=2)
    assert {c.text for c in again}.isdisjoint(c.text for c in chosen)
    assert all(c.source == "probe" for c in again)
    assert planner.plan(None, question_id="x", seeds=(), count=1)[0].source == "probe"
    assert planner.plan(strong, question_id="q", count=0) == []


def test_probes_are_in_the_seeds_spirit() -> None:
    assert "What would you do differently with ten times the data?" in f.PROBES
    assert "What did it cost, and who signed off?" in f.PROBES


# -- did the reply close it? -----------------------------------------------------------------

CLOSING = {
    "ownership": (
        "I decided to delay the launch myself, because billing was broken.",
        "We all agreed as a team that waiting was right.",
    ),
    "result_number": (
        "We measured it with the funnel: conversion rose 12 percent.",
        "Customers told us they loved it.",
    ),
    "baseline": (
        "Retention went from 60 to 75 percent over six months.",
        "Retention improved by 15 percent.",
    ),
    "lp_label": (
        "I called twenty customers myself and I rewrote the onboarding emails.",
        "Customer Obsession is just how I work.",
    ),
    "reasons": (
        "Because the redesign would have taken two quarters and the deadline was in June.",
        "It seemed like the right thing to do at the time.",
    ),
    "short": (
        "I decided to cut the scope because the deadline could not move.",
        "It was a team effort in the end.",
    ),
    "lesson": (
        "Next time I would test the pricing with real customers first.",
        "It went fine and everyone was happy.",
    ),
}


@pytest.mark.parametrize("kind", f.GAP_KINDS)
def test_a_reply_closes_its_gap_or_leaves_it_open(kind: str) -> None:
    closing, not_closing = CLOSING[kind]
    gap = Gap(kind, "the quote")  # type: ignore[arg-type]
    closed = check_reply(gap, doc_of(closing))
    assert closed.status == "closed" and closed.quote, (kind, closed)
    assert closed.quote.split()[0].strip("“").lower() in closing.lower()
    still = check_reply(gap, doc_of(not_closing))
    assert still.status == "open", (kind, still)


def test_a_reply_that_was_not_analysed_leaves_the_gap_open() -> None:
    assert check_reply(Gap("ownership"), None).status == "open"
    assert check_reply({"kind": "ownership"}, doc_of(CLOSING["ownership"][0])).closed


def test_an_open_ownership_gap_quotes_what_was_said_instead() -> None:
    check = check_reply(Gap("ownership"), doc_of("We decided as a team to wait for billing."))
    assert check.status == "open" and check.quote == "we decided as a team to wait for billing"


def test_quotes_are_clauses_without_hesitations() -> None:
    words = [
        "So",
        "um",
        "we",
        "decided",
        "to,",
        "uh,",
        "delay",
        "the",
        "launch",
        "and",
        "rebuild",
        "the",
        "form.",
    ]
    assert f.clause(words, 2, 2) == "we decided to delay the launch"
    long = [
        "I",
        "built",
        "a",
        "thing",
        "that",
        "was",
        "far",
        "far",
        "far",
        "too",
        "long",
        "to",
        "quote",
        "here",
        "in",
        "full",
    ]
    assert f.clause(long, 0, 2) == "I built a thing that was far far far too long to…"
