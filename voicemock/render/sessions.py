"""Saved sessions on screen: the ``sessions list`` table and the markdown review.

Everything here reads records from :mod:`voicemock.storage` and the analysis document
stored with each answer (:class:`~voicemock.analysis.document.AnalysisDoc`, or ``None``
for an answer that was never analysed: failed, still recording, recovered empty).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from voicemock.render.verdicts import review_sentence
from voicemock.timing import fmt_clock

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.storage import AnswerRecord, Session, SessionSummary

EMPTY_MESSAGE = "No sessions yet — run `voicemock practice`"


# -- list ------------------------------------------------------------------------------


def session_state(session: Session) -> str:
    """``complete``/``interrupted``, or for an ``active`` one: running now or left unfinished."""
    if session.status != "active":
        return session.status
    return "in progress" if session.running else "unfinished"


def local_time(when: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return when.astimezone().strftime(fmt) if when else "-"


def render_session_list(
    console: Console, summaries: Sequence[SessionSummary], *, total: int | None = None
) -> None:
    """The newest sessions as a table; a hint when there are none or more than shown."""
    from rich import box
    from rich.table import Table

    if not summaries:
        console.print(EMPTY_MESSAGE, markup=False)
        return
    fancy = console.is_terminal
    table = Table(
        box=box.SIMPLE_HEAD if fancy else None,
        show_edge=False,
        pad_edge=False,
        header_style="bold" if fancy else "",
    )
    table.add_column("ID", justify="right")
    table.add_column("Started")
    table.add_column("Set")
    table.add_column("Answers", justify="right")
    table.add_column("In window", justify="right")
    table.add_column("Avg", justify="right")
    table.add_column("Status")
    for s in summaries:
        session = s.session
        table.add_row(
            str(session.id),
            local_time(session.started_at),
            session.set_name or "-",
            str(s.answer_count),
            f"{s.in_window}/{s.timed_count}" if s.timed_count else "-",
            fmt_clock(s.avg_duration_s) if s.avg_duration_s is not None else "-",
            session_state(session),
        )
    if fancy:
        console.print(table)
    else:  # plain text for pipes: no trailing padding on any line
        with console.capture() as captured:
            console.print(table)
        for line in captured.get().splitlines():
            console.print(line.rstrip(), markup=False, highlight=False)
    if total is not None and total > len(summaries):
        console.print(
            f"Showing the newest {len(summaries)} of {total} sessions (use --limit to see more).",
            markup=False,
        )


# -- markdown review -------------------------------------------------------------------


def session_markdown(session: Session, answers: Sequence[AnswerRecord]) -> str:
    """A readable review of a whole session, one section per answer."""
    title = f"# voicemock session {session.id}"
    if session.set_name:
        title += f" — {session.set_name}"
    lines = [title, ""]
    when = local_time(session.started_at)
    if session.ended_at:
        when += f" to {local_time(session.ended_at, '%H:%M')}"
    facts = [when, f"status: {session_state(session)}"]
    if session.model:
        facts.append(f"model: {session.model}")
    lines += ["*" + " · ".join(facts) + "*", ""]
    lines += _overview(answers)
    for answer in answers:
        if lines[-1]:
            lines.append("")
        lines += _answer_section(answer)
    return "\n".join(lines).rstrip() + "\n"


def _overview(answers: Sequence[AnswerRecord]) -> list[str]:
    if not answers:
        return ["No answers were recorded in this session."]
    timed = [a for a in answers if a.duration_s is not None]
    text = f"{_plural(len(answers), 'answer')}"
    if timed:
        in_window = sum(a.in_window for a in timed)
        avg = sum(a.duration_s or 0.0 for a in timed) / len(timed)
        text += f", {in_window} of {len(timed)} in the target window, average {fmt_clock(avg)}"
    return [text + "."]


def _answer_section(answer: AnswerRecord) -> list[str]:
    a = answer.analysis
    lines = [f"## {answer.position}. {_one_line(answer.question_text)}", ""]
    meta = [f"question `{answer.question_id}`", local_time(answer.started_at)]
    lines += ["*" + " · ".join(meta) + "*", ""]
    if answer.status == "interrupted":
        lines += ["*Recovered after an interruption: the recording may stop mid-sentence.*", ""]
    elif answer.status == "failed":
        lines += [f"*Not analysed: {_one_line(answer.error or 'unknown error')}*", ""]
    elif answer.status == "recording":
        lines += ["*Still recording, or interrupted and not yet recovered.*", ""]

    facts: list[str] = []
    duration = answer.duration_s
    if duration is None and a is not None:
        duration = a["duration_s"]
    if duration is not None:
        sentence = review_sentence(answer.timing_verdict, duration, answer.target)
        facts.append(f"**Duration:** {fmt_clock(duration)} — {sentence}")
    if a is not None:
        fillers = a["filler_summary"]
        text = f"**Filler words:** {fillers['count']}"
        if fillers["per_minute"] is not None:
            text += f" ({fillers['per_minute']:.1f} per minute)"
        facts.append(text)
        ownership = a["ownership"]
        facts.append(f'**I : we:** {ownership["i_count"]} "I" to {ownership["we_count"]} "we"')
        shown = [_one_line(m["text"]) for m in a["metrics"] if m["text"].strip()]
        text = f"**Numbers:** {len(a['metrics'])}"
        if shown:
            text += " — " + ", ".join(shown[:8]) + (", …" if len(shown) > 8 else "")
        facts.append(text)
        has_metric = a["structure"]["result_has_metric"]
        facts.append("**Result has a number:** " + ("yes" if has_metric else "no"))
    if answer.overflow_count:
        facts.append(
            f"**Audio:** {_plural(answer.overflow_count, 'input overflow')}"
            " (some audio may be missing)"
        )
    lines += [f"- {f}" for f in facts]
    if facts:
        lines.append("")

    transcript = answer.transcript or (a["transcript"].strip() if a is not None else "")
    if transcript:
        lines += ["### Transcript", "", *_quote(transcript), ""]
    advice = [
        f"**{item['topic']}:** {_one_line(item['text'])}"
        for item in (a["advice"] if a is not None else [])
        if item["text"].strip()
    ]
    if advice:
        lines += ["### Advice", "", *[f"- {x}" for x in advice], ""]
    return lines


def _quote(text: str, width: int = 88) -> list[str]:
    import textwrap

    return ["> " + line for line in textwrap.wrap(_one_line(text), width) or [""]]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
