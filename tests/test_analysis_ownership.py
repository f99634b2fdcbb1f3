"""Ownership: "I decided" is strong, "we decided" shared and "I helped" weak; I/we counts.

A phrase runs from the subject to the main verb (a particle included): the tests check that
the clause is found and classified, and that its phrase starts the way the speaker said it.
"""

from __future__ import annotations

import pytest

from voicemock.analysis.ownership import find_ownership
from voicemock.transcript import Transcript, Word


def strong_weak(text: str) -> tuple[list[str], list[str]]:
    o = find_ownership(Transcript.from_text(text))
    return [a.phrase for a in o.strong], [a.phrase for a in o.weak]


def found_as(found: list[str], phrase: str) -> bool:
    """One phrase found, and it is ``phrase`` or its subject-and-verb start ("I made" for
    "I made the call", "I tried" for "I tried to")."""
    return len(found) == 1 and phrase.startswith(found[0]) and len(found[0].split()) >= 2


@pytest.mark.parametrize(
    "phrase",
    [
        "I decided", "I owned", "I built", "I chose", "I wrote", "I killed", "I led", "I drove",
        "I designed", "I proposed", "I pushed back", "I convinced", "I made the call", "I set",
        "I launched", "I negotiated", "I hired", "I fired", "I cut", "I prioritised",
        "I prioritized", "I personally decided", "I then wrote", "I, um, decided",
        "I've decided", "I eventually convinced",
    ],
)  # fmt: skip
def test_strong_ownership(phrase: str) -> None:
    strong, weak = strong_weak(f"{phrase} it.")
    assert found_as(strong, phrase) and weak == []


@pytest.mark.parametrize(
    "phrase",
    [
        "we decided", "we chose", "we built", "the team decided", "I helped", "I supported",
        "I was involved", "I was heavily involved", "I was part of",
        "I collaborated", "I assisted", "I contributed", "I participated", "I tried to",
        "our team chose", "we eventually launched", "we made the call",
    ],
)  # fmt: skip
def test_weak_agency(phrase: str) -> None:
    strong, weak = strong_weak(f"Then {phrase} it.")
    assert strong == [] and found_as(weak, phrase)


def test_we_decided_is_never_strong() -> None:
    strong, weak = strong_weak(
        "We decided. We personally decided. we, um, decided. Then we decided and I decided."
    )
    assert strong == ["I decided"]
    assert weak == ["We decided", "We personally decided", "we, um, decided", "we decided"]


@pytest.mark.parametrize(
    "text",
    [
        "I never decided anything.",
        "I almost decided to quit.",
        "I didn't decide.",
        "I had decided nothing.",
        "The decision was made.",
    ],
)
def test_no_claim_without_the_speaker_doing_it(text: str) -> None:
    assert strong_weak(text) == ([], [])


def test_pronoun_counts_and_ratio() -> None:
    o = find_ownership(
        Transcript.from_text(
            "I'm sure I'd do it, I've done it: me, my, mine, myself. I'll go. "
            "We're here, we'd go, we've been, we'll see; us, our, ours, ourselves, we."
        )
    )
    assert (o.i_count, o.we_count) == (8, 9)
    assert o.i_we_ratio == 0.89


def test_us_the_country_and_the_filler_i_mean_are_not_pronouns() -> None:
    o = find_ownership(Transcript.from_text("I mean, we sold in the US and U.S. markets for us."))
    assert (o.i_count, o.we_count) == (0, 2)


def test_ratio_is_null_without_we() -> None:
    o = find_ownership(Transcript.from_text("I decided and I built it."))
    assert (o.i_count, o.we_count, o.i_we_ratio) == (2, 0, None)
    assert o.to_dict()["i_we_ratio"] is None


def test_agency_carries_start_and_span() -> None:
    words = [Word("so", 0.0, 0.2), Word("we", 1.0, 1.2), Word("decided.", 1.25, 1.7)]
    o = find_ownership(words)
    assert [a.to_dict() for a in o.weak] == [
        {"phrase": "we decided", "kind": "shared", "start": 1.0, "word_index": 1, "word_count": 2}
    ]


# -- issue 11: a first-person subject with any action verb -------------------------------


