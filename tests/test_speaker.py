"""Text-to-speech of questions, start tone and playback.

The engine is real (pyttsx3 + espeak-ng in worker processes), the recogniser that checks
nothing was dropped is the real bundled Whisper model, and playback goes through real
PortAudio into a private PulseAudio daemon whose ``speaker.monitor`` is recorded.
Failure paths are produced from outside, through the environment (a broken or hanging
interpreter, espeak-ng without its data), never by patching the code under test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import pulse_helpers
from tests.fakes import FakeSpeaker
from tests.pulse_helpers import PulseAudio
from voicemock.audio.playback import play, resample, start_tone
from voicemock.errors import DeviceError, VoicemockError
from voicemock.tts.speaker import (
    CLAUSE_PAUSE_S,
    DEFAULT_RATE,
    PYTHON_ENV,
    SENTENCE_PAUSE_S,
    SilentSpeaker,
    Speech,
    SpeechUnavailable,
    TtsSpeaker,
    available,
    break_after,
    pause_after,
    plausible_duration,
    split_for_tts,
    synthesize,
    trim_silence,
)

ROOT = Path(__file__).resolve().parent.parent

# The private PulseAudio daemon's fixtures (tests/pulse_helpers.py).
pulse_daemon = pulse_helpers.pulse_daemon
pulse = pulse_helpers.pulse
no_audio_server = pulse_helpers.no_audio_server

# 402 characters, four sentences; the last one is what the pyttsx3 bug would lose.
LONG_QUESTION = (
    "Tell me about a time you had to earn the trust of a skeptical team. What was the "
    "situation, and why were they skeptical of you? What specific actions did you take to "
    "build that trust over the following weeks, and how did you know it was working? "
    "Finally, describe the measurable result for the customer, and the one lesson about "
    "leadership that you still apply today in every new team you join or lead."
)
LAST_SENTENCE = LONG_QUESTION[LONG_QUESTION.index("Finally") :]

QUESTIONS = [
    "Tell me about a time you disagreed with your manager.",
    "Describe a decision you made without all the data you would have liked to have.",
    "Give me an example of a goal you failed to meet. What did you learn?",
    "Tell me about the most innovative thing you have done, and why you thought of it.",
    "Walk me through a time you used customer feedback to change a product's direction.",
    "Tell me about a time you took on something outside your area of responsibility.",
    "Describe a time you had to deliver results with fewer resources than planned.",
    "Tell me about a time you had to dive deep to find the root cause of a problem.",
    "When did you raise the bar for hiring on your team, and what happened next?",
    "Tell me about a time you changed your mind after hearing an argument from a peer.",
]


def one_line(message: str) -> None:
    assert message.strip(), "empty message"
    assert "\n" not in message, f"not one line: {message!r}"
    assert "Traceback" not in message


def fake_python(tmp_path: Path, body: str) -> tuple[Path, Path]:
    """An executable standing in for the worker's interpreter; logs each invocation."""
    calls = tmp_path / "calls.log"
    script = tmp_path / "fake-python"
    script.write_text(f'#!/bin/sh\necho "$$" >> "{calls}"\n{body}\n')
    script.chmod(0o755)
    return script, calls


def pid_alive(pid: int) -> bool:
    """True for a running process; a zombie (dead, not yet reaped) is not alive."""
    try:
        os.kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# -- splitting -------------------------------------------------------------------------

_word = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Nd", "Po", "Pd", "Pe", "Ps", "Pf", "Pi")
    ),
    min_size=1,
    max_size=14,
)
_punctuated = st.tuples(_word, st.sampled_from(["", "", "", ".", ",", "?", ";", ":", "—", "!"]))
_space = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", " \n "])


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(_punctuated.map("".join), max_size=60),
    spaces=st.lists(_space, min_size=61, max_size=61),
    max_chars=st.integers(min_value=1, max_value=220),
)
def test_split_keeps_every_word_in_order_and_respects_the_limit(
    words: list[str], spaces: list[str], max_chars: int
) -> None:
    text = spaces[0] + "".join(w + s for w, s in zip(words, spaces[1:], strict=False))
    pieces = split_for_tts(text, max_chars)
    assert " ".join(pieces).split() == text.split()
    for piece in pieces:
        assert piece and piece == piece.strip()
        assert len(piece) <= max_chars or len(piece.split()) == 1


