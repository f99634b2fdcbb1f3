"""Keep alsa-lib's own error lines ("ALSA lib pcm.c:…(snd_pcm_recover) underrun occurred")
off the user's terminal.

PortAudio recovers from an underrun or overrun by itself, but alsa-lib reports each one
through its error handler, whose default prints a line straight to file descriptor 2, in
the middle of the live line. :func:`quiet_alsa` installs a handler that drops those lines.
It is the library's own switch (``snd_lib_error_set_handler``), reached through ctypes on
the ``libasound.so.2`` that PortAudio itself uses, so only ALSA's messages go: everything
else on stderr, voicemock's and PortAudio's own errors, stays. Where there is no
alsa-lib (macOS, Windows, a machine without it) it does nothing.

Redirecting file descriptor 2 around opening and closing a stream is not enough: the
underrun lines come while the stream plays, from PortAudio's audio thread.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

LIBRARY = "libasound.so.2"

_HANDLER_TYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
"""``snd_lib_error_handler_t`` without its trailing ``...``: the varargs are the caller's
to clean up, so a handler that takes only the fixed arguments is safe to install."""


def _drop(_file: Any, _line: Any, _function: Any, _err: Any, _fmt: Any) -> None:
    return None


_handler = _HANDLER_TYPE(_drop)  # module-level: alsa-lib keeps the pointer forever
_lock = threading.Lock()
_installed = False


def quiet_alsa() -> bool:
    """Silence alsa-lib's error messages in this process; True if alsa-lib was found.

    Idempotent and cheap; safe to call before or after PortAudio is initialised.
    """
    global _installed
    with _lock:
        if _installed:
            return True
        try:
            asound = ctypes.CDLL(LIBRARY)
            set_handler = asound.snd_lib_error_set_handler
        except (OSError, AttributeError):
            return False
        set_handler.argtypes = [_HANDLER_TYPE]
        set_handler.restype = ctypes.c_int
        if set_handler(_handler) != 0:
            return False
        _installed = True
        return True
