"""Rough edges a first round hit (issue 9), through the real click commands: bare groups,
the export format, model names, VOICEMOCK_HOME as a file, fewer questions than asked for,
the recovery notice, and `play` without a speaker."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner, Result

from tests import pulse_helpers
from tests.fakes import EventView, FakeSpeaker, FakeTranscriber
from tests.storage_helpers import raw, seed, spawn_python
from tests.test_cli_help import ALL
from voicemock.audio.playback import END_GRACE_S, PAUSE_S, STALL_S, StallWatch
from voicemock.cli import cli, export_format
from voicemock.env import Environment
from voicemock.errors import InputError
from voicemock.practice import PracticeOptions, run_practice
from voicemock.recovery import announcement, recover_interrupted
from voicemock.storage import Store

no_audio_server = pulse_helpers.no_audio_server


def run(*args: str, obj: Environment | None = None, **kwargs: object) -> Result:
    return CliRunner().invoke(cli, list(args), obj=obj, **kwargs)  # type: ignore[arg-type]


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# -- item 2: a group without a subcommand prints its help ----------------------------------


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.commands[name]
        command = found
    return command


GROUPS = [p for p in ALL if isinstance(command_at(p), click.Group)]
LEAVES = [p for p in ALL if p not in GROUPS]


@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "voicemock")
def test_a_group_without_a_subcommand_prints_plain_help_and_exits_0(
    path: tuple[str, ...],
) -> None:
    bare = run(*path)
    assert bare.exit_code == 0, bare.output
    assert bare.stderr == ""
    assert bare.stdout == run(*path, "--help").stdout
    assert "Error" not in bare.stdout and "(see 'voicemock" not in bare.stdout
    assert bare.stdout.rstrip().splitlines()[-1].lstrip().startswith("voicemock ")


def test_the_groups_are_all_there() -> None:
    assert {" ".join(p) for p in GROUPS} >= {"", "sessions", "sets", "models", "stories"}


def test_a_real_usage_error_still_gets_its_hint() -> None:
    result = run("sessions", "nosuch")
    assert one_line_error(result).endswith("sessions --help')")  # CliRunner names it 'cli'


# -- item 9: sessions export takes the format from the extension ------------------------------


@pytest.mark.parametrize(
    ("fmt", "output", "expected"),
    [
        (None, None, "json"),
        (None, "-", "json"),
        (None, "round3.md", "markdown"),
        (None, "ROUND3.MARKDOWN", "markdown"),
        (None, "round3.json", "json"),
        (None, "round3.txt", "json"),
        ("markdown", "round3.txt", "markdown"),
        ("MARKDOWN", "round3.md", "markdown"),
        ("json", "round3.json", "json"),
    ],
)
def test_export_format(fmt: str | None, output: str | None, expected: str) -> None:
    assert export_format(fmt, output) == expected


def test_export_writes_markdown_into_an_md_file_and_refuses_a_contradiction(
    voicemock_home: Path, tmp_path: Path
) -> None:
    seeded = seed(voicemock_home)
    md = tmp_path / "round3.md"
    result = run("sessions", "export", str(seeded.first), "-o", str(md))
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert text.startswith("#") and not text.lstrip().startswith("{")
    as_json = tmp_path / "round3.json"
    assert run("sessions", "export", str(seeded.first), "-o", str(as_json)).exit_code == 0
    assert as_json.read_text(encoding="utf-8").startswith("{")
    clash = tmp_path / "x.md"
    error = one_line_error(run("sessions", "export", "1", "--format", "json", "-o", str(clash)))
    assert error == (
        f"Error: --format json contradicts the file name {clash} (a markdown file): "
        "drop --format, or name the file x.json"
    )
    assert not clash.exists()
    error = one_line_error(run("sessions", "export", "1", "--format", "markdown", "-o", "y.json"))
    assert "contradicts the file name y.json (a json file)" in error


# -- item 10: models download checks the name first; list shows a missing model -------------


def test_download_of_an_unknown_model_says_so_before_anything_else() -> None:
    result = run("models", "download", "nosuch")
    assert one_line_error(result).startswith("Error: unknown model 'nosuch': try one of ")
    assert "Downloading" not in result.output
    assert result.stdout == ""


def test_models_list_shows_a_configured_model_that_is_missing(
    voicemock_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "no-such-model-dir"
    voicemock_home.mkdir(parents=True)
    (voicemock_home / "config.toml").write_text(f'model = "{gone}"\n', encoding="utf-8")
    result = run("models", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("  tiny.en ") and " bundled " in lines[0]  # not in use
    (missing,) = [line for line in lines if " missing " in line]
    assert missing.startswith(f"* {gone}")
    assert f"named in config.toml, but model directory {gone} does not exist" in missing
    # A model name from the environment, not downloaded here.
    monkeypatch.setenv("VOICEMOCK_MODEL", "distil-large-v3")
    result = run("models", "list")
    (missing,) = [line for line in result.stdout.splitlines() if line.startswith("*")]
    assert re.match(r"\* distil-large-v3 +missing +named in VOICEMOCK_MODEL, but ", missing)
    assert "voicemock models download distil-large-v3" in missing
    # The bundled model in use: marked, nothing missing.
    monkeypatch.setenv("VOICEMOCK_MODEL", "tiny.en")
    result = run("models", "list")
    assert result.stdout.splitlines()[0].startswith("* tiny.en ")
    assert "missing" not in result.stdout


# -- item 12: VOICEMOCK_HOME pointing at a file -------------------------------------------------


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_says_when_voicemock_home_is_a_file(
    path: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home-file"
    home.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("VOICEMOCK_HOME", str(home))
    # Enough arguments for each command to get past parsing.
    args = {
        "analyze": ["answer.wav"],
        "play": ["1", "1"],
        "models download": ["nosuch"],
        "sessions export": ["1"],
        "sessions delete": ["1"],
        "sets show": ["x"],
        "sets new": ["x"],
        "sets import": ["x.txt"],
        "sets delete": ["x"],
        "sets edit": ["x"],
        "stories add": ["x"],
        "stories show": ["1"],
        "stories edit": ["1"],
        "stories rm": ["1"],
        "stories link": ["1:1", "1"],
        "stories unlink": ["1:1"],
        "stories suggest": ["1:1"],
    }.get(" ".join(path), [])
    result = run(*path, *args)
    assert one_line_error(result) == (
        f"Error: VOICEMOCK_HOME must be a directory, but {home} is a file: "
        "point VOICEMOCK_HOME at a directory, or unset it"
    )
    assert home.read_text(encoding="utf-8") == "not a directory"  # untouched
    assert run(*path, "--help").exit_code == 0  # help still works


def test_a_path_under_a_file_is_named_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("VOICEMOCK_HOME", str(blocker / "voicemock"))
    assert one_line_error(run("sessions", "list")) == (
        f"Error: VOICEMOCK_HOME must be a directory, but {blocker} is a file: "
        "point VOICEMOCK_HOME at a directory, or unset it"
    )


def test_a_home_that_does_not_exist_yet_is_fine(voicemock_home: Path) -> None:
    assert not voicemock_home.exists()
    result = run("sessions", "list")
    assert result.exit_code == 0 and "No sessions yet" in result.stdout


# -- item 13: fewer questions than asked for ---------------------------------------------------


def practice_env(tmp_path: Path) -> tuple[Environment, EventView]:
    from tests.practice_helpers import FakeClock

    clock = FakeClock()
    env = Environment(
        environ={"VOICEMOCK_HOME": str(tmp_path / "home")},
        clock=clock,
        sleep=clock.sleep,
        transcriber_factory=lambda _model: FakeTranscriber(),
        speaker_factory=lambda _config: FakeSpeaker(),
    )
    return env, EventView()


def plan_notes(tmp_path: Path, **options: object) -> list[str]:
    """The warnings a round shows before its first question (it stops at the recorder)."""
    env, view = practice_env(tmp_path)

    def no_recorder(_request: object) -> object:
        raise InputError("stop here")

    env.recorder_factory = no_recorder  # type: ignore[assignment]
    with pytest.raises(InputError, match="stop here"):
        run_practice(env, PracticeOptions(voice=False, seed=1, **options), view=view)  # type: ignore[arg-type]
    return [str(args[0]) for args in view.args("warning")]


def test_fewer_questions_than_asked_for_is_said(tmp_path: Path) -> None:
    assert plan_notes(tmp_path, tags=("frugality",), count=5) == [
        "only 3 questions in amazon-pm have the tag frugality: asking those 3, not 5"
    ]
    assert plan_notes(tmp_path, tags=("frugality",), count=3) == []
    assert plan_notes(tmp_path, set_ref="general", question_ids=("about-you",), count=2) == [
        "--count 2, but 1 question named with --question: asking that one, not 2"
    ]


def test_the_tagged_shortfall_counts_what_the_set_has(tmp_path: Path) -> None:
    from voicemock.questions import Catalog

    qset = Catalog.discover().get("amazon-pm")
    have = len(qset.tagged(("frugality", "Earn Trust")))
    (note,) = plan_notes(tmp_path, tags=("frugality", "Earn Trust"), count=have + 5)
    assert note == (
        f"only {have} questions in amazon-pm have one of the tags frugality, Earn Trust: "
        f"asking those {have}, not {have + 5}"
    )


def test_the_cli_shows_the_shortfall_before_the_first_question(
    tmp_path: Path, shared_audio: Path
) -> None:
    """`practice --tag frugality --count 5` with an answer file per question: the note, then
    3 questions."""
    env, _ = practice_env(tmp_path)
    env.transcriber_factory = lambda _m: FakeTranscriber().enqueue(*["I saved money"] * 50)
    result = CliRunner().invoke(
        cli,
        [
            "practice",
            "--tag",
            "frugality",
            "--count",
            "5",
            "--no-voice",
            "--fast",
            "--no-color",
            "--follow-ups",
            "0",
            *[arg for _ in range(3) for arg in ("--answer-file", str(shared_audio / "jfk.flac"))],
        ],
        obj=env,
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    note = "Warning: only 3 questions in amazon-pm have the tag frugality: asking those 3, not 5"
    assert note in out
    assert out.index(note) < out.index("Question 1 of 3")
    assert "Question 3 of 3" in out and "of 5" not in out


# -- item 15: a crashed answer is announced before it is recovered -------------------------


def orphan(home: Path, audio: np.ndarray) -> int:
    """An answer left `recording` by a process that is gone, with a real WAV."""
    import soundfile

    with Store.open(home) as store:
        session = store.create_session(set_name="amazon-pm", model="fake")
        record = store.start_answer(
            session.id, question_id="ownership-1", question_text="Tell me about ownership."
        )
        assert record.audio_path is not None
        soundfile.write(str(record.audio_path), audio, 16000, subtype="PCM_16")
    dead = spawn_python("pass")
    dead.wait(timeout=10)
    raw(home).execute("UPDATE answers SET pid = ? WHERE id = ?", (dead.pid, record.id))
    return record.id


def speech(shared_audio: Path) -> np.ndarray:
    from voicemock.audio.io import load_audio

    return load_audio(shared_audio / "jfk.flac")


def test_recovery_is_announced_before_the_slow_work(
    voicemock_home: Path, shared_audio: Path
) -> None:
    answer_id = orphan(voicemock_home, speech(shared_audio))
    asked: list[str] = []

    def transcriber() -> FakeTranscriber:
        asked.append("now")
        return FakeTranscriber().enqueue(*["And so my fellow Americans"] * 10)

    with Store.open(voicemock_home) as store:
        lines = recover_interrupted(store, transcriber)
        first = next(lines)
        # Shown before the model is even asked for, and before anything is stored.
        assert asked == []
        assert store.answer(answer_id).status == "recording"
        assert re.fullmatch(
            r"Recovering the answer interrupted at \d\d:\d\d "
            r"\(session 1, answer 1, 0:1[01] recorded\)…",
            first,
        ), first
        second = next(lines)
        assert asked == ["now"]
        assert second.startswith("Recovered an interrupted answer (session 1, answer 1, 0:1")
        assert list(lines) == []
        assert store.answer(answer_id).status == "interrupted"


def test_the_announcement_names_the_day_when_it_was_not_today(
    voicemock_home: Path, shared_audio: Path
) -> None:
    orphan(voicemock_home, speech(shared_audio)[:16000])
    with Store.open(voicemock_home) as store:
        (record,) = store.recordings_to_recover(claim=False)
    later = datetime(2999, 1, 2, 12, 0, tzinfo=timezone.utc)
    assert re.fullmatch(
        r"Recovering the answer interrupted at \d{4}-\d\d-\d\d \d\d:\d\d "
        r"\(session 1, answer 1, 0:01 recorded\)…",
        announcement(record, now=later),
    )


def test_practice_and_sessions_recover_show_it_in_order(
    voicemock_home: Path, shared_audio: Path, tmp_path: Path
) -> None:
    audio = speech(shared_audio)
    orphan(voicemock_home, audio)
    env = Environment(transcriber_factory=lambda _m: FakeTranscriber().enqueue("Ask not"))
    result = run("sessions", "recover", obj=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Recovering the answer interrupted at ")
    assert lines[1].startswith("Recovered an interrupted answer (session 1, answer 1")
    assert run("sessions", "recover", obj=env).stdout == "Nothing to recover.\n"
    # In a round the view is told first, then the round goes on.
    orphan(voicemock_home, audio)
    penv, view = practice_env(tmp_path)
    penv.environ = {"VOICEMOCK_HOME": str(voicemock_home)}
    penv.transcriber_factory = lambda _m: FakeTranscriber().enqueue(*["Ask not"] * 10)

    def stop(_request: object) -> object:
        raise InputError("stop here")

    penv.recorder_factory = stop  # type: ignore[assignment]
    with pytest.raises(InputError):
        run_practice(penv, PracticeOptions(voice=False, count=1), view=view)
    shown = [str(args[0]) for args in view.args("recovered")]
    assert shown[0].startswith("Recovering the answer interrupted at ")
    assert "(session 2, answer 1, 0:1" in shown[0]
    assert shown[1].startswith("Recovered an interrupted answer (session 2, answer 1")


# -- item 8: play checks the speaker first; no stall reported after the end ------------------


def test_play_without_a_speaker_says_so_before_playing_anything(
    voicemock_home: Path, no_audio_server: dict[str, str]
) -> None:
    import soundfile

    from voicemock.audio.devices import list_devices

    pulse_helpers.require(not list_devices(), "a machine without sound cards")
    seeded = seed(voicemock_home)
    soundfile.write(str(seeded.audio[0]), np.zeros(16000, dtype=np.float32), 16000)
    result = run("play", str(seeded.first), "1")
    assert one_line_error(result) == (
        "Error: no speaker found (PortAudio sees no sound device at all)"
    )
    assert result.stdout == ""  # no "Playing answer 1: …" first


def test_stall_watch_tells_a_stall_from_a_pause_and_from_the_end() -> None:
    watch = StallWatch(0.0)
    t = 0.0
    # Progress, then none for STALL_S while this process runs: stalled.
    assert watch.check(t, 100, 1000) == "playing"
    while True:
        t += 0.02
        verdict = watch.check(t, 100, 1000)
        if verdict != "playing":
            break
    assert verdict == "stalled" and STALL_S < t < STALL_S + 0.1
    # The process itself stopped (SIGSTOP, a loaded machine): not the speaker's fault.
    watch = StallWatch(0.0)
    assert watch.check(0.02, 100, 1000) == "playing"
    assert watch.check(0.02 + STALL_S * 3, 100, 1000) == "playing"
    assert watch.check(0.04 + STALL_S * 3, 100, 1000) == "playing"
    assert PAUSE_S < STALL_S
    # Everything handed over: never a stall, and after the grace it counts as ended.
    watch = StallWatch(0.0)
    assert watch.check(1.0, 1000, 1000) == "playing"
    assert watch.check(1.0 + STALL_S * 2, 1000, 1000) == "ended"
    assert END_GRACE_S < STALL_S * 2


def test_the_playing_line_never_cuts_the_question_mid_word(
    voicemock_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import soundfile

    from voicemock.audio import devices, playback

    seeded = seed(voicemock_home)
    soundfile.write(str(seeded.audio[0]), np.zeros(8000, dtype=np.float32), 16000)
    long = (
        "Tell me about a time you took ownership of a problem outside your scope, "
        "what you did first, and how you measured the result"
    )
    raw(voicemock_home).execute("UPDATE answers SET question_text = ? WHERE id = 1", (long,))
    speaker = devices.Device(3, "Speaker", "ALSA", 0, 2, 48000.0, is_default_output=True)
    monkeypatch.setattr(devices, "list_devices", lambda: [speaker])
    played: list[object] = []
    monkeypatch.setattr(playback, "play", lambda *a, **k: played.append(a[2]) or 0.5)
    result = run("play", str(seeded.first), "1")
    assert result.exit_code == 0, result.output
    assert played == [3]
    line = result.stdout.strip()
    shown = line.split(": ", 1)[1].rsplit(" (", 1)[0]
    assert shown.endswith(" …")
    assert long.startswith(shown[: -len(" …")])
    assert long[len(shown) - 2] == " "  # cut where a word ends
    assert len(shown) <= 70


def test_a_missing_speaker_costs_one_synthesis_per_round(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a speaker the questions are shown as text; later questions are not
    synthesised again only to find the same missing device."""
    from voicemock.errors import DeviceError
    from voicemock.tts import speaker as tts

    calls: list[str] = []

    class NoSpeaker:
        def play(self, *_args: object, **_kwargs: object) -> float:
            calls.append("play")
            raise DeviceError("no speaker found (PortAudio sees no sound device at all)")

    def synthesize(text: str, **_kwargs: object) -> tts.Speech:
        calls.append("synthesize")
        return tts.Speech(np.zeros(1600, dtype=np.float32), 16000, text=text)

    monkeypatch.setattr(tts, "synthesize", synthesize)
    speaker = tts.TtsSpeaker(player=NoSpeaker())
    for _ in range(3):
        with pytest.raises(DeviceError, match="no speaker found"):
            speaker.speak("Tell me about a time you failed.")
    assert calls == ["synthesize", "play"]