def test_split_packs_whole_sentences_before_cutting_inside_one() -> None:
    text = "Why Amazon? Why this team? " + "Tell me about a time you failed, " * 3 + "badly."
    assert split_for_tts(text, 60) == [
        "Why Amazon? Why this team?",  # two sentences packed together
        "Tell me about a time you failed,",  # a long sentence, cut at its clauses
        "Tell me about a time you failed,",
        "Tell me about a time you failed, badly.",
    ]
    assert split_for_tts(text, 200) == [" ".join(text.split())]


def test_split_cuts_at_clauses_then_at_spaces() -> None:
    clauses = "First, we measured the churn; second, we interviewed twelve customers."
    assert split_for_tts(clauses, 40) == [
        "First, we measured the churn;",
        "second, we interviewed twelve customers.",
    ]
    no_marks = "tell me about a decision you made without having all the data you needed"
    pieces = split_for_tts(no_marks, 30)
    assert all(len(p) <= 30 for p in pieces) and " ".join(pieces) == no_marks
    assert split_for_tts("   \n ") == []
    assert split_for_tts("Supercalifragilistic", 5) == ["Supercalifragilistic"]


def test_split_does_not_end_sentences_at_abbreviations() -> None:
    assert break_after("We used e.g. surveys") == "word"
    assert break_after("talked to Dr.") == "word"
    assert break_after("the U.S.") == "word"
    assert break_after("It failed.") == "sentence"
    assert break_after("you had to say no.") == "sentence"
    assert break_after("we went with plan A.") == "sentence"
    assert break_after('He said "no."') == "sentence"
    assert break_after("first,") == "clause"
    assert break_after("then —") == "clause"
    assert split_for_tts("Ask e.g. Dr. Smith about it. Then decide.", 30) == [
        "Ask e.g. Dr. Smith about it.",
        "Then decide.",
    ]


def test_pauses_follow_espeaks_own_and_scale_with_rate() -> None:
    assert pause_after("sentence") == SENTENCE_PAUSE_S
    assert pause_after("clause") == CLAUSE_PAUSE_S
    assert pause_after("sentence", DEFAULT_RATE * 2) == pytest.approx(SENTENCE_PAUSE_S / 2)
    assert pause_after("word", 340) == pause_after("word")


def test_plausible_duration_brackets_measured_speech() -> None:
    low, high = plausible_duration("x" * 100)
    assert low < 100 * 0.048 and high > 100 * 0.072  # the measured range at 170 wpm
    slow_low, _ = plausible_duration("x" * 100, rate=85)
    assert slow_low == pytest.approx(2 * low)


# -- sounds ----------------------------------------------------------------------------


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_start_tone_is_a_short_soft_880_hz_beep_without_clicks() -> None:
    tone = start_tone()
    assert tone.sample_rate == 16_000 and tone.samples.dtype == np.float32
    assert tone.duration == pytest.approx(0.12)
    assert float(np.max(np.abs(tone.samples))) == pytest.approx(0.3, abs=0.01)
    assert abs(tone.samples[0]) < 1e-3 and abs(tone.samples[-1]) < 0.01  # faded, no click
    assert dominant_hz(tone.samples, tone.sample_rate) == pytest.approx(880, abs=10)


