"""Every example shown in a `--help` text and in the README runs (issue 9, item 3).

The examples are read from the help texts of every command and from the README's ``sh``
blocks, and each is run as written, in a world made for it: a generated spoken answer (WAV
and M4A), a typed transcript, question files, sets, four practised sessions and three
stories, all made through the real commands (with the real model) once per test session.
Every example gets a fresh copy of that world.

How an example runs depends on what it needs (:func:`in_process`):

- a plain ``voicemock ...`` command runs in this process through click's ``CliRunner``,
  exactly as the console script runs it (the same ``VoicemockGroup.main``, its error
  lines and exit statuses), with the world's environment variables and working directory
  and the real Whisper model, loaded once for all of them; in a round, Enter is pressed as
  soon as each thinking countdown starts (:class:`ReadyAtOnce`), so no example waits out
  the set's 15 s of thinking time per question;
- an example that needs a shell (``~``, globs, pipes to ``jq`` and ``less``,
  redirections), a script, a web browser (``--open``), or that is about the audio devices
  (``devices``, ``play``, a round from the microphone) runs as written by a real ``bash``
  in a subprocess.

Some examples cannot run here; each is listed below with its reason, never skipped
silently:

- ``MICROPHONE``: they record from a microphone. They run all the same, up to the
  microphone: the set, questions, tags and options are all accepted, and the command then
  stops with the one-line "no microphone" error (this test's config names a microphone that
  does not exist, so a machine with a sound card behaves the same).
- ``SPEAKER``: they play to a speaker: likewise run up to the "no speaker" error.
- ``NOT_RUN``: the network, or this test suite itself.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from tests import pulse_helpers
from tests.conftest import ROOT, require
from tests.speech_helpers import espeak_wav
from tests.test_cli_help import ALL
from voicemock.cli import cli
from voicemock.env import Environment

if TYPE_CHECKING:
    from voicemock.asr.whisper import Transcriber

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

no_audio_server = pulse_helpers.no_audio_server

NOT_RUN = {
    "scripts/test": "runs this whole test suite (it is what runs this test)",
    "voicemock models download base.en": "downloads a model: needs the network",
    "voicemock models download small.en": "downloads a model: needs the network",
    "voicemock analyze answer.wav --model base.en": "needs base.en, downloaded from the network",
    "voicemock COMMAND --help": "a placeholder for any command; test_cli_help runs every --help",
}
MICROPHONE = {
    "voicemock practice",
    "voicemock practice --tag ownership --count 2 --think 20",
    "voicemock practice --set general --question about-you",
    "voicemock practice --follow-ups 0",
    "voicemock practice --follow-ups 0 --no-voice --target 2:00-3:00 --cap 3:30",
    "voicemock interview",
    "voicemock interview --questions 4 --follow-ups 2 --set amazon-pm",
    'voicemock practice --tag "Have Backbone" --count 2',
    "voicemock practice --set general --question about-you --think 30",
    "voicemock practice --target 2:00-3:00 --cap 3:30",
    "voicemock practice --no-voice",
}
SPEAKER = {"voicemock play latest 1", "voicemock play 4 2"}

NO_MIC = "voicemock-examples-no-such-microphone"
NO_SPEAKER = "voicemock-examples-no-such-speaker"


# -- the examples --------------------------------------------------------------------------


def _command_lines(lines: list[str]) -> list[str]:
    """Shell commands from lines: ``\\``-continued lines joined, comments dropped."""
    out: list[str] = []
    pending = ""
    for raw in lines:
        line = raw.strip()
        if pending:
            line = pending + " " + line
            pending = ""
        if line.endswith("\\"):
            pending = line[:-1].rstrip()
            continue
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if line.startswith(("voicemock ", "scripts/")) or line == "voicemock":
            out.append(" ".join(line.split()) if "'" not in line and '"' not in line else line)
    return out


def help_examples() -> dict[str, str]:
    """Example -> where it is shown, from every command's --help."""
    found: dict[str, str] = {}
    for path in ALL:
        text = CliRunner().invoke(cli, [*path, "--help"]).output
        block = re.split(r"^\s*Examples?:\s*$", text, maxsplit=1, flags=re.MULTILINE)[1]
        for example in _command_lines(block.splitlines()):
            found.setdefault(example, f"voicemock {' '.join(path)} --help".replace("  ", " "))
    return found


