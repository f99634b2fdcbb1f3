"""Fillers: hesitations anywhere, discourse fillers only in filler positions; unworded voice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicemock.analysis.fillers import find_fillers, find_hesitations, summarize_fillers
from voicemock.transcript import Span, Transcript, Word


def fillers(text: str) -> list[tuple[str, int, int]]:
    return [(f.text, f.word_index, f.word_count) for f in find_fillers(Transcript.from_text(text))]


def filler_texts(text: str) -> list[str]:
    return [f for f, _, _ in fillers(text)]


# -- "like" ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "customers like fast delivery",
        "I'd like to show you the data",
        "we would like to ship sooner",
        "it looked like a map",
        "things like pricing and delivery",
        "something like that",
        "it worked just like the old one",
        "it feels like a different product",
        "it seems like the right call",
        "I really like this team",
        "nothing like it existed",
        "what it was like",
        "I like, um, the data",  # the verb, interrupted
    ],
)
def test_like_as_verb_or_preposition_is_not_a_filler(text: str) -> None:
    assert "like" not in filler_texts(text)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("it was, like, huge", 2),
        ("Like, we had no data", 0),
        ("there were like 20 people", 2),
        ("and he was like, no", 3),
        ("she was like no way", 2),
        ("it took like a hundred tickets", 2),
        ("and, um, like, the data was wrong", 2),
        ("it was like like a mess", 2),
        ("I was like this is crazy", 2),
    ],
)
def test_like_as_filler(text: str, index: int) -> None:
    assert ("like", index, 1) in fillers(text)


def test_like_as_a_simile_after_it_is_not_quotative() -> None:
    assert filler_texts("it was like a dream and it was like we were invisible") == []


# -- other discourse fillers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You know, we had no data.", [("you know", 0, 2)]),
        ("It was, you know, a mess.", [("you know", 2, 2)]),
        ("We shipped it, you know?", [("you know", 3, 2)]),
        ("Do you know the metric?", []),
        ("I asked if you know the owner.", []),
        ("you know how it works", []),
        ("I mean, it was hard.", [("i mean", 0, 2)]),
        ("What I mean is that we were late.", []),
        ("I mean it.", []),
        ("I mean to fix it.", []),
        ("Basically we rebuilt it.", [("basically", 0, 1)]),
        ("It literally broke.", [("literally", 1, 1)]),
        ("Actually, the data was wrong.", [("actually", 0, 1)]),
        ("What actually happened was simple.", []),
        ("We actually shipped it.", []),
        ("So, um, the situation was bad.", [("so", 0, 1), ("um", 1, 1)]),
        ("So we rebuilt it.", [("so", 0, 1)]),
        ("We built it so that users could pay.", []),
        ("Pricing, delivery and so on.", []),
        ("Not so much the price.", []),
        ("So far we have two.", []),
        ("Okay, so the plan was simple.", [("okay so", 0, 2)]),
        ("It was okay so we moved on.", []),
        ("Well, the plan failed.", [("well", 0, 1)]),
        ("Well over half the users left.", []),
        ("It went well.", []),
        ("Okay, well I think we were late.", [("well", 1, 1)]),
        ("They did it well, we think.", []),
        ("Right, so the plan was simple.", [("right", 0, 1), ("so", 1, 1)]),
        ("We got the pricing right.", []),
        ("We had no data, right? So, we asked.", [("right", 4, 1), ("so", 5, 1)]),
        ("We had no data, right? So we asked.", [("right", 4, 1)]),  # "so" = therefore
        ("Is that right?", []),
    ],
)
def test_discourse_fillers_in_context(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert fillers(text) == expected


def test_kind_of_and_sort_of_are_hedges_not_fillers() -> None:
    assert filler_texts("it was kind of slow and sort of broken") == []


# -- hesitations ----------------------------------------------------------------------------


def test_hesitation_spellings_are_counted_under_one_text() -> None:
    found = find_fillers(Transcript.from_text("Um, ummm, uhm. Uh uhh. Er, erm, ah. Hmm, mm."))
    assert [f.kind for f in found] == ["hesitation"] * 10
    summary = summarize_fillers(found, None)
    assert summary.by_text == {"um": 3, "uh": 2, "ah": 1, "er": 1, "erm": 1, "hmm": 1, "mm": 1}
    assert summary.count == 10 and summary.hesitation == 10 and summary.discourse == 0
    assert summary.per_minute is None


def test_summary_rate_uses_the_answer_duration_and_counts_by_text() -> None:
    script = "So, um, like, it was, um, fine."
    words = [Word(t, i * 0.5, i * 0.5 + 0.3) for i, t in enumerate(script.split())]
    found = find_fillers(words)
    assert [(f.text, f.start) for f in found] == [
        ("so", 0.0),
        ("um", 0.5),
        ("like", 1.0),
        ("um", 2.5),
    ]
    summary = summarize_fillers(found, 120.0)
    assert summary.per_minute == 2.0
    assert list(summary.by_text.items()) == [("um", 2), ("like", 1), ("so", 1)]
    assert summary.to_dict() == {
        "count": 4,
        "hesitation": 2,
        "discourse": 2,
        "per_minute": 2.0,
        "by_text": {"um": 2, "like": 1, "so": 1},
    }


def test_fillers_never_overlap() -> None:
    found = find_fillers(Transcript.from_text("Okay so, you know, I mean, like, um, so, right?"))
    covered: list[int] = []
    for f in found:
        covered.extend(range(f.word_index, f.word_index + f.word_count))
    assert len(covered) == len(set(covered))


# -- unworded hesitations from the speech map ------------------------------------------------


def test_voice_without_words_is_an_unlabelled_hesitation() -> None:
    words = [Word("we", 1.0, 1.3), Word("shipped", 1.35, 1.8), Word("it", 2.6, 2.8)]
    speech = [Span(0.95, 2.85), Span(4.0, 4.25), Span(5.0, 5.6)]
    found = find_hesitations(Transcript.from_words(words, 6.0, speech))
    assert found is not None
    assert [(round(h.start, 2), round(h.end, 2)) for h in found] == [(1.8, 2.6), (5.0, 5.6)]
    # 0.95-1.0 and 2.8-2.85 are too short; 4.0-4.25 is under 0.3 s


def test_hesitation_threshold_is_inclusive_and_adjustable() -> None:
    words = [Word("a", 0.0, 1.0), Word("b", 1.5, 2.0)]  # 0.5 s of voice with no word
    transcript = Transcript.from_words(words, 2.0, [Span(0.0, 2.0)])
    assert [(h.start, h.end) for h in find_hesitations(transcript) or []] == [(1.0, 1.5)]
    assert find_hesitations(transcript, min_s=0.51) == []
    short = [Word("a", 0.0, 1.0), Word("b", 1.3, 2.0)]  # 0.3 s: a breath, not a hesitation
    assert find_hesitations(Transcript.from_words(short, 2.0, [Span(0.0, 2.0)])) == []
    assert find_hesitations(Transcript.from_words(short, 2.0, [Span(0.0, 2.0)]), min_s=0.3)


def test_no_speech_map_means_no_hesitation_finding() -> None:
    assert find_hesitations(Transcript.from_text("um so we shipped")) is None
    timed_without_map = Transcript.from_words([Word("a", 0.0, 0.5)], 1.0)
    assert find_hesitations(timed_without_map) is None


# -- real verbatim references -----------------------------------------------------------


def ami_words(ref: Path) -> list[tuple[Word, str]]:
    """The spoken tokens of an AMI reference as words (punctuation attached) and their kind."""
    out: list[tuple[Word, str]] = []
    for t in json.loads(ref.read_text(encoding="utf-8"))["words"]:
        if t["kind"] == "punc" and out:
            word, kind = out[-1]
            out[-1] = (Word(word.text + t["text"], word.start, word.end), kind)
        elif t["kind"] in ("word", "filled_pause", "hum", "backchannel"):
            out.append((Word(t["text"], t["start"], t["end"]), t["kind"]))
    return out


def test_every_annotated_filled_pause_in_the_ami_references_is_found(shared_audio: Path) -> None:
    """AMI's manual annotations mark each um/uh/ah/hmm/mm: find all of them and nothing else."""
    refs = sorted((shared_audio / "ami").glob("*.ref.json"))
    assert refs, "no AMI references"
    annotated = found = false_alarms = 0
    for ref in refs:
        tokens = ami_words(ref)
        found_here = find_fillers([w for w, _ in tokens])
        hits = {f.word_index for f in found_here if f.kind == "hesitation"}
        for n, (_, kind) in enumerate(tokens):
            if kind in ("filled_pause", "hum"):
                annotated += 1
                found += n in hits
            elif n in hits:
                false_alarms += 1
    assert annotated >= 25  # 14 filled pauses and 12 hums in the 14 clips
    assert (found, false_alarms) == (annotated, 0)


