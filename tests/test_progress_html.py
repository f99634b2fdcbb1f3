"""`voicemock progress --html` without a browser: the charts' points, axes and bands, the
tables, escaping of user text, the empty case, and the command.

The page in real Chromium, from real practice rounds, is tests/test_progress_browser.py.
"""

from __future__ import annotations

import dataclasses
import html
import re
import stat
import webbrowser
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markupsafe import escape

from tests.report_helpers import XSS
from tests.stories_helpers import save_answer, seed_bank
from tests.test_progress import T0, doc, figures
from voicemock.analysis.timing import Target
from voicemock.cli import cli
from voicemock.progress import AnswerFigures, Filters, Progress, session_points, trend
from voicemock.render.html import charts
from voicemock.render.html.progress import (
    CHARTS,
    PAGE_CSP,
    NothingToChart,
    build_progress_page,
    clock_ticks,
    point_label,
)
from voicemock.storage import Store

SVG = "{http://www.w3.org/2000/svg}"

# Three rounds, figures chosen by hand (duration s, fillers, result has a number, reasons,
# wpm, I, we):
#   1: 120 s, 6 fillers -> 3.0/min, result yes, 2 reasons, 150 wpm, I:we 10:5 = 2.0
#   2: 180 s, 3 fillers -> 1.0/min, result no,  1 reason,  160 wpm, I:we  6:6 = 1.0
#   3: 200 s, 0 fillers -> 0.0/min, result yes, 3 reasons, 140 wpm, I:we  8:0 (no "we")
ROUNDS: list[dict[str, Any]] = [
    {"duration": 120.0, "fillers": 6, "result": True, "reasons": 2, "wpm": 150.0, "i": 10, "we": 5},
    {"duration": 180.0, "fillers": 3, "result": False, "reasons": 1, "wpm": 160.0, "i": 6, "we": 6},
    {"duration": 200.0, "fillers": 0, "result": True, "reasons": 3, "wpm": 140.0, "i": 8, "we": 0},
]


def make_progress(
    answers: list[AnswerFigures],
    filters: Filters | None = None,
    attempts: tuple[Any, ...] = (),
) -> Progress:
    filters = filters or Filters()
    points = session_points(answers)
    window = answers[-1].target if answers else None
    return Progress(filters, tuple(answers), tuple(points), tuple(trend(points, window)), attempts)


def three_rounds(**changes: Any) -> Progress:
    answers = [
        dataclasses.replace(figures(n, 1, doc(**r)), **changes)
        for n, r in enumerate(ROUNDS, start=1)
    ]
    return make_progress(answers)


def label(session: int) -> str:
    when = (T0 + timedelta(days=session)).astimezone()
    return f"#{session} · {when.day} {when:%b}"


def figure(page: str, key: str) -> str:
    m = re.search(rf'<figure class="trend-chart" id="chart-{key}".*?</figure>', page, re.S)
    assert m, key
    return m.group(0)


def svg_of(page: str, key: str) -> ET.Element:
    m = re.search(r"<svg .*?</svg>", figure(page, key), re.S)
    assert m
    return ET.fromstring(m.group(0))


def circles(svg: ET.Element) -> list[tuple[float, float, str]]:
    """(x, y, hover text) of every point."""
    return [
        (float(c.get("cx", "")), float(c.get("cy", "")), c.findtext(f"{SVG}title") or "")
        for c in svg.iter(f"{SVG}circle")
    ]


def y_axis(svg: ET.Element) -> dict[str, float]:
    """Tick label -> y of its grid line."""
    children = list(svg)
    out = {}
    for i, el in enumerate(children):
        if el.tag == f"{SVG}line" and el.get("stroke") == charts.GRID:
            out[children[i + 1].text or ""] = float(el.get("y1", ""))
    return out


