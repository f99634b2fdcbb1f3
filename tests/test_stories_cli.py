"""`voicemock stories`, `coverage` and `progress` through the command line (real SQLite).

Every example in these commands' --help runs here against a real story bank.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import stat
import webbrowser
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from tests.stories_helpers import Bank, seed_bank
from voicemock.cli import cli
from voicemock.storage import Store


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def ok(*args: str, input: str | None = None) -> str:
    result = run(*args, input=input)
    assert result.exit_code == 0, (args, result.output, result.stderr)
    return result.stdout


def fails(*args: str, code: int = 2) -> str:
    result = run(*args)
    assert result.exit_code == code, (args, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def bank(voicemock_home: Path) -> Bank:
    return seed_bank(voicemock_home)


# -- empty ------------------------------------------------------------------------------------


def test_nothing_saved_yet(voicemock_home: Path) -> None:
    assert "No stories yet" in ok("stories", "list")
    assert json.loads(ok("stories", "list", "--json")) == []
    assert "no story 1" in fails("stories", "show", "1")
    assert "no sessions yet" in fails("stories", "link", "latest:1", "1")
    assert "No answers to show" in ok("progress")
    coverage = ok("coverage", "--next", "2")
    assert "0 of 16 told" in coverage and "Practise next" in coverage
    assert json.loads(ok("progress", "--json"))["sessions"] == []
    assert not (voicemock_home / "voicemock.db").exists()  # reading created nothing


# -- add, list, show, edit, rm ----------------------------------------------------------------


def test_add_list_and_show(voicemock_home: Path) -> None:
    out = ok("stories", "add", "Checkout payment form", "-p", "Customer Obsession, Bias for Action")
    assert "Added story 1: Checkout payment form (Customer Obsession, Bias for Action)" in out
    ok(
        "stories",
        "add",
        "Pricing",
        "-p",
        "Are Right, A Lot",
        "-p",
        "have_backbone",
        "-s",
        "VP said no.",
    )
    listed = ok("stories", "list")
    assert "Checkout payment form" in listed and "Are Right, A Lot" in listed
    data = json.loads(ok("stories", "list", "--json"))
    assert [(s["id"], s["principles"], s["tellings"]) for s in data] == [
        (1, ["customer-obsession", "bias-for-action"], 0),
        (2, ["are-right-a-lot", "have-backbone"], 0),
    ]
    shown = ok("stories", "show", "2")
    assert "VP said no." in shown and "Tellings (0)" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stories", "add", ""], "needs a title"),
        (["stories", "add", "X", "-p", "Custmer Obsesion"], "did you mean 'Customer Obsession'"),
        (["stories", "add", "X", "-p", "Teamwork"], "not a Leadership Principle"),
        (["stories", "show", "one"], "is not a story"),
        (["stories", "show", "9"], "no story 9"),
        (["stories", "link", "4-2", "1"], "is not an answer: give SESSION:N"),
        (["stories", "link", "9:1", "1"], "no session 9"),
        (["stories", "link", "1:7", "1"], "session 1 has no answer 7"),
        (["stories", "link", "1:1", "9"], "no story 9"),
        (["stories", "edit", "1", "--remove-principle", "Frugality"], "does not list frugality"),
        (["progress", "--since", "last tuesday"], "--since: 'last tuesday' is not a date"),
        (["progress", "--story", "9"], "no story 9"),
        (["coverage", "--set", "nope"], "no question set called 'nope'"),
        (["stories", "add", "Checkout form rebuild"], "already called"),
    ],
)
def test_bad_input_is_one_line(bank: Bank, args: list[str], message: str) -> None:
    assert message in fails(*args)


def test_show_quotes_the_changed_figure_with_dates(bank: Bank) -> None:
    shown = ok("stories", "show", "1", "--no-color")
    assert "Story 1: Checkout form rebuild" in shown
    assert "Tellings (2)" in shown and "auto-linked 0.52" in shown
    assert "fourteen percent”" in shown  # quotes whole, never cut, in a pipe
    assert "number: 9% became 14%" in shown
    assert "session 1, answer 1, 2024-05-01" in shown and "twenty two to nine percent" in shown
    assert "session 2, answer 1, 2024-05-08" in shown and "fourteen percent" in shown
    assert "Customer Obsession" in shown and "1 telling" in shown
    data = json.loads(ok("stories", "show", "1", "--json"))
    assert [d["summary"] for d in data["differences"]] == ["9% became 14%"]
    assert data["differences"][0]["earlier"]["when"].startswith("2024-05-01")
    assert [t["link"]["kind"] for t in data["tellings"]] == ["automatic", "manual"]
    told = {c["principle"]: c for c in data["principles_told"]}
    assert told["ownership"]["answers"] == 1 and told["bias-for-action"]["declared"]


def test_edit_with_options(bank: Bank) -> None:
    out = ok(
        "stories",
        "edit",
        "3",
        "--title",
        "Peak-day inventory outage",
        "--add-principle",
        "Bias for Action",
    )
    assert "changed title, principles" in out
    out = ok(
        "stories", "edit", "3", "--remove-principle", "ownership", "-s", "Restored in 3 hours."
    )
    assert "changed summary, principles" in out
    data = json.loads(ok("stories", "show", "3", "--json"))
    assert (data["title"], data["principles"], data["summary"]) == (
        "Peak-day inventory outage",
        ["bias-for-action"],
        "Restored in 3 hours.",
    )
    assert "unchanged" in ok("stories", "edit", "3", "--title", "Peak-day inventory outage")
    ok("stories", "edit", "3", "--principles", "Ownership, Dive Deep")
    assert json.loads(ok("stories", "show", "3", "--json"))["principles"] == [
        "ownership",
        "dive-deep",
    ]


def editor(tmp_path: Path, body: str) -> str:
    """A real editor program: replaces the file's text with ``body`` (keeping # lines)."""
    script = tmp_path / "fake-editor.sh"
    script.write_text(
        "#!/bin/sh\n"
        f'grep "^#" "$1" > "$1.new"\ncat >> "$1.new" <<"EOF"\n{body}\nEOF\nmv "$1.new" "$1"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_edit_the_summary_in_the_editor(
    bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", editor(tmp_path, "Cut drop-off from 22 to 9% with one tap."))
    out = ok("stories", "edit", "1")
    assert "changed summary" in out
    data = json.loads(ok("stories", "show", "1", "--json"))
    assert data["summary"] == "Cut drop-off from 22 to 9% with one tap."


def test_the_editor_closed_without_saving_changes_nothing(
    bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "true")  # exits without touching the file
    before = json.loads(ok("stories", "show", "1", "--json"))["summary"]
    assert "Nothing changed" in ok("stories", "edit", "1")
    assert json.loads(ok("stories", "show", "1", "--json"))["summary"] == before


def test_the_edited_summary_is_validated(
    bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", editor(tmp_path, "x" * 4100))
    assert "keep it under 4000" in fails("stories", "edit", "1")
    monkeypatch.setenv("EDITOR", "false")  # the editor fails
    assert "Editing failed" in fails("stories", "edit", "1", code=1)
    monkeypatch.delenv("EDITOR")
    monkeypatch.delenv("VISUAL", raising=False)
    assert "set $EDITOR" in fails("stories", "edit", "1")


def test_rm_asks_and_keeps_the_answers(bank: Bank, voicemock_home: Path) -> None:
    assert "Nothing deleted" in ok("stories", "rm", "1", input="n\n")
    no_reply = run("stories", "rm", "1")
    assert no_reply.exit_code == 2
    assert no_reply.stderr.strip().splitlines()[-1].startswith("Error: no reply to the question")
    out = ok("stories", "rm", "1", input="y\n")
    assert "Deleted story 1 Checkout form rebuild; 2 answers kept, now unlinked." in out
    with Store.open(voicemock_home) as store:
        assert store.answer(bank.answers["1:1"]).transcript
        assert bank.answers["1:1"] not in store.stories.links()
    assert "no story 1" in fails("stories", "show", "1")
    assert "0 answers kept" in ok("stories", "rm", "3", "--yes")


def test_link_shows_differences_and_unlink(bank: Bank, voicemock_home: Path) -> None:
    out = ok("stories", "link", "4:1", "3")
    assert "Linked session 4, answer 1 to story 3 Black Friday incident (by you)." in out
    out = ok("stories", "link", "latest:2", "1")  # a pricing telling, moved to checkout
    assert "It was linked to story 2 before." in out
    assert "Unlinked session 4, answer 2 from story 1." in ok("stories", "unlink", "4:2")
    assert "was not linked" in ok("stories", "unlink", "4:2")
    with Store.open(voicemock_home) as store:
        link = store.stories.link_of(bank.answers["4:1"])
        assert link is not None and (link.story_id, link.kind, link.score) == (3, "manual", None)


def test_linking_a_contradicting_telling_quotes_both(bank: Bank) -> None:
    ok("stories", "unlink", "2:1")
    out = ok("stories", "link", "2:1", "1")
    assert "It differs from the earlier tellings:" in out
    assert "9% became 14%" in out and "2024-05-01" in out and "2024-05-08" in out


def test_add_from_an_answer(bank: Bank, voicemock_home: Path) -> None:
    out = ok(
        "stories", "add", "Meal kit churn model", "--from", "3:1", "-p", "Learn and Be Curious"
    )
    assert "Added story 4: Meal kit churn model" in out
    assert "Linked session 3, answer 1 to story 4" in out and "created from it" in out
    coverage = json.loads(ok("coverage", "--json"))
    assert "learn-and-be-curious" not in coverage["no_story"]


def test_suggest_ranks_and_marks_the_threshold(bank: Bank) -> None:
    ok(
        "stories",
        "edit",
        "3",
        "-s",
        "Black Friday: the inventory service fell over; war room; cache back on; 3 hours.",
    )
    out = ok("stories", "suggest", "4:1")
    assert re.search(r"^\s*3\s+Black Friday incident\s+0\.\d\d", out, re.MULTILINE), out
    assert "would be linked automatically" in out
    data = json.loads(ok("stories", "suggest", "4:1", "--json"))
    assert data["suggestions"][0]["story_id"] == 3 and data["threshold"] == 0.25
    assert data["suggestions"][0]["score"] >= data["threshold"]


# -- coverage and progress --------------------------------------------------------------------


def test_coverage_json_by_hand(bank: Bank) -> None:
    data = json.loads(ok("coverage", "--json", "--next", "3"))
    by = {p["principle"]: p for p in data["principles"]}
    # story 1 told for co-unasked-need (CO, Invent and Simplify) and ow-outside-scope
    # (Ownership, Bias for Action); story 2 for hb-disagreed-with-leader (HB, Earn Trust)
    # and hb-disagree-and-commit (HB, Deliver Results)
    told = {k for k, p in by.items() if p["status"] == "practised"}
    assert told == {
        "customer-obsession", "invent-and-simplify", "ownership", "bias-for-action",
        "have-backbone", "earn-trust", "deliver-results",
    }  # fmt: skip
    assert by["have-backbone"]["practised_by"] == [2]
    assert by["ownership"]["declared_by"] == [3]
    assert by["learn-and-be-curious"]["unlinked_answers"] == 1  # the churn answer
    assert data["no_story"][:2] == ["learn-and-be-curious", "hire-and-develop-the-best"]
    # weights: CO, Ownership, BfA, HB count 2 -> (4 * 2 + 3) / (4 * 2 + 12)
    assert data["score"] == round(11 / 20, 3)
    assert [q["principle"] for q in data["next_questions"]] == [
        "learn-and-be-curious",
        "hire-and-develop-the-best",
        "are-right-a-lot",
    ]
    text = ok("coverage", "--next", "3")
    assert "7 of 16 told with a story (weighted 55%)" in text
    assert "Learn and Be Curious  (often forgotten)" in text
    assert "voicemock practice --set amazon-pm --question" in text


def test_progress_table_trend_and_filters(bank: Bank) -> None:
    out = ok("progress")
    assert "Progress: 4 sessions, 6 answers" in out
    assert re.search(r"Fillers/min\s+[▁▂▃▄▅▆▇█]{4}", out), out
    data = json.loads(ok("progress", "--json"))
    assert [p["answers"] for p in data["sessions"]] == [2, 1, 1, 2]
    tagged = json.loads(ok("progress", "--tag", "Have Backbone", "--json"))
    assert [(p["session_id"], p["answers"]) for p in tagged["sessions"]] == [(1, 1), (4, 1)]
    since = json.loads(ok("progress", "--since", "2024-05-10", "--json"))
    assert [p["session_id"] for p in since["sessions"]] == [3, 4]
    story = ok("progress", "--story", "1")
    assert "Tellings side by side — Checkout form rebuild" in story
    assert "second telling:" in story
    question = json.loads(ok("progress", "--question", "ow-outside-scope", "--json"))
    assert [a["number"] for a in question["attempts"]] == [1, 2]
    # relative: the seeded sessions are from May 2024, long before "the last 7 days"
    assert json.loads(ok("progress", "--since", "7d", "--json"))["sessions"] == []


# -- user text is never markup ----------------------------------------------------------------


def test_titles_and_summaries_print_as_typed(voicemock_home: Path) -> None:
    nasty = "[bold red]Pwned[/] <script>alert(1)</script>"
    ok("stories", "add", nasty, "-s", '[link=file:///etc/passwd]x[/link] "><img src=x>')
    listed = ok("stories", "list")
    assert "[bold red]Pwned[/] <script>alert(1)</script>" in listed
    shown = ok("stories", "show", "1")
    assert nasty in shown and "[link=file:///etc/passwd]x[/link]" in shown
    colored = CliRunner().invoke(cli, ["stories", "show", "1"], env={"FORCE_COLOR": "1"})
    assert "[bold red]Pwned[/]" in colored.stdout


# -- every example in --help runs -------------------------------------------------------------


def examples(command: click.Command) -> list[list[str]]:
    """The example command lines of a command's epilog, as argument lists."""
    lines = (command.epilog or "").splitlines()
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + " " + line.strip()
        elif line.strip().startswith("voicemock "):
            joined.append(line.strip())
    out = []
    for line in joined:
        words = shlex.split(line, comments=True)
        for stop in ("|", ">"):
            if stop in words:
                words = words[: words.index(stop)]
        out.append(words[1:])
    return out


def new_commands() -> list[tuple[str, ...]]:
    group = cli.commands["stories"]
    assert isinstance(group, click.Group)
    return [
        ("stories",),
        *(("stories", name) for name in group.commands),
        ("coverage",),
        ("progress",),
    ]


EXAMPLES = [
    (path, args)
    for path in new_commands()
    for args in examples(
        cli.commands[path[0]] if len(path) == 1 else cli.commands[path[0]].commands[path[1]]  # type: ignore[attr-defined]
    )
]


def test_every_new_command_has_examples() -> None:
    paths = {p for p, _ in EXAMPLES}
    assert paths == set(new_commands())
    assert len(EXAMPLES) >= 30


@pytest.mark.parametrize(("path", "args"), EXAMPLES, ids=lambda x: " ".join(x))
def test_the_example_runs(
    path: tuple[str, ...],
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    seed_bank(home)
    monkeypatch.setenv("VOICEMOCK_HOME", str(home))
    monkeypatch.setenv("EDITOR", editor(tmp_path, "A summary written in the editor."))
    monkeypatch.chdir(tmp_path)  # `progress --html` writes its page here
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: True)
    if args == ["stories"]:
        args = ["stories", "--help"]
    result = run(*args, input="n\n")
    assert result.exit_code == 0, (args, result.output, result.stderr)
    assert result.stdout.strip()
    shutil.rmtree(home)


def test_review_and_export_name_the_story_each_answer_tells(bank: Bank) -> None:
    review = " ".join(ok("review", "1").split())
    assert "Story: “Checkout form rebuild” (#1, linked automatically, match 0.52)" in review
    assert "Story: “Usage pricing delay” (#2, a new story made from this answer)" in review
    assert "Story:" not in " ".join(ok("review", "4", "--answer", "1").split())  # unlinked
    assert "(#1, linked by you)" in " ".join(ok("review", "2").split())

    data = json.loads(ok("sessions", "export", "4", "--format", "json"))
    first, second = data["session"]["answers"]
    assert first["story"] is None
    assert second["story"] == {
        "id": 2,
        "title": "Usage pricing delay",
        "kind": "automatic",
        "score": 0.44,
    }

    markdown = ok("sessions", "export", "1", "--format", "markdown")
    assert "**Story:** Checkout form rebuild (#1, linked automatically, match 0.52)" in markdown
    ok("stories", "unlink", "1:1")
    assert "Checkout form rebuild" not in ok("sessions", "export", "1", "--format", "markdown")
    assert "Story: “Checkout" not in " ".join(ok("review", "1").split())
