"""`voicemock practice` end to end in a pseudo-terminal, against real PortAudio.

A private PulseAudio daemon stands in for the sound card: the ``mic`` null sink's monitor is
the microphone (a real speech clip is played into it) and the ``speaker`` null sink's
monitor shows what the app played (the question, read aloud). Real espeak-ng, the real
model, real SQLite; the test presses Enter like a user.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import numpy as np
import pexpect
import pytest
from click.testing import CliRunner

from tests import pulse_helpers
from tests.practice_helpers import spawn_voicemock
from tests.pulse_helpers import PulseAudio
from tests.speech_helpers import content_words, read_references, wer
from voicemock.audio.io import load_audio
from voicemock.cli import cli
from voicemock.storage import Store

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

pulse_daemon, pulse = pulse_helpers.pulse_daemon, pulse_helpers.pulse

CLIP = "librispeech/2412-153948-0000.flac"
QUESTION = (
    "Tell me about a time you had to make an important product decision without enough "
    "data. What options did you consider, which risks did you accept, and how did you "
    "measure whether the decision was right for customers?"
)


def write_set(path: Path) -> Path:
    path.write_text(
        f"""name = "e2e"
description = "one long question for the end-to-end test"
think_s = 0
target = {{ min_s = 20, max_s = 40, cap_s = 60 }}

[[questions]]
id = "decide-without-data"
text = "{QUESTION}"
tags = ["are-right-a-lot"]
""",
        encoding="utf-8",
    )
    return path


def test_a_spoken_round_end_to_end(
    pulse: PulseAudio, shared_audio: Path, tmp_path: Path, voicemock_home: Path
) -> None:
    qset = write_set(tmp_path / "e2e.toml")
    clip = pulse.playable(shared_audio / CLIP)
    clip_s = len(load_audio(clip)) / 16000
    with pulse.capture_speaker() as heard:
        # One answer, no follow-up (test_interview_e2e has the spoken follow-up).
        child = spawn_voicemock(
            ["practice", "--set", str(qset), "--count", "1", "--follow-ups", "0"], tmp_path
        )
        child.expect("Question 1 of 1")
        child.expect("Enter to finish", timeout=120)  # the question was read; recording
        player = pulse.play_into_mic(clip)
        assert player.wait(timeout=60) == 0
        child.send("\r")
        child.expect("Recorded", timeout=30)
        child.expect("try this question again now", timeout=300)  # Enter: go on
        child.send("\r")
        child.expect("Round summary", timeout=300)
        child.expect(pexpect.EOF, timeout=60)
        child.close()
        assert child.exitstatus == 0, child.before
    # The question arrived at the output device: its words are in what the speaker played.
    from voicemock.asr import transcribe
    from voicemock.asr.whisper import WhisperTranscriber

    spoken = load_audio(heard.path)
    assert np.sqrt(np.mean(spoken**2)) > 0.005
    whisper = WhisperTranscriber.load()
    said = content_words(transcribe(spoken, whisper).text)
    for word in ("product", "decision", "data", "customers"):
        assert word in said, said

    with Store.open(voicemock_home) as store:
        session = store.latest_session()
        assert session is not None and session.status == "complete"
        (answer,) = store.answers(session.id)
    assert answer.status == "complete"
    assert answer.question_text == QUESTION
    assert answer.audio_path is not None
    saved_s = len(load_audio(answer.audio_path)) / 16000
    assert abs(saved_s - clip_s) <= 1.0, (saved_s, clip_s)
    assert abs((answer.duration_s or 0) - saved_s) < 0.05
    reference = read_references(shared_audio)[CLIP]
    assert wer([reference], [answer.transcript or ""]) <= 0.15
    assert answer.overflow_count == 0

    shown = CliRunner().invoke(cli, ["review", "--no-color"])
    assert shown.exit_code == 0
    assert "painful to myself" in shown.stdout.lower()
    assert "Timing" in shown.stdout and "0:1" in shown.stdout


def test_a_killed_recording_is_recovered_by_the_next_start(
    pulse: PulseAudio, shared_audio: Path, tmp_path: Path, voicemock_home: Path
) -> None:
    """SIGKILL 10 s into a recording; the next `voicemock practice` stores ≥ 9 s of it."""
    qset = write_set(tmp_path / "e2e.toml")
    long_clip = tmp_path / "long.wav"
    parts = [load_audio(shared_audio / p) for p in (CLIP, "librispeech/1089-134686-0000.flac")]
    import soundfile

    soundfile.write(str(long_clip), np.concatenate(parts), 16000, subtype="PCM_16")

    child = spawn_voicemock(
        ["practice", "--set", str(qset), "--count", "1", "--no-voice"], tmp_path
    )
    child.expect("Enter to finish", timeout=120)
    started = time.monotonic()
    pulse.play_into_mic(long_clip)
    time.sleep(max(0.0, 10.0 - (time.monotonic() - started)))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.signalstatus == signal.SIGKILL

    with Store.open(voicemock_home) as store:
        (left,) = store.answers(store.latest_session().id)  # type: ignore[union-attr]
    assert left.status == "recording"

    answer_file = pulse.playable(shared_audio / "jfk.flac")
    nxt = spawn_voicemock(
        [
            "practice",
            "--set",
            str(qset),
            "--count",
            "1",
            "--no-voice",
            "--fast",
            "--answer-file",
            str(answer_file),
        ],
        tmp_path,
    )
    # Said at once, before the slow part (issue 9, item 15), then what became of it.
    nxt.expect(r"Recovering the answer interrupted at \d\d:\d\d \(session 1, answer 1, ", 120)
    nxt.expect("Recovered an interrupted answer", timeout=300)
    nxt.expect("Round summary", timeout=300)
    nxt.expect(pexpect.EOF)
    nxt.close()
    assert nxt.exitstatus == 0

    with Store.open(voicemock_home) as store:
        recovered = store.answer(left.id)
        first = store.get_session(left.session_id)
    assert recovered.status == "interrupted"
    assert first.status == "interrupted"
    assert (recovered.duration_s or 0) >= 9.0
    words = content_words(recovered.transcript or "")
    assert words[:4] == ["if", "the", "reader", "will"], words
    exported = json.loads(
        CliRunner().invoke(cli, ["sessions", "export", str(left.session_id)]).stdout
    )
    assert exported["session"]["answers"][0]["status"] == "interrupted"
