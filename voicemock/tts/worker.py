"""Synthesize one piece of text to a WAV file with pyttsx3, in a process of its own.

Run as ``python -m voicemock.tts.worker [--voice V] [--rate WPM] -- OUT TEXT`` by
:func:`voicemock.tts.speaker.synthesize`, once per piece; never imported by it.

pyttsx3's espeak driver (2.99) has three races, all measured on this project's machine:

1. ``save_to_file`` + ``runAndWait`` returns *before* the file is written. The driver
   queues ``save_to_file`` and ``endLoop`` together, so its loop ends as soon as espeak-ng
   starts synthesizing on its own thread (``AUDIO_OUTPUT_RETRIEVAL`` is asynchronous); a
   process that then exits has no file: 17 of 120 90-character pieces, most longer ones.
2. Settings race the synthesis: 4 % of pieces came out at the default 200 wpm although
   170 had been set (same voice, 15 % shorter).
3. Repeated use in one process is unreliable.

On Linux the worker therefore drives espeak-ng through pyttsx3's own ctypes binding
(``pyttsx3.drivers._espeak``) in ``AUDIO_OUTPUT_SYNCHRONOUS`` mode: voice and rate are set
before ``Synth``, which returns only after the last sample was delivered, and the WAV is
written here: 0 failures and identical audio in 400 runs. Elsewhere (SAPI5 on Windows,
NSSpeechSynthesizer on macOS), or with ``--via-engine``, it uses the pyttsx3 engine and
waits for its ``finished-utterance`` notification before exiting, which fixes (1). One
process per piece sidesteps (3), and the parent validates every file and retries once.

Exit status: 0 the file is written; 1 this attempt failed (worth a retry); 3 a setting is
wrong (unknown voice, bad rate); 4 no engine (pyttsx3 or espeak-ng missing or broken).
On failure the last stderr line starts with :data:`ERROR_PREFIX` and gives the reason.
Nothing is printed on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import io
import os
import sys
import threading
import time
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from voicemock.audio import WAV_HEADER_SIZE

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_SETTING = 3
EXIT_NO_ENGINE = 4
ERROR_PREFIX = "voicemock-tts: "
DIRECT_ESPEAK = not sys.platform.startswith(("win", "darwin"))
"""Where pyttsx3 uses espeak-ng, drive it directly (see the module docstring)."""
PREFERRED_ESPEAK_VOICE = "gmw/en-us"
"""espeak-ng's default is British English; interview practice defaults to American."""


class WorkerError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _languages(voice: Any) -> list[str]:
    out = []
    for lang in getattr(voice, "languages", None) or []:
        if isinstance(lang, bytes):
            lang = lang.decode("utf-8", "ignore")
        out.append(str(lang).lstrip("\x00\x01\x02\x03\x04\x05").lower())
    return out


def _is_english(voice: Any) -> bool:
    langs = _languages(voice)
    if langs:
        return any(lang.startswith("en") for lang in langs)
    ident = str(getattr(voice, "id", "")).lower()
    return "en-" in ident or ident.endswith("/en") or "english" in str(voice.name).lower()


def find_voice(voices: Sequence[Any], wanted: str) -> Any | None:
    """The voice whose id, id suffix (``en-us``), name or language is ``wanted``."""
    key = wanted.strip().lower()

    def keys(voice: Any) -> tuple[set[str], ...]:
        ident = str(voice.id).lower()
        return (
            {ident},
            {ident.rsplit("/", 1)[-1]},
            {str(voice.name).lower()},
            set(_languages(voice)),
        )

    for rank in range(4):  # the exact id wins over a name, a name over a language
        for voice in voices:
            if key in keys(voice)[rank]:
                return voice
    return None


