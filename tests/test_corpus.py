"""The labelled corpus itself is well formed (tests/corpus/README.md is the specification).

These tests check the labels, not the analysis: every file parses, every span points into its
answer, values are from the allowed sets, the labels are consistent with each other and with
the tags, and every category of issue 11 is covered. The analysis' agreement with the labels
is measured by scripts/bench_corpus.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.corpus_labels import (
    ANSWER_STYLES,
    CONTEXTS,
    CORPUS_DIR,
    HABIT_WORDS,
    MAX_WORDS,
    MIN_WORDS,
    NUMBER_KINDS,
    QUESTION_KINDS,
    REPEAT_MIN,
    TAGS,
    Answer,
    CorpusError,
    load_corpus,
    word_count_of,
)

CORPUS = load_corpus()
BY_ID = {a.id: a for a in CORPUS}
MIN_PER_TAG = 5

FIRST_PERSON = ("I ", "I've ", "I'd ", "I'm ")
WE_SUBJECTS = ("we ", "We ", "we've ", "We've ", "we'd ", "We'd ", "we're ", "We're ")
NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|"
    r"dozen|half|third|quarter|fifth|twice)\b|\d[\d.,]*\s?[kKmMbB]\b|\d\.\d",
    re.IGNORECASE,
)
PRINCIPLE_WORDS = re.compile(
    r"\b(?:ownership|customer obsess\w*|dive deep|frugal\w*|think big|earns? trust|"
    r"bias for action|deliver results|invent and simplify)\b",
    re.IGNORECASE,
)
FUNCTION_WORDS = frozenset(
    {
        "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "from", "by",
        "with", "as", "is", "was", "were", "are", "be", "been", "that", "this", "it", "its",
        "their", "they", "them", "we", "our", "us", "i", "my", "me", "you", "your", "he", "she",
        "her", "his", "who", "which", "what", "when", "where", "how", "why", "than", "then",
        "so", "if", "not", "no", "had", "has", "have", "did", "do", "does", "would", "could",
        "should", "will", "can", "just", "about", "into", "over", "after", "before", "because",
        "while", "there", "here", "all", "each", "every", "more", "most", "some", "any", "one",
        "two", "three", "also", "only", "out", "up", "down", "very",
    }
)  # fmt: skip


def test_the_corpus_loads_and_is_big_enough() -> None:
    assert len(CORPUS) >= 160
    assert len(BY_ID) == len(CORPUS), "ids are unique"
    files = {a.file for a in CORPUS}
    assert len(files) >= 5, files


def test_every_file_parses_on_its_own() -> None:
    for path in sorted(CORPUS_DIR.glob("*.toml")):
        assert any(a.file == path.name for a in CORPUS), f"{path.name} has no answers"


def test_a_broken_label_is_refused_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        CORPUS_DIR.joinpath("ownership.toml")
        .read_text(encoding="utf-8")
        .replace('strong = ["I ran",', 'strong = ["I rann",', 1),
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"bad\.toml: own-partner-portal: strong: 'I rann'"):
        load_corpus(tmp_path)


def test_word_counts_are_in_range_with_a_spread() -> None:
    counts = [a.word_count for a in CORPUS]
    bad = {a.id: a.word_count for a in CORPUS if not MIN_WORDS <= a.word_count <= MAX_WORDS}
    assert not bad
    assert sum(150 <= c <= 300 for c in counts) >= 60
    assert sum(c < 120 for c in counts) >= 15
    assert sum(c > 250 for c in counts) >= 8


@pytest.mark.parametrize("answer", CORPUS, ids=lambda a: a.id)
def test_every_label_points_at_its_text(answer: Answer) -> None:
    ex = answer.expect
    for name in ("strong", "shared", "weak", "fillers", "hedges", "lp_labels", "numbers"):
        for label in ex.spans(name):
            assert answer.text[label.start : label.end] == label.text, (name, label)
    for label in ex.numbers:
        assert label.kind in NUMBER_KINDS and label.context in CONTEXTS
    assert answer.question_kind in QUESTION_KINDS and answer.answer_style in ANSWER_STYLES


@pytest.mark.parametrize("answer", CORPUS, ids=lambda a: a.id)
def test_labels_agree_with_each_other(answer: Answer) -> None:
    ex = answer.expect
    if not ex.result:
        assert not ex.result_has_number
    if not ex.result_has_number:
        assert not ex.result_number_has_context
    if ex.result_has_number:
        assert ex.numbers, "a result with a number needs a labelled number"
    if ex.result_number_has_context:
        assert any(n.context != "neither" for n in ex.numbers)
    for label in (*ex.strong, *ex.weak):
        assert label.text.startswith(FIRST_PERSON), label.text
    for label in ex.numbers:
        if label.text.startswith("from ") and " to " in label.text:
            assert label.kind == "change" and label.context in ("baseline", "both"), label


@pytest.mark.parametrize("answer", CORPUS, ids=lambda a: a.id)
def test_repeated_words_follow_the_closed_list(answer: Answer) -> None:
    """A habit word said 4+ times is labelled, and nothing else is."""
    labelled = set(answer.expect.repeated)
    assert labelled <= HABIT_WORDS, labelled - HABIT_WORDS
    counted = {w for w in HABIT_WORDS if word_count_of(answer.text, w) >= REPEAT_MIN}
    assert labelled == counted
    assert list(answer.expect.repeated) == sorted(labelled, key=answer.expect.repeated.index)


def _topic_word_repeated(answer: Answer) -> bool:
    words = Counter(w.lower() for w in re.findall(r"[A-Za-z]+", answer.text))
    return any(
        n >= REPEAT_MIN and len(w) > 3 and w not in FUNCTION_WORDS and w not in HABIT_WORDS
        for w, n in words.items()
    )


def _has_sentence_so_not_filler(answer: Answer) -> bool:
    fillers = answer.expect.fillers
    for m in re.finditer(r"(?<![\w])So(?![\w])", answer.text):
        if not any(f.start <= m.start() < f.end for f in fillers):
            return True
    return False


TAG_CHECKS: dict[str, Callable[[Answer], bool]] = {
    "own-verbs": lambda a: bool(a.expect.strong),
    "own-not-owned": lambda a: bool(
        re.search(
            r"\b(?:I|we|We)(?:'d|'ll| would| could| should| didn't| wasn't| never| haven't|"
            r" wouldn't| might| was asked| was told| can)\b",
            a.text,
        )
    ),
    "shared-subject": lambda a: any(not s.text.startswith(WE_SUBJECTS) for s in a.expect.shared),
    "we-verbs": lambda a: any(s.text.startswith(WE_SUBJECTS) for s in a.expect.shared),
    "weak-agency": lambda a: bool(a.expect.weak),
    "reported-speech": lambda a: bool(
        re.search(r"""["'][^"']*\b(?:I|we|We|I'll|We're|we're|we've)\b[^"']*["']""", a.text)
    ),
    "num-range": lambda a: any(
        re.search(r"\d\s?[–-]\s?\d|\b(?:to|or|and)\b", n.text) for n in a.expect.numbers
    ),
    "num-fraction": lambda a: (
        any(n.kind == "ratio" or "half" in n.text for n in a.expect.numbers)
        or any(
            re.search(r"\b(?:half|third|quarter|twice|times|one in|out of)\b", n.text)
            for n in a.expect.numbers
        )
    ),
    "num-spelled-mixed": lambda a: any(NUMBER_WORDS.search(n.text) for n in a.expect.numbers),
    "num-duration": lambda a: any(n.kind == "duration" for n in a.expect.numbers),
    "num-count-gap": lambda a: any(
        n.kind == "count" and len(n.text.split()) >= 3 for n in a.expect.numbers
    ),
    "metric-context": lambda a: any(n.context != "neither" for n in a.expect.numbers),
    "metric-bare": lambda a: (
        a.expect.result_has_number and any(n.context == "neither" for n in a.expect.numbers)
    ),
    "result-no-cue": lambda a: a.expect.result,
    "result-cued": lambda a: (
        a.expect.result
        and bool(
            re.search(r"As a result|The (?:result|outcome|impact)|In the end|Ultimately", a.text)
        )
    ),
    "no-result": lambda a: not a.expect.result,
    "lesson-varied": lambda a: a.expect.lesson,
    "no-lesson": lambda a: not a.expect.lesson,
    "so-causal": _has_sentence_so_not_filler,
    "so-filler": lambda a: any(f.text in ("So", "so") for f in a.expect.fillers),
    "fillers": lambda a: len(a.expect.fillers) >= 2,
    "hedges": lambda a: bool(a.expect.hedges),
    "repeated": lambda a: bool(a.expect.repeated),
    "repeated-lookalike": _topic_word_repeated,
    "kind-introduction": lambda a: a.question_kind == "introduction",
    "kind-product": lambda a: a.question_kind == "product",
    "kind-hypothetical": lambda a: a.question_kind == "hypothetical",
    "story-as-hypothetical": lambda a: (
        (a.question_kind, a.answer_style) == ("story", "hypothetical")
    ),
    "hypothetical-as-story": lambda a: (
        (a.question_kind, a.answer_style) == ("hypothetical", "story")
    ),
    "strong-answer": lambda a: (
        a.expect.result
        and a.expect.result_number_has_context
        and len(a.expect.strong) >= 2
        and not a.expect.weak
    ),
    "weak-answer": lambda a: (
        bool(a.expect.weak)
        or len(a.expect.fillers) >= 4
        or len(a.expect.hedges) >= 3
        or not a.expect.strong
    ),
    "lp-label": lambda a: bool(a.expect.lp_labels),
    "lp-word": lambda a: any(
        not any(lp.start <= m.start() < lp.end for lp in a.expect.lp_labels)
        for m in PRINCIPLE_WORDS.finditer(a.text)
    ),
    "num-not-quantity": lambda a: True,  # what is *not* labelled cannot be checked here
}


