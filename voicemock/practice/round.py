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
from voicemock.errors import InputError, NoSpeechError, StorageError, VoicemockError
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
"""16-bit mono at the sample rate."""
SPACE_MARGIN_BYTES = 20_000_000


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


def ensure_space(home: Path, seconds: float) -> None:
    """Refuse to start recording when the disk could fill up during the answer."""
    needed = int(seconds * BYTES_PER_SECOND) + SPACE_MARGIN_BYTES
    free = shutil.disk_usage(home).free
    if free < needed:
        raise StorageError(
            f"not enough free space in {home}: {free / 1e6:.0f} MB free, a "
            f"{fmt_clock(seconds)} answer needs about {needed / 1e6:.0f} MB"
        )


class AnswerTranscription:
    """Transcribes an answer while it is being recorded (see :mod:`voicemock.asr.stream`).

    When the recording stops only its last few seconds are left to decode.
    """

    def __init__(self, transcriber: Transcriber) -> None:
        from voicemock.asr.stream import StreamingTranscription

        self.stream = StreamingTranscription(transcriber)
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

    # -- the round --------------------------------------------------------------------

    def run(self) -> RoundResult:
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
        transcription = AnswerTranscription(self.transcriber)
        try:
            recording, outcome.stopped_by = self.record(record.audio_path, target, transcription)
        except KeyboardInterrupt:
            transcription.abandon()
            self.save_interrupted(record)
            raise
        except BaseException:
            transcription.abandon()
            raise
        self.view.stopped(outcome.stopped_by, recording.duration_s, target)
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
                    stopped_by = "cap" if recorder.elapsed >= target.cap_s - 0.05 else "end_of_file"
                    if self.options.answer_file is None and stopped_by != "cap":
                        stopped_by = "device"
                    break
        finally:
            recording = recorder.stop()
            self.view.recording_ended()
        if recording.reached_cap:
            stopped_by = "cap"
        return recording, stopped_by

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
        outcome.record = self.store.complete_answer(
            record.id,
            duration_s=recording.duration_s,
            transcript=transcript.text,
            words=[w.to_dict() for w in transcript.words],
            analysis=doc,
            overflow_count=recording.overflows,
        )
        for warning in recording.warnings:
            self.view.warning(warning)
        self.view.report(outcome)

    def save_interrupted(self, record: AnswerRecord) -> None:
        """Ctrl-C while recording: store what was said, marked interrupted."""
        from voicemock.recovery import recover_answer

        self.view.interrupted()
        recovered = recover_answer(self.store, record, self.finisher)
        if recovered is not None:
            self.view.saved_interrupted(
                record.session_id, record.position, recovered.duration_s or 0
            )


def run_practice(env: Environment, options: PracticeOptions, *, view: RoundView) -> RoundResult:
    """The whole command: recover leftovers, plan, load parts, run the round."""
    from voicemock.config import Config
    from voicemock.recovery import recover_interrupted
    from voicemock.storage import Store

    config = Config.load(env)
    if options.answer_file is not None:
        from voicemock.audio.io import load_audio

        load_audio(options.answer_file)  # a bad file fails now, before anything starts
    home = env.ensure_home()
    with Store.open(home) as store:
        plan = plan_round(env, store, options)
        model = options.model or config.model
        transcriber = env.transcriber(model)
        finisher = transcriber
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
