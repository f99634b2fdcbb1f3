"""`voicemock progress --html` in a real headless Chromium (Debian's package, Playwright).

The database is filled by three real practice rounds (`voicemock practice --answer-file X
--fast --no-voice --think 0`: espeak-ng speech, the bundled model, the real Store), two of
them tellings of a story whose title is hostile. The pages are written by the command:

- everything: one chart per figure, each an SVG with one point per session (as many as
  `progress --json` has values), no console error, no request, no dialog, and a screenshot
  that shows lines and bands;
- the story's page: its title shown as text, nothing run.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from tests.report_helpers import XSS, browser, open_report
from tests.speech_helpers import espeak_wav
from tests.test_report_browser import assert_clean, wait_until
from voicemock.cli import cli
from voicemock.env import Environment
from voicemock.render.html import charts
from voicemock.render.html.progress import CHARTS

pytestmark = pytest.mark.slow

# (question, options, sentences): every answer says "I" and "we", so each figure has a
# value in every round; the first and third are timed against a short window.
ROUNDS: list[tuple[str, list[str], list[tuple[str, int]]]] = [
    (
        "ow-outside-scope",
        ["--target", "0:05-0:30", "--cap", "1:00"],
        [
            ("Um, our checkout form was losing customers, so we looked at the data.", 400),
            ("I decided to cut the form to one page because people gave up.", 400),
            ("As a result, we saw drop off fall from twenty two to nine percent.", 600),
        ],
    ),
    (
        "co-unasked-need",
        [],
        [
            ("Uh, so, we saw that our grocery app was, um, too slow on old phones.", 400),
            ("I rewrote the image loading with the mobile team we had.", 400),
            ("In the end, customers were much happier with it.", 600),
        ],
    ),
    (
        "ow-outside-scope",
        ["--target", "0:05-0:30", "--cap", "1:00"],
        [
            ("Our checkout form was losing customers and we did not know why.", 400),
            ("I decided to rebuild it myself because the data showed people gave up.", 400),
            ("As a result, drop off fell from twenty two to eight percent, and we kept it.", 600),
        ],
    ),
]
STORY = f"Checkout {XSS[0]} {XSS[1]}"


def invoke(home: Path, *args: str) -> Any:
    env = Environment(environ={**os.environ, "VOICEMOCK_HOME": str(home)})
    result = CliRunner().invoke(cli, list(args), obj=env, input="")
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> dict[str, Any]:
    """Real rounds, a story linked to two of them, the pages and the JSON figures."""
    home = tmp_path_factory.mktemp("home")
    speech = tmp_path_factory.mktemp("speech")
    for n, (question, options, sentences) in enumerate(ROUNDS, start=1):
        wav = espeak_wav(espeak, sentences, speech / f"answer{n}.wav", wpm=165)
        done = invoke(
            home,
            "practice", "--answer-file", str(wav), "--fast", "--no-voice", "--think", "0",
            "--question", question, *options,
        )  # fmt: skip
        assert f"Saved as session {n}" in done.stdout, done.stdout
    invoke(home, "stories", "add", STORY, "-p", "Ownership")
    invoke(home, "stories", "link", "1:1", "1")
    invoke(home, "stories", "link", "3:1", "1")
    out = tmp_path_factory.mktemp("out")
    everything = invoke(home, "progress", "--html", "-o", str(out / "progress.html"))
    assert "Wrote progress (3 sessions, 3 answers, " in everything.stdout
    invoke(home, "progress", "--story", "1", "-o", str(out / "story.html"))
    figures = json.loads(invoke(home, "progress", "--json").stdout)
    return {"all": out / "progress.html", "story": out / "story.html", "json": figures}


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    with browser() as b:
        yield b


def test_charts_drawn_one_point_per_session(chromium_browser: Any, pages: dict[str, Any]) -> None:
    page, watch = open_report(chromium_browser, pages["all"], width=1280, height=1000)
    wait_until(page, "document.querySelectorAll('.trend-chart svg').length > 0")
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('.trend-chart')].map(f => {
            const svg = f.querySelector('svg');
            const box = svg.getBoundingClientRect();
            return {key: f.dataset.series, points: svg.querySelectorAll('circle').length,
                    lines: svg.querySelectorAll('polyline').length,
                    said: Number(f.dataset.points), w: box.width, h: box.height};
        })"""
    )
    keys = [d["key"] for d in drawn]
    assert keys == [c.key for c in CHARTS], keys
    sessions = pages["json"]["sessions"]
    assert len(sessions) == 3
    for d in drawn:
        known = [s[d["key"]] for s in sessions if s[d["key"]] is not None]
        assert d["points"] == d["said"] == len(known), (d, known)
        assert d["w"] > 300 and d["h"] > 100, d  # laid out, not collapsed
        if len(known) > 1:
            assert d["lines"] >= 1, d
    # Timed, spoken answers that all say "I" and "we": every figure exists in every round.
    assert [d["points"] for d in drawn] == [3] * len(CHARTS), drawn
    # The hover text of the points says the session and the value.
    first = page.evaluate(
        "document.querySelector('#chart-avg_duration_s circle title').textContent"
    )
    assert re.fullmatch(r"#1 · \d{1,2} \w{3}: \d:\d\d", first), first
    # Rounds 1 and 3 used 0:05-0:30, round 2 the default: the band is the latest window.
    band = page.evaluate("document.querySelector('#chart-avg_duration_s rect title').textContent")
    assert band == "window 0:05–0:30"
    assert "different windows" in page.locator("#chart-avg_duration_s figcaption").inner_text()
    assert page.evaluate("document.scripts.length") == 0
    assert watch.requests == [watch.report]
    assert_clean(page, watch)
    page.close()


