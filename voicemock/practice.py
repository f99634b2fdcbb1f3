"""The spoken practice round: ask, think, record with a live timer, analyse, save, repeat.

Everything outside the process comes from the :class:`~voicemock.env.Environment`
(recorder, speaker, transcriber, clock), so the same loop runs against a microphone, an
answer file or scripted fakes. Each answer is committed to the database as soon as it is
analysed; its audio file exists from the first second of recording.
"""

from __future__ import annotations

import contextlib
import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from voicemock.analysis.timing import Target, fmt_clock
from voicemock.env import Environment, RecorderRequest
from voicemock.errors import InputError, NoSpeechError, StorageError, VoicemockError
from voicemock.live import KeyReader, LiveLine

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.asr.whisper import Transcriber
    from voicemock.audio.recorder import Recorder, Recording
    from voicemock.questions import Question, QuestionSet
    from voicemock.storage import AnswerRecord, Store
    from voicemock.transcript import Transcript
    from voicemock.tts.speaker import Speaker

DEFAULT_COUNT = 3
TICK_S = 0.1
BYTES_PER_SECOND = 32_000
"""16 kHz, 16-bit mono."""
SPACE_MARGIN_BYTES = 20_000_000

StopReason = Literal["enter", "cap", "end_of_file", "device"]


@dataclass(frozen=True)
class PracticeOptions:
    """What the user asked for on the command line."""

    set_ref: str | None = None
    count: int | None = None
    question_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    think_s: float | None = None
    window: str | None = None
    cap: str | None = None
    voice: bool = True
    answer_file: Path | None = None
    fast: bool = False
    model: str | None = None
    seed: int | None = None


@dataclass(frozen=True)
class RoundPlan:
    qset: QuestionSet
    questions: tuple[Question, ...]
    targets: tuple[Target, ...]
    think_s: float


@dataclass
class AnswerOutcome:
    """What happened to one question of the round."""

    position: int
    question: Question
    target: Target
    record: AnswerRecord | None = None
    doc: dict[str, Any] | None = None
    stopped_by: StopReason | None = None
    error: str | None = None


@dataclass
class RoundResult:
    session_id: int
    outcomes: list[AnswerOutcome] = field(default_factory=list)


