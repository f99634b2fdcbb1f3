"""Agreement of the analysis with the labelled corpus (tests/corpus/README.md).

Runs the real analysis on every corpus answer as a typed transcript, maps its JSON document to
the label fields through one adapter function (``adapt`` below) and prints the agreement per
finding and overall. Fields the analysis does not produce yet are listed as such and left out
of the overall figure.

    .venv/bin/python scripts/bench_corpus.py                     # the table
    .venv/bin/python scripts/bench_corpus.py --show-misses       # ... and every disagreement
    .venv/bin/python scripts/bench_corpus.py --show-misses --finding numbers
    .venv/bin/python scripts/bench_corpus.py --json > agreement.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.corpus_labels import (  # noqa: E402
    CORPUS_DIR,
    Answer,
    CorpusError,
    NumberLabel,
    SpanLabel,
    load_corpus,
)


@dataclass(frozen=True)
class Found:
    """One finding of the analysis as a character span of the answer's text."""

    start: int
    end: int
    text: str
    kind: str | None = None
    """Numbers only: the analysis' kind."""
    context: str | None = None
    """Numbers only: the analysis' context (None while it reports none)."""


@dataclass(frozen=True)
class Produced:
    """What the analysis says about one answer, in the label fields' terms.

    ``None`` means "the analysis does not produce this yet": the finding is not scored.
    """

    strong: list[Found] | None
    shared: list[Found] | None
    weak: list[Found] | None
    shared_or_weak: list[Found] | None
    numbers: list[Found] | None
    number_context: bool
    """True when ``numbers`` carry the analysis' context."""
    result: bool | None
    result_has_number: bool | None
    result_number_has_context: bool | None
    lesson: bool | None
    fillers: list[Found] | None
    hedges: list[Found] | None
    repeated: list[str] | None
    lp_labels: list[Found] | None
    question_kind: str | None
    answer_style: str | None


class WordSpans:
    """Character spans of the whitespace-separated words of a text (what from_text splits)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]

    def found(self, item: Mapping[str, Any], text_key: str = "text", **extra: Any) -> Found:
        first = int(item["word_index"])
        last = first + max(1, int(item["word_count"])) - 1
        start, end = self.spans[first][0], self.spans[last][1]
        return Found(start, end, str(item.get(text_key, self.text[start:end])), **extra)


# ======================================================================================
# THE ADAPTER: the one place that knows the analysis' JSON document (schema 2).
# ======================================================================================


def adapt(doc: Mapping[str, Any], words: WordSpans) -> Produced:
    """The analysis document of one answer as the corpus' label fields."""
    ownership = doc["ownership"]
    structure = doc["structure"]
    weak_items = ownership["weak"]
    return Produced(
        strong=[words.found(a, "phrase") for a in ownership["strong"]],
        # "weak" holds everything that is not owned; each item's kind says shared or weak
        shared=[words.found(a, "phrase") for a in weak_items if a["kind"] == "shared"],
        weak=[words.found(a, "phrase") for a in weak_items if a["kind"] == "weak"],
        shared_or_weak=[words.found(a, "phrase") for a in weak_items],
        numbers=[words.found(m, kind=m["kind"], context=m["context"]) for m in doc["metrics"]],
        number_context=True,
        result=bool(structure["has_result"]),
        result_has_number=bool(structure["result_has_metric"]),
        result_number_has_context=bool(structure["result_metric_has_context"]),
        lesson=bool(structure["has_lesson"]),
        fillers=[words.found(f) for f in doc["fillers"]],
        hedges=[words.found(h) for h in doc["hedges"]],
        repeated=[r["word"] for r in doc["repeated_words"]],
        lp_labels=[words.found(d) for d in structure["lp_name_drops"]],
        question_kind=str(doc["question_kind"]),
        answer_style=str(doc["answer_style"]),
    )


# ======================================================================================

SPLITS = ("all", "dev", "held-out")


def split_of(answer_id: str) -> str:
    """``"held-out"`` for about a third of the answers (fixed by a hash of the id), else
    ``"dev"``. Rules are developed against the dev part and checked on the held-out part,
    so a figure on the held-out part says how the rules generalise to unseen answers."""
    return "held-out" if zlib.crc32(answer_id.encode("utf-8")) % 3 == 0 else "dev"


def in_split(answer: Answer, split: str) -> bool:
    return split == "all" or split_of(answer.id) == split