def test_no_request_even_without_the_content_security_policy(
    chromium_browser: Any, pages: dict[str, Any], tmp_path: Path
) -> None:
    text = pages["all"].read_text(encoding="utf-8")
    stripped = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    assert stripped != text
    bare = tmp_path / "no-csp.html"
    bare.write_text(stripped, encoding="utf-8")
    page, watch = open_report(chromium_browser, bare)
    page.locator("#chart-wpm").scroll_into_view_if_needed()
    page.locator(".card a").first.click()
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    assert watch.requests == [watch.report]
    assert_clean(page, watch)
    page.close()


def test_screenshot_shows_the_charts(chromium_browser: Any, pages: dict[str, Any]) -> None:
    from PIL import Image

    page, watch = open_report(chromium_browser, pages["all"], width=1280, height=1000)
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    assert len(shot.getcolors(maxcolors=1 << 20) or []) > 100  # not one flat fill
    box = page.locator("#chart-fillers_per_min svg").bounding_box()
    assert box is not None
    crop = shot.crop((box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]))
    pixels = np.asarray(crop, dtype=np.int16).reshape(-1, 3)

    def near(hex_colour: str, tolerance: int = 40) -> int:
        rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
        return int((np.abs(pixels - rgb).sum(axis=1) < tolerance).sum())

    assert near(charts.LINE) > 40  # the line and its points
    assert near("#e3f4e9", 12) > 500  # the band "under 2 a minute" (green at 12 %)
    assert_clean(page, watch)
    page.close()


def test_a_hostile_story_title_is_text(chromium_browser: Any, pages: dict[str, Any]) -> None:
    page, watch = open_report(chromium_browser, pages["story"])
    assert page.title() == f"voicemock · Progress: {STORY}"
    assert page.locator("h1").inner_text() == f"Progress: {STORY}"
    assert STORY in page.locator(".attempts h2").inner_text()
    counts = page.evaluate(
        "({img: document.images.length, scripts: document.scripts.length,"
        " handlers: document.querySelectorAll('[onload],[onerror]').length,"
        " points: document.querySelectorAll('#chart-fillers_per_min circle').length})"
    )
    assert counts == {"img": 0, "scripts": 0, "handlers": 0, "points": 2}
    assert page.locator(".attempts tbody tr").count() == 2
    assert_clean(page, watch)
    page.close()
