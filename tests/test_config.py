"""config.toml and environment variables: precedence and one-line errors."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicemock.cli import cli
from voicemock.config import Config
from voicemock.env import Environment
from voicemock.errors import InputError
from voicemock.timing import Target


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def test_defaults_without_a_file(voicemock_home: Path) -> None:
    config = Config.load(Environment())
    assert config.model is None and config.target == Target()


def test_settings_are_read(voicemock_home: Path) -> None:
    write_config(
        voicemock_home,
        'model = "base.en"\ntarget = "2:00-3:00"\ncap = "4:30"\nvoice = "en-gb"\nrate = 150\n'
        "input_device = 2\n",
    )
    config = Config.load(Environment())
    assert config.model == "base.en"
    assert config.target == Target(120, 180, 270)
    assert (config.voice, config.rate, config.input_device) == ("en-gb", 150, "2")


def test_environment_beats_the_file(voicemock_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(voicemock_home, 'model = "base.en"\n')
    monkeypatch.setenv("VOICEMOCK_MODEL", "small.en")
    assert Config.load(Environment()).model == "small.en"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('modle = "x"\n', "unknown setting 'modle' (did you mean 'model'?)"),
        ('target = "fast"\n', "is not a window"),
        ("rate = -3\n", "rate must be a positive whole number"),
        ("model = [1]\n", "model must be text"),
        ("model = \n", "config.toml"),
    ],
)
def test_bad_settings_are_one_line(voicemock_home: Path, text: str, message: str) -> None:
    write_config(voicemock_home, text)
    with pytest.raises(InputError) as info:
        Config.load(Environment())
    assert message in str(info.value) and "\n" not in str(info.value)


def test_the_configured_model_reaches_analyze(
    voicemock_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clip = tmp_path / "a.wav"
    with wave.open(str(clip), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x10\x00" * 16000)
    monkeypatch.setenv("VOICEMOCK_MODEL", "whisper-9000")
    result = CliRunner().invoke(cli, ["analyze", str(clip)])
    assert result.exit_code == 2
    assert "unknown model 'whisper-9000'" in result.stderr
    write_config(voicemock_home, 'model = "./nowhere"\n')
    monkeypatch.delenv("VOICEMOCK_MODEL")
    result = CliRunner().invoke(cli, ["analyze", str(clip)])
    assert result.exit_code == 2 and "model directory ./nowhere does not exist" in result.stderr
