"""Importing questions: plain text (one a line) and CSV (a header naming a text column)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_questions import write
from voicemock.errors import InputError
from voicemock.questions import (
    ImportFormat,
    QuestionSetError,
    import_questions,
    load_set,
    parse_import,
    question_id,
    save_set,
)


def csv_errors(text: str, *, fmt: ImportFormat = "auto") -> list[str]:
    with pytest.raises(QuestionSetError) as info:
        parse_import(text, where="in.csv", name="x", fmt=fmt)
    return [str(p) for p in info.value.problems]


# -- plain text and CSV, through files -----------------------------------------------------


def test_plain_text_import_skips_comments_blanks_and_list_markers(tmp_path: Path) -> None:
    source = write(
        tmp_path / "mine.txt",
        "# my questions\n\n1. Tell me about a time you failed.\n- Why this team?\n"
        "  Q3: What is your biggest weakness?  \n",
    )
    qset = import_questions(source, name="mine")
    assert [q.text for q in qset] == [
        "Tell me about a time you failed.",
        "Why this team?",
        "What is your biggest weakness?",
    ]
    assert qset.ids == ("failed-1", "team-2", "biggest-weakness-3")
    assert qset.description == "Imported from mine.txt"


def test_csv_import_with_tags_ids_and_semicolon_delimiter(tmp_path: Path) -> None:
    source = write(
        tmp_path / "bank.csv",
        'Text;Tags;Follow-ups\n"Why Amazon; really?";motivation | Customer Obsession;Why now?\n'
        "\n;\n",
    )
    qset = import_questions(source, name="bank")
    (question,) = qset.questions
    assert question.text == "Why Amazon; really?"
    assert question.tags == ("motivation", "customer-obsession")
    assert question.follow_ups == ("Why now?",)


def test_csv_errors_name_file_and_line(tmp_path: Path) -> None:
    def errors(text: str, suffix: str = ".csv") -> list[str]:
        source = write(tmp_path / f"in{suffix}", text)
        with pytest.raises(QuestionSetError) as info:
            import_questions(source, name="x")
        return [str(p) for p in info.value.problems]

    where = tmp_path / "in.csv"
    assert errors("question,tags\nWhy?,a\n") == [
        f"{where}:1: CSV has no 'text' column (header: 'question,tags'); "
        "the first line must name the columns, e.g. text,tags"
    ]
    assert errors("text,tag\nWhy?,a\n") == [
        f"{where}:1: unknown column 'tag' (did you mean 'tags'?)"
    ]
    assert errors("text,tags\nWhy?,a\n,b\n") == [f"{where}:3: row has no text"]
    assert errors("text,id\nA?,x\nB?,x\n") == [
        f"{where}:3: duplicate id 'x' (first used on line 2)"
    ]
    assert errors("text\n") == [
        f"{where}: has no questions (write one question per line, or CSV with a 'text' column)"
    ]


def test_import_refuses_non_utf8_and_empty_files(tmp_path: Path) -> None:
    source = tmp_path / "q.txt"
    source.write_bytes(b"Why?\n\xff\xfe\x00\x00broken")
    # UTF-16 BOM at the start of a later line is not a BOM: the file is not UTF-8.
    with pytest.raises(QuestionSetError, match=r"q\.txt:2: is not UTF-8 text"):
        import_questions(source, name="q")
    source.write_text("\n  \n# only a comment\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"q\.txt: has no questions"):
        import_questions(source, name="q")


def test_import_rejects_bad_names() -> None:
    with pytest.raises(InputError, match="must be letters, digits"):
        parse_import("Why?", where="x", name="bad name")


def test_generated_ids_are_unique_and_valid() -> None:
    assert question_id("Tell me about a time you failed.", 1) == "failed-1"
    assert question_id("???", 4) == "q-4"
    assert question_id("Describe " + "x" * 100, 2) == "x" * 40 + "-2"


def test_saved_import_validates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    qset = parse_import("Why?\nHow?\n", where="in.txt", name="two")
    path = save_set(qset, tmp_path, header="Imported by voicemock from in.txt")
    assert path == tmp_path / "two.toml"
    assert path.read_text(encoding="utf-8").startswith("# Imported by voicemock from in.txt\n")
    loaded = load_set(path)
    assert (loaded.name, loaded.questions, loaded.path) == (qset.name, qset.questions, path)
    with pytest.raises(InputError, match=r"already exists \(use --force to replace it\)"):
        save_set(qset, tmp_path)
    save_set(qset, tmp_path, force=True)


# -- CSV -----------------------------------------------------------------------------------


def test_the_delimiter_is_found_from_the_header_comma_semicolon_or_tab() -> None:
    for delimiter in (",", ";", "\t"):
        text = f"text{delimiter}tags\nWhy Amazon?{delimiter}ownership|Dive Deep\n"
        (question,) = parse_import(text, where="in.csv", name="x").questions
        assert question.text == "Why Amazon?"
        assert question.tags == ("ownership", "dive-deep")


def test_a_header_of_just_text_is_csv_and_column_names_are_forgiving() -> None:
    qset = parse_import("Text\nWhy?\n\nHow?\n", where="in.csv", name="x")
    assert [q.text for q in qset] == ["Why?", "How?"]
    qset = parse_import(" TEXT , Follow-Ups \nWhy?,So what?|And then?\n", where="x", name="x")
    assert qset.questions[0].follow_ups == ("So what?", "And then?")


def test_quoted_fields_may_hold_delimiters_and_line_breaks() -> None:
    text = 'text,id\n"Tell me, briefly,\nabout a time",first\n"Why?",\n'
    qset = parse_import(text, where="in.csv", name="x")
    assert [q.text for q in qset] == ["Tell me, briefly, about a time", "Why?"]
    assert qset.ids == ("first", "q-2")  # an empty id cell: one is made up


def test_problems_after_a_multi_line_field_name_the_physical_line() -> None:
    text = 'text,id\n"A\nB?",a\n"C?",a\n'
    assert csv_errors(text) == ["in.csv:4: duplicate id 'a' (first used on line 3)"]


def test_rows_longer_than_the_header_and_repeated_columns_are_refused() -> None:
    assert csv_errors("text,tags\nWhy?,a,b\n") == [
        "in.csv:2: row has 3 fields but the header has 2"
    ]
    assert csv_errors("text,tags,Tags\nWhy?,a,b\n") == ["in.csv:1: CSV header names a column twice"]
    # Empty trailing cells are fine (spreadsheets write them).
    assert len(parse_import("text,tags\nWhy?,a,,\n", where="x", name="x")) == 1


def test_a_bad_id_or_a_tag_without_letters_is_named_with_its_line() -> None:
    assert csv_errors("text,id\nWhy?,has space\n") == [
        "in.csv:2: id 'has space' must be letters, digits, '-', '_' or '.'"
    ]
    assert csv_errors("text,tags\nWhy?,ok|--\n") == ["in.csv:2: tag '--' has no letters or digits"]


def test_the_format_can_be_forced_either_way() -> None:
    # Text that looks like CSV, imported as text: every line is a question.
    qset = parse_import("text,tags\nWhy?,a\n", where="x", name="x", fmt="text")
    assert [q.text for q in qset] == ["text,tags", "Why?,a"]
    # Text forced to CSV without a header: one clear line.
    assert csv_errors("Why?\nHow?\n", fmt="csv") == [
        "in.csv:1: CSV has no 'text' column (header: 'Why?'); "
        "the first line must name the columns, e.g. text,tags"
    ]


def test_a_csv_file_with_a_byte_order_mark_imports(tmp_path: Path) -> None:
    source = tmp_path / "bank.csv"
    source.write_bytes("text,tags\nWhy Amazon?,ownership\n".encode("utf-8-sig"))
    (question,) = import_questions(source, name="bank").questions
    assert (question.text, question.tags) == ("Why Amazon?", ("ownership",))
