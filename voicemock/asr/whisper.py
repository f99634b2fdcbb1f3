"""Speech to timed words with faster-whisper, keeping the fillers a coach needs to hear about.

Whisper writes fluent text: left alone it drops nearly every "um" and "uh". A short
filler list given as faster-whisper ``hotwords`` is placed in the prompt of every decoding
window and brings them back. Answers are cut into chunks of up to about 28 s at pauses
(:mod:`voicemock.asr.chunking`); each chunk is decoded here, on its own, and word times
are shifted back onto the whole answer by the caller.

How one chunk is decoded (:meth:`WhisperTranscriber.transcribe_chunk`), and why:

- **One deterministic decode per window.** Beam search at temperature 0 only: the sampled
  fallback of faster-whisper draws from CTranslate2's unseeded, thread-local generator, so
  the same file gave different fillers from run to run. When the prompted decode loops
  (compression ratio over 2.4) or is unsure (mean log-probability under -1), the window is
  decoded again without the prompt, still at temperature 0, and the better of the two
  kept: a prompt-induced loop ("hmm, er, hmm…") gives way to plain text.
- **Nothing skipped after an early stop.** Prompted Whisper often ends a window after its
  first sentence with a lone timestamp, which faster-whisper reads as "no speech after
  this" and skips the rest of the window: whole sentences vanished. Here the speech map
  decides: while at least :data:`CONTINUE_VOICED_S` of voice remains after the last word,
  decoding goes on from that word.
- **No hallucination-prone remainders.** faster-whisper also decodes whatever is left
  after the last timestamp, often a second of breath padded to 30 s, where Whisper
  writes its stock phrases ("Thank you.", "Yeah. Yeah.", "Uh, uh,"). A remainder with
  less voice than that is not decoded at all, and a continuation that repeats the words
  before it (word times at the end of a window come out early) is cut back to what is new.
  Words timed past the point the model itself said its text reaches are dropped.
- **A skipped sentence is put back.** Whisper sometimes leaves out a sentence in the middle
  of a window and stretches a neighbour's time over it. Voice of :data:`GAP_MIN_S` or more
  that no word covers is decoded again from a phrase start before it, and the words found
  there are put in between their neighbours (:func:`merge_gap`).

faster-whisper's window pieces (``encode``, ``generate_with_fallback``, the timestamp
splitter and ``add_word_timestamps``) are used as they are; only the loop over windows is
ours. Every model worker runs one CPU thread, so a chunk decodes to the same words whichever
worker takes it, live or offline, and several chunks can be decoded at once.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from voicemock.asr.models import resolve_model
from voicemock.errors import ModelError
from voicemock.transcript import Span, Word

if TYPE_CHECKING:
    from voicemock.audio.io import Audio

FILLER_HOTWORDS = "Um, uh, hmm, er, ah."
"""The prompt given to every window, chosen on the AMI meeting clips (see README)."""

COMPRESSION_RATIO_MAX = 2.4
"""Above this the decode is looping (faster-whisper's default threshold)."""
LOGPROB_MIN = -1.0
"""Below this mean token log-probability the decode is unsure (faster-whisper's default)."""
NO_SPEECH_MIN = 0.6
"""An unsure window whose no-speech probability is above this holds no words."""
CONTINUE_VOICED_S = 0.6
"""Voice left after a window's last word that is worth another window."""
MAX_WINDOWS = 6
"""Windows per chunk at most (a chunk of 28 s normally needs one or two)."""
MIN_ADVANCE_S = 1.0
"""A continuation starts at least this far after the previous window's start."""
BACKOFF_S = 3.0
"""A continuation starts up to this much before the covered point, where a phrase starts."""
CONTEXT_S = 1.5
"""Otherwise it starts at a word at least this far before the covered point."""

_NORM = re.compile(r"[^a-z0-9']+")


def norm(text: str) -> str:
    """Lower-case ``text`` with punctuation removed: ``" Um,"`` -> ``"um"``."""
    return _NORM.sub(" ", text.lower()).strip()


_PROMPT_RUN = tuple(norm(FILLER_HOTWORDS).split())


class Transcriber(Protocol):
    """Turns one chunk of speech into words timed from the chunk's start.

    ``speech`` is where the voice is inside the chunk (seconds from its start); a
    transcriber may use it to decide whether a stretch is worth decoding.
    """

    @property
    def name(self) -> str: ...

    @property
    def workers(self) -> int:
        """How many chunks it can decode at the same time."""
        ...

    def transcribe_chunk(self, audio: Audio, speech: Sequence[Span] = ()) -> list[Word]: ...


@dataclass
class DecodeStats:
    """What decoding cost so far (for benchmarks and tests)."""

    chunks: int = 0
    windows: int = 0
    unprompted: int = 0
    """Windows decoded again without the prompt (a loop or an unsure decode)."""
    continued: int = 0
    """Windows decoded because voice remained after the previous window's last word."""
    repeats_cut: int = 0
    """Words dropped because a continuation repeated them."""
    gaps: int = 0
    """Windows decoded again over voice that no word covered (a skipped sentence)."""
    per_chunk: list[int] = field(default_factory=list)


class WhisperTranscriber:
    """faster-whisper on the CPU (int8), English, word timestamps, filler prompt.

    ``workers`` model replicas of one thread each: up to that many chunks decode at once.
    """

    def __init__(self, model: Any, name: str, *, beam_size: int = 5, workers: int = 1) -> None:
        self._model = model
        self._name = name
        self._beam_size = beam_size
        self._workers = max(1, workers)
        self.stats = DecodeStats()
        self._stats_lock = threading.Lock()
        self._encode_lock = threading.Lock()
        """One encoder pass at a time: its attention matrices (6 heads of 1500 x 1500
        floats, 54 MB) are the largest allocation of a window; decoders run side by side."""
        self._tokenizer: Any = None
        self._options: dict[bool, Any] = {}

    @property
    def name(self) -> str:
        return self._name

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def model(self) -> Any:
        """The faster-whisper ``WhisperModel`` (for baselines in tests and benchmarks)."""
        return self._model

    @classmethod
    def load(
        cls,
        spec: str | None = None,
        *,
        workers: int | None = None,
        compute_type: str = "int8",
        beam_size: int = 5,
    ) -> WhisperTranscriber:
        """Load ``spec`` (see :func:`~voicemock.asr.models.resolve_model`) with ``workers``
        single-threaded replicas (default: one per core)."""
        choice = resolve_model(spec)
        # Belt and braces: a local path never needs the hub; make sure nothing asks it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        count = max(1, workers or (os.cpu_count() or 1))
        bound_malloc_arenas()
        try:
            from faster_whisper import WhisperModel

            model = WhisperModel(
                choice.path,
                device="cpu",
                compute_type=compute_type,
                cpu_threads=1,
                num_workers=count,
            )
        except Exception as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"cannot load model {choice.name!r}: {reason[:160]}") from exc
        return cls(model, choice.name, beam_size=beam_size, workers=count)

    # -- one chunk -----------------------------------------------------------------------

    def transcribe_chunk(self, audio: Audio, speech: Sequence[Span] = ()) -> list[Word]:
        """Words of one chunk (times from its start). ``speech``: its voiced stretches;
        without them the whole chunk counts as voiced."""
        from faster_whisper.audio import pad_or_trim

        model = self._model
        features = model.feature_extractor(audio)
        content = features.shape[-1] - 1
        if content <= 0:
            return []
        fps = float(model.frames_per_second)
        end_s = content / fps
        voiced = list(speech) if speech else [Span(0.0, end_s)]
        words: list[Word] = []
        seek = 0
        covered = 0.0
        windows = 0

        def encode(seek: int) -> tuple[Any, int]:
            """The encoder output of the window starting at ``seek``, and its size."""
            size = min(int(model.feature_extractor.nb_max_frames), content - seek)
            with self._encode_lock:
                return model.encode(pad_or_trim(features[:, seek : seek + size])), size

        while seek < content and windows < MAX_WINDOWS:
            encoded, size = encode(seek)
            found, claimed = self._decode_window(encoded, seek, size)
            windows += 1
            if windows > 1:
                self._count("continued")
                kept = drop_repeated_opening(words, found, covered)
                self._count("repeats_cut", len(found) - len(kept))
                found = kept
            if found:
                words.extend(found)
                # How far the text reaches: the model's own timestamps, or the last word
                # when the model claimed more than it wrote (it stopped after a sentence).
                last_end = found[-1].end if found[-1].end is not None else end_s
                covered = max(covered, min(last_end, claimed))
            elif windows == 1:
                break
            else:
                # A continuation that only repeated what was written: go on from the next
                # phrase after the covered point instead of decoding the same stretch again.
                covered = next_phrase(voiced, covered)
            if voiced_seconds(voiced, covered + 0.05, end_s) < CONTINUE_VOICED_S:
                break
            # Start the next window a little before ``covered``, so that its first words
            # are heard in context; the repeat is cut off afterwards.
            restart = restart_point(voiced, words, covered) if found else covered
            seek = max(seek + round(MIN_ADVANCE_S * fps), round(restart * fps))
        for gap in uncovered(voiced, words, GAP_MIN_S):
            if windows >= MAX_WINDOWS:
                break
            before = [w for w in words if w.start is not None and w.start < gap.start]
            start = restart_point(voiced, before, gap.start)
            seek = round(start * fps)
            if seek >= content:
                continue
            encoded, size = encode(seek)
            found, _claimed = self._decode_window(encoded, seek, size)
            windows += 1
            self._count("gaps")
            words = merge_gap(words, gap, found)
        with self._stats_lock:
            self.stats.chunks += 1
            self.stats.windows += windows
            self.stats.per_chunk.append(windows)
        return words

    def _decode_window(self, encoded: Any, seek: int, size: int) -> tuple[list[Word], float]:
        """The words of one window and how far the model said they reach (its last
        timestamp token), in seconds from the chunk's start."""
        model = self._model
        tokenizer = self._get_tokenizer()
        chosen = self._generate(encoded, prompted=True)
        _result, logprob, _temperature, ratio = chosen
        if ratio > COMPRESSION_RATIO_MAX or logprob < LOGPROB_MIN:
            self._count("unprompted")
            plain = self._generate(encoded, prompted=False)
            if (plain[3] <= COMPRESSION_RATIO_MAX and plain[1] > logprob) or (
                ratio > COMPRESSION_RATIO_MAX
            ):
                chosen = plain
        result, logprob, _temperature, ratio = chosen
        offset = seek / float(model.frames_per_second)
        if result.no_speech_prob > NO_SPEECH_MIN and logprob < LOGPROB_MIN:
            return [], offset
        options = self._get_options(prompted=True)
        tokens = result.sequences_ids[0]
        segments, _next_seek, _single = model._split_segments_by_timestamps(
            tokenizer=tokenizer,
            tokens=tokens,
            time_offset=offset,
            segment_size=size,
            segment_duration=size / float(model.frames_per_second),
            seek=seek,
        )
        segments = [s for s in segments if s["tokens"]]
        if not segments:
            return [], offset
        # Where the model's own timestamps (or the window, for an open last segment) say
        # its text ends: word alignment can place the last words well past it.
        claimed = max(float(s["end"]) for s in segments)
        model.add_word_timestamps(
            [segments],
            tokenizer,
            encoded,
            size,
            options.prepend_punctuations,
            options.append_punctuations,
            last_speech_timestamp=offset,
        )
        words: list[Word] = []
        for segment in segments:
            first_in_segment = True
            for w in segment.get("words") or ():
                text = w["word"].strip()
                if not text:
                    continue
                word = Word(text, float(w["start"]), float(w["end"]), float(w["probability"]))
                if words and not first_in_segment and not w["word"].startswith(" "):
                    # Whisper starts every word with a space; a piece without one
                    # ("%", ".2") continues the word before it: "22" "%" -> "22%".
                    word = join_words(words.pop(), word)
                words.append(word)
                first_in_segment = False
        return [_within(w, claimed) for w in remove_prompt_echo(words)], claimed

    def _count(self, what: str, n: int = 1) -> None:
        with self._stats_lock:
            setattr(self.stats, what, getattr(self.stats, what) + n)

    def _generate(self, encoded: Any, *, prompted: bool) -> tuple[Any, float, float, float]:
        model = self._model
        tokenizer = self._get_tokenizer()
        options = self._get_options(prompted=prompted)
        prompt = model.get_prompt(
            tokenizer, [], without_timestamps=False, hotwords=options.hotwords
        )
        result, logprob, temperature, ratio = model.generate_with_fallback(
            encoded, prompt, tokenizer, options
        )
        return result, float(logprob), float(temperature), float(ratio)

    def _get_tokenizer(self) -> Any:
        if self._tokenizer is None:
            from faster_whisper.tokenizer import Tokenizer

            self._tokenizer = Tokenizer(
                self._model.hf_tokenizer,
                self._model.model.is_multilingual,
                task="transcribe",
                language="en",
            )
        return self._tokenizer

    def _get_options(self, *, prompted: bool) -> Any:
        if prompted not in self._options:
            from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

            self._options[prompted] = TranscriptionOptions(
                beam_size=self._beam_size,
                best_of=1,
                patience=1,
                length_penalty=1,
                repetition_penalty=1,
                no_repeat_ngram_size=0,
                log_prob_threshold=LOGPROB_MIN,
                no_speech_threshold=NO_SPEECH_MIN,
                compression_ratio_threshold=COMPRESSION_RATIO_MAX,
                condition_on_previous_text=False,
                prompt_reset_on_temperature=0.5,
                temperatures=[0.0],
                initial_prompt=None,
                prefix=None,
                suppress_blank=True,
                suppress_tokens=get_suppressed_tokens(self._get_tokenizer(), [-1]),
                without_timestamps=False,
                max_initial_timestamp=1.0,
                word_timestamps=True,
                prepend_punctuations="\"'“¿([{-",
                append_punctuations="\"'.。,，!！?？:：”)]}、",
                multilingual=False,
                max_new_tokens=None,
                clip_timestamps="0",
                hallucination_silence_threshold=None,
                hotwords=FILLER_HOTWORDS if prompted else None,
            )
        return self._options[prompted]


