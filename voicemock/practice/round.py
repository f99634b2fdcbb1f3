"""The spoken practice round: ask, think, record with a live timer, analyse, save, repeat.

Everything outside the process comes from the :class:`~voicemock.env.Environment`
(recorder, speaker, transcriber, keys, clock), and everything shown goes to a
:class:`~voicemock.practice.view.RoundView`, so the same loop runs against a microphone,
an answer file or scripted parts, drawn on a terminal or anywhere else. Each answer is
committed to the database as soon as it is analysed; its audio file exists from the first
second of recording.
"""

from __future__ import annotations

import contextlib
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from voicemock.audio import SAMPLE_RATE
from voicemock.env import Environment, RecorderRequest
from voicemock.errors import (
    DiskFullError,
    InputError,
    NoSpeechError,
    StorageError,
    VoicemockError,
)
from voicemock.practice.model import (
    AnswerOutcome,
    PracticeOptions,
    RoundPlan,
    RoundResult,
    StopReason,
)
from voicemock.timing import Target, fmt_clock

if TYPE_CHECKING:
    from voicemock.asr.whisper import Transcriber
    from voicemock.audio.recorder import Recorder, Recording
    from voicemock.keys import Keys
    from voicemock.practice.view import RoundView
    from voicemock.storage import AnswerRecord, Store
    from voicemock.transcript import Transcript
    from voicemock.tts.speaker import Speaker

DEFAULT_COUNT = 3
TICK_S = 0.1
BYTES_PER_SECOND = SAMPLE_RATE * 2
"""16-bit mono at the sample rate: 32 kB a second, 7.7 MB for a 4:00 answer."""
SPACE_MARGIN_BYTES = 5_000_000
"""Room for the database besides the recording: the answer's row (its words and analysis,
about 0.2 MB for 4:00) and the write-ahead log, which grows to about 4 MB (SQLite's
automatic checkpoint at 1,000 pages) before it is folded back into the database."""


def plan_round(env: Environment, store: Store, options: PracticeOptions) -> RoundPlan:
    """Choose the set, the questions and each question's target."""
    from voicemock.questions import DEFAULT_SET, Catalog, select_questions
    from voicemock.timing import apply_overrides

    qset = Catalog.for_env(env).get(options.set_ref or DEFAULT_SET)
    count = options.count
    if count is None and not options.question_ids:
        count = DEFAULT_COUNT
    questions = select_questions(
        qset,
        ids=options.question_ids,
        tags=options.tags,
        count=count,
        last_practised=store.last_practised(qset.name),
        rng=random.Random(options.seed),
    )
    if not questions:
        raise InputError(f"no questions in set {qset.name!r} match the tags given")
    targets = tuple(
        apply_overrides(qset.target_for(q), options.window, options.cap) for q in questions
    )
    think = options.think_s if options.think_s is not None else (qset.think_s or 0.0)
    if think < 0:
        raise InputError("--think must not be negative")
    return RoundPlan(qset, tuple(questions), targets, float(think))


def space_needed(seconds: float) -> int:
    """Bytes an answer of up to ``seconds`` can need: its recording and the database's
    share (:data:`SPACE_MARGIN_BYTES`)."""
    return int(seconds * BYTES_PER_SECOND) + SPACE_MARGIN_BYTES


def ensure_space(home: Path, seconds: float) -> None:
    """Refuse to start recording when the disk could fill up during the answer."""
    needed = space_needed(seconds)
    try:
        free = shutil.disk_usage(home).free
    except OSError:
        return  # cannot tell: the writes themselves will say
    if free < needed:
        audio = int(seconds * BYTES_PER_SECOND)
        raise StorageError(
            f"not enough free space in {home}: {free / 1e6:.1f} MB free, a"
            f" {fmt_clock(seconds)} answer needs {needed / 1e6:.1f} MB ({audio / 1e6:.1f} MB"
            f" of audio, {SPACE_MARGIN_BYTES / 1e6:.0f} MB for the database)"
        )