# -- issue 11: "so" meaning *therefore* is not a filler ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "She was worried about fraud. So I proposed a two-market launch.",
        "We had no budget. So we borrowed two engineers from payments.",
        "The data was stale, so I rebuilt it.",
        "We shipped late, and so we had a whole team on call.",
        "It was so slow that users left.",
        "So many small things had added up.",
        "So far nobody had tested it.",
        "I built it so that users could pay.",
        "We waited a week or so.",
        "She said so in the review.",
    ],
)
def test_so_that_means_therefore_purpose_or_degree_is_not_a_filler(text: str) -> None:
    assert "so" not in filler_texts(text)


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("So at Tutorloop we had this idea.", 0),  # opening the answer
        ("Sure. So I was the PM for checkout.", 1),  # opening it after "Sure."
        ("So, at Stayhub we had a problem.", 0),
        ("We shipped. So, that's how I handled it.", 2),  # wrapping up
        ("It was late. So my answer is: test early.", 3),
        ("We had a fax backlog. So the thing is, clinics hated it.", 5),  # restarting
        ("It worked. Um, so what I did next was simple.", 3),  # piled onto "um"
        ("It was bad. And, so, the volume dropped.", 4),
        ("We met weekly. And so, basically, everyone agreed.", 4),
    ],
)
def test_so_as_a_discourse_marker_is_a_filler(text: str, index: int) -> None:
    assert ("so", index, 1) in fillers(text)
