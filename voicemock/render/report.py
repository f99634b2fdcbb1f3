"""The feedback report for one answer, rendered from the analysis document.

Works from the JSON-able dict only (what ``voicemock analyze --json`` prints and what the
database stores), so a report looks the same right after the answer and in a later review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from voicemock.timing import fmt_clock

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Doc = Mapping[str, Any]

# kind -> (rich style, plain-text opening marker, closing marker, legend label)
MARKS: dict[str, tuple[str, str, str, str]] = {
    "filler": ("bold red", "{", "}", "filler"),
    "weak": ("bold magenta", "_", "_", "shared/weak ownership"),
    "strong": ("bold green", "*", "*", "owned"),
    "hedge": ("yellow", "<", ">", "hedge"),
    "metric": ("bold cyan", "[", "]", "number"),
}
PRIORITY = ["filler", "weak", "strong", "hedge", "metric"]

VERDICT_TEXT = {
    "short": "short",
    "on_target": "on target",
    "long": "long",
    "over_cap": "over the cap",
}
VERDICT_STYLE = {"short": "yellow", "on_target": "green", "long": "yellow", "over_cap": "bold red"}


def word_kinds(doc: Doc) -> list[str | None]:
    """The highlight kind of every word (highest priority wins), from the findings."""
    n = len(doc.get("words") or [])
    if n == 0:
        n = len(str(doc.get("transcript", "")).split())
    kinds: list[str | None] = [None] * n
    sources: dict[str, Iterable[Mapping[str, Any]]] = {
        "filler": doc.get("fillers") or [],
        "weak": (doc.get("ownership") or {}).get("weak") or [],
        "strong": (doc.get("ownership") or {}).get("strong") or [],
        "hedge": doc.get("hedges") or [],
        "metric": doc.get("metrics") or [],
    }
    for kind in reversed(PRIORITY):  # lower priority first, overwritten by higher
        for item in sources[kind]:
            first = item.get("word_index")
            count = item.get("word_count") or 1
            if not isinstance(first, int):
                continue
            for i in range(max(first, 0), min(first + int(count), n)):
                kinds[i] = kind
    return kinds


def transcript_text(doc: Doc, *, color: bool) -> Text:
    """The transcript with findings highlighted (styles) or marked (ASCII brackets)."""
    from rich.text import Text

    words = [str(w.get("word", "")) for w in doc.get("words") or []]
    if not words:
        words = str(doc.get("transcript", "")).split()
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


def at(seconds: Any) -> str:
    """`` at 1:05`` for a time, empty for a typed transcript."""
    return f" at {fmt_clock(float(seconds))}" if isinstance(seconds, (int, float)) else ""


def quoted(items: Sequence[Mapping[str, Any]], key: str, limit: int = 4) -> str:
    parts = [f"“{item.get(key, '')}”{at(item.get('start'))}" for item in items[:limit]]
    if len(items) > limit:
        parts.append(f"+{len(items) - limit} more")
    return ", ".join(parts)


def render_report(console: Console, doc: Doc, *, transcript: bool = True) -> None:
    """Print the full report: question, highlighted transcript, verdicts and advice."""
    from rich.text import Text

    color = not console.no_color
    question = doc.get("question")
    if question:
        console.print(Text.assemble(("Question: ", "bold"), str(question)))
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
    advice = doc.get("advice") or []
    if advice:
        console.print()
        console.print(Text("Advice", style="bold"))
        for n, item in enumerate(advice, 1):
            console.print(Text(f"{n:>2}. {item.get('text', '')}"))


def summary_lines(doc: Doc) -> list[tuple[str, Text]]:
    """(label, text) per finding, for the report and for round summaries."""
    from rich.text import Text

    lines: list[tuple[str, Text]] = []
    target = doc.get("target") or {}
    window = ""
    if target:
        window = (
            f"{fmt_clock(target['min_s'])}–{fmt_clock(target['max_s'])} window, "
            f"cap {fmt_clock(target['cap_s'])}"
        )
    duration = doc.get("duration_s")
    verdict = str(doc.get("timing_verdict") or "")
    if isinstance(duration, (int, float)) and verdict:
        timing = doc.get("timing") or {}
        gap = float(timing.get("seconds_to_window") or 0)
        text = Text(fmt_clock(duration) + "  ")
        text.append(VERDICT_TEXT.get(verdict, verdict), style=VERDICT_STYLE.get(verdict, ""))
        if verdict == "short":
            text.append(f" — {gap:.0f} s before the window opens ({window})")
        elif verdict in ("long", "over_cap"):
            text.append(f" — {gap:.0f} s past the window ({window})")
        else:
            text.append(f" — inside the {window}")
        lines.append(("Timing", text))
    else:
        lines.append(("Timing", Text("unavailable for a typed transcript", style="dim")))

    summary = doc.get("filler_summary") or {}
    count = int(summary.get("count") or 0)
    by_text = summary.get("by_text") or {}
    text = Text(f"{count}")
    per_minute = summary.get("per_minute")
    if isinstance(per_minute, (int, float)):
        text.append(f" ({per_minute:.1f}/min)")
    if by_text:
        ranked = sorted(by_text.items(), key=lambda kv: (-kv[1], kv[0]))
        text.append(": " + ", ".join(f"“{k}” ×{v}" for k, v in ranked[:6]))
    hesitations = doc.get("hesitations")
    if hesitations:
        text.append(f"; {len(hesitations)} unlabelled hesitation(s)")
    lines.append(("Fillers", text))

    hedges = doc.get("hedges") or []
    lines.append(
        ("Hedges", Text(f"{len(hedges)}" + (": " + quoted(hedges, "text") if hedges else "")))
    )

    own = doc.get("ownership") or {}
    text = Text(f"I ×{own.get('i_count', 0)}, we ×{own.get('we_count', 0)}")
    ratio = own.get("i_we_ratio")
    if isinstance(ratio, (int, float)):
        text.append(f" (I:we {ratio:.1f})")
    if own.get("strong"):
        text.append("; owned: " + quoted(own["strong"], "phrase", 3), style="green")
    if own.get("weak"):
        text.append("; shared/weak: " + quoted(own["weak"], "phrase", 3), style="magenta")
    lines.append(("Ownership", text))

    metrics = doc.get("metrics") or []
    structure = doc.get("structure") or {}
    text = Text(f"{len(metrics)}")
    if metrics:
        text.append(
            ": "
            + ", ".join(
                f"{m.get('text')} ({m.get('kind')}){at(m.get('start'))}" for m in metrics[:5]
            )
        )
        if len(metrics) > 5:
            text.append(f", +{len(metrics) - 5} more")
    if structure:
        if structure.get("result_has_metric"):
            text.append("; the result has a number", style="green")
        else:
            text.append("; the result has no number", style="yellow")
    lines.append(("Numbers", text))

    phases = structure.get("phases") or []
    if phases:
        parts = []
        for phase in phases:
            part = str(phase.get("name"))
            seconds = phase.get("duration_s")
            budget = phase.get("budget_s")
            if isinstance(seconds, (int, float)):
                part += f" {fmt_clock(seconds)}"
                if budget:
                    part += f" (budget {fmt_clock(budget[0])}–{fmt_clock(budget[1])})"
            parts.append(part)
        lines.append(("Structure", Text(" → ".join(parts))))
    extra = []
    if structure:
        extra.append(f"lesson {'stated' if structure.get('has_lesson') else 'missing'}")
        extra.append(f"{structure.get('because_count', 0)} reason(s) given")
        drops = structure.get("lp_name_drops") or []
        if drops:
            extra.append("LP named as a label: " + quoted(drops, "text", 3))
        lines.append(("", Text("; ".join(extra))))

    delivery = doc.get("delivery") or {}
    wpm = delivery.get("wpm")
    if isinstance(wpm, (int, float)):
        text = Text(f"{wpm:.0f} words/min")
        windows = [w["wpm"] for w in delivery.get("wpm_by_30s") or [] if w.get("wpm")]
        if len(windows) > 1:
            text.append(f" (per 30 s: {min(windows):.0f}–{max(windows):.0f})")
        pauses = delivery.get("long_pauses") or []
        if pauses:
            shown = ", ".join(f"{p['duration']:.1f} s{at(p['start'])}" for p in pauses[:4])
            text.append(f"; {len(pauses)} long pause(s): {shown}")
        lines.append(("Delivery", text))
    else:
        words = delivery.get("word_count")
        lines.append(("Delivery", Text(f"{words} words; pace unavailable for a typed transcript")))
    return lines
