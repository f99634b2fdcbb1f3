"""Key presses during a round: Enter ends thinking time and ends an answer; after the
feedback a key (typed, then Enter) answers the round's questions: which story the answer
told, and whether to try the question again.

The round reads them through the small :class:`Keys` protocol, which the
:class:`~voicemock.env.Environment` supplies (:meth:`~voicemock.env.Environment.keys`):
:class:`KeyReader` on standard input for real use, scripted presses in tests.
"""

from __future__ import annotations

import queue
import threading
from typing import Protocol, TextIO

LINK = "y"
"""Link the answer to the suggested story (Enter does too when its score reaches the
threshold)."""
LIST = "l"
"""List every story, to pick another one by its number."""
NEW = "n"
"""Create a new story from this answer (its title is asked next)."""
SKIP = "s"
"""Leave the answer unlinked."""
RETRY = "r"
"""Try the same question again at once."""


class Keys(Protocol):
    """Enter presses, consumed one at a time."""

    @property
    def closed(self) -> bool:
        """The input has ended: no press will ever come."""
        ...

    def drain(self) -> None:
        """Forget presses made before now (e.g. while the question was being read)."""
        ...

    def pressed(self, timeout: float = 0.0) -> bool:
        """True if Enter was pressed (waiting up to ``timeout`` seconds for it)."""
        ...

    @property
    def interactive(self) -> bool:
        """A person types the keys (a terminal): the round may ask them questions."""
        ...

    def read_line(self) -> str | None:
        """What was typed before the next Enter (stripped; ``""`` for Enter alone), waiting
        for it; ``None`` once the input has ended."""
        ...


class KeyReader:
    """Collects Enter presses from a stream on a background thread.

    One reader serves the whole round, so no keystroke meant for one step is swallowed
    by a thread left over from another. ``pressed()`` consumes one press if any.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="voicemock-keys", daemon=True)
        self._started = False
        self.closed = False
        isatty = getattr(stream, "isatty", None)
        try:
            self.interactive = bool(isatty and isatty())
        except (OSError, ValueError):
            self.interactive = False

    def start(self) -> KeyReader:
        if not self._started:
            self._started = True
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            for line in iter(self._stream.readline, ""):
                self._lines.put(line)
        except (OSError, ValueError):
            pass
        self._lines.put(None)

    def drain(self) -> None:
        """Forget presses made before now (e.g. while the question was being read)."""
        while True:
            try:
                if self._lines.get_nowait() is None:
                    self.closed = True
            except queue.Empty:
                return

    def pressed(self, timeout: float = 0.0) -> bool:
        """True if Enter was pressed (waiting up to ``timeout`` seconds for it)."""
        if self.closed:
            return False
        try:
            line = self._lines.get(timeout=timeout) if timeout > 0 else self._lines.get_nowait()
        except queue.Empty:
            return False
        if line is None:
            self.closed = True
            return False
        return True

    def read_line(self) -> str | None:
        """What was typed before the next Enter, waiting for it (``None``: input ended)."""
        while not self.closed:
            try:
                line = self._lines.get(timeout=0.1)  # a short wait: signals get through
            except queue.Empty:
                continue
            if line is None:
                self.closed = True
                break
            return line.strip()
        return None