MALLOC_ARENAS = 2
"""glibc gives every thread that allocates its own heap arena (up to 8 per core) and keeps
what was freed in each: with two decoding workers, the VAD and the recorder, a 3-minute
``analyze`` peaked at 550 MB, 480 MB with the arenas bounded to two."""


def bound_malloc_arenas(arenas: int = MALLOC_ARENAS) -> None:
    """Bound glibc's malloc arenas for threads created from now on (Linux; elsewhere,
    or if it fails, nothing happens)."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        return


_M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the arena limit (malloc.h)."""


# -- word helpers ----------------------------------------------------------------------


MISPLACED_S = 1.0
"""A word aligned this far past the window's last timestamp token was misplaced."""


def _within(word: Word, claimed: float) -> Word:
    """``word``, moved back to ``claimed`` if the alignment put it well past the last
    timestamp token (a window that ends "…no longer. Mr.<11.50>" can have "Mr." aligned
    at 19 s: its voice is just before 11.50)."""
    if word.start is None or word.start <= claimed + MISPLACED_S:
        return word
    return Word(word.text, round(max(claimed - 0.2, 0.0), 3), round(claimed, 3), word.probability)


def voiced_seconds(speech: Sequence[Span], start: float, end: float) -> float:
    """Seconds of ``speech`` between ``start`` and ``end``."""
    return sum(max(0.0, min(s.end, end) - max(s.start, start)) for s in speech)