def kinds(text: str) -> list[tuple[str, str]]:
    o = find_ownership(Transcript.from_text(text))
    return [(a.phrase, a.kind) for a in sorted([*o.strong, *o.weak], key=lambda a: a.word_index)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I ran the partner portal for a quarter.", "I ran"),
        ("I broke the migration into three waves.", "I broke"),
        ("I personally phoned our twenty largest merchants.", "I personally phoned"),
        ("I took responsibility in the postmortem.", "I took"),
        ("The memo I wrote convinced her.", "I wrote"),
        ("What I did was call every customer.", "I did"),
        ("I was the one who proposed the pilot.", "I was the one who proposed"),
        ("I sort of decided to wait.", "I sort of decided"),
        ("Now I always write the rollback plan first.", "I always write"),
        ("I got the payments team to agree.", "I got"),
        ("I was leading the seller tools team.", "I was leading"),
        ("I'm running it in four waves.", "I'm running"),
        ("I'd already written the memo.", "I'd already written"),
        ("I spent two days with the support team.", "I spent"),
        ("Once I explained the trade-offs, she agreed.", "I explained"),
        ("I, um, I noticed nothing; I sat down with the CFO.", "I sat down"),
    ],
)
def test_any_action_verb_after_i_is_owned(text: str, phrase: str) -> None:
    assert kinds(text) == [(phrase, "strong")]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("My designer and I agreed on the scope.", "My designer and I agreed"),
        ("Their PM, Dana, and I met the same week.", "Their PM, Dana, and I met"),
        ("The two of us wrote the plan.", "The two of us wrote"),
        ("Both of us presented it.", "Both of us presented"),
        ("Me and my designer went through every ticket.", "Me and my designer went through"),
        ("My team and I ran a workshop.", "My team and I ran"),
        ("We piloted it in Austin.", "We piloted"),
        ("We interviewed twelve customers.", "We interviewed"),
        ("We migrated the accounts.", "We migrated"),
        ("We partnered with finance.", "We partnered"),
        ("We'd already estimated the work.", "We'd already estimated"),
        ("Honestly the team did the hard part.", "the team did"),
    ],
)
def test_shared_subjects_are_shared(text: str, phrase: str) -> None:
    assert kinds(text) == [(phrase, "shared")]


@pytest.mark.parametrize(
    "text",
    [
        "I didn't escalate.",
        "We never tested it.",
        "I could have pushed harder.",
        "I'd bring legal in early.",
        "If I were in that situation, I would decide quickly.",
        "If I did it again, I'd start earlier.",
        "The team started bringing me problems before I asked.",
        "I'm going to test it next week.",
        "I wanted to launch in May.",
        "I had to cut scope.",
        'My VP told us, "We decided this in planning."',
        "She said we had already agreed on it.",
        "He felt like we kept shipping things without asking.",
        "I was asked to lead the launch.",
        "I inherited the backlog.",
        "We received 1,400 complaints.",
        "We lost two engineers.",
        "We sold out every evening.",
        "I joined Ridewell in 2021.",
        "I spent six years in consulting.",
        "I worked at a bank.",
        "I moved to Seattle.",
        "I started my career in sales.",
        "I noticed that the form reset.",
        "We found that 70% of losses came from one code.",
        "I realised the data was stale.",
        "I learned to ask support first.",
        "The thing I carry from it is patience.",
        "What I took away is to listen.",
        "I changed nothing; how we paid hosts stayed the same.",
        "My engineers rebuilt it.",
        "The data team ran the numbers.",
        "Why was I charged twice?",
        "I was convinced it would work.",
    ],
)
def test_not_credited(text: str) -> None:
    assert kinds(text) == []


def test_quoted_words_are_not_the_speakers_but_the_telling_is() -> None:
    assert kinds('I told her, "I\'ll own the rollback."') == [("I told", "strong")]


def test_a_new_clause_after_a_comma_is_not_a_shared_subject() -> None:
    text = "I rebuilt the invoices from bank statements and email, and I sent her a summary."
    assert kinds(text) == [("I rebuilt", "strong"), ("I sent", "strong")]


def test_weak_verbs_claim_a_part() -> None:
    text = "I helped with the requirements and I worked closely with design. I was part of it."
    assert [k for _, k in kinds(text)] == ["weak", "weak", "weak"]