def run_analysis(answer: Answer) -> Mapping[str, Any]:
    from voicemock.analysis import analyze
    from voicemock.transcript import Transcript

    transcript = Transcript.from_text(answer.text)
    return analyze(transcript, question=answer.question).to_dict()


@dataclass
class Miss:
    answer: str
    finding: str
    expected: str
    got: str

    def to_dict(self) -> dict[str, str]:
        return {
            "answer": self.answer,
            "finding": self.finding,
            "expected": self.expected,
            "got": self.got,
        }


@dataclass
class Score:
    """Agreement of one finding over the corpus."""

    name: str
    kind: str  # "spans" | "words" | "matched" | "answers"
    matched: int = 0
    missed: int = 0
    false_alarms: int = 0
    right: int = 0
    total: int = 0
    majority: int = 0
    produced: bool = True
    stands_in: str | None = None
    misses: list[Miss] = field(default_factory=list)

    @property
    def agreement(self) -> float | None:
        if not self.produced:
            return None
        if self.kind in ("spans", "words"):
            n = self.matched + self.missed + self.false_alarms
            return None if n == 0 else self.matched / n
        return None if self.total == 0 else self.right / self.total

    @property
    def baseline(self) -> float | None:
        """Agreement of the trivial answer: no findings at all, or the majority label."""
        if self.kind in ("spans", "words"):
            n = self.matched + self.missed + self.false_alarms
            return None if n == 0 else 0.0
        return None if self.total == 0 else self.majority / self.total

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "finding": self.name,
            "produced": self.produced,
            "agreement": _round(self.agreement),
            "baseline": _round(self.baseline),
        }
        if self.kind in ("spans", "words"):
            out |= {
                "matched": self.matched,
                "missed": self.missed,
                "false_alarms": self.false_alarms,
            }
        else:
            out |= {"right": self.right, "total": self.total}
        if self.stands_in:
            out["stands_in_for"] = self.stands_in
        return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def pair(labels: Sequence[SpanLabel], found: Sequence[Found]) -> list[tuple[int, int]]:
    """A maximum one-to-one pairing of labels with findings whose spans overlap.

    Kuhn's augmenting paths, labels and findings in speaking order (so ties go to the earlier
    finding); the sizes are a few dozen at most.
    """
    overlaps = [
        [j for j, f in enumerate(found) if label.overlaps(f.start, f.end)] for label in labels
    ]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in overlaps[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(labels)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def score_spans(
    score: Score,
    answer: Answer,
    labels: Sequence[SpanLabel],
    found: Sequence[Found] | None,
) -> list[tuple[int, int]]:
    if found is None:
        score.produced = False
        return []
    labels = sorted(labels, key=lambda s: (s.start, s.end))
    found = sorted(found, key=lambda f: (f.start, f.end))
    pairs = pair(labels, found)
    paired_labels = {i for i, _ in pairs}
    paired_found = {j for _, j in pairs}
    score.matched += len(pairs)
    for i, label in enumerate(labels):
        if i not in paired_labels:
            score.missed += 1
            score.misses.append(Miss(answer.id, score.name, repr(label.text), "-"))
    for j, f in enumerate(found):
        if j not in paired_found:
            score.false_alarms += 1
            score.misses.append(Miss(answer.id, score.name, "-", repr(f.text)))
    return pairs


def score_choice(score: Score, answer: Answer, expected: object, got: object | None) -> None:
    if got is None:
        score.produced = False
        return
    score.total += 1
    if got == expected:
        score.right += 1
    else:
        score.misses.append(Miss(answer.id, score.name, _show(expected), _show(got)))


def _show(value: object) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


LIST_FINDINGS = ("strong", "shared", "weak", "numbers", "fillers", "hedges", "lp_labels")
CHOICE_FINDINGS = (
    "result",
    "result_has_number",
    "result_number_has_context",
    "lesson",
    "question_kind",
    "answer_style",
)
ORDER = (
    "strong",
    "shared",
    "weak",
    "shared_or_weak",
    "numbers",
    "number_kind",
    "number_context",
    "result",
    "result_has_number",
    "result_number_has_context",
    "lesson",
    "fillers",
    "hedges",
    "repeated",
    "lp_labels",
    "question_kind",
    "answer_style",
)


def score_corpus(
    answers: Sequence[Answer],
    analyse: Callable[[Answer], Mapping[str, Any]] = run_analysis,
) -> dict[str, Score]:
    kinds = dict.fromkeys((*LIST_FINDINGS, "shared_or_weak"), "spans")
    kinds |= dict.fromkeys(CHOICE_FINDINGS, "answers")
    kinds |= {"repeated": "words", "number_kind": "matched", "number_context": "matched"}
    scores = {name: Score(name, kinds[name]) for name in ORDER}
    majorities: dict[str, list[object]] = {name: [] for name in CHOICE_FINDINGS}
    majorities |= {"number_kind": [], "number_context": []}
    for answer in answers:
        produced = adapt(analyse(answer), WordSpans(answer.text))
        ex = answer.expect
        for name in LIST_FINDINGS:
            labels = ex.spans(name)
            pairs = score_spans(scores[name], answer, labels, getattr(produced, name))
            if name == "numbers":
                _score_numbers(scores, answer, ex.numbers, produced, pairs, majorities)
        score_spans(
            scores["shared_or_weak"], answer, [*ex.shared, *ex.weak], produced.shared_or_weak
        )
        for name in CHOICE_FINDINGS:
            expected = getattr(ex, name) if hasattr(ex, name) else getattr(answer, name)
            majorities[name].append(expected)
            score_choice(scores[name], answer, expected, getattr(produced, name))
        _score_words(scores["repeated"], answer, ex.repeated, produced.repeated)
    for name, values in majorities.items():
        if values:
            scores[name].majority = max(
                sum(1 for v in values if str(v) == key) for key in {str(v) for v in values}
            )
    if scores["shared"].produced and scores["weak"].produced:
        scores["shared_or_weak"].stands_in = None
    else:
        scores["shared_or_weak"].stands_in = "shared, weak"
    return scores


def _score_numbers(
    scores: dict[str, Score],
    answer: Answer,
    labels: Sequence[NumberLabel],
    produced: Produced,
    pairs: Sequence[tuple[int, int]],
    majorities: dict[str, list[object]],
) -> None:
    if produced.numbers is None:
        scores["number_kind"].produced = scores["number_context"].produced = False
        return
    ordered = sorted(labels, key=lambda s: (s.start, s.end))
    found = sorted(produced.numbers, key=lambda f: (f.start, f.end))
    kind, context = scores["number_kind"], scores["number_context"]
    if not produced.number_context:
        context.produced = False
    for i, j in pairs:
        label, f = ordered[i], found[j]
        majorities["number_kind"].append(label.kind)
        majorities["number_context"].append(label.context)
        kind.total += 1
        if f.kind == label.kind:
            kind.right += 1
        else:
            kind.misses.append(
                Miss(answer.id, kind.name, f"{label.text!r} {label.kind}", f"{f.text!r} {f.kind}")
            )
        if produced.number_context:
            context.total += 1
            if f.context == label.context:
                context.right += 1
            else:
                context.misses.append(
                    Miss(
                        answer.id,
                        context.name,
                        f"{label.text!r} {label.context}",
                        f"{f.text!r} {f.context}",
                    )
                )


def _score_words(
    score: Score, answer: Answer, labels: Sequence[str], found: Sequence[str] | None
) -> None:
    if found is None:
        score.produced = False
        return
    want = {w.lower() for w in labels}
    got = {w.lower() for w in found}
    score.matched += len(want & got)
    score.missed += len(want - got)
    score.false_alarms += len(got - want)
    score.misses += [Miss(answer.id, score.name, repr(w), "-") for w in sorted(want - got)]
    score.misses += [Miss(answer.id, score.name, "-", repr(w)) for w in sorted(got - want)]


def in_overall(score: Score, scores: Mapping[str, Score]) -> bool:
    if score.agreement is None:
        return False
    if score.name == "shared_or_weak":
        return not (scores["shared"].produced and scores["weak"].produced)
    return True


def overall(scores: Mapping[str, Score]) -> tuple[float | None, list[str]]:
    """The unweighted mean of the scored findings' agreement, and their names."""
    names = [s.name for s in scores.values() if in_overall(s, scores)]
    if not names:
        return None, names
    return sum(scores[n].agreement or 0.0 for n in names) / len(names), names


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def render(
    scores: Mapping[str, Score],
    answers: Sequence[Answer],
    seconds: float,
    *,
    show_misses: bool,
    only: str | None,
    parts: Mapping[str, Mapping[str, Score]] | None = None,
) -> str:
    """The table; ``parts`` (split name -> scores) adds a column per split."""
    files = len({a.file for a in answers})
    parts = parts or {}
    counts = {name: sum(1 for a in answers if in_split(a, name)) for name in parts}
    head = "".join(f" {f'{name} ({counts[name]})':>15}" for name in parts)
    lines = [
        f"Corpus agreement: {len(answers)} answers in {files} files "
        f"(analysis took {seconds:.2f} s in all)",
        "",
        f"{'finding':<27} {'agreement':>9} {'baseline':>9}{head}   details",
    ]
    for score in scores.values():
        if not score.produced:
            continue
        if score.kind in ("spans", "words"):
            details = (
                f"{score.matched} matched, {score.missed} missed, {score.false_alarms} false alarms"
            )
        else:
            unit = "matched numbers" if score.kind == "matched" else "answers"
            details = f"{score.right} of {score.total} {unit} right"
        name = score.name
        if score.name == "shared_or_weak" and score.stands_in:
            name += " *"
        columns = "".join(f" {_percent(part[score.name].agreement):>15}" for part in parts.values())
        lines.append(
            f"{name:<27} {_percent(score.agreement):>9} {_percent(score.baseline):>9}"
            f"{columns}   {details}"
        )
    mean, names = overall(scores)
    lines.append("")
    if mean is not None:
        columns = "".join(f" {_percent(overall(part)[0]):>15}" for part in parts.values())
        lines.append(
            f"{'overall':<27} {mean:>9.1%} {'':>9}{columns}   mean of {len(names)} findings"
        )
    missing = [s.name for s in scores.values() if not s.produced]
    if missing:
        lines.append(f"not produced yet (not in overall): {', '.join(missing)}")
    if scores["shared_or_weak"].stands_in:
        lines.append(
            "* shared_or_weak: labels shared + weak against the analysis' one mixed list; "
            "it stands in for shared and weak until the analysis splits them"
        )
    lines.append("baseline: no findings at all (lists), or always the most common label")
    if parts:
        lines.append(
            "dev / held-out: the rules were developed against the dev answers only; "
            "held-out is about a third of the answers, fixed by a hash of the id"
        )
    if show_misses:
        lines += ["", "Disagreements (answer, finding, expected, got):"]
        for score in scores.values():
            if only and score.name != only:
                continue
            for miss in score.misses:
                lines.append(
                    f"  {miss.answer:<42} {miss.finding:<18} {miss.expected:<34} {miss.got}"
                )
    return "\n".join(lines)


def to_json(
    scores: Mapping[str, Score],
    answers: Sequence[Answer],
    seconds: float,
    parts: Mapping[str, Mapping[str, Score]] | None = None,
) -> str:
    mean, names = overall(scores)
    doc: dict[str, Any] = {
        "answers": len(answers),
        "files": sorted({a.file for a in answers}),
        "analysis_seconds": round(seconds, 3),
        "overall": _round(mean),
        "overall_of": names,
        "not_produced": [s.name for s in scores.values() if not s.produced],
        "findings": [s.to_dict() for s in scores.values()],
        "misses": [m.to_dict() for s in scores.values() for m in s.misses],
    }
    if parts:
        doc["splits"] = {
            name: {
                "answers": sum(1 for a in answers if in_split(a, name)),
                "overall": _round(overall(part)[0]),
                "agreement": {s.name: _round(s.agreement) for s in part.values() if s.produced},
            }
            for name, part in parts.items()
        }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Agreement of the analysis with the labelled corpus (tests/corpus).",
        epilog="example: .venv/bin/python scripts/bench_corpus.py --show-misses --finding fillers",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="directory of *.toml")
    parser.add_argument("--show-misses", action="store_true", help="list every disagreement")
    parser.add_argument("--finding", choices=ORDER, help="with --show-misses: only this finding")
    parser.add_argument(
        "--split",
        choices=SPLITS,
        default="all",
        help="score only the dev or the held-out answers (default: all, with both as columns)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    try:
        answers = [a for a in load_corpus(args.corpus) if in_split(a, args.split)]
    except CorpusError as exc:
        print(f"bench_corpus: {exc}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    docs = {a.id: run_analysis(a) for a in answers}
    seconds = time.perf_counter() - start
    scores = score_corpus(answers, lambda a: docs[a.id])
    parts: dict[str, dict[str, Score]] = {}
    if args.split == "all":
        for name in SPLITS[1:]:
            part = [a for a in answers if in_split(a, name)]
            parts[name] = score_corpus(part, lambda a: docs[a.id])
    if args.json:
        print(to_json(scores, answers, seconds, parts))
    else:
        print(
            render(
                scores,
                answers,
                seconds,
                show_misses=args.show_misses,
                only=args.finding,
                parts=parts,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