def test_resample_keeps_pitch_and_length() -> None:
    t = np.arange(22_050) / 22_050
    sine = np.sin(2 * np.pi * 440 * t).astype(np.float32)
    down = resample(sine, 22_050, 16_000)
    assert len(down) == 16_000 and dominant_hz(down, 16_000) == pytest.approx(440, abs=2)
    up = resample(sine, 22_050, 48_000)
    assert len(up) == 48_000 and dominant_hz(up, 48_000) == pytest.approx(440, abs=2)
    # Above the new Nyquist frequency: filtered out, not folded back as a false tone.
    high = np.sin(2 * np.pi * 10_000 * t).astype(np.float32)
    assert float(np.sqrt(np.mean(resample(high, 22_050, 16_000) ** 2))) < 0.1


def test_trim_silence_keeps_a_margin() -> None:
    rate = 1000
    sound = np.concatenate([np.zeros(500), np.ones(100) * 0.5, np.zeros(700)]).astype(np.float32)
    trimmed = trim_silence(sound, rate, keep_s=0.02)
    assert len(trimmed) == 100 + 2 * 20
    assert trim_silence(np.zeros(10, dtype=np.float32), rate).size == 0


def test_fake_and_silent_speakers() -> None:
    fake = FakeSpeaker(seconds_per_char=0.05)
    assert fake.speak("Why Amazon?") == pytest.approx(0.55)
    fake.stop()
    assert fake.tone() == pytest.approx(0.12)
    assert fake.said == ["Why Amazon?"] and fake.stopped == 1 and fake.tones == 1
    with pytest.raises(SpeechUnavailable, match="no engine"):
        FakeSpeaker(fail="no engine").speak("Why Amazon?")
    assert SilentSpeaker().speak("Why Amazon?") == 0.0
    assert SilentSpeaker().tone() == 0.0


# -- real synthesis --------------------------------------------------------------------


def test_long_question_is_spoken_completely(espeak: str) -> None:
    """The workaround: 402 characters come out as speech whose length fits the text.

    Measured at 170 wpm: 0.048-0.072 s per character on interview questions, 0.055 on
    this one. Losing one of its three pieces would leave at most 0.040 s/char; speaking a
    piece twice would give at least 0.073.
    """
    speech = synthesize(LONG_QUESTION)
    assert len(LONG_QUESTION) >= 390
    assert len(speech.pieces) >= 2  # really went through the split path
    assert " ".join(speech.pieces).split() == LONG_QUESTION.split()
    per_char = speech.duration / len(LONG_QUESTION)
    assert 0.045 <= per_char <= 0.07, f"{speech.duration:.2f} s for {len(LONG_QUESTION)} chars"
    assert speech.samples.dtype == np.float32 and speech.samples.ndim == 1
    assert float(np.max(np.abs(speech.samples))) > 0.1


@pytest.mark.slow
def test_long_question_transcribes_to_its_last_sentence(espeak: str) -> None:
    """Stronger proof nothing was dropped: the real model hears the last sentence.

    Only the last 10 s are transcribed (the sentence takes 8.5 s), which is where the
    engine bug loses audio. tiny.en mishears a word or two of espeak-ng's robotic voice
    ("result" as "results", "lesson" as "less on"), so the test asks for 80 % of the
    sentence's words by prefix, and for its very last words without exception.
    """
    from voicemock.asr import transcribe
    from voicemock.asr.whisper import WhisperTranscriber, norm

    speech = synthesize(LONG_QUESTION)
    audio = speech.resampled(16_000).samples[-10 * 16_000 :]
    heard = norm(transcribe(audio, WhisperTranscriber.load()).text).split()
    expected = [w for w in norm(LAST_SENTENCE).split() if len(w) > 3]

    def was_heard(word: str) -> bool:
        return any(h.startswith(word[:5]) or word.startswith(h[:5]) for h in heard if len(h) > 2)

    missing = [w for w in expected if not was_heard(w)]
    assert len(missing) <= 0.2 * len(expected), f"not heard: {missing} in {heard}"
    assert all(was_heard(w) for w in ("team", "join", "lead")), heard


