"""`voicemock review`: a saved session as the round showed it, from its stored analysis.

For each main answer: the report, the question's own follow-ups ("A bar raiser might follow
up with"), then each follow-up the interviewer asked with the reply's report and whether
it closed the gap. Then, for the whole session, the round summary and, for an interview,
the bar-raiser scorecard saved with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from voicemock.timing import fmt_clock

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.storage import AnswerRecord, Session
    from voicemock.storage.stories import ToldStory

SeedLookup = Callable[["AnswerRecord"], Sequence[str]]
"""The question's own follow-ups from its set, for a saved main answer."""


def render_review(
    console: Console,
    session: Session,
    answers: Sequence[AnswerRecord],
    *,
    seeds: SeedLookup | None = None,
    stories: Mapping[int, ToldStory] | None = None,
    whole: bool = True,
    all_advice: bool = False,
) -> None:
    """``answers`` are the session's (or, with ``whole=False``, the ones asked for: no round
    summary or scorecard then); ``stories``: the story each linked answer tells, by answer
    id; ``all_advice``: every change to make, not the top ones."""
    from rich.markup import escape
    from rich.rule import Rule

    from voicemock.interview.scorecard import Scorecard
    from voicemock.render.practice import (
        items_from_groups,
        render_round_summary,
        render_seeds,
    )
    from voicemock.render.scorecard import render_scorecard
    from voicemock.render.sessions import local_time
    from voicemock.storage import group_answers

    started = local_time(session.started_at)
    kind = "Interview" if session.settings.get("mode") == "interview" else "Session"
    console.print(
        f"[bold]{kind} {session.id}[/] · {started} · {escape(session.set_name or 'no set')} · "
        f"{session.status}"
    )
    if not answers:
        console.print("No answers were recorded in this session.")
        return
    groups = group_answers(answers)
    numbered = any(group.replies for group in groups)
    for number, group in enumerate(groups, 1):
        record = group.main
        console.print()
        title = f"Answer {record.position}"
        if record.is_reply:
            title += " (a reply to a follow-up)"
        elif numbered and whole:
            title = f"Question {number} · answer {record.position}"
        console.print(Rule(title, align="left"))
        story = (stories or {}).get(record.id)
        if story is not None:
            console.print(f"Story: “{escape(story.title)}” (#{story.story_id}, {story.how})")
        _render_answer(console, session, record, all_advice=all_advice)
        if not record.is_reply and seeds is not None:
            render_seeds(console, seeds(record))
        for k, reply in enumerate(group.replies, 1):
            _render_reply(console, session, reply, k, all_advice=all_advice)
    if whole:
        console.print()
        render_round_summary(console, items_from_groups(groups))
        card = Scorecard.from_dict(session.scorecard) if session.scorecard else None
        if card is not None:
            render_scorecard(console, card)
    console.print()
    console.print(f"See it and hear it: voicemock report {session.id} --open")


def _render_answer(
    console: Console, session: Session, record: AnswerRecord, *, all_advice: bool = False
) -> None:
    from rich.markup import escape

    from voicemock.render.report import render_report

    if record.status == "interrupted":
        console.print("[yellow](interrupted: recovered from an unfinished recording)[/]")
    if record.analysis:
        render_report(
            console,
            record.analysis,
            question=not record.is_reply,
            all_advice=all_advice,
            more_hint=f"voicemock review {session.id} --answer {record.position} --all",
        )
    else:
        if not record.is_reply:
            console.print(f"[bold]Question:[/] {escape(record.question_text)}")
        what = record.error or record.status
        length = f" after {fmt_clock(record.duration_s)}" if record.duration_s else ""
        console.print(f"[yellow]No analysis{length}: {escape(what)}[/]")
    if record.audio_path is not None and record.audio_path.exists():
        console.print(
            f"[dim]Audio: {escape(str(record.audio_path))}  "
            f"(voicemock play {session.id} {record.position})[/]"
        )


def _render_reply(
    console: Console,
    session: Session,
    reply: AnswerRecord,
    number: int,
    *,
    all_advice: bool = False,
) -> None:
    from voicemock.render.scorecard import follow_up_heading, gap_line

    color = not console.no_color
    console.print()
    console.print(
        follow_up_heading(
            number, reply.question_text, label=f"answer {reply.position}", color=color
        )
    )
    line = gap_line(reply.gap, color=color)
    if line is not None:
        console.print(line)
    console.print()
    _render_answer(console, session, reply, all_advice=all_advice)
