"""A practice round on the terminal: :class:`TerminalRoundView`, the question card, the
thinking countdown, the live line, the report after each answer (opening with what changed
for another attempt), the story prompt and the consistency notice, the offer to try again,
the interviewer's follow-ups and the replies, the round summary and an interview's
scorecard."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from voicemock import keys
from voicemock.render.live import LiveLine
from voicemock.render.verdicts import WORDING
from voicemock.timing import Target, fmt_clock

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from voicemock.analysis.document import AnalysisDoc
    from voicemock.env import Environment
    from voicemock.interview.scorecard import Scorecard
    from voicemock.practice.model import (
        AnswerOutcome,
        InterviewerMoment,
        RoundResult,
        StopReason,
    )
    from voicemock.progress import Comparison
    from voicemock.questions import Question
    from voicemock.storage import AnswerGroup
    from voicemock.stories.consistency import Difference
    from voicemock.stories.similarity import Suggestion
    from voicemock.storybank import Linked


class TerminalRoundView:
    """:class:`~voicemock.practice.view.RoundView` on the environment's streams.

    A terminal gets the countdown and the live line redrawn in place, a spinner while
    transcribing and colour (unless turned off); a pipe gets sparse plain lines. The
    round's progress goes to stdout, interruption notices to stderr.

    ``feedback_at_end`` (an interview): after each answer only a line saying it was saved;
    the feedback is the scorecard and the summary at the end, as in a real loop.
    """

    def __init__(
        self, env: Environment, console: Console, *, feedback_at_end: bool = False
    ) -> None:
        self.env = env
        self.console = console
        self.feedback_at_end = feedback_at_end
        self._live: LiveLine | None = None

    def recovered(self, line: str) -> None:
        self.env.err.write(line + "\n")
        self.env.err.flush()

    def question(
        self,
        question: Question,
        *,
        position: int,
        total: int,
        set_name: str,
        target: Target,
        attempt: int = 1,
    ) -> None:
        render_question(
            self.console,
            question,
            position=position,
            total=total,
            set_name=set_name,
            target=target,
            attempt=attempt,
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
        from rich.text import Text

        from voicemock.render.report import render_report
        from voicemock.render.scorecard import gap_line

        assert outcome.doc is not None
        color = not self.console.no_color
        gap = _gap_of(outcome)
        if self.feedback_at_end:
            doc = outcome.doc
            what = "Reply" if outcome.is_reply else "Answer"
            line = Text(f"{what} saved", style="bold" if color else "")
            if doc["duration_s"] is not None and doc["timing_verdict"] is not None:
                line.append(
                    f" ({fmt_clock(doc['duration_s'])}, {WORDING[doc['timing_verdict']].cell})"
                )
            line.append(". Feedback comes with the scorecard at the end.")
            self.console.print(line)
            return
        self.console.print()
        if outcome.since_last is not None:
            render_since_last(self.console, outcome.since_last, outcome.attempt)
            self.console.print()
        status = gap_line(gap, color=color) if outcome.is_reply else None
        if status is not None:
            self.console.print(status)
            self.console.print()
        record = outcome.record
        hint = (
            None
            if record is None
            else f"voicemock review {record.session_id} --answer {record.position} --all"
        )
        render_report(self.console, outcome.doc, question=not outcome.is_reply, more_hint=hint)
        if not outcome.is_reply:
            render_seeds(self.console, outcome.question.follow_ups)
        self.console.print()

    def story_suggestion(
        self,
        outcome: AnswerOutcome,  # noqa: ARG002 (the prompt follows its answer's report)
        best: Suggestion,
        *,
        threshold: float,
    ) -> None:
        render_story_suggestion(self.console, best, threshold)

    def story_choices(self, ranked: Sequence[Suggestion]) -> None:
        render_story_choices(self.console, ranked, self._threshold())

    def story_title(self) -> None:
        self.console.print("Title of the new story (Enter alone: back):", markup=False)

    def story_linked(self, outcome: AnswerOutcome, linked: Linked) -> None:  # noqa: ARG002
        render_story_linked(self.console, linked)

    def story_unlinked(
        self, outcome: AnswerOutcome, best: Suggestion | None, *, threshold: float
    ) -> None:
        from rich.text import Text

        record = outcome.record
        if best is None:
            line = Text("No story in your bank yet. Make this answer the first one: ")
            ref = f"{record.session_id}:{record.position}" if record is not None else "SESSION:N"
            line.append(f'voicemock stories add "TITLE" --from {ref}')
            self.console.print(line)
            return
        line = Text("Not linked to a story")
        if outcome.record is not None:
            line.append(f": the closest, {best.story_id} ")
            line.append(f"“{best.title}”", style="bold")
            line.append(f", scores {best.score:.2f} (below {threshold:.2f}). Link it later: ")
            line.append(
                f"voicemock stories link {outcome.record.session_id}:{outcome.record.position}"
                f" {best.story_id}"
            )
        line.append(".")
        self.console.print(line)

    def retry_offer(self, outcome: AnswerOutcome) -> None:  # noqa: ARG002
        from rich.text import Text

        line = Text(f"{keys.RETRY}", style="bold")
        line.append(": try this question again now · ")
        line.append("Enter", style="bold")
        line.append(": go on")
        self.console.print(line)

    @staticmethod
    def _threshold() -> float:
        from voicemock.stories.similarity import THRESHOLD

        return THRESHOLD

    def interviewer(self, text: str, *, moment: InterviewerMoment) -> None:
        from rich.text import Text

        color = not self.console.no_color
        self.console.print()
        line = Text("Interviewer: ", style="bold" if color else "")
        line.append(text, style="cyan" if color else "")
        self.console.print(line)
        if moment == "closing":
            self.console.print()

    def follow_up(self, outcome: AnswerOutcome) -> None:
        from voicemock.render.scorecard import follow_up_heading

        assert outcome.follow_up is not None
        target = outcome.target
        label = f"reply in {fmt_clock(target.min_s)}–{fmt_clock(target.max_s)}"
        self.console.print()
        self.console.print(
            follow_up_heading(
                outcome.number,
                outcome.follow_up.text,
                label=label,
                color=not self.console.no_color,
            )
        )
        self.console.print()

    def scorecard(self, card: Scorecard) -> None:
        from voicemock.render.scorecard import render_scorecard

        render_scorecard(self.console, card)

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
        self.console.print()
        render_round_summary(self.console, items_from_outcomes(result.outcomes), result.session_id)


def _gap_of(outcome: AnswerOutcome) -> dict[str, object] | None:
    follow_up = outcome.follow_up
    if follow_up is None or follow_up.gap is None:
        return None
    gap: dict[str, object] | None = follow_up.to_dict(outcome.check)["gap"]
    return gap


def render_seeds(console: Console, seeds: Sequence[str]) -> None:
    """The question's own follow-ups from its set: what a bar raiser might ask next."""
    if not seeds:
        return
    console.print()
    console.print("[bold]A bar raiser might follow up with[/]")
    for follow_up in seeds:
        console.print(f"  • {_escape(follow_up)}")


