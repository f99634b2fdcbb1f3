"""The spoken practice round: ask, think, record with a live timer, analyse, save, repeat.

After each main answer the interviewer asks ``follow_ups`` follow-up questions, chosen from
what the answer lacked (:mod:`voicemock.interview.followups`), and records each reply as
an answer of its own, linked to the main one. An interview (``mode="interview"``) picks one
question per Leadership Principle, opens and closes in the interviewer's voice and ends
with the bar-raiser scorecard (:mod:`voicemock.interview.scorecard`), saved with the session.

In a practice round each main answer then meets the story bank (:mod:`voicemock.storybank`):
linked in advance (``--story``), chosen by the person from the best suggestion and its
score, or linked automatically above the threshold when nobody is asked; a telling that
contradicts an earlier one is shown, quoting both. Then the try-again key asks the same
question at once, and the new attempt's feedback opens with what changed
(:func:`voicemock.progress.compare`); ``--again`` repeats the last question practised and
``--next`` asks for the principles no story covers first (:mod:`voicemock.coverage`).

Everything outside the process comes from the :class:`~voicemock.env.Environment`
(recorder, speaker, transcriber, keys, clock), and everything shown goes to a
:class:`~voicemock.practice.view.RoundView`, so the same loop runs against a microphone,
an answer file or scripted parts, drawn on a terminal or anywhere else. Each answer is
committed to the database as soon as it is analysed; its audio file exists from the first
second of recording.
"""

from __future__ import annotations

import contextlib
import math
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
    MAX_FOLLOW_UPS,
    AnswerOutcome,
    InterviewerMoment,
    PracticeOptions,
    RoundPlan,
    RoundResult,
    StopReason,
)
from voicemock.timing import Target, fmt_clock

if TYPE_CHECKING:
    from voicemock.asr.whisper import Transcriber
    from voicemock.audio.recorder import Recorder, Recording
    from voicemock.interview.followups import FollowUpPlanner
    from voicemock.interview.scorecard import AnswerEvidence, Scorecard
    from voicemock.keys import Keys
    from voicemock.practice.view import RoundView
    from voicemock.storage import AnswerRecord, Store
    from voicemock.storybank import Linked
    from voicemock.transcript import Transcript
    from voicemock.tts.speaker import Speaker

DEFAULT_COUNT = 3
"""Questions in a round (practice or interview) unless told otherwise."""
TICK_S = 0.1
BYTES_PER_SECOND = SAMPLE_RATE * 2
"""16-bit mono at the sample rate: 32 kB a second, 7.7 MB for a 4:00 answer."""
SPACE_MARGIN_BYTES = 5_000_000
"""Room for the database besides the recording: the answer's row (its words and analysis,
about 0.2 MB for 4:00) and the write-ahead log, which grows to about 4 MB (SQLite's
automatic checkpoint at 1,000 pages) before it is folded back into the database."""


