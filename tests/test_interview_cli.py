"""Every example in `voicemock interview --help` and `voicemock practice --help` runs.

Examples with answer files run as written, in a directory holding those files; the ones
that need a microphone and a voice get the same round with scripted parts in their
place (a recorder writing real speech, a fake speaker, a fake transcriber, an injected
clock so thinking time passes at once): their options and the whole round run for real.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.fakes import FakeSpeaker, FakeTranscriber
from tests.interview_helpers import MAIN_WE, REPLY_I
from tests.practice_helpers import ClockRecorder, FakeClock
from tests.speech_helpers import espeak_wav
from tests.test_practice import ANSWER
from voicemock.audio.io import load_audio
from voicemock.cli import cli
from voicemock.env import Environment, RecorderRequest
from voicemock.storage import Store


def examples(command: str) -> list[list[str]]:
    """The example command lines of ``voicemock COMMAND --help`` (continuations joined,
    comments dropped), without the leading ``voicemock``."""
    text = CliRunner().invoke(cli, [command, "--help"]).output
    block = text.split("Examples:", 1)[1]
    joined = re.sub(r"\\\n\s*", " ", block)
    found = []
    for line in joined.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("voicemock "):
            found.append(shlex.split(line)[1:])
    return found


class NeverPressed:
    closed = True

    def drain(self) -> None:
        return None

    def pressed(self, timeout: float = 0.0) -> bool:
        return False


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> tuple[Path, np.ndarray]:
    path = espeak_wav(espeak, ANSWER, tmp_path_factory.mktemp("speech") / "answer.wav")
    return path, load_audio(path)


def scripted_env(audio: np.ndarray, speaker: FakeSpeaker) -> Environment:
    clock = FakeClock()
    transcriber = FakeTranscriber().enqueue(*([MAIN_WE, REPLY_I] * 12))

    def recorder(request: RecorderRequest) -> ClockRecorder:
        if request.answer_file is not None:
            source = load_audio(request.answer_file)
            return ClockRecorder(clock, source, max_seconds=request.max_seconds, ends=True)
        return ClockRecorder(clock, audio, max_seconds=request.max_seconds, ends=True)

    return Environment(
        clock=clock,
        sleep=clock.sleep,
        recorder_factory=recorder,  # type: ignore[arg-type]
        transcriber_factory=lambda _m: transcriber,
        speaker_factory=lambda _c: speaker,
        keys_factory=NeverPressed,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("command", ["interview", "practice"])
def test_every_help_example_runs(
    command: str,
    speech: tuple[Path, np.ndarray],
    tmp_path: Path,
    voicemock_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wav, audio = speech
    lines = examples(command)
    assert len(lines) >= 3
    monkeypatch.chdir(tmp_path)
    for args in lines:
        for n, arg in enumerate(args[:-1]):
            if arg == "--answer-file":
                (tmp_path / args[n + 1]).write_bytes(wav.read_bytes())
    if command == "practice":  # `practice --story 1` tells story 1
        made = CliRunner().invoke(cli, ["stories", "add", "Checkout payment form"])
        assert made.exit_code == 0, made.output
    for sessions, args in enumerate(lines, 1):
        speaker = FakeSpeaker()
        result = CliRunner().invoke(cli, args, obj=scripted_env(audio, speaker))
        assert result.exit_code == 0, (args, result.output, result.stderr)
        assert "Round summary" in result.stdout, args
        with Store.open(voicemock_home) as store:
            session = store.latest_session()
            assert session is not None and session.id == sessions
            assert session.settings["mode"] == command
            records = store.answers(session.id)
        follow_ups = int(args[args.index("--follow-ups") + 1]) if "--follow-ups" in args else 1
        if follow_ups and "--answer-file" not in args:
            assert any(r.is_reply for r in records), args
        if "--no-voice" in args:
            assert speaker.said == []
        else:
            assert speaker.said, args  # the questions and follow-ups were read aloud
        if command == "interview":
            assert "Bar-raiser scorecard" in result.stdout and session.scorecard is not None


def test_the_acceptance_example_is_in_the_interview_help() -> None:
    wanted = (
        "interview --questions 2 --follow-ups 1 --answer-file a1.wav --answer-file r1.wav"
        " --answer-file a2.wav --answer-file r2.wav --fast --no-voice"
    )
    assert wanted.split() in examples("interview")