def test_ten_questions_in_a_row_all_complete(espeak: str) -> None:
    durations = []
    for question in QUESTIONS:
        speech = synthesize(question)
        low, high = plausible_duration(question)
        assert low <= speech.duration <= high, question
        durations.append(speech.duration)
    assert len(durations) == 10
    again = synthesize(QUESTIONS[0])  # the engine is deterministic: same text, same audio
    first = synthesize(QUESTIONS[0])
    assert np.array_equal(again.samples, first.samples)


def test_rate_and_voice_are_applied(espeak: str) -> None:
    text = QUESTIONS[3]
    slow, fast = synthesize(text, rate=120), synthesize(text, rate=240)
    assert 1.6 < slow.duration / fast.duration < 2.4
    us, gb = synthesize(text, voice="en-us"), synthesize(text, voice="en-gb")
    assert not np.array_equal(us.samples, gb.samples)
    assert np.array_equal(synthesize(text).samples, us.samples)  # the default is en-us


def test_unknown_voice_is_one_line_and_not_retried(espeak: str) -> None:
    started = time.monotonic()
    with pytest.raises(SpeechUnavailable) as caught:
        synthesize("Why Amazon?", voice="martian")
    one_line(str(caught.value))
    assert "'martian'" in str(caught.value) and "en-us" in str(caught.value)
    assert time.monotonic() - started < 3
    reason = available(voice="martian")
    assert reason is not None and "martian" in reason
    assert available() is None
    assert available(voice="English (America)", rate=150) is None


