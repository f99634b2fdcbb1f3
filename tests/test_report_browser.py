"""The HTML report in a real headless Chromium (Debian's package, driven by Playwright).

One real answer: an espeak-ng STAR answer with fillers, owned and shared phrases, numbers
and a long pause, played into `voicemock practice --answer-file`, transcribed by the real
model and saved by the real Store; `voicemock report` writes the page. One browser serves
the whole module.
"""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from tests.report_helpers import XSS, browser, open_report, practice_with_file, store_answer
from tests.speech_helpers import FILLER_ANSWER, espeak_wav
from voicemock.cli import cli
from voicemock.env import Environment
from voicemock.storage import Store

pytestmark = pytest.mark.slow

PHASE_RGB = {
    "context": (0x56, 0xB4, 0xE9),
    "problem": (0xE6, 0x9F, 0x00),
    "action": (0x00, 0x9E, 0x73),
    "result": (0x00, 0x72, 0xB2),
    "lesson": (0xCC, 0x79, 0xA7),
}
FILLER_RGB = (0xB9, 0x1C, 0x1C)


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Any]:
    with browser() as b:
        yield b


def write_report(home: Path, out: Path, *args: str) -> Path:
    env = Environment(environ={**os.environ, "VOICEMOCK_HOME": str(home)})
    result = CliRunner().invoke(cli, ["report", *args, "-o", str(out)], obj=env)
    assert result.exit_code == 0, result.output + result.stderr
    return out


@pytest.fixture(scope="module")
def star_wav(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> Path:
    return espeak_wav(espeak, FILLER_ANSWER, tmp_path_factory.mktemp("speech") / "star.wav")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory, star_wav: Path) -> tuple[Path, dict[str, Any]]:
    """(report file, the stored answer) for one real practice round."""
    home = tmp_path_factory.mktemp("home")
    practice_with_file(home, star_wav)
    with Store.open(home) as store:
        session = store.latest_session()
        assert session is not None
        (answer,) = store.answers(session.id)
    out = write_report(home, tmp_path_factory.mktemp("out") / "report.html")
    return out, answer.to_dict()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, star_wav: Path) -> Path:
    """A session whose set name, question, words, follow-up and advice are all hostile."""
    home = tmp_path_factory.mktemp("hostile-home")
    payload = " ".join(XSS)
    with Store.open(home) as store:
        s = store.create_session(set_name=f"set {XSS[0]} {XSS[1]}")
        store_answer(
            store,
            s.id,
            question=f"Question {payload}",
            text=f"So, um, I decided {payload} because we shipped 40% more {payload}",
            audio=star_wav,
        )
    from voicemock.render.html import build_report, save_report

    with Store.open(home) as store:
        session = store.latest_session()
        assert session is not None
        answers = [a.to_dict() for a in store.answers(session.id)]
        reply = store_answer(
            store,
            session.id,
            question="reply",
            text=f"I decided {payload} myself, um, in two weeks.",
            audio=star_wav,
        )
    reply["prompt"] = f"You said {XSS[1]}. What did you decide?"
    reply["gap"] = {"kind": "ownership", "status": "closed", "quote": f"I decided {XSS[0]}"}
    answers[0]["follow_ups"] = [reply]
    answers[0]["analysis"]["advice"].append({"topic": "x", "text": f"Advice {payload}"})
    built = build_report(session.to_dict(), answers)
    out = tmp_path_factory.mktemp("hostile-out") / "hostile.html"
    save_report(out, built.html)
    return out


def wait_until(page: Any, expression: str, timeout_s: float = 15.0) -> None:
    """Poll ``expression`` from here until it is true. (Playwright's wait_for_function
    polls inside the page with eval, which the report's policy forbids, so it fails
    whenever the condition is not already true at the first look.)"""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {expression}"
        page.wait_for_timeout(50)


def wait_for_audio(page: Any, selector: str = "#clip-1 audio") -> None:
    wait_until(page, f"document.querySelector({selector!r}).readyState >= 1")


def assert_clean(page: Any, watch: Any) -> None:
    assert watch.errors == [], watch.errors
    assert watch.dialogs == [], watch.dialogs
    assert watch.foreign_requests() == [], watch.foreign_requests()
    assert watch.blocked == []
    assert page.evaluate("window.__violations") == []


# -- the real answer -------------------------------------------------------------------


def test_opens_without_errors_and_requests_nothing(
    chromium_browser: Any, real: tuple[Path, dict[str, Any]]
) -> None:
    path, answer = real
    page, watch = open_report(chromium_browser, path)
    wait_for_audio(page)
    duration = page.evaluate("document.querySelector('#clip-1 audio').duration")
    assert abs(duration - answer["duration_s"]) < 0.15, (duration, answer["duration_s"])
    # Use it: words, findings, the timeline by mouse and keyboard, playing for a moment.
    page.locator("#clip-1 .transcript .w").nth(5).click()
    page.locator("#clip-1 button.chip").first.click()
    page.locator("#clip-1 .timeline").click(position={"x": 300, "y": 10})
    page.locator("#clip-1 .timeline").press("ArrowRight")
    page.wait_for_timeout(600)
    page.locator("#clip-1 .timeline").press("k")  # pause
    assert watch.requests == [watch.report]
    assert_clean(page, watch)
    # The watch sees what it should: a fetch from the page is stopped by its policy.
    page.evaluate("fetch('https://example.com/x').catch(() => null)")
    wait_until(page, "window.__violations.length === 1")
    assert watch.errors and watch.foreign_requests() == []
    page.close()


