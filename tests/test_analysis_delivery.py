"""Delivery: word count, pace overall and per 30 s, long pauses from the speech map."""

from __future__ import annotations

import pytest

from tests.analysis_helpers import timed
from voicemock.analysis.delivery import find_delivery, long_pauses, pace_windows
from voicemock.analysis.text import Doc
from voicemock.transcript import Span, Transcript, Word


def even_words(n: int, start: float, step: float) -> list[Word]:
    return [Word(f"w{i}", start + i * step, start + i * step + step * 0.8) for i in range(n)]


def test_pace_is_words_over_first_start_to_last_end() -> None:
    words = even_words(10, 2.0, 0.6)  # 2.0 .. 7.88
    d = find_delivery(Transcript.from_words(words, 12.0, [Span(1.9, 8.0)]))
    assert d.word_count == 10
    assert d.speaking_s == pytest.approx(5.88)
    assert d.wpm == round(10 * 60 / 5.88, 1)


def test_pace_per_30_seconds_and_a_short_tail_joins_the_last_window() -> None:
    words = even_words(140, 1.0, 0.5)  # 2 words/s, from 1.0 to 70.9
    windows = pace_windows(Doc(words))
    assert windows is not None
    assert [(w.start, round(w.end, 2)) for w in windows] == [(1.0, 31.0), (31.0, 70.9)]
    assert windows[0].wpm == 120.0
    assert windows[1].words == 80  # 60 in 31-61 plus the 9.9 s tail


def test_a_long_enough_tail_is_its_own_window() -> None:
    words = even_words(160, 0.0, 0.5)  # to 79.9: the last window is 19.9 s
    windows = pace_windows(Doc(words))
    assert windows is not None and len(windows) == 3
    assert sum(w.words for w in windows) == 160


def test_long_pauses_come_from_the_speech_map_not_from_word_gaps() -> None:
    # The recogniser stretched "slowly" over a silence the VAD heard (3.0-5.6 s) ...
    words = [Word("we", 1.0, 1.3), Word("went", 1.4, 2.0), Word("slowly", 2.1, 6.0)]
    speech = [Span(0.95, 3.0), Span(5.6, 6.1)]
    # ... and left a 3 s gap between words where the VAD heard voice all along.
    words += [Word("then", 7.0, 7.3), Word("stopped", 10.3, 10.8)]
    speech += [Span(6.9, 10.9)]
    d = find_delivery(Transcript.from_words(words, 12.0, speech))
    assert d.long_pauses is not None
    assert [(p.start, round(p.duration, 2)) for p in d.long_pauses] == [(3.0, 2.6)]


def test_leading_and_trailing_silence_are_not_pauses() -> None:
    speech = [Span(5.0, 9.0), Span(9.5, 20.0)]
    assert long_pauses(speech) == []  # 0-5 s and 20-40 s are outside the answer


def test_pause_threshold_is_inclusive_and_overlapping_regions_are_merged() -> None:
    speech = [Span(0.0, 1.0), Span(3.0, 4.0), Span(3.5, 6.0), Span(7.9, 9.0)]
    found = long_pauses(speech) or []
    assert [(p.start, p.duration) for p in found] == [(1.0, 2.0)]
    assert long_pauses(list(reversed(speech))) == found


def test_typed_transcripts_have_no_time_based_delivery() -> None:
    d = find_delivery(Transcript.from_text("We shipped it in six weeks."))
    assert d.to_dict() == {
        "word_count": 6,
        "speaking_s": None,
        "wpm": None,
        "wpm_by_30s": None,
        "long_pauses": None,
    }


def test_a_timed_transcript_without_a_speech_map_reports_no_pauses_rather_than_none() -> None:
    d = find_delivery(Transcript.from_words(even_words(5, 0.0, 0.5), 3.0))
    assert d.long_pauses is None and d.wpm is not None


def test_script_pauses_are_measured_where_they_were_planted() -> None:
    script = timed("We shipped it. <pause 2.5> Then we waited. <pause 1.2> Then it worked.")
    d = find_delivery(script.transcript)
    assert d.long_pauses is not None
    assert [(p.start, round(p.duration, 2)) for p in d.long_pauses] == [
        (pytest.approx(s, abs=0.01), pytest.approx(length, abs=0.01))
        for s, length in script.pauses
        if length >= 2
    ]