def render_saved(console: Console, session_id: int) -> None:
    console.print(
        f"Saved as session {session_id}. Review it any time: voicemock review {session_id}"
    )
    console.print(f"See it and hear it: voicemock report {session_id} --open")


def stopped_message(reason: StopReason | None, duration_s: float, target: Target) -> str:
    """Rich markup: why and after how long recording stopped."""
    length = fmt_clock(duration_s)
    if reason == "cap":
        return f"[bold red]Stopped at the {fmt_clock(target.cap_s)} cap[/] — recorded {length}."
    if reason == "end_of_file":
        return f"Answer file finished — recorded {length}."
    if reason == "device":
        return f"[yellow]The microphone stopped[/] — recorded {length}."
    if reason == "disk_full":
        return (
            f"[bold red]Disk full[/] — recording stopped at {length}; what you said so far is kept."
        )
    if reason == "write_failed":
        return (
            f"[bold red]The recording could not be written[/] — it stopped at {length}; what you"
            " said so far is kept."
        )
    return f"Recorded {length}."


def render_since_last(console: Console, since: Comparison, attempt: int) -> None:
    """What changed against the previous attempt: the headline, then each figure."""
    from rich.text import Text

    color = not console.no_color
    head = Text("What changed", style="bold" if color else "")
    head.append(f" — {since.headline(attempt)}")
    console.print(head)
    for change in since.changes:
        mark = {True: "+", False: "-", None: "="}[change.better]
        style = {True: "green", False: "red", None: "dim"}[change.better] if color else ""
        line = Text(f"  {mark} ", style=style)
        line.append(change.detail)
        console.print(line)


def render_story_suggestion(console: Console, best: Suggestion, threshold: float) -> None:
    """The best story for the answer with its score, then the keys."""
    from rich.text import Text

    color = not console.no_color
    console.print()
    likely = best.score >= threshold
    line = Text("Story: " if likely else "Closest story: ", style="bold" if color else "")
    line.append(f"{best.story_id} ")
    line.append(f"“{best.title}”", style="bold cyan" if color else "")
    line.append(f"  score {best.score:.2f}", style="green" if likely and color else "")
    line.append(f" ({'at or above' if likely else 'below'} {threshold:.2f})", style="dim")
    console.print(line)
    choices = [
        ("Enter" if likely else keys.LINK, "link it"),
        ("a number", "another story"),
        (keys.LIST, "list them"),
        (keys.NEW, "new story"),
        (keys.SKIP if likely else "Enter", "skip"),
    ]
    console.print(_keys_line(choices, color))


