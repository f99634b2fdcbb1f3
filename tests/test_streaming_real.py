"""Live (streaming) transcription against offline transcription of the same audio.

The answer goes through the real recording pipeline (``FileRecorder`` writing the WAV and
feeding subscribers block by block); the streaming transcript is then compared with
``transcribe()`` of the saved file, as ``voicemock analyze`` would do it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.speech_helpers import (
    FILLER_ANSWER,
    aligned_filler_recall,
    espeak_wav,
    filler_answer_text,
    read_references,
    wer,
)
from voicemock.asr.whisper import WhisperTranscriber
from voicemock.audio.io import load_audio
from voicemock.audio.recorder import FileRecorder
from voicemock.feedback import transcribe_file
from voicemock.practice import AnswerTranscription

pytestmark = pytest.mark.slow

CLIPS = [
    "librispeech/2412-153948-0000.flac",
    "ljspeech/LJ001-0001.wav",
    "librispeech/1089-134686-0000.flac",
    "ljspeech/LJ001-0003.wav",
    "picovoice/test.wav",
    "ljspeech/LJ001-0005.wav",
]


@pytest.fixture(scope="module")
def answer(
    shared_audio: Path, espeak: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """Real read speech, then a generated answer full of fillers: one 2-minute recording."""
    tmp = tmp_path_factory.mktemp("stream")
    refs = read_references(shared_audio)
    generated = load_audio(espeak_wav(espeak, FILLER_ANSWER, tmp / "fillers.wav"))
    parts, texts = [], []
    rng = np.random.default_rng(1)
    for clip in CLIPS:
        parts += [load_audio(shared_audio / clip), np.zeros(int(rng.uniform(0.5, 1.5) * 16000))]
        texts.append(refs[clip])
    parts.append(generated)
    texts.append(filler_answer_text())
    path = tmp / "answer.wav"
    soundfile.write(str(path), np.concatenate(parts).astype(np.float32), 16000, subtype="PCM_16")
    return path, " ".join(texts)


def test_streaming_matches_offline(answer: tuple[Path, str], tmp_path: Path) -> None:
    """The transcript a round stores is the one ``voicemock analyze`` gives for the saved
    file: the same chunks, decoded the same way by single-threaded workers at temperature
    0, so the words are identical, not merely close."""
    wav, reference = answer
    whisper = WhisperTranscriber.load()  # one worker per core, as in a round
    live = AnswerTranscription(whisper)
    recorder = FileRecorder(wav, realtime=False, block_s=0.1)
    live.attach(recorder)
    recorder.start(tmp_path / "recorded.wav")
    recorder.wait()
    recording = recorder.stop()
    streamed = live.finish(recording)
    assert len(live.stream.stats.chunks) >= 4  # it really was cut and decoded in pieces

    offline = transcribe_file(recording.path, whisper)  # what `voicemock analyze` does
    wer_live = wer([reference], [streamed.text])
    wer_offline = wer([reference], [offline.text])
    fillers_live, total = aligned_filler_recall(reference, streamed.text)
    fillers_offline, _ = aligned_filler_recall(reference, offline.text)
    print(
        f"{recording.duration_s:.0f} s: WER live {wer_live:.2%}, offline {wer_offline:.2%}; "
        f"fillers found live {fillers_live}, offline {fillers_offline} of {total}"
    )
    assert recording.duration_s > 110
    assert [w.to_dict() for w in streamed.words] == [w.to_dict() for w in offline.words]
    assert streamed.speech == offline.speech
    assert total == 26  # the generated answer's
    assert fillers_live >= 21
    assert wer_offline <= 0.1