def plan_round(env: Environment, store: Store, options: PracticeOptions) -> RoundPlan:
    """Choose the set, the questions and each question's targets.

    With answer files and no question count, there are as many questions as the files
    answer (each question takes one file and one per follow-up); a count that leaves a
    main answer without a file, or files without an answer, is refused here.
    """
    from voicemock.questions import DEFAULT_SET, Catalog, select_questions
    from voicemock.timing import apply_overrides

    if not 0 <= options.follow_ups <= MAX_FOLLOW_UPS:
        raise InputError(f"--follow-ups must be between 0 and {MAX_FOLLOW_UPS}")
    _check_story_options(options)
    if options.story_id is not None:
        store.stories.get(options.story_id)  # no such story: one line, before anything
    catalog = Catalog.for_env(env)
    if options.again:
        options = _again_options(store, options)
    qset = catalog.get(options.set_ref or DEFAULT_SET)
    per_question = 1 + options.follow_ups
    files = len(options.answer_files)
    count = options.count
    if count is None and not options.question_ids:
        count = max(1, math.ceil(files / per_question)) if files else DEFAULT_COUNT
    rng = random.Random(options.seed)
    if options.mode == "interview" and not options.question_ids and not options.tags:
        from voicemock.interview.selection import choose_loop_questions

        assert count is not None
        questions = choose_loop_questions(
            qset.questions, count, last_practised=store.last_practised(qset.name), rng=rng
        )
    elif options.next:
        from voicemock.progress import TagIndex
        from voicemock.storybank import next_questions

        assert count is not None
        questions = next_questions(
            store, qset, TagIndex.from_catalog(catalog), count=count, rng=rng
        )
    else:
        questions = select_questions(
            qset,
            ids=options.question_ids,
            tags=options.tags,
            count=count,
            last_practised=store.last_practised(qset.name),
            rng=rng,
        )
    if not questions:
        raise InputError(f"no questions in set {qset.name!r} match the tags given")
    if files:
        _check_answer_files(files, len(questions), options.follow_ups)
    targets = tuple(
        apply_overrides(qset.target_for(q), options.window, options.cap) for q in questions
    )
    think = options.think_s if options.think_s is not None else (qset.think_s or 0.0)
    if options.fast and options.think_s is None:
        think = 0.0  # answers from files as fast as they decode: nobody is thinking
    if think < 0:
        raise InputError("--think must not be negative")
    notes: tuple[str, ...] = ()
    if count is not None and len(questions) < count:
        notes = (_shortfall(qset.name, options, len(questions), count),)
    return RoundPlan(
        qset,
        tuple(questions),
        targets,
        float(think),
        notes=notes,
        follow_up_targets=tuple(qset.follow_up_target_for(q) for q in questions),
        follow_ups=options.follow_ups,
        mode=options.mode,
        story_id=options.story_id,
        again=options.again,
    )


def _check_story_options(options: PracticeOptions) -> None:
    """``--again`` and ``--next`` choose the questions themselves: refuse what would
    contradict them, in one line."""
    if options.again and options.next:
        raise InputError("--again repeats the last question; --next picks new ones: give one")
    for flag, on in (("--again", options.again), ("--next", options.next)):
        if not on:
            continue
        if options.question_ids:
            raise InputError(f"{flag} chooses the question itself: leave out --question")
        if options.tags:
            raise InputError(f"{flag} chooses the questions itself: leave out --tag")
    if options.again and options.set_ref is not None:
        raise InputError("--again asks the last question in its own set: leave out --set")
    if options.again and options.count not in (None, 1):
        raise InputError("--again repeats one question: leave out --count")


def _again_options(store: Store, options: PracticeOptions) -> PracticeOptions:
    """``--again``: the options of a round asking the last question practised, from the
    set it was asked from."""
    import dataclasses

    last = store.last_main_answer()
    if last is None:
        raise InputError(
            "--again repeats the last question practised, but nothing has been practised"
            " yet: run 'voicemock practice' first"
        )
    set_ref = last.set_name
    session = store.get_session(last.session_id)
    if session.set_path is not None and Path(session.set_path).is_file():
        set_ref = str(session.set_path)  # a set given by its path, or a set file moved since
    if set_ref is None:
        raise InputError(
            f"--again: the last question practised ({last.question_id!r}) has no set: ask it"
            " with --set and --question"
        )
    return dataclasses.replace(
        options, set_ref=set_ref, question_ids=(last.question_id,), count=None
    )


def _shortfall(set_name: str, options: PracticeOptions, found: int, wanted: int) -> str:
    """Why the round has fewer questions than asked for, in one line."""
    asking = f"asking {'that one' if found == 1 else f'those {found}'}, not {wanted}"
    noun = "question" if found == 1 else "questions"
    if options.question_ids:
        named = len(set(options.question_ids))
        return f"--count {wanted}, but {named} {noun} named with --question: {asking}"
    if options.tags:
        tags = ", ".join(options.tags)
        which = "the tag" if len(options.tags) == 1 else "one of the tags"
        verb = "has" if found == 1 else "have"
        return f"only {found} {noun} in {set_name} {verb} {which} {tags}: {asking}"
    return f"{set_name} has only {found} {noun}: {asking}"


