"""Saved sessions on screen: the ``sessions list`` table and the markdown review.

Everything here reads records from :mod:`voicemock.storage` and the analysis document
stored with each answer (:class:`~voicemock.analysis.document.AnalysisDoc`, or ``None``
for an answer that was never analysed: failed, still recording, recovered empty).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from voicemock.render.verdicts import review_sentence
from voicemock.timing import fmt_clock

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.analysis.document import AnalysisDoc
    from voicemock.storage import AnswerGroup, AnswerRecord, Session, SessionSummary
    from voicemock.storage.stories import ToldStory

EMPTY_MESSAGE = "No sessions yet — run `voicemock practice`"


# -- list ------------------------------------------------------------------------------


def session_state(session: Session) -> str:
    """``complete``/``interrupted``, or for an ``active`` one: running now or left unfinished."""
    if session.status != "active":
        return session.status
    return "in progress" if session.running else "unfinished"


def local_time(when: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    from voicemock.storage.values import is_unknown

    if is_unknown(when):
        return "unknown time"  # the stored time could not be read
    return when.astimezone().strftime(fmt) if when else "-"


def render_session_list(
    console: Console, summaries: Sequence[SessionSummary], *, total: int | None = None
) -> None:
    """The newest sessions as a table; a hint when there are none or more than shown."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

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
            Text(session.set_name or "-"),  # the user's text: never markup
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

SeedLookup = Callable[["AnswerRecord"], Sequence[str]]


def session_markdown(
    session: Session,
    answers: Sequence[AnswerRecord],
    *,
    seeds: SeedLookup | None = None,
    stories: Mapping[int, ToldStory] | None = None,
) -> str:
    """A complete, readable review of a whole session: the overview, an interview's
    scorecard, the round summary, then per answer every finding (highlighted transcript,
    structure, the full list of numbers, advice), the question's own follow-ups, and each
    follow-up asked with its reply and whether it closed the gap."""
    from voicemock.storage import group_answers

    kind = "interview" if session.settings.get("mode") == "interview" else "session"
    title = f"# voicemock {kind} {session.id}"
    if session.set_name:
        title += f" — {_md(session.set_name)}"
    lines = [title, ""]
    when = local_time(session.started_at)
    if session.ended_at:
        when += f" to {local_time(session.ended_at, '%H:%M')}"
    facts = [when, f"status: {session_state(session)}"]
    if session.model:
        facts.append(f"model: {_md(session.model)}")
    lines += ["*" + " · ".join(facts) + "*", ""]
    groups = group_answers(answers)
    lines += _overview([g.main for g in groups], sum(len(g.replies) for g in groups))
    if session.scorecard:
        lines += _scorecard_section(session.scorecard)
    if groups:
        lines += ["", "## Round summary", "", *_summary_table(groups)]
    for number, group in enumerate(groups, 1):
        if lines[-1]:
            lines.append("")
        lines += _answer_section(
            group.main,
            seeds(group.main) if seeds is not None else (),
            number=number if any(g.replies for g in groups) else None,
            story=(stories or {}).get(group.main.id),
        )
        for number, reply in enumerate(group.replies, 1):
            if lines[-1]:
                lines.append("")
            lines += _reply_section(reply, number)
    return "\n".join(lines).rstrip() + "\n"


def _overview(answers: Sequence[AnswerRecord], replies: int = 0) -> list[str]:
    if not answers:
        return ["No answers were recorded in this session."]
    timed = [a for a in answers if a.duration_s is not None]
    text = f"{_plural(len(answers), 'answer')}"
    if timed:
        in_window = sum(a.in_window for a in timed)
        avg = sum(a.duration_s or 0.0 for a in timed) / len(timed)
        text += f", {in_window} of {len(timed)} in the target window, average {fmt_clock(avg)}"
    if replies:
        text += f"; {_plural(replies, 'follow-up')} answered"
    return [text + "."]


