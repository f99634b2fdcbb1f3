"""``voicemock progress --html``: the progress trends as charts in one self-contained page.

One chart per tracked figure, one point per session (round), drawn as inline SVG by
:mod:`.charts`: fillers per minute (against "under 2 a minute"), length against the target
window, the share of results with a number, I:we (against "more I than we"), words per
minute (against the pace the trend judges by) and reasons per answer when the answers have
them. Above the charts, each figure first round against last; below, the rounds as a table
and, for one story or question, the attempts side by side with what changed.

The figures come from :mod:`voicemock.progress` (``Progress``, ``SERIES``: labels, which way
is better, getters and formats), so the page and ``voicemock progress`` always agree. Like
``voicemock report`` the page is Jinja2 with autoescaping (story titles, set names, question
texts and tags are text, never markup), its CSS is inline, and a Content-Security-Policy
forbids any fetch; it has no script at all, and its policy forbids one too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from voicemock.analysis.advice import FILLER_RATE_PER_MIN
from voicemock.analysis.timing import Target, fmt_clock
from voicemock.errors import VoicemockError
from voicemock.progress import PACE_BAND, SERIES, Series
from voicemock.render.html import charts
from voicemock.render.html.view import VERDICT_TEXT

if TYPE_CHECKING:
    from markupsafe import Markup

    from voicemock.progress import AnswerFigures, Attempt, Progress, SessionPoint, TrendLine

PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)
"""Nothing may be fetched and nothing may run: the page is HTML, inline CSS and SVG."""

CHART_WIDTH = 560
CHART_HEIGHT = 200


class NothingToChart(VoicemockError):
    """No answer matches: there is no point to draw (no page is written)."""


@dataclass(frozen=True)
class ChartSpec:
    """Which figure of :data:`voicemock.progress.SERIES` a chart draws, and how."""

    key: str
    title: str
    what: str
    """One sentence under the title: what a point is."""
    unit: str = ""
    optional: bool = False
    """Left out when no session has a value (reasons, on typed answers of old versions)."""
    exact_ticks: bool = False
    """Tick labels keep the digits the one-decimal format of the values would round away."""


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "fillers_per_min",
        "Fillers per minute",
        "All the round's fillers (um, uh, like…) over all its minutes.",
        "per min",
        exact_ticks=True,
    ),
    ChartSpec(
        "avg_duration_s",
        "Length against the window",
        "The round's average answer length; the band is the target window.",
    ),
    ChartSpec(
        "result_number_share",
        "Results with a number",
        "The share of the round's answers whose result has a number in it.",
    ),
    ChartSpec(
        "i_we_ratio",
        "I : we",
        "How many times you said “I” for each “we”: the interviewer is assessing you.",
        exact_ticks=True,
    ),
    ChartSpec("wpm", "Words per minute", "Speaking pace over the round's answers.", "wpm"),
    ChartSpec(
        "reasons_per_answer",
        "Reasons per answer",
        "Reasons given (“because”, “so that”) per answer, on average.",
        optional=True,
        exact_ticks=True,
    ),
)
"""The charts of the page, in order."""


# -- what the template gets --------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    label: str
    """Short, as the terminal says it: "Fillers/min"."""
    what: str
    svg: Markup
    points: int
    """Sessions with a value: the points drawn."""
    latest: str
    trend: str
    """First → last, as ``voicemock progress`` words it."""
    improved: bool | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionRow:
    session_id: int
    date: str
    sets: str
    principles: str
    answers: int
    length: str
    in_window: str
    fillers: str
    i_we: str
    result: str
    reasons: str
    wpm: str


@dataclass(frozen=True)
class AttemptRow:
    number: int
    date: str
    answer: str
    question: str
    length: str
    verdict: str
    fillers: str
    owned: str
    result: str
    reasons: str
    since_last: str
    improved: tuple[str, ...]
    worse: tuple[str, ...]


@dataclass(frozen=True)
class ProgressPage:
    html: str
    sessions: int
    answers: int
    charts: tuple[str, ...]
    """The keys of the charts drawn, in order."""


# -- building ----------------------------------------------------------------------------


def build_progress_page(
    progress: Progress, *, story_title: str | None = None, now: datetime | None = None
) -> ProgressPage:
    """The page for ``progress`` (from :func:`voicemock.progress.load` or ``build``).

    ``story_title`` names the story when the filter is one story. Raises
    :class:`NothingToChart` when no answer matches: a page without a point helps nobody.
    """
    from voicemock import __version__
    from voicemock.render.html.report import inline_static, jinja_environment
    from voicemock.render.progress import filter_words

    filters = filter_words(progress.filters)
    if not progress.answers:
        where = f" ({', '.join(filters)})" if filters else ""
        raise NothingToChart(
            f"no answers to chart{where}: practise with `voicemock practice` first "
            "(no page written)"
        )
    points = progress.sessions
    window = latest_window(progress.answers)
    chart_list = [
        chart
        for spec in CHARTS
        if (chart := build_chart(spec, points, progress.trend, progress.answers, window))
        is not None
    ]
    heading = "Progress"
    if story_title is not None:
        heading += f": {story_title}"
    title = f"voicemock · {heading}"
    noun = "telling" if progress.filters.story_id is not None else "attempt"
    css = inline_static("report.css") + inline_static("progress.css")
    html = (
        jinja_environment()
        .get_template("progress.html.j2")
        .render(
            heading=heading,
            title=title,
            csp=PAGE_CSP,
            css=css,
            version=__version__,
            generated_at=now or datetime.now(timezone.utc),
            filters=filters,
            story_title=story_title,
            sessions=len(points),
            answers=len(progress.answers),
            first=points[0].started_at,
            last=points[-1].started_at,
            charts=chart_list,
            rows=[session_row(p, progress.answers) for p in points],
            attempts=[attempt_row(a) for a in progress.attempts],
            noun=noun,
        )
    )
    return ProgressPage(html, len(points), len(progress.answers), tuple(c.key for c in chart_list))


def point_label(point: SessionPoint, *, with_year: bool = False) -> str:
    """The x label of a session: ``"#12 · 3 May"`` (local date)."""
    when = point.started_at.astimezone()
    date = f"{when.day} {when:%b}" + (f" {when.year}" if with_year else "")
    return f"#{point.session_id} · {date}"


def latest_window(answers: Sequence[AnswerFigures]) -> Target:
    """The window of the latest answer: the band of the length chart."""
    return max(answers, key=lambda a: (a.started_at, a.answer_id)).target


def _series(key: str) -> Series:
    return next(s for s in SERIES if s.key == key)


def _trend(lines: Sequence[TrendLine], key: str) -> TrendLine | None:
    return next((t for t in lines if t.key == key), None)


def exact_tick(value: float) -> str:
    """A tick label with one decimal, or more when one would round it: 0.5, 0.25, 1.0."""
    text = f"{value:.1f}"
    return text if abs(float(text) - value) < 1e-9 else f"{value:g}"


def clock_ticks(high: float) -> list[float]:
    """Round lengths from 0:00 to past ``high`` (every 30 s up to 2:00, else every minute)."""
    step = 30.0 if high <= 120 else 60.0
    return [i * step for i in range(math.ceil(high / step - 1e-9) + 1)]


def build_chart(
    spec: ChartSpec,
    points: Sequence[SessionPoint],
    lines: Sequence[TrendLine],
    answers: Sequence[AnswerFigures],
    window: Target,
) -> Chart | None:
    """One chart: the figure per session, with its band and notes (None: left out)."""
    series = _series(spec.key)
    values = [series.value(p) for p in points]
    known = [v for v in values if v is not None and math.isfinite(v)]
    if spec.optional and not known:
        return None
    years = {p.started_at.astimezone().year for p in points}
    with_year = len(years) > 1
    labelled = [
        (point_label(p, with_year=with_year), v) for p, v in zip(points, values, strict=True)
    ]
    notes: list[str] = []
    target: tuple[float, float] | None = None
    target_label = ""
    y_min: float | None = 0.0
    y_max: float | None = None
    ticks: list[float] | None = None
    if spec.key == "avg_duration_s":
        windows = {(a.target.min_s, a.target.max_s) for a in answers}
        target_label = f"window {fmt_clock(window.min_s)}–{fmt_clock(window.max_s)}"
        target = (window.min_s, window.max_s)
        ticks = clock_ticks(max([*known, window.max_s]))
        in_window = sum(p.in_window for p in points)
        timed = sum(p.timed for p in points)
        if timed:
            notes.append(f"{in_window} of {timed} timed answers landed in their window.")
        if len(windows) > 1:
            notes.append(
                f"The rounds used different windows: the band is the latest, {target_label}."
            )
    elif spec.key == "fillers_per_min":
        target = (0.0, FILLER_RATE_PER_MIN)
        target_label = f"under {FILLER_RATE_PER_MIN:g} a minute"
    elif spec.key == "result_number_share":
        y_max = 1.0
    elif spec.key == "i_we_ratio":
        y_max = charts.nice_ticks(0.0, max([*known, 2.0]))[-1]  # the band reaches the top
        target, target_label = (1.0, y_max), "more “I” than “we”"
        only_i = [p for p in points if p.we_count == 0 and p.i_count > 0]
        if only_i:
            which = ", ".join(f"#{p.session_id}" for p in only_i)
            rounds = "Round" if len(only_i) == 1 else "Rounds"
            notes.append(f"{rounds} {which}: “I” and never “we”, off this scale (not drawn).")
    elif spec.key == "wpm":
        low, high = PACE_BAND
        target, target_label = PACE_BAND, f"easy to follow: {low:.0f}–{high:.0f} wpm"
        y_min = None  # around the band, not from 0
    svg = charts.line_chart(
        labelled,
        title=spec.title,
        unit=spec.unit,
        target=target,
        target_label=target_label,
        y_min=y_min,
        y_max=y_max,
        ticks=ticks,
        value_format=series.fmt,
        tick_format=exact_tick if spec.exact_ticks else None,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        max_labels=6,
    )
    line = _trend(lines, spec.key)
    last = known[-1] if known else None
    return Chart(
        key=spec.key,
        title=spec.title,
        label=series.label,
        what=spec.what,
        svg=svg,
        points=len(known),
        latest="—" if last is None else series.fmt(last) + (f" {spec.unit}" if spec.unit else ""),
        trend=line.text if line is not None and len(known) > 1 else "",
        improved=line.improved if line is not None else None,
        notes=tuple(notes),
    )


def _opt(value: float | None, fmt: str = "{:.1f}") -> str:
    return "—" if value is None else fmt.format(value)


def session_row(point: SessionPoint, answers: Sequence[AnswerFigures]) -> SessionRow:
    """One session as the table shows it, with its sets and the principles practised."""
    from voicemock.questions import tag_label

    mine = [a for a in answers if a.session_id == point.session_id]
    sets = dict.fromkeys(a.set_name for a in mine if a.set_name)
    tags = dict.fromkeys(tag_label(t) for a in mine for t in a.tags)
    if point.we_count:
        i_we = _opt(point.i_we_ratio)
    else:
        i_we = f"{point.i_count}:0" if point.i_count else "—"
    return SessionRow(
        session_id=point.session_id,
        date=point.started_at.astimezone().strftime("%Y-%m-%d"),
        sets=", ".join(sets),
        principles=", ".join(tags),
        answers=point.answers,
        length=fmt_clock(point.avg_duration_s) if point.avg_duration_s is not None else "—",
        in_window=f"{point.in_window}/{point.timed}" if point.timed else "—",
        fillers=_opt(point.fillers_per_min),
        i_we=i_we,
        result=_opt(point.result_number_share, "{:.0%}"),
        reasons=_opt(point.reasons_per_answer),
        wpm=_opt(point.wpm, "{:.0f}"),
    )


def attempt_row(attempt: Attempt) -> AttemptRow:
    """One attempt at the question (or telling of the story), and what changed since."""
    f = attempt.figures
    since = attempt.since_last
    return AttemptRow(
        number=attempt.number,
        date=f.started_at.astimezone().strftime("%Y-%m-%d"),
        answer=f"{f.session_id}:{f.position}",
        question=f.question_text,
        length=fmt_clock(f.duration_s) if f.duration_s is not None else "—",
        verdict=VERDICT_TEXT.get(f.verdict or "", f.verdict or ""),
        fillers=_opt(f.fillers_per_min),
        owned="—" if f.owned is None else str(f.owned),
        result="—" if f.result_has_number is None else ("yes" if f.result_has_number else "no"),
        reasons="—" if f.reasons is None else str(f.reasons),
        since_last="" if since is None else since.headline(),
        improved=() if since is None else tuple(c.text for c in since.improved),
        worse=() if since is None else tuple(c.text for c in since.worse),
    )


__all__ = [
    "CHARTS",
    "PAGE_CSP",
    "Chart",
    "ChartSpec",
    "NothingToChart",
    "ProgressPage",
    "build_chart",
    "build_progress_page",
    "clock_ticks",
    "latest_window",
    "point_label",
]
