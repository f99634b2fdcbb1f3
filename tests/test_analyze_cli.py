"""`voicemock analyze`: bad input is one line and exit 2; real audio gives the documented JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.fakes import FakeTranscriber
from voicemock.cli import cli
from voicemock.env import Environment

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str, env: Environment | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), obj=env)


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output + result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def write_wav(path: Path, seconds: float, value: int = 0) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(value.to_bytes(2, "little", signed=True) * int(16000 * seconds))
    return path


def fake_env() -> Environment:
    return Environment(transcriber_factory=lambda _model: FakeTranscriber())


# -- bad input -----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(invoke("analyze", str(tmp_path / "nope.wav")), "no such file")


def test_directory(tmp_path: Path) -> None:
    assert_one_line_error(invoke("analyze", str(tmp_path)), "is a directory")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert_one_line_error(invoke("analyze", str(empty)), "is empty")


def test_corrupt_audio(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + os.urandom(300))
    assert_one_line_error(invoke("analyze", str(corrupt)), "cannot read", "corrupt.wav")


def test_unsupported_format(tmp_path: Path) -> None:
    notes = tmp_path / "notes.mp3"
    notes.write_text("These are my interview notes, not audio.\n" * 20)
    assert_one_line_error(invoke("analyze", str(notes)), "unsupported format")


def test_silent_recording(tmp_path: Path) -> None:
    silent = write_wav(tmp_path / "silent.wav", 5.0)
    assert_one_line_error(
        invoke("analyze", str(silent), env=fake_env()), "no speech detected", "silent.wav"
    )


def test_empty_text_file(tmp_path: Path) -> None:
    blank = tmp_path / "answer.txt"
    blank.write_text("  \n\n")
    assert_one_line_error(invoke("analyze", "--text", str(blank)), "is empty")


def test_binary_text_file(tmp_path: Path) -> None:
    binary = tmp_path / "answer.txt"
    binary.write_bytes(b"\xff\xfe\x00\x01" * 50)
    assert_one_line_error(invoke("analyze", "--text", str(binary)))


def test_neither_audio_nor_text() -> None:
    assert_one_line_error(invoke("analyze"), "missing AUDIO")


def test_both_audio_and_text(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("I decided.")
    assert_one_line_error(invoke("analyze", str(text), "--text", str(text)), "not both")


@pytest.mark.parametrize(
    ("option", "value"),
    [("--target", "abc"), ("--target", "210-150"), ("--cap", "soon"), ("--target", "100-300")],
)
def test_bad_target(tmp_path: Path, option: str, value: str) -> None:
    text = tmp_path / "a.txt"
    text.write_text("I decided to ship it.")
    result = invoke("analyze", "--text", str(text), option, value)
    if (option, value) == ("--target", "100-300"):
        # a wide window is allowed: the cap grows to the window's end
        assert result.exit_code == 0, result.output
    else:
        assert_one_line_error(result)


def test_unknown_model(tmp_path: Path) -> None:
    clip = write_wav(tmp_path / "a.wav", 1.0, 100)
    assert_one_line_error(
        invoke("analyze", str(clip), "--model", "whisper-9000"), "unknown model 'whisper-9000'"
    )


def test_unknown_option_is_one_line() -> None:
    assert_one_line_error(invoke("analyze", "--colour"), "No such option")


# -- typed transcripts -----------------------------------------------------------------------


def test_text_transcript_has_no_invented_times(tmp_path: Path) -> None:
    text = tmp_path / "answer.txt"
    text.write_text(
        "So, um, at my last company I was the PM for checkout. I decided to cut the form "
        "to one page because people dropped off. Conversion went from 60 to 81 percent.\n"
    )
    result = invoke("analyze", "--text", str(text), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["duration_s"] is None
    assert doc["timing_verdict"] is None
    assert doc["delivery"]["wpm"] is None
    assert doc["delivery"]["long_pauses"] is None
    assert doc["hesitations"] is None
    assert all(w["start"] is None and w["end"] is None for w in doc["words"])
    assert any(f["text"].lower().startswith("um") for f in doc["fillers"])
    assert doc["ownership"]["strong"][0]["phrase"].lower().startswith("i decided")
    assert doc["metrics"]


def test_text_report_is_plain_when_piped(tmp_path: Path) -> None:
    text = tmp_path / "answer.txt"
    text.write_text("Um, we decided to, like, ship it. I think it went well.")
    result = invoke("analyze", "--text", str(text))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out
    assert "{Um,}" in out
    assert "Legend:" in out
    assert "Timing" in out and "unavailable" in out


# -- real audio, real model ------------------------------------------------------------------


@pytest.mark.slow
def test_real_clip_json(shared_audio: Path) -> None:
    clip = shared_audio / "jfk.flac"
    result = invoke("analyze", str(clip), "--json", "--question", "Inaugural address?")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["question"] == "Inaugural address?"
    assert doc["model"] == "tiny.en"
    assert 10.5 < doc["duration_s"] < 11.5
    assert doc["timing_verdict"] == "short"
    assert doc["target"] == {"min_s": 150.0, "max_s": 210.0, "cap_s": 240.0}
    assert "americans" in doc["transcript"].lower()
    assert all(isinstance(w["start"], float) for w in doc["words"])
    for key in ("fillers", "hesitations", "hedges", "metrics", "words"):
        assert isinstance(doc[key], list)
    assert set(doc["ownership"]) >= {"i_count", "we_count", "strong", "weak"}
    assert set(doc["structure"]) >= {
        "phases",
        "result_has_metric",
        "has_lesson",
        "because_count",
        "lp_name_drops",
    }
    assert set(doc["delivery"]) >= {"wpm", "long_pauses"}


SITECUSTOMIZE = """
import sys

