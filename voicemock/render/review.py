"""`voicemock review`: saved answers, rendered from their stored analysis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from voicemock.timing import fmt_clock

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.storage import AnswerRecord, Session


def render_review(console: Console, session: Session, answers: Sequence[AnswerRecord]) -> None:
    from rich.markup import escape
    from rich.rule import Rule

    from voicemock.render.report import render_report

    started = session.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    console.print(
        f"[bold]Session {session.id}[/] · {started} · {escape(session.set_name or 'no set')} · "
        f"{session.status}"
    )
    if not answers:
        console.print("No answers were recorded in this session.")
        return
    for record in answers:
        console.print()
        console.print(Rule(f"Answer {record.position}", align="left"))
        if record.status == "interrupted":
            console.print("[yellow](interrupted: recovered from an unfinished recording)[/]")
        if record.analysis:
            render_report(console, record.analysis)
        else:
            console.print(f"[bold]Question:[/] {escape(record.question_text)}")
            what = record.error or record.status
            length = f" after {fmt_clock(record.duration_s)}" if record.duration_s else ""
            console.print(f"[yellow]No analysis{length}: {escape(what)}[/]")
        if record.audio_path is not None and record.audio_path.exists():
            console.print(
                f"[dim]Audio: {escape(str(record.audio_path))}  "
                f"(voicemock play {session.id} {record.position})[/]"
            )
    console.print()
    console.print(f"See it and hear it: voicemock report {session.id} --open")
