"""``voicemock sets``: list, show, validate, new and import through the real click commands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from voicemock.cli import cli
from voicemock.questions import load_set

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_PM = ROOT / "question_sets" / "amazon-pm.toml"
BUNDLED_GENERAL = ROOT / "question_sets" / "general.toml"

SMALL = """\
name = "{name}"
description = "a small set"

[[questions]]
id = "one"
text = "Tell me about a time you owned a problem end to end."
tags = ["Ownership"]

[[questions]]
id = "two"
text = "Tell me about a time you dug into the data yourself."
tags = ["Dive Deep", "metrics"]
follow_ups = ["Which query did you run?"]
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def sets_dir(home: Path) -> Path:
    return home / "sets"


def one_line_error(result: Result) -> str:
    """The command failed with exit 2 and exactly one ``Error:`` line, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output + result.stderr
    return lines[0]


# -- list --------------------------------------------------------------------------------


def test_list_shows_bundled_sets_with_path_count_and_tags() -> None:
    result = run("sets", "list")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert re.search(r"^amazon-pm  57 questions  bundled$", out, re.M)
    assert re.search(r"^general  10 questions  bundled$", out, re.M)
    assert f"path: {BUNDLED_PM}" in out
    assert f"path: {BUNDLED_GENERAL}" in out
    assert "tags: customer-obsession 10, ownership 10," in out
    assert "\x1b[" not in out  # not a terminal: plain text


def test_list_says_when_a_user_set_shadows_a_bundled_one(voicemock_home: Path) -> None:
    mine = sets_dir(voicemock_home) / "my-pm.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text(SMALL.format(name="amazon-pm"), encoding="utf-8")
    result = run("sets", "list")
    assert result.exit_code == 0, result.stderr
    blocks = result.stdout.split("\n\n")
    users = next(b for b in blocks if "your set" in b)
    bundled = next(b for b in blocks if b.startswith("amazon-pm  57 questions"))
    assert users.startswith("amazon-pm  2 questions  your set")
    assert f"shadows {BUNDLED_PM}" in users
    assert f"shadowed by {mine} (not used by name)" in bundled
    # The user's set is the one in use everywhere a name is taken.
    shown = run("sets", "show", "amazon-pm")
    assert shown.exit_code == 0
    assert "2 questions" in shown.stdout and str(mine) in shown.stdout


def test_list_reports_a_broken_user_set_without_failing(voicemock_home: Path) -> None:
    broken = sets_dir(voicemock_home) / "broken.toml"
    broken.parent.mkdir(parents=True)
    broken.write_text(SMALL.format(name="broken").replace('"two"', '"one"'), encoding="utf-8")
    result = run("sets", "list")
    assert result.exit_code == 0
    assert "broken  invalid  your set" in result.stdout
    assert f"error: {broken}:10: duplicate id 'one' (first used on line 5)" in result.stdout


def test_list_includes_paths_given_on_the_command_line(tmp_path: Path) -> None:
    extra = tmp_path / "drafts"
    extra.mkdir()
    (extra / "onsite.toml").write_text(SMALL.format(name="onsite"), encoding="utf-8")
    result = run("sets", "list", str(extra))
    assert result.exit_code == 0
    assert "onsite  2 questions  from path" in result.stdout


# -- show --------------------------------------------------------------------------------


def test_show_lists_questions_follow_ups_and_settings() -> None:
    result = run("sets", "show", "amazon-pm")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("amazon-pm  Amazon product-manager loop")
    assert (
        "57 questions; target 2:30-3:30, cap 4:00; 15 s to think;"
        " follow-up replies 0:30-1:30, cap 2:00" in out
    )
    assert "co-unasked-need  customer-obsession, invent-and-simplify" in out
    assert "    - What would you have done differently with ten times the data?" in out
    assert "target 3:00-5:00, cap 6:00" in out  # the product-sense case question


def test_show_filters_by_tag_forgivingly() -> None:
    result = run("sets", "show", "amazon-pm", "--tag", "Have Backbone; Disagree and Commit")
    assert result.exit_code == 0, result.stderr
    heads = re.findall(r"^(\S+)  (.+)$", result.stdout, re.M)[1:]  # skip the title line
    assert len(heads) == 11
    assert all("have-backbone" in tags for _, tags in heads)
    assert "showing 11 of 57 tagged Have Backbone; Disagree and Commit" in result.stdout


def test_show_unknown_tag_and_unknown_set_are_one_line_errors() -> None:
    assert one_line_error(run("sets", "show", "amazon-pm", "--tag", "ownrship")) == (
        "Error: no question in set 'amazon-pm' is tagged 'ownrship' (did you mean 'ownership'?)"
    )
    message = one_line_error(run("sets", "show", "amazon"))
    assert message.startswith("Error: no question set called 'amazon' (did you mean 'amazon-pm'?")


def test_show_accepts_a_path(tmp_path: Path) -> None:
    path = tmp_path / "loop.toml"
    path.write_text(SMALL.format(name="loop"), encoding="utf-8")
    result = run("sets", "show", str(path), "-t", "metrics")
    assert result.exit_code == 0
    assert "two  dive-deep, metrics" in result.stdout
    assert "one  ownership" not in result.stdout


# -- validate ------------------------------------------------------------------------------


def test_validate_without_arguments_checks_every_set_found() -> None:
    result = run("sets", "validate")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"ok  {BUNDLED_PM}: amazon-pm, 57 questions" in result.stdout
    assert f"ok  {BUNDLED_GENERAL}: general, 10 questions" in result.stdout


def test_validate_reports_every_problem_of_every_file(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(SMALL.format(name="good"), encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        SMALL.format(name="bad")
        .replace('id = "two"', 'id = "one"')
        .replace("tags = [", "tagz = [", 1)
        + '\n[[questions]]\nid = "three"\ntext = ""\ntarget = { min_s = 300, max_s = 200 }\n',
        encoding="utf-8",
    )
    syntax = tmp_path / "syntax.toml"
    syntax.write_text('name = "s"\n[[questions]\n', encoding="utf-8")
    result = run("sets", "validate", str(good), str(bad), str(syntax), str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"ok  {good}: good, 2 questions",
        f"{tmp_path / 'nope.toml'}: no such file or question set",
        f"{bad}:7: unknown key 'tagz' (did you mean 'tags'?)",
        f"{bad}:10: duplicate id 'one' (first used on line 5)",
        f"{bad}:17: question 'three' has empty text",
        f"{bad}:18: target min_s (5:00) is greater than max_s (3:20)",
        f"{syntax}:2: invalid TOML: Expected ']]' at the end of an array declaration (column 12)",
    ]
    assert result.stderr == "Error: 6 problems in 3 of 4 files\n"


def test_validate_a_directory_and_a_set_name(voicemock_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.toml").write_text(SMALL.format(name=name), encoding="utf-8")
    result = run("sets", "validate", str(folder), "general")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("sets", "validate", str(empty))
    assert result.exit_code == 2
    assert f"{empty}: directory holds no .toml files" in result.stdout


# -- new -----------------------------------------------------------------------------------


def test_new_writes_a_template_that_validates(voicemock_home: Path) -> None:
    result = run("sets", "new", "my-loop")
    path = sets_dir(voicemock_home) / "my-loop.toml"
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Created {path}",
        "Edit it, then check it with:  voicemock sets validate my-loop",
    ]
    assert load_set(path).name == "my-loop"
    checked = run("sets", "validate", "my-loop")
    assert checked.exit_code == 0 and checked.stdout.startswith(f"ok  {path}: my-loop, 2 questions")
    listed = run("sets", "list")
    assert "my-loop  2 questions  your set" in listed.stdout


def test_new_refuses_to_overwrite_and_rejects_bad_names(voicemock_home: Path) -> None:
    assert run("sets", "new", "mine").exit_code == 0
    path = sets_dir(voicemock_home) / "mine.toml"
    path.write_text(path.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    assert one_line_error(run("sets", "new", "mine")) == (
        f"Error: {path} already exists (use --force to replace it)"
    )
    assert path.read_text(encoding="utf-8").endswith("# my edits\n")
    assert run("sets", "new", "mine", "--force").exit_code == 0
    assert not path.read_text(encoding="utf-8").endswith("# my edits\n")
    assert one_line_error(run("sets", "new", "My Loop")) == (
        "Error: set name 'My Loop' must be letters, digits, '-', '_' or '.' (e.g. 'my-loop')"
    )
    assert one_line_error(run("sets", "new", "../outside")).startswith(
        "Error: set name '../outside'"
    )


def test_new_with_a_bundled_name_says_it_shadows(voicemock_home: Path) -> None:
    result = run("sets", "new", "general")
    assert result.exit_code == 0
    assert f"Note: it replaces the set 'general' at {BUNDLED_GENERAL}" in result.stdout


# -- import --------------------------------------------------------------------------------


def test_import_text_round_trip_import_validate_show(voicemock_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "My Questions.txt"
    questions = [
        "Tell me about a time you disagreed with your manager.",
        "What is the hardest decision you made last year?",
        "Why do you want to work here?",
    ]
    source.write_text(
        "# from my notes\n\n" + "\n".join(f"{i}. {q}" for i, q in enumerate(questions, 1)) + "\n",
        encoding="utf-8",
    )
    result = run("sets", "import", str(source))
    path = sets_dir(voicemock_home) / "my-questions.toml"
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Imported 3 questions from {source} into {path}",
        "See them with:  voicemock sets show my-questions",
    ]
    checked = run("sets", "validate", str(path))
    assert checked.exit_code == 0
    assert checked.stdout == f"ok  {path}: my-questions, 3 questions\n"
    shown = run("sets", "show", "my-questions")
    assert shown.exit_code == 0
    for question in questions:
        assert f"  {question}\n" in shown.stdout
    assert "disagreed-manager-1" in shown.stdout


def test_import_csv_with_tags_then_filter(voicemock_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "bank.csv"
    source.write_text(
        "text,tags\n"
        '"Tell me about a time you simplified a process, end to end.",Invent and Simplify|process\n'
        "Describe a time you took a calculated risk.,bias for action; risk\n",
        encoding="utf-8",
    )
    result = run("sets", "import", str(source), "--name", "bank", "-d", "From my CSV")
    assert result.exit_code == 0, result.stderr
    shown = run("sets", "show", "bank", "--tag", "Bias for Action")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("bank  From my CSV")
    assert "calculated-risk-2  bias-for-action, risk" in shown.stdout
    assert "simplified" not in shown.stdout
    listed = run("sets", "list")
    assert "bank  2 questions  your set" in listed.stdout
    # A second import under the same name needs --force.
    message = one_line_error(run("sets", "import", str(source), "--name", "bank"))
    assert message.endswith("bank.toml already exists (use --force to replace it)")
    assert run("sets", "import", str(source), "--name", "bank", "--force").exit_code == 0


def test_import_errors_are_one_line_and_name_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# nothing\n", encoding="utf-8")
    assert one_line_error(run("sets", "import", str(empty), "--name", "x")) == (
        f"Error: {empty}: has no questions "
        "(write one question per line, or CSV with a 'text' column)"
    )
    no_text = tmp_path / "cols.csv"
    no_text.write_text("query,tags\nWhy?,x\n", encoding="utf-8")
    assert one_line_error(run("sets", "import", str(no_text), "--name", "x")).startswith(
        f"Error: {no_text}:1: CSV has no question column"
    )
    binary = tmp_path / "latin.txt"
    binary.write_bytes("Why?\nCaf\xe9?\n".encode("latin-1"))
    assert one_line_error(run("sets", "import", str(binary), "--name", "x")) == (
        f"Error: {binary}:2: is not UTF-8 text (byte 0xe9); save it as UTF-8"
    )
    missing = tmp_path / "missing.txt"
    assert one_line_error(run("sets", "import", str(missing), "--name", "x")) == (
        f"Error: {missing}: no such file"
    )
    bad_name = one_line_error(run("sets", "import", str(no_text), "--name", "no way"))
    assert bad_name.startswith("Error: set name 'no way' must be")


def test_import_that_shadows_a_bundled_set_asks_or_needs_force(
    voicemock_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "q.txt"
    source.write_text("Why Amazon?\n", encoding="utf-8")
    mine = sets_dir(voicemock_home) / "amazon-pm.toml"
    question = (
        "A bundled set is called amazon-pm (57 questions); your import would replace it."
        " Replace it? [y/N] "
    )
    # No reply (a script): refused in one line that names --force; nothing written.
    silent = CliRunner().invoke(cli, ["sets", "import", str(source), "--name", "amazon-pm"])
    assert silent.exit_code == 2
    assert silent.stderr == (
        f"{question}\nError: no reply to the question; pass --force to replace it,"
        " or choose another --name\n"
    )
    assert not mine.exists()
    # No.
    declined = CliRunner().invoke(
        cli, ["sets", "import", str(source), "--name", "amazon-pm"], input="n\n"
    )
    assert declined.exit_code == 0
    assert declined.stdout == (
        "Nothing imported; choose another --name (or --force to replace the bundled amazon-pm).\n"
    )
    assert not mine.exists()
    # Yes, or --force: imported, and it says what it replaces.
    for extra, reply in (([], "y\n"), (["--force"], None)):
        if mine.exists():
            mine.unlink()
        result = CliRunner().invoke(
            cli, ["sets", "import", str(source), "--name", "amazon-pm", *extra], input=reply
        )
        assert result.exit_code == 0, result.output
        assert f"Note: it replaces the set 'amazon-pm' at {BUNDLED_PM}" in result.stdout
        assert load_set(mine).ids == ("amazon-1",)
    assert "Replace it?" not in result.stderr  # --force never asks


def test_import_notes_ignored_columns_and_duplicates(voicemock_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "bank.csv"
    source.write_text(
        "Question,Tags,Notes\n"
        "Why Amazon?,customer obsession,from the recruiter\n"
        "Tell me about a failure.,learn-and-be-curious,\n"
        "why amazon,,again\n",
        encoding="utf-8",
    )
    result = run("sets", "import", str(source), "--name", "bank")
    assert result.exit_code == 0, result.output
    path = sets_dir(voicemock_home) / "bank.toml"
    assert result.stdout.splitlines() == [
        f"Imported 2 questions from {source} into {path}",
        f"Note: ignored the column 'Notes' of {source} (read: text, tags, id, follow_ups)",
        f"Note: left out 1 duplicate question in {source} (line 4 repeats line 2)",
        "See them with:  voicemock sets show bank",
    ]
    written = path.read_text(encoding="utf-8")
    assert written.count("[[questions]]") == 2 and "{ id" not in written


# -- delete and edit ---------------------------------------------------------------------


def test_delete_asks_first_and_only_deletes_your_sets(voicemock_home: Path) -> None:
    mine = sets_dir(voicemock_home) / "my-loop.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text(SMALL.format(name="my-loop"), encoding="utf-8")
    declined = CliRunner().invoke(cli, ["sets", "delete", "my-loop"], input="n\n")
    assert declined.exit_code == 0
    assert declined.stderr == f"Delete your set my-loop ({mine}, 2 questions)? [y/N] "
    assert declined.stdout == "Nothing deleted.\n" and mine.exists()
    silent = CliRunner().invoke(cli, ["sets", "delete", "my-loop"])
    assert silent.exit_code == 2 and mine.exists()
    assert silent.stderr.splitlines()[-1] == (
        "Error: no reply to the question; pass --yes to delete without asking"
    )
    done = CliRunner().invoke(cli, ["sets", "delete", "my-loop"], input="y\n")
    assert done.exit_code == 0
    assert done.stdout == f"Deleted your set my-loop ({mine}).\n"
    assert not mine.exists()
    assert one_line_error(run("sets", "delete", "my-loop")) == (
        "Error: you have no set called 'my-loop' (your sets: none yet)"
    )
    assert one_line_error(run("sets", "delete", "amazon-pm", "--yes")) == (
        f"Error: 'amazon-pm' is a bundled set ({BUNDLED_PM}); only your own sets, in "
        f"{sets_dir(voicemock_home)}, can be changed (copy it there to make your own version)"
    )
    assert BUNDLED_PM.exists()


def test_deleting_your_copy_of_a_bundled_set_brings_the_bundled_one_back(
    voicemock_home: Path,
) -> None:
    mine = sets_dir(voicemock_home) / "amazon-pm.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text(SMALL.format(name="amazon-pm"), encoding="utf-8")
    assert "2 questions" in run("sets", "list").stdout.split("amazon-pm", 1)[1].splitlines()[0]
    result = run("sets", "delete", "amazon-pm", "--yes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"Deleted your set amazon-pm ({mine}).",
        f"The set 'amazon-pm' at {BUNDLED_PM} is used again.",
    ]


def editor_script(tmp_path: Path, name: str, body: str) -> str:
    """An $EDITOR: a shell script run with the file to edit as $1."""
    script = tmp_path / name
    script.write_text("#!/bin/sh\nset -e\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def edit(tmp_path: Path, editor: str, *, reply: str | None = None) -> Result:
    return CliRunner(env={"EDITOR": editor, "VISUAL": None}).invoke(
        cli, ["sets", "edit", "my-loop"], input=reply
    )


@pytest.fixture
def my_loop(voicemock_home: Path) -> Path:
    path = sets_dir(voicemock_home) / "my-loop.toml"
    path.parent.mkdir(parents=True)
    path.write_text(SMALL.format(name="my-loop"), encoding="utf-8")
    return path


def test_edit_saves_a_valid_edit(my_loop: Path, tmp_path: Path) -> None:
    editor = editor_script(
        tmp_path,
        "add-question.sh",
        'printf \'\n[[questions]]\nid = "three"\ntext = "Why now?"\n\' >> "$1"\n',
    )
    result = edit(tmp_path, editor)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok  {my_loop}: my-loop, 3 questions\n"
    assert load_set(my_loop).ids == ("one", "two", "three")


def test_edit_closed_without_a_change_changes_nothing(my_loop: Path, tmp_path: Path) -> None:
    before = my_loop.read_text(encoding="utf-8")
    result = edit(tmp_path, editor_script(tmp_path, "look.sh", 'cat "$1" > /dev/null\n'))
    assert result.exit_code == 0
    assert result.stdout == f"No changes to {my_loop}.\n"
    assert my_loop.read_text(encoding="utf-8") == before


def test_an_invalid_edit_is_reopened_until_it_validates(my_loop: Path, tmp_path: Path) -> None:
    """The first save breaks the set; asked, the user edits again and fixes it: the
    editor sees the broken text again, not the original."""
    counter = tmp_path / "count"
    editor = editor_script(
        tmp_path,
        "break-then-fix.sh",
        f"n=$(cat {counter} 2>/dev/null || echo 0); echo $((n + 1)) > {counter}\n"
        'if [ "$n" = 0 ]; then sed -i \'s/^id = "two"/id = "one"/\' "$1";\n'
        'else grep -q \'^id = "one"\' "$1" && sed -i \'0,/^id = "one"/! s/^id = "one"/id = "2"/\''
        ' "$1"; fi\n',
    )
    result = edit(tmp_path, editor, reply="\n")  # Enter: yes, edit again
    assert result.exit_code == 0, result.output
    assert counter.read_text().strip() == "2"
    lines = result.stdout.splitlines()
    assert lines[0] == "Your edit has 1 problem:"
    assert re.fullmatch(rf"{re.escape(str(my_loop))}:\d+: duplicate id 'one'.*", lines[1])
    assert lines[2] == f"ok  {my_loop}: my-loop, 2 questions"
    assert result.stderr == "Edit it again? [Y/n] "
    assert load_set(my_loop).ids == ("one", "2")
    assert not (my_loop.parent / "my-loop.toml.rejected").exists()


def test_an_invalid_edit_not_reopened_is_kept_and_the_set_is_unchanged(
    my_loop: Path, tmp_path: Path
) -> None:
    before = my_loop.read_text(encoding="utf-8")
    editor = editor_script(tmp_path, "break.sh", 'echo "tags = [" >> "$1"\n')
    for reply in ("n\n", None):  # "no", and no reply at all (a script)
        result = edit(tmp_path, editor, reply=reply)
        assert result.exit_code == 2
        kept = my_loop.parent / "my-loop.toml.rejected"
        assert result.stderr.splitlines()[-1].endswith(  # after the question, not echoed here
            f"Error: {my_loop} is unchanged: your edit has 1 problem; it is kept in {kept}"
        )
        assert my_loop.read_text(encoding="utf-8") == before
        assert kept.read_text(encoding="utf-8") == before + "tags = [\n"
        assert run("sets", "show", "my-loop").exit_code == 0  # the kept edit is no set
    assert "Traceback" not in result.output


def test_edit_needs_an_editor_and_one_of_your_sets(my_loop: Path) -> None:
    result = CliRunner(env={"EDITOR": None, "VISUAL": None}).invoke(
        cli, ["sets", "edit", "my-loop"]
    )
    assert one_line_error(result) == (
        f"Error: set $EDITOR (or $VISUAL) to your editor, or edit {my_loop} itself"
    )
    assert one_line_error(run("sets", "edit", "my-lop")) == (
        "Error: you have no set called 'my-lop' (did you mean 'my-loop'?) (your sets: my-loop)"
    )


# -- help and start-up -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["list", "show", "validate", "new", "import", "delete", "edit"])
def test_every_sets_command_has_examples(command: str) -> None:
    result = run("sets", command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"voicemock sets {command}" in result.stdout.split("Examples:")[1]


def test_sets_commands_do_not_import_audio_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from voicemock.cli import main\n"
        "try:\n"
        "    main(['sets', 'list'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = {'numpy', 'faster_whisper', 'sounddevice', 'pyttsx3', 'soundfile',\n"
        "         'ctranslate2'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    env = {**os.environ, "VOICEMOCK_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
