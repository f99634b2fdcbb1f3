"""Scripted parts for testing the practice round without waiting: a clock, keys, a recorder.

The recorder writes real audio (a real WAV through the real writer) as the injected
clock advances, so everything after recording (VAD, transcription, storage) is real.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from voicemock.audio.recorder import Recording, to_pcm16
from voicemock.audio.wavfile import WavWriter

if TYPE_CHECKING:
    import pexpect


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


@dataclass
class ScriptedKeys:
    """Enter is 'pressed' once the clock passes each of ``at`` (seconds since start).

    With ``interactive`` (a person at a terminal) the round asks its questions, and
    ``lines`` are the answers typed, in order (``""``: Enter alone); once they run out
    the input has ended.
    """

    clock: FakeClock
    at: list[float] = field(default_factory=list)
    closed: bool = False
    started_at: float | None = None
    presses: int = 0
    interactive: bool = False
    lines: list[str] = field(default_factory=list)
    prompts: int = 0
    """How many times the round waited for a typed line."""

    def read_line(self) -> str | None:
        self.prompts += 1
        if not self.lines:
            self.closed = True
            return None
        return self.lines.pop(0)

    def start(self) -> ScriptedKeys:
        self.started_at = self.clock()
        return self

    def drain(self) -> None:
        return None

    def pressed(self, timeout: float = 0.0) -> bool:
        if timeout:
            self.clock.sleep(timeout)
        assert self.started_at is not None
        if self.at and self.clock() - self.started_at >= self.at[0]:
            self.at.pop(0)
            self.presses += 1
            return True
        return False


class ClockRecorder:
    """A recorder whose time is the injected clock: ``wait(t)`` advances it by ``t``.

    It writes ``source`` (then silence) into a real WAV as time passes. It ends by itself
    only at ``max_seconds`` or, with ``ends=True``, at the end of ``source``;
    ``interrupt_at`` raises KeyboardInterrupt there, as Ctrl-C would.
    """

    def __init__(
        self,
        clock: FakeClock,
        source: np.ndarray,
        *,
        max_seconds: float | None = None,
        ends: bool = False,
        interrupt_at: float | None = None,
        level: float = 0.4,
        honour_cap: bool = True,
    ) -> None:
        self.clock = clock
        self.source = source.astype(np.float32)
        self.max_seconds = max_seconds if honour_cap else None
        self.ends = ends
        self.interrupt_at = interrupt_at
        self._level = level
        self._written = 0
        self._writer: WavWriter | None = None
        self.path: Path | None = None
        self.stopped = False
        self.waits = 0
        self.subscribers: list[Callable[[np.ndarray], None]] = []

    def start(self, path: str | Path) -> ClockRecorder:
        self.path = Path(path)
        self._writer = WavWriter(self.path)
        return self

    @property
    def elapsed(self) -> float:
        return self._written / 16000

    @property
    def level(self) -> float:
        return self._level

    @property
    def overflows(self) -> int:
        return 0

    @property
    def finished(self) -> bool:
        if self.max_seconds is not None and self.elapsed >= self.max_seconds:
            return True
        return self.ends and self._written >= len(self.source)

    def wait(self, timeout: float | None = None) -> bool:
        self.waits += 1
        step = timeout or 0.1
        self.clock.sleep(step)
        n = round(step * 16000)
        if self.max_seconds is not None:
            n = min(n, max(0, int(self.max_seconds * 16000) - self._written))
        if self.ends:
            n = min(n, max(0, len(self.source) - self._written))
        block = self.source[self._written : self._written + n]
        if len(block) < n:
            block = np.concatenate([block, np.zeros(n - len(block), dtype=np.float32)])
        assert self._writer is not None
        self._writer.write(to_pcm16(block).tobytes())
        for fn in self.subscribers:
            fn(block)
        self._written += n
        if self.interrupt_at is not None and self.elapsed >= self.interrupt_at:
            self.interrupt_at = None
            raise KeyboardInterrupt
        return self.finished

    def subscribe(self, fn: Callable[[np.ndarray], None]) -> Callable[[], None]:
        self.subscribers.append(fn)
        return lambda: self.subscribers.remove(fn)

    def stop(self) -> Recording:
        self.stopped = True
        assert self._writer is not None and self.path is not None
        if not self._writer.closed:
            self._writer.close()
        return Recording(
            path=self.path,
            duration_s=self.elapsed,
            frames=self._written,
            overflows=0,
            device="clock recorder",
            device_samplerate=16000,
            reached_cap=self.max_seconds is not None and self.elapsed >= self.max_seconds,
        )

    def __enter__(self) -> ClockRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._writer is not None and not self.stopped:
            self.stop()


def spawn_voicemock(
    args: list[str],
    cwd: Path,
    *,
    plain: bool = False,
    timeout: float = 180,
    rows: int = 50,
    columns: int = 150,
) -> pexpect.spawn:
    """``python -m voicemock ARGS`` in a pseudo-terminal (150 x 50 unless told), as a
    person runs it: in colour, or ``plain`` (NO_COLOR), so lines are matched as they read."""
    import pexpect

    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    env.pop("NO_COLOR", None)
    if plain:
        env["NO_COLOR"] = "1"
    return pexpect.spawn(
        sys.executable,
        ["-m", "voicemock", *args],
        env=env,
        cwd=str(cwd),
        encoding="utf-8",
        codec_errors="replace",
        timeout=timeout,
        dimensions=(rows, columns),
    )
