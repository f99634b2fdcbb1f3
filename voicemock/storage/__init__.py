"""Where practice sessions are saved: SQLite in the data directory, plus the recordings.

Typical use by the practice round::

    with Store.open(env.ensure_home()) as store:
        for orphan in store.recordings_to_recover():      # left by a crash or Ctrl-C
            ...  # repair orphan.audio_path, transcribe, analyse, then
            store.complete_answer(orphan.id, ..., status="interrupted")
        session = store.create_session(set_name="amazon-pm", model="tiny.en")
        rec = store.start_answer(session.id, question_id="ownership-1",
                                 question_text="Tell me about...", target=target)
        ...  # record into rec.audio_path, transcribe, analyse
        store.complete_answer(rec.id, duration_s=..., transcript=..., words=[...],
                              analysis=analysis.to_dict())
        store.finish_session(session.id, "complete")
"""

from __future__ import annotations

from voicemock.storage.db import AUDIO_DIR, DB_NAME, EXPORT_FORMAT, EXPORT_VERSION, Store
from voicemock.storage.records import (
    AnswerRecord,
    AnswerStatus,
    DeleteResult,
    Session,
    SessionStatus,
    SessionSummary,
)

__all__ = [
    "AUDIO_DIR",
    "DB_NAME",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "AnswerRecord",
    "AnswerStatus",
    "DeleteResult",
    "Session",
    "SessionStatus",
    "SessionSummary",
    "Store",
]
