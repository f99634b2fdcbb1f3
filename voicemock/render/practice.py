"""Terminal output of a practice round: the question card and the round summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from voicemock.analysis.timing import Target, fmt_clock

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.practice import AnswerOutcome
    from voicemock.questions import Question

VERDICT_WORDS = {"short": "short", "on_target": "in window", "long": "long", "over_cap": "over cap"}


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
    doc: dict[str, Any] = outcome.doc or {}
    text = outcome.question.text
    short = text if len(text) <= 48 else text[:47].rstrip() + "…"
    if not doc:
        reason = outcome.error or ("interrupted" if outcome.record else "not recorded")
        return [str(outcome.position), short, reason, "", "", "", ""]
    duration = doc.get("duration_s")
    verdict = VERDICT_WORDS.get(str(doc.get("timing_verdict")), "")
    timing = f"{fmt_clock(duration)} {verdict}" if isinstance(duration, (int, float)) else "—"
    fillers = (doc.get("filler_summary") or {}).get("per_minute")
    own = doc.get("ownership") or {}
    ratio = own.get("i_we_ratio")
    i_we = f"{own.get('i_count', 0)}:{own.get('we_count', 0)}"
    if isinstance(ratio, (int, float)):
        i_we += f" ({ratio:.1f})"
    metrics = len(doc.get("metrics") or [])
    result_metric = "yes" if (doc.get("structure") or {}).get("result_has_metric") else "no"
    return [
        str(outcome.position),
        short,
        timing,
        f"{fillers:.1f}" if isinstance(fillers, (int, float)) else "—",
        i_we,
        str(metrics),
        result_metric,
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
        verdict = (outcome.doc or {}).get("timing_verdict")
        style = {"on_target": "green", "over_cap": "red"}.get(str(verdict), "")
        table.add_row(*row, style=style or None)
    console.print(table)
    console.print(
        f"Saved as session {session_id}. Review it any time: voicemock review {session_id}"
    )
    console.print(f"See it and hear it: voicemock report {session_id} --open")
