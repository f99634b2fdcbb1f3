"""Question sets: loading, validation, discovery, selection, import and the template.

A question set is one TOML file::

    name = "amazon-pm"
    description = "Amazon product-manager loop"
    think_s = 15                           # optional thinking time before recording
    [target]                               # optional; defaults 150 / 210 / 240 seconds
    min_s = 150
    max_s = 210
    cap_s = 240

    [[questions]]
    id = "co-unasked-need"                 # unique in the set; history is kept per id
    text = "Tell me about a time ..."
    tags = ["customer-obsession"]          # Leadership Principles and categories
    follow_ups = ["How did you measure it?"]
    target = { min_s = 60, max_s = 120 }   # optional per-question override

Sets are found in three places, later ones shadowing earlier ones of the same name: the
sets bundled with the package, the user's sets directory, and paths given explicitly.

Every problem is reported as ``<file>:<line>: <what is wrong>`` and a set with any problem
is never returned half-loaded (:class:`QuestionSetError` carries all of them). Selection
(:func:`select_questions`) takes the practice history and the random generator as
arguments, so this module needs neither the database nor global state.

The package follows the file's own sections: :mod:`.model` (questions and sets),
:mod:`.tags` (Leadership Principles and categories), :mod:`.problems`, :mod:`.reading`,
:mod:`.toml_lines` (which line a key is on), :mod:`.parsing`, :mod:`.catalog` (discovery),
:mod:`.selection`, :mod:`.importing` (text and CSV) and :mod:`.writing`. Everything public
is importable from ``voicemock.questions`` itself.
"""

from __future__ import annotations

from voicemock.principles import LEADERSHIP_PRINCIPLES, Principle, slugify
from voicemock.questions.catalog import (
    DEFAULT_SET,
    Catalog,
    Origin,
    SetEntry,
    bundled_sets_dir,
    expand_set_paths,
)
from voicemock.questions.importing import (
    CSV_COLUMNS,
    ImportFormat,
    import_questions,
    parse_import,
    question_id,
)
from voicemock.questions.model import Question, QuestionSet
from voicemock.questions.parsing import (
    MAX_SECONDS,
    MAX_THINK_S,
    QUESTION_KEYS,
    SET_KEYS,
    TARGET_KEYS,
    check_file,
    load_set,
    name_problem,
    parse_set,
    valid_name,
)
from voicemock.questions.problems import Problem, QuestionSetError
from voicemock.questions.reading import MAX_FILE_BYTES, read_text
from voicemock.questions.selection import select_questions
from voicemock.questions.tags import CATEGORIES, canonical_tag, principle_for, tag_label
from voicemock.questions.writing import save_set, set_toml, template, write_set_file, write_template

__all__ = [
    "CATEGORIES",
    "CSV_COLUMNS",
    "DEFAULT_SET",
    "LEADERSHIP_PRINCIPLES",
    "MAX_FILE_BYTES",
    "MAX_SECONDS",
    "MAX_THINK_S",
    "QUESTION_KEYS",
    "SET_KEYS",
    "TARGET_KEYS",
    "Catalog",
    "ImportFormat",
    "Origin",
    "Principle",
    "Problem",
    "Question",
    "QuestionSet",
    "QuestionSetError",
    "SetEntry",
    "bundled_sets_dir",
    "canonical_tag",
    "check_file",
    "expand_set_paths",
    "import_questions",
    "load_set",
    "name_problem",
    "parse_import",
    "parse_set",
    "principle_for",
    "question_id",
    "read_text",
    "save_set",
    "select_questions",
    "set_toml",
    "slugify",
    "tag_label",
    "template",
    "valid_name",
    "write_set_file",
    "write_template",
]
