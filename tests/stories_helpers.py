"""A story bank in a real database, filled with analysed tellings (tests of the commands)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tests.linking_helpers import load
from voicemock.analysis import analyze
from voicemock.analysis.timing import Target
from voicemock.questions import Catalog, QuestionSet
from voicemock.storage import Store
from voicemock.transcript import Span, Transcript, Word

DAY0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def timed_transcript(text: str, word_s: float = 0.33, pause_s: float = 0.6) -> Transcript:
    """``text`` as if spoken: every word timed, a pause after each sentence (~160 wpm)."""
    words: list[Word] = []
    speech: list[Span] = []
    t = 0.3
    start = t
    for token in text.split():
        words.append(Word(token, round(t, 2), round(t + word_s - 0.03, 2), 0.9))
        t += word_s
        if token.endswith((".", "?", "!")):
            speech.append(Span(start, t))
            t += pause_s
            start = t
    if start < t:
        speech.append(Span(start, t))
    return Transcript.from_words(words, duration=t + 0.3, speech=speech)


def timed_doc(
    text: str, question: str | None = None, target: Target | None = None
) -> dict[str, Any]:
    return analyze(timed_transcript(text), target, question=question, model="typed").to_dict()


@functools.cache
def amazon_pm() -> QuestionSet:
    return Catalog.discover(user_dir=None).get("amazon-pm")


def telling_text(key: str, index: int) -> str:
    story = next(s for s in load().stories if s.key == key)
    return story.tellings[index].text


@dataclass(frozen=True)
class Bank:
    answers: dict[str, int]
    """``"1:1"`` -> answer id."""
    stories: dict[str, int]


def save_answer(store: Store, session_id: int, question_id: str, text: str, when: datetime) -> int:
    question = amazon_pm().get(question_id).text
    doc = timed_doc(text, question)
    record = store.start_answer(
        session_id, question_id=question_id, question_text=question, started_at=when
    )
    store.complete_answer(
        record.id,
        duration_s=doc["duration_s"],
        transcript=doc["transcript"],
        words=doc["words"],
        analysis=doc,
        ended_at=when + timedelta(minutes=2),
    )
    return record.id


PLAN: list[tuple[int, list[tuple[str, str, int, str | None]]]] = [
    # (day, [(question id, story key, telling index, replaced words -> new words)])
    (
        0,
        [
            ("co-unasked-need", "checkout", 0, None),
            ("hb-disagreed-with-leader", "pricing", 0, None),
        ],
    ),
    (7, [("ow-outside-scope", "checkout", 2, "to nine percent|to fourteen percent")]),
    (14, [("lc-new-domain", "churn", 0, None)]),
    (21, [("ow-outside-scope", "outage", 0, None), ("hb-disagree-and-commit", "pricing", 1, None)]),
]


def seed_bank(home: Path) -> Bank:
    """Four sessions of the amazon-pm set, three stories, some answers linked.

    - session 1: 1:1 checkout telling (linked to story 1), 1:2 pricing (story 2)
    - session 2: 2:1 checkout telling with a changed figure, 9 % -> 14 % (story 1)
    - session 3: 3:1 churn telling (no story: Learn and Be Curious is practised unlinked)
    - session 4: 4:1 outage telling (unlinked), 4:2 pricing (story 2)
    - story 3 "Black Friday incident" declares Ownership and has no telling yet
    """
    answers: dict[str, int] = {}
    clock_now = [DAY0]

    def clock() -> datetime:
        return clock_now[0]

    with Store.open(home, clock=clock) as store:
        for day, plan in PLAN:
            when = DAY0 + timedelta(days=day)
            clock_now[0] = when
            session = store.create_session(set_name="amazon-pm", model="typed")
            for n, (qid, key, index, change) in enumerate(plan, start=1):
                text = telling_text(key, index)
                if change:
                    old, new = change.split("|")
                    assert old in text
                    text = text.replace(old, new)
                answers[f"{session.id}:{n}"] = save_answer(
                    store, session.id, qid, text, when + timedelta(minutes=3 * n)
                )
            store.finish_session(session.id, "complete")
        clock_now[0] = DAY0 + timedelta(days=30)
        bank = store.stories
        checkout = bank.add(
            "Checkout form rebuild",
            summary="Replaced the card form with a one-tap saved card; drop-off from 22 to 9%.",
            principles=("customer-obsession", "bias-for-action"),
        )
        pricing = bank.add("Usage pricing delay", principles=("have-backbone", "earn-trust"))
        outage = bank.add("Black Friday incident", principles=("ownership",))
        bank.link(answers["1:1"], checkout.id, kind="automatic", score=0.52)
        bank.link(answers["2:1"], checkout.id)
        bank.link(answers["1:2"], pricing.id, kind="created")
        bank.link(answers["4:2"], pricing.id, kind="automatic", score=0.44)
    return Bank(answers, {"checkout": checkout.id, "pricing": pricing.id, "outage": outage.id})
