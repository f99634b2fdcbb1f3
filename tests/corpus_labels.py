"""The labelled corpus (``tests/corpus/*.toml``): loading, span resolution, validation.

The label specification is ``tests/corpus/README.md``. :func:`load_corpus` reads every file,
normalises each text's whitespace, resolves every span label to character offsets and
refuses anything malformed with a :class:`CorpusError` that names the file, the answer and
the field. Used by ``tests/test_corpus.py`` and ``scripts/bench_corpus.py``.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

QUESTION_KINDS = ("story", "introduction", "product", "hypothetical")
ANSWER_STYLES = ("story", "hypothetical", "introduction", "product")
NUMBER_KINDS = ("percent", "money", "count", "duration", "ratio", "change")
CONTEXTS = ("baseline", "period", "both", "neither")

MIN_WORDS = 60
MAX_WORDS = 350
REPEAT_MIN = 4
HABIT_WORDS = frozenset(
    {
        "really", "very", "super", "just", "totally", "honestly", "obviously", "definitely",
        "absolutely", "truly", "extremely", "incredibly", "pretty", "quite", "huge", "amazing",
        "great", "awesome", "crazy", "massive", "stuff", "things", "leverage", "synergy",
        "impactful", "seamless", "seamlessly",
    }
)  # fmt: skip
"""The closed class of habit words that can be labelled ``repeated`` (see the README)."""

TAGS: dict[str, str] = {
    "own-verbs": "owned actions with verbs beyond the usual 'I decided / I built'",
    "own-not-owned": "negated, modal, future or hypothetical first-person verbs",
    "shared-subject": "'X and I', 'the two of us', 'both of us' as subject",
    "we-verbs": "'we' with many kinds of verb",
    "weak-agency": "'I helped', 'I supported', 'I was involved'",
    "reported-speech": "others' words quoted, with 'we'/'I' inside the quotes",
    "num-range": "ranges ('10-12%', '3-4 days', 'ten to twelve percent')",
    "num-fraction": "fractions and multiples ('half', 'a quarter of a point', 'twice')",
    "num-spelled-mixed": "numbers in words or mixed forms ('1.2 million', '$3.4M')",
    "num-duration": "durations ('a whole month', '3-4 days', 'within two weeks')",
    "num-count-gap": "a word between number and noun ('thirty other drivers')",
    "num-not-quantity": "versions, years, quarters, levels, positions, 'all four approved'",
    "metric-context": "numbers with a baseline or period",
    "metric-bare": "a result number without context",
    "result-no-cue": "an outcome stated without cue words",
    "result-cued": "an outcome with a cue ('As a result', 'The outcome was')",
    "no-result": "no outcome stated",
    "lesson-varied": "a lesson phrased without the common cues",
    "no-lesson": "no lesson",
    "so-causal": "'So' meaning 'therefore' opening a sentence",
    "so-filler": "'So' as a discourse filler",
    "fillers": "two or more fillers",
    "hedges": "hedges",
    "repeated": "an overused habit word",
    "repeated-lookalike": "a topic word said often that is not a habit",
    "kind-introduction": "an answer to 'tell me about yourself' and the like",
    "kind-product": "a product-sense or design answer",
    "kind-hypothetical": "a hypothetical question",
    "story-as-hypothetical": "a story question answered hypothetically",
    "hypothetical-as-story": "a hypothetical question answered with a real story",
    "strong-answer": "an on-target answer a bar raiser would praise",
    "weak-answer": "a weak or rambling answer",
    "lp-label": "a Leadership Principle name used as a label",
    "lp-word": "principle words used as ordinary words (not labels)",
}

SPAN_FIELDS = ("strong", "shared", "weak", "fillers", "hedges", "lp_labels")
BOOL_FIELDS = ("result", "result_has_number", "result_number_has_context", "lesson")
EXPECT_KEYS = frozenset({*SPAN_FIELDS, *BOOL_FIELDS, "numbers", "repeated"})
ANSWER_KEYS = frozenset(
    {"id", "question", "question_kind", "answer_style", "tags", "text", "expect"}
)


class CorpusError(ValueError):
    """The corpus does not follow the specification; the message says where and why."""


@dataclass(frozen=True)
class SpanLabel:
    text: str
    start: int
    end: int

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class NumberLabel(SpanLabel):
    kind: str
    context: str


@dataclass(frozen=True)
class Expect:
    strong: tuple[SpanLabel, ...]
    shared: tuple[SpanLabel, ...]
    weak: tuple[SpanLabel, ...]
    numbers: tuple[NumberLabel, ...]
    result: bool
    result_has_number: bool
    result_number_has_context: bool
    lesson: bool
    fillers: tuple[SpanLabel, ...]
    hedges: tuple[SpanLabel, ...]
    repeated: tuple[str, ...]
    lp_labels: tuple[SpanLabel, ...]

    def spans(self, name: str) -> tuple[SpanLabel, ...]:
        value = getattr(self, name)
        assert isinstance(value, tuple)
        return value


@dataclass(frozen=True)
class Answer:
    id: str
    file: str
    question: str
    question_kind: str
    answer_style: str
    tags: tuple[str, ...]
    text: str
    """Whitespace-normalised: every offset points into this."""
    expect: Expect

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def occurrences(text: str, piece: str) -> list[int]:
    """Start offsets of ``piece`` in ``text`` at word boundaries, case-sensitive."""
    pattern = re.compile(r"(?<!\w)" + re.escape(piece) + r"(?!\w)")
    return [m.start() for m in pattern.finditer(text)]


def word_count_of(text: str, word: str) -> int:
    """How many times ``word`` occurs as a whole word, case-insensitively."""
    return len(re.findall(r"(?<![\w'])" + re.escape(word) + r"(?![\w'])", text, re.IGNORECASE))


def load_corpus(directory: Path = CORPUS_DIR) -> list[Answer]:
    """Every answer of every ``*.toml`` in ``directory``, validated; sorted by file then order."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise CorpusError(f"{directory}: no *.toml files")
    answers: list[Answer] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CorpusError(f"{path.name}: not valid TOML: {exc}") from None
        extra = set(data) - {"answers"}
        if extra:
            raise CorpusError(f"{path.name}: unknown top-level keys {sorted(extra)}")
        raw_answers = data.get("answers")
        if not isinstance(raw_answers, list) or not raw_answers:
            raise CorpusError(f"{path.name}: no [[answers]]")
        for n, raw in enumerate(raw_answers, 1):
            answer = _answer(path.name, n, raw)
            if answer.id in seen:
                raise CorpusError(
                    f"{path.name}: id {answer.id!r} already used in {seen[answer.id]}"
                )
            seen[answer.id] = path.name
            answers.append(answer)
    return answers


