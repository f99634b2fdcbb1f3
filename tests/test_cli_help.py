"""Every command has --help with an example, and is documented in the README."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from voicemock.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path
        if isinstance(command, click.Group):
            yield from commands(command, path)


ALL = [(), *commands()]


def test_there_are_commands() -> None:
    names = {" ".join(p) for p in ALL}
    assert {"analyze", "practice", "review", "play", "devices", "sets list", "sessions list",
            "models list"} <= names  # fmt: skip


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "voicemock")
def test_help_shows_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^\s*Examples?:", result.output, re.MULTILINE), result.output
    assert re.search(r"^\s+voicemock ", result.output, re.MULTILINE), result.output


@pytest.mark.parametrize("path", [p for p in ALL if p], ids=lambda p: " ".join(p))
def test_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"voicemock {' '.join(path)}" in readme


def test_readme_starts_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    assert "scripts/voicemock" in first_block and "scripts/test" in first_block
    assert (ROOT / ".ci" / "run").read_text().count("scripts/test") == 1


def test_help_is_quick_and_imports_nothing_heavy() -> None:
    """`voicemock --help` loads no audio or model library (start-up time is benchmarked
    by scripts/bench_transcribe.py)."""
    code = (
        "import sys, runpy\n"
        "sys.argv = ['voicemock', '--help']\n"
        "try:\n    runpy.run_module('voicemock', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('numpy', 'faster_whisper', 'sounddevice', 'pyttsx3', 'ctranslate2', "
        "'onnxruntime', 'soundfile', 'sqlite3', 'rich')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