GAP_MIN_S = 1.0
"""Voice this long with no word on it, inside a window, is a sentence Whisper skipped."""


def uncovered(speech: Sequence[Span], words: Sequence[Word], min_s: float) -> list[Span]:
    """Stretches of ``speech`` at least ``min_s`` long that no word covers (± 0.2 s)."""
    spans = sorted(
        (w.start - 0.2, w.end + 0.2) for w in words if w.start is not None and w.end is not None
    )
    gaps: list[Span] = []
    for region in speech:
        cursor = region.start
        for lo, hi in spans:
            if hi <= cursor or lo >= region.end:
                continue
            if lo - cursor >= min_s:
                gaps.append(Span(cursor, lo))
            cursor = max(cursor, hi)
        if region.end - cursor >= min_s:
            gaps.append(Span(cursor, region.end))
    return gaps


def merge_gap(words: Sequence[Word], gap: Span, found: Sequence[Word]) -> list[Word]:
    """``words`` with what ``found`` (a decode started a little before ``gap``) says was
    spoken in the gap, where Whisper's first pass skipped a sentence.

    ``found`` repeats the words around the gap; its new words are those from the gap on
    until it runs into the words that follow the gap (two words in a row agreeing), and
    they are put in between. Word alignment may have stretched a neighbour over the
    skipped stretch; the following words' times are moved after the new ones, so times
    stay in order.
    """
    edge = gap.start - 0.3
    split = next(
        (i for i, w in enumerate(words) if w.start is not None and w.start >= edge), len(words)
    )
    head, tail = list(words[:split]), list(words[split:])
    new = [w for w in found if w.start is not None and w.start >= edge]
    new = drop_repeated_opening(head, new, edge)
    keys = [norm(w.text) for w in tail[:8]]
    for j in range(len(new)):
        pair = [norm(w.text) for w in new[j : j + 2]]
        if len(pair) == 2 and any(keys[k : k + 2] == pair for k in range(len(keys))):
            new = new[:j]
            break
    else:
        new = [w for w in new if (w.start or 0.0) < gap.end + 0.1]
    if not new:
        return list(words)
    block_start = new[0].start or gap.start
    block_end = max(w.end or w.start or 0.0 for w in new)
    if head and head[-1].end is not None and head[-1].end > block_start:
        last = head[-1]
        end = max(last.start or 0.0, block_start)
        head[-1] = Word(last.text, last.start, end, last.probability)
    moved = []
    for w in tail:
        if w.start is not None and w.start < block_end:
            end = max(w.end or block_end, block_end)
            w = Word(w.text, block_end, end, w.probability)
        moved.append(w)
    return [*head, *new, *moved]


