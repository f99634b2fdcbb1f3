"""The story prompt and the try-again key in a pseudo-terminal, against real PortAudio.

A person at a terminal: the answer is spoken into the PulseAudio virtual microphone
(speech from espeak-ng), Enter ends it, the round suggests the story with its score and
Enter confirms it; then ``r`` tries the question again at once, the second attempt's
feedback opens with what changed, ``s`` leaves it unlinked and Enter finishes the round.
The real model, real SQLite.
"""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest

from tests import pulse_helpers
from tests.practice_helpers import spawn_voicemock
from tests.pulse_helpers import PulseAudio
from tests.speech_helpers import espeak_wav
from voicemock.storage import Store

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

pulse_daemon, pulse = pulse_helpers.pulse_daemon, pulse_helpers.pulse

SET = """name = "stories-e2e"
description = "one question for the story prompt test"
think_s = 0
target = { min_s = 5, max_s = 30, cap_s = 60 }

[[questions]]
id = "outside-scope"
text = "Tell me about a time you fixed something outside your job."
tags = ["ownership"]
"""
FIRST = [
    ("Um, our support queue for refunds had a backlog of three weeks.", 400),
    ("Uh, we decided to automate the refund approvals for small orders.", 900),
]
SECOND = [
    ("Our support queue for refunds had a backlog of three weeks.", 400),
    ("I decided to automate the refund approvals, and refund tickets fell by forty percent.", 900),
]


def answer(child: pexpect.spawn, pulse: PulseAudio, clip: Path) -> None:
    """Speak ``clip`` into the microphone once the live line shows, then press Enter."""
    child.expect("Enter to finish", timeout=120)
    player = pulse.play_into_mic(clip)
    assert player.wait(timeout=60) == 0
    child.send("\r")
    child.expect("Recorded", timeout=30)


def test_confirm_the_story_with_enter_and_try_again_with_r(
    pulse: PulseAudio, espeak: str, tmp_path: Path, voicemock_home: Path
) -> None:
    qset = tmp_path / "stories-e2e.toml"
    qset.write_text(SET, encoding="utf-8")
    with Store.open(voicemock_home) as store:
        store.stories.add("Hiring the data team", summary="I hired four analysts in a quarter.")
        story = store.stories.add(
            "Refund backlog",
            summary="The refunds support queue had a three week backlog; I automated approvals.",
        )
    first = pulse.playable(espeak_wav(espeak, FIRST, tmp_path / "first.wav"))
    second = pulse.playable(espeak_wav(espeak, SECOND, tmp_path / "second.wav"))

    child = spawn_voicemock(
        ["practice", "--set", str(qset), "--no-voice", "--follow-ups", "0"],
        tmp_path,
        plain=True,
        timeout=120,
    )
    child.expect("Question 1 of 1")
    answer(child, pulse, first)
    child.expect(f"Story: {story.id} “Refund backlog”  score 0\\.\\d\\d", timeout=120)
    child.expect("Enter: link it")
    child.send("\r")  # confirm the suggestion
    child.expect(f"Linked to story {story.id} “Refund backlog” \\(by you\\)")
    child.expect("r: try this question again now")
    child.send("r\r")  # the try-again key
    child.expect("Question 1 of 1, second attempt")
    answer(child, pulse, second)
    child.expect("What changed — second attempt: ", timeout=120)
    child.expect("Transcript")
    opening = child.before
    assert "fewer fillers per minute" in opening and "more owned decision" in opening, opening
    child.expect("Enter: link it")
    child.send("s\r")  # this attempt: no story
    child.expect("r: try this question again now")
    child.send("\r")
    child.expect("Round summary", timeout=60)
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0, child.before

    with Store.open(voicemock_home) as store:
        session = store.latest_session()
        assert session is not None and session.status == "complete"
        one, two = store.answers(session.id)
        links = store.stories.links([one.id, two.id])
    assert one.status == two.status == "complete"
    assert one.question_id == two.question_id == "outside-scope"
    assert "refund" in (one.transcript or "").lower() and "forty" not in (one.transcript or "")
    assert one.id in links and links[one.id].story_id == story.id
    assert links[one.id].kind == "manual" and links[one.id].score is not None
    assert two.id not in links