def test_worker_chatter_never_reaches_the_terminal(
    espeak: str, capfd: pytest.CaptureFixture[str]
) -> None:
    synthesize(LONG_QUESTION)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_worker_is_reusable_on_its_own(espeak: str, tmp_path: Path) -> None:
    out = tmp_path / "q.wav"
    done = subprocess.run(
        [sys.executable, "-m", "voicemock.tts.worker", str(out), LONG_QUESTION],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # pyttsx3's "Audio saved to ..." is swallowed
    assert out.stat().st_size > 22_050 * 2 * 15  # the whole 402 characters, >15 s


def test_engine_path_waits_for_the_audio(espeak: str, tmp_path: Path) -> None:
    """The pyttsx3 engine path (macOS, Windows) on espeak-ng: without the worker's wait for
    ``finished-utterance`` most 400-character files were never written."""
    import soundfile

    low, high = plausible_duration(LONG_QUESTION)
    worker = [sys.executable, "-m", "voicemock.tts.worker", "--via-engine"]
    for attempt in range(3):
        out = tmp_path / f"engine-{attempt}.wav"
        done = subprocess.run(
            [*worker, "--", str(out), LONG_QUESTION],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        info = soundfile.info(str(out))
        assert low <= info.duration <= high


# -- failure paths ---------------------------------------------------------------------


def test_hanging_engine_times_out_retries_once_and_kills_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, calls = fake_python(tmp_path, "exec sleep 30")
    monkeypatch.setenv(PYTHON_ENV, str(script))
    started = time.monotonic()
    with pytest.raises(SpeechUnavailable) as caught:
        synthesize("Tell me about a time you failed.", timeout_s=0.5)
    elapsed = time.monotonic() - started
    one_line(str(caught.value))
    assert "did not finish within 0.5 s" in str(caught.value)
    assert "tried twice" in str(caught.value)
    pids = [int(p) for p in calls.read_text().split()]
    assert len(pids) == 2  # one retry in a fresh process
    assert 1.0 <= elapsed < 3.0
    assert not any(pid_alive(pid) for pid in pids)
    assert isinstance(caught.value, VoicemockError)


def test_crashing_engine_is_retried_once_then_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, calls = fake_python(tmp_path, 'echo "Fatal Python error: init failed" >&2; exit 1')
    monkeypatch.setenv(PYTHON_ENV, str(script))
    with pytest.raises(SpeechUnavailable) as caught:
        synthesize("Why Amazon?")
    one_line(str(caught.value))
    assert "Fatal Python error: init failed" in str(caught.value)
    assert len(calls.read_text().split()) == 2
    assert available() is not None


def test_missing_interpreter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PYTHON_ENV, str(tmp_path / "no-such-python"))
    with pytest.raises(SpeechUnavailable) as caught:
        synthesize("Why Amazon?")
    one_line(str(caught.value))
    assert "cannot run the speech worker" in str(caught.value)
    reason = available()
    assert reason is not None and "no-such-python" in reason


def test_espeak_without_its_data(
    espeak: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(tmp_path))  # an empty directory
    reason = available()
    assert reason is not None and "espeak-ng" in reason
    one_line(reason)
    with pytest.raises(SpeechUnavailable) as caught:
        synthesize("Why Amazon?")
    assert str(caught.value) == f"text-to-speech unavailable: {reason}"
    speaker = TtsSpeaker()
    with pytest.raises(SpeechUnavailable):
        speaker.speak("Why Amazon?")
    monkeypatch.delenv("ESPEAK_DATA_PATH")
    started = time.monotonic()
    with pytest.raises(SpeechUnavailable):  # remembered: no second wait per question
        speaker.speak("Why Amazon?")
    assert time.monotonic() - started < 0.05


def test_ctrl_c_during_synthesis_stops_the_workers(tmp_path: Path) -> None:
    script, calls = fake_python(tmp_path, "exec sleep 30")
    code = textwrap.dedent(
        """
        from voicemock.tts.speaker import synthesize
        try:
            synthesize("Tell me about a time you failed. Then tell me another.", timeout_s=20)
        except KeyboardInterrupt:
            print("interrupted")
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, PYTHON_ENV: str(script)},
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 10
    while not calls.exists() and time.monotonic() < deadline:  # a worker has started
        time.sleep(0.02)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=10)
    assert time.monotonic() - started < 1.5
    assert out.strip() == "interrupted"
    time.sleep(0.1)
    pids = [int(p) for p in calls.read_text().split()]
    alive = {p: Path(f"/proc/{p}/stat").read_text() for p in pids if pid_alive(p)}
    assert not alive, (pids, alive)


# -- playback --------------------------------------------------------------------------


def test_missing_portaudio_is_a_one_line_device_error(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    # What `import sounddevice` does without libportaudio2.
    (shadow / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    code = textwrap.dedent(
        """
        from voicemock.audio.playback import play, start_tone
        from voicemock.errors import DeviceError
        tone = start_tone()
        try:
            play(tone.samples, tone.sample_rate)
        except DeviceError as exc:
            print(exc)
        """
    )
    path = os.pathsep.join([str(shadow), str(ROOT), os.environ.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    one_line(done.stdout.strip())
    assert "apt-get install libportaudio2" in done.stdout


def test_no_output_device_is_a_one_line_device_error(
    no_audio_server: dict[str, str],
) -> None:
    sd = pytest.importorskip("sounddevice")
    if any(d["max_output_channels"] > 0 for d in sd.query_devices()):
        pytest.skip("this machine has a real output device besides PulseAudio")
    tone = start_tone()
    with pytest.raises(DeviceError) as caught:
        play(tone.samples, tone.sample_rate)
    one_line(str(caught.value))
    assert "no speaker found" in str(caught.value)


def captured(path: Path) -> tuple[np.ndarray, int]:
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32")
    return np.asarray(data, dtype=np.float32).reshape(-1), int(rate)


def loud_span(samples: np.ndarray, rate: int, floor: float = 0.02) -> float:
    """Seconds from the first to the last sample above ``floor`` of the peak."""
    loud = np.flatnonzero(np.abs(samples) > floor * float(np.max(np.abs(samples))))
    return 0.0 if loud.size == 0 else (loud[-1] - loud[0]) / rate


@pytest.mark.slow
def test_tts_speaker_sound_arrives_at_the_speaker_sink(pulse: PulseAudio, espeak: str) -> None:
    question = QUESTIONS[1]
    expected = synthesize(question)
    with pulse.capture_speaker() as capture:
        seconds = TtsSpeaker().speak(question)
    assert seconds == pytest.approx(expected.duration, abs=0.01)
    heard, rate = captured(capture.path)
    assert float(np.max(np.abs(heard))) > 0.1
    assert loud_span(heard, rate) == pytest.approx(expected.duration, abs=0.35)
    # The same sound, not just some sound: the loudness envelopes match.
    sent = expected.resampled(rate).samples
    env_sent = np.abs(sent)[: len(sent) // 160 * 160].reshape(-1, 160).mean(1)
    env_heard = np.abs(heard)[: len(heard) // 160 * 160].reshape(-1, 160).mean(1)
    corr = np.correlate(env_heard - env_heard.mean(), env_sent - env_sent.mean(), "valid")
    norm_ = np.linalg.norm(env_sent - env_sent.mean()) * np.linalg.norm(
        env_heard - env_heard.mean()
    )
    assert float(corr.max()) / norm_ > 0.6


@pytest.mark.slow
def test_start_tone_and_device_choice(pulse: PulseAudio) -> None:
    tone = start_tone()
    for device in (None, "pulse", "default"):
        with pulse.capture_speaker() as capture:
            assert play(tone.samples, tone.sample_rate, device) == pytest.approx(0.12)
        heard, rate = captured(capture.path)
        loud = heard[np.abs(heard) > 0.05]
        assert loud.size > 0.08 * rate, device
        assert dominant_hz(heard, rate) == pytest.approx(880, abs=15)
    with pulse.capture_speaker() as capture:
        assert TtsSpeaker(device="pulse").tone() == pytest.approx(0.12)
    heard, rate = captured(capture.path)
    assert dominant_hz(heard, rate) == pytest.approx(880, abs=15)
    with pytest.raises(DeviceError) as caught:
        play(tone.samples, tone.sample_rate, "no such speaker")
    one_line(str(caught.value))
    assert "no such speaker" in str(caught.value)


@pytest.mark.slow
def test_stop_event_cuts_playback_short(pulse: PulseAudio) -> None:
    t = np.arange(5 * 16_000) / 16_000
    long_tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    stop = threading.Event()
    stopped_at: list[float] = []

    def press_stop() -> None:
        stopped_at.append(time.monotonic())
        stop.set()

    with pulse.capture_speaker() as capture:
        timer = threading.Timer(0.6, press_stop)
        timer.start()
        seconds = play(long_tone, 16_000, stop=stop)
        returned_at = time.monotonic()
        timer.join()
    assert returned_at - stopped_at[0] < 0.15  # polled every 20 ms, then aborted
    assert seconds < 1.0  # of 5 s
    heard, rate = captured(capture.path)
    assert 0.05 < loud_span(heard, rate) < 0.8  # some of it, then silence


@pytest.mark.slow
def test_ctrl_c_stops_playback_promptly(pulse: PulseAudio, espeak: str) -> None:
    code = textwrap.dedent(
        f"""
        import time
        from voicemock.audio.playback import play
        from voicemock.tts.speaker import synthesize
        speech = synthesize({LONG_QUESTION!r})
        print("playing", flush=True)
        try:
            play(speech.samples, speech.sample_rate)
        except KeyboardInterrupt:
            print("interrupted", time.monotonic(), flush=True)
        """
    )
    with pulse.capture_speaker() as capture:
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "playing"
        time.sleep(1.0)  # mid-sentence
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=10)
    word, at = out.split()
    assert word == "interrupted"
    assert float(at) - sent < 0.3  # playback aborted and play() left
    heard, rate = captured(capture.path)
    assert 0.5 < loud_span(heard, rate) < 2.0  # it spoke, then stopped (the whole is 22 s)


def test_speech_is_a_sound() -> None:
    speech = Speech(np.zeros(22_050, dtype=np.float32), 22_050, text="x", pieces=("x",))
    assert speech.duration == 1.0
    assert speech.resampled(16_000).samples.shape == (16_000,)
