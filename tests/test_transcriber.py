"""Unit tests of the transcription pipeline's logic (chunking, guards, offsets, models).

The real model on real speech is exercised in test_transcription_real.py.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes import FakeTranscriber
from voicemock.asr import transcribe
from voicemock.asr.chunking import (
    CHUNK_PAD_S,
    FINAL_MIN_S,
    FORCE_CUT_S,
    MIN_PENDING_S,
    CutPolicy,
    cut_points,
    final_cut,
    next_cut,
    plan_chunks,
)
from voicemock.asr.guards import drop_unvoiced_fillers, limit_filler_runs, shift
from voicemock.asr.models import resolve_model
from voicemock.asr.stream import StreamingTranscription
from voicemock.asr.whisper import FILLER_HOTWORDS, remove_prompt_echo
from voicemock.errors import ModelError, NoSpeechError
from voicemock.transcript import Span, Word

if TYPE_CHECKING:
    from voicemock.audio.io import Audio


def spans(*pairs: tuple[float, float]) -> list[Span]:
    return [Span(a, b) for a, b in pairs]


# -- where chunks are cut ----------------------------------------------------------------


def phrases(*lengths_and_gaps: float, start: float = 0.5) -> list[Span]:
    """Speech regions from alternating phrase lengths and pause lengths."""
    out, t = [], start
    for i, value in enumerate(lengths_and_gaps):
        if i % 2 == 0:
            out.append(Span(t, t + value))
        t += value
    return out


def test_no_speech_no_chunks() -> None:
    assert plan_chunks([], 10.0) == []


def test_short_answer_is_one_chunk_trimmed_to_its_speech() -> None:
    assert plan_chunks(spans((1.0, 2.0), (2.6, 3.5)), 6.0) == [Span(0.5, 4.0)]


SHORT = CutPolicy(min_pending_s=7.0, silence_s=0.4, force_s=25.0)
"""The cutting rule with small numbers, so that the speech in these tests stays short."""


def test_default_chunks_are_long_and_fit_one_whisper_window() -> None:
    """18 s or more unless the answer ends, never over 28 s (30 s with the margins)."""
    speech = phrases(*([2.2, 0.25, 1.9, 0.45, 3.1, 0.15, 2.7, 1.2] * 12))
    duration = speech[-1].end + 1.0
    chunks = plan_chunks(speech, duration)
    assert len(chunks) >= 5
    assert all(c.duration <= FORCE_CUT_S + 1e-9 for c in chunks)
    assert all(c.duration >= MIN_PENDING_S - CHUNK_PAD_S for c in chunks[:-1])
    assert FORCE_CUT_S <= 28.0 and MIN_PENDING_S >= 15.0


def test_cut_in_the_first_long_enough_pause_after_seven_seconds() -> None:
    # phrases of 2.5 s from 0.5 s; pauses of 0.3 s (too short) but one of 0.6 s at 8.6 s
    speech = phrases(2.5, 0.3, 2.5, 0.3, 2.5, 0.6, 2.5, 0.3, 2.5, 0.3, 2.5)
    assert speech[2].end == pytest.approx(8.6)
    cut = next_cut(speech, open_since=None, now=20.0, pending_from=0.0, policy=SHORT)
    assert cut == pytest.approx(8.6 + 0.2)  # 0.2 s into the 0.6 s pause


def test_no_cut_before_seven_seconds_even_at_a_long_pause() -> None:
    speech = phrases(2.0, 1.5, 3.0, 0.5, 5.0)
    cut = next_cut(speech, open_since=None, now=13.0, pending_from=0.0, policy=SHORT)
    assert cut == pytest.approx(0.5 + 2.0 + 1.5 + 3.0 + 0.2)  # not in the 1.5 s pause at 2.5 s


def test_a_pause_still_going_on_is_used_once_long_enough() -> None:
    speech = phrases(8.0)  # 0.5-8.5 s, silence since
    assert next_cut(speech, open_since=None, now=8.8, pending_from=0.0, policy=SHORT) is None
    cut = next_cut(speech, open_since=None, now=8.9, pending_from=0.0, policy=SHORT)
    assert cut == pytest.approx(8.7)


def test_no_long_pause_forces_a_cut_at_the_longest_one_within_25_s() -> None:
    speech = phrases(*([3.0, 0.2] * 4 + [3.0, 0.35] + [3.0, 0.2] * 6))
    assert next_cut(speech, open_since=30.0, now=24.0, pending_from=0.0, policy=SHORT) is None
    cut = next_cut(speech, open_since=30.0, now=25.1, pending_from=0.0, policy=SHORT)
    longest = speech[4].end + 0.35 / 2
    assert cut == pytest.approx(longest)


def test_unbroken_speech_is_cut_at_25_s() -> None:
    assert next_cut([], open_since=0.2, now=25.0, pending_from=0.0, policy=SHORT) == 25.0
    chunks = plan_chunks(spans((0.0, 45.0)), 45.0, SHORT)
    assert chunks == [Span(0.0, 25.0), Span(25.0, 45.0)]
    assert plan_chunks(spans((0.0, 45.0)), 45.0) == [Span(0.0, 28.0), Span(28.0, 45.0)]


def test_live_and_after_the_fact_cuts_agree() -> None:
    speech = phrases(*([2.2, 0.25, 1.9, 0.45, 3.1, 0.15, 2.7, 1.2] * 16))
    duration = speech[-1].end + 1.0
    offline = plan_chunks(speech, duration)
    live, pending, now = [], 0.0, 0.0
    while now < duration:
        now = round(now + 0.1, 3)
        known = [r for r in speech if r.end + 0.1 <= now]
        going = next((r.start for r in speech if r.start <= now < r.end + 0.1), None)
        while (cut := next_cut(known, open_since=going, now=now, pending_from=pending)) is not None:
            if cut >= now:
                break
            live.append((pending, cut))
            pending = cut
    cuts_offline = cut_points(speech, duration)
    cuts_live = [end for _, end in live]
    assert len(cuts_offline) >= 6
    assert cuts_live == pytest.approx(cuts_offline)
    assert len(offline) == len(cuts_offline)  # the last cut is in the final silence


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.05, 12.0), st.floats(0.11, 4.0)),
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
    chunks = plan_chunks(speech, duration)
    assert chunks
    for a, b in itertools.pairwise(chunks):
        assert a.end <= b.start + 1e-9
    for c in chunks:
        assert c.duration <= FORCE_CUT_S + 1e-6
    covered = sum(
        min(c.end, s.end) - max(c.start, s.start)
        for s in speech
        for c in chunks
        if min(c.end, s.end) > max(c.start, s.start)
    )
    assert covered == pytest.approx(sum(s.duration for s in speech), abs=1e-6)
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


def test_a_filler_loop_is_cut_back_to_the_voice_it_covers() -> None:
    loop = [
        Word(t, 1.0 + 0.3 * i, 1.0 + 0.3 * i + (0.25 if i % 3 == 0 else 0.0), 0.5)
        for i, t in enumerate(["hmm,", "er,", "hmm,", "er,", "hmm,", "er,", "hmm."])
    ]
    words = [Word("So", 0.2, 0.5), *loop, Word("anyway.", 3.5, 4.0)]
    speech = spans((0.1, 0.6), (0.95, 1.3), (1.85, 2.2), (3.4, 4.1))
    kept = limit_filler_runs(words, speech)
    # the run spans two voiced stretches: at most three fillers, the ones with duration
    assert [w.text for w in kept] == ["So", "hmm,", "er,", "hmm.", "anyway."]


def test_real_filler_pairs_stay() -> None:
    words = [Word("Um,", 0.0, 0.3), Word("uh,", 0.3, 0.5), Word("we", 0.6, 0.7)]
    assert limit_filler_runs(words, spans((0.0, 0.8))) == words


def test_shift_moves_words_and_drops_those_past_the_chunk() -> None:
    ws = [Word("a", 0.0, 0.5), Word("b", 1.0, 2.5), Word("c", 3.0, 3.2)]
    moved = shift(ws, 10.0, limit=12.0)
    assert [(w.text, w.start, w.end) for w in moved] == [("a", 10.0, 10.5), ("b", 11.0, 12.0)]


# -- the pipeline with a scripted transcriber ----------------------------------------------


@pytest.fixture(scope="module")
def two_phrases(espeak: str, tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """Real (generated) speech: about 20 s (longer than a chunk's minimum), a 6 s pause,
    then a second more."""
    from tests.speech_helpers import espeak_wav
    from voicemock.audio.io import load_audio

    path = espeak_wav(
        espeak,
        [
            ("At my last company I owned the checkout page for two years.", 300),
            ("We lost one customer in five at the payment step.", 300),
            ("The form asked for the card number twice, and the error messages were vague.", 300),
            ("Support tickets about payments doubled over the summer.", 300),
            ("Nobody owned the problem, because it sat between two teams.", 300),
            ("So I rebuilt the form.", 6000),
            ("Um, the end.", 500),
        ],
        tmp_path_factory.mktemp("speech") / "two.wav",
    )
    return load_audio(path)


def test_pipeline_offsets_words_to_the_whole_answer(two_phrases: np.ndarray) -> None:
    fake = FakeTranscriber().enqueue("First part, second part.", "Um, the end.")
    result = transcribe(two_phrases, fake)
    assert result.duration == pytest.approx(len(two_phrases) / 16000)
    assert result.speech and result.speech[0].start < 0.5
    assert [w.text for w in result.words] == [
        "First", "part,", "second", "part.", "Um,", "the", "end.",
    ]  # fmt: skip
    # two chunks, cut in the 6 s pause; the second chunk's words land after it
    assert len(fake.calls) == 2
    regions = list(result.speech)
    gaps = [(b.start - a.end, b.start) for a, b in itertools.pairwise(regions)]
    second_start = max(gaps)[1]  # the speech after the 6 s pause
    assert all(w.start is not None and w.start < second_start for w in result.words[:4])
    assert all(w.start is not None and w.start >= second_start - 0.55 for w in result.words[4:])
    # each chunk is the speech around it, not the 6 s of silence
    assert fake.calls[0] < 25 and fake.calls[1] < 3


def test_fed_in_blocks_or_at_once_the_voice_is_found_alike(two_phrases: np.ndarray) -> None:
    from voicemock.asr.vad import SpeechTracker, speech_map

    whole = speech_map(two_phrases)
    tracker = SpeechTracker()
    rng = np.random.default_rng(7)
    i = 0
    while i < len(two_phrases):
        n = int(rng.integers(1, 4000))
        tracker.feed(two_phrases[i : i + n])
        i += n
    assert len(tracker.finish().regions) == len(whole)
    for a, b in zip(tracker.regions, whole, strict=True):
        assert a.start == pytest.approx(b.start, abs=0.04)
        assert a.end == pytest.approx(b.end, abs=0.04)


def test_pipeline_without_speech_raises() -> None:
    audio = np.zeros(16000 * 3, dtype=np.float32)
    with pytest.raises(NoSpeechError):
        transcribe(audio, FakeTranscriber())


def test_pipeline_with_voice_but_no_words_raises(two_phrases: np.ndarray) -> None:
    with pytest.raises(NoSpeechError, match="no words"):
        transcribe(two_phrases, FakeTranscriber())


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


# -- decoding the tail ahead of time -------------------------------------------------------


def feed_in_blocks(stream: StreamingTranscription, audio: np.ndarray) -> None:
    for i in range(0, len(audio), 1600):
        stream.feed(audio[i : i + 1600])


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_pause_before_the_end_lets_the_tail_be_decoded_ahead(espeak: str, tmp_path: Path) -> None:
    from tests.speech_helpers import espeak_wav
    from voicemock.audio.io import load_audio

    said = load_audio(espeak_wav(espeak, [("I shipped it in June.", 300)], tmp_path / "a.wav"))
    fake = FakeTranscriber().enqueue("I shipped it in June.", "never used")
    stream = StreamingTranscription(fake)
    feed_in_blocks(stream, said)
    feed_in_blocks(stream, np.zeros(16000, dtype=np.float32))  # a second of silence
    wait_for(lambda: len(fake.calls) == 1)  # decoded while still "recording"
    result = stream.finish()
    assert len(fake.calls) == 1  # the tail was not decoded again
    assert [w.text for w in result.words] == ["I", "shipped", "it", "in", "June."]
    (tail,) = stream.stats.chunks
    assert tail.at_finish and tail.reused


def test_a_short_answer_spoken_on_after_the_pause_is_decoded_whole(
    espeak: str, tmp_path: Path
) -> None:
    from tests.speech_helpers import espeak_wav
    from voicemock.audio.io import load_audio

    first = load_audio(espeak_wav(espeak, [("I shipped it.", 300)], tmp_path / "a.wav"))
    more = load_audio(espeak_wav(espeak, [("In June.", 300)], tmp_path / "b.wav"))
    fake = FakeTranscriber().enqueue("I shipped it.", "I shipped it. In June.")
    stream = StreamingTranscription(fake)
    feed_in_blocks(stream, first)
    feed_in_blocks(stream, np.zeros(16000, dtype=np.float32))
    wait_for(lambda: len(fake.calls) == 1)
    feed_in_blocks(stream, more)
    result = stream.finish()
    assert len(fake.calls) == 2  # too little before the pause to cut there: decoded again
    assert " ".join(w.text for w in result.words) == "I shipped it. In June."
    assert not stream.stats.chunks[-1].reused


LONG_SAID = (
    "I rewrote the onboarding flow for every new seller that spring, and I moved the"
    " payment form onto a single page, which cut the steps from nine to four."
)
"""About ten seconds of espeak speech: enough before a pause for the last chunk to be cut
there (:data:`~voicemock.asr.chunking.FINAL_MIN_S`)."""


def long_then_short(espeak: str, tmp_path: Path) -> tuple[np.ndarray, np.ndarray]:
    from tests.speech_helpers import espeak_wav
    from voicemock.audio.io import load_audio

    first = load_audio(espeak_wav(espeak, [(LONG_SAID, 300)], tmp_path / "a.wav"))
    more = load_audio(espeak_wav(espeak, [("In June.", 300)], tmp_path / "b.wav"))
    assert len(first) > (FINAL_MIN_S + 0.5) * 16000
    return first, more


def test_speech_after_the_last_pause_is_all_that_is_left(espeak: str, tmp_path: Path) -> None:
    """The decode made ahead at the last pause stands; only what followed is decoded
    after the recording stops, and a file of the same audio is cut the same way."""
    first, more = long_then_short(espeak, tmp_path)
    audio = np.concatenate([first, np.zeros(16000, dtype=np.float32), more])
    fake = FakeTranscriber().enqueue(LONG_SAID, "In June.")
    stream = StreamingTranscription(fake)
    feed_in_blocks(stream, audio[: len(first) + 16000])
    wait_for(lambda: len(fake.calls) == 1)
    feed_in_blocks(stream, audio[len(first) + 16000 :])
    result = stream.finish()
    assert " ".join(w.text for w in result.words) == f"{LONG_SAID} In June."
    assert len(fake.calls) == 2
    assert fake.calls[1] < 2.5  # only "In June." and its margins
    ahead, tail = stream.stats.chunks
    assert ahead.reused and not tail.reused
    offline = FakeTranscriber().enqueue(LONG_SAID, "In June.")
    whole = StreamingTranscription(offline, live=False)
    feed_in_blocks(whole, audio)
    whole.finish()
    assert [c.span for c in whole.stats.chunks] == [ahead.span, tail.span]


def test_an_answer_ending_in_a_pause_leaves_nothing_to_decode(espeak: str, tmp_path: Path) -> None:
    """The decode made at a pause is the part before it, should the speaker talk on; in
    the pause after the last words, what followed is decoded too. When the recording
    stops, both stand: nothing is left to decode, and a file is cut the same way."""
    first, more = long_then_short(espeak, tmp_path)
    pause = np.zeros(16000, dtype=np.float32)
    fake = FakeTranscriber().enqueue(LONG_SAID, "In June.")
    stream = StreamingTranscription(fake)
    feed_in_blocks(stream, np.concatenate([first, pause]))
    wait_for(lambda: len(fake.calls) == 1)
    feed_in_blocks(stream, np.concatenate([more, pause]))
    wait_for(lambda: len(fake.calls) == 2)  # in the last pause: only what followed the first
    assert fake.calls[1] < 2.5
    result = stream.finish()
    assert len(fake.calls) == 2
    assert " ".join(w.text for w in result.words) == f"{LONG_SAID} In June."
    assert [c.reused for c in stream.stats.chunks] == [True, True]
    offline = FakeTranscriber().enqueue(LONG_SAID, "In June.")
    whole = StreamingTranscription(offline, live=False)
    feed_in_blocks(whole, np.concatenate([first, pause, more, pause]))
    whole.finish()
    assert [c.span for c in whole.stats.chunks] == [c.span for c in stream.stats.chunks]


def test_the_part_before_the_last_pause_is_decoded_while_the_speaker_talks_on(
    espeak: str, tmp_path: Path
) -> None:
    """A pause came while a chunk was being decoded (no decode ahead there): once the
    worker is free, the part up to that pause is decoded although the speaker is talking."""
    first, more = long_then_short(espeak, tmp_path)
    pause = np.zeros(16000, dtype=np.float32)
    fake = HeldTranscriber(hold=1)
    fake.enqueue("busy", LONG_SAID, "In June.")
    stream = StreamingTranscription(fake)
    feed_in_blocks(stream, first[:16000])
    feed_in_blocks(stream, pause)  # a decode ahead starts here and is held
    wait_for(lambda: len(fake.calls) == 1)
    feed_in_blocks(stream, np.concatenate([first[16000:], pause]))
    fake.release.set()
    wait_for(lambda: fake.held_done.is_set() and not stream._active)  # the worker is free
    feed_in_blocks(stream, more[: len(more) // 2])  # the speaker is saying "In June." now
    wait_for(lambda: len(fake.calls) == 2)
    assert stream.tracker.open_since is not None  # still talking
    feed_in_blocks(stream, more[len(more) // 2 :])
    result = stream.finish()  # no pause at the end: only "In June." is left
    assert len(fake.calls) == 3 and fake.calls[2] < 2.5
    assert " ".join(w.text for w in result.words) == f"{LONG_SAID} In June."
    ahead, tail = stream.stats.chunks
    assert ahead.reused and not tail.reused


def test_the_last_chunk_is_cut_at_its_last_pause() -> None:
    """Where a live round decoded ahead, a file is cut too: the last chunk ends half a
    second into its last pause of 0.6 s or more that speech follows, and what follows is
    its own chunk."""
    regions = spans((1.0, 10.0), (10.8, 13.0), (13.3, 16.0))  # 0.8 s then 0.3 s pauses
    assert final_cut(regions, 0.0, 16.5) == 10.5
    assert final_cut(regions, 0.0, 19.0) == 10.5  # the silence at the end is no cut
    assert plan_chunks(regions, 16.5) == [Span(0.5, 10.5), Span(10.5, 16.5)]
    # no pause long enough, or too little before it: one chunk
    assert final_cut(spans((1.0, 10.0), (10.3, 13.0)), 0.0, 13.5) is None
    assert final_cut(spans((0.5, 6.0), (7.0, 13.0)), 0.0, 13.5) is None
    # a pause only at the end: the chunk ends as it would anyway
    assert final_cut(spans((1.0, 9.0)), 0.0, 12.0) is None
    assert plan_chunks(spans((1.0, 9.0)), 12.0) == [Span(0.5, 9.5)]


class HeldTranscriber(FakeTranscriber):
    """A fake whose ``hold``-th call (1-based) waits until :attr:`release` is set: a decode
    ahead still inside the model when the recording stops."""

    def __init__(self, hold: int) -> None:
        super().__init__(workers=2)
        self.hold = hold
        self.release = threading.Event()
        self.held_done = threading.Event()

    def transcribe_chunk(self, audio: Audio, speech: Sequence[Span] = ()) -> list[Word]:
        words = super().transcribe_chunk(audio, speech)
        if len(self.calls) == self.hold:
            self.release.wait(30)
            self.held_done.set()
        return words


def test_a_decode_ahead_of_no_use_is_not_waited_for(espeak: str, tmp_path: Path) -> None:
    """The speaker paused (a decode ahead starts), talked on, paused again while that
    decode ran (no second decode ahead) and ended: the last chunk is cut at the second
    pause, so the first decode is of no use and the transcript does not wait for it."""
    from tests.speech_helpers import espeak_wav
    from voicemock.audio.io import load_audio

    lines = [
        "I rewrote the onboarding flow for new sellers.",
        "It took the whole spring.",
        "Refunds fell by a third.",
        "In June.",
    ]
    pause = np.zeros(16000, dtype=np.float32)
    said = [
        load_audio(espeak_wav(espeak, [(line, 300)], tmp_path / f"{i}.wav"))
        for i, line in enumerate(lines)
    ]
    fake = HeldTranscriber(hold=2)
    # ahead at pause 1 (used by nobody), ahead at pause 2 (held), the chunk up to pause 3
    # and the tail after it
    fake.enqueue(lines[0], "held", " ".join(lines[:3]), lines[3])
    stream = StreamingTranscription(fake)
    feed_in_blocks(stream, np.concatenate([said[0], pause]))
    wait_for(lambda: len(fake.calls) == 1)
    feed_in_blocks(stream, np.concatenate([said[1], pause]))
    wait_for(lambda: len(fake.calls) == 2)  # the second decode ahead is under way
    feed_in_blocks(stream, np.concatenate([said[2], pause, said[3]]))
    try:
        result = stream.finish()
        assert not fake.held_done.is_set()  # returned while that decode still ran
        assert " ".join(w.text for w in result.words) == " ".join(lines)
        assert len(fake.calls) == 4
    finally:
        fake.release.set()
        stream.close()
    assert fake.held_done.is_set()
    assert not any(t.is_alive() for t in stream._workers)  # close() waited for it
