"""Helpers for the HTML report tests: sessions made through the real Store, hostile text,
and a real headless Chromium (Debian's ``chromium`` driven by Playwright, never downloaded).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tests.conftest import require
from voicemock.analysis import analyze
from voicemock.analysis.timing import Target
from voicemock.cli import cli
from voicemock.env import Environment
from voicemock.storage import Store
from voicemock.transcript import Span, Transcript, Word

# Flags that work on this machine (see GUIDE.md); nothing here talks to the network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "<!-- x -->",
]
"""Hostile text: each must appear on the page as written and never run."""


def chromium() -> str:
    path = shutil.which("chromium")
    require(path, "chromium (Debian package chromium)")
    assert path is not None
    return path


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A real headless Chromium; Playwright is told where it is, so it downloads nothing."""
    path = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a test extra
        require(False, "the playwright Python package (pip install -e '.[test]')")
        raise
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watch:
    """Everything a page did: console errors, script errors, dialogs, requests."""

    report: str
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    """Every request the page attempted (data: URLs never reach here)."""
    blocked: list[str] = field(default_factory=list)
    """Requests other than the report itself, stopped by the route."""

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("dialog", self._dialog)
        page.on("request", lambda r: self.requests.append(r.url))
        page.route("**/*", self._route)
        # Attempts the Content-Security-Policy stops before any request is made.
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url == self.report:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.report]


def open_report(
    browser: Any, path: Path, *, width: int = 1100, height: int = 900
) -> tuple[Any, Watch]:
    """A new page showing ``path``, and the :class:`Watch` on it."""
    page = browser.new_page(viewport={"width": width, "height": height})
    watch = Watch(path.resolve().as_uri())
    watch.attach(page)
    page.goto(watch.report)
    page.wait_for_load_state("load")
    return page, watch


# -- sessions --------------------------------------------------------------------------


def practice_with_file(home: Path, wav: Path, question: str = "ow-outside-scope") -> None:
    """A real round: the real model transcribes ``wav``, the real Store keeps it."""
    env = Environment(environ={**os.environ, "VOICEMOCK_HOME": str(home)})
    result = CliRunner().invoke(
        cli,
        [
            "practice",
            "--answer-file",
            str(wav),
            "--fast",
            "--no-voice",
            "--think",
            "0",
            "--question",
            question,
        ],
        obj=env,
        input="",
    )
    assert result.exit_code == 0, result.output + result.stderr


def timed_analysis(
    text: str, *, question: str, seconds_per_word: float = 0.4, target: Target | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The real analysis of ``text`` spoken at an even pace: (document, words)."""
    words = [
        Word(t, round(i * seconds_per_word, 2), round(i * seconds_per_word + 0.3, 2), 0.9)
        for i, t in enumerate(text.split())
    ]
    duration = len(words) * seconds_per_word + 0.5
    transcript = Transcript.from_words(words, duration, [Span(0.0, duration)])
    doc = analyze(transcript, target or Target(), question=question, model="tiny.en").to_dict()
    return doc, [w.to_dict() for w in words]


def store_answer(
    store: Store,
    session_id: int,
    *,
    question: str,
    text: str,
    audio: Path | None = None,
    question_id: str = "q",
) -> dict[str, Any]:
    """Save an analysed answer (with ``audio`` copied in as its recording); its dict."""
    doc, words = timed_analysis(text, question=question)
    record = store.start_answer(session_id, question_id=question_id, question_text=question)
    assert record.audio_path is not None
    if audio is not None:
        record.audio_path.write_bytes(audio.read_bytes())
    saved = store.complete_answer(
        record.id,
        duration_s=doc["duration_s"],
        transcript=doc["transcript"],
        words=words,
        analysis=doc,
    )
    return saved.to_dict()
