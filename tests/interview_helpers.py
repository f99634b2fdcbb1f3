"""A saved interview for the review, export and report tests: real analysis of timed words,
the real follow-up rules, reply check and scorecard, stored through the real Store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicemock.analysis import analyze
from voicemock.interview.followups import FollowUpPlanner, check_reply
from voicemock.interview.scorecard import AnswerEvidence, ReplyEvidence, Scorecard, score
from voicemock.storage import AnswerRecord, Store
from voicemock.timing import FOLLOW_UP_TARGET, Target
from voicemock.transcript import Span, Transcript, Word

MAIN_WE = (
    "At my last company our checkout page was losing customers. We decided to delay the "
    "launch and rebuild the payment form. The team worked hard and we shipped it. In the "
    "end customers were much happier."
)
REPLY_I = (
    "I decided to delay the launch myself, because billing errors would have hit our "
    "biggest accounts."
)
MAIN_STRONG = (
    "I owned pricing for our self-serve plan. Customer Obsession. I decided to cut the plan "
    "to two tiers because customers were confused, and I wrote the memo that got it approved. "
    "As a result, conversion went from 60 to 75 percent over six months. What I learned is "
    "to test pricing with real customers first."
)
REPLY_OPEN = "Well, we just did what the customers wanted, as a team."

QUESTIONS = (
    ("co-said-no", "Describe a time you said no to an important customer.", "Customer Obsession"),
    ("ow-outside-scope", "Tell me about a problem outside your area.", "Ownership"),
)


def timed(text: str, seconds: float, question: str, target: Target) -> dict[str, Any]:
    """The analysis of ``text`` spoken evenly over ``seconds``."""
    tokens = text.split()
    step = seconds / len(tokens)
    words = [Word(t, round(i * step, 2), round((i + 0.8) * step, 2)) for i, t in enumerate(tokens)]
    transcript = Transcript.from_words(words, seconds, [Span(0.0, seconds)])
    return dict(analyze(transcript, target, question=question, model="tiny.en").to_dict())


@dataclass
class SavedInterview:
    session_id: int
    records: list[AnswerRecord]
    card: Scorecard


def save_interview(home: Path) -> SavedInterview:
    """Two questions, each with one follow-up: the first reply closes its gap, the second
    does not. Audio files exist (empty WAVs written by the store)."""
    planner = FollowUpPlanner()
    target = Target()
    evidence: list[AnswerEvidence] = []
    with Store.open(home) as store:
        session = store.create_session(
            set_name="amazon-pm", model="tiny.en", settings={"mode": "interview", "follow_ups": 1}
        )
        for n, ((qid, text, principle), main_text, reply_text) in enumerate(
            zip(QUESTIONS, (MAIN_WE, MAIN_STRONG), (REPLY_I, REPLY_OPEN), strict=True), 1
        ):
            main = store.start_answer(
                session.id, question_id=qid, question_text=text, target=target
            )
            doc = timed(main_text, 160.0, text, target)
            store.complete_answer(
                main.id,
                duration_s=160.0,
                transcript=main_text,
                analysis=doc,  # type: ignore[arg-type]
            )
            (follow_up,) = planner.plan(doc, question_id=qid, count=1)
            reply = store.start_answer(
                session.id,
                question_id=qid,
                question_text=follow_up.text,
                target=FOLLOW_UP_TARGET,
                parent_id=main.id,
                follow_up=follow_up.to_dict(),
            )
            reply_doc = timed(reply_text, 40.0, follow_up.text, FOLLOW_UP_TARGET)
            store.complete_answer(
                reply.id,
                duration_s=40.0,
                transcript=reply_text,
                analysis=reply_doc,  # type: ignore[arg-type]
            )
            assert follow_up.gap is not None
            check = check_reply(follow_up.gap, reply_doc)
            store.set_follow_up(reply.id, follow_up.to_dict(check))
            evidence.append(
                AnswerEvidence(
                    n,
                    text,
                    principle,
                    doc,
                    (ReplyEvidence(reply_doc, follow_up.gap.kind, check.status, check.quote),),
                )
            )
        card = score(evidence)
        store.set_scorecard(session.id, card.to_dict())
        store.finish_session(session.id, "complete")
        return SavedInterview(session.id, store.answers(session.id), card)
