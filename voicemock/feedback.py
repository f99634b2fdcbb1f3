"""From a recorded or typed answer to the analysis document (library side of `analyze`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from voicemock.errors import InputError, NoSpeechError
from voicemock.timing import Target
from voicemock.transcript import Transcript

if TYPE_CHECKING:
    from voicemock.analysis.document import AnalysisDoc
    from voicemock.asr.whisper import Transcriber


def transcribe_file(
    path: Path,
    transcriber: Transcriber,
    *,
    progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Transcribe an audio file as it is read (a long file is never held whole); errors
    name the file."""
    from voicemock.asr.offline import transcribe_blocks
    from voicemock.audio.io import audio_duration, iter_audio

    try:
        return transcribe_blocks(
            iter_audio(path), transcriber, duration=audio_duration(path), progress=progress
        )
    except NoSpeechError as exc:
        raise NoSpeechError(f"{exc} in {path}") from exc


def read_transcript_text(path: Path) -> Transcript:
    """A typed transcript from a UTF-8 text file."""
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a text file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if "\x00" in text:
        raise InputError(f"{path} is not a text file")
    if not text.strip():
        raise InputError(f"{path} is empty: there is no answer to analyse")
    return Transcript.from_text(text)


def analysis_document(
    transcript: Transcript,
    target: Target,
    *,
    question: str | None = None,
    model: str | None = None,
) -> AnalysisDoc:
    from voicemock.analysis import analyze

    return analyze(transcript, target, question=question, model=model).to_dict()
