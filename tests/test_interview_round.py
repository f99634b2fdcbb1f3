"""Follow-ups in a round and the mock loop, with scripted parts: an injected clock, a
recorder writing real speech, a fake transcriber and speaker; the analysis, the rules,
the scorecard, SQLite and the terminal view are real."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.fakes import EventView, FakeTranscriber
from tests.speech_helpers import espeak_wav
from tests.test_practice import ANSWER, Rig
from voicemock.audio.io import load_audio
from voicemock.cli import cli
from voicemock.env import Environment
from voicemock.interview.scorecard import Scorecard
from voicemock.practice import PracticeOptions
from voicemock.storage import Store, group_answers
from voicemock.timing import FOLLOW_UP_TARGET

WE_ANSWER = (
    "At my last company our checkout page was losing customers. We decided to delay the "
    "launch and rebuild the payment form. The team worked hard and we shipped it. In the "
    "end customers were much happier."
)
I_REPLY = (
    "I decided to delay the launch myself, because billing errors would have hit our "
    "biggest accounts."
)
STILL_WE_REPLY = "We all agreed as a team that waiting was the right thing to do."


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> np.ndarray:
    """Twelve seconds of real speech, recorded for every answer (the fake transcriber
    says what each answer was)."""
    return load_audio(espeak_wav(espeak, ANSWER, tmp_path_factory.mktemp("speech") / "a.wav"))


def rig_with(home: Path, speech: np.ndarray, texts: list[str], keys_at: list[float]) -> Rig:
    rig = Rig(home, speech, keys_at=keys_at, transcripts=0)
    rig.transcriber.enqueue(*texts)
    return rig


def test_a_follow_up_probes_the_gap_and_the_reply_closes_it(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    rig = rig_with(voicemock_home, speech, [WE_ANSWER, I_REPLY], keys_at=[12.0, 25.0])
    view = EventView()
    result, store = rig.run(PracticeOptions(count=1, seed=3, think_s=0, follow_ups=1), view=view)
    assert view.names() == [
        "question",
        "recording",
        "recording_ended",
        "stopped",
        "working",
        "report",
        "follow_up",
        "recording",
        "recording_ended",
        "stopped",
        "working",
        "report",
        "finished",
    ]
    (main,) = result.outcomes
    (reply,) = main.replies
    [(asked,)] = view.args("follow_up")
    assert asked is reply
    assert reply.follow_up is not None and reply.follow_up.gap is not None
    assert reply.follow_up.gap.kind == "ownership"
    assert "we decided to delay the launch" in reply.follow_up.text
    assert re.search(r"decide|decision", reply.follow_up.text.split("”")[-1])
    # The interviewer's voice reads the question, then the follow-up.
    assert rig.speaker.said == [main.question.text, reply.follow_up.text]
    assert reply.target == FOLLOW_UP_TARGET
    assert reply.check is not None and reply.check.status == "closed"
    assert reply.check.quote is not None and reply.check.quote.startswith("I decided")
    [_, (reported,)] = view.args("report")
    assert reported is reply and reported.doc is not None
    assert reported.doc["question"] == reply.follow_up.text

    records = store.answers(result.session_id)
    assert [(r.position, r.parent_id) for r in records] == [(1, None), (2, records[0].id)]
    stored = records[1]
    assert stored.question_text == reply.follow_up.text
    assert stored.question_id == main.question.id
    assert stored.target == FOLLOW_UP_TARGET
    assert stored.transcript == I_REPLY
    assert stored.gap is not None
    assert stored.gap["kind"] == "ownership" and stored.gap["status"] == "closed"
    assert stored.gap["trigger"] == "we decided to delay the launch"
    assert stored.follow_up is not None and stored.follow_up["source"] == "gap"
    [group] = group_answers(records)
    assert group.main.id == records[0].id and group.replies == (stored,)
    # Replies stay out of progress and the practice history.
    assert [r.id for r in store.all_answers()] == [records[0].id]
    assert len(store.all_answers(replies=True)) == 2


def test_a_reply_that_does_not_close_the_gap_is_still_open(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    rig = rig_with(voicemock_home, speech, [WE_ANSWER, STILL_WE_REPLY], keys_at=[12.0, 25.0])
    result, store = rig.run(PracticeOptions(count=1, seed=3, think_s=0, follow_ups=1))
    (reply,) = result.outcomes[0].replies
    assert reply.check is not None and reply.check.status == "open"
    stored = store.answers(result.session_id)[1]
    assert stored.gap is not None and stored.gap["status"] == "open"
    out = rig.out.getvalue()
    assert "Follow-up 1" in out and "Interviewer: " in out
    assert "Gap: shared ownership — still open" in out
    assert "gap open: " in out  # the reply row of the round summary
    assert "A bar raiser might follow up with" in out


def test_the_terminal_shows_the_follow_up_the_closed_gap_and_the_summary(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    rig = rig_with(voicemock_home, speech, [WE_ANSWER, I_REPLY], keys_at=[12.0, 25.0])
    rig.run(PracticeOptions(count=1, seed=3, think_s=0, follow_ups=1))
    out = rig.out.getvalue()
    asked = out.index("Interviewer: ")
    assert "“we decided to delay the launch”" in out[asked:].splitlines()[0]
    closed = out.index("Gap: shared ownership — closed: “I decided to delay the launch")
    summary = out.index("Round summary")
    assert asked < closed < summary
    assert "reply in 0:30–1:30" in out
    assert "gap closed: " in out[summary:]


def test_two_follow_ups_take_the_next_gap_then_the_seeds(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    rig = rig_with(
        voicemock_home, speech, [WE_ANSWER, I_REPLY, I_REPLY, I_REPLY], keys_at=[12, 25, 38]
    )
    result, _ = rig.run(PracticeOptions(count=1, seed=3, think_s=0, follow_ups=3), view=EventView())
    replies = result.outcomes[0].replies
    kinds = [r.follow_up.gap.kind if r.follow_up and r.follow_up.gap else None for r in replies]
    assert kinds == ["ownership", "result_number", "reasons"]
    assert len({r.follow_up.text for r in replies if r.follow_up}) == 3


def test_no_speech_in_the_main_answer_falls_back_to_the_question_own_follow_ups(
    voicemock_home: Path,
) -> None:
    silence = np.zeros(16000 * 5, dtype=np.float32)
    rig = Rig(voicemock_home, silence, keys_at=[4.0, 8.0], transcripts=0)
    result, store = rig.run(PracticeOptions(count=1, seed=1, think_s=0, follow_ups=1))
    (main,) = result.outcomes
    (reply,) = main.replies
    assert main.error == "no speech detected"
    assert reply.follow_up is not None and reply.follow_up.source == "seed"
    assert reply.follow_up.text == main.question.follow_ups[0]
    records = store.answers(result.session_id)
    assert [r.status for r in records] == ["failed", "failed"]
    assert records[1].parent_id == records[0].id
    assert records[1].follow_up is not None and records[1].follow_up["gap"] is None


def test_ctrl_c_in_a_reply_keeps_it_linked(voicemock_home: Path, speech: np.ndarray) -> None:
    rig = Rig(
        voicemock_home,
        speech,
        keys_at=[12.0],
        recorder_kwargs={"interrupt_at": 30.0},
        transcripts=0,
    )
    rig.transcriber.enqueue(WE_ANSWER, I_REPLY, I_REPLY)
    with pytest.raises(KeyboardInterrupt):
        rig.run(PracticeOptions(count=2, seed=1, think_s=0, follow_ups=1))
    store = Store.open(voicemock_home)
    session = store.latest_session()
    assert session is not None and session.status == "interrupted"
    main, reply = store.answers(session.id)
    assert main.status == "complete"
    assert reply.status == "interrupted" and reply.parent_id == main.id


def test_an_interview_opens_closes_and_scores(voicemock_home: Path, speech: np.ndarray) -> None:
    strong = " ".join(s for s, _ in ANSWER)
    rig = rig_with(
        voicemock_home, speech, [WE_ANSWER, I_REPLY, strong, I_REPLY], keys_at=[12, 25, 38, 51]
    )
    view = EventView()
    result, store = rig.run(
        PracticeOptions(count=2, seed=7, think_s=0, follow_ups=1, mode="interview"), view=view
    )
    names = view.names()
    assert names[0] == "interviewer" and names[-3:] == ["interviewer", "scorecard", "finished"]
    (intro, moment), (closing, end) = view.args("interviewer")
    assert (moment, end) == ("intro", "closing")
    assert "two questions" in str(intro) and "follow-up" in str(intro)
    principles = [o.question.principles[0].name for o in result.outcomes]
    assert len(set(principles)) == 2
    for name in principles:
        assert name.split(";")[0] in str(intro)
    assert rig.speaker.said[0] == intro and rig.speaker.said[-1] == closing
    [(card,)] = view.args("scorecard")
    assert isinstance(card, Scorecard) and card is result.scorecard
    assert [p.position for p in card.principles] == [1, 2]
    session = store.get_session(result.session_id)
    assert session.settings["mode"] == "interview"
    assert session.scorecard == card.to_dict()
    assert Scorecard.from_dict(session.scorecard) == card
    assert [r.parent_id is not None for r in store.answers(result.session_id)] == [
        False,
        True,
        False,
        True,
    ]


def test_the_interview_terminal_holds_feedback_until_the_scorecard(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    from voicemock.render import make_console
    from voicemock.render.practice import TerminalRoundView

    rig = rig_with(voicemock_home, speech, [WE_ANSWER, I_REPLY], keys_at=[12, 25])
    view = TerminalRoundView(rig.env, make_console(rig.env), feedback_at_end=True)
    rig.run(PracticeOptions(count=1, seed=2, think_s=0, follow_ups=1, mode="interview"), view)
    out = rig.out.getvalue()
    assert "Interviewer: Hello" in out
    assert "Answer saved (" in out and "Reply saved (" in out
    assert "Transcript" not in out  # no per-answer report in a loop
    card = out.index("Bar-raiser scorecard")
    assert out.index("Interviewer: That's all my questions") < card
    assert "Lean: " in out[card:] and "Ownership" in out[card:]
    assert "that would move it most" in out[card:]
    assert out.index("Round summary") > card


# -- answer files, one per answer ------------------------------------------------------------


@pytest.fixture
def wavs(tmp_path: Path, espeak: str) -> list[Path]:
    first = espeak_wav(espeak, ANSWER, tmp_path / "a1.wav")
    paths = [first]
    for name in ("r1", "a2", "r2", "a3"):
        path = tmp_path / f"{name}.wav"
        path.write_bytes(first.read_bytes())
        paths.append(path)
    return paths


def run_cli(args: list[str], texts: list[str]) -> tuple[object, FakeTranscriber]:
    """``voicemock ARGS --think 0`` with a fake transcriber saying ``texts`` in turn (without
    ``--think 0`` each question would wait out amazon-pm's 15 s countdown in real time)."""
    transcriber = FakeTranscriber("fake-model").enqueue(*texts)
    env = Environment(transcriber_factory=lambda _m: transcriber)
    return CliRunner().invoke(cli, [*args, "--think", "0"], obj=env, input=""), transcriber


def test_answer_files_are_used_one_per_answer_in_order(
    voicemock_home: Path, wavs: list[Path]
) -> None:
    a1, r1, a2, r2 = (str(p) for p in wavs[:4])
    args = ["interview", "--questions", "2", "--follow-ups", "1", "--fast", "--no-voice"]
    for path in (a1, r1, a2, r2):
        args += ["--answer-file", path]
    result, _ = run_cli(args, [WE_ANSWER, I_REPLY, WE_ANSWER, STILL_WE_REPLY])
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    store = Store.open(voicemock_home)
    session = store.latest_session()
    assert session is not None
    records = store.answers(session.id)
    assert [r.transcript for r in records] == [WE_ANSWER, I_REPLY, WE_ANSWER, STILL_WE_REPLY]
    assert session.settings["answer_files"] == [a1, r1, a2, r2]
    assert [r.gap["status"] if r.gap else None for r in records] == [None, "closed", None, "open"]
    assert session.scorecard is not None
    assert "Bar-raiser scorecard" in result.stdout  # type: ignore[attr-defined]


def test_one_answer_file_is_one_question_and_its_reply_is_skipped(
    voicemock_home: Path, wavs: list[Path]
) -> None:
    result, _ = run_cli(
        ["practice", "--answer-file", str(wavs[0]), "--fast", "--no-voice"], [WE_ANSWER]
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert "Question 1 of 1" in out
    asked = out.index("Interviewer: ")
    assert "“we decided to delay the launch”" in out[asked:].splitlines()[0]
    assert "No answer file left for this reply: skipped" in out
    store = Store.open(voicemock_home)
    (only,) = store.answers(store.latest_session().id)  # type: ignore[union-attr]
    assert only.transcript == WE_ANSWER


def test_two_answer_files_without_follow_ups_are_two_questions(
    voicemock_home: Path, wavs: list[Path]
) -> None:
    args = ["practice", "--follow-ups", "0", "--fast", "--no-voice"]
    args += ["--answer-file", str(wavs[0]), "--answer-file", str(wavs[2])]
    result, _ = run_cli(args, [WE_ANSWER, I_REPLY])
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    store = Store.open(voicemock_home)
    records = store.answers(store.latest_session().id)  # type: ignore[union-attr]
    assert [r.transcript for r in records] == [WE_ANSWER, I_REPLY]
    assert all(r.parent_id is None for r in records)


@pytest.mark.parametrize(
    ("extra", "files", "message"),
    [
        (["--count", "3"], 2, "2 answer files for 3 questions with 1 follow-up each"),
        (["--count", "1"], 3, "3 answer files for 1 question with 1 follow-up each: only 2"),
        (["--count", "2", "--follow-ups", "0"], 1, "1 answer file for 2 questions: give one"),
    ],
)
def test_answer_files_that_do_not_fit_the_round_are_refused(
    voicemock_home: Path, wavs: list[Path], extra: list[str], files: int, message: str
) -> None:
    args = ["practice", "--fast", "--no-voice", *extra]
    for path in wavs[:files]:
        args += ["--answer-file", str(path)]
    result, transcriber = run_cli(args, [WE_ANSWER])
    assert result.exit_code == 2  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert err.count("\n") == 1 and message in err, err
    assert transcriber.calls == []
    assert not list(voicemock_home.glob("audio/**/*.wav"))


def test_follow_ups_out_of_range_are_refused(voicemock_home: Path) -> None:
    result = CliRunner().invoke(cli, ["interview", "--follow-ups", "9"])
    assert result.exit_code == 2 and "--follow-ups" in result.stderr


def test_interview_json_export_nests_replies(voicemock_home: Path, wavs: list[Path]) -> None:
    args = ["interview", "--questions", "1", "--fast", "--no-voice"]
    args += ["--answer-file", str(wavs[0]), "--answer-file", str(wavs[1])]
    result, _ = run_cli(args, [WE_ANSWER, I_REPLY])
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    exported = json.loads(CliRunner().invoke(cli, ["sessions", "export", "latest"]).stdout)
    body = exported["session"]
    (answer,) = body["answers"]
    (reply,) = answer["follow_ups"]
    assert answer["parent_id"] is None and reply["parent_id"] == answer["id"]
    assert reply["prompt"].startswith("You said") or "“" in reply["prompt"]
    assert reply["gap"]["kind"] == "ownership" and reply["gap"]["status"] == "closed"
    assert reply["gap"]["quote"].startswith("I decided")
    assert body["scorecard"]["lean"] in ("strong hire", "inclined", "not inclined")
    assert body["settings"]["mode"] == "interview"
