"""`sessions delete` removes exactly the files the database lists, never through a symbolic
link, and a new session never moves into an existing audio folder (issue 15, item 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from voicemock.cli import cli
from voicemock.storage import Store


def recorded_session(home: Path, answers: int = 2) -> tuple[int, list[Path]]:
    """A session with ``answers`` saved answers, each with a recording on disk."""
    with Store.open(home) as store:
        session = store.create_session(set_name="amazon-pm")
        paths = []
        for n in range(answers):
            record = store.start_answer(session.id, question_id=f"q{n}", question_text="?")
            assert record.audio_path is not None
            record.audio_path.write_bytes(b"RIFF" + bytes(1000 + n))
            store.complete_answer(record.id, duration_s=30.0, transcript="I did it.")
            paths.append(record.audio_path)
        store.finish_session(session.id)
    return session.id, paths


def delete(session: int | str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["sessions", "delete", str(session), "--yes"])
    return result.exit_code, result.stdout, result.stderr


def other_files(where: Path) -> dict[Path, bytes]:
    """Someone's files, some named exactly like recordings."""
    where.mkdir(parents=True)
    files = {
        where / "1-q0.wav": b"not voicemock's recording",
        where / "thesis.pdf": b"%PDF years of work",
        where / "nested" / "photo.jpg": b"\xff\xd8 a photo",
    }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def test_a_session_folder_replaced_by_a_symlink_is_never_followed(
    voicemock_home: Path, tmp_path: Path
) -> None:
    session, paths = recorded_session(voicemock_home)
    folder = paths[0].parent
    shutil.rmtree(folder)
    outside = other_files(tmp_path / "Documents")
    folder.symlink_to(tmp_path / "Documents", target_is_directory=True)

    code, out, err = delete(session)

    assert code == 0, err
    assert out.startswith(f"Deleted session {session}: 2 answers, 0 audio files")
    assert "not a folder voicemock made (a link?); left alone" in err
    for path, data in outside.items():  # every file outside is still there, unchanged
        assert path.read_bytes() == data
    assert folder.is_symlink()  # the link itself is left too: it is not ours to remove
    with Store.open(voicemock_home) as store:
        assert store.count_sessions() == 0


def test_a_recording_replaced_by_a_symlink_is_left_with_its_target(
    voicemock_home: Path, tmp_path: Path
) -> None:
    session, paths = recorded_session(voicemock_home)
    outside = other_files(tmp_path / "elsewhere")
    target = tmp_path / "elsewhere" / "thesis.pdf"
    paths[1].unlink()
    paths[1].symlink_to(target)

    code, out, err = delete(session)

    assert code == 0, err
    assert out.startswith(f"Deleted session {session}: 2 answers, 1 audio file ")
    assert "not a recording (a link?); left alone" in err
    assert not paths[0].exists()
    for path, data in outside.items():
        assert path.read_bytes() == data


def test_a_lost_database_never_lets_a_new_session_take_over_old_recordings(
    voicemock_home: Path,
) -> None:
    """The advice for a corrupt database is to move it aside; ids then start again at 1.
    The new session 1 records into a folder of its own, and deleting it leaves the old
    session 1's recordings exactly as they were."""
    old_session, old_paths = recorded_session(voicemock_home, answers=3)
    old_bytes = {p: p.read_bytes() for p in old_paths}
    for name in ("voicemock.db", "voicemock.db-wal", "voicemock.db-shm"):
        side = voicemock_home / name
        if side.exists():
            side.rename(voicemock_home / f"{name}.corrupt")

    new_session, new_paths = recorded_session(voicemock_home, answers=2)
    assert new_session == old_session == 1
    assert {p.parent for p in new_paths} == {voicemock_home / "audio" / "1-2"}

    code, out, err = delete(new_session)

    assert code == 0, err
    assert out.startswith("Deleted session 1: 2 answers, 2 audio files")
    assert not any(p.exists() for p in new_paths)
    assert not (voicemock_home / "audio" / "1-2").exists()
    for path, data in old_bytes.items():  # the old recordings still exist, unchanged
        assert path.read_bytes() == data


def test_delete_leaves_what_the_database_does_not_list(voicemock_home: Path) -> None:
    session, paths = recorded_session(voicemock_home)
    folder = paths[0].parent
    mine = folder / "notes.txt"  # something the user put there
    mine.write_text("keep me")
    code, out, _err = delete(session)
    assert code == 0
    assert "2 audio files" in out
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_tampered_path_never_reaches_outside_the_audio_folder(
    voicemock_home: Path, tmp_path: Path
) -> None:
    import sqlite3

    session, _paths = recorded_session(voicemock_home)
    victim = voicemock_home / "audio" / "victim.wav"
    victim.write_bytes(b"x")
    conn = sqlite3.connect(voicemock_home / "voicemock.db")
    conn.execute(
        "UPDATE answers SET audio_path = ? WHERE position = 1",
        ("audio/../audio/victim.wav",),
    )
    conn.execute("UPDATE answers SET audio_path = ? WHERE position = 2", (str(victim),))
    conn.commit()
    conn.close()
    code, _out, err = delete(session)
    assert code == 0
    assert victim.exists() and (voicemock_home / "voicemock.db").exists()
    assert err.count("not in the audio folder") == 2
