"""Terminal output of a practice round: the question card and the round summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from voicemock.render.verdicts import WORDING
from voicemock.timing import Target, fmt_clock

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.practice import AnswerOutcome
    from voicemock.questions import Question


def render_question(
    console: Console,
    question: Question,
    *,
    position: int,
    total: int,
    set_name: str,
    target: Target,
) -> None:
    from rich.text import Text

    from voicemock.questions import tag_label

    console.print()
    header = Text(f"Question {position} of {total}", style="bold")
    details = [set_name]
    if question.tags:
        details.append(", ".join(tag_label(t) for t in question.tags[:3]))
    details.append(f"aim for {fmt_clock(target.min_s)}–{fmt_clock(target.max_s)}")
    header.append("  · " + " · ".join(details), style="dim")
    console.print(header)
    console.print(Text(question.text, style="bold cyan"))
    console.print()


def summary_row(outcome: AnswerOutcome) -> list[str]:
    """Cells for one answer: #, question, duration vs window, fillers/min, I:we, numbers."""
    doc = outcome.doc
    text = outcome.question.text
    short = text if len(text) <= 48 else text[:47].rstrip() + "…"
    if doc is None:
        reason = outcome.error or ("interrupted" if outcome.record else "not recorded")
        return [str(outcome.position), short, reason, "", "", "", ""]
    duration, verdict = doc["duration_s"], doc["timing_verdict"]
    cell = WORDING[verdict].cell if verdict is not None else ""
    timing = f"{fmt_clock(duration)} {cell}" if duration is not None else "—"
    fillers = doc["filler_summary"]["per_minute"]
    own = doc["ownership"]
    i_we = f"{own['i_count']}:{own['we_count']}"
    if own["i_we_ratio"] is not None:
        i_we += f" ({own['i_we_ratio']:.1f})"
    return [
        str(outcome.position),
        short,
        timing,
        f"{fillers:.1f}" if fillers is not None else "—",
        i_we,
        str(len(doc["metrics"])),
        "yes" if doc["structure"]["result_has_metric"] else "no",
    ]


def render_round_summary(
    console: Console, outcomes: Sequence[AnswerOutcome], session_id: int
) -> None:
    from rich import box
    from rich.table import Table

    table = Table(
        title="Round summary",
        box=box.SIMPLE_HEAVY if not console.no_color else box.ASCII,
        title_justify="left",
        show_edge=False,
    )
    for name, justify in [
        ("#", "right"),
        ("Question", "left"),
        ("Length", "left"),
        ("Fillers/min", "right"),
        ("I:we", "right"),
        ("Numbers", "right"),
        ("Result has number", "left"),
    ]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for outcome in outcomes:
        row = summary_row(outcome)
        verdict = outcome.doc["timing_verdict"] if outcome.doc is not None else None
        table.add_row(*row, style=WORDING[verdict].row_style if verdict is not None else None)
    console.print(table)
    console.print(
        f"Saved as session {session_id}. Review it any time: voicemock review {session_id}"
    )