def plan_round(env: Environment, store: Store, options: PracticeOptions) -> RoundPlan:
    """Choose the set, the questions and each question's target."""
    from voicemock.feedback import resolve_target
    from voicemock.questions import DEFAULT_SET, Catalog, select_questions

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
        resolve_target(qset.target_for(q), options.window, options.cap) for q in questions
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
        console: Console,
        speaker: Speaker,
        transcriber: Transcriber,
        keys: KeyReader,
        finisher: Transcriber | None = None,
        input_device: str | None = None,
    ) -> None:
        self.env = env
        self.store = store
        self.plan = plan
        self.options = options
        self.console = console
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
        return result

    def ask(self, session_id: int, outcome: AnswerOutcome) -> None:
        from voicemock.render.practice import render_question

        question, target = outcome.question, outcome.target
        render_question(
            self.console,
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
            transcription.abandon()
            self.save_interrupted(record)
            raise
        except BaseException:
            transcription.abandon()
            raise
        self.console.print(_stopped_message(recording, outcome.stopped_by, target))
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
                reason = getattr(exc, "reason", str(exc))
                self.console.print(
                    f"[dim](voice unavailable: {_escape(reason)}; questions are shown as text)[/]",
                    soft_wrap=True,
                )

    def think(self, seconds: float) -> None:
        """A visible countdown; Enter skips it."""
        if seconds <= 0:
            return
        self.keys.drain()
        out = self.env.out
        tty = self.env.is_tty
        end = self.env.clock() + seconds
        if not tty:
            out.write(f"Thinking time: {fmt_clock(seconds)} (press Enter to start now)\n")
            out.flush()
        while True:
            left = end - self.env.clock()
            if left <= 0:
                break
            if tty:
                out.write(f"\r\x1b[2KThink: {fmt_clock(left)} left (Enter to start now)")
                out.flush()
            if self.keys.pressed(timeout=min(TICK_S, left)):
                break
            if self.keys.closed:
                self.env.sleep(min(TICK_S, max(left, 0)))
        if tty:
            out.write("\r\x1b[2K")
            out.flush()

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
        live = LiveLine(self.env.out, tty=self.env.is_tty, color=self.env.use_color)
        self.keys.drain()
        recorder.start(path)
        stopped_by: StopReason = "enter"
        try:
            while True:
                elapsed = recorder.elapsed
                live.update(elapsed, meter(recorder.level), target)
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
            live.finish("")
        if recording.reached_cap:
            stopped_by = "cap"
        return recording, stopped_by

    def analyse(
        self, outcome: AnswerOutcome, recording: Recording, transcription: AnswerTranscription
    ) -> None:
        from voicemock.feedback import analysis_document
        from voicemock.render.report import render_report

        record = outcome.record
        assert record is not None
        try:
            with self._status("Transcribing"):
                transcript = transcription.finish(recording)
        except NoSpeechError:
            outcome.error = "no speech detected"
            self.store.fail_answer(record.id, "no speech detected", duration_s=recording.duration_s)
            self.console.print(
                "[yellow]No speech detected in this answer[/] — is the microphone muted? "
                "(check 'voicemock devices'). The recording is kept."
            )
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
            self.console.print(f"[yellow]Warning:[/] {_escape(warning)}")
        self.console.print()
        render_report(self.console, doc)
        if outcome.question.follow_ups:
            self.console.print()
            self.console.print("[bold]A bar raiser might follow up with[/]")
            for follow_up in outcome.question.follow_ups:
                self.console.print(f"  • {_escape(follow_up)}")
        self.console.print()

    def save_interrupted(self, record: AnswerRecord) -> None:
        """Ctrl-C while recording: store what was said, marked interrupted."""
        from voicemock.recovery import recover_answer

        self.env.err.write(
            "\nInterrupted: saving your answer so far (Ctrl-C again to leave it "
            "for the next start)…\n"
        )
        self.env.err.flush()
        recovered = recover_answer(self.store, record, self.finisher)
        if recovered is not None:
            self.env.err.write(
                f"Saved as session {record.session_id}, answer {record.position} "
                f"({fmt_clock(recovered.duration_s or 0)}).\n"
            )

    @contextlib.contextmanager
    def _status(self, label: str) -> Iterator[None]:
        if self.env.is_tty:
            with self.console.status(f"{label}…", spinner="dots"):
                yield
        else:
            yield


def _stopped_message(recording: Recording, stopped_by: StopReason | None, target: Target) -> str:
    length = fmt_clock(recording.duration_s)
    if stopped_by == "cap":
        return f"[bold red]Stopped at the {fmt_clock(target.cap_s)} cap[/] — recorded {length}."
    if stopped_by == "end_of_file":
        return f"Answer file finished — recorded {length}."
    if stopped_by == "device":
        return f"[yellow]The microphone stopped[/] — recorded {length}."
    return f"Recorded {length}."


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def run_practice(
    env: Environment,
    options: PracticeOptions,
    *,
    console: Console,
    on_recovered: Callable[[str], None] | None = None,
) -> RoundResult:
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
        transcriber = env.transcriber(model, live=True)
        finisher = env.transcriber(model)
        for line in recover_interrupted(store, lambda: finisher):
            (on_recovered or (lambda _m: None))(line)
        input_device = config.input_device
        if options.answer_file is None:
            from voicemock.audio.devices import resolve_input

            resolve_input(input_device)  # no microphone: one line, before the first question
        speaker = env.speaker(config) if options.voice else _silent()
        keys = KeyReader(env.inp).start()
        round_ = PracticeRound(
            env,
            store,
            plan,
            options,
            console=console,
            speaker=speaker,
            transcriber=transcriber,
            finisher=finisher,
            keys=keys,
            input_device=input_device,
        )
        return round_.run()


def _silent() -> Speaker:
    from voicemock.tts.speaker import SilentSpeaker

    return SilentSpeaker()
