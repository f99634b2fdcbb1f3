"""A saved interview read back: `review`, `sessions export` (JSON and Markdown), `report`,
and the story bank refusing a reply. Real analysis, rules, scorecard and SQLite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.interview_helpers import SavedInterview, save_interview
from voicemock.cli import cli
from voicemock.storage import Store


@pytest.fixture
def saved(voicemock_home: Path) -> SavedInterview:
    return save_interview(voicemock_home)


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def test_the_saved_interview_is_what_the_rules_made(saved: SavedInterview) -> None:
    main1, reply1, main2, reply2 = saved.records
    assert (reply1.parent_id, reply2.parent_id) == (main1.id, main2.id)
    assert reply1.gap is not None and reply1.gap["kind"] == "ownership"
    assert reply1.gap["status"] == "closed"
    assert reply2.gap is not None and reply2.gap["kind"] == "lp_label"
    assert reply2.gap["status"] == "open"


def test_review_shows_everything_the_round_showed(saved: SavedInterview) -> None:
    out = run("review", "--no-color")
    _main1, reply1, _main2, _reply2 = saved.records
    assert out.startswith(f"Interview {saved.session_id} · ")
    order = [
        out.index("Question 1 · answer 1"),
        out.index("Transcript"),
        out.index("A bar raiser might follow up with"),  # the question's own follow-ups
        out.index("How did you explain the decision to that customer"),
        out.index("Follow-up 1  · answer 2"),
        out.index(f"Interviewer: {reply1.question_text}"),
        out.index("Gap: shared ownership — closed: “I decided to delay the launch myself”"),
        out.index("*I decided* to delay the launch myself"),  # the reply's own report
        out.index("Question 2 · answer 3"),
        out.index("Gap: a principle named, not shown — still open"),
        out.index("Round summary"),
        out.index("gap closed: "),
        out.index("gap open: "),
        out.index("Bar-raiser scorecard"),
        out.index(f"Lean: {saved.card.lean} ({saved.card.points} of 10 points)"),
        out.index("Principles probed"),
        out.index("Signals"),
        out.index("that would move it most"),
        out.index(f"See it and hear it: voicemock report {saved.session_id} --open"),
    ]
    assert order == sorted(order)
    for signal in saved.card.signals:
        assert signal.summary in out.replace("\n      ", " ")
    assert out.count("Interviewer: ") == 2
    # The reply's report does not repeat the follow-up as "Question:".
    assert f"Question: {reply1.question_text}" not in out


def test_review_of_one_answer_shows_its_replies_only(saved: SavedInterview) -> None:
    out = run("review", "--answer", "1", "--no-color")
    assert "Answer 1" in out and "Follow-up 1  · answer 2" in out
    assert "Question: Tell me about a problem outside your area." not in out
    assert "Round summary" not in out and "Bar-raiser scorecard" not in out
    only_reply = run("review", "--answer", "2", "--no-color")
    assert "Answer 2 (a reply to a follow-up)" in only_reply


def test_json_export_nests_the_replies_and_carries_the_scorecard(saved: SavedInterview) -> None:
    data = json.loads(run("sessions", "export", "latest"))
    session = data["session"]
    assert data["version"] == 1
    assert [a["position"] for a in session["answers"]] == [1, 3]
    first, second = session["answers"]
    (reply,) = first["follow_ups"]
    assert reply["position"] == 2 and reply["parent_id"] == first["id"]
    assert reply["prompt"] == saved.records[1].question_text
    assert reply["follow_up_source"] == "gap"
    assert reply["gap"] == saved.records[1].gap
    assert second["follow_ups"][0]["gap"]["status"] == "open"
    assert session["scorecard"] == saved.card.to_dict()


def test_markdown_export_is_a_complete_review(saved: SavedInterview) -> None:
    md = run("sessions", "export", "latest", "--format", "markdown")
    assert md.startswith(f"# voicemock interview {saved.session_id} — amazon-pm\n")
    assert "2 answers, 2 of 2 in the target window, average 2:40; 2 follow-ups answered." in md
    # The scorecard, with every signal and the changes.
    assert f"**Lean: {saved.card.lean}** ({saved.card.points} of 10 points)" in md
    for signal in saved.card.signals:
        assert f"| {signal.title} (" in md and signal.summary in md
    assert "**The changes that would move it most:**" in md
    assert "(question 1)" in md
    # The round summary as a table, replies under their answer with their gap.
    assert "## Round summary" in md
    assert re.search(r"^\| ↳ \| gap closed: ", md, re.MULTILINE)
    # Highlights, structure, the full numbers list.
    assert "> **I decided** to delay the launch myself" in md
    assert "*We decided* to delay the" in md
    assert "`from 60 to 75 percent`" in md
    assert "*Legend:* **owned** · *shared or weak* · ~~filler~~ · `number` · ‹hedge›" in md
    assert "| context | 0:44 | 0:20–0:30 |" in md
    assert "- **Lesson:** stated" in md and "- **Lesson:** missing" in md
    assert "- **Reasons given:** 1 — “because”" in md
    assert "- **Leadership Principles named as labels:** “Customer Obsession” at 0:20" in md
    assert "- **Numbers:** 3 — cut the plan to two tiers, from 60 to 75 percent, six months" in md
    assert "…" not in md.split("## 1.")[1].split("### Transcript")[0]
    # Seeds, follow-ups asked and the gap status.
    assert "### A bar raiser might follow up with" in md
    assert "### Follow-up 1 (answer 2)" in md
    assert "**Gap:** shared ownership — closed: “I decided to delay the launch myself”" in md
    assert "**Gap:** a principle named, not shown — still open" in md
    assert "\n\n\n" not in md


def test_markdown_never_reads_user_text_as_markup(voicemock_home: Path) -> None:
    from tests.interview_helpers import timed
    from voicemock.timing import Target

    hostile = "# Heading? <b>bold</b> *star* _under_ `tick` [link](x) | pipe 2. listed"
    with Store.open(voicemock_home) as store:
        session = store.create_session(set_name="<i>set</i>")
        rec = store.start_answer(session.id, question_id="q", question_text="**Why** <us>?")
        doc = timed(hostile, 30.0, "**Why** <us>?", Target())
        store.complete_answer(rec.id, duration_s=30.0, transcript=hostile, analysis=doc)  # type: ignore[arg-type]
    md = run("sessions", "export", "latest", "--format", "markdown")
    assert "<b>" not in md and "<i>" not in md and "<us>" not in md
    assert r"\# Heading? \<b\>bold\</b\> \*star\* \_under\_ \`tick\` \[link\](x) \| pipe" in md
    assert r"## 1. \*\*Why\*\* \<us\>?" in md


def test_the_html_report_shows_each_reply_under_its_answer(
    saved: SavedInterview, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    printed = run("report", "latest", "--no-audio", "-o", str(out))
    assert "(2 answers, no recordings" in printed
    page = out.read_text(encoding="utf-8")
    assert page.count('class="follow-up"') == 2
    assert "gap closed" in page and "still open" in page
    from html import escape

    assert escape(saved.records[1].question_text, quote=False) in page
    one = tmp_path / "one.html"
    run("report", "latest", "--answer", "3", "--no-audio", "-o", str(one))
    assert one.read_text(encoding="utf-8").count('class="follow-up"') == 1


def test_a_reply_is_not_a_story(saved: SavedInterview) -> None:
    run("stories", "add", "Checkout delay")
    result = CliRunner().invoke(cli, ["stories", "link", "latest:2", "1"])
    assert result.exit_code == 2
    assert "is a reply to a follow-up question, not a story" in result.stderr
    assert "(answer 1)" in result.stderr
    run("stories", "link", "latest:1", "1")


def test_sessions_list_counts_main_answers(saved: SavedInterview) -> None:
    line = run("sessions", "list").splitlines()[1].split()
    assert line[4:6] == ["2", "2/2"]
