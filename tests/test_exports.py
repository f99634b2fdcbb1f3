"""Exports, reports and sets: never over anything but a regular file, written through a
symbolic link, whole or not at all, and readable only by the user (issue 15, item 6)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.storage_helpers import analysis_dict
from voicemock.cli import cli
from voicemock.files import NotRegularFile, write_export
from voicemock.storage import Store

WRITERS = {
    "json": ["sessions", "export", "1", "-o"],
    "markdown": ["sessions", "export", "1", "--format", "markdown", "-o"],
    "report": ["report", "1", "--no-audio", "-o"],
}


@pytest.fixture(autouse=True)
def loose_umask() -> object:
    """The worst case: a umask that would make every new file world-writable."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def session(voicemock_home: Path) -> int:
    with Store.open(voicemock_home) as store:
        made = store.create_session(set_name="amazon-pm")
        record = store.start_answer(made.id, question_id="q", question_text="Why?")
        store.complete_answer(
            record.id,
            duration_s=200.0,
            transcript="So I decided to rebuild it.",
            analysis=analysis_dict(200.0, "on_target"),  # type: ignore[arg-type]
        )
    return made.id


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_new_export_is_0600_under_any_umask(session: int, tmp_path: Path, kind: str) -> None:
    where = tmp_path / "exports"
    where.mkdir()
    out = where / "out"
    result = run(*WRITERS[kind], str(out))
    assert result.exit_code == 0, result.stderr
    assert mode(out) == 0o600
    assert [p.name for p in where.iterdir()] == ["out"]  # no temporary file left


@pytest.mark.parametrize("kind", list(WRITERS))
def test_an_existing_file_is_replaced_whole_and_made_private(
    session: int, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    out.write_text("old")
    out.chmod(0o666)
    result = run(*WRITERS[kind], str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text() != "old" and mode(out) == 0o600


@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_symlink_is_written_through_and_stays_a_link(
    session: int, tmp_path: Path, kind: str
) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = run(*WRITERS[kind], str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() != "old" and mode(real) == 0o600


@pytest.mark.parametrize("kind", list(WRITERS))
@pytest.mark.parametrize("target", ["/dev/full", "/dev/null", "directory", "fifo", "dev-link"])
def test_anything_but_a_regular_file_is_refused_and_left_as_it_was(
    session: int, tmp_path: Path, kind: str, target: str
) -> None:
    if target == "directory":
        path = tmp_path / "dir"
        path.mkdir()
    elif target == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    elif target == "dev-link":
        path = tmp_path / "full-link"
        path.symlink_to("/dev/full")
    else:
        path = Path(target)
    before = path.lstat()
    result = run(*WRITERS[kind], str(path))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "not a regular file" in result.stderr or "is a directory" in result.stderr
    after = path.lstat()
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)  # untouched
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_sets_directory_and_set_files_are_private(voicemock_home: Path, tmp_path: Path) -> None:
    new = run("sets", "new", "my-loop")
    assert new.exit_code == 0, new.stderr
    sets = voicemock_home / "sets"
    assert mode(sets) == 0o700 and mode(sets / "my-loop.toml") == 0o600
    source = tmp_path / "questions.txt"
    source.write_text("Tell me about a time you failed.\nWhy this team?\n")
    imported = run("sets", "import", str(source), "--name", "onsite")
    assert imported.exit_code == 0, imported.stderr
    assert mode(sets / "onsite.toml") == 0o600


def test_a_set_over_a_device_is_refused(voicemock_home: Path) -> None:
    sets = voicemock_home / "sets"
    sets.mkdir(parents=True)
    (sets / "my-loop.toml").symlink_to("/dev/full")
    result = run("sets", "new", "my-loop", "--force")
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert (sets / "my-loop.toml").is_symlink()


def test_write_export_is_all_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("old")
    with pytest.raises(TypeError):
        write_export(out, object())  # type: ignore[arg-type]
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    with pytest.raises(NotRegularFile, match="is a directory"):
        write_export(tmp_path, "x")
    written = write_export(out, json.dumps({"a": 1}))
    assert written == out and json.loads(out.read_text()) == {"a": 1}
