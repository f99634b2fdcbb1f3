"""Recordings left behind by a process that died, found with real processes and signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.storage_helpers import raw, spawn_python
from voicemock.errors import InputError
from voicemock.storage import Store
from voicemock.storage.process import is_running, start_token

# A real voicemock-like process: opens the store, starts a recording, writes audio, waits.
RECORDER = """
    import json, os, sys, time
    from pathlib import Path
    from voicemock.storage import Store
    store = Store.open(Path(os.environ["VOICEMOCK_HOME"]))
    session = store.create_session(set_name="amazon-pm", model="tiny.en")
    rec = store.start_answer(session.id, question_id="ownership-1", question_text="Tell me...")
    with open(rec.audio_path, "r+b") as fh:
        fh.write(b"RIFF" + b"\\x00" * 4096)
        fh.flush()
    print(json.dumps({"session": session.id, "answer": rec.id}), flush=True)
    time.sleep(120)
"""


@pytest.fixture
def recorder(voicemock_home: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, int]]]:
    child = spawn_python(RECORDER, env={"VOICEMOCK_HOME": str(voicemock_home)})
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else "recorder died"
        yield child, json.loads(line)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()


def test_live_recording_is_left_alone_and_killed_one_is_found(
    voicemock_home: Path, recorder: tuple[subprocess.Popen[str], dict[str, int]]
) -> None:
    child, ids = recorder
    with Store.open(voicemock_home) as store:
        # While the recorder runs, its recording is not ours to take, nor to delete.
        assert store.recordings_to_recover() == []
        session = store.get_session(ids["session"])
        assert session.running and not session.abandoned
        assert store.stale_sessions() == []
        with pytest.raises(InputError, match="being recorded right now"):
            store.delete_session(ids["session"])

        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)

        [orphan] = store.recordings_to_recover()
        assert (orphan.id, orphan.status) == (ids["answer"], "recording")
        assert orphan.audio_path is not None
        assert orphan.audio_path.read_bytes().startswith(b"RIFF")  # the audio survived
        assert orphan.pid == os.getpid()  # claimed by this process
        assert store.recordings_to_recover() == []  # and no longer up for grabs
        assert [s.id for s in store.stale_sessions()] == [ids["session"]]

        done = store.complete_answer(
            orphan.id, duration_s=0.13, transcript="", analysis={}, status="interrupted"
        )
        assert done.status == "interrupted"
        store.finish_session(ids["session"], "interrupted")
        assert store.stale_sessions() == []
        assert store.get_session(ids["session"]).status == "interrupted"


def test_claimed_recording_is_found_again_if_the_recoverer_dies(voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name="s")
        rec = store.start_answer(session.id, question_id="q", question_text="?")
    dead = spawn_python("pass")
    dead.wait(timeout=10)
    raw(voicemock_home).execute("UPDATE answers SET pid = ? WHERE id = ?", (dead.pid, rec.id))
    # A recoverer claims it, then is killed before finishing.
    claimer = spawn_python(
        """
        import os, sys
        from pathlib import Path
        from voicemock.storage import Store
        store = Store.open(Path(os.environ["VOICEMOCK_HOME"]))
        print([r.id for r in store.recordings_to_recover()], flush=True)
        os.kill(os.getpid(), 9)
        """,
        env={"VOICEMOCK_HOME": str(voicemock_home)},
    )
    out, _ = claimer.communicate(timeout=30)
    assert out.strip() == f"[{rec.id}]"
    with Store.open(voicemock_home) as store:
        assert [r.id for r in store.recordings_to_recover()] == [rec.id]


def test_two_recoverers_never_take_the_same_recording(voicemock_home: Path) -> None:
    dead = spawn_python("pass")
    dead.wait(timeout=10)
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name="s")
        ids = [
            store.start_answer(session.id, question_id=f"q{i}", question_text="?").id
            for i in range(30)
        ]
    raw(voicemock_home).execute("UPDATE answers SET pid = ?", (dead.pid,))
    # Each recoverer stays alive until all have reported, as a real one does while it
    # transcribes (one that exits early leaves its claims to the next: tested above).
    code = """
        import json, os, sys
        from pathlib import Path
        from voicemock.storage import Store
        with Store.open(Path(os.environ["VOICEMOCK_HOME"]), timeout=20) as store:
            print(json.dumps([r.id for r in store.recordings_to_recover()]), flush=True)
            sys.stdin.read()
    """
    env = {"VOICEMOCK_HOME": str(voicemock_home)}
    children = [spawn_python(code, env=env) for _ in range(3)]
    claims = []
    try:
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else "recoverer died"
            claims.append(set(json.loads(line)))
    finally:
        for child in children:
            child.communicate(timeout=60)  # closes stdin: the recoverer may now exit
    assert all(child.returncode == 0 for child in children)
    assert set().union(*claims) == set(ids)
    assert sum(len(c) for c in claims) == len(ids)  # no answer claimed twice


HAS_PROC = Path("/proc/self/stat").is_file()


def test_zombie_recorder_counts_as_gone(voicemock_home: Path) -> None:
    require(HAS_PROC, "/proc (Linux) to tell a zombie from a live process")
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name="s")
        rec = store.start_answer(session.id, question_id="q", question_text="?")
        zombie = subprocess.Popen([sys.executable, "-c", "pass"])
        try:
            # Not reaped yet: signal 0 still succeeds, but the process has exited.
            stat = Path(f"/proc/{zombie.pid}/stat")
            deadline = time.monotonic() + 20
            while stat.read_text().rsplit(") ", 1)[1][0] != "Z":
                assert time.monotonic() < deadline, "child never exited"
                time.sleep(0.01)
            os.kill(zombie.pid, 0)  # still "alive" to a naive check
            raw(voicemock_home).execute(
                "UPDATE answers SET pid = ?, pid_start = ? WHERE id = ?",
                (zombie.pid, start_token(zombie.pid), rec.id),
            )
            assert [r.id for r in store.recordings_to_recover(claim=False)] == [rec.id]
        finally:
            zombie.wait()


def test_reused_pid_is_not_mistaken_for_the_recorder(voicemock_home: Path) -> None:
    """The pid is alive, but it is another process now (different start time or boot)."""
    require(HAS_PROC, "/proc (Linux) for process start times")
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name="s")
        mine = store.start_answer(session.id, question_id="mine", question_text="?")
        reused = store.start_answer(session.id, question_id="reused", question_text="?")
        rebooted = store.start_answer(session.id, question_id="rebooted", question_text="?")
        boot, ticks = start_token().split(":")
        conn = raw(voicemock_home)
        conn.execute(
            "UPDATE answers SET pid_start = ? WHERE id = ?", (f"{boot}:{int(ticks) - 1}", reused.id)
        )
        conn.execute(
            "UPDATE answers SET pid_start = ? WHERE id = ?", (f"another-boot:{ticks}", rebooted.id)
        )
        # pid 1 is alive too, but never a recorder of ours.
        pid1 = store.start_answer(session.id, question_id="init", question_text="?")
        conn.execute("UPDATE answers SET pid = 1, pid_start = 'x:1' WHERE id = ?", (pid1.id,))
        found = {r.question_id for r in store.recordings_to_recover(claim=False)}
        assert found == {"reused", "rebooted", "init"}
        assert mine.pid == os.getpid()


def test_is_running_basics() -> None:
    me = os.getpid()
    assert is_running(me, start_token())
    assert is_running(me, "")  # no token recorded (another OS): trust the live pid
    assert not is_running(me, "some-other-boot:1")
    assert not is_running(None, None)
    assert not is_running(0, None)
    assert not is_running(-5, None)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert not is_running(dead.pid, None)
    if HAS_PROC:
        token = start_token()
        assert token.count(":") == 1 and all(token.split(":"))
