"""The story bank on the terminal: ``stories list``, ``stories show``, links, suggestions.

Titles, summaries, questions and quotes are the user's words: they reach rich as
:class:`rich.text.Text` (never markup), so ``[bold]`` or ``<script>`` print as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from voicemock.analysis.timing import fmt_clock

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from voicemock.coverage import Cell
    from voicemock.progress import AnswerFigures
    from voicemock.storage.stories import RemoveResult, Story, StoryLink, StorySummary
    from voicemock.stories.consistency import Difference
    from voicemock.stories.similarity import Suggestion
    from voicemock.storybank import Linked, StoryDetail

VERDICT_WORDS = {"short": "short", "on_target": "in window", "long": "long", "over_cap": "over cap"}
KIND_WORDS = {"manual": "by you", "automatic": "automatic", "created": "created from it"}
LINKED_WORDS = {"manual": "linked by you", "automatic": "auto-linked", "created": "created from it"}
EMPTY_MESSAGE = 'No stories yet — add one with `voicemock stories add "TITLE"`'


def local_time(when: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return when.astimezone().strftime(fmt) if when else "-"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def principle_names(slugs: Sequence[str]) -> str:
    from voicemock.questions import tag_label

    return ", ".join(tag_label(s) for s in slugs) or "-"


def new_table() -> Table:
    from rich import box
    from rich.table import Table

    return Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold",
    )


def print_table(console: Console, table: Table) -> None:
    """A table; for pipes and files, plain lines with no trailing padding."""
    if console.is_terminal:
        console.print(table)
        return
    table.box = None
    table.header_style = ""
    with console.capture() as captured:
        console.print(table)
    for line in captured.get().splitlines():
        console.print(line.rstrip(), markup=False, highlight=False)


def indented(console: Console, line: Text, by: int) -> None:
    """``line`` indented by ``by``: wrapped (or cut with …) in a terminal, whole in a pipe."""
    from rich.padding import Padding

    if console.is_terminal:
        console.print(Padding(line, (0, 0, 0, by)))
    else:
        console.print(text(" " * by) + line, soft_wrap=True)


def text(value: object, style: str = "") -> Text:
    from rich.text import Text

    return Text(str(value), style=style)


# -- list -------------------------------------------------------------------------------


def render_story_list(console: Console, summaries: Sequence[StorySummary]) -> None:
    if not summaries:
        console.print(EMPTY_MESSAGE, markup=False)
        return
    table = new_table()
    table.add_column("ID", justify="right")
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Principles", overflow="fold", ratio=3)
    table.add_column("Told", justify="right")
    table.add_column("Last told")
    for s in summaries:
        table.add_row(
            str(s.story.id),
            text(s.story.title),
            text(principle_names(s.story.principles)),
            str(s.tellings),
            local_time(s.last_told, "%Y-%m-%d") if s.last_told else "never",
        )
    print_table(console, table)


# -- show -------------------------------------------------------------------------------


def _verdict_text(f: AnswerFigures) -> str:
    if f.duration_s is None:
        return "-"
    return f"{fmt_clock(f.duration_s)} {VERDICT_WORDS.get(f.verdict or '', '')}".rstrip()


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def link_text(link: StoryLink) -> str:
    """ "automatic (0.52)", "by you", "created from it"."""
    kind = KIND_WORDS.get(link.kind, link.kind)
    return f"{kind} ({link.score:.2f})" if link.score is not None else kind


def render_story(console: Console, detail: StoryDetail) -> None:
    from rich.text import Text

    story = detail.story
    title = Text(f"Story {story.id}: ", style="bold")
    title.append(story.title, style="bold cyan")
    console.print(title)
    console.print(text(f"Principles: {principle_names(story.principles)}"))
    when = f"Added {local_time(story.created_at)}"
    if story.updated_at != story.created_at:
        when += f" · edited {local_time(story.updated_at)}"
    console.print(text(when, "dim"))
    console.print()
    console.print(text("Summary", "bold"))
    for line in (
        story.summary or "(none yet: voicemock stories edit " + str(story.id) + ")"
    ).splitlines():
        console.print(text("  " + line))
    console.print()
    render_tellings(console, detail.tellings)
    render_practised(console, detail.practised)
    console.print()
    render_differences(console, detail.differences, heading=True)


def render_tellings(console: Console, tellings: Sequence[tuple[AnswerFigures, StoryLink]]) -> None:
    """One entry per telling: its facts on one line, the question under it."""
    console.print(text(f"Tellings ({len(tellings)})", "bold"))
    if not tellings:
        console.print(
            text(
                "  None yet. Link an answer with `voicemock stories link SESSION:N "
                + "STORY` (see `voicemock sessions list`)."
            )
        )
        return
    for n, (f, link) in enumerate(tellings, start=1):
        facts = [
            local_time(f.started_at, "%Y-%m-%d"),
            f"{f.session_id}:{f.position}",
            _verdict_text(f),
        ]
        if f.result_has_number is not None:
            facts.append("result has a number" if f.result_has_number else "no number in result")
        line = text(f"{n:>3}. ")
        line.append("  ".join(facts))
        line.append(f"  {LINKED_WORDS.get(link.kind, link.kind)}", style="dim")
        if link.score is not None:
            line.append(f" {link.score:.2f}", style="dim")
        console.print(line)
        question = text(f.question_text, "italic")
        question.no_wrap = True
        question.overflow = "ellipsis"
        indented(console, question, 5)


def cell_text(cell: Cell) -> str:
    """ "2 tellings: in window, result with a number, owned"."""
    if not cell.practised:
        return "declared, not told for it yet"
    parts = [plural(cell.answers, "telling")]
    quality = []
    if cell.best_verdict:
        quality.append(VERDICT_WORDS.get(cell.best_verdict, cell.best_verdict))
    quality.append("result with a number" if cell.result_has_number else "no result number")
    quality.append("owned" if cell.owned else "not owned")
    return f"{parts[0]}: " + ", ".join(quality)


def render_practised(console: Console, cells: Sequence[Cell]) -> None:
    from voicemock.questions import tag_label

    if not cells:
        return
    console.print()
    console.print(text("Principles", "bold"))
    width = max(len(tag_label(c.principle)) for c in cells)
    for c in cells:
        line = text(f"  {tag_label(c.principle):<{width}}  ")
        line.append(cell_text(c), style="" if c.practised else "dim")
        console.print(line)


def render_differences(
    console: Console, diffs: Sequence[Difference], *, heading: bool = False
) -> None:
    """Each difference with both quotes and their dates."""
    from rich.text import Text

    if heading:
        console.print(text("Consistency between tellings", "bold"))
    if not diffs:
        if heading:
            console.print(text("  No changes found between tellings.", "green"))
        return
    for d in diffs:
        line = Text("  ")
        line.append("! ", style="bold yellow")
        line.append(f"{d.kind}: ", style="bold")
        line.append(d.summary)
        console.print(line)
        for quote in (d.earlier, d.later):
            when = local_time(quote.when, "%Y-%m-%d") if quote.when else ""
            who = f"{quote.label}, {when}" if when else quote.label
            said = Text()
            said.append(f"{who}: ", style="dim")
            said.append(f"“{quote.text}”")
            indented(console, said, 6)


# -- add, edit, rm, link -----------------------------------------------------------------------


def render_added(console: Console, story: Story) -> None:
    line = text(f"Added story {story.id}: ")
    line.append(story.title, style="bold")
    if story.principles:
        line.append(f" ({principle_names(story.principles)})")
    console.print(line)
    console.print(
        text(f"Link answers to it with: voicemock stories link SESSION:N {story.id}", "dim")
    )


def render_edited(console: Console, before: Story, after: Story) -> None:
    if before == after:
        console.print(text(f"Story {after.id} unchanged."))
        return
    changed = []
    if before.title != after.title:
        changed.append("title")
    if before.summary != after.summary:
        changed.append("summary")
    if before.principles != after.principles:
        changed.append("principles")
    line = text(f"Story {after.id} ")
    line.append(after.title, style="bold")
    line.append(f": changed {', '.join(changed)}.")
    console.print(line)


def render_removed(console: Console, result: RemoveResult) -> None:
    line = text(f"Deleted story {result.story.id} ")
    line.append(result.story.title, style="bold")
    noun = "answer" if result.unlinked == 1 else "answers"
    line.append(f"; {result.unlinked} {noun} kept, now unlinked.")
    console.print(line)


def render_linked(console: Console, answer_label: str, linked: Linked) -> None:
    line = text(f"Linked {answer_label} to story {linked.story.id} ")
    line.append(linked.story.title, style="bold")
    line.append(f" ({KIND_WORDS.get(linked.link.kind, linked.link.kind)}).")
    console.print(line)
    if linked.previous is not None and linked.previous.story_id != linked.story.id:
        console.print(text(f"It was linked to story {linked.previous.story_id} before.", "dim"))
    if linked.differences:
        console.print(text("It differs from the earlier tellings:", "yellow"))
        render_differences(console, linked.differences)


def render_suggestions(
    console: Console, answer_label: str, ranked: Sequence[Suggestion], threshold: float
) -> None:
    if not ranked:
        console.print(text(f"No story to suggest for {answer_label} (the bank is empty?)."))
        return
    console.print(text(f"Stories {answer_label} may be telling, best first:"))
    table = new_table()
    table.add_column("ID", justify="right")
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Score", justify="right")
    table.add_column("Shared words", overflow="fold", ratio=2)
    for s in ranked:
        table.add_row(
            str(s.story_id),
            text(s.title),
            text(f"{s.score:.2f}", "bold green" if s.score >= threshold else ""),
            text(", ".join(w.lstrip("#") for w in s.shared)),
        )
    print_table(console, table)
    best = ranked[0]
    if best.score >= threshold:
        tail = f"would be linked automatically (score ≥ {threshold:.2f})."
    else:
        tail = f"scores below {threshold:.2f}: a round would not link it by itself."
    console.print(text(f"Story {best.story_id} {tail}", "dim"))
