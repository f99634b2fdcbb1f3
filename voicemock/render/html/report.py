"""``voicemock report``: one self-contained HTML file per session (or answer).

The page holds everything: its CSS and JavaScript inline, each recording embedded as
compressed Ogg/Opus in a ``data:`` URL, charts as inline SVG. A Content-Security-Policy
forbids any fetch, so it opens the same from ``file://``, from a mail attachment or from
a web server, and never touches the network. Templates are Jinja2 with autoescaping on:
transcripts, question texts and set names are text, never markup; the only markup that
is not escaped is our own (the stylesheet, the script and the SVG the chart helpers build
with escaped labels).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicemock.analysis.advice import FAST_WPM, SLOW_WPM
from voicemock.analysis.timing import fmt_clock
from voicemock.render.html import charts
from voicemock.render.html.view import (
    KINDS,
    VERDICT_TEXT,
    Answer,
    Clip,
    SessionView,
    Timing,
    clock,
    read_session,
)

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

CSP = (
    "default-src 'none'; media-src data: blob:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)
"""Nothing may be fetched: media only from data:/blob: URLs, style and script inline."""

PACE_BAND = (SLOW_WPM, FAST_WPM)
"""Words per minute shown as the comfortable band: neither slow nor fast for the advice."""


@dataclass(frozen=True)
class Media:
    """What the player of one clip gets: the embedded recording, or why there is none."""

    data_url: str | None = None
    note: str = ""
    size: int = 0
    codec: str = ""


@dataclass(frozen=True)
class Report:
    html: str
    answers: int
    audio_clips: int
    audio_bytes: int
    """Compressed audio embedded (before base64)."""
    problems: list[str] = field(default_factory=list)
    """One line per recording that could not be embedded."""


def build_report(
    session: Mapping[str, Any],
    answers: Sequence[Mapping[str, Any]],
    *,
    audio: bool = True,
    only_answer: int | None = None,
    now: datetime | None = None,
    workers: int | None = None,
) -> Report:
    """The report page for ``session`` (``Session.to_dict()``) and its ``answers``
    (``AnswerRecord.to_dict()`` each, optionally with ``follow_ups``; see
    :mod:`voicemock.render.html.view`). ``audio=False`` leaves the recordings out."""
    from voicemock import __version__

    view = read_session(session, answers)
    clips = [c for a in view.answers for c in _clips(a)]
    media, problems = _media(clips, audio=audio, workers=workers)
    heading = f"Session {view.id}" if view.id is not None else "Practice session"
    if only_answer is not None:
        heading += f", answer {only_answer}"
    title = f"voicemock · {heading}" + (f" · {view.set_name}" if view.set_name else "")
    html = (
        jinja_environment()
        .get_template("report.html.j2")
        .render(
            session=view,
            media=media,
            heading=heading,
            title=title,
            csp=CSP,
            css=inline_static("report.css"),
            js=inline_static("report.js"),
            version=__version__,
            generated_at=now or datetime.now(timezone.utc),
        )
    )
    embedded = [m for m in media.values() if m.data_url]
    return Report(
        html=html,
        answers=len(view.answers),
        audio_clips=len(embedded),
        audio_bytes=sum(m.size for m in embedded),
        problems=problems,
    )


def save_report(path: Path, html: str) -> int:
    """Write the page whole or not at all, private (0600: it holds your voice). Bytes."""
    data = html.encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return len(data)


# -- pieces ------------------------------------------------------------------------------


def _clips(answer: Answer) -> list[Clip]:
    return [answer.clip, *(f.clip for f in answer.follow_ups)]


def _media(
    clips: Sequence[Clip], *, audio: bool, workers: int | None
) -> tuple[dict[str, Media], list[str]]:
    """Each clip's recording, compressed in parallel (libopus releases the GIL)."""
    from voicemock.errors import VoicemockError
    from voicemock.render.html.audio import encode

    media: dict[str, Media] = {}
    todo: list[tuple[Clip, Path]] = []
    for c in clips:
        if c.typed or c.audio_path is None:
            media[c.key] = Media()
        elif not audio:
            media[c.key] = Media(note="Recording left out of this report (--no-audio).")
        else:
            path = Path(c.audio_path)
            if path.is_file() and path.stat().st_size > 0:
                todo.append((c, path))
            else:
                media[c.key] = Media(note="The recording is no longer on this machine.")
    problems: list[str] = []
    if todo:
        count = workers or min(len(todo), os.cpu_count() or 1, 4)
        with ThreadPoolExecutor(max_workers=max(count, 1)) as pool:
            futures = [(c, pool.submit(encode, path)) for c, path in todo]
            for c, future in futures:
                try:
                    encoded = future.result()
                except VoicemockError as exc:
                    media[c.key] = Media(note=f"The recording could not be read: {exc}")
                    problems.append(f"recording of answer {c.key} left out: {exc}")
                    continue
                media[c.key] = Media(encoded.data_url, "", len(encoded.data), encoded.codec)
    return media, problems


