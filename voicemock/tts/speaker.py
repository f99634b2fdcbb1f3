"""Speaking the questions: pyttsx3 text-to-speech (espeak-ng on Linux), played via a Player.

pyttsx3 is never used in this process. Its espeak driver loses audio when it saves to a
file, races its own settings, and is unreliable across repeated use in one process (see
:mod:`voicemock.tts.worker` for the measurements); its ``say()`` plays through
``aplay`` and prints to stdout. So:

* :func:`split_for_tts` cuts the text into pieces: whole sentences packed up to
  ``max_chars``, a longer sentence cut at ``; : —``, then commas, then spaces;
* :func:`synthesize` runs one short-lived worker process per piece (at most two at a
  time), each writing a WAV file in a temporary directory. Every file is checked (present,
  not silent, a duration that fits its text); a failed or timed-out piece is retried once
  in a fresh process, and a second failure raises :class:`SpeechUnavailable`. The pieces
  are joined with the pauses espeak-ng itself makes between sentences and clauses;
* :class:`TtsSpeaker` plays the result through a :class:`~voicemock.audio.playback.Player`
  (by default the output device, :func:`voicemock.audio.playback.play`).

Nothing heavy is imported at module import time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol

from voicemock.audio import SAMPLE_RATE, WAV_HEADER_SIZE
from voicemock.audio.playback import DevicePlayer, Player, Sound, resample, start_tone
from voicemock.errors import DeviceError, VoicemockError
from voicemock.files import create_private
from voicemock.scratch import scratch_dir

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from voicemock.config import Config

    Samples = npt.NDArray[np.float32]

DEFAULT_RATE = 170
"""Words per minute: a calm interviewer (espeak-ng's own default of 175 sounds hurried)."""
DEFAULT_TIMEOUT_S = 8.0
"""Per piece and attempt. A piece normally takes 0.1 s; a cold start under load ~1 s."""
MAX_PIECE_CHARS = 200
"""Longest piece given to one worker. The worker handles any length; the limit keeps each
process short (a hang is found quickly, a retry is cheap) and lets pieces run in parallel,
while whole sentences keep espeak-ng's own intonation (a cut inside a clause sounds like
a full stop, so cutting at 90 characters, as first planned, cost prosody for nothing)."""
MAX_PARALLEL = 2
PYTHON_ENV = "VOICEMOCK_TTS_PYTHON"
"""Interpreter for the worker processes (default: this one)."""

SECONDS_PER_CHAR = 0.055
"""espeak-ng en-us at 170 wpm, silence trimmed: 0.048-0.072 s per character on interview
questions, 0.055 on average (the high end has numbers: "30%", "Q3 2023")."""
SENTENCE_PAUSE_S = 0.32
CLAUSE_PAUSE_S = 0.15
WORD_PAUSE_S = 0.03
"""Pauses between pieces at :data:`DEFAULT_RATE`; espeak-ng makes 0.32 s at a full stop
and 0.15 s at a comma at 170 wpm, and scales them with the rate as these are."""

Break = Literal["sentence", "clause", "word"]

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*$")
_CLAUSE_END = re.compile(r"([,;:]|[—–]|--)[\"'”’)\]]*$|^[-—–]+$")
_STRONG_CLAUSE_END = re.compile(r"([;:]|[—–]|--)[\"'”’)\]]*$|^[-—–]+$")
_ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "prof.", "sr.", "jr.", "st."}
    | {"inc.", "ltd.", "co.", "approx."}
)
_INITIALS = re.compile(r"^\(?(?:[A-Za-z]\.){2,4}$")  # U.S., a.m.; not "plan A."


class SpeechUnavailable(VoicemockError):
    """Text-to-speech cannot produce this question's audio; show the text instead."""

    def __init__(self, reason: str, *, prefix: str = "text-to-speech unavailable") -> None:
        super().__init__(f"{prefix}: {reason}")
        self.reason = reason


# -- splitting -------------------------------------------------------------------------