def x_labels(svg: ET.Element, height: int = 200) -> list[str]:
    return [
        t.text or ""
        for t in svg.iter(f"{SVG}text")
        if t.get("y") == str(height - 6) and t.get("fill") == charts.MUTED
    ]


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (the data directory is beside it, not in it)."""
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


def text_of(page: str) -> str:
    """Visible text, roughly: tags dropped, entities decoded."""
    body = page.split("<body", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


# -- the charts --------------------------------------------------------------------------


def test_one_chart_per_figure_one_point_per_session() -> None:
    built = build_progress_page(three_rounds())
    page = built.html
    assert built.charts == tuple(c.key for c in CHARTS)
    assert built.charts == (
        "fillers_per_min", "avg_duration_s", "result_number_share", "i_we_ratio", "wpm",
        "reasons_per_answer",
    )  # fmt: skip
    assert (built.sessions, built.answers) == (3, 3)
    expected = {
        "fillers_per_min": ["3.0 per min", "1.0 per min", "0.0 per min"],
        "avg_duration_s": ["2:00", "3:00", "3:20"],
        "result_number_share": ["100%", "0%", "100%"],
        "i_we_ratio": ["2.0", "1.0"],  # round 3 said no "we": not drawn
        "wpm": ["150 wpm", "160 wpm", "140 wpm"],
        "reasons_per_answer": ["2.0", "1.0", "3.0"],
    }
    sessions = {"i_we_ratio": [1, 2]}
    for key, values in expected.items():
        points = circles(svg_of(page, key))
        assert [t for _, _, t in points] == [
            f"{label(s)}: {v}" for s, v in zip(sessions.get(key, [1, 2, 3]), values, strict=True)
        ], key
        assert f'data-points="{len(values)}"' in figure(page, key)
        xs = [x for x, _, _ in points]
        assert xs == sorted(xs)  # oldest session on the left
        assert x_labels(svg_of(page, key)) == [label(1), label(2), label(3)]


def test_points_sit_on_their_values() -> None:
    page = build_progress_page(three_rounds()).html
    svg = svg_of(page, "fillers_per_min")
    axis = y_axis(svg)
    assert {"0.0", "1.0", "2.0", "3.0"} <= set(axis)
    per_unit = axis["0.0"] - axis["1.0"]
    for (_, y, _), value in zip(circles(svg), (3.0, 1.0, 0.0), strict=True):
        assert y == pytest.approx(axis["0.0"] - value * per_unit, abs=0.15)
    # Higher is further up: the SVG y grows downwards.
    share = circles(svg_of(page, "result_number_share"))
    assert share[1][1] > share[0][1] == share[2][1]


def test_length_axis_is_in_minutes_and_the_window_is_a_band() -> None:
    page = build_progress_page(three_rounds()).html
    svg = svg_of(page, "avg_duration_s")
    axis = y_axis(svg)
    assert list(axis) == ["0:00", "1:00", "2:00", "3:00", "4:00"]
    per_minute = axis["0:00"] - axis["1:00"]

    def y(seconds: float) -> float:
        return axis["0:00"] - seconds / 60 * per_minute

    (band,) = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == charts.BAND]
    assert band.findtext(f"{SVG}title") == "window 2:30–3:30"
    top, height = float(band.get("y", "")), float(band.get("height", ""))
    assert top == pytest.approx(y(210), abs=0.15)
    assert top + height == pytest.approx(y(150), abs=0.15)
    # 2:00 is short (warning colour), 3:00 inside the band, 3:20 inside too.
    fills = [c.get("fill") for c in svg.iter(f"{SVG}circle")]
    assert fills == [charts.WARN, charts.LINE, charts.LINE]
    assert "2 of 3 timed answers landed in their window." in figure(page, "avg_duration_s")
    assert "different windows" not in page


def test_length_band_is_the_latest_window_and_says_when_they_differ() -> None:
    answers = list(three_rounds().answers)
    answers[2] = dataclasses.replace(answers[2], target=Target(60, 120, 150), verdict="long")
    page = build_progress_page(make_progress(answers)).html
    svg = svg_of(page, "avg_duration_s")
    (band,) = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == charts.BAND]
    assert band.findtext(f"{SVG}title") == "window 1:00–2:00"
    assert "The rounds used different windows: the band is the latest, window 1:00–2:00." in (
        text_of(page)
    )


def test_bands_of_the_other_charts() -> None:
    page = build_progress_page(three_rounds()).html

    def band_title(key: str) -> str | None:
        rects = [r for r in svg_of(page, key).iter(f"{SVG}rect") if r.get("fill") == charts.BAND]
        return rects[0].findtext(f"{SVG}title") if rects else None

    assert band_title("fillers_per_min") == "under 2 a minute"
    assert band_title("wpm") == "easy to follow: 130–170 wpm"
    assert band_title("i_we_ratio") == "more “I” than “we”"
    assert band_title("result_number_share") is None
    assert band_title("reasons_per_answer") is None
    assert list(y_axis(svg_of(page, "result_number_share"))) == [
        "0%", "25%", "50%", "75%", "100%",
    ]  # fmt: skip
    assert "Round #3: “I” and never “we”, off this scale (not drawn)." in text_of(page)


def test_first_against_last_and_the_sessions_table() -> None:
    page = build_progress_page(three_rounds()).html
    text = text_of(page)
    assert "3.0 → 0.0 better" in re.sub(r"\s+", " ", text)  # fillers per minute
    assert "100% → 100%" in text  # results with a number: the same
    cards = re.findall(r'<li class="card( better| worse)?">', page)
    assert len(cards) == len(CHARTS)
    rows = re.findall(r'<tr id="session-(\d+)">(.*?)</tr>', page, re.S)
    assert [r[0] for r in rows] == ["1", "2", "3"]
    cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[2][1], re.S)]
    d3 = (T0 + timedelta(days=3)).astimezone().strftime("%Y-%m-%d")
    assert cells == [
        "3", d3, "amazon-pm", "1", "3:20", "1/1", "0.0", "8:0", "100%", "3.0", "140",
        "Ownership",
    ]  # fmt: skip


def test_reasons_chart_only_when_there_are_reasons() -> None:
    built = build_progress_page(three_rounds(reasons=None))
    assert "reasons_per_answer" not in built.charts and len(built.charts) == 5
    assert 'id="chart-reasons_per_answer"' not in built.html


def test_one_session_and_typed_answers() -> None:
    typed = [figures(1, 1, doc(duration=None, wpm=None))]
    page = build_progress_page(make_progress(typed)).html
    assert "One session so far" in page
    assert "no data" in figure(page, "avg_duration_s")  # typed: no length
    assert len(circles(svg_of(page, "result_number_share"))) == 1


def test_no_answers_no_page() -> None:
    with pytest.raises(NothingToChart, match=r"^no answers to chart: practise with"):
        build_progress_page(make_progress([]))
    since = Filters(since=datetime(2024, 5, 1, tzinfo=timezone.utc), tag="bias-for-action")
    with pytest.raises(NothingToChart, match=r"\(since 2024-0[45]-\d\d, tagged Bias for Action\)"):
        build_progress_page(make_progress([], since))


def test_labels_carry_the_year_when_the_sessions_span_years() -> None:
    answers = list(three_rounds().answers)
    answers[0] = dataclasses.replace(answers[0], started_at=T0 - timedelta(days=400))
    page = build_progress_page(make_progress(answers)).html
    labels = x_labels(svg_of(page, "wpm"))
    assert labels[0].endswith(" 2023") and labels[-1].endswith(" 2024")


def test_clock_ticks() -> None:
    assert clock_ticks(100) == [0, 30, 60, 90, 120]
    assert clock_ticks(210) == [0, 60, 120, 180, 240]
    assert clock_ticks(240) == [0, 60, 120, 180, 240]


# -- a page of its own, and user text as text ---------------------------------------------


def test_self_contained_and_scriptless() -> None:
    page = build_progress_page(three_rounds()).html
    assert page.startswith("<!DOCTYPE html>")
    assert f'<meta http-equiv="Content-Security-Policy" content="{escape(PAGE_CSP)}">' in page
    assert "default-src 'none'" in PAGE_CSP and "script-src 'none'" in PAGE_CSP
    assert "<script" not in page.lower()
    assert not re.search(r"\s(?:on\w+)\s*=", page)  # no event handler attributes
    # Nothing points outside the page (the SVG namespace is a name, not a request).
    refs = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert refs and all(r.startswith("#") or r == "data:," for r in refs), refs
    assert "@import" not in page and "url(" not in page


def test_hostile_story_titles_set_names_questions_and_tags_are_text() -> None:
    payload = " ".join(XSS)
    answers = [
        dataclasses.replace(
            a, set_name=f"set {payload}", question_text=f"Q {payload}", tags=tuple(XSS)
        )
        for a in three_rounds().answers
    ]
    from voicemock.progress import attempts

    tries = attempts([(a, doc(**r)) for a, r in zip(answers, ROUNDS, strict=True)])
    progress = make_progress(answers, Filters(story_id=1), tuple(tries))
    page = build_progress_page(progress, story_title=f"Story {payload}").html
    for bad in ("<script>alert", "<img src=x", "<svg onload", "<!-- x -->"):
        assert bad not in page, bad
    assert page.count("<svg ") == len(CHARTS)  # only our charts
    text = text_of(page)
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found
    title = html.unescape(found.group(1))
    assert title == f"voicemock · Progress: Story {payload}"
    assert f"Tellings side by side: Story {payload}" in text
    assert text.count(f"set {payload}") == 3  # the set column of each session
    assert text.count(f"Q {payload}") == 3  # the question of each telling
    assert ", ".join(XSS) in text  # the tags practised
    assert "{{ 7*7 }}" in text and "49" not in text


def test_hostile_story_title_through_the_command(
    voicemock_home: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real database: hostile set name, question text and story title, through the CLI."""
    payload = f"{XSS[0]} {XSS[1]}"  # titles are kept under 120 characters
    with Store.open(voicemock_home) as store:
        ids = []
        for day in (0, 7):
            session = store.create_session(set_name=f"mine {payload}")
            when = T0 + timedelta(days=day)
            ids.append(
                save_answer(
                    store,
                    session.id,
                    "ow-outside-scope",
                    "Um, I decided to cut the checkout form because 22% of buyers left, and we "
                    "shipped it in six weeks. Drop-off fell to 9%.",
                    when,
                )
            )
        story = store.stories.add(f"Checkout {payload}")
        for answer_id in ids:
            store.stories.link(answer_id, story.id)
    result = CliRunner().invoke(cli, ["progress", "--story", "1", "--html", "-o", "-"])
    assert result.exit_code == 0, result.output + result.stderr
    page = result.stdout
    assert "<script>alert" not in page and "<img src=x" not in page
    text = text_of(page)
    assert f"Progress: Checkout {payload}" in text
    assert f"mine {payload}" in text
    assert "Tellings side by side" in text
    assert len(circles(svg_of(page, "fillers_per_min"))) == 2
    assert not list(cwd.iterdir())  # '-': nothing written