def choose_voice(voices: Sequence[Any], current: str | None, wanted: str | None) -> str | None:
    """The id of the voice to set, or ``None`` to keep the engine's current one."""
    if wanted:
        voice = find_voice(voices, wanted)
        if voice is None:
            english = [str(v.id).rsplit("/", 1)[-1] for v in voices if _is_english(v)]
            shown = ", ".join(english[:8]) or "none"
            raise WorkerError(
                EXIT_BAD_SETTING,
                f"no text-to-speech voice {wanted!r} (English voices: {shown})",
            )
        return str(voice.id)
    if sys.platform.startswith("linux"):
        preferred = find_voice(voices, PREFERRED_ESPEAK_VOICE)
        if preferred is not None:
            return str(preferred.id)
    current_voice = next((v for v in voices if v.id == current), None)
    if current_voice is not None and _is_english(current_voice):
        return None
    first_english = next((v for v in voices if _is_english(v)), None)
    return None if first_english is None else str(first_english.id)


def _check_rate(rate: int | None) -> None:
    if rate is not None and not 50 <= rate <= 500:
        raise WorkerError(EXIT_BAD_SETTING, f"speech rate {rate} is out of range (50-500 wpm)")


def _engine_error(exc: BaseException) -> WorkerError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = text.lower()
    if "espeak" in lowered and ("not have" in lowered or "not installed" in lowered):
        return WorkerError(EXIT_NO_ENGINE, "espeak-ng is not installed (apt-get install espeak-ng)")
    if "could not initialize espeak" in lowered:
        return WorkerError(
            EXIT_NO_ENGINE,
            "espeak-ng could not start: its data is missing "
            "(apt-get install espeak-ng-data, or check ESPEAK_DATA_PATH)",
        )
    return WorkerError(EXIT_NO_ENGINE, f"the text-to-speech engine failed to start: {text}")


def open_engine(voice: str | None, rate: int | None) -> Any:
    try:
        import pyttsx3
    except Exception as exc:  # ImportError, or the driver's RuntimeError/OSError
        if isinstance(exc, ModuleNotFoundError) and exc.name == "pyttsx3":
            raise WorkerError(
                EXIT_NO_ENGINE, "pyttsx3 is not installed (pip install pyttsx3)"
            ) from exc
        raise _engine_error(exc) from exc
    try:
        engine = pyttsx3.init()
    except Exception as exc:
        raise _engine_error(exc) from exc
    voices = list(engine.getProperty("voices") or [])
    chosen = choose_voice(voices, engine.getProperty("voice"), voice)
    if chosen is not None:
        engine.setProperty("voice", chosen)
    _check_rate(rate)
    if rate is not None:
        engine.setProperty("rate", rate)
    return engine