def test_no_request_even_without_the_content_security_policy(
    chromium_browser: Any, real: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    """The policy blocks fetches; this shows the page never attempts one to begin with."""
    path, _ = real
    text = path.read_text(encoding="utf-8")
    stripped = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    assert stripped != text
    bare = tmp_path / "no-csp.html"
    bare.write_text(stripped, encoding="utf-8")
    page, watch = open_report(chromium_browser, bare)
    wait_for_audio(page)
    page.locator("#clip-1 .transcript .w").nth(20).click()
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(300)
    assert watch.requests == [watch.report]
    assert_clean(page, watch)
    # Without the policy a request does reach the route, which counts and blocks it.
    page.evaluate("new Image().src = 'http://example.com/pixel.png'")
    page.wait_for_timeout(500)
    assert watch.blocked == ["http://example.com/pixel.png"]
    page.close()


def test_clicking_a_word_plays_the_recording_from_it(
    chromium_browser: Any, real: tuple[Path, dict[str, Any]]
) -> None:
    path, answer = real
    words = answer["words"]
    decided = next(i for i, w in enumerate(words) if w["word"].strip(",.").lower() == "decided")
    picks = [decided, len(words) // 2, len(words) - 3]
    page, watch = open_report(chromium_browser, path)
    wait_for_audio(page)
    for i in picks:
        start = words[i]["start"]
        page.locator(f'#clip-1 .transcript .w[data-i="{i}"]').click()
        now = page.evaluate("document.querySelector('#clip-1 audio').currentTime")
        assert abs(now - start) <= 0.3, (words[i], now)
    # It plays from there, and the playhead and the current word follow.
    i = picks[0]
    page.locator(f'#clip-1 .transcript .w[data-i="{i}"]').click()
    page.wait_for_timeout(1200)
    state = page.evaluate(
        """() => {
        const a = document.querySelector('#clip-1 audio');
        const head = document.querySelector('#clip-1 .playhead');
        const cur = document.querySelector('#clip-1 .w.current');
        return {t: a.currentTime, paused: a.paused, left: parseFloat(head.style.left),
                hidden: head.hidden, current: cur && parseFloat(cur.dataset.t)};
    }"""
    )
    assert not state["paused"] and not state["hidden"]
    assert words[i]["start"] + 0.4 < state["t"] < words[i]["start"] + 3.0, state
    assert abs(state["left"] - state["t"] / answer["duration_s"] * 100) < 2.0, state
    assert state["current"] is not None and state["current"] <= state["t"] + 0.05
    page.locator("#clip-1 .timeline").press("k")
    assert_clean(page, watch)
    page.close()


def test_screenshot_shows_the_timeline(
    chromium_browser: Any, real: tuple[Path, dict[str, Any]]
) -> None:
    from PIL import Image

    path, answer = real
    page, watch = open_report(chromium_browser, path, width=1100, height=900)
    wait_for_audio(page)
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    box = page.locator("#clip-1 .timeline").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 900, box  # on the first screen
    # Non-blank: many colours, not one flat fill.
    assert len(shot.getcolors(maxcolors=1 << 20) or []) > 200
    # The timeline region holds the phase colours and the filler marks.
    crop = shot.crop((box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]))
    pixels = np.asarray(crop, dtype=np.int16).reshape(-1, 3)

    def near(rgb: tuple[int, int, int]) -> int:
        return int((np.abs(pixels - np.array(rgb)).sum(axis=1) < 40).sum())

    spoken = {p["name"] for p in answer["analysis"]["structure"]["phases"]}
    seen = {name for name in spoken if near(PHASE_RGB[name]) > 150}
    assert len(spoken) >= 3 and seen == spoken, (spoken, seen)
    assert near(FILLER_RGB) > 20
    assert_clean(page, watch)
    page.close()


# -- hostile text and follow-ups ------------------------------------------------------


def test_hostile_text_is_shown_as_text_and_runs_nothing(
    chromium_browser: Any, hostile: Path
) -> None:
    page, watch = open_report(chromium_browser, hostile)
    wait_for_audio(page)
    for w in page.locator("#clip-1 .transcript .w").all()[:12]:
        w.click()
    page.wait_for_timeout(300)
    text = page.evaluate("document.body.innerText")
    for payload in XSS:
        assert payload in text, payload
    assert f"set {XSS[0]} {XSS[1]}" in page.title()
    counts = page.evaluate(
        "({img: document.images.length, scripts: document.scripts.length,"
        " svgOnload: document.querySelectorAll('[onload],[onerror]').length})"
    )
    assert counts == {"img": 0, "scripts": 1, "svgOnload": 0}
    assert_clean(page, watch)
    page.close()


def test_follow_up_reply_has_its_own_player(chromium_browser: Any, hostile: Path) -> None:
    page, watch = open_report(chromium_browser, hostile)
    wait_for_audio(page)
    wait_for_audio(page, "#clip-1-1 audio")
    prompt = page.locator("#follow-up-1-1 .prompt q").inner_text()
    assert prompt == f"You said {XSS[1]}. What did you decide?"
    assert "✓ gap closed" in page.locator("#follow-up-1-1 .gap").inner_text()
    page.locator("#clip-1 .transcript .w").nth(3).click()
    page.locator('#clip-1-1 .transcript .w[data-i="2"]').click()
    state = page.evaluate(
        "[document.querySelector('#clip-1 audio').paused,"
        " document.querySelector('#clip-1-1 audio').paused,"
        " document.querySelector('#clip-1-1 audio').currentTime]"
    )
    main_paused, reply_paused, reply_time = state
    assert main_paused and not reply_paused  # one recording at a time
    assert abs(reply_time - 0.8) <= 0.3  # word 2 of the reply starts at 0.8 s
    page.locator("#clip-1-1 .timeline").press("k")
    assert_clean(page, watch)
    page.close()
