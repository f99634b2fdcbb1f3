"""Stories, consistency, trying again and `--next` in the practice round, with scripted parts.

The round runs for real (database, VAD, analysis, the story bank's similarity and
consistency, the terminal view) against the scripted clock, recorder, keys and a fake
transcriber that says what each test needs. Keys typed after the feedback come from
``ScriptedKeys.lines`` (``""`` is Enter alone), as a person at a terminal would type them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.fakes import EventView, FakeTranscriber
from tests.speech_helpers import espeak_wav
from tests.test_practice import ANSWER, ANSWER_TEXT, Rig
from voicemock.audio.io import load_audio
from voicemock.cli import cli
from voicemock.errors import InputError
from voicemock.practice import PracticeOptions
from voicemock.storage import Store

CHECKOUT = "Checkout page form"
CHECKOUT_SUMMARY = (
    "I owned the checkout page. I cut the payment form to one page because people dropped"
    " off. Conversion went from sixty to eighty one percent in six weeks."
)
HIRING = "Hiring the data team"
HIRING_SUMMARY = (
    "I hired four analysts for the new data team in a quarter and coached two of them into leads."
)
WEAK = (
    "Um, so at my last company we had a checkout page. Uh, we decided to change the form"
    " with the team. It went well in the end."
)
"""The same story told badly: shared decisions, fillers, no number in the result."""
THIRTY = ANSWER_TEXT.replace("eighty one", "seventy one")
"""The checkout story with a different result figure."""

OPTIONS = PracticeOptions(
    follow_ups=0, count=1, seed=3, think_s=0, question_ids=("ow-outside-scope",)
)


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> np.ndarray:
    path = espeak_wav(espeak, ANSWER, tmp_path_factory.mktemp("speech") / "answer.wav")
    return load_audio(path)


def bank(home: Path, *stories: tuple[str, str]) -> list[int]:
    with Store.open(home) as store:
        return [store.stories.add(title, summary=summary).id for title, summary in stories]


def rig(
    home: Path,
    speech: np.ndarray,
    texts: list[str],
    *,
    lines: list[str] | None = None,
    presses: int = 1,
) -> Rig:
    """A rig whose answers say ``texts`` in turn, each ended by Enter after 12 s; with
    ``lines`` a person at the terminal types them after the feedback."""
    r = Rig(home, speech, keys_at=[12.0 * (n + 1) for n in range(presses)])
    r.transcriber = FakeTranscriber("fake-model").enqueue(*texts)
    if lines is not None:
        r.keys.interactive = True
        r.keys.lines = list(lines)
    return r


def link_of(home: Path, session_id: int, position: int = 1) -> tuple[int, str] | None:
    with Store.open(home) as store:
        answer = store.get_answer(session_id, position)
        link = store.stories.link_of(answer.id)
    return None if link is None else (link.story_id, link.kind)


# -- which story: asked ---------------------------------------------------------------------


def test_enter_confirms_the_suggested_story_shown_with_its_score(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    checkout, _ = bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY), (HIRING, HIRING_SUMMARY))
    r = rig(voicemock_home, speech, [ANSWER_TEXT], lines=["", ""])  # confirm; then go on
    view = EventView()
    result, _ = r.run(OPTIONS, view=view)
    names = view.names()
    assert names[names.index("report") :] == [
        "report",
        "story_suggestion",
        "story_linked",
        "retry_offer",
        "finished",
    ]
    [(_, best, threshold)] = view.args("story_suggestion")
    assert best.story_id == checkout and best.score >= threshold  # type: ignore[attr-defined]
    assert link_of(voicemock_home, result.session_id) == (checkout, "manual")
    [(_, linked)] = view.args("story_linked")
    assert linked.link.score == pytest.approx(best.score)  # type: ignore[attr-defined]
    assert result.outcomes[0].linked is linked


def test_the_terminal_shows_the_suggestion_its_score_and_the_keys(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY), (HIRING, HIRING_SUMMARY))
    r = rig(voicemock_home, speech, [ANSWER_TEXT], lines=["y", ""])
    r.run(OPTIONS)
    out = r.out.getvalue()
    shown = out[out.index("Story: 1 “Checkout page form”") :]
    assert "score 0." in shown.splitlines()[0] and "(at or above 0.25)" in shown.splitlines()[0]
    assert "Enter: link it · a number: another story · l: list them · n: new story · s: skip" in (
        shown
    )
    assert "Linked to story 1 “Checkout page form” (by you)." in shown
    assert "r: try this question again now · Enter: go on" in shown
    assert (
        shown.index("Linked to story") < shown.index("r: try this") < shown.index("Round summary")
    )


def test_a_number_links_another_story_and_l_lists_them(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    _, hiring = bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY), (HIRING, HIRING_SUMMARY))
    r = rig(voicemock_home, speech, [ANSWER_TEXT], lines=["l", str(hiring), ""])
    view = EventView()
    result, _ = r.run(OPTIONS, view=view)
    [(ranked,)] = view.args("story_choices")
    assert [s.story_id for s in ranked] == [1, hiring]  # type: ignore[attr-defined]
    assert link_of(voicemock_home, result.session_id) == (hiring, "manual")

    r2 = rig(voicemock_home, speech, [ANSWER_TEXT], lines=[str(hiring), ""])
    result2, _ = r2.run(OPTIONS)
    assert link_of(voicemock_home, result2.session_id) == (hiring, "manual")


def test_n_makes_a_new_story_of_the_answer_asking_its_title(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY))
    # A title already used is refused in one line, and asked again.
    r = rig(voicemock_home, speech, [ANSWER_TEXT], lines=["n", CHECKOUT.upper(), "Grocery app", ""])
    view = EventView()
    result, _ = r.run(OPTIONS, view=view)
    assert len(view.args("story_title")) == 2
    assert any("already" in str(w) for (w,) in view.args("warning"))
    with Store.open(voicemock_home) as store:
        story = next(s for s in store.stories.all() if s.title == "Grocery app")
    assert link_of(voicemock_home, result.session_id) == (story.id, "created")


def test_with_an_empty_bank_nothing_is_asked_and_the_first_story_is_one_command_away(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    r = rig(voicemock_home, speech, [ANSWER_TEXT], lines=[""])  # Enter: go on
    view = EventView()
    result, _ = r.run(OPTIONS, view=view)
    names = view.names()
    assert names[names.index("report") :] == ["report", "story_unlinked", "retry_offer", "finished"]
    [(_, best, _threshold)] = view.args("story_unlinked")
    assert best is None and r.keys.prompts == 1  # only the offer to try again
    assert link_of(voicemock_home, result.session_id) is None

    r2 = rig(voicemock_home, speech, [ANSWER_TEXT], lines=[""])
    result2, _ = r2.run(OPTIONS)
    assert (
        "No story in your bank yet. Make this answer the first one: voicemock stories add"
        f' "TITLE" --from {result2.session_id}:1' in " ".join(r2.out.getvalue().split())
    )


def test_s_skips_a_wrong_key_is_one_line_and_enter_skips_a_weak_suggestion(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY), (HIRING, HIRING_SUMMARY))
    r = rig(voicemock_home, speech, [ANSWER_TEXT], lines=["x", "9", "s", ""])
    view = EventView()
    result, _ = r.run(OPTIONS, view=view)
    assert link_of(voicemock_home, result.session_id) is None
    warnings = [str(w) for (w,) in view.args("warning")]
    assert warnings == [
        "'x' is not one of the keys: y: link it, a story's number, l: list them, n: new story,"
        " s: skip",
        "'9' is not one of the keys: y: link it, a story's number, l: list them, n: new story,"
        " s: skip",
    ]
    assert len(view.args("story_suggestion")) == 3

    # A hiring story told: the checkout-only bank's best scores below the threshold, so
    # Enter alone leaves it unlinked (y would link it).
    with Store.open(voicemock_home) as store:
        store.stories.remove(2)
    hiring = "I hired four analysts and coached two of them into team leads within a year."
    r2 = rig(voicemock_home, speech, [hiring], lines=["", ""])
    r2.run(OPTIONS)
    out = r2.out.getvalue()
    assert "Closest story: 1 “Checkout page form”" in out and "(below 0.25)" in out
    assert "y: link it · a number: another story · l: list them · n: new story · Enter: skip" in out
    assert link_of(voicemock_home, 2) is None


# -- which story: linked in advance, or automatically ------------------------------------------


def test_story_links_every_answer_in_advance_never_a_reply(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    _, hiring = bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY), (HIRING, HIRING_SUMMARY))
    r = rig(voicemock_home, speech, [ANSWER_TEXT] * 4, presses=4)
    options = PracticeOptions(follow_ups=1, count=2, seed=3, think_s=0, story_id=hiring)
    view = EventView()
    result, store = r.run(options, view=view)
    answers = store.answers(result.session_id)
    assert [a.is_reply for a in answers] == [False, True, False, True]
    links = store.stories.links([a.id for a in answers])
    assert {a.position: links[a.id].story_id for a in answers if a.id in links} == {
        1: hiring,
        3: hiring,
    }
    assert "story_suggestion" not in view.names()  # nothing asked
    assert len(view.args("story_linked")) == 2


def test_an_unknown_story_is_one_line_before_anything_starts(voicemock_home: Path) -> None:
    result = CliRunner().invoke(cli, ["practice", "--story", "7", "--no-voice"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "7" in result.stderr and "story" in result.stderr
    with Store.open(voicemock_home) as store:
        assert store.count_sessions() == 0


def test_nobody_asked_links_above_the_threshold_automatically(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    checkout, _ = bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY), (HIRING, HIRING_SUMMARY))
    r = rig(voicemock_home, speech, [ANSWER_TEXT])  # not a terminal: nobody is asked
    result, _ = r.run(OPTIONS)
    assert link_of(voicemock_home, result.session_id) == (checkout, "automatic")
    out = r.out.getvalue()
    assert "Linked to story 1 “Checkout page form” (automatic, score 0." in out
    assert "r: try this question again" not in out and "Enter: link it" not in out
    assert r.keys.prompts == 0

    # Below the threshold: left unlinked, and the closest story named with how to link it.
    hiring = "I hired four analysts and coached two of them into team leads within a year."
    with Store.open(voicemock_home) as store:
        store.stories.remove(2)
    r2 = rig(voicemock_home, speech, [hiring])
    result2, _ = r2.run(OPTIONS)
    assert link_of(voicemock_home, result2.session_id) is None
    assert (
        "Not linked to a story: the closest, 1 “Checkout page form”, scores 0." in r2.out.getvalue()
    )
    assert f"Link it later: voicemock stories link {result2.session_id}:1 1." in r2.out.getvalue()


def test_an_empty_bank_says_nothing_when_nobody_is_asked(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    view = EventView()
    rig(voicemock_home, speech, [ANSWER_TEXT]).run(OPTIONS, view=view)
    assert not any(n.startswith("story") for n in view.names())


# -- consistency ------------------------------------------------------------------------------


def test_a_changed_figure_is_shown_quoting_both_tellings_with_their_dates(
    voicemock_home: Path, speech: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line a quote
    (checkout,) = bank(voicemock_home, (CHECKOUT, ""))
    first = rig(voicemock_home, speech, [ANSWER_TEXT])
    first.run(PracticeOptions(follow_ups=0, count=1, seed=3, think_s=0, story_id=checkout))
    assert "differs" not in first.out.getvalue()

    second = rig(voicemock_home, speech, [THIRTY])
    result, store = second.run(
        PracticeOptions(follow_ups=0, count=1, seed=4, think_s=0, story_id=checkout)
    )
    linked = result.outcomes[0].linked
    assert linked is not None
    (diff,) = linked.differences
    assert diff.kind == "number"
    when = store.get_answer(1, 1).started_at.astimezone()
    shown = second.out.getvalue()
    assert "! This telling differs from an earlier one in 1 way:" in shown
    assert f"  number: {diff.summary}" in shown
    line = next(x for x in shown.splitlines() if x.strip().startswith("Earlier ("))
    assert line.startswith(f"    Earlier ({when.day} {when:%b}, session 1, answer 1) you said “")
    assert "eighty one percent" in line.split("; now")[0]
    assert "; now “" in line and "seventy one percent" in line.split("; now")[1]
    assert shown.index("Linked to story 1") < shown.index("! This telling differs")

    # A third telling agrees with the second, its nearest: no false alarm.
    third = rig(voicemock_home, speech, [THIRTY])
    third.run(PracticeOptions(follow_ups=0, count=1, seed=5, think_s=0, story_id=checkout))
    assert "differs" not in third.out.getvalue()


# -- trying again -----------------------------------------------------------------------------


def test_r_tries_the_question_again_and_the_feedback_opens_with_what_changed(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    r = rig(voicemock_home, speech, [WEAK, ANSWER_TEXT], lines=["r", ""], presses=2)
    view = EventView()
    result, store = r.run(OPTIONS, view=view)
    first, second = result.outcomes
    assert first.question == second.question and r.speaker.said == [first.question.text] * 2
    assert (first.attempt, first.retry, first.since_last) == (1, False, None)
    assert (second.attempt, second.retry) == (2, True)
    details = [d for _q, d in view.args("question")]
    assert [d["attempt"] for d in details] == [1, 2]  # type: ignore[index]
    assert second.since_last is not None
    changes = {c.key: c for c in second.since_last.changes}
    assert changes["result"].better is True and changes["owned"].better is True
    assert changes["fillers"].better is True
    assert [a.question_id for a in store.answers(result.session_id)] == [first.question.id] * 2
    # The retry comes after the first attempt's feedback, the follow-ups after the last.
    names = view.names()
    assert names.count("retry_offer") == 2 and names.count("report") == 2
    assert names.index("retry_offer") < names.index("question", names.index("report"))


def test_the_terminal_opens_a_retry_with_what_changed(
    voicemock_home: Path, speech: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the headline on one line
    r = rig(voicemock_home, speech, [WEAK, ANSWER_TEXT], lines=["r", ""], presses=2)
    r.run(OPTIONS)
    out = r.out.getvalue()
    retry = out[out.index("Question 1 of 1, second attempt") :]
    opening = retry[retry.index("What changed") :].splitlines()
    assert opening[0].startswith("What changed — second attempt: ")
    assert "result now has a number" in opening[0]
    assert "  + result has a number: no → yes" in opening
    assert any(x.startswith("  + fillers ") and "per minute" in x for x in opening)
    assert retry.index("What changed") < retry.index("Transcript")
    summary = out[out.index("Round summary") :]
    assert " 1 (2nd) " in summary or "1 (2nd)" in summary


def test_no_retry_is_offered_when_nobody_is_asked_or_with_answer_files(
    voicemock_home: Path, speech: np.ndarray, tmp_path: Path, espeak: str
) -> None:
    view = EventView()
    rig(voicemock_home, speech, [ANSWER_TEXT]).run(OPTIONS, view=view)
    assert "retry_offer" not in view.names()
    bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY))
    wav = espeak_wav(espeak, ANSWER, tmp_path / "a.wav")
    r = rig(voicemock_home, speech, [ANSWER_TEXT], lines=["s", "r"])
    view = EventView()
    r.run(PracticeOptions(follow_ups=0, count=1, seed=3, think_s=0, answer_files=(wav,)), view)
    assert "story_suggestion" in view.names() and "retry_offer" not in view.names()


def test_again_repeats_the_last_question_practised(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    r = rig(voicemock_home, speech, [WEAK, ANSWER_TEXT], presses=2)
    result, _ = r.run(PracticeOptions(follow_ups=0, count=2, seed=9, think_s=0))
    last = result.outcomes[-1].question
    again = rig(voicemock_home, speech, [ANSWER_TEXT])
    view = EventView()
    result2, _ = again.run(PracticeOptions(follow_ups=0, think_s=0, again=True), view=view)
    (outcome,) = result2.outcomes
    assert outcome.question.id == last.id
    assert (outcome.retry, outcome.attempt) == (True, 2)
    assert outcome.since_last is not None
    assert outcome.since_last.headline(2).startswith("second attempt: ")
    # It compares with that question's previous attempt (the answer ANSWER_TEXT: the same
    # words), not with the round's other question (WEAK).
    changes = {c.key: c for c in outcome.since_last.changes}
    assert changes["result"].better is None and changes["owned"].better is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--again"], "nothing has been practised yet"),
        (["--again", "--question", "x"], "--again chooses the question itself"),
        (["--again", "--set", "general"], "leave out --set"),
        (["--again", "--next"], "give one"),
        (["--next", "--tag", "ownership"], "leave out --tag"),
    ],
)
def test_again_and_next_refuse_what_contradicts_them_in_one_line(
    voicemock_home: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(cli, ["practice", "--no-voice", *args])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and message in line


# -- next -------------------------------------------------------------------------------------


def test_next_asks_for_the_principles_no_story_covers_first(
    voicemock_home: Path, speech: np.ndarray
) -> None:
    from voicemock.stories.principles import FIRST_FOUR

    r = rig(voicemock_home, speech, [ANSWER_TEXT] * 2, presses=2)
    result, _ = r.run(PracticeOptions(follow_ups=0, count=2, seed=1, think_s=0, next=True))
    first, second = (o.question for o in result.outcomes)
    assert FIRST_FOUR[0] in first.tags and FIRST_FOUR[1] in second.tags

    # Story 1 told for the first principle: it is covered, so the next round starts
    # with the second.
    (story,) = bank(voicemock_home, (CHECKOUT, CHECKOUT_SUMMARY))
    with Store.open(voicemock_home) as store:
        store.stories.link(store.get_answer(1, 1).id, story, kind="manual")
    r2 = rig(voicemock_home, speech, [ANSWER_TEXT])
    result2, _ = r2.run(PracticeOptions(follow_ups=0, count=1, seed=1, think_s=0, next=True))
    (question,) = (o.question for o in result2.outcomes)
    assert FIRST_FOUR[0] not in question.tags and FIRST_FOUR[1] in question.tags


def test_again_with_nothing_practised_raises_input_error(voicemock_home: Path) -> None:
    from voicemock.env import Environment
    from voicemock.practice import plan_round

    env = Environment(environ={"VOICEMOCK_HOME": str(voicemock_home)})
    env.ensure_home()
    with Store.open(voicemock_home) as store, pytest.raises(InputError, match="--again"):
        plan_round(env, store, PracticeOptions(again=True))
