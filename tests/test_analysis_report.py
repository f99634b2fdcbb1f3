"""analyze(): the exact JSON document, typed transcripts, invariants on any input, speed."""

from __future__ import annotations

import ast
import itertools
import json
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analysis_helpers import STAR_ANSWER, timed
from voicemock.analysis import SCHEMA, Analysis, analyze
from voicemock.timing import Target, fmt_clock
from voicemock.transcript import Span, Transcript, Word

# -- the schema ---------------------------------------------------------------------------

NUM = "number"
OPT_NUM = "number|null"
OPT_STR = "string|null"


def nullable(spec: Any) -> tuple[str, Any]:
    return ("nullable", spec)


def finding(**extra: Any) -> dict[str, Any]:
    return {**extra, "start": OPT_NUM, "word_index": int, "word_count": int}


DOCUMENT: dict[str, Any] = {
    "schema": int,
    "question": OPT_STR,
    "model": OPT_STR,
    "duration_s": OPT_NUM,
    "target": {"min_s": NUM, "max_s": NUM, "cap_s": NUM},
    "timing_verdict": nullable({"short", "on_target", "long", "over_cap"}),
    "timing": nullable({"duration_s": NUM, "verdict": str, "seconds_to_window": NUM}),
    "transcript": str,
    "words": [{"word": str, "start": OPT_NUM, "end": OPT_NUM, "probability": OPT_NUM}],
    "fillers": [finding(text=str, kind={"hesitation", "discourse"})],
    "filler_summary": {
        "count": int,
        "hesitation": int,
        "discourse": int,
        "per_minute": OPT_NUM,
        "by_text": ("mapping", int),
    },
    "hesitations": nullable([{"start": NUM, "end": NUM}]),
    "hedges": [finding(text=str)],
    "ownership": {
        "i_count": int,
        "we_count": int,
        "i_we_ratio": OPT_NUM,
        "strong": [finding(phrase=str)],
        "weak": [finding(phrase=str)],
    },
    "metrics": [
        finding(text=str, kind={"percent", "money", "count", "duration", "ratio", "change"})
    ],
    "structure": {
        "phases": [
            {
                "name": {"context", "problem", "action", "result", "lesson"},
                "start": OPT_NUM,
                "end": OPT_NUM,
                "duration_s": OPT_NUM,
                "budget_s": nullable(("pair", NUM)),
                "word_index": int,
                "word_count": int,
            }
        ],
        "result_has_metric": bool,
        "has_lesson": bool,
        "because_count": int,
        "reasons": [finding(text=str)],
        "lp_name_drops": [finding(principle=str, text=str)],
    },
    "delivery": {
        "word_count": int,
        "speaking_s": OPT_NUM,
        "wpm": OPT_NUM,
        "wpm_by_30s": nullable([{"start": NUM, "end": NUM, "wpm": NUM}]),
        "long_pauses": nullable([{"start": NUM, "duration": NUM}]),
    },
    "advice": [{"topic": str, "text": str}],
}


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check(value: Any, spec: Any, path: str = "$") -> None:
    """Fail with the path of the first value that does not match ``spec``."""
    if isinstance(spec, tuple) and spec[0] == "nullable":
        if value is not None:
            check(value, spec[1], path)
        return
    if isinstance(spec, tuple) and spec[0] == "mapping":
        assert isinstance(value, dict), path
        for k, v in value.items():
            assert isinstance(k, str), path
            check(v, spec[1], f"{path}.{k}")
        return
    if isinstance(spec, tuple) and spec[0] == "pair":
        assert isinstance(value, list) and len(value) == 2, path
        for n, v in enumerate(value):
            check(v, spec[1], f"{path}[{n}]")
        return
    if spec == NUM:
        assert is_number(value), f"{path}: {value!r} is not a number"
    elif spec == OPT_NUM:
        assert value is None or is_number(value), f"{path}: {value!r}"
    elif spec == OPT_STR:
        assert value is None or isinstance(value, str), f"{path}: {value!r}"
    elif isinstance(spec, set):
        assert value in spec, f"{path}: {value!r} not one of {sorted(spec)}"
    elif isinstance(spec, dict):
        assert isinstance(value, dict), f"{path}: not an object"
        assert set(value) == set(spec), f"{path}: keys {sorted(set(value) ^ set(spec))} differ"
        for key, sub in spec.items():
            check(value[key], sub, f"{path}.{key}")
    elif isinstance(spec, list):
        assert isinstance(value, list), f"{path}: not a list"
        for n, item in enumerate(value):
            check(item, spec[0], f"{path}[{n}]")
    elif spec is int:
        assert isinstance(value, int) and not isinstance(value, bool), f"{path}: {value!r}"
    else:
        assert isinstance(value, spec), f"{path}: {value!r} is not {spec}"


