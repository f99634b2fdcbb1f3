#!/usr/bin/env python3
"""How long the analysis of a typed 350-word answer takes, beside baselines from the same run.

    .venv/bin/python scripts/bench_analysis.py          # about 20 seconds
    .venv/bin/python scripts/bench_analysis.py --runs 50

Prints, for a realistic 350-word STAR answer (``tests/analysis_helpers.py``'s answer, cut to
350 words):

- the analysis (``voicemock.analysis.analyze``, everything ``analyze --text`` computes),
  fastest and median of the runs, and its stages;
- baselines measured in the same run: building the transcript and its words (``Doc``), which
  every finding pays for, and the fastest possible pass (a regex split and a word count);
- ``voicemock analyze --text FILE`` as a user runs it, in a fresh process, beside
  ``voicemock --help`` (the process start and imports every command pays).

Acceptance (issue 11): the analysis of a 350-word answer takes well under 100 ms.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import machine  # noqa: E402

from tests.analysis_helpers import STAR_ANSWER  # noqa: E402

WORDS = 350
TARGET_MS = 100.0


def answer_text(words: int = WORDS) -> str:
    """The helpers' three-minute STAR answer, markers removed, cut or repeated to ``words``."""
    tokens = re.sub(r"<(?:pause|voice) [\d.]+>", " ", STAR_ANSWER).split()
    while len(tokens) < words:
        tokens += tokens
    return " ".join(tokens[:words])


def timings(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm caches and imports
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def row(label: str, ms: list[float]) -> str:
    return f"  {label:<44} {min(ms):8.2f} ms {statistics.median(ms):8.2f} ms"


def process_ms(args: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="in-process runs (default 30)")
    parser.add_argument("--process-runs", type=int, default=5, help="fresh-process runs")
    args = parser.parse_args(argv)

    from voicemock.analysis import analyze
    from voicemock.analysis.findings import find_all
    from voicemock.analysis.metrics import find_metrics
    from voicemock.analysis.ownership import find_clauses
    from voicemock.analysis.text import Doc
    from voicemock.timing import Target
    from voicemock.transcript import Transcript

    text = answer_text()
    transcript = Transcript.from_text(text)
    assert len(transcript.words) == WORDS
    doc = Doc(transcript.words)
    analysis = timings(lambda: analyze(transcript).to_dict(), args.runs)
    print(f"voicemock analysis of a typed {WORDS}-word answer — {machine()}")
    print(f"  {'':<44} {'fastest':>11} {'median':>11}")
    print(row("analysis: analyze(...).to_dict() (all findings)", analysis))
    print(row("  of which: every finding (find_all)", timings(
        lambda: find_all(transcript, Target()), args.runs)))  # fmt: skip
    print(row("  of which: numbers and their context", timings(
        lambda: find_metrics(doc), args.runs)))  # fmt: skip
    print(row("  of which: the speaker's clauses (ownership)", timings(
        lambda: find_clauses(doc), args.runs)))  # fmt: skip
    print("baselines, same run:")
    print(row("words and sentences (Doc), paid by every finding", timings(
        lambda: Doc(Transcript.from_text(text).words), args.runs)))  # fmt: skip
    print(row("a regex split and a word count", timings(
        lambda: len(re.findall(r"\S+", text)), args.runs)))  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answer.txt"
        path.write_text(text + "\n", encoding="utf-8")
        python = sys.executable
        cli = process_ms(
            [python, "-m", "voicemock", "analyze", "--text", str(path)], args.process_runs
        )
        json_cli = process_ms(
            [python, "-m", "voicemock", "analyze", "--text", str(path), "--json"],
            args.process_runs,
        )
        help_ms = process_ms([python, "-m", "voicemock", "--help"], args.process_runs)
    print("as a user runs it (fresh process, wall time):")
    print(row("voicemock analyze --text answer.txt", cli))
    print(row("voicemock analyze --text answer.txt --json", json_cli))
    print(row("baseline: voicemock --help (start and imports)", help_ms))

    best = min(analysis)
    verdict = "meets" if statistics.median(analysis) < TARGET_MS / 2 else "MISSES"
    print(
        f"\nanalysis: {best:.1f} ms fastest, {statistics.median(analysis):.1f} ms median — "
        f"{verdict} 'well under {TARGET_MS:.0f} ms' (median under half of it)"
    )
    return 0 if verdict == "meets" else 1


if __name__ == "__main__":
    sys.exit(main())