def _answer(file: str, n: int, raw: Any) -> Answer:
    where = f"{file}: answer {n}"
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: not a table")
    ident = raw.get("id")
    if isinstance(ident, str) and ident:
        where = f"{file}: {ident}"
    _keys(where, raw, ANSWER_KEYS)
    ident = _str(where, raw, "id")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", ident):
        raise CorpusError(f"{where}: id must be lower-case words joined by '-'")
    question = _str(where, raw, "question")
    qkind = _choice(where, raw, "question_kind", QUESTION_KINDS)
    style = _choice(where, raw, "answer_style", ANSWER_STYLES)
    tags = raw["tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise CorpusError(f"{where}: tags must be a list of strings")
    unknown = sorted(set(tags) - set(TAGS))
    if unknown:
        raise CorpusError(f"{where}: unknown tags {unknown}")
    if len(set(tags)) != len(tags):
        raise CorpusError(f"{where}: a tag is listed twice")
    text = normalize_space(_str(where, raw, "text"))
    expect_raw = raw["expect"]
    if not isinstance(expect_raw, dict):
        raise CorpusError(f"{where}: expect must be a table")
    expect = _expect(where, text, expect_raw)
    return Answer(ident, file, question, qkind, style, tuple(tags), text, expect)


def _expect(where: str, text: str, raw: Mapping[str, Any]) -> Expect:
    _keys(f"{where}: expect", raw, EXPECT_KEYS)
    spans = {name: _spans(f"{where}: {name}", text, raw[name]) for name in SPAN_FIELDS}
    numbers = _numbers(f"{where}: numbers", text, raw["numbers"])
    flags: dict[str, bool] = {}
    for name in BOOL_FIELDS:
        value = raw[name]
        if not isinstance(value, bool):
            raise CorpusError(f"{where}: {name} must be true or false")
        flags[name] = value
    repeated = raw["repeated"]
    if not isinstance(repeated, list) or not all(isinstance(w, str) for w in repeated):
        raise CorpusError(f"{where}: repeated must be a list of words")
    _disjoint(f"{where}: ownership", [*spans["strong"], *spans["shared"], *spans["weak"]])
    _disjoint(f"{where}: fillers/hedges", [*spans["fillers"], *spans["hedges"]])
    return Expect(
        strong=spans["strong"],
        shared=spans["shared"],
        weak=spans["weak"],
        numbers=numbers,
        result=flags["result"],
        result_has_number=flags["result_has_number"],
        result_number_has_context=flags["result_number_has_context"],
        lesson=flags["lesson"],
        fillers=spans["fillers"],
        hedges=spans["hedges"],
        repeated=tuple(repeated),
        lp_labels=spans["lp_labels"],
    )


def _spans(where: str, text: str, raw: Any) -> tuple[SpanLabel, ...]:
    if not isinstance(raw, list):
        raise CorpusError(f"{where}: must be a list")
    out: list[SpanLabel] = []
    last: dict[str, int] = {}
    for item in raw:
        if isinstance(item, str):
            piece, occurrence = item, None
        elif isinstance(item, dict):
            _keys(where, item, frozenset({"text", "occurrence"}), optional={"occurrence"})
            piece, occurrence = item["text"], item.get("occurrence")
        else:
            raise CorpusError(f"{where}: {item!r} is neither a string nor a table")
        out.append(_resolve(where, text, piece, occurrence, last))
    _disjoint(where, out)
    return tuple(out)


def _numbers(where: str, text: str, raw: Any) -> tuple[NumberLabel, ...]:
    if not isinstance(raw, list):
        raise CorpusError(f"{where}: must be a list")
    out: list[NumberLabel] = []
    last: dict[str, int] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise CorpusError(f"{where}: {item!r} must be a table with text, kind, context")
        _keys(where, item, frozenset({"text", "kind", "context", "occurrence"}), {"occurrence"})
        kind = _choice(f"{where} {item.get('text')!r}", item, "kind", NUMBER_KINDS)
        context = _choice(f"{where} {item.get('text')!r}", item, "context", CONTEXTS)
        span = _resolve(where, text, item["text"], item.get("occurrence"), last)
        out.append(NumberLabel(span.text, span.start, span.end, kind, context))
    _disjoint(where, out)
    return tuple(out)


def _resolve(where: str, text: str, piece: Any, occurrence: Any, last: dict[str, int]) -> SpanLabel:
    if not isinstance(piece, str) or not piece.strip() or piece != piece.strip():
        raise CorpusError(f"{where}: {piece!r} must be a non-empty string without outer spaces")
    starts = occurrences(text, piece)
    if not starts:
        raise CorpusError(f"{where}: {piece!r} does not occur in the text (at word boundaries)")
    if occurrence is None:
        after = last.get(piece, -1)
        later = [k for k, s in enumerate(starts) if s > after]
        if not later:
            raise CorpusError(f"{where}: {piece!r} is listed more often than it occurs")
        index = later[0]
    else:
        if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 1:
            raise CorpusError(f"{where}: occurrence of {piece!r} must be a positive integer")
        if occurrence > len(starts):
            raise CorpusError(f"{where}: {piece!r} occurs {len(starts)} time(s), not {occurrence}")
        index = occurrence - 1
    start = starts[index]
    last[piece] = start
    return SpanLabel(piece, start, start + len(piece))


def _disjoint(where: str, spans: Sequence[SpanLabel]) -> None:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    for a, b in itertools.pairwise(ordered):
        if b.start < a.end:
            raise CorpusError(f"{where}: {a.text!r} and {b.text!r} overlap")


def _keys(
    where: str, raw: Mapping[str, Any], allowed: frozenset[str], optional: set[str] | None = None
) -> None:
    extra = set(raw) - allowed
    if extra:
        raise CorpusError(f"{where}: unknown keys {sorted(extra)}")
    missing = allowed - set(raw) - (optional or set())
    if missing:
        raise CorpusError(f"{where}: missing keys {sorted(missing)}")


def _str(where: str, raw: Mapping[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(f"{where}: {key} must be a non-empty string")
    return value


def _choice(where: str, raw: Mapping[str, Any], key: str, allowed: Sequence[str]) -> str:
    value = raw.get(key)
    if value not in allowed:
        raise CorpusError(f"{where}: {key} must be one of {', '.join(allowed)}, not {value!r}")
    assert isinstance(value, str)
    return value


__all__ = [
    "ANSWER_STYLES",
    "CONTEXTS",
    "CORPUS_DIR",
    "HABIT_WORDS",
    "MAX_WORDS",
    "MIN_WORDS",
    "NUMBER_KINDS",
    "QUESTION_KINDS",
    "REPEAT_MIN",
    "TAGS",
    "Answer",
    "CorpusError",
    "Expect",
    "NumberLabel",
    "SpanLabel",
    "load_corpus",
    "normalize_space",
    "occurrences",
    "word_count_of",
]