def walk_numbers(value: Any, path: str = "$") -> list[tuple[str, float]]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in walk_numbers(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [x for n, v in enumerate(value) for x in walk_numbers(v, f"{path}[{n}]")]
    return [(path, value)] if is_number(value) else []


def test_the_document_has_exactly_the_specified_keys_and_types() -> None:
    script = timed(STAR_ANSWER)
    d = analyze(script.transcript, question="Tell me about a time.", model="tiny.en").to_dict()
    check(d, DOCUMENT)
    assert d["schema"] == SCHEMA == 1
    assert (d["question"], d["model"]) == ("Tell me about a time.", "tiny.en")
    assert json.loads(json.dumps(d, allow_nan=False)) == d
    # every list of findings is non-empty in this answer, so every item shape was checked
    for key in ("fillers", "hedges", "metrics", "hesitations", "advice"):
        assert d[key], key
    assert d["structure"]["reasons"] and d["structure"]["lp_name_drops"]
    assert d["ownership"]["strong"] and d["ownership"]["weak"]
    assert d["delivery"]["long_pauses"] and d["delivery"]["wpm_by_30s"]


def test_times_are_rounded_to_hundredths() -> None:
    d = analyze(timed(STAR_ANSWER).transcript).to_dict()
    for path, value in walk_numbers(d):
        if path.endswith((".start", ".end", "duration_s", ".duration", "speaking_s")):
            assert round(value, 2) == value, path


def test_document_words_and_transcript_come_from_the_words() -> None:
    words = (Word("Um,", 0.0, 0.3, 0.51234), Word("22%", 0.5, 0.9, 0.9))
    d = analyze(Transcript.from_words(words, 1.5, [Span(0.0, 1.0)])).to_dict()
    assert d["transcript"] == "Um, 22%"
    assert d["words"] == [w.to_dict() for w in words]
    assert d["words"][0]["probability"] == 0.512


# -- typed transcripts --------------------------------------------------------------------


def test_typed_transcript_gives_null_for_every_time_based_finding() -> None:
    text = STAR_ANSWER.replace("<pause 2.4>", "").replace("<pause 3.1>", "")
    d = analyze(Transcript.from_text(text.replace("<voice 0.7>", ""))).to_dict()
    check(d, DOCUMENT)
    assert d["duration_s"] is None and d["timing_verdict"] is None and d["timing"] is None
    assert d["hesitations"] is None
    assert d["filler_summary"]["per_minute"] is None
    assert d["filler_summary"]["count"] > 0
    delivery = d["delivery"]
    assert delivery["word_count"] == len(d["words"]) > 0
    assert [delivery[k] for k in ("speaking_s", "wpm", "wpm_by_30s", "long_pauses")] == [None] * 4
    starts = [(path, v) for path, v in walk_numbers(d) if path.endswith((".start", ".end"))]
    assert starts == []  # no time anywhere, only counts and indices
    for phase in d["structure"]["phases"]:
        assert (phase["start"], phase["end"], phase["duration_s"]) == (None, None, None)
    assert d["target"] == {"min_s": 150.0, "max_s": 210.0, "cap_s": 240.0}


def test_an_empty_transcript_is_analysed_without_findings() -> None:
    d = analyze(Transcript(words=())).to_dict()
    check(d, DOCUMENT)
    assert d["transcript"] == "" and d["words"] == [] and d["advice"] == []
    assert d["structure"]["phases"] == []


def test_target_and_question_pass_through() -> None:
    target = Target(60, 90, 120)
    a = analyze(timed("I decided to ship it.").transcript, target, question="Q?")
    d = a.to_dict()
    assert d["target"] == {"min_s": 60, "max_s": 90, "cap_s": 120}
    assert d["timing_verdict"] == "short" == d["timing"]["verdict"]
    assert d["question"] == "Q?" and d["model"] is None


# -- invariants on arbitrary input ----------------------------------------------------------

TRICKY = [
    "um", "Um,", "uh.", "Ummm", "like", "Like,", "like,", "you", "know,", "know?", "I", "mean,",
    "so", "So,", "Well,", "right?", "okay", "actually,", "basically", "22%", "$1.2", "$3.4M",
    "million", "dollars", "from", "to", "81%", "one", "point", "two", "twenty-two", "percent",
    "half", "a", "third", "doubled", "by", "reduced", "Customer", "Obsession.", "Ownership:",
    "Dive", "Deep", "—", "because", "since", "we", "decided", "I'm", "not", "sure", "owned",
    "team", "The", "result", "was", "I", "learned", "lesson.", "...", "", " ", "US", "kind",
    "of", "2,000", "weeks", "times", "faster", "in", "2019", "?", ".", ",", "NPS", "45",
]  # fmt: skip
word_texts = st.one_of(st.sampled_from(TRICKY), st.text(max_size=10))
times = st.floats(min_value=0, max_value=30, allow_nan=False)


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    texts = draw(st.lists(word_texts, max_size=80))
    if not draw(st.booleans()):
        return Transcript(words=tuple(Word(t) for t in texts))
    words = []
    t = draw(times)
    for text in texts:
        start = t + draw(st.floats(min_value=-1, max_value=3))
        end = start + draw(st.floats(min_value=-0.5, max_value=2))
        missing = draw(st.integers(0, 15))
        words.append(
            Word(
                text,
                None if missing == 0 else start,
                None if missing == 1 else end,
                draw(st.none() | st.floats(0, 1)),
            )
        )
        t = max(t, start)
    duration = draw(st.floats(min_value=0, max_value=600, allow_nan=False))
    regions = draw(st.lists(st.tuples(times, times), max_size=15))
    speech = tuple(Span(a * 10, a * 10 + b) for a, b in regions)
    return Transcript(words=tuple(words), duration=duration, speech=speech)


targets = st.builds(
    lambda lo, span, extra: Target(lo, lo + span, lo + span + extra),
    st.floats(min_value=1, max_value=300),
    st.floats(min_value=0, max_value=300),
    st.floats(min_value=0, max_value=120),
)


def spans_of(d: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = [("fillers", f) for f in d["fillers"]]
    out += [("hedges", h) for h in d["hedges"]]
    out += [("strong", a) for a in d["ownership"]["strong"]]
    out += [("weak", a) for a in d["ownership"]["weak"]]
    out += [("metrics", m) for m in d["metrics"]]
    out += [("reasons", r) for r in d["structure"]["reasons"]]
    out += [("lp", x) for x in d["structure"]["lp_name_drops"]]
    out += [("phases", p) for p in d["structure"]["phases"]]
    return out


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(transcripts(), st.none() | targets)
def test_analyze_never_raises_and_keeps_its_invariants(
    transcript: Transcript, target: Target | None
) -> None:
    d = analyze(transcript, target).to_dict()
    check(d, DOCUMENT)
    json.dumps(d, allow_nan=False)
    n = len(transcript.words)
    assert len(d["words"]) == n == d["delivery"]["word_count"]
    for kind, item in spans_of(d):
        assert 0 <= item["word_index"] < n, kind
        assert 1 <= item["word_count"] <= n - item["word_index"], kind
    # counts agree with the lists
    summary = d["filler_summary"]
    assert summary["count"] == len(d["fillers"]) == sum(summary["by_text"].values())
    assert summary["count"] == summary["hesitation"] + summary["discourse"]
    assert Counter(f["text"] for f in d["fillers"]) == Counter(summary["by_text"])
    assert d["structure"]["because_count"] == len(d["structure"]["reasons"])
    # fillers and metrics never overlap each other; phases cover every word once, in order
    for key in ("fillers", "metrics"):
        stops = [(x["word_index"], x["word_index"] + x["word_count"]) for x in d[key]]
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(stops)), key
    covered = 0
    for phase in d["structure"]["phases"]:
        assert phase["word_index"] == covered
        covered += phase["word_count"]
    assert covered == n
    # time-based findings exist only for timed transcripts
    if transcript.duration is None:
        assert d["timing"] is None and d["hesitations"] is None
        assert d["delivery"]["wpm"] is None and d["filler_summary"]["per_minute"] is None
    else:
        assert d["timing_verdict"] == d["timing"]["verdict"]
        for pause in d["delivery"]["long_pauses"] or []:
            assert pause["duration"] >= 2.0
        for h in d["hesitations"] or []:
            assert h["end"] - h["start"] >= 0.3 - 0.011
    for item in d["advice"]:
        assert item["topic"] and item["text"]


def test_analysis_is_deterministic() -> None:
    transcript = timed(STAR_ANSWER).transcript
    assert analyze(transcript).to_dict() == analyze(transcript).to_dict()


# -- a realistic answer, end to end ---------------------------------------------------------


def test_a_three_minute_star_answer_end_to_end() -> None:
    script = timed(STAR_ANSWER)
    transcript = script.transcript
    words = transcript.words
    a = analyze(transcript, question="Tell me about a time you improved a metric.")
    assert isinstance(a, Analysis)
    d = a.to_dict()

    def at(text: str, nth: int = 0) -> float:
        start = words[script.index_of(text, nth)].start
        assert start is not None
        return start

    # timing: about three minutes, inside the window
    assert 150 <= d["duration_s"] <= 210 and d["timing_verdict"] == "on_target"

    # fillers: exactly what was planted, where it was planted
    assert [(f["text"], f["word_index"]) for f in d["fillers"]] == [
        ("so", script.index_of("So,")),
        ("um", script.index_of("um,", 0)),
        ("uh", script.index_of("Uh,")),
        ("like", script.index_of("like,")),
        ("um", script.index_of("um,", 1)),
        ("so", script.index_of("So", 0)),
        ("uh", script.index_of("uh,")),
    ]
    assert d["filler_summary"]["per_minute"] == round(7 * 60 / d["duration_s"], 1)
    assert [h["text"] for h in d["hedges"]] == ["I think", "kind of"]

    # the unworded hesitation and the two silences, from the speech map
    ((v_start, v_end),) = script.voices
    (hes,) = d["hesitations"]
    assert hes["start"] <= v_start + 0.05 and hes["end"] >= v_end - 0.05
    assert [(p["start"], p["duration"]) for p in d["delivery"]["long_pauses"]] == [
        (pytest.approx(s, abs=0.011), pytest.approx(length, abs=0.011))
        for s, length in script.pauses
    ]

    # ownership: "we decided" is weak, the I-phrases are strong
    own = d["ownership"]
    assert [x["phrase"] for x in own["weak"]] == ["Our team owned", "We decided"]
    assert [x["phrase"] for x in own["strong"]] == [
        "I decided", "I wrote", "I proposed", "I, uh, personally owned", "I launched",
    ]  # fmt: skip
    assert own["weak"][1]["start"] == round(at("We"), 2)

    # numbers, each classified
    metrics = {(m["text"], m["kind"]) for m in d["metrics"]}
    assert {
        ("22%", "percent"),
        ("six weeks", "duration"),
        ("from 60 to 81%", "change"),
        ("1.2 million dollars a year", "money"),
        ("down by half", "change"),
        ("2,000 orders a day", "count"),
    } <= metrics
    assert not any("three" in text or text == "one" for text, _ in metrics)

    # structure: the five phases in order, the result has its number, a lesson, reasons
    s = d["structure"]
    assert [p["name"] for p in s["phases"]] == ["context", "problem", "action", "result", "lesson"]
    starts = {p["name"]: p["start"] for p in s["phases"]}
    assert starts["problem"] == round(at("The", 0), 2)
    i_decided = script.index_of("decided") - 1  # "I decided to, um, dig into the data"
    assert starts["action"] == words[i_decided].start
    assert starts["result"] == round(at("As"), 2)
    assert starts["lesson"] == round(at("What"), 2)
    assert s["result_has_metric"] and s["has_lesson"]
    assert [r["text"] for r in s["reasons"]] == ["because", "so that", "which meant", "because"]
    assert [x["text"] for x in s["lp_name_drops"]] == ["Customer Obsession"]

    # delivery
    assert 120 <= d["delivery"]["wpm"] <= 160
    assert len(d["delivery"]["wpm_by_30s"]) == 6

    # advice: quoted, timed, in priority order
    texts = {x["topic"]: x["text"] for x in d["advice"]}
    assert texts["ownership"].startswith(
        f"'We decided to delay the launch' ({fmt_clock(at('We'))})"
    )
    assert texts["leadership_principles"].startswith(
        f"you said 'Customer Obsession' ({fmt_clock(at('Customer'))})"
    )
    assert "timing" not in texts and "metrics" not in texts


# -- speed and import cost -------------------------------------------------------------------


def test_a_five_minute_transcript_analyses_well_under_50_ms() -> None:
    body = STAR_ANSWER.replace("<pause 2.4>", "").replace("<pause 3.1>", "")
    words = body.replace("<voice 0.7>", "").split() * 3
    transcript = timed(" ".join(words[:800])).transcript
    assert len(transcript.words) == 800
    assert 300 <= (transcript.duration or 0) <= 400  # about five and a half minutes
    analyze(transcript)
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        analyze(transcript)
        runs.append(time.perf_counter() - t0)
    assert min(runs) < 0.050, f"fastest of 7 runs took {min(runs) * 1000:.1f} ms"


def loaded_analysis_modules(statement: str) -> list[str]:
    code = (
        f"import sys; {statement}; "
        "print(sorted(m for m in sys.modules if m.startswith('voicemock.analysis.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return ast.literal_eval(out.strip())


def test_importing_timing_does_not_load_the_analysis_modules() -> None:
    # The time primitives the CLI needs at start-up load no analysis module at all ...
    assert loaded_analysis_modules("import voicemock.timing, voicemock.analysis as a") == []
    # ... and the timing finding only the document types, not the other findings.
    assert loaded_analysis_modules("import voicemock.analysis.timing, voicemock.analysis") == [
        "voicemock.analysis.document",
        "voicemock.analysis.timing",
    ]


@pytest.mark.parametrize("name", ["analyze", "Analysis", "SCHEMA"])
def test_package_exports(name: str) -> None:
    import voicemock.analysis as package

    assert getattr(package, name) is not None
    with pytest.raises(AttributeError):
        package.no_such_thing  # noqa: B018