def _no_network(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        raise RuntimeError(f"voicemock tried the network: {event} {args!r}")

sys.addaudithook(_no_network)
"""


@pytest.mark.slow
def test_real_clip_offline_in_a_fresh_process(shared_audio: Path, tmp_path: Path) -> None:
    """The console path: bundled model, no network touched (an audit hook forbids it)."""
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env["PYTHONPATH"] = str(guard)
    proc = subprocess.run(
        [sys.executable, "-m", "voicemock", "analyze", str(shared_audio / "jfk.flac")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Americans" in proc.stdout or "americans" in proc.stdout.lower()
    assert "Timing" in proc.stdout


def test_network_guard_really_blocks(tmp_path: Path) -> None:
    """The guard used above does stop a connection attempt (so its silence means something)."""
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE)
    proc = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(guard)},
        timeout=60,
    )
    assert proc.returncode != 0
    assert "voicemock tried the network" in proc.stderr


# -- issue 11: kinds, strengths, the top changes and --all --------------------------------------

WEAK = (
    "So, um, I was involved in the launch, you know. I helped with, like, the requirements "
    "and I supported the design team. We did a lot of stuff, really, and we really aligned "
    "everyone on the really big things. I think it went really well and maybe the team was "
    "happy. We shipped it and, um, people liked it, I guess.\n"
)


def test_top_three_changes_then_all_on_request(tmp_path: Path) -> None:
    text = tmp_path / "answer.txt"
    text.write_text(WEAK)
    doc = json.loads(invoke("analyze", "--text", str(text), "--json").stdout)
    assert doc["schema"] == 2 and len(doc["advice"]) > 3
    assert sum(a["top"] for a in doc["advice"]) == 3
    out = invoke("analyze", "--text", str(text)).stdout
    advice = out.split("Advice", 1)[1]
    assert advice.count(". ") >= 3 and f"+{len(doc['advice']) - 3} more change" in advice
    everything = invoke("analyze", "--text", str(text), "--all").stdout.split("Advice", 1)[1]
    assert f"{len(doc['advice'])}. " in everything and "more change" not in everything


def test_the_question_decides_which_checks_apply(tmp_path: Path) -> None:
    text = tmp_path / "intro.txt"
    text.write_text(
        "I'm a product manager with about eight years of experience, the last five in "
        "marketplaces. I started my career as a data analyst at a bank. Then I moved into "
        "product at Ridewell, where I owned driver pricing. For the last three years I've "
        "been at Shopfront, where I lead the seller tools team. I'm looking for a role where "
        "I can own a bigger surface area.\n"
    )
    as_story = json.loads(invoke("analyze", "--text", str(text), "--json").stdout)
    intro = json.loads(
        invoke(
            "analyze", "--text", str(text), "--json", "--question", "Tell me about yourself."
        ).stdout
    )
    assert intro["question_kind"] == "introduction"
    assert intro["question_kind_source"] == "question"
    said = [a["text"] for a in intro["advice"]]
    assert not any(t.startswith(("no lesson", "no clear result", "context is")) for t in said)
    assert as_story["question_kind"] in ("story", "introduction")
