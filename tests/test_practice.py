"""The practice round's logic with scripted parts: an injected clock (no sleeping), a
recorder that writes real speech as the clock advances, scripted Enter presses, a fake
speaker and a fake transcriber; the database, VAD, analysis and rendering are real."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.fakes import EventView, FakeSpeaker, FakeTranscriber
from tests.practice_helpers import ClockRecorder, FakeClock, ScriptedKeys
from tests.speech_helpers import espeak_wav
from voicemock.audio.io import load_audio
from voicemock.cli import cli
from voicemock.env import Environment, RecorderRequest
from voicemock.practice import PracticeOptions, RoundResult, RoundView, plan_round, run_practice
from voicemock.render import make_console
from voicemock.render.practice import TerminalRoundView
from voicemock.storage import Store
from voicemock.timing import Target

ANSWER = [
    # Pauses under 0.4 s: the answer is transcribed as one chunk, one queued fake text.
    ("At my last company I owned the checkout page.", 300),
    ("I decided to cut the form to one page because people dropped off.", 300),
    ("Conversion went from sixty to eighty one percent in six weeks.", 300),
]
ANSWER_TEXT = " ".join(s for s, _ in ANSWER)


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> np.ndarray:
    path = espeak_wav(espeak, ANSWER, tmp_path_factory.mktemp("speech") / "answer.wav")
    return load_audio(path)


class Rig:
    """A practice round wired to scripted parts, with what each part saw."""

    def __init__(
        self,
        home: Path,
        speech: np.ndarray,
        *,
        keys_at: list[float] | None = None,
        recorder_kwargs: dict[str, object] | None = None,
        speaker: FakeSpeaker | None = None,
        transcripts: int = 5,
    ) -> None:
        self.clock = FakeClock()
        self.out = io.StringIO()
        self.out.isatty = lambda: True  # type: ignore[method-assign]
        self.recorders: list[ClockRecorder] = []
        self.transcriber = FakeTranscriber("fake-model")
        for _ in range(transcripts):
            self.transcriber.enqueue(ANSWER_TEXT)
        kwargs = recorder_kwargs or {}

        def make_recorder(request: RecorderRequest) -> ClockRecorder:
            recorder = ClockRecorder(self.clock, speech, max_seconds=request.max_seconds, **kwargs)  # type: ignore[arg-type]
            self.recorders.append(recorder)
            return recorder

        self.speaker = speaker or FakeSpeaker()
        self.keys = ScriptedKeys(self.clock, list(keys_at or [])).start()
        self.env = Environment(
            stdout=self.out,
            stderr=io.StringIO(),
            environ={**os.environ, "VOICEMOCK_HOME": str(home)},
            color=False,
            clock=self.clock,
            sleep=self.clock.sleep,
            recorder_factory=make_recorder,  # type: ignore[arg-type]
            transcriber_factory=lambda _model: self.transcriber,
            speaker_factory=lambda _config: self.speaker,
            keys_factory=lambda: self.keys,
        )

    def run(
        self, options: PracticeOptions, view: RoundView | None = None
    ) -> tuple[RoundResult, Store]:
        """The real ``run_practice``, drawn by the terminal view unless ``view`` is given."""
        view = view or TerminalRoundView(self.env, make_console(self.env))
        result = run_practice(self.env, options, view=view)
        return result, Store.open(self.env.home)


def test_enter_ends_the_answer_and_it_is_saved(voicemock_home: Path, speech: np.ndarray) -> None:
    rig = Rig(voicemock_home, speech, keys_at=[12.0])
    result, store = rig.run(PracticeOptions(follow_ups=0, count=1, seed=3, think_s=0))
    (outcome,) = result.outcomes
    assert outcome.stopped_by == "enter"
    assert rig.speaker.said == [outcome.question.text]
    assert rig.speaker.tones == 1  # the start tone, once the question was read
    stored = store.answers(result.session_id)
    assert [a.status for a in stored] == ["complete"]
    answer = stored[0]
    assert 11.9 <= (answer.duration_s or 0) <= 12.2
    assert answer.audio_path is not None and answer.audio_path.exists()
    assert oct(answer.audio_path.stat().st_mode & 0o777) == "0o600"
    assert answer.transcript == ANSWER_TEXT
    assert answer.analysis["question"] == outcome.question.text
    assert answer.analysis["model"] == "fake-model"
    assert answer.words and answer.words[0]["word"] == "At"
    assert store.get_session(result.session_id).status == "complete"
    out = rig.out.getvalue()
    assert "Question 1 of 1" in out
    assert "Recorded 0:12." in out
    assert "Timing" in out and "Advice" in out


def test_another_view_is_told_every_step_and_the_round_writes_nothing(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    """The round talks only to its view: a view that draws nothing gets every step in
    order, and nothing reaches the environment's streams."""
    rig = Rig(
        voicemock_home,
        speech,
        keys_at=[3.0, 9.0],
        speaker=FakeSpeaker(fail="espeak-ng is not installed"),
    )
    view = EventView()
    result, store = rig.run(PracticeOptions(follow_ups=0, count=1, seed=3, think_s=5), view=view)
    assert view.names() == [
        "question",
        "voice_unavailable",
        "think_start",
        "think_tick",
        "think_end",
        "recording",
        "recording_ended",
        "stopped",
        "working",
        "report",
        "finished",
    ]
    assert rig.out.getvalue() == "" and rig.env.err.getvalue() == ""  # type: ignore[attr-defined]
    [(question, details)] = view.args("question")
    assert details == {
        "position": 1,
        "total": 1,
        "set_name": "amazon-pm",
        "target": Target(),
        "attempt": 1,
    }
    assert view.args("think_start") == [(5.0,)]
    ticks = [left for (left,) in view.args("think_tick")]
    assert ticks[:2] == pytest.approx([5.0, 4.9]) and ticks == sorted(ticks, reverse=True)
    [(reason, duration, target)] = view.args("stopped")
    assert target == Target()
    assert reason == "enter" and 5.9 <= float(duration) <= 6.2  # type: ignore[arg-type]
    elapsed = [e for e, _level, _target in view.args("recording")]
    assert elapsed == sorted(elapsed) and 5.8 <= float(elapsed[-1]) <= 6.1  # type: ignore[arg-type]
    [(outcome,)] = view.args("report")
    assert outcome is result.outcomes[0] and result.outcomes[0].doc is not None
    assert result.outcomes[0].doc["question"] == question.text  # type: ignore[attr-defined]
    assert view.args("finished") == [(result,)]
    assert [a.status for a in store.answers(result.session_id)] == ["complete"]


