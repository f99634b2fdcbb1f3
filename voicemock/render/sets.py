"""Question sets on the terminal: the catalogue, one set's questions, validation results.

Everything user-written (names, questions, paths, error messages) is escaped before it
reaches rich, so brackets such as ``[[questions]]`` print as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from voicemock.timing import Target, fmt_clock

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.questions import Problem, Question, QuestionSet, SetEntry

ORIGIN_LABEL = {"bundled": "bundled", "user": "your set", "path": "from path"}


def _esc(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def target_text(target: Target) -> str:
    """``"2:30-3:30, cap 4:00"``."""
    return f"{fmt_clock(target.min_s)}-{fmt_clock(target.max_s)}, cap {fmt_clock(target.cap_s)}"


def tags_text(counts: dict[str, int]) -> str:
    """``"customer-obsession 10, ownership 10, ..."`` (counts only when some exceed 1)."""
    if not counts:
        return "(none)"
    if all(n == 1 for n in counts.values()):
        return ", ".join(counts)
    return ", ".join(f"{tag} {n}" for tag, n in counts.items())


def _entry_order(entries: Sequence[SetEntry]) -> list[SetEntry]:
    """By name; under each name the set in use first, then the ones it shadows."""
    position = {id(e): i for i, e in enumerate(entries)}
    return sorted(entries, key=lambda e: (e.name.casefold(), not e.active, -position[id(e)]))


def render_catalog(console: Console, entries: Sequence[SetEntry]) -> None:
    """``voicemock sets list``: name, where it comes from, count, tags; shadowing spelled out."""
    if not entries:
        console.print("No question sets found (the bundled sets are missing from this install).")
        return
    for index, entry in enumerate(_entry_order(entries)):
        if index:
            console.print()
        origin = ORIGIN_LABEL.get(entry.origin, entry.origin)
        count = (
            _plural(len(entry.qset), "question") if entry.qset is not None else "[red]invalid[/red]"
        )
        status = f"[dim]{origin}[/dim]"
        name_style = "bold" if entry.active else "dim strike"
        console.print(f"[{name_style}]{_esc(entry.name)}[/{name_style}]  {count}  {status}")
        if entry.qset is not None and entry.qset.description:
            console.print(f"  {_esc(entry.qset.description)}")
        console.print(f"  path: {_esc(entry.path)}", soft_wrap=True)
        for older in entry.shadows:
            console.print(f"  [yellow]shadows[/yellow] {_esc(older)}", soft_wrap=True)
        if entry.shadowed_by is not None:
            console.print(
                f"  [yellow]shadowed by[/yellow] {_esc(entry.shadowed_by)} (not used by name)",
                soft_wrap=True,
            )
        if entry.qset is not None:
            console.print(f"  tags: {_esc(tags_text(entry.qset.tag_counts()))}")
        if entry.error is not None:
            first = entry.error.problems[0]
            console.print(f"  [red]error:[/red] {_esc(first)}", soft_wrap=True)
            more = len(entry.error.problems) - 1
            if more:
                console.print(
                    f"  ... and {_plural(more, 'more problem')}: "
                    f"voicemock sets validate {_esc(entry.path)}",
                    soft_wrap=True,
                )


def render_set(
    console: Console,
    qset: QuestionSet,
    questions: Sequence[Question] | None = None,
    *,
    tags: Sequence[str] = (),
) -> None:
    """``voicemock sets show``: the set's settings, then each question with its follow-ups."""
    shown = list(qset.questions if questions is None else questions)
    title = f"[bold]{_esc(qset.name)}[/bold]"
    if qset.description:
        title += f"  {_esc(qset.description)}"
    console.print(title)
    if qset.path is not None:
        console.print(f"path: {_esc(qset.path)}", soft_wrap=True)
    settings = [_plural(len(qset), "question"), f"target {target_text(qset.target)}"]
    if qset.think_s is not None:
        settings.append(f"{qset.think_s:g} s to think")
    console.print(" · ".join(settings) if console.is_terminal else "; ".join(settings))
    if tags:
        wanted = ", ".join(tags)
        console.print(f"showing {len(shown)} of {len(qset)} tagged {_esc(wanted)}")
    marker = "↳" if console.is_terminal else "-"
    for question in shown:
        console.print()
        head = f"[bold cyan]{_esc(question.id)}[/bold cyan]"
        if question.tags:
            head += f"  [dim]{_esc(', '.join(question.tags))}[/dim]"
        if question.target is not None and question.target != qset.target:
            head += f"  [yellow]target {target_text(question.target)}[/yellow]"
        console.print(head)
        console.print(f"  {_esc(question.text)}")
        for follow_up in question.follow_ups:
            console.print(f"    {marker} {_esc(follow_up)}")


def render_problems(console: Console, problems: Sequence[Problem]) -> None:
    """One ``<file>:<line>: <what is wrong>`` line per problem, never wrapped."""
    for problem in problems:
        console.print(_esc(problem), soft_wrap=True, style="red" if console.is_terminal else None)


def render_valid(console: Console, path: Path, qset: QuestionSet) -> None:
    """The line ``sets validate`` prints for a file without problems."""
    console.print(
        f"[green]ok[/green]  {_esc(path)}: {_esc(qset.name)}, {_plural(len(qset), 'question')}",
        soft_wrap=True,
    )
