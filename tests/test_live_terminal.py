"""The live line in a real terminal: the real round in a pseudo-terminal of 80 and of 50
columns, its output rendered by a terminal emulator (pyte), holds one live line and no
wrapped leftovers, and re-fits when the window is resized while recording.

The round is `voicemock practice --answer-file` (real time, so the line is redrawn about
ten times a second for the length of the answer), with the real model and real SQLite.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pexpect
import pytest

from tests.conftest import require
from tests.practice_helpers import spawn_voicemock
from tests.speech_helpers import espeak_wav

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LIVE = re.compile(r"(?:REC|●) \d+:\d\d ")
"""The start of a live line as the emulator shows it."""
BAR_GLYPHS = re.compile(r"[█─═│]{4,}")
"""Four bar cells in a row: a piece of a bar, wherever it ended up."""

SET = """\
name = "live"
description = "one question for the terminal-width test"
think_s = 0
target = { min_s = 20, max_s = 40, cap_s = 60 }

[[questions]]
id = "pushed-back"
text = "Tell me about a time you pushed back on a decision."
"""

ANSWER = [
    ("I pushed back on the launch date because the error rate was twelve percent.", 700),
    ("I showed the data to my director and proposed a two week delay.", 700),
    ("We fixed the top three defects and the error rate fell to two percent.", 700),
    ("The launch went out on the new date and support tickets dropped by half.", 500),
]


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    espeak = shutil.which("espeak-ng")
    require(espeak, "espeak-ng (Debian package espeak-ng)")
    assert espeak is not None
    return espeak_wav(espeak, ANSWER, tmp_path_factory.mktemp("live") / "answer.wav")


class Terminal:
    """A pseudo-terminal running voicemock, and a pyte screen of the same size fed with
    everything it prints."""

    def __init__(self, args: list[str], cwd: Path, rows: int, columns: int) -> None:
        import pyte

        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.child = spawn_voicemock(args, cwd, rows=rows, columns=columns)
        self.seen = ""

    def pump(self, seconds: float) -> None:
        """Feed the screen whatever the program prints for ``seconds``."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                text = self.child.read_nonblocking(65536, timeout=0.1)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return
            self.seen += text
            self.stream.feed(text)

    def until(self, pattern: str, timeout: float) -> None:
        end = time.monotonic() + timeout
        while not re.search(pattern, self.seen):
            assert self.child.isalive() or re.search(pattern, self.seen), self.rows()
            assert time.monotonic() < end, f"no {pattern!r} in {self.rows()}"
            self.pump(0.2)

    def resize(self, rows: int, columns: int) -> None:
        self.child.setwinsize(rows, columns)  # the program gets SIGWINCH
        self.screen.resize(rows, columns)

    def rows(self) -> list[str]:
        return [row.rstrip() for row in self.screen.display]

    def close(self) -> int | None:
        self.pump(0.5)
        self.child.expect(pexpect.EOF, timeout=120)
        self.child.close()
        return self.child.exitstatus


def live_rows(rows: list[str]) -> list[int]:
    """Rows holding a live line, or a piece of one (bar cells, status words)."""
    return [
        i
        for i, row in enumerate(rows)
        if LIVE.search(row)
        or BAR_GLYPHS.search(row)
        or re.search(r"Enter to finish|Enter ends|window opens|opens in|mic [▮▯]", row)
    ]


def assert_one_live_line(term: Terminal, columns: int) -> str:
    rows = term.rows()
    found = live_rows(rows)
    assert len(found) == 1, "\n".join(rows)
    (index,) = found
    line = rows[index]
    assert LIVE.search(line), line
    assert len(line) < columns, (len(line), line)  # fits, with the cursor's cell spare
    assert not any(rows[index + 1 :]), "\n".join(rows)  # nothing wrapped below it
    return line


def start_round(tmp_path: Path, answer: Path, rows: int, columns: int) -> Terminal:
    qset = tmp_path / "live.toml"
    qset.write_text(SET, encoding="utf-8")
    args = ["practice", "--set", str(qset), "--count", "1", "--no-voice"]
    term = Terminal([*args, "--answer-file", str(answer)], tmp_path, rows, columns)
    term.until(r"REC|●", timeout=120)  # recording: the live line is drawn
    return term


@pytest.mark.parametrize("columns", [80, 50])
def test_the_round_holds_one_live_line_that_fits_the_terminal(
    answer_wav: Path, tmp_path: Path, columns: int
) -> None:
    term = start_round(tmp_path, answer_wav, 24, columns)
    try:
        term.pump(3.0)  # about 30 redraws
        line = assert_one_live_line(term, columns)
        if columns == 80:  # room for the full words and the hint, not the meter
            assert "window opens in" in line and "Enter to finish" in line, line
        else:
            assert "opens in" in line and "mic" not in line, line
        term.until("Answer file finished", timeout=60)
        term.until("Round summary", timeout=240)
        assert term.close() == 0, term.seen[-2000:]
    finally:
        if term.child.isalive():
            term.child.terminate(force=True)
    # After the round no piece of a live line is left anywhere on the screen.
    rows = term.rows()
    assert not [i for i in live_rows(rows) if LIVE.search(rows[i])], "\n".join(rows)
    assert "Enter to finish" not in "\n".join(rows)


def test_the_line_refits_when_the_window_is_resized(answer_wav: Path, tmp_path: Path) -> None:
    term = start_round(tmp_path, answer_wav, 24, 100)
    try:
        term.pump(1.5)
        wide = assert_one_live_line(term, 100)
        assert "mic " in wide, wide  # 100 columns: the whole line, meter too
        term.resize(24, 50)
        term.pump(1.5)
        narrow = assert_one_live_line(term, 50)
        assert "mic" not in narrow and "Enter" not in narrow, narrow
        term.resize(24, 80)
        term.pump(1.5)
        assert "Enter to finish" in assert_one_live_line(term, 80)
        term.until("Round summary", timeout=240)
        assert term.close() == 0, term.seen[-2000:]
    finally:
        if term.child.isalive():
            term.child.terminate(force=True)