def _scorecard_section(data: Mapping[str, object]) -> list[str]:
    from voicemock.interview.scorecard import POINTS, SIGNAL_WHAT, SIGNALS, Scorecard

    card = Scorecard.from_dict(data)
    if card is None:
        return []
    lines = ["", "## Bar-raiser scorecard", ""]
    lines += [
        f"**Lean: {card.lean}** ({card.points} of {POINTS['strong'] * len(SIGNALS)} points)",
        "",
    ]
    if card.principles:
        lines += ["| # | Principle | Rating | Notes |", "|---|---|---|---|"]
        lines += [
            f"| {p.position} | {_cell(p.principle)} | {p.level} | {_cell(p.note)} |"
            for p in card.principles
        ]
        lines.append("")
    lines += ["| Signal | Rating | Feedback |", "|---|---|---|"]
    for s in card.signals:
        quotes = "; ".join(
            f"{'+' if q.good else '−'} “{_md(q.text)}” (question {q.position})" for q in s.quotes
        )
        feedback = s.summary + (f" {quotes}" if quotes else "")
        lines.append(f"| {s.title} ({SIGNAL_WHAT[s.signal]}) | {s.level} | {_cell(feedback)} |")
    if card.changes:
        lines += ["", "**The changes that would move it most:**", ""]
        lines += [f"{n}. {_md(change)}" for n, change in enumerate(card.changes, 1)]
    return lines