def _keys_line(choices: Sequence[tuple[str, str]], color: bool) -> Text:
    from rich.text import Text

    line = Text()
    for n, (key, what) in enumerate(choices):
        if n:
            line.append(" · ")
        line.append(key, style="bold" if color else "")
        line.append(f": {what}")
    return line


def render_story_choices(console: Console, ranked: Sequence[Suggestion], threshold: float) -> None:
    from rich.text import Text

    for s in ranked:
        line = Text(f"  {s.story_id:>3}  ")
        line.append(s.title)
        line.append(f"  {s.score:.2f}", style="green" if s.score >= threshold else "dim")
        console.print(line)
    console.print("Type a story's number (Enter alone: back):", markup=False)


KIND_WORDS = {"manual": "by you", "automatic": "automatic", "created": "a new story"}


def render_story_linked(console: Console, linked: Linked) -> None:
    """The link, then the consistency notice: each difference with both quotes, dated."""
    from rich.text import Text

    color = not console.no_color
    link = linked.link
    line = Text(f"Linked to story {linked.story.id} ")
    line.append(f"“{linked.story.title}”", style="bold" if color else "")
    how = KIND_WORDS.get(link.kind, link.kind)
    if link.kind == "automatic" and link.score is not None:
        how += f", score {link.score:.2f}"
    line.append(f" ({how}).")
    console.print(line)
    if linked.differences:
        render_consistency(console, linked.differences)


def render_consistency(console: Console, diffs: Sequence[Difference]) -> None:
    """ "Earlier (12 May) you said '…'; now '…'", for each way this telling differs."""
    from rich.text import Text

    from voicemock.render.stories import indented

    color = not console.no_color
    noun = "way" if len(diffs) == 1 else "ways"
    head = Text("! ", style="bold yellow" if color else "")
    head.append(
        f"This telling differs from an earlier one in {len(diffs)} {noun}:",
        style="yellow" if color else "",
    )
    console.print(head)
    for d in diffs:
        line = Text(f"  {d.kind}: ", style="bold" if color else "")
        line.append(d.summary)
        console.print(line)
        earlier, later = d.earlier, d.later
        when = _day(earlier.when)
        if earlier.label == "the summary":
            said = Text(f"Your summary{f' ({when})' if when else ''}")
            verb = " says "
        else:
            where = ", ".join(x for x in (when, earlier.label) if x)
            said = Text(f"Earlier ({where})")
            verb = " you said "
        before, after = _said(earlier.text), _said(later.text)
        said.append(verb + before if before.startswith("“") else ": " + before)
        said.append("; now " + after + ".")
        indented(console, said, 4)


def _said(text: str) -> str:
    """A quote in quotation marks; what the telling lacked ("(no result)") as words."""
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1]
    return f"“{text}”"


def _day(when: datetime | None) -> str:
    """ "12 May", with the year when it is not this one."""
    from voicemock.storage.values import is_unknown

    if when is None or is_unknown(when):
        return ""
    local = when.astimezone()
    now = datetime.now().astimezone()
    text = f"{local.day} {local:%b}"
    return text if local.year == now.year else f"{text} {local.year}"


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
    attempt: int = 1,
) -> None:
    from rich.text import Text

    from voicemock.progress import ordinal
    from voicemock.questions import tag_label

    console.print()
    header = Text(f"Question {position} of {total}", style="bold")
    if attempt > 1:
        header.append(f", {ordinal(attempt)} attempt", style="bold")
    details = [set_name]
    if question.tags:
        details.append(", ".join(tag_label(t) for t in question.tags[:3]))
    details.append(f"aim for {fmt_clock(target.min_s)}–{fmt_clock(target.max_s)}")
    header.append("  · " + " · ".join(details), style="dim")
    console.print(header)
    console.print(Text(question.text, style="bold cyan"))
    console.print()


@dataclass(frozen=True)
class SummaryItem:
    """One row of the round summary: a main answer, or a reply under it."""

    label: str
    """The answer's number in the round, or ``↳`` for a reply."""
    text: str
    """The question, or the follow-up question for a reply."""
    doc: AnalysisDoc | None
    problem: str
    """Why there is no analysis (``interrupted``, ``no speech detected``…)."""
    follow_up: str = ""
    """Main answer: how many follow-ups; reply: ``closed``/``open`` (or empty)."""
    is_reply: bool = False


def items_from_outcomes(outcomes: Sequence[AnswerOutcome]) -> list[SummaryItem]:
    """Summary rows for a round just run: each main answer, then its replies."""
    items: list[SummaryItem] = []
    for outcome in outcomes:
        label = str(outcome.position)
        if outcome.retry and outcome.attempt > 1:
            label += f" ({_nth(outcome.attempt)})"
        items.append(_item(label, outcome, len(outcome.replies)))
        items += [_item("↳", reply, 0) for reply in outcome.replies]
    return items