class DirectEspeak:
    """espeak-ng through pyttsx3's ctypes binding, synchronously: no threads, no races."""

    def __init__(self, voice: str | None, rate: int | None) -> None:
        try:
            from pyttsx3.drivers import _espeak
            from pyttsx3.drivers.espeak import EspeakDriver
        except Exception as exc:  # ImportError, or RuntimeError when libespeak-ng is missing
            if isinstance(exc, ModuleNotFoundError) and exc.name == "pyttsx3":
                raise WorkerError(
                    EXIT_NO_ENGINE, "pyttsx3 is not installed (pip install pyttsx3)"
                ) from exc
            raise _engine_error(exc) from exc
        self._espeak = _espeak
        # Without its data files libespeak-ng prints why and calls exit(1) right here.
        self.sample_rate = int(_espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000, None, 0))
        if self.sample_rate <= 0:
            raise _engine_error(RuntimeError("could not initialize espeak"))
        voices = EspeakDriver.getProperty("voices")
        current = _espeak.GetCurrentVoice()
        current_id = (
            current.contents.identifier.decode("utf-8").lower()
            if current and current.contents.identifier
            else None
        )
        chosen = choose_voice(voices, current_id, voice)
        if chosen is not None and _espeak.SetVoiceByName(chosen.encode("utf-8")) != 0:
            raise WorkerError(EXIT_BAD_SETTING, f"espeak-ng cannot load the voice {chosen!r}")
        _check_rate(rate)
        if rate is not None:
            _espeak.SetParameter(_espeak.RATE, rate, 0)

    def save(self, text: str, out: Path) -> None:
        espeak = self._espeak
        chunks: list[bytes] = []

        def collect(wav: Any, numsamples: int, _events: Any) -> int:
            if wav and numsamples > 0:
                chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
            return 0

        espeak.SetSynthCallback(collect)
        status = espeak.Synth(text, flags=espeak.ENDPAUSE | espeak.CHARS_UTF8)
        if status != 0:
            raise WorkerError(EXIT_FAILED, f"espeak-ng refused the text (status {status})")
        audio = b"".join(chunks)
        if not audio:
            raise WorkerError(EXIT_FAILED, "espeak-ng produced no audio")
        with wave.open(str(out), "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(self.sample_rate)
            f.writeframes(audio)


def save(engine: Any, text: str, out: Path, timeout_s: float) -> None:
    """Write ``text`` spoken to ``out``, waiting until the engine has really finished."""
    finished = threading.Event()
    errors: list[str] = []

    def on_finish(completed: bool = True, **_: object) -> None:
        if not completed:
            errors.append("the engine stopped before the end")
        finished.set()

    def on_error(exception: BaseException | None = None, **_: object) -> None:
        errors.append(str(exception) if exception else "unknown engine error")
        finished.set()

    engine.connect("finished-utterance", on_finish)
    engine.connect("error", on_error)
    engine.save_to_file(text, str(out))
    engine.runAndWait()
    deadline = time.monotonic() + timeout_s
    # espeak: the loop above ended before synthesis did; the others finish inside it.
    while not finished.wait(0.01):
        if out.is_file() and out.stat().st_size > WAV_HEADER_SIZE and not _espeak_driver(engine):
            break  # a driver that never sends finished-utterance for files
        if time.monotonic() > deadline:
            raise WorkerError(EXIT_FAILED, f"the engine did not finish within {timeout_s:g} s")
    if errors:
        raise WorkerError(EXIT_FAILED, f"the engine failed: {errors[0]}")
    if not out.is_file() or out.stat().st_size <= WAV_HEADER_SIZE:
        raise WorkerError(EXIT_FAILED, "the engine finished without writing any audio")


def _espeak_driver(engine: Any) -> bool:
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    return type(driver).__module__.endswith(".espeak")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m voicemock.tts.worker",
        description="Speak TEXT into the audio file OUT (one utterance per process).",
    )
    parser.add_argument("out", nargs="?", type=Path, help="audio file to write")
    parser.add_argument("text", nargs="?", help="what to say")
    parser.add_argument("--voice", help="voice id, name or language (e.g. en-us)")
    parser.add_argument("--rate", type=int, help="words per minute")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait")
    parser.add_argument(
        "--check", action="store_true", help="only start the engine and apply the settings"
    )
    parser.add_argument(
        "--via-engine",
        action="store_true",
        help="use the pyttsx3 engine even where espeak-ng can be driven directly",
    )
    return parser


def _fail(code: int, message: str) -> NoReturn:
    sys.stderr.write(f"{ERROR_PREFIX}{message}\n")
    sys.stderr.flush()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # the question's audio: readable by the user only (0600), like all of it
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.check and (args.out is None or not args.text):
        parser.error("OUT and TEXT are required (or --check)")
    try:
        # pyttsx3 prints "Audio saved to ..." (from espeak's thread): keep stdout clean.
        with contextlib.redirect_stdout(io.StringIO()):
            if DIRECT_ESPEAK and not args.via_engine:
                direct = DirectEspeak(args.voice, args.rate)
                if not args.check:
                    direct.save(args.text, args.out)
            else:
                engine = open_engine(args.voice, args.rate)
                if not args.check:
                    save(engine, args.text, args.out, args.timeout)
    except WorkerError as exc:
        _fail(exc.code, str(exc))
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        _fail(EXIT_FAILED, f"unexpected {type(exc).__name__}: {first}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
