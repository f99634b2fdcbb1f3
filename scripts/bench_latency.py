#!/usr/bin/env python3
"""How long after the last word does the feedback appear? Streaming vs offline.

    .venv/bin/python scripts/bench_latency.py                   # 1, 3, 5 min; 3 runs each
    .venv/bin/python scripts/bench_latency.py --minutes 3 --runs 1 --source file

For each answer length, real speech (read clips, then meeting clips, joined with natural
pauses) goes through the real recording path at real-time pace:

- ``--source pulse`` (default): a private PulseAudio daemon whose null sink's monitor is
  the microphone; the answer is played into it with ``paplay`` while
  ``SoundDeviceRecorder`` records through PortAudio, as in ``voicemock practice``;
- ``--source file``: ``FileRecorder``, the ``--answer-file`` pacing.

Each run is a fresh process (so its peak RSS is its own). Streaming: the model decodes
chunks while the answer plays; the clock starts when the audio ends (``paplay`` exits, or
the file's last block is released) and stops when the full report has been rendered.
Offline, in the same run: the same saved audio transcribed after the fact (what the user
would wait without streaming), with the same, already loaded, model.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import ROOT, build_answer, dump, machine, median, run_measured

TARGET_LATENCY_S = 1.5
TARGET_RATIO = 8.0
TARGET_RSS_MB = 500.0


def _report(transcript: object, question: str) -> None:
    """Analyse and render exactly as the practice round does (to a throwaway console)."""
    from voicemock.env import Environment
    from voicemock.feedback import analysis_document
    from voicemock.render import make_console
    from voicemock.render.report import render_report
    from voicemock.timing import Target

    doc = analysis_document(transcript, Target(), question=question, model="tiny.en")  # type: ignore[arg-type]
    env = Environment(stdout=io.StringIO(), color=True)
    render_report(make_console(env), doc)


def child_stream(wav: Path, source: str) -> dict[str, object]:
    """One streaming run: record ``wav`` in real time, return the measurements."""
    from voicemock.audio.recorder import FileRecorder, SoundDeviceRecorder
    from voicemock.env import Environment
    from voicemock.practice import AnswerTranscription

    env = Environment()
    transcriber = env.transcriber(None)
    import voicemock.analysis  # noqa: F401  (loaded before the answer, as in a round)
    from voicemock.analysis import analyze  # noqa: F401

    out = Path(tempfile.mkdtemp()) / "recorded.wav"
    stream = AnswerTranscription(transcriber)
    if source == "file":
        recorder: FileRecorder | SoundDeviceRecorder = FileRecorder(wav, realtime=True)
    else:
        recorder = SoundDeviceRecorder()
    stream.attach(recorder)
    recorder.start(out)
    if source == "file":
        assert isinstance(recorder, FileRecorder)
        recorder.wait()
        end = recorder.fed_at[-1]
    else:
        player = subprocess.run(["paplay", "--device=mic", str(wav)], check=True)
        del player
        end = time.monotonic()
    recording = recorder.stop()
    stopped = time.monotonic()
    transcript = stream.finish(recording)
    transcribed = time.monotonic()
    _report(transcript, "Tell me about a time you delivered results.")
    done = time.monotonic()
    stream.release()
    latency = done - end
    stats = stream.stream.stats
    return {
        "latency_s": latency,
        "stop_s": stopped - end,
        "tail_s": transcribed - stopped,
        "report_s": done - transcribed,
        "recorded_s": recording.duration_s,
        "overflows": recording.overflows,
        "chunks": len(stats.chunks),
        "words": len(transcript.words),
        "recorded_path": str(out),
        "decodes": [
            {
                "start": round(c.span.start, 2),
                "end": round(c.span.end, 2),
                "queued": round(c.queued_at - end, 2),
                "took": round(c.done_at - c.started_at, 2),
                "at_finish": c.at_finish,
                "reused": c.reused,
            }
            for c in stats.chunks
        ],
    }


def child_offline(wav: Path) -> dict[str, float]:
    """The same audio after the fact: load, transcribe, analyse, render."""
    from voicemock.asr import transcribe
    from voicemock.audio.io import load_audio
    from voicemock.env import Environment

    transcriber = Environment().transcriber(None)
    import voicemock.analysis  # noqa: F401

    start = time.monotonic()
    transcript = transcribe(load_audio(wav), transcriber)
    _report(transcript, "Tell me about a time you delivered results.")
    return {"latency_s": time.monotonic() - start, "words": len(transcript.words)}


def parent(args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    print(f"source: {args.source}; runs per length: {args.runs}")
    py = sys.executable
    env = os.environ.copy()
    pulse_ctx = None
    if args.source == "pulse":
        import shutil

        missing = [b for b in ("pulseaudio", "pactl", "paplay") if shutil.which(b) is None]
        if missing:
            sys.exit(
                f"missing {', '.join(missing)} (Debian: pulseaudio pulseaudio-utils); "
                "or use --source file"
            )
        sys.path.insert(0, str(ROOT))
        from tests.pulse_helpers import running_pulseaudio

        pulse_ctx = running_pulseaudio()
        pulse = pulse_ctx.__enter__()
        env = pulse.subprocess_env()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for minutes in args.minutes:
                wav, seconds = build_answer(minutes, Path(tmp) / f"answer-{minutes:g}.wav")
                streams, offlines, rss, overflows = [], [], [], 0
                for _ in range(args.runs):
                    run = run_measured(
                        [
                            py,
                            __file__,
                            "--child",
                            "stream",
                            "--wav",
                            str(wav),
                            "--source",
                            args.source,
                        ],
                        env,
                    )
                    data = json.loads(run.stdout.strip().splitlines()[-1])
                    streams.append(data["latency_s"])
                    overflows += int(data["overflows"])
                    rss.append(run.peak_rss_mb)
                    # offline: the audio as recorded in this run
                    off = run_measured(
                        [py, __file__, "--child", "offline", "--wav", data["recorded_path"]], env
                    )
                    offlines.append(json.loads(off.stdout.strip().splitlines()[-1])["latency_s"])
                    Path(data["recorded_path"]).unlink(missing_ok=True)
                row = {
                    "minutes": minutes,
                    "audio_s": seconds,
                    "stream_latency_s": median(streams),
                    "stream_runs": streams,
                    "offline_latency_s": median(offlines),
                    "offline_runs": offlines,
                    "ratio": median(offlines) / median(streams),
                    "peak_rss_mb": max(rss),
                    "overflows": overflows,
                    "chunks": data["chunks"],
                    "last_run": {k: data[k] for k in ("stop_s", "tail_s", "report_s", "decodes")},
                }
                rows.append(row)
                each = ", ".join(f"{s:.2f}" for s in streams)
                print(
                    f"{seconds / 60:4.1f} min: feedback {row['stream_latency_s']:.2f} s after the "
                    f"last word (median of {args.runs}: {each}); "
                    f"offline {row['offline_latency_s']:.2f} s; ratio {row['ratio']:.1f}x; "
                    f"peak RSS {row['peak_rss_mb']:.0f} MB; overflows {overflows}; "
                    f"{row['chunks']} chunks; last run: stop {data['stop_s']:.2f} s, "
                    f"tail {data['tail_s']:.2f} s, report {data['report_s']:.2f} s",
                    flush=True,
                )
                after = [d for d in data["decodes"] if d["at_finish"]]
                print(
                    "  left at the stop: "
                    + (
                        "; ".join(
                            f"{d['start']:.1f}-{d['end']:.1f} s "
                            + ("decoded ahead" if d["reused"] else f"took {d['took']:.2f} s")
                            for d in after
                        )
                        or "nothing"
                    ),
                    flush=True,
                )
    finally:
        if pulse_ctx is not None:
            pulse_ctx.__exit__(None, None, None)
    three = [r for r in rows if abs(r["minutes"] - 3) < 0.01]
    if three:
        r = three[0]
        print(
            f"targets at 3 min: latency {r['stream_latency_s']:.2f} s (<= {TARGET_LATENCY_S}), "
            f"ratio {r['ratio']:.1f}x (>= {TARGET_RATIO:g}x), overflows {r['overflows']} (0), "
            f"peak RSS {r['peak_rss_mb']:.0f} MB (<= {TARGET_RSS_MB:g})"
        )
    dump(args.json, {"machine": machine(), "source": args.source, "rows": rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[1.0, 3.0, 5.0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", choices=["pulse", "file"], default="pulse")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", choices=["stream", "offline"], help=argparse.SUPPRESS)
    parser.add_argument("--wav", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "stream":
        print(json.dumps(child_stream(args.wav, args.source)))
    elif args.child == "offline":
        print(json.dumps(child_offline(args.wav)))
    else:
        parent(args)


if __name__ == "__main__":
    main()
