"""`voicemock sessions list/export/delete`, driven through click and the real console script."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.storage_helpers import analysis_dict, raw, seed
from voicemock.cli import cli
from voicemock.storage import Store

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# -- empty store ---------------------------------------------------------------------


def test_list_with_no_sessions_creates_nothing(voicemock_home: Path) -> None:
    result = run("sessions", "list")
    assert result.exit_code == 0
    assert result.stdout.strip() == "No sessions yet — run `voicemock practice`"
    assert not voicemock_home.exists()  # a read-only command wrote nothing


def test_list_of_an_empty_database(voicemock_home: Path) -> None:
    Store.open(voicemock_home).close()
    result = run("sessions", "list")
    assert (result.exit_code, result.stdout.strip()) == (
        0,
        "No sessions yet — run `voicemock practice`",
    )


@pytest.mark.parametrize("command", ["export", "delete"])
def test_latest_with_no_sessions(command: str) -> None:
    message = one_line_error(run("sessions", command, "latest"))
    assert "no sessions yet" in message


# -- list ----------------------------------------------------------------------------


def test_list_shows_newest_first_with_figures(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    result = run("sessions", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "Started", "Set", "Answers", "In", "window", "Avg", "Status"]
    newest, oldest = lines[1].split(), lines[2].split()
    # id, date, time, set, answers, in-window/timed, average m:ss, status
    assert newest[0] == str(seeded.second) and oldest[0] == str(seeded.first)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", oldest[1]) and re.fullmatch(r"\d\d:\d\d", oldest[2])
    assert oldest[3:] == ["amazon-pm", "2", "1/1", "2:52", "complete"]
    assert newest[3:] == ["amazon-pm", "1", "0/1", "3:52", "interrupted"]
    assert all(line == line.rstrip() for line in lines)  # clean for pipes
    assert "\x1b[" not in result.stdout  # no colour codes off a terminal


def test_list_limit(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    result = run("sessions", "list", "--limit", "1")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1].split()[0] == str(seeded.second)
    assert "Showing the newest 1 of 2 sessions" in lines[-1]
    assert len(lines) == 3
    bad = run("sessions", "list", "--limit", "0")
    assert bad.exit_code == 2 and "--limit" in bad.stderr


def test_list_marks_unfinished_and_running_sessions(voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        running = store.create_session(set_name="now")  # this process: still alive
        crashed = store.create_session(set_name="crashed")
    raw(voicemock_home).execute(
        "UPDATE sessions SET pid = 999999999, pid_start = 'gone:1' WHERE id = ?", (crashed.id,)
    )
    rows = {
        line.split()[0]: line.split()[-2:]
        for line in run("sessions", "list").stdout.splitlines()[1:]
    }
    assert rows[str(running.id)] == ["in", "progress"]
    assert rows[str(crashed.id)][-1] == "unfinished"


# -- export --------------------------------------------------------------------------


def test_export_json_round_trip(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    for spec in ("latest", str(seeded.first)):
        result = run("sessions", "export", spec)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["format"] == "voicemock-session" and data["version"] == 1
    session = json.loads(run("sessions", "export", str(seeded.first)).stdout)["session"]
    assert session["id"] == seeded.first
    answer = session["answers"][0]
    assert answer["analysis"] == analysis_dict(172.4, "on_target")
    assert answer["question_text"] == "Tell me about a time you took ownership."
    assert Path(answer["audio_path"]).read_bytes().startswith(b"RIFF")
    latest = json.loads(run("sessions", "export", "latest", "--format", "JSON").stdout)
    assert latest["session"]["id"] == seeded.second


def test_export_markdown_review(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    result = run("sessions", "export", str(seeded.first), "--format", "markdown")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith(f"# voicemock session {seeded.first} — amazon-pm\n")
    assert "2 answers, 1 of 1 in the target window, average 2:52." in md
    assert "## 1. Tell me about a time you took ownership." in md
    assert "- **Duration:** 2:52 — in the 2:30–3:30 window" in md
    assert "- **Filler words:** 7 (2.4 per minute)" in md
    assert '- **I : we:** 14 "I" to 4 "we"' in md
    assert "- **Numbers:** 3 — 40%, six weeks, $2M" in md
    assert "- **Result has a number:** yes" in md
    # The transcript keeps its highlights: here the stored findings mark "So" a filler.
    assert "> ~~So~~ I decided to rebuild the ingestion pipeline and cut p95 latency by 40%." in md
    assert "- **fillers:** Pause silently instead of saying um." in md
    assert "## 2. Tell me about a time you dug into data." in md
    assert "*Not analysed: no speech heard in the recording*" in md
    assert "\n\n\n" not in md
    long = run("sessions", "export", "latest", "--format", "markdown").stdout
    assert "- **Duration:** 3:52 — 0:22 past the 2:30–3:30 window" in long
    assert "Recovered after an interruption" in long


def test_export_markdown_tolerates_a_bare_analysis(voicemock_home: Path) -> None:
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name=None)
        rec = store.start_answer(session.id, question_id="q", question_text="Why us?")
        store.complete_answer(
            rec.id, duration_s=95.0, transcript="", analysis={"metrics": "oops", "advice": [3]}
        )
        store.start_answer(session.id, question_id="q2", question_text="Next?")  # in progress
    result = run("sessions", "export", "latest", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "- **Duration:** 1:35 — 0:55 short of the 2:30–3:30 window" in result.stdout
    assert "Still recording, or interrupted and not yet recovered." in result.stdout


def test_export_to_a_file(voicemock_home: Path, tmp_path: Path) -> None:
    seeded = seed(voicemock_home)
    target = tmp_path / "review.md"
    result = run("sessions", "export", "latest", "--format", "markdown", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Wrote session {seeded.second} (1 answer) to {target}"
    assert target.read_text(encoding="utf-8").startswith("# voicemock session")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left
    message = one_line_error(
        run("sessions", "export", "latest", "-o", str(tmp_path / "missing" / "x.json"))
    )
    assert "cannot write" in message


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("42", "no session 42"), ("abc", "'abc' is not a session"), ("0", "no session 0")],
)
def test_export_bad_session(voicemock_home: Path, spec: str, expected: str) -> None:
    seed(voicemock_home)
    assert expected in one_line_error(run("sessions", "export", spec))


def test_corrupt_database_is_one_line(voicemock_home: Path) -> None:
    voicemock_home.mkdir()
    (voicemock_home / "voicemock.db").write_bytes(b"garbage" * 1000)
    for args in (["list"], ["export", "latest"], ["delete", "1", "--yes"]):
        message = one_line_error(run("sessions", *args))
        assert "voicemock.db is corrupt" in message


# -- delete --------------------------------------------------------------------------


def test_delete_with_yes_removes_answers_and_audio(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    first_audio = [p for p in seeded.audio if p.parent.name == str(seeded.first)]
    assert first_audio and all(p.exists() for p in first_audio)
    result = run("sessions", "delete", str(seeded.first), "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"Deleted session {seeded.first}: 2 answers, 2 audio files (2.0 KB)."
    )
    assert not any(p.exists() for p in first_audio)
    assert not (voicemock_home / "audio" / str(seeded.first)).exists()
    assert raw(voicemock_home).execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 1
    assert "no session" in one_line_error(run("sessions", "export", str(seeded.first)))


def test_delete_latest_asks_first(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    declined = run("sessions", "delete", "latest", input="n\n")
    assert declined.exit_code == 0
    assert f"Delete session {seeded.second} (amazon-pm, " in declined.stderr
    assert "1 answer and their recordings? [y/N]" in declined.stderr
    assert declined.stdout.strip() == "Nothing deleted."
    assert len(raw(voicemock_home).execute("SELECT id FROM sessions").fetchall()) == 2

    no_reply = run("sessions", "delete", "latest")  # stdin closed: never assume yes
    assert no_reply.exit_code == 2
    assert "pass --yes" in no_reply.stderr
    assert len(raw(voicemock_home).execute("SELECT id FROM sessions").fetchall()) == 2

    accepted = run("sessions", "delete", "latest", input="yes\n")
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.startswith(f"Deleted session {seeded.second}: 1 answer, 1 audio file")
    left = [r[0] for r in raw(voicemock_home).execute("SELECT id FROM sessions")]
    assert left == [seeded.first]


def test_delete_unknown_session(voicemock_home: Path) -> None:
    seed(voicemock_home)
    assert "no session 9" in one_line_error(run("sessions", "delete", "9", "--yes"))


# -- help and the real console script --------------------------------------------------


@pytest.mark.parametrize("command", [[], ["list"], ["export"], ["delete"]])
def test_every_sessions_command_has_examples(command: list[str]) -> None:
    result = run("sessions", *command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "voicemock sessions" in result.stdout.split("Examples:")[1]


def test_real_console_script(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    script = Path(sys.executable).with_name("voicemock")
    env = {**os.environ, "VOICEMOCK_HOME": str(voicemock_home)}
    done = subprocess.run(
        [str(script), "sessions", "list"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split()[0] == str(seeded.second)
    bad = subprocess.run(
        [str(script), "sessions", "export", "77"], capture_output=True, text=True, env=env
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "Error: no session 77 (see `voicemock sessions list`)\n"


def test_cli_start_up_does_not_load_storage() -> None:
    """`voicemock --help` stays fast: SQLite and the storage code load only when used."""
    code = (
        "import sys, voicemock.cli; "
        "print(sorted(m for m in sys.modules if m in ('sqlite3', 'voicemock.storage')"
        " or m.startswith('voicemock.storage.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


def test_review_shows_the_top_changes_and_all_of_them_on_request(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)
    with Store.open(voicemock_home) as store:
        (answer, _) = store.answers(seeded.first)
        doc = answer.analysis
        assert doc is not None
        doc["advice"] = [
            {"topic": "fillers", "text": f"change number {n}", "top": n < 3} for n in range(5)
        ]
        doc["strengths"] = [{"topic": "timing", "text": "2:52, inside the window"}]
        raw(voicemock_home).execute(
            "UPDATE answers SET analysis_json = ? WHERE id = ?", (json.dumps(doc), answer.id)
        ).connection.commit()
    top = run("review", str(seeded.first), "--answer", "1")
    assert top.exit_code == 0, top.output
    assert "What worked" in top.stdout and "2:52, inside the window" in top.stdout
    assert "change number 2" in top.stdout and "change number 3" not in top.stdout
    assert f"+2 more changes (voicemock review {seeded.first} --answer 1 --all)" in top.stdout
    full = run("review", str(seeded.first), "--answer", "1", "--all")
    assert "change number 4" in full.stdout and "more change" not in full.stdout
