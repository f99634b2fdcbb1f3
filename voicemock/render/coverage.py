"""``voicemock coverage`` on the terminal: the 16 principles against the stories, the gaps,
and the questions to practise next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from voicemock.questions import tag_label
from voicemock.render.stories import indented, new_table, print_table, text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from voicemock.coverage import Cell, Coverage, PrincipleCoverage

SHORT_NAMES = {
    "customer-obsession": "Customer Obsession",
    "ownership": "Ownership",
    "invent-and-simplify": "Invent and Simplify",
    "are-right-a-lot": "Are Right, A Lot",
    "learn-and-be-curious": "Learn and Be Curious",
    "hire-and-develop-the-best": "Hire and Develop",
    "insist-on-the-highest-standards": "Highest Standards",
    "think-big": "Think Big",
    "bias-for-action": "Bias for Action",
    "frugality": "Frugality",
    "earn-trust": "Earn Trust",
    "dive-deep": "Dive Deep",
    "have-backbone": "Have Backbone",
    "deliver-results": "Deliver Results",
    "earths-best-employer": "Earth's Best Employer",
    "broad-responsibility": "Broad Responsibility",
}
"""Names that fit a table row in 80 columns."""

LEGEND = (
    "●N told for it (N of 3: in the window, a number in the result, owned)",
    "○ declared, not told yet · ×2 one of the first four · ! often forgotten",
)


def _cell(cell: Cell | None) -> Text:
    if cell is None or not (cell.practised or cell.declared):
        return text("·", "dim")
    if not cell.practised:
        return text("○", "yellow")
    style = {3: "bold green", 2: "green", 1: "yellow", 0: "red"}[cell.grade]
    return text(f"●{cell.grade}", style)


def _name(p: PrincipleCoverage) -> Text:
    line = text(SHORT_NAMES.get(p.slug, p.name))
    if p.first_four:
        line.append(" ×2", style="bold")
    if p.forgotten:
        line.append(" !", style="bold magenta")
    return line


def _status(p: PrincipleCoverage) -> Text:
    if p.status == "practised":
        return text("told", "green")
    if p.status == "declared":
        return text("not told yet", "yellow")
    note = "no story"
    if p.unlinked_answers:
        note += f" ({p.unlinked_answers} unlinked)"
    return text(note, "bold red")


def render_coverage(console: Console, coverage: Coverage) -> None:
    told = sum(1 for p in coverage.principles if p.status == "practised")
    head = text(
        f"Leadership Principle coverage: {told} of 16 told with a story"
        f" (weighted {coverage.score:.0%})",
        "bold",
    )
    console.print(head)
    stories = coverage.stories
    table = new_table()
    table.add_column("Principle")
    for s in stories:
        table.add_column(f"#{s.id}", justify="center")
    table.add_column("Status")
    for p in coverage.principles:
        cells = [_cell(coverage.cell(s.id, p.slug)) for s in stories]
        table.add_row(_name(p), *cells, _status(p))
    print_table(console, table)
    for legend in LEGEND:
        console.print(text(legend, "dim"))
    if stories:
        console.print()
        console.print(text("Stories", "bold"))
        for s in stories:
            line = text(f"  #{s.id}  ")
            line.append(s.title)
            console.print(line)
    else:
        console.print()
        console.print(text('No stories yet: add your 8–10 with `voicemock stories add "TITLE"`.'))
    gaps = coverage.no_story
    if gaps:
        console.print()
        console.print(text("Principles with no story", "bold"))
        for p in gaps:
            line = text(f"  {p.name}")
            if p.first_four:
                line.append("  (one of the first four)", style="bold")
            if p.forgotten:
                line.append("  (often forgotten)", style="magenta")
            console.print(line)
    if coverage.next_questions:
        console.print()
        console.print(text("Practise next", "bold"))
        for q in coverage.next_questions:
            console.print(text(f"  {tag_label(q.principle)}", "cyan"))
            indented(console, text(q.question.text), 4)
            command = f"voicemock practice --set {q.set_name} --question {q.question.id}"
            indented(console, text(command, "dim"), 4)
