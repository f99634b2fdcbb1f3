#!/usr/bin/env python3
"""Size and speed of `voicemock report`, with baselines measured in the same run.

    .venv/bin/python scripts/bench_report.py               # about 4 minutes
    .venv/bin/python scripts/bench_report.py --no-quality  # skip re-transcribing the Opus

Answers of real speech (../shared/audio), 4 and 3 minutes long, are transcribed and
analysed once by `voicemock analyze` (the bundled model) and saved through the real Store:
a session of the one 4-minute answer; a session of ten 3-minute answers (the middle of
the 2:30-3:30 window); and ten 4-minute answers (every answer at the cap: the worst case).
Then it prints:

- the size of the report of the 4-minute answer with its recording (target < 3 MB),
  beside the recording as 16-bit WAV and the report without audio;
- the wall time (and CPU time) of `voicemock report` on the ten-answer sessions (median
  of 3; target < 5 s), beside `voicemock review` on the same session and
  `report --no-audio`. The machine's load average is printed too: the wall time of work
  spread over both cores doubles when someone else is using one;
- (unless --no-quality) how the embedded audio transcribes: the words of the Opus taken
  back out of the page against the words of the WAV, by the same model, beside the
  difference between two transcriptions of the WAV itself.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import build_answer, dump, machine, median, run_measured

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE_TARGET_MB = 3.0
TIME_TARGET_S = 5.0


def save_session(home: Path, wav: Path, doc: dict[str, Any], count: int) -> int:
    from voicemock.storage import Store

    with Store.open(home) as store:
        session = store.create_session(set_name="amazon-pm", model=doc.get("model"))
        for n in range(count):
            record = store.start_answer(
                session.id, question_id=f"bench-{n}", question_text=str(doc.get("question"))
            )
            assert record.audio_path is not None
            record.audio_path.write_bytes(wav.read_bytes())
            store.complete_answer(
                record.id,
                duration_s=doc["duration_s"],
                transcript=doc["transcript"],
                words=doc["words"],
                analysis=doc,
            )
        store.finish_session(session.id)
        return session.id


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("%", " percent"))


def word_difference(reference: list[str], hypothesis: list[str]) -> float:
    import jiwer

    return float(jiwer.wer(" ".join(reference), " ".join(hypothesis) or "<empty>"))


def analyse(py: str, wav: Path, env: dict[str, str]) -> dict[str, Any]:
    cmd = [py, "-m", "voicemock", "analyze", str(wav), "--json", "--question", "Bench"]
    return dict(json.loads(run_measured(cmd, env).stdout))


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min: {five:.1f}) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    py = sys.executable
    print(f"machine: {machine()}; {load()}")
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"
        env = {**os.environ, "VOICEMOCK_HOME": str(home), "NO_COLOR": "1"}
        wav4, seconds4 = build_answer(4.0, tmp / "answer4.wav")
        wav3, seconds3 = build_answer(3.0, tmp / "answer3.wav", seed=1)
        doc4, doc3 = analyse(py, wav4, env), analyse(py, wav3, env)
        one = save_session(home, wav4, doc4, 1)
        typical = save_session(home, wav3, doc3, args.answers)
        worst = save_session(home, wav4, doc4, args.answers)

        # -- size --------------------------------------------------------------------
        with_audio, without = tmp / "one.html", tmp / "one-no-audio.html"
        run_measured([py, "-m", "voicemock", "report", str(one), "-o", str(with_audio)], env)
        run_measured(
            [py, "-m", "voicemock", "report", str(one), "--no-audio", "-o", str(without)], env
        )
        size = with_audio.stat().st_size / 1e6
        figures["size"] = {
            "answer_s": round(seconds4, 1),
            "report_mb": round(size, 3),
            "report_no_audio_mb": round(without.stat().st_size / 1e6, 3),
            "wav_mb": round(wav4.stat().st_size / 1e6, 3),
        }
        verdict = "OK" if size < SIZE_TARGET_MB else "OVER TARGET"
        print(
            f"report of one {seconds4 / 60:.1f}-minute answer: {size:.2f} MB with its recording"
            f" (target < {SIZE_TARGET_MB:.0f} MB: {verdict}); without it"
            f" {figures['size']['report_no_audio_mb']:.2f} MB; the recording as WAV"
            f" {figures['size']['wav_mb']:.2f} MB"
        )

        # -- time --------------------------------------------------------------------
        for name, session, each in (("typical", typical, seconds3), ("worst", worst, seconds4)):
            out = tmp / f"{name}.html"
            report_cmd = [py, "-m", "voicemock", "report", str(session), "-o", str(out)]
            plain_cmd = [py, "-m", "voicemock", "report", str(session), "--no-audio", "-o", "-"]
            review_cmd = [py, "-m", "voicemock", "review", str(session), "--no-color"]
            runs: dict[str, list[Any]] = {"report": [], "report_no_audio": [], "review": []}
            for _ in range(args.runs):
                runs["report"].append(run_measured(report_cmd, env))
                runs["report_no_audio"].append(run_measured(plain_cmd, env))
                runs["review"].append(run_measured(review_cmd, env))
            wall = {k: median([r.wall_s for r in v]) for k, v in runs.items()}
            cpu = {k: median([r.cpu_s for r in v]) for k, v in runs.items()}
            figures[name] = {
                "answer_s": round(each, 1),
                "page_mb": round(out.stat().st_size / 1e6, 2),
                "wall_s": {k: round(v, 2) for k, v in wall.items()},
                "cpu_s": {k: round(v, 2) for k, v in cpu.items()},
                "report_runs_s": [round(r.wall_s, 2) for r in runs["report"]],
            }
            verdict = "OK" if wall["report"] < TIME_TARGET_S else "OVER TARGET"
            print(
                f"report on {args.answers} answers of {each / 60:.1f} min ({name};"
                f" {figures[name]['page_mb']:.1f} MB page): {wall['report']:.2f} s wall,"
                f" {cpu['report']:.2f} s CPU (median of {args.runs}; runs"
                f" {', '.join(f'{r:.2f}' for r in figures[name]['report_runs_s'])};"
                f" target < {TIME_TARGET_S:.0f} s: {verdict})"
            )
            print(
                f"  baselines on the same session: review {wall['review']:.2f} s"
                f" ({cpu['review']:.2f} s CPU), report --no-audio {wall['report_no_audio']:.2f} s"
                f" ({cpu['report_no_audio']:.2f} s CPU); {load()}"
            )

        # -- what the embedded audio sounds like to the model ------------------------
        if not args.no_quality:
            page = with_audio.read_text(encoding="utf-8")
            match = re.search(r'src="data:audio/ogg[^"]*?;base64,([^"]+)"', page)
            assert match, "no embedded audio found"
            ogg = tmp / "embedded.ogg"
            ogg.write_bytes(base64.b64decode(match.group(1)))
            again = analyse(py, ogg, env)
            wav_again = analyse(py, wav4, env)
            reference = words_of(doc4["transcript"])
            diff = word_difference(reference, words_of(again["transcript"]))
            noise = word_difference(reference, words_of(wav_again["transcript"]))
            figures["quality"] = {
                "ogg_mb": round(ogg.stat().st_size / 1e6, 3),
                "kbit_s": round(ogg.stat().st_size * 8 / seconds4 / 1000, 1),
                "word_difference_ogg": round(diff, 4),
                "word_difference_wav_again": round(noise, 4),
                "fillers": {
                    "wav": doc4["filler_summary"]["count"],
                    "wav_again": wav_again["filler_summary"]["count"],
                    "ogg": again["filler_summary"]["count"],
                },
            }
            q = figures["quality"]
            print(
                f"embedded audio: Ogg/Opus {q['ogg_mb']:.2f} MB ({q['kbit_s']:.0f} kbit/s)."
                f" Transcribed by the same model, its words differ from the WAV's by"
                f" {diff:.1%}; the WAV transcribed a second time differs by {noise:.1%}."
                f" Fillers: {q['fillers']['ogg']} (WAV: {q['fillers']['wav']},"
                f" {q['fillers']['wav_again']})"
            )
    dump(args.json, figures)


if __name__ == "__main__":
    main()