# -- the command ----------------------------------------------------------------------------


def help_examples() -> list[list[str]]:
    out = CliRunner().invoke(cli, ["progress", "--help"]).output
    lines = out.split("Examples:", 1)[1].splitlines()
    return [
        line.split("#", 1)[0].split()[1:]
        for line in lines
        if line.strip().startswith("voicemock") and "--html" in line
    ]


def test_every_html_help_example_runs(
    voicemock_home: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_bank(voicemock_home)
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    examples = help_examples()
    assert len(examples) >= 2
    for args in examples:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, (args, result.output, result.stderr)
        written = Path(result.stdout.rsplit(" to ", 1)[1].strip())
        assert written.is_file() and written.read_text().startswith("<!DOCTYPE html>")
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert sorted(p.name for p in cwd.iterdir()) == ["story1.html", "voicemock-progress.html"]
    assert opened == [(cwd / "story1.html").as_uri()]
    everything = CliRunner().invoke(cli, ["progress", "--html"])
    assert re.fullmatch(
        r"Wrote progress \(4 sessions, 6 answers, \d+ kB\) to voicemock-progress.html\n",
        everything.stdout,
    ), everything.stdout
    story = (cwd / "story1.html").read_text()
    assert "Progress: Checkout form rebuild" in story
    assert "Tellings side by side" in story
    assert len(circles(svg_of(story, "fillers_per_min"))) == 2


def test_output_and_open_imply_html(
    voicemock_home: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_bank(voicemock_home)
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or False)
    result = CliRunner().invoke(cli, ["progress", "-o", "p.html", "--tag", "ownership"])
    assert result.exit_code == 0 and (cwd / "p.html").is_file()
    result = CliRunner().invoke(cli, ["progress", "--open"])
    assert result.exit_code == 0
    assert opened == [(cwd / "voicemock-progress.html").as_uri()]
    assert "Could not start a web browser" in result.stderr
    # The terminal table is still the default.
    assert "Trend, first session" in CliRunner().invoke(cli, ["progress"]).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--html"], "no answers to chart: practise with `voicemock practice` first"),
        (["--html", "--since", "2024-05-01"], "no answers to chart (since 2024-05-01)"),
        (["--html", "--json"], "--json and --html (or -o, --open): choose one"),
        (["-o", "-", "--open"], "--open needs a file"),
        (["--html", "--story", "1"], "no story 1"),
    ],
)
def test_nothing_to_chart_is_one_line_and_no_file(
    args: list[str], message: str, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(cli, ["progress", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not list(cwd.iterdir())


def test_filters_that_match_nothing_in_a_real_bank(
    voicemock_home: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_bank(voicemock_home)
    result = CliRunner().invoke(cli, ["progress", "--html", "--question", "nope"])
    assert result.exit_code == 2
    assert "no answers to chart (question nope)" in result.stderr
    assert not list(cwd.iterdir())


def test_unwritable_output_is_one_line(voicemock_home: Path, tmp_path: Path) -> None:
    seed_bank(voicemock_home)
    result = CliRunner().invoke(cli, ["progress", "-o", str(tmp_path / "missing" / "p.html")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot write ") and result.stderr.count("\n") == 1


def test_point_label() -> None:
    (point,) = session_points([figures(4, 1, doc())])
    when = point.started_at.astimezone()
    assert point_label(point) == f"#4 · {when.day} {when:%b}"
    assert point_label(point, with_year=True).endswith(f" {when.year}")


def test_line_chart_takes_ticks_and_a_tick_format() -> None:
    svg = ET.fromstring(
        charts.line_chart(
            [("a", 0.3), ("b", 0.9)],
            title="t",
            value_format=lambda v: f"{v:.1f}",
            tick_format=lambda v: f"{v:g}",
            ticks=[1.0, 0.0, 0.5],
        )
    )
    assert list(y_axis(svg)) == ["0", "0.5", "1"]  # sorted, worded by tick_format
    titles = [t for _, _, t in circles(svg)]
    assert titles == ["a: 0.3", "b: 0.9"]  # the values keep value_format
