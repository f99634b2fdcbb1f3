"""Progress figures: per answer, per session (pooled), the trend, attempt against attempt."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from voicemock.analysis import analyze
from voicemock.analysis.timing import Target
from voicemock.progress import (
    AnswerFigures,
    Filters,
    TagIndex,
    attempts,
    build,
    compare,
    doc_figures,
    ordinal,
    session_point,
    session_points,
    trend,
)
from voicemock.storage import Store
from voicemock.transcript import Transcript

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def doc(
    duration: float | None = 180.0,
    fillers: int = 6,
    owned: int = 1,
    weak: int = 0,
    result: bool = True,
    reasons: int = 2,
    wpm: float | None = 150.0,
    i: int = 10,
    we: int = 5,
) -> dict[str, Any]:
    """An analysis document with just the keys progress reads."""
    return {
        "schema": 1,
        "duration_s": duration,
        "target": {"min_s": 150.0, "max_s": 210.0, "cap_s": 240.0},
        "filler_summary": {
            "count": fillers,
            "per_minute": None if duration is None else round(fillers / duration * 60, 2),
        },
        "ownership": {
            "i_count": i,
            "we_count": we,
            "strong": [{"phrase": f"I decided {n}"} for n in range(owned)],
            "weak": [{"phrase": "we decided"} for _ in range(weak)],
        },
        "structure": {"result_has_metric": result, "because_count": reasons},
        "delivery": {"wpm": wpm, "word_count": 400},
    }


def figures(session: int, n: int, d: dict[str, Any], *, minute: int = 0) -> AnswerFigures:
    f = doc_figures(d)
    return AnswerFigures(
        answer_id=session * 10 + n,
        session_id=session,
        position=n,
        started_at=T0 + timedelta(days=session, minutes=minute),
        question_id=f"q{n}",
        question_text="Q?",
        set_name="amazon-pm",
        tags=("ownership",),
        story_id=None,
        target=f.target,
        duration_s=f.duration_s,
        verdict=f.verdict,
        seconds_from_window=f.seconds_from_window,
        fillers=f.fillers,
        fillers_per_min=f.fillers_per_min,
        i_count=f.i_count,
        we_count=f.we_count,
        owned=f.owned,
        shared=f.shared,
        owned_phrases=f.owned_phrases,
        result_has_number=f.result_has_number,
        reasons=f.reasons,
        wpm=f.wpm,
        word_count=f.word_count,
    )


def test_doc_figures() -> None:
    f = doc_figures(doc(duration=120.0, fillers=4, owned=2, weak=1))
    assert (f.verdict, f.seconds_from_window) == ("short", -30.0)
    assert f.fillers_per_min == 2.0 and f.owned == 2 and f.shared == 1
    assert doc_figures(doc(duration=250.0)).seconds_from_window == 40.0
    assert doc_figures(doc(duration=200.0)).seconds_from_window == 0.0
    empty = doc_figures({})
    assert (empty.duration_s, empty.fillers_per_min, empty.result_has_number, empty.owned) == (
        None,
        None,
        None,
        None,
    )
    odd = doc_figures({"filler_summary": "x", "ownership": {"strong": 5}, "structure": []})
    assert odd.owned == 0 and odd.fillers is None


def test_a_session_point_pools_its_answers_by_hand() -> None:
    answers = [
        figures(1, 1, doc(duration=120.0, fillers=6, result=True, reasons=1, wpm=140.0, i=8, we=4)),
        figures(
            1, 2, doc(duration=180.0, fillers=3, result=False, reasons=3, wpm=160.0, i=6, we=3)
        ),
        figures(1, 3, doc(duration=240.0, fillers=0, result=True, reasons=2, wpm=None, i=2, we=0)),
    ]
    p = session_point(1, answers)
    assert (p.answers, p.timed, p.in_window) == (3, 3, 1)
    assert p.in_window_share == pytest.approx(1 / 3)
    assert p.avg_duration_s == pytest.approx(180.0)
    # -30 (short), 0 (inside), +30 (past the window) -> 0 on average
    assert p.avg_seconds_from_window == pytest.approx(0.0)
    assert p.fillers_per_min == pytest.approx(9 / 9)  # 9 fillers in 9 minutes
    assert (p.i_count, p.we_count) == (16, 7)
    assert p.i_we_ratio == pytest.approx(16 / 7)
    assert p.result_number_share == pytest.approx(2 / 3)
    assert p.reasons_per_answer == pytest.approx(2.0)
    assert p.wpm == pytest.approx((140 * 120 + 160 * 180) / 300)  # weighted by duration
    assert p.started_at == T0 + timedelta(days=1)


def test_typed_answers_have_no_timing() -> None:
    p = session_point(1, [figures(1, 1, doc(duration=None, wpm=None))])
    assert (p.timed, p.avg_duration_s, p.in_window_share, p.fillers_per_min, p.wpm) == (
        0,
        None,
        None,
        None,
        None,
    )
    assert p.result_number_share == 1.0


def test_session_points_and_trend() -> None:
    answers = [
        figures(2, 1, doc(duration=100.0, fillers=10, result=False, reasons=0)),
        figures(1, 1, doc(duration=90.0, fillers=12, result=False, reasons=0)),
        figures(3, 1, doc(duration=180.0, fillers=3, result=True, reasons=3)),
    ]
    points = session_points(answers)
    assert [p.session_id for p in points] == [1, 2, 3]
    lines = {t.key: t for t in trend(points)}
    assert lines["fillers_per_min"].improved is True
    assert lines["fillers_per_min"].text == "8.0 → 1.0"
    assert lines["in_window_share"].values == (0.0, 0.0, 1.0)
    assert lines["in_window_share"].improved is True
    assert lines["avg_duration_s"].improved is True  # from 1:30 short to inside the window
    assert lines["result_number_share"].text == "0% → 100%"
    assert lines["i_we_ratio"].improved is None  # 2.0 throughout
    worse = {t.key: t for t in trend(list(reversed(points)))}
    assert worse["fillers_per_min"].improved is False
    assert trend([])[0].text == "-"


# -- compare ------------------------------------------------------------------------------------


def test_compare_words_what_changed() -> None:
    before = doc(duration=100.0, fillers=8, owned=1, result=False, reasons=0)
    after = doc(duration=180.0, fillers=3, owned=3, result=True, reasons=2)
    c = compare(before, after)
    texts = {x.key: x.text for x in c.changes}
    assert texts == {
        "length": "now in the 2:30–3:30 window",
        "fillers": "3.8 fewer fillers per minute",
        "owned": "2 more owned decisions",
        "result": "result now has a number",
        "reasons": "2 more reasons",
    }
    assert all(x.better for x in c.changes)
    assert c.headline(3, "telling") == (
        "third telling: now in the 2:30–3:30 window, 3.8 fewer fillers per minute,"
        " 2 more owned decisions, result now has a number, 2 more reasons"
    )
    details = {x.key: x.detail for x in c.changes}
    assert details["length"] == "length 1:40 → 3:00"
    assert details["fillers"] == "fillers 4.8 → 1.0 per minute"
    assert details["owned"] == "owned decisions 1 → 3 ('I decided 1', 'I decided 2')"


def test_compare_worse_and_the_same() -> None:
    before = doc(duration=180.0, fillers=3, owned=2, result=True, reasons=2)
    after = doc(duration=250.0, fillers=9, owned=1, result=False, reasons=1)
    c = compare(before, after)
    assert {x.key: x.text for x in c.changes} == {
        "length": "now 0:40 past the window",
        "fillers": "1.2 more fillers per minute",
        "owned": "1 fewer owned decision",
        "result": "result lost its number",
        "reasons": "1 fewer reason",
    }
    assert len(c.worse) == 5 and c.improved == ()
    same = compare(before, doc(duration=185.0, fillers=3, owned=2, result=True, reasons=2))
    assert same.notable == ()
    assert same.headline(2) == "second attempt: about the same as last time"


def test_compare_lengths_outside_the_window() -> None:
    c = compare(doc(duration=60.0), doc(duration=120.0))
    (length,) = [x for x in c.changes if x.key == "length"]
    assert length.text == "1:00 longer, 0:30 short of the window" and length.better is True


def test_compare_typed_answers_counts_fillers() -> None:
    a = analyze(Transcript.from_text("So, um, I decided to, uh, cut costs by 30%.")).to_dict()
    b = analyze(
        Transcript.from_text("I decided to cut costs by 30% because margins fell.")
    ).to_dict()
    c = compare(a, b)
    keys = {x.key: x for x in c.changes}
    assert "length" not in keys
    assert keys["fillers"].text == "3 fewer fillers"
    assert keys["reasons"].text == "1 more reason"
    assert compare({}, {}).changes == ()


def test_ordinal() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 10, 11, 12, 13, 21, 22, 23, 101)] == [
        "first", "second", "third", "tenth", "11th", "12th", "13th", "21st", "22nd", "23rd",
        "101st",
    ]  # fmt: skip


def test_attempts_in_order_each_against_the_last() -> None:
    d1, d2, d3 = doc(fillers=9), doc(fillers=6), doc(fillers=6, result=False)
    found = attempts([(figures(3, 1, d3), d3), (figures(1, 1, d1), d1), (figures(2, 1, d2), d2)])
    assert [a.number for a in found] == [1, 2, 3]
    assert [a.figures.session_id for a in found] == [1, 2, 3]
    assert found[0].since_last is None
    assert found[1].since_last is not None
    assert (
        found[1].since_last.headline(2, "telling") == "second telling: 1 fewer fillers per minute"
    )
    assert found[2].since_last is not None
    assert found[2].since_last.headline(3, "telling") == "third telling: result lost its number"


# -- from the database --------------------------------------------------------------------------


def test_build_filters_by_date_story_tag_and_question(voicemock_home: Path) -> None:
    clock_times = iter(T0 + timedelta(minutes=n) for n in range(100))
    with Store.open(voicemock_home, clock=lambda: next(clock_times)) as store:
        ids = []
        for day, qid in ((0, "a"), (1, "b"), (2, "a")):
            s = store.create_session(set_name="mine")
            r = store.start_answer(
                s.id, question_id=qid, question_text="Q?", started_at=T0 + timedelta(days=day)
            )
            store.complete_answer(r.id, duration_s=180.0, transcript="x", analysis=doc())
            ids.append(r.id)
        story = store.stories.add("S")
        store.stories.link(ids[0], story.id)
        store.stories.link(ids[2], story.id)
        records = store.all_answers()
        links = {k: v.story_id for k, v in store.stories.links().items()}
    tags = TagIndex.fixed({("mine", "a"): ("ownership",), ("mine", "b"): ("dive-deep",)})
    everything = build(records, tags=tags, links=links)
    assert [p.session_id for p in everything.sessions] == [1, 2, 3] and everything.attempts == ()
    since = build(records, tags=tags, links=links, filters=Filters(since=T0 + timedelta(days=1)))
    assert [a.answer_id for a in since.answers] == [ids[1], ids[2]]
    told = build(records, tags=tags, links=links, filters=Filters(story_id=story.id))
    assert [a.answer_id for a in told.answers] == [ids[0], ids[2]]
    assert [a.number for a in told.attempts] == [1, 2]
    tagged = build(records, tags=tags, links=links, filters=Filters(tag="dive-deep"))
    assert [a.answer_id for a in tagged.answers] == [ids[1]]
    assert tagged.answers[0].tags == ("dive-deep",)
    one = build(records, tags=tags, links=links, filters=Filters(question_id="a"))
    assert len(one.attempts) == 2
    data = told.to_dict()
    assert data["filters"]["story"] == story.id and len(data["sessions"]) == 2


def test_tag_index_tolerates_missing_sets() -> None:
    from voicemock.errors import InputError

    def lookup(name: str) -> Any:
        raise InputError(f"no set {name}")

    index = TagIndex(lookup)
    assert index.tags("gone", "q1") == () and index.tags(None, "q1") == ()


def test_target_windows_of_other_sets() -> None:
    f = doc_figures(doc(duration=100.0), target=Target(60, 120, 150))
    assert (f.verdict, f.seconds_from_window) == ("on_target", 0.0)
