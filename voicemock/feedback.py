"""From a recorded or typed answer to the analysis document (library side of `analyze`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    from voicemock.audio.io import iter_audio, probe_audio

    try:
        return transcribe_blocks(
            iter_audio(path), transcriber, duration=probe_audio(path).duration_s, progress=progress
        )
    except NoSpeechError as exc:
        raise NoSpeechError(f"{exc} in {path}") from exc


MAX_TRANSCRIPT_BYTES = 2_000_000
"""A typed answer is a few kilobytes (an hour of speech is about 60 KB)."""


def read_transcript_text(path: Path) -> Transcript:
    """A typed transcript from a UTF-8 text file (a regular file, at most 2 MB)."""
    from voicemock.files import FileTooLarge, NotRegularFile, read_bounded

    try:
        raw = read_bounded(path, MAX_TRANSCRIPT_BYTES)
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except NotRegularFile as exc:
        raise InputError(f"{path} is {exc.kind}, not a text file") from None
    except FileTooLarge:
        raise InputError(f"{path} is too large for a typed answer (over 2 MB)") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
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
    tags: Sequence[str] = (),
    model: str | None = None,
) -> AnalysisDoc:
    """The analysis document of one answer; ``question`` and its set's ``tags`` decide the
    question's kind (and so which checks apply)."""
    from voicemock.analysis import analyze

    return analyze(transcript, target, question=question, tags=tags, model=model).to_dict()
