"""Finishing answers whose recording was interrupted (Ctrl-C, a crash, a kill).

The recorder keeps a valid WAV on disk at every moment and the database row is written
before the first sample, so whatever was said can be repaired, transcribed, analysed and
stored, marked ``interrupted``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from voicemock.errors import AudioError, NoSpeechError
from voicemock.timing import fmt_clock

if TYPE_CHECKING:
    from voicemock.asr.whisper import Transcriber
    from voicemock.storage import AnswerRecord, Store


def recover_answer(
    store: Store, record: AnswerRecord, transcriber: Transcriber
) -> AnswerRecord | None:
    """Repair, transcribe, analyse and store one interrupted answer.

    Returns the stored answer, or ``None`` when nothing usable was recorded (the row is
    then marked failed with the reason, and any audio is kept).
    """
    from voicemock.asr import transcribe
    from voicemock.audio import SAMPLE_RATE, WAV_HEADER_SIZE
    from voicemock.audio.io import load_audio
    from voicemock.audio.wavfile import repair_wav
    from voicemock.feedback import analysis_document

    path = record.audio_path
    if path is None or not path.exists() or path.stat().st_size <= WAV_HEADER_SIZE:
        store.fail_answer(record.id, "interrupted before any audio was recorded")
        return None
    try:
        repair_wav(path)
        audio = load_audio(path)
    except (AudioError, OSError, ValueError) as exc:
        store.fail_answer(record.id, f"interrupted; the recording cannot be read ({exc})")
        return None
    duration = len(audio) / SAMPLE_RATE
    try:
        transcript = transcribe(audio, transcriber)
    except NoSpeechError:
        store.fail_answer(record.id, "interrupted; no speech was recorded", duration_s=duration)
        return None
    doc = analysis_document(
        transcript, record.target, question=record.question_text, model=transcriber.name
    )
    return store.complete_answer(
        record.id,
        duration_s=duration,
        transcript=transcript.text,
        words=[w.to_dict() for w in transcript.words],
        analysis=doc,
        status="interrupted",
        model=transcriber.name,
    )


def recover_interrupted(store: Store, get_transcriber: Callable[[], Transcriber]) -> Iterator[str]:
    """Recover every orphaned recording; yield one line per answer for the user.

    The transcriber is only asked for when there is something to recover.
    """
    transcriber: Transcriber | None = None
    for record in store.recordings_to_recover():
        if transcriber is None:
            transcriber = get_transcriber()
        stored = recover_answer(store, record, transcriber)
        where = f"session {record.session_id}, answer {record.position}"
        if stored is None:
            reason = store.answer(record.id).error or "nothing usable"
            yield f"Interrupted recording ({where}): {reason}."
        else:
            yield (
                f"Recovered an interrupted answer ({where}, "
                f"{fmt_clock(stored.duration_s or 0)} of audio): see 'voicemock review "
                f"{record.session_id} --answer {record.position}'."
            )
    for session in store.stale_sessions():
        store.finish_session(session.id, "interrupted")
