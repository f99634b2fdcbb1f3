"""The bar-raiser scorecard on the terminal (after an interview, and in `voicemock review`),
and the follow-up lines: what the interviewer asked and whether the reply closed the gap."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from voicemock.interview.scorecard import Scorecard

LEVEL_STYLES = {"strong": "bold green", "mixed": "bold yellow", "missing": "bold red"}
LEAN_STYLES = {"strong hire": "bold green", "inclined": "bold yellow", "not inclined": "bold red"}
LEVEL_MARKS = {"strong": "+", "mixed": "~", "missing": "-"}
"""Plain-text markers beside the words, so the level never rests on colour alone."""


def render_scorecard(console: Console, card: Scorecard) -> None:
    """The scorecard, written like an interviewer's feedback. Long lines wrap under
    their own indent, so it reads at any width from 40 columns."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from voicemock.interview.scorecard import POINTS, SIGNAL_WHAT, SIGNALS

    color = not console.no_color

    def indented(text: Text, left: int) -> Padding | Text:
        if console.soft_wrap:  # a pipe: one line each, never cut
            return Text(" " * left) + text
        return Padding(text, (0, 0, 0, left), expand=False)

    console.print()
    console.print(Text("Bar-raiser scorecard", style="bold"))
    lean = Text("Lean: ")
    lean.append(card.lean, style=LEAN_STYLES[card.lean] if color else "")
    lean.append(f" ({card.points} of {POINTS['strong'] * len(SIGNALS)} points)")
    console.print(lean)
    if card.principles:
        console.print()
        console.print(Text("Principles probed", style="bold"))
        for p in card.principles:
            line = Text(f"Q{p.position} ")
            line.append_text(level_text(p.level, color=color))
            line.append(f" {p.principle}")
            console.print(indented(line, 2))
            console.print(indented(Text(p.note, style="dim" if color else ""), 6))
    console.print()
    console.print(Text("Signals", style="bold"))
    for s in card.signals:
        line = Text(f"{s.title:<11}")
        line.append_text(level_text(s.level, color=color))
        line.append(f" {SIGNAL_WHAT[s.signal]}", style="dim" if color else "")
        console.print(indented(line, 2))
        console.print(indented(Text(s.summary), 6))
        for quote in s.quotes:
            q = Text(f"{'+' if quote.good else '-'} ")
            q.append(
                f"“{quote.text}”", style=("green" if quote.good else "magenta") if color else ""
            )
            q.append(f" (Q{quote.position})")
            console.print(indented(q, 6))
    console.print()
    if not card.changes:
        console.print(Text("Every signal is strong: keep these stories as they are.", style="bold"))
        return
    title = "The change" if len(card.changes) == 1 else "The two changes"
    console.print(Text(f"{title} that would move it most", style="bold"))
    if console.soft_wrap:
        for n, change in enumerate(card.changes, 1):
            console.print(Text(f"  {n}. {change}"))
        return
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for n, change in enumerate(card.changes, 1):
        grid.add_row(f"{n}.", Text(change))
    console.print(Padding(grid, (0, 0, 0, 2), expand=False))


def level_text(level: str, *, color: bool) -> Text:
    """``strong``/``mixed``/``missing`` padded to one width, coloured or marked."""
    from rich.text import Text

    if color:
        return Text(f"{level:<7}", style=LEVEL_STYLES.get(level, ""))
    return Text(f"{LEVEL_MARKS.get(level, ' ')}{level:<7}")


def gap_line(gap: Mapping[str, Any] | None, *, color: bool) -> Text | None:
    """``Gap: shared ownership — closed: “I decided to …”`` for a reply, from its stored
    gap (``AnswerRecord.gap``) or its check; ``None`` when no gap was probed."""
    from rich.text import Text

    if not gap:
        return None
    label = str(gap.get("label") or gap.get("kind") or "gap")
    status = gap.get("status")
    line = Text("Gap: ", style="bold" if color else "")
    line.append(label)
    if status == "closed":
        line.append(" — ")
        line.append("closed", style="bold green" if color else "")
    elif status == "open":
        line.append(" — ")
        line.append("still open", style="bold yellow" if color else "")
    else:
        line.append(" — not judged (no reply)")
    quote = gap.get("quote")
    if quote:
        line.append(f": “{quote}”")
    return line


def follow_up_heading(number: int, prompt: str, *, label: str = "", color: bool) -> Text:
    """``Follow-up 1 · …`` then ``Interviewer: <the question>`` on the next line."""
    from rich.text import Text

    text = Text(f"Follow-up {number}", style="bold" if color else "")
    if label:
        text.append(f"  · {label}", style="dim" if color else "")
    text.append("\n")
    text.append("Interviewer: ", style="bold" if color else "")
    text.append(prompt, style="bold cyan" if color else "")
    return text