def readme_examples() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for example in _command_lines(block.splitlines()):
            found.setdefault(example, "README.md")
    return found


def all_examples() -> dict[str, str]:
    found = readme_examples()
    for example, where in help_examples().items():
        found[example] = f"{found[example]}, {where}" if example in found else where
    return found


EXAMPLES = all_examples()


def test_the_examples_are_found() -> None:
    """Every command shows examples and the README has its blocks: a broken reader of
    either would make the test below vacuous."""
    helps, readme = help_examples(), readme_examples()
    assert len(helps) >= 60 and len(readme) >= 40, (len(helps), len(readme))
    assert "voicemock practice --set general --question about-you" in helps
    assert any(e.startswith('voicemock stories add "Pricing launch delay"') for e in helps)
    assert "scripts/voicemock --help" in readme


def test_every_exception_is_still_an_example() -> None:
    """The lists of examples not run as such name only examples that exist."""
    for example in (*NOT_RUN, *MICROPHONE, *SPEAKER):
        assert example in EXAMPLES, example


# -- the world they run in -------------------------------------------------------------------

ANSWER = [
    ("I decided to rebuild the payment form in three weeks.", 300),
    ("Conversion rose by eleven percent.", 200),
]
"""A short spoken answer (about 5 s): some examples play it in real time, three times."""
TRANSCRIPT = (
    "Last spring our checkout conversion fell by eight percent. I decided to dig into the "
    "funnel data myself. I rebuilt the form with two engineers in three weeks, and "
    "conversion rose by eleven percent."
)
SET = """\
name = "{name}"
description = "made by the examples test"

[[questions]]
id = "one"
text = "Tell me about a time you owned a problem end to end."
tags = ["ownership"]

[[questions]]
id = "two"
text = "Tell me about a time you dug into the data yourself."
tags = ["dive-deep", "product-sense"]
"""


@dataclass(frozen=True)
class World:
    root: Path

    @property
    def home(self) -> Path:  # $HOME, for the ~ in examples
        return self.root / "home"

    @property
    def work(self) -> Path:  # where the examples run
        return self.root / "work"

    @property
    def data(self) -> Path:  # VOICEMOCK_HOME
        return self.root / "voicemock"

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("NO_COLOR", "FORCE_COLOR", "VOICEMOCK_MODEL", "VISUAL", "COLUMNS")
        }
        env.update(
            HOME=str(self.home),
            VOICEMOCK_HOME=str(self.data),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            EDITOR=str(self.root / "editor.sh"),
            BROWSER="true",  # `report --open`: the browser is the `true` command
            PAGER="cat",
            TERM="dumb",
        )
        return env

    def copy(self, dest: Path) -> World:
        shutil.copytree(self.root, dest, symlinks=True)
        return World(dest)


def write_m4a(samples: object, path: Path) -> Path:
    import av
    import numpy as np

    data = np.asarray(samples, dtype=np.float32)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=16000)
        stream.layout = "mono"  # type: ignore[attr-defined]
        for i in range(0, len(data), 1024):
            frame = av.AudioFrame.from_ndarray(
                data[i : i + 1024].reshape(1, -1), format="flt", layout="mono"
            )
            frame.sample_rate = 16000
            for packet in stream.encode(frame):  # type: ignore[attr-defined]
                out.mux(packet)
        for packet in stream.encode(None):  # type: ignore[attr-defined]
            out.mux(packet)
    return path


