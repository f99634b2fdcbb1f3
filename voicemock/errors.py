"""Errors the user can act on.

Every :class:`VoicemockError` is printed by the CLI as one line on stderr and ends the
command with its ``exit_code`` (:attr:`ExitStatus.ERROR` unless a subclass says
otherwise). Anything else that escapes is a bug and is reported as one line too, never as a
traceback (set ``VOICEMOCK_DEBUG=1`` to see it), with :attr:`ExitStatus.ERROR_UNEXPECTED`.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """How a ``voicemock`` command ends (the process exit status)."""

    SUCCESS = 0
    ERROR_UNEXPECTED = 1
    """A bug: an exception nobody expected (reported as one line, please report it)."""
    ERROR = 2
    """A problem the user can act on: a usage error, bad input, no microphone, no model,
    an unusable data directory; or a check that found problems (``sets validate``)."""
    ERROR_CTRL_C = 130
    """Interrupted by Ctrl-C (128 + SIGINT, as shells report it)."""


class VoicemockError(Exception):
    """A problem with the user's input or machine, explained in one line."""

    exit_code: ExitStatus = ExitStatus.ERROR


class InputError(VoicemockError):
    """A file, option or value the user gave cannot be used."""


class AudioError(InputError):
    """An audio file is missing, unreadable, corrupt or in an unsupported format."""


class NoSpeechError(AudioError):
    """The recording holds no speech the voice-activity detector can find."""


class ModelError(VoicemockError):
    """The transcription model cannot be found or loaded."""


class DeviceError(VoicemockError):
    """A microphone or speaker is missing or refuses to open."""


class StorageError(VoicemockError):
    """The data directory or database cannot be used."""