class AnswerTranscription:
    """Transcribes an answer while it is being recorded (see :mod:`voicemock.asr.stream`).

    When the recording stops only its last few seconds are left to decode.
    """

    def __init__(self, transcriber: Transcriber, finisher: Transcriber | None = None) -> None:
        from voicemock.asr.stream import StreamingTranscription

        self.stream = StreamingTranscription(transcriber, finisher=finisher)
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, recorder: Recorder) -> None:
        """Listen to the recorder before it starts."""
        self._unsubscribe = recorder.subscribe(self.stream.feed)

    def finish(self, recording: Recording) -> Transcript:  # noqa: ARG002 (all was fed)
        if self._unsubscribe is not None:
            self._unsubscribe()
        return self.stream.finish()

    def abandon(self) -> None:
        self.stream.close()


class PracticeRound:
    """One round: a session with one saved answer per question."""

    def __init__(
        self,
        env: Environment,
        store: Store,
        plan: RoundPlan,
        options: PracticeOptions,
        *,
        view: RoundView,
        speaker: Speaker,
        transcriber: Transcriber,
        keys: Keys,
        finisher: Transcriber | None = None,
        input_device: str | None = None,
    ) -> None:
        self.env = env
        self.store = store
        self.plan = plan
        self.options = options
        self.view = view
        self.speaker = speaker
        self.transcriber = transcriber
        self.finisher = finisher or transcriber
        self.keys = keys
        self.input_device = input_device
        self.voice_notice_shown = False
        self.last_recording: Recording | None = None
        """What the latest :meth:`record` recorded (``None`` until it stopped cleanly)."""

    # -- the round --------------------------------------------------------------------

    def run(self) -> RoundResult:
        if self.plan.targets:  # no space for the first answer: refuse before saving anything
            ensure_space(self.env.home, self.plan.targets[0].cap_s)
        session = self.store.create_session(
            set_name=self.plan.qset.name,
            set_path=self.plan.qset.path,
            model=self.transcriber.name,
            settings={
                "count": len(self.plan.questions),
                "think_s": self.plan.think_s,
                "voice": self.options.voice,
                "answer_file": str(self.options.answer_file) if self.options.answer_file else None,
            },
        )
        result = RoundResult(session.id)
        try:
            for n, (question, target) in enumerate(
                zip(self.plan.questions, self.plan.targets, strict=True), 1
            ):
                outcome = AnswerOutcome(n, question, target)
                result.outcomes.append(outcome)
                self.ask(session.id, outcome)
        except BaseException:
            with contextlib.suppress(Exception):
                self.store.finish_session(session.id, "interrupted")
            raise
        self.store.finish_session(session.id, "complete")
        self.view.finished(result)
        return result

    def ask(self, session_id: int, outcome: AnswerOutcome) -> None:
        question, target = outcome.question, outcome.target
        self.view.question(
            question,
            position=outcome.position,
            total=len(self.plan.questions),
            set_name=self.plan.qset.name,
            target=target,
        )
        self.read_aloud(question.text)
        self.think(self.plan.think_s)
        ensure_space(self.env.home, target.cap_s)
        record = self.store.start_answer(
            session_id,
            question_id=question.id,
            question_text=question.text,
            set_name=self.plan.qset.name,
            target=target,
            model=self.transcriber.name,
        )
        outcome.record = record
        assert record.audio_path is not None
        transcription = AnswerTranscription(self.transcriber, self.finisher)
        try:
            recording, outcome.stopped_by = self.record(record.audio_path, target, transcription)
        except KeyboardInterrupt:
            self.save_interrupted(record, transcription)
            raise
        except BaseException:
            transcription.abandon()
            raise
        self.analyse(outcome, recording, transcription)

    # -- steps --------------------------------------------------------------------------

    def read_aloud(self, text: str) -> None:
        from voicemock.tts.speaker import SpeechUnavailable

        if not self.options.voice:
            return
        try:
            self.speaker.speak(text)
        except (SpeechUnavailable, VoicemockError) as exc:
            if not self.voice_notice_shown:
                self.voice_notice_shown = True
                self.view.voice_unavailable(getattr(exc, "reason", str(exc)))

    def think(self, seconds: float) -> None:
        """A visible countdown; Enter skips it."""
        if seconds <= 0:
            return
        self.keys.drain()
        end = self.env.clock() + seconds
        self.view.think_start(seconds)
        while True:
            left = end - self.env.clock()
            if left <= 0:
                break
            self.view.think_tick(left)
            if self.keys.pressed(timeout=min(TICK_S, left)):
                break
            if self.keys.closed:
                self.env.sleep(min(TICK_S, max(left, 0)))
        self.view.think_end()

    def start_tone(self) -> None:
        if not self.options.voice:
            return
        with contextlib.suppress(VoicemockError, OSError):
            self.speaker.tone()

    def record(
        self, path: Path, target: Target, transcription: AnswerTranscription
    ) -> tuple[Recording, StopReason]:
        """Record until Enter, the cap or the end of the answer file, with the live line."""
        from voicemock.audio.recorder import meter

        recorder = self.env.recorder(
            RecorderRequest(
                max_seconds=target.cap_s,
                answer_file=self.options.answer_file,
                fast=self.options.fast,
                device=self.input_device,
            )
        )
        transcription.attach(recorder)
        self.start_tone()
        self.keys.drain()
        self.last_recording = None
        recorder.start(path)
        stopped_by: StopReason = "enter"
        try:
            while True:
                elapsed = recorder.elapsed
                self.view.recording(elapsed, meter(recorder.level), target)
                if elapsed >= target.cap_s:
                    stopped_by = "cap"
                    break
                if self.keys.pressed():
                    break
                if recorder.wait(TICK_S):
                    stopped_by = self.stop_reason(recorder, target)
                    break
        finally:
            try:
                self.last_recording = recorder.stop()
            finally:
                self.view.recording_ended()
        recording = self.last_recording
        if recording.reached_cap:
            stopped_by = "cap"
        self.view.stopped(stopped_by, recording.duration_s, target)
        return recording, stopped_by

    def stop_reason(self, recorder: Recorder, target: Target) -> StopReason:
        """Why a recording ended by itself: the cap, a failed write (a full disk, most
        often), the end of the answer file, or the microphone."""
        error = getattr(recorder, "error", None)
        if error is not None:
            return "disk_full" if _disk_full(error) else "write_failed"
        if recorder.elapsed >= target.cap_s - 0.05:
            return "cap"
        return "end_of_file" if self.options.answer_file is not None else "device"

    def analyse(
        self, outcome: AnswerOutcome, recording: Recording, transcription: AnswerTranscription
    ) -> None:
        from voicemock.feedback import analysis_document

        record = outcome.record
        assert record is not None
        try:
            with self.view.working("Transcribing"):
                transcript = transcription.finish(recording)
        except NoSpeechError:
            outcome.error = "no speech detected"
            self.store.fail_answer(record.id, "no speech detected", duration_s=recording.duration_s)
            self.view.no_speech()
            return
        doc = analysis_document(
            transcript, outcome.target, question=outcome.question.text, model=self.transcriber.name
        )
        outcome.doc = doc
        try:
            outcome.record = self.store.complete_answer(
                record.id,
                duration_s=recording.duration_s,
                transcript=transcript.text,
                words=[w.to_dict() for w in transcript.words],
                analysis=doc,
                overflow_count=recording.overflows,
            )
        except StorageError as exc:
            self.view.report(outcome)  # the feedback, though it could not be saved
            kept = f"your recording ({fmt_clock(recording.duration_s)}) is kept"
            if isinstance(exc, DiskFullError):
                raise DiskFullError(
                    f"{exc}, then run 'voicemock sessions recover': {kept} and is saved then"
                ) from exc
            raise StorageError(
                f"{exc}; {kept}: once that is fixed, 'voicemock sessions recover' saves it"
            ) from exc
        for warning in recording.warnings:
            self.view.warning(warning)
        self.view.report(outcome)

    def save_interrupted(self, record: AnswerRecord, transcription: AnswerTranscription) -> None:
        """Ctrl-C (or SIGTERM) while recording: store what was said, marked interrupted.

        The words come from the live transcription: what it decoded while the answer was
        recorded, plus the last seconds (``StreamingTranscription.finish``), so this takes
        about a second, not a second transcription of the whole recording. A second
        Ctrl-C, or anything going wrong, leaves the answer to the next start's recovery.
        """
        from voicemock.audio import WAV_HEADER_SIZE
        from voicemock.feedback import analysis_document

        recording = self.last_recording
        path = record.audio_path
        if path is None or not path.exists() or path.stat().st_size <= WAV_HEADER_SIZE:
            transcription.abandon()
            self.store.fail_answer(record.id, "interrupted before any audio was recorded")
            return
        if recording is None:  # stopping itself was interrupted: the file is finalised
            transcription.abandon()
            return
        self.view.interrupted()
        try:
            transcript = transcription.finish(recording)
        except NoSpeechError:
            self.store.fail_answer(
                record.id, "interrupted; no speech was recorded", duration_s=recording.duration_s
            )
            return
        except Exception as exc:  # the recording stays, for the recovery at the next start
            self.view.warning(f"{_later}: {exc}")
            return
        doc = analysis_document(
            transcript, record.target, question=record.question_text, model=self.transcriber.name
        )
        try:
            stored = self.store.complete_answer(
                record.id,
                duration_s=recording.duration_s,
                transcript=transcript.text,
                words=[w.to_dict() for w in transcript.words],
                analysis=doc,
                overflow_count=recording.overflows,
                status="interrupted",
            )
        except StorageError as exc:
            self.view.warning(f"{_later}: {exc}")
            return
        self.view.saved_interrupted(record.session_id, record.position, stored.duration_s or 0)


