"""``voicemock progress`` on the terminal: a table per session, trend lines with sparklines,
and attempt against attempt for one story or question."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from voicemock.analysis.timing import fmt_clock
from voicemock.render.stories import VERDICT_WORDS, local_time, new_table, print_table, text

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.progress import Attempt, Progress, SessionPoint, TrendLine

SPARKS = "▁▂▃▄▅▆▇█"
GAP = "·"


def sparkline(values: Sequence[float | None]) -> str:
    """One character per value, low ``▁`` to high ``█``; ``·`` where there is none."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    if not known:
        return GAP * len(values)
    low, high = min(known), max(known)
    out = []
    for v in values:
        if v is None or not math.isfinite(v):
            out.append(GAP)
        elif high == low:
            out.append(SPARKS[len(SPARKS) // 2])
        else:
            out.append(SPARKS[round((v - low) / (high - low) * (len(SPARKS) - 1))])
    return "".join(out)


def _opt(value: float | None, fmt: str = "{:.1f}") -> str:
    return "-" if value is None else fmt.format(value)


def _row(p: SessionPoint) -> list[str]:
    return [
        str(p.session_id),
        local_time(p.started_at, "%Y-%m-%d"),
        str(p.answers),
        fmt_clock(p.avg_duration_s) if p.avg_duration_s is not None else "-",
        f"{p.in_window}/{p.timed}" if p.timed else "-",
        _opt(p.fillers_per_min),
        _opt(p.i_we_ratio) if p.we_count else (f"{p.i_count}:0" if p.i_count else "-"),
        _opt(p.result_number_share, "{:.0%}"),
        _opt(p.reasons_per_answer),
        _opt(p.wpm, "{:.0f}"),
    ]


def _describe_filters(progress: Progress) -> str:
    from voicemock.questions import tag_label

    f = progress.filters
    parts = []
    if f.since is not None:
        parts.append(f"since {local_time(f.since, '%Y-%m-%d')}")
    if f.story_id is not None:
        parts.append(f"story {f.story_id}")
    if f.tag is not None:
        parts.append(f"tagged {tag_label(f.tag)}")
    if f.question_id is not None:
        parts.append(f"question {f.question_id}")
    return f" ({', '.join(parts)})" if parts else ""


def render_progress(
    console: Console, progress: Progress, *, story_title: str | None = None
) -> None:
    answers = len(progress.answers)
    sessions = len(progress.sessions)
    if not answers:
        where = _describe_filters(progress)
        console.print(text(f"No answers to show{where} — practise with `voicemock practice`."))
        return
    noun_s = "session" if sessions == 1 else "sessions"
    noun_a = "answer" if answers == 1 else "answers"
    console.print(
        text(
            f"Progress: {sessions} {noun_s}, {answers} {noun_a}{_describe_filters(progress)}",
            "bold",
        )
    )
    table = new_table()
    for title, justify in (
        ("Session", "right"), ("Date", "left"), ("Ans", "right"), ("Length", "right"),
        ("In win", "right"), ("Fill/min", "right"), ("I:we", "right"), ("Result#", "right"),
        ("Reasons", "right"), ("WPM", "right"),
    ):  # fmt: skip
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for p in progress.sessions:
        table.add_row(*_row(p))
    print_table(console, table)
    if sessions > 1:
        console.print()
        render_trend(console, progress.trend)
    if progress.attempts:
        console.print()
        render_attempts(console, progress.attempts, story_title=story_title)


def render_trend(console: Console, lines: Sequence[TrendLine]) -> None:
    console.print(text("Trend, first session → last", "bold"))
    width = max(len(t.label) for t in lines)
    for t in lines:
        line = text(f"  {t.label:<{width}}  ")
        line.append(sparkline(t.values), style="cyan")
        line.append(f"  {t.text}")
        if t.improved is True:
            line.append("  better", style="green")
        elif t.improved is False:
            line.append("  worse", style="red")
        console.print(line)


def render_attempts(
    console: Console, attempts: Sequence[Attempt], *, story_title: str | None = None
) -> None:
    noun = "telling" if story_title is not None else "attempt"
    head = text(f"{noun.capitalize()}s side by side", "bold")
    if story_title is not None:
        head.append(" — ")
        head.append(story_title, style="bold cyan")
    console.print(head)
    table = new_table()
    table.add_column("#", justify="right")
    table.add_column("Date")
    table.add_column("Answer")
    table.add_column("Length")
    table.add_column("Fill/min", justify="right")
    table.add_column("Owned", justify="right")
    table.add_column("Result#")
    table.add_column("Reasons", justify="right")
    for a in attempts:
        f = a.figures
        length = "-"
        if f.duration_s is not None:
            length = f"{fmt_clock(f.duration_s)} {VERDICT_WORDS.get(f.verdict or '', '')}".rstrip()
        table.add_row(
            str(a.number),
            local_time(f.started_at, "%Y-%m-%d"),
            f"{f.session_id}:{f.position}",
            length,
            _opt(f.fillers_per_min),
            "-" if f.owned is None else str(f.owned),
            "-" if f.result_has_number is None else ("yes" if f.result_has_number else "no"),
            "-" if f.reasons is None else str(f.reasons),
        )
    print_table(console, table)
    for a in attempts:
        if a.since_last is None:
            continue
        console.print(text("  " + a.since_last.headline(a.number, noun)))