def test_zones_pass_by_and_the_cap_stops_the_recording(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    """A 4-minute answer with no Enter: the line walks through every zone, the cap stops it."""
    rig = Rig(voicemock_home, speech, recorder_kwargs={"honour_cap": False})
    result, store = rig.run(PracticeOptions(follow_ups=0, count=1, seed=1, think_s=0))
    (outcome,) = result.outcomes
    assert outcome.stopped_by == "cap"
    (recorder,) = rig.recorders
    assert 240.0 <= recorder.elapsed <= 240.11
    assert recorder.waits >= 2390  # ticks of 0.1 s, no real sleeping
    out = rig.out.getvalue()
    seen = [
        out.index("window opens in 2:30"),
        out.index("in the window, 1:00 left"),
        out.index("past the window: wrap up"),
        out.index("stopping at 4:00 in 0:15"),
        out.index("Stopped at the 4:00 cap"),
    ]
    assert seen == sorted(seen)
    assert store.answers(result.session_id)[0].analysis["timing_verdict"] == "over_cap"


def test_the_recorder_own_cap_is_reported(voicemock_home: Path, speech: np.ndarray) -> None:
    rig = Rig(voicemock_home, speech)
    result, _ = rig.run(
        PracticeOptions(follow_ups=0, count=1, seed=1, think_s=0, window="0:20-0:40", cap="1:00")
    )
    assert result.outcomes[0].stopped_by == "cap"
    assert 59.9 <= rig.recorders[0].elapsed <= 60.1
    assert "Stopped at the 1:00 cap" in rig.out.getvalue()


def test_thinking_time_counts_down_and_enter_skips_it(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    rig = Rig(voicemock_home, speech, keys_at=[4.0, 10.0])
    start = rig.clock()
    result, _ = rig.run(PracticeOptions(follow_ups=0, count=1, seed=2, think_s=30))
    out = rig.out.getvalue()
    assert "Think: 0:30 left" in out and "Think: 0:27 left" in out
    assert "Think: 0:25 left" not in out  # Enter at 4 s ended it
    # recording started after the 4 s of thinking and lasted until Enter at 10 s
    assert result.outcomes[0].stopped_by == "enter"
    assert 5.9 <= rig.recorders[0].elapsed <= 6.2
    assert rig.clock() - start < 11


def test_a_round_of_three_and_the_summary(voicemock_home: Path, speech: np.ndarray) -> None:
    rig = Rig(voicemock_home, speech, keys_at=[8.0, 16.0, 24.0])
    result, store = rig.run(PracticeOptions(follow_ups=0, count=3, seed=5, think_s=0))
    assert len(result.outcomes) == 3
    assert len({o.question.id for o in result.outcomes}) == 3
    assert len(rig.speaker.said) == 3
    assert [a.position for a in store.answers(result.session_id)] == [1, 2, 3]
    history = store.last_practised("amazon-pm")
    assert set(history) == {o.question.id for o in result.outcomes}
    # the next round starts with questions not practised yet
    rig2 = Rig(voicemock_home, speech, keys_at=[8.0])
    result2, _ = rig2.run(PracticeOptions(follow_ups=0, count=1, seed=5, think_s=0))
    assert result2.outcomes[0].question.id not in history


def test_no_voice_engine_is_one_notice_and_the_round_goes_on(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    rig = Rig(
        voicemock_home,
        speech,
        keys_at=[5.0, 10.0],
        speaker=FakeSpeaker(fail="espeak-ng is not installed"),
    )
    result, store = rig.run(PracticeOptions(follow_ups=0, count=2, seed=1, think_s=0))
    out = rig.out.getvalue()
    assert out.count("voice unavailable: espeak-ng is not installed") == 1
    assert [a.status for a in store.answers(result.session_id)] == ["complete", "complete"]


def test_silence_is_saved_as_no_speech(voicemock_home: Path) -> None:
    silence = np.zeros(16000 * 5, dtype=np.float32)
    rig = Rig(voicemock_home, silence, keys_at=[4.0])
    result, store = rig.run(PracticeOptions(follow_ups=0, count=1, seed=1, think_s=0))
    (answer,) = store.answers(result.session_id)
    assert answer.status == "failed"
    assert answer.error == "no speech detected"
    assert answer.audio_path is not None and answer.audio_path.exists()
    assert "No speech detected" in rig.out.getvalue()


def test_ctrl_c_while_recording_keeps_the_answer(voicemock_home: Path, speech: np.ndarray) -> None:
    rig = Rig(voicemock_home, speech, recorder_kwargs={"interrupt_at": 7.0})
    store = Store.open(rig.env.ensure_home())
    with pytest.raises(KeyboardInterrupt):
        rig.run(PracticeOptions(follow_ups=0, count=2, seed=1, think_s=0))
    session = store.latest_session()
    assert session is not None and session.status == "interrupted"
    (answer,) = store.answers(session.id)
    assert answer.status == "interrupted"
    assert 6.9 <= (answer.duration_s or 0) <= 7.2
    assert answer.transcript == ANSWER_TEXT
    assert rig.recorders[0].stopped


def test_targets_come_from_the_set_then_the_command_line(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    rig = Rig(voicemock_home, speech)
    store = Store.open(rig.env.ensure_home())
    ids = ("about-you", "proudest-achievement")
    plan = plan_round(rig.env, store, PracticeOptions(set_ref="general", question_ids=ids))
    # the question's own target, then the set's
    assert plan.targets == (Target(60, 120, 180), Target(120, 180, 240))
    assert plan.think_s == 10
    # the command line overrides both, where it says something
    plan = plan_round(
        rig.env, store, PracticeOptions(set_ref="general", question_ids=ids, cap="3:30")
    )
    assert plan.targets == (Target(60, 120, 210), Target(120, 180, 210))
    plan = plan_round(
        rig.env,
        store,
        PracticeOptions(follow_ups=0, count=2, seed=1, window="1:00-2:00", cap="2:30", think_s=0),
    )
    assert set(plan.targets) == {Target(60, 120, 150)}
    assert plan.think_s == 0


# -- through the command line, with the real file recorder ---------------------------------


def test_practice_command_with_an_answer_file(
    voicemock_home: Path, tmp_path: Path, espeak: str
) -> None:
    wav = espeak_wav(espeak, ANSWER, tmp_path / "answer.wav")
    transcriber = FakeTranscriber("fake-model").enqueue(ANSWER_TEXT)
    env = Environment(transcriber_factory=lambda _m: transcriber)
    result = CliRunner().invoke(
        cli,
        ["practice", "--answer-file", str(wav), "--fast", "--no-voice", "-n", "1", "--seed", "4"],
        obj=env,
        input="",
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert "Answer file finished" in result.stdout
    assert "Round summary" in result.stdout
    store = Store.open(voicemock_home)
    (answer,) = store.answers(store.latest_session().id)  # type: ignore[union-attr]
    assert abs((answer.duration_s or 0) - len(load_audio(wav)) / 16000) < 0.15
    review = CliRunner().invoke(cli, ["review", "--no-color"])
    assert review.exit_code == 0
    assert "I decided" in review.stdout and "Advice" in review.stdout
    exported = CliRunner().invoke(cli, ["sessions", "export", "latest"])
    assert json.loads(exported.stdout)["session"]["answers"][0]["transcript"] == ANSWER_TEXT


def test_practice_without_a_microphone_is_one_line(voicemock_home: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PULSE_SERVER": f"unix:{tmp_path}/none",
        "VOICEMOCK_HOME": str(voicemock_home),
    }
    env.pop("DISPLAY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "voicemock", "practice", "--no-voice", "-n", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        input="",
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--answer-file" in lines[0], proc.stderr
    assert not list(voicemock_home.glob("audio/**/*.wav"))


def test_bad_answer_file_fails_before_anything_starts(voicemock_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "answer.wav"
    bad.write_bytes(b"not audio at all" * 100)
    result = CliRunner().invoke(cli, ["practice", "--answer-file", str(bad), "--no-voice"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot read" in result.stderr
    assert (
        not (voicemock_home / "voicemock.db").exists()
        or not Store.open(voicemock_home).list_sessions()
    )


def test_fast_needs_an_answer_file() -> None:
    result = CliRunner().invoke(cli, ["practice", "--fast"])
    assert result.exit_code == 2 and "--fast only applies" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_a_full_disk_is_refused_before_recording(tmp_path: Path, espeak: str) -> None:
    from tests.storage_helpers import tmpfs

    wav = espeak_wav(espeak, ANSWER, tmp_path / "answer.wav")
    with tmpfs(tmp_path / "disk", "12m") as disk:
        home = disk / "home"
        env = Environment(
            environ={**os.environ, "VOICEMOCK_HOME": str(home)},
            transcriber_factory=lambda _m: FakeTranscriber().enqueue(ANSWER_TEXT),
        )
        result = CliRunner().invoke(
            cli, ["practice", "--answer-file", str(wav), "--fast", "--no-voice"], obj=env
        )
        assert result.exit_code == 2
        assert "not enough free space" in result.stderr and result.stderr.count("\n") == 1
        assert not list(home.glob("audio/**/*.wav"))
