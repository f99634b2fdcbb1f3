"""One object for everything the commands touch outside themselves.

Streams, environment variables, directories, the clock, the keys a round reads and the
factories of the audio parts all come from :class:`Environment`, so tests can swap any of
them (``CliRunner`` passes one as ``obj``) and the commands stay free of globals.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from voicemock.errors import StorageError
from voicemock.files import private_dir

if TYPE_CHECKING:
    from voicemock.asr.whisper import Transcriber
    from voicemock.audio.recorder import Recorder
    from voicemock.config import Config
    from voicemock.keys import Keys
    from voicemock.tts.speaker import Speaker

APP_NAME = "voicemock"


@dataclass
class Environment:
    """Where the app reads and writes. Every field has a sensible default from the OS."""

    stdout: TextIO | None = None
    stderr: TextIO | None = None
    stdin: TextIO | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    color: bool | None = None
    """Force colour on or off; ``None`` decides from the terminal and ``NO_COLOR``."""
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    transcriber_factory: Callable[[str | None], Transcriber] | None = None
    """Builds the transcriber for a model spec; ``None`` means faster-whisper."""
    recorder_factory: Callable[[RecorderRequest], Recorder] | None = None
    """Builds the recorder for a practice answer; ``None``: microphone or answer file."""
    speaker_factory: Callable[[Config], Speaker] | None = None
    """Builds the question reader; ``None``: pyttsx3 through the output device."""
    keys_factory: Callable[[], Keys] | None = None
    """Where a round's Enter presses come from; ``None``: a reader on :attr:`inp`."""

    # -- streams ---------------------------------------------------------------------
    @property
    def out(self) -> TextIO:
        return self.stdout or sys.stdout

    @property
    def err(self) -> TextIO:
        return self.stderr or sys.stderr

    @property
    def inp(self) -> TextIO:
        return self.stdin or sys.stdin

    @property
    def is_tty(self) -> bool:
        isatty = getattr(self.out, "isatty", None)
        return bool(isatty and isatty())

    @property
    def use_color(self) -> bool:
        if self.color is not None:
            return self.color
        if self.environ.get("NO_COLOR"):
            return False
        if self.environ.get("FORCE_COLOR"):
            return True
        return self.is_tty and self.environ.get("TERM") != "dumb"

    # -- directories -----------------------------------------------------------------
    @property
    def home(self) -> Path:
        """The data directory: database and audio. ``VOICEMOCK_HOME`` overrides it."""
        override = self.environ.get("VOICEMOCK_HOME")
        if override:
            return Path(override).expanduser()
        import platformdirs

        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

    @property
    def config_dir(self) -> Path:
        """Config file and the user's question sets. Under ``VOICEMOCK_HOME`` when set."""
        override = self.environ.get("VOICEMOCK_HOME")
        if override:
            return Path(override).expanduser()
        import platformdirs

        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))

    @property
    def sets_dir(self) -> Path:
        return self.config_dir / "sets"

    def check_dirs(self) -> None:
        """Raise :class:`StorageError` (one line) when the data or config directory cannot
        be one: it, or the nearest part of its path that exists, is not a directory.

        Every command calls this first, so a ``VOICEMOCK_HOME`` that names a file is
        reported instead of being read as "nothing saved yet".
        """
        override = self.environ.get("VOICEMOCK_HOME")
        places = [("VOICEMOCK_HOME", self.home)] if override else []
        if not override:
            places = [("the data directory", self.home), ("the config directory", self.config_dir)]
        for what, path in places:
            existing = path
            while not existing.exists() and existing.parent != existing:
                existing = existing.parent
            if existing.exists() and not existing.is_dir():
                kind = "a file" if existing.is_file() else "not a directory"
                where = f"{path} is {kind}" if existing == path else f"{existing} is {kind}"
                raise StorageError(
                    f"{what} must be a directory, but {where}"
                    + (": point VOICEMOCK_HOME at a directory, or unset it" if override else "")
                )

    @property
    def cache_dir(self) -> Path:
        """Scratch files (the question's audio while it is synthesised). Under
        ``VOICEMOCK_HOME`` when set, else the user cache directory."""
        override = self.environ.get("VOICEMOCK_HOME")
        if override:
            return Path(override).expanduser() / "cache"
        import platformdirs

        return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))

    def ensure_home(self) -> Path:
        """Create the data directory (mode 0700) and check it is writable."""
        home = self.home
        try:
            private_dir(home, parents=True)
            probe = home / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StorageError(f"cannot write to data directory {home}: {reason}") from exc
        return home

    # -- audio parts -----------------------------------------------------------------
    def transcriber(self, model: str | None) -> Transcriber:
        """The transcriber for ``model`` (``None``: the bundled tiny.en): one
        single-threaded worker per core (see :mod:`voicemock.asr.stream`)."""
        check_model_spec(model)
        if self.transcriber_factory is not None:
            return self.transcriber_factory(model)
        from voicemock.asr.whisper import WhisperTranscriber

        return WhisperTranscriber.load(model)

    def recorder(self, request: RecorderRequest) -> Recorder:
        """A recorder for one answer: the answer file when given, else the microphone."""
        if self.recorder_factory is not None:
            return self.recorder_factory(request)
        from voicemock.audio.recorder import FileRecorder, SoundDeviceRecorder

        if request.answer_file is not None:
            return FileRecorder(
                request.answer_file,
                realtime=not request.fast,
                max_seconds=request.max_seconds,
            )
        return SoundDeviceRecorder(request.device, max_seconds=request.max_seconds)

    def keys(self) -> Keys:
        """Enter presses for a round (started: it reads from now on)."""
        if self.keys_factory is not None:
            return self.keys_factory()
        from voicemock.keys import KeyReader

        return KeyReader(self.inp).start()

    def check_microphone(self, device: str | None) -> None:
        """Raise :class:`~voicemock.errors.DeviceError` (one line) now if the microphone
        recorder would find no input ``device``. Nothing to check with a custom recorder."""
        if self.recorder_factory is not None:
            return
        from voicemock.audio.devices import resolve_input

        resolve_input(device)

    def speaker(self, config: Config) -> Speaker:
        """What reads the questions aloud."""
        if self.speaker_factory is not None:
            return self.speaker_factory(config)
        from voicemock.tts.speaker import TtsSpeaker

        return TtsSpeaker.from_config(config, workdir=self.cache_dir)

    def clean_scratch(self) -> None:
        """Remove scratch files a killed voicemock left behind (see :mod:`voicemock.scratch`)."""
        from voicemock.scratch import clean_leftovers

        clean_leftovers(self.cache_dir, "tts")


MAX_MODEL_SPEC = 1024
"""Longer model names or directories are refused before any file system call."""


def check_model_spec(model: str | None) -> None:
    """Refuse a model name or directory no file system could hold, in one line."""
    from voicemock.errors import InputError

    if model is None:
        return
    if "\x00" in model:
        raise InputError("the model name holds a NUL character")
    if len(model) > MAX_MODEL_SPEC or any(len(part.encode()) > 255 for part in model.split("/")):
        raise InputError(
            f"the model name is {len(model):,} characters long: give a model name such as"
            " base.en or a model directory"
        )


@dataclass(frozen=True)
class RecorderRequest:
    """What a practice answer needs from its recorder."""

    max_seconds: float
    answer_file: Path | None = None
    fast: bool = False
    device: str | int | None = None
