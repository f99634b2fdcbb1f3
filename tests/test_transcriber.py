"""Unit tests of the transcription pipeline's logic (chunking, guards, offsets, models).

The real model on real speech is exercised in test_transcription_real.py.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicemock.audio.transcriber import (
    FILLER_HOTWORDS,
    FakeTranscriber,
    drop_unvoiced_fillers,
    remove_prompt_echo,
    resolve_model,
    shift,
    transcribe,
)
from voicemock.audio.vad import plan_chunks
from voicemock.errors import ModelError, NoSpeechError
from voicemock.transcript import Span, Word


def spans(*pairs: tuple[float, float]) -> list[Span]:
    return [Span(a, b) for a, b in pairs]


# -- chunk planning ----------------------------------------------------------------------


def test_no_speech_no_chunks() -> None:
    assert plan_chunks([]) == []


def test_short_answer_is_one_chunk() -> None:
    chunks = plan_chunks(spans((0.5, 2.0), (2.6, 3.5)), duration=4.0)
    assert chunks == [Span(0.3, 3.7)]


def test_chunks_are_cut_in_pauses_and_at_least_min_long() -> None:
    # 60 s of speech: 2.5 s phrases separated by 0.5 s pauses, one 1.5 s pause at 31 s.
    speech = []
    t = 0.0
    while t < 60:
        speech.append(Span(t, t + 2.5))
        t += 4.0 if abs(t - 28.5) < 0.01 else 3.0
    chunks = plan_chunks(speech, duration=62.0)
    assert len(chunks) >= 3
    for chunk in chunks[:-1]:
        assert chunk.duration >= 5.0
        assert chunk.duration <= 28.0 + 0.5
    # no chunk boundary falls inside a speech region
    for a, b in itertools.pairwise(chunks):
        assert not any(s.start < a.end < s.end for s in speech)
        assert a.end <= b.start + 1e-9


def test_longest_pause_in_range_is_preferred() -> None:
    speech = spans((0, 6), (6.4, 12), (13.5, 18), (18.4, 40))
    chunks = plan_chunks(speech, duration=41.0)
    # the 1.5 s pause (12 -> 13.5) is the longest between 5 s and 28 s from the start
    assert chunks[0].end == pytest.approx(12.2)


def test_unbroken_speech_stays_one_chunk() -> None:
    chunks = plan_chunks(spans((0.0, 45.0)), duration=45.0)
    assert chunks == [Span(0.0, 45.0)]


def test_short_tail_joins_previous_chunk() -> None:
    speech = spans((0, 9), (10, 19), (20, 21))
    chunks = plan_chunks(speech, duration=22.0)
    assert chunks[-1].end == pytest.approx(21.2)
    assert all(c.duration >= 5.0 for c in chunks)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.05, 12.0), st.floats(0.02, 4.0)),
        min_size=1,
        max_size=60,
    )
)
def test_chunks_cover_all_speech_in_order(parts: list[tuple[float, float]]) -> None:
    speech = []
    t = 0.3
    for length, gap in parts:
        speech.append(Span(t, t + length))
        t += length + gap
    duration = t + 0.5
    chunks = plan_chunks(speech, duration=duration)
    assert chunks
    for a, b in itertools.pairwise(chunks):
        assert a.end <= b.start + 1e-9
    for s in speech:
        assert any(c.start <= s.start and s.end <= c.end for c in chunks), s
    assert chunks[0].start >= 0 and chunks[-1].end <= duration


# -- guards ------------------------------------------------------------------------------


def words(text: str, start: float = 0.0, step: float = 0.4) -> list[Word]:
    return [
        Word(t, round(start + i * step, 3), round(start + i * step + 0.3, 3), 0.9)
        for i, t in enumerate(text.split())
    ]


def test_prompt_echo_is_removed_but_real_fillers_stay() -> None:
    echoed = words(f"{FILLER_HOTWORDS} So, um, I decided to ship.")
    kept = [w.text for w in remove_prompt_echo(echoed)]
    assert kept == ["So,", "um,", "I", "decided", "to", "ship."]


def test_partial_prompt_is_not_an_echo() -> None:
    text = "Uh, er, I mean, ah, the launch slipped."
    assert [w.text for w in remove_prompt_echo(words(text))] == text.split()


def test_filler_in_silence_is_dropped() -> None:
    ws = [
        Word("Um,", 0.1, 0.4),
        Word("we", 0.5, 0.7),
        Word("uh", 5.0, 5.3),
        Word("shipped.", 6.0, 6.5),
    ]
    speech = spans((0.0, 1.0), (5.9, 6.6))
    assert [w.text for w in drop_unvoiced_fillers(ws, speech)] == ["Um,", "we", "shipped."]


def test_shift_moves_words_and_drops_those_past_the_chunk() -> None:
    ws = [Word("a", 0.0, 0.5), Word("b", 1.0, 2.5), Word("c", 3.0, 3.2)]
    moved = shift(ws, 10.0, limit=12.0)
    assert [(w.text, w.start, w.end) for w in moved] == [("a", 10.0, 10.5), ("b", 11.0, 12.0)]


# -- the pipeline with a scripted transcriber ----------------------------------------------


def test_pipeline_offsets_words_and_passes_context() -> None:
    audio = np.zeros(16000 * 30, dtype=np.float32)
    speech = spans((1.0, 7.0), (8.0, 14.0), (20.0, 27.0))
    fake = FakeTranscriber().enqueue("First part, second part.", "Um, the end.")
    result = transcribe(audio, fake, speech=speech)
    assert result.duration == 30.0
    assert result.speech == tuple(speech)
    # two chunks: the 6 s pause is the cut; the 1 s pause stays inside the first chunk
    assert [round(length, 1) for length, _ in fake.calls] == [13.4, 7.4]
    texts = [w.text for w in result.words]
    assert texts == ["First", "part,", "second", "part.", "Um,", "the", "end."]
    first, second = result.words[:4], result.words[4:]
    assert all(w.start is not None and 0.8 <= w.start < 14.2 for w in first)
    assert all(w.start is not None and w.start >= 19.8 for w in second)
    # the second chunk is given the first chunk's words as context
    assert fake.calls[0][1] == ""
    assert fake.calls[1][1] == "First part, second part."


def test_pipeline_without_speech_raises() -> None:
    audio = np.zeros(16000, dtype=np.float32)
    with pytest.raises(NoSpeechError):
        transcribe(audio, FakeTranscriber(), speech=[])


def test_pipeline_with_voice_but_no_words_raises() -> None:
    audio = np.zeros(16000 * 3, dtype=np.float32)
    with pytest.raises(NoSpeechError, match="no words"):
        transcribe(audio, FakeTranscriber(), speech=spans((0.5, 2.5)))


# -- model resolution --------------------------------------------------------------------


def test_bundled_model_is_the_default() -> None:
    for spec in (None, "", "tiny.en", "default"):
        choice = resolve_model(spec)
        assert choice.name == "tiny.en"
        assert (Path(choice.path) / "model.bin").is_file()


def test_local_model_directory(tmp_path: Path) -> None:
    bundled = Path(resolve_model(None).path)
    local = tmp_path / "my-model"
    local.mkdir()
    for f in bundled.iterdir():
        (local / f.name).symlink_to(f)
    assert resolve_model(str(local)).path == str(local.resolve())


def test_directory_without_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"no model\.bin"):
        resolve_model(str(tmp_path))


def test_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"))


def test_unknown_name_is_refused() -> None:
    with pytest.raises(ModelError, match="unknown model 'whisper-9000'"):
        resolve_model("whisper-9000")


def test_known_name_not_downloaded_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError) as info:
        resolve_model("base.en")
    message = str(info.value)
    assert "not on this machine" in message
    assert "voicemock models download base.en" in message
    assert "\n" not in message