def test_every_tag_has_a_check() -> None:
    assert set(TAG_CHECKS) == set(TAGS)


@pytest.mark.parametrize("answer", CORPUS, ids=lambda a: a.id)
def test_tags_agree_with_the_labels(answer: Answer) -> None:
    wrong = [t for t in answer.tags if not TAG_CHECKS[t](answer)]
    assert not wrong


def test_every_category_of_issue_11_is_covered() -> None:
    counts = Counter(t for a in CORPUS for t in a.tags)
    thin = {t: counts[t] for t in TAGS if counts[t] < MIN_PER_TAG}
    assert not thin
    # and the negatives of each kind of miss, found from the labels themselves
    assert sum(1 for a in CORPUS if not a.expect.strong and not a.expect.shared) >= 20
    assert sum(1 for a in CORPUS if not a.expect.numbers) >= 8
    assert sum(1 for a in CORPUS if not a.expect.fillers) >= 60
    assert sum(1 for a in CORPUS if a.answer_style == "story") >= 100


def test_most_answers_are_story_answers_of_product_managers() -> None:
    kinds = Counter(a.question_kind for a in CORPUS)
    assert kinds["story"] > len(CORPUS) / 2
    assert all(kinds[k] >= 10 for k in QUESTION_KINDS), kinds
