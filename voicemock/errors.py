"""Errors the user can act on.

Every :class:`VoicemockError` is printed by the CLI as one line on stderr and ends the
command with its ``exit_code`` (2 unless a subclass says otherwise). Anything else that
escapes is a bug and is reported as one line too, never as a traceback (set
``VOICEMOCK_DEBUG=1`` to see it).
"""

from __future__ import annotations


class VoicemockError(Exception):
    """A problem with the user's input or machine, explained in one line."""

    exit_code = 2


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
