"""The TOML line locator: which line a table or key is on, for semantic error messages."""

from __future__ import annotations

import sys

import pytest

from voicemock.questions.toml_lines import TomlLines, assignment_line, toml_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SET = """\
name = "loop"            # line 1
think_s = 15
target.min_s = 60

[target]
max_s = 120

[[questions]]            # line 8
id = "a"
text = \"\"\"A question
[not-a-table]
id = "not a key"
\"\"\"
tags = ["x"]

[[questions]]            # line 16
"id" = 'b'
text = "B?"

[questions.target]       # line 20: the second question's own target
min_s = 30
"""


def test_top_level_keys_and_dotted_keys() -> None:
    lines = TomlLines(SET)
    assert lines.exact("name") == 1
    assert lines.exact("think_s") == 2
    assert lines.exact("target", "min_s") == 3  # a dotted key names its table's key
    assert lines.exact("target") == 5
    assert lines.exact("target", "max_s") == 6


def test_arrays_of_tables_are_numbered_from_zero() -> None:
    lines = TomlLines(SET)
    assert lines.exact("questions") == 8  # the first [[questions]]
    assert lines.exact("questions", 0) == 8
    assert lines.exact("questions", 0, "id") == 9
    assert lines.exact("questions", 0, "tags") == 14
    assert lines.exact("questions", 1) == 16
    assert lines.exact("questions", 1, "id") == 17  # a quoted key
    assert lines.exact("questions", 1, "text") == 18


def test_a_subtable_of_an_array_belongs_to_its_last_element() -> None:
    lines = TomlLines(SET)
    assert lines.exact("questions", 1, "target") == 20
    assert lines.exact("questions", 1, "target", "min_s") == 21


def test_the_inside_of_a_multi_line_string_is_not_scanned() -> None:
    lines = TomlLines(SET)
    assert lines.exact("questions", 0, "text") == 10
    assert lines.exact("not-a-table") is None
    assert lines.exact("questions", 0, "id") == 9  # not line 12, inside the string


def test_unknown_places_fall_back_to_their_nearest_known_parent() -> None:
    lines = TomlLines(SET)
    assert lines.exact("questions", 1, "follow_ups") is None
    assert lines.line("questions", 1, "follow_ups") == 16
    assert lines.line("questions", 1, "follow_ups", 3) == 16
    assert lines.line("nothing", "here") == 1
    assert TomlLines("").line("name") == 1


def test_the_first_of_two_definitions_wins() -> None:
    assert TomlLines("a = 1\na = 2\n").exact("a") == 1


def test_assignment_line_finds_the_nth_occurrence_of_a_value() -> None:
    text = 'id = "x"\n[[q]]\nid = "y"\nother_id = "x"\n[[q]]\n id = \'x\'\n'
    assert assignment_line(text, "id", "x", 0) == 1
    assert assignment_line(text, "id", "x", 1) == 6  # other_id does not count
    assert assignment_line(text, "id", "x", 2) is None
    assert assignment_line(text, "id", "y", 0) == 3


def decode_error(text: str) -> tomllib.TOMLDecodeError:
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    return info.value


def test_a_syntax_error_keeps_tomllibs_line_and_column() -> None:
    text = 'name = "a"\n[b\n'
    problem = toml_problem("set.toml", decode_error(text), text)
    assert str(problem) == (
        "set.toml:2: invalid TOML: Expected ']' at the end of a table declaration (column 3)"
    )


def test_an_error_at_the_end_of_the_document_names_the_last_line() -> None:
    text = 'name = "a"\n\ntext = """never closed\n\n'
    problem = toml_problem("set.toml", decode_error(text), text)
    assert problem.line == 3  # the last line with text on it, not the blank ones after
    assert problem.message == "invalid TOML: Unterminated string at the end of the file"