@functools.lru_cache(maxsize=1)
def jinja_environment() -> jinja2.Environment:
    """The templates of ``templates/``, autoescaped, with the report's helpers as globals.

    Other pages (``progress --html``) add their template there and render it with
    ``csp=CSP``, ``css=inline_static("report.css")`` and the chart helpers.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("voicemock.render.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        kinds=KINDS,
        pct=pct,
        clock=clock,
        local_time=local_time,
        axis_ticks=axis_ticks,
        time_bar=time_bar,
        pace_chart=pace_chart,
    )
    return env


@functools.lru_cache(maxsize=4)
def inline_static(name: str) -> Markup:
    """Our own stylesheet or script from ``static/``, to inline; refused if it could end
    its ``<style>``/``<script>`` element early."""
    from markupsafe import Markup

    text = (resources.files("voicemock.render.html") / "static" / name).read_text("utf-8")
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower() or "<!--" in text:
        raise ValueError(f"static/{name} would end its inline element early")
    return Markup(text)


def pct(seconds: float, total: float | None) -> str:
    """``seconds`` as a percentage of ``total``, clamped to 0-100, for a style attribute."""
    if not total or total <= 0:
        return "0"
    return f"{min(max(seconds / total * 100.0, 0.0), 100.0):.3f}"


def local_time(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def axis_ticks(duration: float | None) -> list[tuple[float, str]]:
    """Labelled times along a timeline: every 15 s, 30 s or minute, not crowding the end."""
    if not duration or duration <= 0:
        return []
    step = 15.0 if duration <= 75 else 30.0 if duration <= 330 else 60.0
    ticks = []
    t = 0.0
    while t <= duration - step * 0.4:
        ticks.append((t, fmt_clock(t)))
        t += step
    return ticks


def time_bar(timing: Timing) -> Markup:
    tone = {"on_target": "good", "over_cap": "bad"}.get(timing.verdict, "warn")
    verdict = VERDICT_TEXT.get(timing.verdict, timing.verdict)
    return charts.range_bar(
        timing.duration_s,
        low=timing.min_s,
        high=timing.max_s,
        cap=timing.cap_s,
        title="Length against the target window and the cap",
        value_label=f"{fmt_clock(timing.duration_s)} {verdict}",
        tone=tone,
        tick_label=fmt_clock,
    )


def pace_chart(points: Sequence[tuple[float, float]]) -> Markup:
    lo, hi = PACE_BAND
    return charts.line_chart(
        [(fmt_clock(start), wpm) for start, wpm in points],
        title="Words per minute in each 30 s of the answer",
        unit="wpm",
        target=PACE_BAND,
        target_label=f"comfortable {lo:.0f}–{hi:.0f} wpm",
        width=440,
        height=170,
    )


__all__ = [
    "CSP",
    "Report",
    "SessionView",
    "build_report",
    "inline_static",
    "jinja_environment",
    "save_report",
]
