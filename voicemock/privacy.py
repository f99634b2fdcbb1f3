"""Nothing leaves the machine: third-party telemetry is turned off before anything loads.

onnxruntime (which runs the Silero voice-activity detector that faster-whisper ships)
has, since 1.2x, a telemetry uploader on Linux and macOS too: the 1DS SDK. About 10 s
into any process that creates an onnxruntime environment it looks up
``mobile.events.data.microsoft.com`` and uploads process and device information, leaves
a session file (``$TMPDIR/.ses``) and keeps a device id and an event queue in
``~/.cache/Microsoft/DeveloperTools/.onnxruntime/``. Its ``Privacy.md`` documents the
off switch: ``ORT_DISABLE_TELEMETRY=1`` in the environment before onnxruntime
initialises "prevents the uploader, events, and persistent device identifier from being
created for the process lifetime" (the value is read once, by ``getenv``, and latched).
The Python API's ``disable_telemetry_events()`` is not enough: it comes after the first
event and keeps the device id.

:func:`apply` sets it, and huggingface_hub's own switch (it only phones home when a
model is downloaded on purpose, but the download path should be as quiet), in
``os.environ``, which also reaches the C runtime's environment (``putenv``) and every
child process. ``voicemock/__init__.py`` calls it, so it runs before any voicemock
module, and so before anything that imports onnxruntime. A program that imports
onnxruntime itself before importing voicemock must set the variable itself.
``tests/test_privacy.py`` proves it under ``strace``: no internet socket, no file
written outside the data directory and the cache directory.
"""

from __future__ import annotations

import os

OFF_SWITCHES: dict[str, str] = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}
"""Environment variables that turn third-party telemetry off, and their values."""


def apply() -> None:
    """Set every off switch (overriding a value that would turn telemetry back on)."""
    for name, value in OFF_SWITCHES.items():
        os.environ[name] = value
