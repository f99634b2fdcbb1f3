"""A practice round on the terminal: :class:`TerminalRoundView`, the question card, the
thinking countdown, the live line, the report after each answer and the round summary."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from voicemock.render.live import LiveLine
from voicemock.render.verdicts import WORDING
from voicemock.timing import Target, fmt_clock

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.env import Environment
    from voicemock.practice.model import AnswerOutcome, RoundResult, StopReason
    from voicemock.questions import Question


class TerminalRoundView:
    """:class:`~voicemock.practice.view.RoundView` on the environment's streams.

    A terminal gets the countdown and the live line redrawn in place, a spinner while
    transcribing and colour (unless turned off); a pipe gets sparse plain lines. The
    round's progress goes to stdout, interruption notices to stderr.
    """

    def __init__(self, env: Environment, console: Console) -> None:
        self.env = env
        self.console = console
        self._live: LiveLine | None = None

    def recovered(self, line: str) -> None:
        self.env.err.write(line + "\n")
        self.env.err.flush()

    def question(
        self, question: Question, *, position: int, total: int, set_name: str, target: Target
    ) -> None:
        render_question(
            self.console, question, position=position, total=total, set_name=set_name, target=target
        )

    def voice_unavailable(self, reason: str) -> None:
        self.console.print(
            f"[dim](voice unavailable: {_escape(reason)}; questions are shown as text)[/]",
            soft_wrap=True,
        )

    def think_start(self, total_s: float) -> None:
        if not self.env.is_tty:
            out = self.env.out
            out.write(f"Thinking time: {fmt_clock(total_s)} (press Enter to start now)\n")
            out.flush()

    def think_tick(self, left_s: float) -> None:
        if self.env.is_tty:
            out = self.env.out
            out.write(f"\r\x1b[2KThink: {fmt_clock(left_s)} left (Enter to start now)")
            out.flush()

    def think_end(self) -> None:
        if self.env.is_tty:
            self.env.out.write("\r\x1b[2K")
            self.env.out.flush()

    def recording(self, elapsed_s: float, level: float, target: Target) -> None:
        if self._live is None:
            self._live = LiveLine(self.env.out, tty=self.env.is_tty, color=self.env.use_color)
        self._live.update(elapsed_s, level, target)

    def recording_ended(self) -> None:
        live = self._live or LiveLine(self.env.out, tty=self.env.is_tty, color=self.env.use_color)
        self._live = None
        live.finish("")

    def stopped(self, reason: StopReason, duration_s: float, target: Target) -> None:
        self.console.print(stopped_message(reason, duration_s, target))

    @contextlib.contextmanager
    def working(self, label: str) -> Iterator[None]:
        if self.env.is_tty:
            with self.console.status(f"{label}…", spinner="dots"):
                yield
        else:
            yield

    def no_speech(self) -> None:
        self.console.print(
            "[yellow]No speech detected in this answer[/] — is the microphone muted? "
            "(check 'voicemock devices'). The recording is kept."
        )

    def warning(self, text: str) -> None:
        self.console.print(f"[yellow]Warning:[/] {_escape(text)}")

    def report(self, outcome: AnswerOutcome) -> None:
        from voicemock.render.report import render_report

        assert outcome.doc is not None
        self.console.print()
        render_report(self.console, outcome.doc)
        if outcome.question.follow_ups:
            self.console.print()
            self.console.print("[bold]A bar raiser might follow up with[/]")
            for follow_up in outcome.question.follow_ups:
                self.console.print(f"  • {_escape(follow_up)}")
        self.console.print()

    def interrupted(self) -> None:
        self.env.err.write(
            "\nInterrupted: saving your answer so far (Ctrl-C again to leave it "
            "for the next start)…\n"
        )
        self.env.err.flush()

    def saved_interrupted(self, session_id: int, position: int, duration_s: float) -> None:
        self.env.err.write(
            f"Saved as session {session_id}, answer {position} ({fmt_clock(duration_s)}).\n"
        )
        self.env.err.flush()

    def finished(self, result: RoundResult) -> None:
        render_round_summary(self.console, result.outcomes, result.session_id)


def stopped_message(reason: StopReason | None, duration_s: float, target: Target) -> str:
    """Rich markup: why and after how long recording stopped."""
    length = fmt_clock(duration_s)
    if reason == "cap":
        return f"[bold red]Stopped at the {fmt_clock(target.cap_s)} cap[/] — recorded {length}."
    if reason == "end_of_file":
        return f"Answer file finished — recorded {length}."
    if reason == "device":
        return f"[yellow]The microphone stopped[/] — recorded {length}."
    return f"Recorded {length}."


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


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
    console.print(f"See it and hear it: voicemock report {session_id} --open")
