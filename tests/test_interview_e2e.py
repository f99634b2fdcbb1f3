"""`voicemock interview` end to end in a pseudo-terminal, against real PortAudio.

The private PulseAudio daemon's ``mic`` sink is the microphone and its ``speaker`` sink is
what the app plays. A main answer saying "we decided" with no number in its result is
played into the microphone; the interviewer's follow-up must then be heard on the speaker
(what the speaker sink recorded while the follow-up was on screen is transcribed with the
bundled model: it asks about the decision, quoting the answer); a reply saying "I decided"
is played, and `voicemock review` shows it linked to its answer with the gap closed. Real
espeak-ng for the interviewer and for the candidate, the real model, real SQLite.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pexpect
import pytest
from click.testing import CliRunner

from tests import pulse_helpers
from tests.practice_helpers import spawn_voicemock
from tests.pulse_helpers import PulseAudio
from tests.speech_helpers import content_words, espeak_wav
from voicemock.audio.io import load_audio
from voicemock.cli import cli
from voicemock.storage import Store

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

pulse_daemon, pulse = pulse_helpers.pulse_daemon, pulse_helpers.pulse

QUESTION = "Tell me about a time you had to delay a launch that other people were waiting for."
MAIN = [
    ("At my last company our checkout page was losing customers.", 400),
    ("We decided to delay the launch and rebuild the payment form.", 400),
    ("The team worked hard and we shipped it.", 400),
    ("In the end customers were much happier.", 400),
]
REPLY = [
    ("I decided to delay the launch myself,", 200),
    ("because billing errors would have hit our biggest accounts.", 400),
]


def write_set(path: Path) -> Path:
    path.write_text(
        f"""name = "e2e-interview"
think_s = 0
target = {{ min_s = 10, max_s = 40, cap_s = 60 }}
follow_up_target = {{ min_s = 5, max_s = 30, cap_s = 45 }}

[[questions]]
id = "delayed-launch"
text = "{QUESTION}"
tags = ["ownership"]
""",
        encoding="utf-8",
    )
    return path


def test_the_interviewer_asks_about_the_decision_and_the_reply_closes_the_gap(
    pulse: PulseAudio, tmp_path: Path, voicemock_home: Path, espeak: str
) -> None:
    qset = write_set(tmp_path / "e2e.toml")
    main = pulse.playable(espeak_wav(espeak, MAIN, tmp_path / "main.wav"))
    reply = pulse.playable(espeak_wav(espeak, REPLY, tmp_path / "reply.wav"))
    with pulse.capture_speaker() as heard:
        started = time.monotonic()
        child = spawn_voicemock(
            [
                "interview",
                "--set",
                str(qset),
                "--questions",
                "1",
                "--follow-ups",
                "1",
                "--no-color",
            ],
            tmp_path,
        )
        child.expect("Interviewer: Hello")
        child.expect("Question 1 of 1")
        child.expect("Enter to finish", timeout=120)  # intro and question read; recording
        assert pulse.play_into_mic(main).wait(timeout=60) == 0
        child.send("\r")
        child.expect("Answer saved", timeout=120)
        child.expect("Follow-up 1", timeout=60)
        shown = time.monotonic() - started
        child.expect("Interviewer: ")
        child.expect("Enter to finish", timeout=120)  # the follow-up was read; recording
        recording = time.monotonic() - started
        on_screen = child.before
        assert pulse.play_into_mic(reply).wait(timeout=60) == 0
        child.send("\r")
        child.expect("Bar-raiser scorecard", timeout=180)
        child.expect(pexpect.EOF, timeout=60)
        child.close()
        assert child.exitstatus == 0, child.before

    # What the view showed: the follow-up quotes the answer and asks about the decision.
    asked = " ".join(on_screen.split())
    assert "“we decided to delay the launch”" in asked, asked

    # What the speaker played while the follow-up was on screen, transcribed.
    from voicemock.asr import transcribe
    from voicemock.asr.whisper import WhisperTranscriber

    audio = load_audio(heard.path)
    lo, hi = max(0.0, shown - 0.5), recording + 0.3
    segment = audio[int(lo * 16000) : int(hi * 16000)]
    assert len(segment) > 16000 and np.sqrt(np.mean(segment**2)) > 0.005
    said = content_words(transcribe(segment, WhisperTranscriber.load()).text)
    assert {"decide", "decided", "decision"} & set(said), said
    assert "launch" in said, said
    assert "customers" not in said  # not the question, not the answer: only the follow-up

    with Store.open(voicemock_home) as store:
        session = store.latest_session()
        assert session is not None and session.status == "complete"
        answer, follow_up = store.answers(session.id)
        assert session.scorecard is not None
    assert follow_up.parent_id == answer.id
    assert follow_up.gap is not None and follow_up.gap["kind"] == "ownership"
    assert follow_up.gap["status"] == "closed"
    assert "decided" in (follow_up.transcript or "").lower()

    shown_review = CliRunner().invoke(cli, ["review", "--no-color"])
    assert shown_review.exit_code == 0
    out = shown_review.stdout
    assert out.index("Question 1 · answer 1") < out.index("Follow-up 1  · answer 2")
    assert "Gap: shared ownership — closed: “I decided to delay the launch" in out
    assert "Bar-raiser scorecard" in out
