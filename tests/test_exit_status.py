"""How commands end: ExitStatus values, one line on stderr for every failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from voicemock.cli import cli
from voicemock.env import Environment
from voicemock.errors import ExitStatus, InputError, StorageError, VoicemockError


def test_the_statuses_are_the_documented_numbers() -> None:
    assert [(s.name, int(s)) for s in ExitStatus] == [
        ("SUCCESS", 0),
        ("ERROR_UNEXPECTED", 1),
        ("ERROR", 2),
        ("ERROR_CTRL_C", 130),
    ]
    assert VoicemockError.exit_code is InputError.exit_code is ExitStatus.ERROR
    assert StorageError("x").exit_code == 2


def failing(exc: BaseException) -> Environment:
    def factory(_model: str | None) -> object:
        raise exc

    return Environment(transcriber_factory=factory)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("exc", "status", "message"),
    [
        (InputError("no such thing"), ExitStatus.ERROR, "Error: no such thing"),
        (
            RuntimeError("boom\nsecond line"),
            ExitStatus.ERROR_UNEXPECTED,
            "Error: unexpected RuntimeError: boom (set VOICEMOCK_DEBUG=1 for details, "
            "and please report it)",
        ),
        (KeyboardInterrupt(), ExitStatus.ERROR_CTRL_C, "Interrupted."),
    ],
)
def test_each_kind_of_failure_is_one_line_and_its_status(
    tmp_path: Path, exc: BaseException, status: ExitStatus, message: str
) -> None:
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "a.wav")], obj=failing(exc))
    assert result.exit_code == status
    # Ctrl-C: click first ends the line the user was typing on, then the message.
    assert result.stderr.lstrip("\n") == message + "\n"
    assert result.stdout == ""


def test_a_usage_error_is_status_2_and_success_is_0() -> None:
    bad = CliRunner().invoke(cli, ["sessions", "list", "--limit", "0"])
    assert bad.exit_code == ExitStatus.ERROR and bad.stderr.count("\n") == 1
    ok = CliRunner().invoke(cli, ["sessions", "list"])
    assert ok.exit_code == ExitStatus.SUCCESS
