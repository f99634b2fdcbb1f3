"""The feedback report for one answer, rendered from the analysis document.

Works from the document only (:class:`~voicemock.analysis.document.AnalysisDoc`: what
``voicemock analyze --json`` prints and what the database stores), so a report looks the
same right after the answer and in a later review.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from voicemock.analysis.document import AnalysisDoc, Location
from voicemock.render.verdicts import WORDING, report_gap
from voicemock.timing import fmt_clock

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# kind -> (rich style, plain-text opening marker, closing marker, legend label)
MARKS: dict[str, tuple[str, str, str, str]] = {
    "filler": ("bold red", "{", "}", "filler"),
    "weak": ("bold magenta", "_", "_", "shared/weak ownership"),
    "strong": ("bold green", "*", "*", "owned"),
    "hedge": ("yellow", "<", ">", "hedge"),
    "metric": ("bold cyan", "[", "]", "number"),
}
PRIORITY = ["filler", "weak", "strong", "hedge", "metric"]


def word_kinds(doc: AnalysisDoc) -> list[str | None]:
    """The highlight kind of every word (highest priority wins), from the findings."""
    n = len(doc["words"]) or len(doc["transcript"].split())
    kinds: list[str | None] = [None] * n
    sources: dict[str, Sequence[Location]] = {
        "filler": doc["fillers"],
        "weak": doc["ownership"]["weak"],
        "strong": doc["ownership"]["strong"],
        "hedge": doc["hedges"],
        "metric": doc["metrics"],
    }
    for kind in reversed(PRIORITY):  # lower priority first, overwritten by higher
        for item in sources[kind]:
            first = item["word_index"]
            for i in range(max(first, 0), min(first + (item["word_count"] or 1), n)):
                kinds[i] = kind
    return kinds


def transcript_text(doc: AnalysisDoc, *, color: bool) -> Text:
    """The transcript with findings highlighted (styles) or marked (ASCII brackets)."""
    from rich.text import Text

    words = [w["word"] for w in doc["words"]] or doc["transcript"].split()
    kinds = word_kinds(doc)
    text = Text()
    i = 0
    while i < len(words):
        kind = kinds[i] if i < len(kinds) else None
        j = i + 1
        while j < len(words) and j < len(kinds) and kinds[j] == kind and kind is not None:
            j += 1
        run = " ".join(words[i:j])
        if i:
            text.append(" ")
        if kind is None:
            text.append(run)
        elif color:
            text.append(run, style=MARKS[kind][0])
        else:
            _, opening, closing, _ = MARKS[kind]
            text.append(f"{opening}{run}{closing}")
        i = j
    return text


def legend(*, color: bool) -> Text:
    from rich.text import Text

    text = Text("Legend: ", style="dim")
    for n, kind in enumerate(PRIORITY):
        style, opening, closing, label = MARKS[kind]
        if n:
            text.append("  ")
        if color:
            text.append(label, style=style)
        else:
            text.append(f"{opening}{label}{closing}")
    return text


def at(seconds: float | None) -> str:
    """`` at 1:05`` for a time, empty for a typed transcript."""
    return "" if seconds is None else f" at {fmt_clock(seconds)}"


def quoted(items: Sequence[tuple[str, float | None]], limit: int = 4) -> str:
    """``“text” at 0:12, “other”, +2 more`` from (text, start) pairs."""
    parts = [f"“{text}”{at(start)}" for text, start in items[:limit]]
    if len(items) > limit:
        parts.append(f"+{len(items) - limit} more")
    return ", ".join(parts)


def render_report(console: Console, doc: AnalysisDoc, *, transcript: bool = True) -> None:
    """Print the full report: question, highlighted transcript, verdicts and advice."""
    from rich.text import Text

    color = not console.no_color
    question = doc["question"]
    if question:
        console.print(Text.assemble(("Question: ", "bold"), question))
        console.print()
    if transcript:
        console.print(Text("Transcript", style="bold"))
        console.print(transcript_text(doc, color=color))
        console.print(legend(color=color))
        console.print()
    for label, value in summary_lines(doc):
        line = Text.assemble((f"{label:<10}", "bold"))
        line.append_text(value)
        console.print(line)
    advice = doc["advice"]
    if advice:
        console.print()
        console.print(Text("Advice", style="bold"))
        for n, item in enumerate(advice, 1):
            console.print(Text(f"{n:>2}. {item['text']}"))


def summary_lines(doc: AnalysisDoc) -> list[tuple[str, Text]]:
    """(label, text) per finding, for the report and for round summaries."""
    from rich.text import Text

    lines: list[tuple[str, Text]] = []
    duration, verdict, timing = doc["duration_s"], doc["timing_verdict"], doc["timing"]
    if duration is not None and verdict is not None:
        gap = timing["seconds_to_window"] if timing is not None else 0.0
        text = Text(fmt_clock(duration) + "  ")
        text.append(WORDING[verdict].label, style=WORDING[verdict].style)
        text.append(report_gap(verdict, gap, doc["target"]))
        lines.append(("Timing", text))
    else:
        lines.append(("Timing", Text("unavailable for a typed transcript", style="dim")))

    summary = doc["filler_summary"]
    text = Text(f"{summary['count']}")
    per_minute = summary["per_minute"]
    if per_minute is not None:
        text.append(f" ({per_minute:.1f}/min)")
    by_text = summary["by_text"]
    if by_text:
        ranked = sorted(by_text.items(), key=lambda kv: (-kv[1], kv[0]))
        text.append(": " + ", ".join(f"“{k}” ×{v}" for k, v in ranked[:6]))
    hesitations = doc["hesitations"]
    if hesitations:
        text.append(f"; {len(hesitations)} unlabelled hesitation(s)")
    lines.append(("Fillers", text))

    hedges = [(h["text"], h["start"]) for h in doc["hedges"]]
    lines.append(("Hedges", Text(f"{len(hedges)}" + (": " + quoted(hedges) if hedges else ""))))

    own = doc["ownership"]
    text = Text(f"I ×{own['i_count']}, we ×{own['we_count']}")
    ratio = own["i_we_ratio"]
    if ratio is not None:
        text.append(f" (I:we {ratio:.1f})")
    if own["strong"]:
        strong = [(a["phrase"], a["start"]) for a in own["strong"]]
        text.append("; owned: " + quoted(strong, 3), style="green")
    if own["weak"]:
        weak = [(a["phrase"], a["start"]) for a in own["weak"]]
        text.append("; shared/weak: " + quoted(weak, 3), style="magenta")
    lines.append(("Ownership", text))

    metrics = doc["metrics"]
    structure = doc["structure"]
    text = Text(f"{len(metrics)}")
    if metrics:
        text.append(
            ": " + ", ".join(f"{m['text']} ({m['kind']}){at(m['start'])}" for m in metrics[:5])
        )
        if len(metrics) > 5:
            text.append(f", +{len(metrics) - 5} more")
    if structure["result_has_metric"]:
        text.append("; the result has a number", style="green")
    else:
        text.append("; the result has no number", style="yellow")
    lines.append(("Numbers", text))

    phases = structure["phases"]
    if phases:
        parts = []
        for phase in phases:
            part: str = phase["name"]
            seconds, budget = phase["duration_s"], phase["budget_s"]
            if seconds is not None:
                part += f" {fmt_clock(seconds)}"
                if budget:
                    part += f" (budget {fmt_clock(budget[0])}–{fmt_clock(budget[1])})"
            parts.append(part)
        lines.append(("Structure", Text(" → ".join(parts))))
    extra = [
        f"lesson {'stated' if structure['has_lesson'] else 'missing'}",
        f"{structure['because_count']} reason(s) given",
    ]
    drops = [(d["text"], d["start"]) for d in structure["lp_name_drops"]]
    if drops:
        extra.append("LP named as a label: " + quoted(drops, 3))
    lines.append(("", Text("; ".join(extra))))

    delivery = doc["delivery"]
    wpm = delivery["wpm"]
    if wpm is not None:
        text = Text(f"{wpm:.0f} words/min")
        windows = [w["wpm"] for w in delivery["wpm_by_30s"] or [] if w["wpm"]]
        if len(windows) > 1:
            text.append(f" (per 30 s: {min(windows):.0f}–{max(windows):.0f})")
        pauses = delivery["long_pauses"] or []
        if pauses:
            shown = ", ".join(f"{p['duration']:.1f} s{at(p['start'])}" for p in pauses[:4])
            text.append(f"; {len(pauses)} long pause(s): {shown}")
        lines.append(("Delivery", text))
    else:
        words = delivery["word_count"]
        lines.append(("Delivery", Text(f"{words} words; pace unavailable for a typed transcript")))
    return lines