def _nth(n: int) -> str:
    """2 -> "2nd", 11 -> "11th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _item(label: str, outcome: AnswerOutcome, asked: int) -> SummaryItem:
    problem = outcome.error or ("interrupted" if outcome.record else "not recorded")
    status = ""
    if outcome.is_reply:
        status = outcome.check.status if outcome.check is not None else ""
    elif asked:
        status = f"{asked} asked"
    return SummaryItem(label, outcome.text, outcome.doc, problem, status, outcome.is_reply)


def items_from_groups(groups: Sequence[AnswerGroup]) -> list[SummaryItem]:
    """Summary rows for a saved session (``voicemock review``)."""
    items: list[SummaryItem] = []
    for group in groups:
        main = group.main
        asked = f"{len(group.replies)} asked" if group.replies else ""
        items.append(
            SummaryItem(
                str(main.position),
                main.question_text,
                main.analysis,
                main.error or main.status,
                asked,
                main.is_reply,
            )
        )
        for reply in group.replies:
            gap = reply.gap or {}
            status = gap.get("status")
            items.append(
                SummaryItem(
                    "↳",
                    reply.question_text,
                    reply.analysis,
                    reply.error or reply.status,
                    status if isinstance(status, str) else "",
                    True,
                )
            )
    return items


def summary_row(item: SummaryItem) -> list[str]:
    """Cells for one row: #, question, duration vs window, fillers/min, I:we, numbers,
    result has a number. A reply's question cell starts with its gap status."""
    doc = item.doc
    text = item.text
    if item.is_reply:
        text = _REPLY_PREFIX.get(item.follow_up, "follow-up") + ": " + text
    short = text if len(text) <= 48 else text[:47].rstrip() + "…"
    if doc is None:
        return [item.label, short, item.problem, "", "", "", ""]
    duration, verdict = doc["duration_s"], doc["timing_verdict"]
    cell = WORDING[verdict].cell if verdict is not None else ""
    timing = f"{fmt_clock(duration)} {cell}" if duration is not None else "—"
    fillers = doc["filler_summary"]["per_minute"]
    own = doc["ownership"]
    i_we = f"{own['i_count']}:{own['we_count']}"
    if own["i_we_ratio"] is not None:
        i_we += f" ({own['i_we_ratio']:.1f})"
    return [
        item.label,
        short,
        timing,
        f"{fillers:.1f}" if fillers is not None else "—",
        i_we,
        str(len(doc["metrics"])),
        "yes" if doc["structure"]["result_has_metric"] else "no",
    ]


def render_round_summary(
    console: Console,
    rows: Sequence[SummaryItem] | Sequence[AnswerOutcome],
    session_id: int | None = None,
) -> None:
    """The table comparing the round's answers (replies under their main answer); with
    ``session_id``, the lines saying where it was saved and how to see it again."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    items = [r for r in rows if isinstance(r, SummaryItem)]
    items += items_from_outcomes([r for r in rows if not isinstance(r, SummaryItem)])
    table = Table(
        title="Round summary",
        box=box.SIMPLE_HEAVY if not console.no_color else box.ASCII,
        title_justify="left",
        show_edge=False,
    )
    narrow = console.width < NARROW_BELOW
    columns = [
        ("#", "right"),
        ("Question", "left"),
        ("Length", "left"),
        ("Fill/min" if narrow else "Fillers/min", "right"),
        ("I:we", "right"),
        ("Nums" if narrow else "Numbers", "right"),
        ("Result#" if narrow else "Result has number", "left"),
    ]
    for name, justify in columns:
        if name == "Question":  # the one column worth its width on a narrow terminal
            table.add_column(name, justify="left", min_width=16, ratio=1)
        else:
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for item in items:
        row = summary_row(item)
        if narrow:
            row[4] = row[4].split(" (")[0]  # I:we without the ratio
        verdict = item.doc["timing_verdict"] if item.doc is not None else None
        style = WORDING[verdict].row_style if verdict is not None else None
        if item.is_reply:
            style = "dim" if not console.no_color and style is None else style
        cells = [Text(cell) for cell in row]  # the question is the user's text: never markup
        table.add_row(*cells, style=style)
    console.print(table)
    if session_id is not None:
        render_saved(console, session_id)


NARROW_BELOW = 100
"""Below this many columns the summary's headers are short and I:we has no ratio, so the
question keeps room to be read."""

_REPLY_PREFIX = {"closed": "gap closed", "open": "gap open"}
"""How a reply's row starts, by the status of the gap its follow-up probed."""