def next_phrase(speech: Sequence[Span], after: float) -> float:
    """The start of the first voiced stretch beginning after ``after`` (or ``after``)."""
    return min((s.start for s in speech if s.start > after), default=after)


def restart_point(speech: Sequence[Span], words: Sequence[Word], covered: float) -> float:
    """Where to start decoding again after ``covered``: the start of the voiced stretch
    around it if that is at most :data:`BACKOFF_S` before it, else the start of the word
    beginning at least :data:`CONTEXT_S` before it (a window opening mid-word garbles it:
    "…the wood cutters" + "Those are the letters of the Netherlands")."""
    for region in speech:
        if region.start <= covered <= region.end + 0.05 and covered - region.start <= BACKOFF_S:
            return region.start
    starts = [w.start for w in words if w.start is not None and w.start <= covered - CONTEXT_S]
    return max(starts) if starts else covered


def drop_repeated_opening(
    before: Sequence[Word], found: Sequence[Word], covered: float
) -> list[Word]:
    """The words of a continuation window that are new after ``before``.

    A continuation starts a little before ``covered`` (the end of what was transcribed),
    so its opening repeats words already written, often garbled at its first word
    ("…that, as an example of fine typography" + "There's an example of fine
    typography"). If the last words of ``before`` reappear early in ``found``, everything
    up to and including them is dropped; otherwise the words that start before
    ``covered`` are.
    """
    if not found:
        return []
    if before:
        import difflib

        tail = [norm(w.text) for w in before[-12:]]
        head = [norm(w.text) for w in found[:16]]
        matcher = difflib.SequenceMatcher(a=tail, b=head, autojunk=False)
        best = 0
        for block in matcher.get_matching_blocks():
            reaches_end = block.size and block.a + block.size >= len(tail) - 1
            if reaches_end and block.b <= max(3, block.size):
                best = max(best, block.b + block.size)
        if best:
            return list(found[best:])
    return [w for w in found if w.start is None or w.start >= covered - 0.15]


def remove_prompt_echo(words: Sequence[Word]) -> list[Word]:
    """Drop any run of words that repeats the filler prompt word for word."""
    keys = [norm(w.text) for w in words]
    n = len(_PROMPT_RUN)
    keep = [True] * len(words)
    i = 0
    while i + n <= len(keys):
        if tuple(keys[i : i + n]) == _PROMPT_RUN:
            for j in range(i, i + n):
                keep[j] = False
            i += n
        else:
            i += 1
    return [w for w, k in zip(words, keep, strict=True) if k]


def join_words(first: Word, second: Word) -> Word:
    probabilities = [p for p in (first.probability, second.probability) if p is not None]
    return Word(
        first.text + second.text,
        first.start,
        second.end if second.end is not None else first.end,
        min(probabilities) if probabilities else None,
    )