def run_practice(env: Environment, options: PracticeOptions, *, view: RoundView) -> RoundResult:
    """The whole command: recover leftovers, plan, load parts, run the round."""
    from voicemock.config import Config
    from voicemock.recovery import recover_interrupted
    from voicemock.storage import Store
    from voicemock.timing import apply_overrides

    config = Config.load(env)
    if options.answer_file is not None:
        from voicemock.audio.io import probe_audio

        probe_audio(options.answer_file)  # a bad file fails now, before anything starts
    home = env.ensure_home()
    env.clean_scratch()
    # No room for an answer: say so before a database or a session is created.
    ensure_space(home, apply_overrides(config.target, options.window, options.cap).cap_s)
    with Store.open(home) as store:
        plan = plan_round(env, store, options)
        model = options.model or config.model
        transcriber = env.transcriber(model, live=True)
        finisher = env.transcriber(model)
        for line in recover_interrupted(store, lambda: finisher):
            view.recovered(line)
        input_device = config.input_device
        if options.answer_file is None:
            env.check_microphone(input_device)  # none: one line, before the first question
        speaker = env.speaker(config) if options.voice else _silent()
        round_ = PracticeRound(
            env,
            store,
            plan,
            options,
            view=view,
            speaker=speaker,
            transcriber=transcriber,
            finisher=finisher,
            keys=env.keys(),
            input_device=input_device,
        )
        return round_.run()


def _silent() -> Speaker:
    from voicemock.tts.speaker import SilentSpeaker

    return SilentSpeaker()


_later = (
    "the answer could not be saved now; its recording is kept and is saved at the next"
    " start (or by 'voicemock sessions recover')"
)


def _disk_full(error: BaseException) -> bool:
    """Whether a failed write means the disk (or the user's quota) is full."""
    import errno

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        seen = seen.__cause__ or seen.__context__
    return "no space left" in str(error).lower()