@dataclass(frozen=True)
class Ran:
    """What an example did: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def sh(world: World, command: str, *, cwd: Path | None = None, stdin: str = "") -> Ran:
    """``command`` as written, by a real shell in a subprocess."""
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd or world.work,
        env=world.env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


class ReadyAtOnce:
    """A user who presses Enter the moment a thinking countdown starts and never while
    answering (the answer file ends each answer): the :class:`~voicemock.keys.Keys` of a
    round run in this process. The countdown waits for a press (``pressed(timeout)``), the
    recording only looks for one (``pressed()``), so that is what tells them apart."""

    closed = False

    def drain(self) -> None:
        pass

    def pressed(self, timeout: float = 0.0) -> bool:
        return timeout > 0


Whisper = Callable[[str | None], "Transcriber"]
"""A transcriber factory for :class:`Environment`: the real model, loaded once."""


def invoke(
    world: World, args: list[str], whisper: Whisper, *, cwd: Path | None = None, stdin: str = ""
) -> Ran:
    """``voicemock ARGS`` in this process, as the console script runs it: the same group
    (its one-line errors and exit statuses), with exactly the environment variables and the
    working directory the shell would give it, and the real model, already loaded."""
    env = world.env()
    changes: dict[str, str | None] = {k: None for k in os.environ if k not in env}
    changes.update({k: v for k, v in env.items() if os.environ.get(k) != v})
    obj = Environment(environ=env, transcriber_factory=whisper, keys_factory=ReadyAtOnce)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd or world.work)
        result = CliRunner().invoke(
            cli, args, obj=obj, input=stdin, env=changes, prog_name="voicemock"
        )
    stderr = result.stderr
    error = result.exception
    if error is not None and not isinstance(error, SystemExit):  # escaped the group: a bug
        stderr += "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return Ran(result.exit_code, result.stdout, stderr)


def must(world: World, command: str, whisper: Whisper) -> str:
    done = invoke(world, shlex.split(command)[1:], whisper)
    assert done.returncode == 0, (command, done.stdout[-1500:], done.stderr[-1500:])
    return done.stdout


@pytest.fixture(scope="session")
def whisper() -> Whisper:
    """The real faster-whisper model, loaded once per model name for every command run in
    this process (loading it is most of what a short command costs)."""
    from voicemock.asr.whisper import WhisperTranscriber

    loaded: dict[str | None, Transcriber] = {}

    def factory(spec: str | None) -> Transcriber:
        if spec not in loaded:
            loaded[spec] = WhisperTranscriber.load(spec)
        return loaded[spec]

    return factory


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory, whisper: Whisper) -> Iterator[World]:
    """Made once per test session; every example runs in a copy of it."""
    espeak = shutil.which("espeak-ng")
    require(espeak, "espeak-ng (Debian package espeak-ng)")
    require(shutil.which("jq"), "jq (Debian package jq), used by the examples' pipes")
    require(shutil.which("less"), "less (Debian package less), used by an example's pipe")
    assert espeak is not None
    from voicemock.asr.models import bundled_model_path
    from voicemock.audio.io import load_audio

    w = World(tmp_path_factory.mktemp("examples") / "world")
    for d in (w.home / "my-sets", w.home / "drafts", w.home / "models", w.work, w.data):
        d.mkdir(parents=True)
    # Answers: spoken by espeak-ng, as WAV and as M4A; a typed transcript.
    wav = espeak_wav(espeak, ANSWER, w.work / "answer.wav")
    for name in ("a.wav", "my-answer.wav", "a1.wav", "r1.wav", "a2.wav", "r2.wav"):
        shutil.copy(wav, w.work / name)
    samples = load_audio(wav)
    for name in ("answer.m4a", "my-answer.m4a"):
        write_m4a(samples, w.work / name)
    (w.work / "answer.txt").write_text(TRANSCRIPT + "\n", encoding="utf-8")
    # Question files and sets.
    questions = "Tell me about a time you failed.\nWhy do you want this role?\n"
    for name in ("questions.txt", "notes.txt"):
        (w.work / name).write_text(questions, encoding="utf-8")
    (w.work / "bank.csv").write_text(
        "question,tags\nTell me about a calculated risk.,bias-for-action\n"
        "How do you earn trust?,earn-trust\n",
        encoding="utf-8",
    )
    (w.work / "my-loop.toml").write_text(SET.format(name="my-loop"), encoding="utf-8")
    (w.work / "onsite.toml").write_text(SET.format(name="onsite"), encoding="utf-8")
    (w.home / "drafts" / "onsite.toml").write_text(SET.format(name="onsite"), encoding="utf-8")
    (w.home / "my-sets" / "loop-a.toml").write_text(SET.format(name="loop-a"), encoding="utf-8")
    (w.home / "my-sets" / "loop-b.toml").write_text(SET.format(name="loop-b"), encoding="utf-8")
    # A model directory given by path: the bundled model's files under another name.
    (w.home / "models" / "whisper-small-ct2").symlink_to(bundled_model_path())
    # The editor: appends a comment line (a change that keeps a set or summary valid).
    editor = w.root / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\n# edited by the examples test\\n" >> "$1"\n')
    editor.chmod(0o755)
    # The user's data: a config naming devices that do not exist, four rounds, stories.
    (w.data / "config.toml").write_text(
        f'input_device = "{NO_MIC}"\noutput_device = "{NO_SPEAKER}"\n', encoding="utf-8"
    )
    for _ in range(4):
        must(
            w,
            "voicemock practice --set amazon-pm --count 2 --follow-ups 0 --think 0 --no-voice"
            " --fast --answer-file answer.wav --answer-file answer.wav",
            whisper,
        )
    for title in ("Story one", "Story two", "Story three"):
        must(w, f'voicemock stories add "{title}" -p ownership', whisper)
    must(w, "voicemock stories link 4:2 1", whisper)
    yield w


# -- running them ------------------------------------------------------------------------------


NEEDS_MY_LOOP = re.compile(r"^voicemock sets (edit|delete|validate) my-loop\b(?!\.toml)")
"""Examples about the set my-loop that the README makes the line before (`sets new my-loop`)."""

SHELL_SYNTAX = re.compile(r"[|<>~*?$;&`]")
"""Outside quotes, what only a shell reads: pipes, redirections, ``~``, globs, variables."""


def in_process(example: str) -> bool:
    """Whether ``example`` runs in this process (see the module's docstring): a plain
    ``voicemock`` command that needs no shell, no web browser and no audio device."""
    if example in MICROPHONE or example in SPEAKER or not example.startswith("voicemock "):
        return False
    if SHELL_SYNTAX.search(re.sub(r'"[^"]*"|\'[^\']*\'', "''", example)):
        return False
    words = shlex.split(example)[1:]
    # --open starts $BROWSER; devices and play are about the audio devices themselves.
    return "--open" not in words and words[0] not in ("devices", "play")


def run_example(
    world: World, tmp_path: Path, example: str, whisper: Whisper, request: pytest.FixtureRequest
) -> Ran:
    mine = world.copy(tmp_path / "world")
    if NEEDS_MY_LOOP.match(example):
        must(mine, "voicemock sets new my-loop", whisper)
    request.getfixturevalue("no_audio_server")  # a machine with no sound card
    if in_process(example):
        return invoke(mine, shlex.split(example)[1:], whisper, stdin="y\n")
    cwd = ROOT if example.startswith("scripts/") else mine.work
    return sh(mine, example, cwd=cwd, stdin="y\n")


RUNNABLE = sorted(e for e in EXAMPLES if e not in NOT_RUN)


def test_most_examples_run_in_process() -> None:
    """The split is what the module's docstring says: shells, scripts, browsers and the
    audio devices in a subprocess, the rest (most of them) in this process."""
    inside = {e for e in RUNNABLE if in_process(e)}
    assert len(inside) >= 60, len(inside)
    for example in (
        "voicemock analyze answer.wav",
        "voicemock sets show amazon-pm",
        "voicemock practice --answer-file a.wav",
    ):
        assert example in inside
    for example in (
        *MICROPHONE,
        *SPEAKER,
        "voicemock devices",
        "voicemock report --open",
        "voicemock analyze answer.wav --model ~/models/whisper-small-ct2",
        "voicemock sessions export latest | jq '.session.answers[].analysis.timing_verdict'",
        "scripts/voicemock --help",
    ):
        assert example in RUNNABLE and example not in inside, example
    summary = next(e for e in RUNNABLE if "22% -> 9%" in e)  # quoted: not a redirection
    assert summary in inside


@pytest.mark.parametrize("example", RUNNABLE)
def test_example_runs(
    example: str, world: World, tmp_path: Path, whisper: Whisper, request: pytest.FixtureRequest
) -> None:
    done = run_example(world, tmp_path, example, whisper, request)
    shown = f"{example}  (from {EXAMPLES[example]})\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stdout + done.stderr, shown
    if example in MICROPHONE:
        # Everything up to the microphone was accepted; then the one-line device error.
        assert done.returncode == 2, shown
        (line,) = done.stderr.strip().splitlines()[-1:]
        assert re.match(r"Error: no microphone (found|matches)", line), shown
        return
    if example in SPEAKER:
        assert done.returncode == 2, shown
        assert done.stderr.strip().splitlines()[-1].startswith("Error: no speaker"), shown
        assert "Playing answer" not in done.stdout, shown
        return
    assert done.returncode == 0, shown
    assert "Error" not in done.stderr, shown


def test_the_examples_not_run_say_why() -> None:
    for example, reason in NOT_RUN.items():
        assert example in EXAMPLES and len(reason) > 20, example