def _check_answer_files(files: int, questions: int, follow_ups: int) -> None:
    """Every main answer needs its file; a reply without one is skipped (so one file with
    the default follow-up still answers one question); no file may be left unused."""
    per_question = 1 + follow_ups
    needed = questions * per_question
    shape = f"{questions} question{'s' if questions != 1 else ''}" + (
        f" with {follow_ups} follow-up{'s' if follow_ups != 1 else ''} each" if follow_ups else ""
    )
    order = " (in order: each main answer, then its replies)" if follow_ups else ""
    if files <= (questions - 1) * per_question:
        raise InputError(
            f"{files} answer file{'s' if files != 1 else ''} for {shape}: give one"
            f" --answer-file per answer{order}, {needed} in all"
        )
    if files > needed:
        raise InputError(
            f"{files} answer files for {shape}: only {needed} answer"
            f"{'s are' if needed != 1 else ' is'} recorded{order}"
        )


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

    def release(self) -> None:
        """After :meth:`finish`: wait for a decode ahead that was not needed to end (it
        may still be running when the report is shown)."""
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
        input_device: str | None = None,
    ) -> None:
        self.env = env
        self.store = store
        self.plan = plan
        self.options = options
        self.view = view
        self.speaker = speaker
        self.transcriber = transcriber
        self.keys = keys
        self.input_device = input_device
        self.voice_notice_shown = False
        self.answer_files = list(options.answer_files)
        """Recordings still to be used, in order (consumed one per answer)."""
        self.planner = _planner()
        self.last_recording: Recording | None = None
        """What the latest :meth:`record` recorded (``None`` until it stopped cleanly)."""

    # -- the round --------------------------------------------------------------------

    def run(self) -> RoundResult:
        plan = self.plan
        if plan.targets:  # no space for the first answer: refuse before saving anything
            ensure_space(self.env.home, plan.targets[0].cap_s)
        session = self.store.create_session(
            set_name=plan.qset.name,
            set_path=plan.qset.path,
            model=self.transcriber.name,
            settings={
                "mode": plan.mode,
                "count": len(plan.questions),
                "follow_ups": plan.follow_ups,
                "think_s": plan.think_s,
                "voice": self.options.voice,
                "answer_files": [str(p) for p in self.options.answer_files],
            },
        )
        result = RoundResult(session.id, mode=plan.mode)
        follow_up_targets = plan.follow_up_targets or tuple(
            plan.qset.follow_up_target_for(q) for q in plan.questions
        )
        try:
            if plan.mode == "interview":
                self.interviewer_says(interview_intro(plan), "intro")
            for n, (question, target, reply_target) in enumerate(
                zip(plan.questions, plan.targets, follow_up_targets, strict=True), 1
            ):
                outcome = AnswerOutcome(n, question, target, retry=plan.again)
                result.outcomes.append(outcome)
                self.ask(session.id, outcome)
                self.story(outcome)
                while self.offer_retry(outcome):  # the try-again key: the same question
                    outcome = AnswerOutcome(n, question, target, retry=True)
                    result.outcomes.append(outcome)
                    self.ask(session.id, outcome)
                    self.story(outcome)
                self.follow_ups(session.id, outcome, reply_target)
            if plan.mode == "interview":
                self.interviewer_says(INTERVIEW_CLOSING, "closing")
                result.scorecard = self.scorecard(session.id, result)
        except BaseException:
            with contextlib.suppress(Exception):
                self.store.finish_session(session.id, "interrupted")
            raise
        self.store.finish_session(session.id, "complete")
        self.view.finished(result)
        return result

    def ask(self, session_id: int, outcome: AnswerOutcome) -> None:
        question, target = outcome.question, outcome.target
        if outcome.retry:
            outcome.attempt = 1 + len(self.attempts_at(outcome))
        self.view.question(
            question,
            position=outcome.position,
            total=len(self.plan.questions),
            set_name=self.plan.qset.name,
            target=target,
            attempt=outcome.attempt,
        )
        self.read_aloud(question.text)
        self.think(self.plan.think_s)
        self.record_answer(session_id, outcome)

    def record_answer(
        self, session_id: int, outcome: AnswerOutcome, *, parent: int | None = None
    ) -> None:
        """Record, transcribe, analyse and save one answer: a main answer, or a reply to a
        follow-up (``parent``: the id of its main answer)."""
        question, target = outcome.question, outcome.target
        answer_file = self.answer_files.pop(0) if self.answer_files else None
        ensure_space(self.env.home, target.cap_s)
        follow_up = outcome.follow_up
        record = self.store.start_answer(
            session_id,
            question_id=question.id,
            question_text=outcome.text,
            set_name=self.plan.qset.name,
            target=target,
            model=self.transcriber.name,
            parent_id=parent,
            follow_up=follow_up.to_dict() if follow_up is not None else None,
        )
        outcome.record = record
        assert record.audio_path is not None
        transcription = AnswerTranscription(self.transcriber)
        try:
            recording, outcome.stopped_by = self.record(
                record.audio_path, target, transcription, answer_file
            )
        except KeyboardInterrupt:
            self.save_interrupted(record, transcription)
            raise
        except BaseException:
            transcription.abandon()
            raise
        try:
            self.analyse(outcome, recording, transcription)
        finally:
            transcription.release()

    def follow_ups(self, session_id: int, main: AnswerOutcome, target: Target) -> None:
        """Ask the main answer's follow-up questions and record each reply."""
        if self.plan.follow_ups <= 0:
            return
        chosen = self.planner.plan(
            main.doc,
            question_id=main.question.id,
            seeds=main.question.follow_ups,
            count=self.plan.follow_ups,
        )
        for number, follow_up in enumerate(chosen, 1):
            reply = AnswerOutcome(
                main.position, main.question, target, follow_up=follow_up, number=number
            )
            main.replies.append(reply)
            self.view.follow_up(reply)
            if self.options.answer_files and not self.answer_files:
                reply.error = "skipped"  # no answer file left for it
                self.view.warning(
                    "No answer file left for this reply: skipped (give one --answer-file"
                    " per answer, or --follow-ups 0)"
                )
                continue
            self.read_aloud(follow_up.text)
            parent = main.record.id if main.record is not None else None
            self.record_answer(session_id, reply, parent=parent)

    # -- stories and trying again ----------------------------------------------------------

    @property
    def asking(self) -> bool:
        """A person at a terminal answers the round's questions (which story, try
        again); answer files played with ``--fast`` are a run nobody watches."""
        if self.options.answer_files and self.options.fast:
            return False
        return bool(getattr(self.keys, "interactive", False)) and not self.keys.closed

    def story(self, outcome: AnswerOutcome) -> None:
        """Link a main answer of a practice round to its story: the one given with
        ``--story``, the person's choice, or (nobody asked) the best one when it scores
        the threshold. A telling that differs from earlier ones is shown, quoting both."""
        from voicemock import storybank

        record = outcome.record
        if self.plan.mode != "practice" or outcome.is_reply or record is None:
            return
        if outcome.doc is None:
            return  # no speech: nothing to tell a story with
        linked: Linked | None
        try:
            if self.plan.story_id is not None:
                linked = storybank.link_answer(self.store, record.id, self.plan.story_id)
            elif self.asking:
                linked = self.choose_story(outcome)
            else:
                linked = storybank.auto_link(self.store, record.id)
                if linked is None:
                    self.left_unlinked(outcome)
        except StorageError as exc:
            self.view.warning(f"the answer is saved but could not be linked to a story: {exc}")
            return
        if linked is not None:
            outcome.linked = linked
            self.view.story_linked(outcome, linked)

    def left_unlinked(self, outcome: AnswerOutcome) -> None:
        from voicemock import storybank
        from voicemock.stories.similarity import THRESHOLD

        assert outcome.record is not None
        ranked = storybank.suggest_for(self.store, outcome.record.id, limit=1)
        if ranked:  # an empty bank: nothing to say
            self.view.story_unlinked(outcome, ranked[0], threshold=THRESHOLD)

    def choose_story(self, outcome: AnswerOutcome) -> Linked | None:
        """Ask which story the answer tells: the best suggestion with its score, confirmed
        with a key, another picked from the list, a new one, or none."""
        from voicemock import keys, storybank
        from voicemock.storage.values import parse_number
        from voicemock.stories.similarity import THRESHOLD

        assert outcome.record is not None
        answer_id = outcome.record.id
        ranked = storybank.suggest_for(self.store, answer_id)
        if not ranked:  # no story yet: say how to start one, and ask nothing
            self.view.story_unlinked(outcome, None, threshold=THRESHOLD)
            return None
        best = ranked[0]
        by_id = {s.story_id: s for s in ranked}
        self.keys.drain()
        while True:
            self.view.story_suggestion(outcome, best, threshold=THRESHOLD)
            key = self.keys.read_line()
            if key is None:  # the input ended: as if nobody were asked
                return storybank.auto_link(self.store, answer_id)
            choice = key.lower()
            if choice == "" and best.score < THRESHOLD:
                return None
            if choice in ("", keys.LINK):
                return storybank.link_answer(self.store, answer_id, best.story_id, score=best.score)
            if choice == keys.SKIP:
                return None
            if choice == keys.NEW:
                created = self.new_story(answer_id)
                if created is not None:
                    return created
                continue
            if choice == keys.LIST:
                self.view.story_choices(ranked)
                key = self.keys.read_line()
                if key is None:
                    return None
                choice = key.lower()
                if choice == "":
                    continue
            number = parse_number(choice)
            if number is not None and number in by_id:
                score = by_id[number].score
                return storybank.link_answer(self.store, answer_id, number, score=score)
            self.view.warning(_not_a_key(key))

    def new_story(self, answer_id: int) -> Linked | None:
        """``n``: a story made from this answer; its title is asked (Enter: back)."""
        from voicemock import storybank

        while True:
            self.view.story_title()
            title = self.keys.read_line()
            if not title:
                return None
            try:
                _story, linked = storybank.create_from_answer(self.store, answer_id, title)
            except InputError as exc:  # a title already used, too long, control characters
                self.view.warning(str(exc))
                continue
            return linked

    def offer_retry(self, outcome: AnswerOutcome) -> bool:
        """After the feedback, ``r`` asks the same question again at once (a person at a
        terminal recording from the microphone, in a practice round)."""
        from voicemock.keys import RETRY

        if self.plan.mode != "practice" or self.options.answer_files or not self.asking:
            return False
        self.keys.drain()
        self.view.retry_offer(outcome)
        key = self.keys.read_line()
        return key is not None and key.lower() == RETRY

    def attempts_at(self, outcome: AnswerOutcome) -> list[AnswerRecord]:
        """The analysed main answers to this question, oldest first (every round)."""
        return self.store.question_answers(self.plan.qset.name, outcome.question.id)

    def since_last(self, outcome: AnswerOutcome) -> None:
        """A new attempt at a question: what changed against the attempt before it."""
        from voicemock.progress import compare

        record = outcome.record
        if not outcome.retry or record is None or outcome.doc is None:
            return
        earlier = [r for r in self.attempts_at(outcome) if r.id != record.id]
        earlier = [r for r in earlier if (r.started_at, r.id) < (record.started_at, record.id)]
        outcome.attempt = len(earlier) + 1
        previous = next((r for r in reversed(earlier) if r.analysis is not None), None)
        if previous is not None and previous.analysis is not None:
            outcome.since_last = compare(previous.analysis, outcome.doc)

    def interviewer_says(self, text: str, moment: InterviewerMoment) -> None:
        self.view.interviewer(text, moment=moment)
        self.read_aloud(text)

    def scorecard(self, session_id: int, result: RoundResult) -> Scorecard:
        """Score the loop, save the scorecard with the session and show it."""
        from voicemock.interview.scorecard import score

        card = score([evidence(o) for o in result.outcomes])
        self.store.set_scorecard(session_id, card.to_dict())
        self.view.scorecard(card)
        return card

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
        self,
        path: Path,
        target: Target,
        transcription: AnswerTranscription,
        answer_file: Path | None = None,
    ) -> tuple[Recording, StopReason]:
        """Record until Enter, the cap or the end of the answer file, with the live line."""
        from voicemock.audio.recorder import meter

        recorder = self.env.recorder(
            RecorderRequest(
                max_seconds=target.cap_s,
                answer_file=answer_file,
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
                    stopped_by = self.stop_reason(recorder, target, answer_file)
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

    def stop_reason(
        self, recorder: Recorder, target: Target, answer_file: Path | None
    ) -> StopReason:
        """Why a recording ended by itself: the cap, a failed write (a full disk, most
        often), the end of the answer file, or the microphone."""
        error = getattr(recorder, "error", None)
        if error is not None:
            return "disk_full" if _disk_full(error) else "write_failed"
        if recorder.elapsed >= target.cap_s - 0.05:
            return "cap"
        return "end_of_file" if answer_file is not None else "device"

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
            self.close_gap(outcome)
            self.view.no_speech()
            return
        doc = analysis_document(
            transcript,
            outcome.target,
            question=outcome.text,
            tags=() if outcome.is_reply else outcome.question.tags,
            model=self.transcriber.name,
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
        self.close_gap(outcome)
        self.since_last(outcome)
        for warning in recording.warnings:
            self.view.warning(warning)
        self.view.report(outcome)

    def close_gap(self, outcome: AnswerOutcome) -> None:
        """For a reply: judge it against the gap its follow-up probed, and save that."""
        from voicemock.interview.followups import check_reply

        follow_up, record = outcome.follow_up, outcome.record
        if follow_up is None or record is None:
            return
        if follow_up.gap is not None:
            outcome.check = check_reply(follow_up.gap, outcome.doc)
        outcome.record = self.store.set_follow_up(record.id, follow_up.to_dict(outcome.check))

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
    if options.answer_files:
        from voicemock.audio.io import probe_audio

        for path in options.answer_files:
            probe_audio(path)  # a bad file fails now, before anything starts
    home = env.ensure_home()
    env.clean_scratch()
    # No room for an answer: say so before a database or a session is created.
    ensure_space(home, apply_overrides(config.target, options.window, options.cap).cap_s)
    with Store.open(home) as store:
        plan = plan_round(env, store, options)
        input_device = config.input_device
        if not options.answer_files:
            env.check_microphone(input_device)  # none: one line, before the model loads
        model = options.model or config.model
        transcriber = env.transcriber(model)
        for line in recover_interrupted(store, lambda: transcriber):
            view.recovered(line)
        for note in plan.notes:
            view.warning(note)
        speaker = env.speaker(config) if options.voice else _silent()
        round_ = PracticeRound(
            env,
            store,
            plan,
            options,
            view=view,
            speaker=speaker,
            transcriber=transcriber,
            keys=env.keys(),
            input_device=input_device,
        )
        return round_.run()


INTERVIEW_CLOSING = (
    "That's all my questions. Thank you, that was useful. Here is my feedback, "
    "the way I would write it up for the loop."
)


def interview_intro(plan: RoundPlan) -> str:
    """What the interviewer says before the first question: how many questions, which
    principles, and that follow-ups will come."""
    from voicemock.interview.selection import main_principle
    from voicemock.principles import BY_SLUG

    names: list[str] = []
    for question in plan.questions:
        slug = main_principle(question)
        if slug is not None and BY_SLUG[slug].name not in names:
            names.append(BY_SLUG[slug].name.split(";")[0])
    count = len(plan.questions)
    text = "Hello, and thanks for making the time. I'll ask you " + (
        "one question" if count == 1 else f"{_number_word(count)} questions"
    )
    if names:
        text += " about " + _join(names)
    text += "."
    if plan.follow_ups:
        text += " I'll dig into each answer with a follow-up or two, as a bar raiser would."
    text += " Press Enter when you have finished each answer."
    return text


def _number_word(n: int) -> str:
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if 0 <= n < len(words) else str(n)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def evidence(outcome: AnswerOutcome) -> AnswerEvidence:
    """A main answer and its replies, as the scorecard reads them."""
    from voicemock.interview.scorecard import AnswerEvidence, ReplyEvidence
    from voicemock.interview.selection import main_principle
    from voicemock.principles import BY_SLUG

    slug = main_principle(outcome.question)
    return AnswerEvidence(
        position=outcome.position,
        question=outcome.question.text,
        principle=BY_SLUG[slug].name if slug is not None else None,
        doc=outcome.doc,
        replies=tuple(
            ReplyEvidence(
                r.doc,
                r.follow_up.gap.kind if r.follow_up and r.follow_up.gap else None,
                r.check.status if r.check else None,
                r.check.quote if r.check else None,
            )
            for r in outcome.replies
        ),
    )


def _planner() -> FollowUpPlanner:
    from voicemock.interview.followups import FollowUpPlanner

    return FollowUpPlanner()


def _silent() -> Speaker:
    from voicemock.tts.speaker import SilentSpeaker

    return SilentSpeaker()


def _not_a_key(typed: str) -> str:
    """One line when the key typed answers nothing."""
    shown = typed if len(typed) <= 20 else typed[:19] + "…"
    keys = ["y: link it", "a story's number", "l: list them", "n: new story", "s: skip"]
    return f"{shown!r} is not one of the keys: " + ", ".join(keys)


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