def _break_after(token: str) -> Break:
    if _SENTENCE_END.search(token):
        if token.lower().lstrip("(\"'“‘") in _ABBREVIATIONS or _INITIALS.match(token):
            return "word"
        return "sentence"
    if _CLAUSE_END.search(token):
        return "clause"
    return "word"


def break_after(piece: str) -> Break:
    """How a piece ends: at a sentence end, a clause mark, or in the middle of a clause."""
    words = piece.split()
    return _break_after(words[-1]) if words else "word"


_WORD_LEVEL = 3


def _level(token: str) -> int:
    """Strength of the break after ``token``: 0 sentence, 1 ``; : —``, 2 comma, 3 none."""
    kind = _break_after(token)
    if kind == "sentence":
        return 0
    if kind == "clause":
        return 1 if _STRONG_CLAUSE_END.search(token) else 2
    return _WORD_LEVEL


def split_for_tts(text: str, max_chars: int = MAX_PIECE_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars`` for the speech engine.

    Whole sentences are packed together up to ``max_chars``; a longer sentence is cut at
    ``; : —``, then at commas, and a clause still too long at spaces. Words are never
    cut, dropped or reordered, and runs of whitespace become one space. A single word
    longer than ``max_chars`` is a piece of its own.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    tokens = text.split()
    pieces: list[str] = []
    _split(tokens, 0, max_chars, pieces)
    return pieces


def _split(tokens: list[str], level: int, max_chars: int, out: list[str]) -> None:
    if not tokens:
        return
    if len(" ".join(tokens)) <= max_chars or level > _WORD_LEVEL:
        out.append(" ".join(tokens))
        return
    # Segments end at a break of this level (or stronger); pack them greedily.
    segments: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        segments[-1].append(token)
        if i < len(tokens) - 1 and _level(token) <= level:
            segments.append([])
    current: list[str] = []
    for segment in segments:
        if current and len(" ".join(current + segment)) <= max_chars:
            current += segment
            continue
        if current:
            out.append(" ".join(current))
        current = list(segment)
        if len(" ".join(current)) > max_chars:
            _split(current, level + 1, max_chars, out)
            current = []
    if current:
        out.append(" ".join(current))


# -- speech ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Speech(Sound):
    """A question spoken: the samples, the text, and the pieces it was synthesized in."""

    text: str = ""
    pieces: tuple[str, ...] = field(default=())


def plausible_duration(text: str, rate: int = DEFAULT_RATE) -> tuple[float, float]:
    """Seconds of speech that ``text`` can take at ``rate`` wpm: (at least, at most).

    Wide on purpose: numbers and abbreviations are spoken longer than they are written.
    The lower bound catches what the engine bug does: nothing, or a fragment.
    """
    chars = len(" ".join(text.split()))
    expected = chars * SECONDS_PER_CHAR * DEFAULT_RATE / rate
    return 0.4 * expected, 4.0 * expected + 1.0


def trim_silence(samples: Samples, sample_rate: int, *, keep_s: float = 0.025) -> Samples:
    """Cut leading and trailing silence (below 2% of the peak), keeping ``keep_s`` of it."""
    import numpy as np

    if samples.size == 0:
        return samples
    loud = np.flatnonzero(np.abs(samples) > 0.02 * float(np.max(np.abs(samples))))
    if loud.size == 0:
        return samples[:0]
    keep = round(keep_s * sample_rate)
    return samples[max(0, int(loud[0]) - keep) : min(samples.size, int(loud[-1]) + 1 + keep)]


def pause_after(kind: Break, rate: int = DEFAULT_RATE) -> float:
    base = {"sentence": SENTENCE_PAUSE_S, "clause": CLAUSE_PAUSE_S, "word": WORD_PAUSE_S}[kind]
    return base if kind == "word" else base * DEFAULT_RATE / rate


# -- synthesis -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Failure:
    reason: str
    permanent: bool


@dataclass
class _Job:
    index: int
    text: str
    attempts: int = 0
    proc: subprocess.Popen[bytes] | None = None
    wav: Path = Path()
    log: Path = Path()
    log_file: IO[bytes] | None = None
    deadline: float = 0.0


def _worker_command(
    out: Path | None, text: str | None, voice: str | None, rate: int, timeout_s: float
) -> list[str]:
    python = os.environ.get(PYTHON_ENV) or sys.executable or "python3"
    cmd = [python, "-m", "voicemock.tts.worker", "--rate", str(rate)]
    cmd += ["--timeout", f"{max(0.1, timeout_s - 0.2):g}"]
    if voice:
        cmd += ["--voice", voice]
    if out is None or text is None:
        return [*cmd, "--check"]
    return [*cmd, "--", str(out), text]


def _spawn(cmd: list[str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    kwargs: dict[str, Any] = {}
    if os.name == "posix":
        kwargs["start_new_session"] = True  # its own group: killed whole, deaf to our Ctrl-C
    try:
        return subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, **kwargs
        )
    except OSError as exc:
        raise SpeechUnavailable(
            f"cannot run the speech worker {cmd[0]!r}: {exc.strerror or exc}"
        ) from exc


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold a Ctrl-C back until the block is done, then raise it (main thread only).

    Used where an interruption half-way would leave a worker running that nobody knows
    of. A Python-level handler, not a signal mask: with numpy loaded, the kernel hands
    SIGINT to any thread (OpenBLAS's), which a mask on the main thread does not cover.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held:
            if callable(previous):
                previous(signal.SIGINT, None)  # the default handler raises KeyboardInterrupt
            elif previous == signal.SIG_DFL:
                os.kill(os.getpid(), signal.SIGINT)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # pragma: no cover
                proc.kill()
        except OSError:
            pass
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=2)


def _worker_failure(log: Path, code: int) -> tuple[str, bool]:
    """(reason, permanent) from a failed worker's stderr and exit status."""
    from voicemock.tts import worker as tts_worker

    try:
        lines = [ln.strip() for ln in log.read_text("utf-8", "replace").splitlines()]
    except OSError:
        lines = []
    lines = [ln for ln in lines if ln]
    for line in reversed(lines):
        if line.startswith(tts_worker.ERROR_PREFIX):
            reason = line[len(tts_worker.ERROR_PREFIX) :]
            return reason, code in (tts_worker.EXIT_BAD_SETTING, tts_worker.EXIT_NO_ENGINE)
    text = "\n".join(lines)
    if "phontab" in text or "espeak-ng-data" in text:
        return (
            "espeak-ng could not start: its data is missing "
            "(apt-get install espeak-ng-data, or check ESPEAK_DATA_PATH)",
            True,
        )
    if "No module named" in text:
        return lines[-1][:160], True
    last = lines[-1][:160] if lines else "no message"
    how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
    return f"the speech worker failed ({how}): {last}", False


def _read_piece(path: Path, text: str, rate: int) -> tuple[Samples, int] | str:
    """The piece's samples and rate, or why the file is not usable."""
    import numpy as np
    import soundfile

    if not path.is_file() or path.stat().st_size <= WAV_HEADER_SIZE:
        return "the engine wrote no audio"
    try:
        data, sr = soundfile.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:
        return f"the engine wrote unreadable audio ({exc})"
    mono = np.ascontiguousarray(data.mean(axis=1), dtype=np.float32)
    duration = mono.size / sr if sr else 0.0
    if mono.size == 0 or float(np.max(np.abs(mono))) < 0.01:
        return "the engine wrote silence"
    low, high = plausible_duration(text, rate)
    if not low <= duration <= high:
        return (
            f"{duration:.1f} s of audio for {len(text)} characters "
            f"(expected {low:.1f}-{high:.1f} s)"
        )
    return mono, int(sr)


def _snippet(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def synthesize(
    text: str,
    *,
    voice: str | None = None,
    rate: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_chars: int = MAX_PIECE_CHARS,
    parallel: int | None = None,
    workdir: Path | None = None,
) -> Speech:
    """``text`` spoken by the engine, complete, as one :class:`Speech`.

    Raises :class:`SpeechUnavailable` (one line) when the engine is missing, a setting is
    wrong, or a piece still fails after a retry in a fresh process. Ctrl-C stops the
    workers at once. The pieces are written in a private scratch directory in
    ``workdir`` (default: the system's temporary directory; see :mod:`voicemock.scratch`).
    """
    import numpy as np

    rate = rate or DEFAULT_RATE
    pieces = split_for_tts(text, max_chars)
    if not pieces:
        return Speech(np.zeros(0, dtype=np.float32), SAMPLE_RATE, text=text)
    voiced = [i for i, p in enumerate(pieces) if any(c.isalnum() for c in p)]
    workers = max(1, min(parallel or MAX_PARALLEL, os.cpu_count() or 1))
    results: dict[int, tuple[Samples, int]] = {}
    with scratch_dir(workdir, "tts") as tmp:
        pending = deque(_Job(i, pieces[i]) for i in voiced)
        running: list[_Job] = []
        try:
            while pending or running:
                while pending and len(running) < workers:
                    job = pending.popleft()
                    running.append(job)  # before it starts: a Ctrl-C must find it
                    _start(job, Path(tmp), voice, rate, timeout_s)
                time.sleep(0.004)
                for job in list(running):
                    outcome = _collect(job, rate, timeout_s)
                    if outcome is None:
                        continue
                    running.remove(job)
                    if not isinstance(outcome, _Failure):
                        results[job.index] = outcome
                        continue
                    if outcome.permanent:
                        raise SpeechUnavailable(outcome.reason)
                    if job.attempts >= 2:
                        raise SpeechUnavailable(
                            f"{outcome.reason} (tried twice on “{_snippet(job.text)}”)",
                            prefix="text-to-speech failed",
                        )
                    pending.appendleft(job)
        finally:
            with _sigint_deferred():  # a second Ctrl-C must not leave workers behind
                for job in running:
                    if job.proc is not None:
                        _kill(job.proc)
                    if job.log_file is not None:
                        job.log_file.close()
    return _assemble(text, pieces, results, rate)


def _start(job: _Job, tmp: Path, voice: str | None, rate: int, timeout_s: float) -> None:
    job.attempts += 1
    job.proc = None
    stem = f"piece{job.index:03d}-try{job.attempts}"
    job.wav, job.log = tmp / f"{stem}.wav", tmp / f"{stem}.log"
    command = _worker_command(job.wav, job.text, voice, rate, timeout_s)
    with _sigint_deferred():  # Ctrl-C lands once job.proc is set, so it gets killed
        job.log_file = os.fdopen(create_private(job.log), "wb")  # closed in _collect or on abort
        job.proc = _spawn(command, job.log_file)
        job.deadline = time.monotonic() + timeout_s


def _collect(job: _Job, rate: int, timeout_s: float) -> tuple[Samples, int] | _Failure | None:
    """None while the worker runs; then the piece's samples and rate, or why it failed."""
    assert job.proc is not None and job.log_file is not None
    code = job.proc.poll()
    if code is None:
        if time.monotonic() < job.deadline:
            return None
        _kill(job.proc)
        job.log_file.close()
        return _Failure(f"the engine did not finish within {timeout_s:g} s", permanent=False)
    job.log_file.close()
    if code != 0:
        return _Failure(*_worker_failure(job.log, code))
    piece = _read_piece(job.wav, job.text, rate)
    return _Failure(piece, permanent=False) if isinstance(piece, str) else piece


def _assemble(
    text: str, pieces: list[str], results: dict[int, tuple[Samples, int]], rate: int
) -> Speech:
    import numpy as np

    rates = {sr for _, sr in results.values()}
    sample_rate = min(rates) if rates else SAMPLE_RATE
    parts: list[Samples] = []
    for i, piece in enumerate(pieces):
        if i in results:
            samples, sr = results[i]
            samples = trim_silence(samples, sr)
            if sr != sample_rate:
                samples = resample(samples, sr, sample_rate)
            parts.append(samples)
        if i < len(pieces) - 1:
            gap = round(pause_after(break_after(piece), rate) * sample_rate)
            parts.append(np.zeros(gap, dtype=np.float32))
    joined = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    return Speech(joined.astype(np.float32), sample_rate, text=text, pieces=tuple(pieces))


def available(
    voice: str | None = None,
    rate: int | None = None,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    workdir: Path | None = None,
) -> str | None:
    """``None`` when speech should work with these settings, else why not (one line).

    Starts the engine once in a worker (about 0.1 s) and applies the voice and rate, so a
    missing espeak-ng, pyttsx3 or voice is found before the first question.
    """
    if importlib.util.find_spec("pyttsx3") is None and not os.environ.get(PYTHON_ENV):
        return "pyttsx3 is not installed (pip install pyttsx3)"
    with scratch_dir(workdir, "tts") as tmp:
        log_path = Path(tmp) / "check.log"
        with os.fdopen(create_private(log_path), "wb") as log:
            command = _worker_command(None, None, voice, rate or DEFAULT_RATE, timeout_s)
            try:
                with _sigint_deferred():
                    proc = _spawn(command, log)
            except SpeechUnavailable as exc:
                return exc.reason
            try:
                code = proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                return f"the text-to-speech engine did not start within {timeout_s:g} s"
            finally:
                _kill(proc)
        return None if code == 0 else _worker_failure(log_path, code)[0]


# -- speakers --------------------------------------------------------------------------


class Speaker(Protocol):
    """Says a question out loud."""

    def speak(self, text: str) -> float:
        """Say ``text``; block until it has been said; return the seconds it took."""
        ...

    def tone(self) -> float:
        """Play the short start tone (before recording); return its seconds."""
        ...

    def stop(self) -> None:
        """Cut the current :meth:`speak` short (from another thread)."""
        ...


class TtsSpeaker:
    """The real speaker: :func:`synthesize`, then played through a :class:`Player`.

    ``player`` defaults to the output ``device`` (:class:`DevicePlayer`). After a
    :class:`SpeechUnavailable` every later :meth:`speak` raises it again at once, so a
    broken engine costs its timeout once per round, not once per question. ``workdir``
    holds the pieces while they are synthesised (see :func:`synthesize`).
    """

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = None,
        device: int | str | None = None,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        player: Player | None = None,
        workdir: Path | None = None,
    ) -> None:
        self.voice = voice
        self.workdir = workdir
        self.rate = rate or DEFAULT_RATE
        self.device = device
        self.timeout_s = timeout_s
        self.player: Player = player if player is not None else DevicePlayer(device)
        self._stop = threading.Event()
        self._failure: SpeechUnavailable | None = None
        self._no_device: DeviceError | None = None

    @classmethod
    def from_config(cls, config: Config, *, workdir: Path | None = None) -> TtsSpeaker:
        return cls(
            voice=config.voice, rate=config.rate, device=config.output_device, workdir=workdir
        )

    def available(self) -> str | None:
        """Why this speaker cannot speak, or ``None`` (see :func:`available`)."""
        return available(self.voice, self.rate, timeout_s=self.timeout_s, workdir=self.workdir)

    def synthesize(self, text: str) -> Speech:
        if self._failure is not None:
            raise SpeechUnavailable(self._failure.reason)
        try:
            return synthesize(
                text,
                voice=self.voice,
                rate=self.rate,
                timeout_s=self.timeout_s,
                workdir=self.workdir,
            )
        except SpeechUnavailable as exc:
            self._failure = exc
            raise

    def speak(self, text: str) -> float:
        self._stop.clear()
        if self._no_device is not None:  # no speaker: say so at once, don't synthesise again
            raise self._no_device
        speech = self.synthesize(text)
        if self._stop.is_set():
            return 0.0
        try:
            return self.player.play(speech.samples, speech.sample_rate, stop=self._stop)
        except DeviceError as exc:
            self._no_device = exc
            raise

    def tone(self) -> float:
        sound = start_tone()
        return self.player.play(sound.samples, sound.sample_rate)

    def stop(self) -> None:
        self._stop.set()


class SilentSpeaker:
    """``--no-voice``: the question is only shown."""

    def speak(self, text: str) -> float:  # noqa: ARG002 (the Speaker protocol)
        return 0.0

    def tone(self) -> float:
        return 0.0

    def stop(self) -> None:
        return None