def _summary_table(groups: Sequence[AnswerGroup]) -> list[str]:
    from voicemock.render.practice import items_from_groups, summary_row

    lines = [
        "| # | Question | Length | Fillers/min | I:we | Numbers | Result has number |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in items_from_groups(groups):
        lines.append("| " + " | ".join(_cell(c) for c in summary_row(item)) + " |")
    return lines


def _answer_section(
    answer: AnswerRecord,
    seeds: Sequence[str] = (),
    *,
    number: int | None = None,
    story: ToldStory | None = None,
) -> list[str]:
    """A main answer; ``number`` is its question's number when replies share the
    session's answer numbers (the answer's own number is then given beside it)."""
    shown = answer.position if number is None else number
    lines = [f"## {shown}. {_md(_one_line(answer.question_text))}", ""]
    meta = [f"question `{_code(answer.question_id)}`", local_time(answer.started_at)]
    if number is not None:
        meta.insert(0, f"answer {answer.position}")
    lines += ["*" + " · ".join(meta) + "*", ""]
    if story is not None:
        lines += [f"**Story:** {_md(story.title)} (#{story.story_id}, {story.how})", ""]
    lines += _findings(answer, "###")
    if seeds:
        lines += ["### A bar raiser might follow up with", ""]
        lines += [f"- {_md(_one_line(seed))}" for seed in seeds]
        lines.append("")
    return lines


def _reply_section(reply: AnswerRecord, number: int) -> list[str]:
    lines = [
        f"### Follow-up {number} (answer {reply.position})",
        "",
        f"**Interviewer:** {_md(_one_line(reply.question_text))}",
        "",
    ]
    gap = reply.gap
    if gap:
        status = {"closed": "closed", "open": "still open"}.get(
            str(gap.get("status")), "not judged"
        )
        text = f"**Gap:** {_md(str(gap.get('label') or gap.get('kind')))} — {status}"
        if gap.get("quote"):
            text += f": “{_md(str(gap['quote']))}”"
        if gap.get("trigger"):
            text += f" (asked about “{_md(str(gap['trigger']))}”)"
        lines += [text, ""]
    return lines + _findings(reply, "####")


def _findings(answer: AnswerRecord, level: str) -> list[str]:
    """Status, facts, structure, highlighted transcript and advice of one answer."""
    a = answer.analysis
    lines: list[str] = []
    if answer.status == "interrupted":
        lines += ["*Recovered after an interruption: the recording may stop mid-sentence.*", ""]
    elif answer.status == "failed":
        lines += [f"*Not analysed: {_md(_one_line(answer.error or 'unknown error'))}*", ""]
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
        facts += _facts(a)
    if answer.overflow_count:
        facts.append(
            f"**Audio:** {_plural(answer.overflow_count, 'input overflow')}"
            " (some audio may be missing)"
        )
    lines += [f"- {f}" for f in facts]
    if facts:
        lines.append("")
    if a is not None:
        lines += _structure(a, level)

    transcript = answer.transcript or (a["transcript"].strip() if a is not None else "")
    if a is not None and (a["words"] or a["transcript"].strip()):
        lines += [f"{level} Transcript", "", MD_LEGEND, "", *_quote_md(highlighted(a)), ""]
    elif transcript:
        lines += [f"{level} Transcript", "", *_quote_md(_md(transcript)), ""]
    strengths = [_md(_one_line(x["text"])) for x in (a["strengths"] if a is not None else [])]
    if strengths:
        lines += [f"{level} What worked", "", *[f"- {x}" for x in strengths], ""]
    advice = [
        f"**{item['topic']}:** {_md(_one_line(item['text']))}"
        for item in (a["advice"] if a is not None else [])
        if item["text"].strip()
    ]
    if advice:
        lines += [f"{level} Advice", "", *[f"- {x}" for x in advice], ""]
    return lines


def _facts(a: AnalysisDoc) -> list[str]:
    facts: list[str] = []
    fillers = a["filler_summary"]
    text = f"**Filler words:** {fillers['count']}"
    if fillers["per_minute"] is not None:
        text += f" ({fillers['per_minute']:.1f} per minute)"
    ranked = sorted(fillers["by_text"].items(), key=lambda kv: (-kv[1], kv[0]))
    if ranked:
        text += ": " + ", ".join(f"“{_md(k)}” ×{v}" for k, v in ranked)
    hesitations = a["hesitations"]
    if hesitations:
        text += f"; {_plural(len(hesitations), 'unlabelled hesitation')}"
    facts.append(text)
    hedges = [_at(h["text"], h["start"]) for h in a["hedges"]]
    facts.append(f"**Hedges:** {len(hedges)}" + (" — " + ", ".join(hedges) if hedges else ""))
    ownership = a["ownership"]
    facts.append(f'**I : we:** {ownership["i_count"]} "I" to {ownership["we_count"]} "we"')
    if ownership["strong"]:
        owned = ", ".join(_at(x["phrase"], x["start"]) for x in ownership["strong"])
        facts.append(f"**Owned:** {owned}")
    if ownership["weak"]:
        shared = ", ".join(_at(x["phrase"], x["start"]) for x in ownership["weak"])
        facts.append(f"**Shared or weak:** {shared}")
    shown = [_md(_one_line(m["text"])) for m in a["metrics"] if m["text"].strip()]
    text = f"**Numbers:** {len(a['metrics'])}"
    if shown:
        text += " — " + ", ".join(shown)
    facts.append(text)
    facts.append(
        "**Result has a number:** " + ("yes" if a["structure"]["result_has_metric"] else "no")
    )
    delivery = a["delivery"]
    if delivery["wpm"] is not None:
        text = f"**Pace:** {delivery['wpm']:.0f} words per minute"
        windows = [w["wpm"] for w in delivery["wpm_by_30s"] or [] if w["wpm"]]
        if len(windows) > 1:
            text += f" (per 30 s: {min(windows):.0f}–{max(windows):.0f})"
        pauses = delivery["long_pauses"] or []
        if pauses:
            text += f"; {_plural(len(pauses), 'long pause')}: " + ", ".join(
                f"{p['duration']:.1f} s at {fmt_clock(p['start'])}" for p in pauses
            )
        facts.append(text)
    return facts


def _structure(a: AnalysisDoc, level: str) -> list[str]:
    structure = a["structure"]
    lines = [f"{level} Structure", ""]
    phases = structure["phases"]
    if phases:
        lines += ["| Phase | Time | Budget |", "|---|---|---|"]
        for phase in phases:
            seconds, budget = phase["duration_s"], phase["budget_s"]
            took = fmt_clock(seconds) if seconds is not None else f"{phase['word_count']} words"
            planned = f"{fmt_clock(budget[0])}–{fmt_clock(budget[1])}" if budget else "—"
            lines.append(f"| {phase['name']} | {took} | {planned} |")
        lines.append("")
    reasons = [_md(_one_line(r["text"])) for r in structure["reasons"]]
    lines.append(f"- **Lesson:** {'stated' if structure['has_lesson'] else 'missing'}")
    text = f"- **Reasons given:** {structure['because_count']}"
    if reasons:
        text += " — " + ", ".join(f"“{r}”" for r in reasons)
    lines.append(text)
    drops = [_at(d["text"], d["start"]) for d in structure["lp_name_drops"]]
    if drops:
        lines.append("- **Leadership Principles named as labels:** " + ", ".join(drops))
    return [*lines, ""]


MD_LEGEND = "*Legend:* **owned** · *shared or weak* · ~~filler~~ · `number` · ‹hedge›"
_MD_MARKS = {
    "strong": ("**", "**"),
    "weak": ("*", "*"),
    "filler": ("~~", "~~"),
    "metric": ("`", "`"),
    "hedge": ("‹", "›"),
}


def highlighted(doc: AnalysisDoc) -> str:
    """The transcript in Markdown, findings marked as :data:`MD_LEGEND` says (the same
    highlights as the terminal report, in Markdown's own emphasis)."""
    from voicemock.render.report import word_kinds

    words = [w["word"] for w in doc["words"]] or doc["transcript"].split()
    kinds = word_kinds(doc)
    parts: list[str] = []
    i = 0
    while i < len(words):
        kind = kinds[i] if i < len(kinds) else None
        j = i + 1
        while j < len(words) and j < len(kinds) and kinds[j] == kind and kind is not None:
            j += 1
        run = " ".join(words[i:j])
        if kind is None or kind not in _MD_MARKS:
            parts.append(_md(run))
        else:
            parts.append(_marked(run, *_MD_MARKS[kind], code=kind == "metric"))
        i = j
    return " ".join(parts)


_EDGE = re.compile(r"^([\"“‘'(\[]*)(.*?)([,.;:!?\"”’')\]]*)$", re.DOTALL)


def _marked(run: str, opening: str, closing: str, *, code: bool) -> str:
    """``opening + run + closing`` with the punctuation around the run left outside the
    marks (Markdown ignores ``**owned,**``)."""
    match = _EDGE.match(run)
    lead, core, trail = match.groups() if match else ("", run, "")
    if not core:
        return _md(run)
    inner = _code(core) if code else _md(core)
    return f"{_md(lead)}{opening}{inner}{closing}{_md(trail)}"


_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>#|])")


def _md(text: str) -> str:
    """User text in Markdown, never read as Markdown or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _code(text: str) -> str:
    return text.replace("`", "'")


def _cell(text: str) -> str:
    return _md(_one_line(text)).replace("\n", " ")


def _at(text: str, start: float | None) -> str:
    quoted = f"“{_md(_one_line(text))}”"
    return quoted if start is None else f"{quoted} at {fmt_clock(start)}"


_BLOCK_START = re.compile(r"^(\d+)([.)]\s)|^([-+=]\s)")


def _quote_md(text: str, width: int = 88) -> list[str]:
    """``text`` as a block quote wrapped at ``width``; a line that would start a list
    ("2. ", "- ") is escaped so it stays a line of the quote."""
    import textwrap

    lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    return ["> " + _BLOCK_START.sub(_escape_block, line) for line in lines]


def _escape_block(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}\\{match.group(2)}"
    return "\\" + match.group(3)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
