"""Stories in the practice round, end to end: real speech, the real model, real SQLite.

Two rounds of ``voicemock practice --answer-file X --fast --no-voice`` run as a user would
(a real process each; nobody at a terminal), telling the same story spoken by espeak-ng:

1. the first telling scores above the documented threshold (0.25) against the story's
   title and summary and is linked *automatically*, with its score;
2. ``--again`` repeats that question: the feedback opens with what changed against the
   first attempt, the telling is linked again, and because its result figure changed
   (forty percent, then thirty) the round shows the consistency notice quoting both
   tellings with the first one's date.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.speech_helpers import espeak_wav
from voicemock.storage import Store

pytestmark = pytest.mark.slow

TITLE = "Refund backlog"
SUMMARY = (
    "The support queue for refunds had a backlog of three weeks. I automated the refund"
    " approvals for small orders with a rules engine."
)
FIRST = [
    ("Um, last year our support queue for refunds had a backlog of three weeks.", 500),
    ("Uh, we decided to automate the refund approvals for small orders.", 500),
    ("So the backlog went down and refund tickets fell by forty percent.", 800),
]
SECOND = [
    ("Last year our support queue for refunds had a backlog of three weeks.", 500),
    ("I decided to automate the refund approvals for small orders with a rules engine,", 200),
    ("because agents spent most of their day on them.", 500),
    ("As a result, refund tickets fell by thirty percent in two months.", 800),
]


def voicemock(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voicemock", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "VOICEMOCK_HOME": str(home), "NO_COLOR": "1"},
        input="",
        timeout=600,
        check=False,
    )


def test_a_round_links_a_telling_then_again_shows_what_changed_and_the_contradiction(
    voicemock_home: Path, tmp_path: Path, espeak: str
) -> None:
    added = voicemock(voicemock_home, "stories", "add", TITLE, "--summary", SUMMARY)
    assert added.returncode == 0, added.stderr
    first_wav = espeak_wav(espeak, FIRST, tmp_path / "first.wav")
    second_wav = espeak_wav(espeak, SECOND, tmp_path / "second.wav")
    common = ("--fast", "--no-voice", "--think", "0", "--follow-ups", "0")

    one = voicemock(
        voicemock_home,
        "practice", "--question", "ow-outside-scope", "--answer-file", str(first_wav), *common,
    )  # fmt: skip
    assert one.returncode == 0, one.stderr
    linked = re.search(
        r"Linked to story 1 “Refund backlog” \(automatic, score (0\.\d\d)\)\.", one.stdout
    )
    assert linked, one.stdout
    assert float(linked.group(1)) >= 0.25
    assert "This telling differs" not in one.stdout and "What changed" not in one.stdout

    two = voicemock(
        voicemock_home, "practice", "--again", "--answer-file", str(second_wav), *common
    )
    assert two.returncode == 0, two.stderr
    out = two.stdout
    assert "Question 1 of 1, second attempt" in out
    # The feedback opens with what changed, before the transcript.
    opening = re.search(r"^What changed — second attempt: (.*)$", out, flags=re.MULTILINE)
    assert opening, out
    assert "fewer fillers per minute" in opening.group(1)
    assert "more owned decision" in opening.group(1)
    assert out.index("What changed") < out.index("Transcript")
    assert re.search(r"Linked to story 1 “Refund backlog” \(automatic, score 0\.\d\d\)\.", out)
    # The consistency notice: the result's figure changed, quoting both tellings.
    assert "! This telling differs from an earlier one" in out
    assert re.search(r"^  number: .*40.*became.*30", out, flags=re.MULTILINE), out

    with Store.open(voicemock_home) as store:
        first = store.get_answer(1, 1)
        second = store.get_answer(2, 1)
        links = store.stories.links([first.id, second.id])
    assert second.question_id == first.question_id == "ow-outside-scope"
    assert {links[first.id].kind, links[second.id].kind} == {"automatic"}
    assert links[first.id].story_id == links[second.id].story_id == 1
    when = first.started_at.astimezone()
    quote = next(x for x in out.splitlines() if x.startswith("    Earlier ("))
    assert quote.startswith(f"    Earlier ({when.day} {when:%b}, session 1, answer 1) you said “")
    said, now = quote.split("; now ")
    assert "40" in said or "forty" in said.lower()
    assert "30" in now or "thirty" in now.lower()
