"""A long-lived child process that runs voicemock commands on hostile input, one at a time.

Run as ``python -m tests.hostile_worker``. Each line on stdin is a JSON request
``{"args": [...], "home": "/path"}``; each reply is one JSON line with the exit code,
stdout, stderr, the wall time and the *peak resident memory of that command alone*:
before each command the kernel's high-water mark is reset (``/proc/self/clear_refs``,
value 5) and afterwards read back (``VmHWM``). The real model is loaded once, at start,
so hundreds of commands take minutes, not hours; the parent enforces the time limit and
kills this process if a command overruns. An address-space ceiling far above the memory
limit makes a runaway allocation fail here rather than take the machine.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ADDRESS_SPACE_CEILING = 8 << 30


def peak_reset() -> None:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CEILING, ADDRESS_SPACE_CEILING))
    from click.testing import CliRunner

    from voicemock.cli import cli
    from voicemock.env import Environment

    cache: dict[str | None, Any] = {}

    def transcriber(model: str | None) -> Any:
        if model is None:
            if None not in cache:
                cache[None] = Environment().transcriber(None)
            return cache[None]
        from voicemock.asr.whisper import WhisperTranscriber

        return WhisperTranscriber.load(model, workers=1)

    transcriber(None)  # load the model before the first timed command
    import voicemock.analysis  # noqa: F401  (loaded once, as in a real process)

    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but replies on the real stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        env = Environment(
            environ={**os.environ, "VOICEMOCK_HOME": request["home"]},
            transcriber_factory=transcriber,
        )
        peak_reset()
        started = time.monotonic()
        result = CliRunner().invoke(cli, request["args"], obj=env, input=request.get("stdin", ""))
        seconds = time.monotonic() - started
        reply = {
            "code": result.exit_code,
            "stdout": result.stdout[-4000:],
            "stderr": result.stderr[-4000:],
            "exception": None
            if result.exception is None or isinstance(result.exception, SystemExit)
            else repr(result.exception),
            "seconds": seconds,
            "peak_mb": peak_mb(),
        }
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
