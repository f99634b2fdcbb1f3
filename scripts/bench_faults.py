#!/usr/bin/env python3
"""Fault trials: kills, signals, a full disk, concurrent rounds, and very long recordings.

    .venv/bin/python scripts/bench_faults.py                    # everything (~40 min)
    .venv/bin/python scripts/bench_faults.py --kills 3 --signals 1 --disk 1 --skip-analyze
    .venv/bin/python scripts/bench_faults.py --only analyze --json faults.json

Every trial runs the real command line (``python -m voicemock``) with the real model on
real speech (read and meeting clips from ``../shared/audio`` joined with natural pauses),
in a fresh data directory, the answer fed in real time through ``--answer-file`` (the
same recorder pipeline, WAV writer and streaming transcription as a microphone):

- **SIGKILL** at a random moment 5–60 s into an answer, then ``voicemock sessions
  recover``: recovered, audio lost (seconds fed before the kill minus seconds saved),
  ``PRAGMA integrity_check``. Pass: every trial recovered, loss ≤ 1 s, integrity ok.
- **SIGINT and SIGTERM** at a random moment 5–40 s into an answer: time from the signal to
  the exit, exit status (130, 143), the answer saved at once (no recovery needed), loss,
  integrity. Pass: exit within 2 s, saved, loss ≤ 1 s.
- **Disk full** (needs root: a small tmpfs): the disk is filled 3–10 s into an answer.
  How long until the screen says "Disk full", audio kept against audio fed, the one-line
  error, then ``sessions recover`` once space is freed.
- **Concurrent rounds**: several rounds on one data directory at once (``--fast``), while
  ``sessions list``, ``export``, ``review``, ``delete`` of a running session and
  ``recover`` run in a loop: every answer saved, every command a result or one line,
  integrity ok.
- **analyze** on 60 minutes of speech and of white noise, beside a 3-minute file in the
  same run: peak RSS (≤ 500 MB), time per audio minute (within 20 % of the 3-minute
  file's), fillers reported in noise (0: "no speech detected").

Each figure is printed against its target with PASS/FAIL; ``--json`` keeps everything.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import ROOT, build_answer, dump, machine, own_usage, read_usage

QUESTION = "ow-outside-scope"
LOSS_LIMIT_S = 1.0
EXIT_LIMIT_S = 2.0
RSS_LIMIT_MB = 500.0
PER_MINUTE_TOLERANCE = 0.20
HEADER = 44
BYTES_PER_S = 32_000


def voicemock(*args: str) -> list[str]:
    return [sys.executable, "-m", "voicemock", *args]


def environ(home: Path) -> dict[str, str]:
    env = {**os.environ, "VOICEMOCK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("VOICEMOCK_DEBUG", None)
    return env


def practice(home: Path, answer: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        voicemock(
            "practice", "--question", QUESTION, "--think", "0", "--no-voice",
            "--follow-ups", "0", "--answer-file", str(answer), *extra,
        ),
        env=environ(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def recording(home: Path) -> Path | None:
    found = sorted(home.glob("audio/*/*.wav"))
    return found[-1] if found else None


def seconds_on_disk(path: Path | None) -> float:
    if path is None or not path.exists():
        return 0.0
    return max(0, path.stat().st_size - HEADER) / BYTES_PER_S


def wait_for_recording(home: Path, proc: subprocess.Popen[str], timeout: float = 90) -> float:
    """When the answer started: the first block (0.1 s) reaches the file 0.1 s in."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path = recording(home)
        if path is not None and path.exists() and path.stat().st_size > HEADER:
            return time.monotonic() - 0.1
        if proc.poll() is not None:
            raise RuntimeError(f"practice ended before recording: {proc.stderr.read()}")  # type: ignore[union-attr]
        time.sleep(0.005)
    raise RuntimeError("recording did not start")


def integrity(home: Path) -> bool:
    conn = sqlite3.connect(home / "voicemock.db")
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    finally:
        conn.close()


def answers(home: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(home / "voicemock.db")
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT status, duration_s, transcript, error FROM answers").fetchall()
        return [dict(r) for r in rows]
    finally:
        conn.close()


def run(*args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        voicemock(*args), env=environ(home), capture_output=True, text=True, timeout=timeout,
        check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def pick(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), 2)


def fmt(values: list[float], unit: str = "s") -> str:
    if not values:
        return "-"
    return (
        f"median {statistics.median(values):.2f} {unit}, max {max(values):.2f} {unit}"
        f" (min {min(values):.2f})"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# -- trials ---------------------------------------------------------------------------------


@dataclass
class KillTrial:
    at_s: float
    fed_s: float = 0.0
    saved_s: float | None = None
    loss_s: float | None = None
    recovered: bool = False
    integrity: bool = False
    note: str = ""


def kill_trial(work: Path, answer: Path, at_s: float) -> KillTrial:
    home = Path(tempfile.mkdtemp(dir=work, prefix="kill-"))
    trial = KillTrial(at_s)
    proc = practice(home, answer)
    started = wait_for_recording(home, proc)
    time.sleep(max(0.0, started + at_s - time.monotonic()))
    os.kill(proc.pid, signal.SIGKILL)
    trial.fed_s = time.monotonic() - started
    proc.wait()
    done = run("sessions", "recover", home=home)
    rows = answers(home)
    trial.integrity = integrity(home)
    if done.returncode != 0 or len(rows) != 1:
        trial.note = (done.stderr or done.stdout).strip()[-200:]
        return trial
    row = rows[0]
    trial.recovered = row["status"] == "interrupted" and bool(row["transcript"])
    trial.saved_s = float(row["duration_s"] or 0)  # type: ignore[arg-type]
    trial.loss_s = round(trial.fed_s - trial.saved_s, 3)
    if not trial.recovered:
        trial.note = f"status {row['status']}: {row['error']}"
    return trial


@dataclass
class SignalTrial:
    sig: str
    at_s: float
    exit_code: int | None = None
    exit_s: float | None = None
    fed_s: float = 0.0
    saved_s: float | None = None
    loss_s: float | None = None
    saved: bool = False
    integrity: bool = False
    note: str = ""


def signal_trial(work: Path, answer: Path, sig: signal.Signals, at_s: float) -> SignalTrial:
    home = Path(tempfile.mkdtemp(dir=work, prefix=f"{sig.name.lower()}-"))
    trial = SignalTrial(sig.name, at_s)
    proc = practice(home, answer)
    started = wait_for_recording(home, proc)
    time.sleep(max(0.0, started + at_s - time.monotonic()))
    sent = time.monotonic()
    trial.fed_s = sent - started
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=120)
    trial.exit_s = round(time.monotonic() - sent, 3)
    trial.exit_code = proc.returncode
    rows = answers(home)
    trial.integrity = integrity(home)
    if len(rows) == 1:
        row = rows[0]
        trial.saved = row["status"] == "interrupted" and bool(row["transcript"])
        trial.saved_s = float(row["duration_s"] or 0)  # type: ignore[arg-type]
        trial.loss_s = round(trial.fed_s - trial.saved_s, 3)
        if not trial.saved:
            trial.note = f"status {row['status']}: {row['error']}"
    else:
        trial.note = err.strip()[-200:]
    return trial


@dataclass
class DiskTrial:
    at_s: float
    said_after_s: float | None = None
    message: str = ""
    fed_s: float = 0.0
    kept_s: float = 0.0
    exit_code: int | None = None
    error_line: str = ""
    recovered_s: float | None = None
    integrity: bool = False


@contextlib.contextmanager
def small_disk(work: Path, size: str) -> Iterator[Path]:
    where = Path(tempfile.mkdtemp(dir=work, prefix="disk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 12, 1):
            with contextlib.suppress(OSError):
                while fh.write(b"\0" * size):
                    pass


def disk_trial(work: Path, answer: Path, at_s: float) -> DiskTrial:
    trial = DiskTrial(at_s)
    with small_disk(work, "48m") as disk:
        home = disk / "home"
        proc = practice(home, answer)
        lines: list[tuple[float, str]] = []

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append((time.monotonic(), line))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        started = wait_for_recording(home, proc)
        time.sleep(max(0.0, started + at_s - time.monotonic()))
        fill(disk)
        filled = time.monotonic()
        trial.fed_s = filled - started
        _out, err = proc.communicate(timeout=180)
        reader.join(timeout=5)
        trial.exit_code = proc.returncode
        trial.error_line = err.strip().splitlines()[-1] if err.strip() else ""
        said = next(((t, line) for t, line in lines if "Disk full" in line), None)
        if said is not None:
            trial.said_after_s = round(said[0] - filled, 3)
            trial.message = said[1].strip()
        trial.kept_s = round(seconds_on_disk(recording(home)), 2)
        (disk / "filler").unlink()
        done = run("sessions", "recover", home=home)
        rows = answers(home)
        if done.returncode == 0 and rows and rows[0]["status"] == "interrupted":
            trial.recovered_s = float(rows[0]["duration_s"] or 0)  # type: ignore[arg-type]
        trial.integrity = integrity(home)
    return trial


@dataclass
class ConcurrentResult:
    rounds: int
    round_codes: list[int] = field(default_factory=list)
    answers_saved: int = 0
    answers_expected: int = 0
    reader_runs: int = 0
    deletes_refused: int = 0
    reader_failures: list[str] = field(default_factory=list)
    integrity: bool = False


def concurrent_rounds(work: Path, slow: Path, fast: Path, rounds: int) -> ConcurrentResult:
    """One round answering in real time (the one ``delete`` is tried on), ``rounds - 1``
    rounds of two answers each fed as fast as they go, and the reading and recovering
    commands in a loop meanwhile, all on one data directory."""
    home = Path(tempfile.mkdtemp(dir=work, prefix="concurrent-"))
    result = ConcurrentResult(rounds)
    long_round = practice(home, slow)
    wait_for_recording(home, long_round)  # session 1, recording now
    procs = [
        subprocess.Popen(
            voicemock(
                "practice", "--count", "2", "--think", "0", "--no-voice", "--fast",
                "--follow-ups", "0", "--answer-file", str(fast), "--answer-file", str(fast),
                "--seed", str(n),
            ),
            env=environ(home), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
        for n in range(rounds - 1)
    ]  # fmt: skip
    readers = [
        ("sessions", "list"),
        ("sessions", "export", "latest"),
        ("review", "latest"),
        ("sessions", "recover"),
        ("progress",),
        ("sessions", "delete", "1", "--yes"),  # the real-time round: must be refused
    ]
    while any(p.poll() is None for p in procs):
        for args in readers:
            if args[1:2] == ("delete",) and (
                long_round.poll() is not None or seconds_on_disk(recording(home)) > 25
            ):
                continue  # only while that round is surely still recording
            done = run(*args, home=home, timeout=120)
            result.reader_runs += 1
            lines = done.stderr.strip().splitlines()
            one_line = len(lines) == 1 and "unexpected" not in lines[0]
            if args[1:2] == ("delete",):
                refused = done.returncode == 2 and "being recorded" in done.stderr
                result.deletes_refused += refused
                if not refused:
                    result.reader_failures.append(f"delete of a running round: {done.stdout}")
            elif done.returncode != 0 and not one_line:
                result.reader_failures.append(f"{' '.join(args)}: {done.stderr.strip()[-160:]}")
        time.sleep(0.2)
    for proc in [*procs, long_round]:
        _out, err = proc.communicate()
        result.round_codes.append(proc.returncode)
        if proc.returncode != 0:
            result.reader_failures.append(f"a round exited {proc.returncode}: {err.strip()[-300:]}")
    rows = answers(home)
    result.answers_expected = 2 * (rounds - 1) + 1
    result.answers_saved = sum(1 for r in rows if r["status"] == "complete")
    result.integrity = integrity(home)
    return result


# -- long recordings ----------------------------------------------------------------------------


@dataclass
class AnalyzeRun:
    label: str
    minutes: float
    code: int
    wall_s: float
    peak_rss_mb: float
    fillers: int | None
    words: int | None
    note: str = ""

    @property
    def per_minute_s(self) -> float:
        return self.wall_s / self.minutes if self.minutes else 0.0


def measured(cmd: list[str], env: dict[str, str]) -> tuple[int, float, float, str, str]:
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "usage"
        start = time.perf_counter()
        proc = subprocess.Popen(own_usage(cmd, report), stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return (
            os.waitstatus_to_exitcode(status),
            wall,
            read_usage(report, usage)[0],
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


def analyze_run(work: Path, label: str, path: Path, minutes: float) -> AnalyzeRun:
    home = Path(tempfile.mkdtemp(dir=work, prefix="analyze-"))
    code, wall, rss, out, err = measured(voicemock("analyze", str(path), "--json"), environ(home))
    fillers = words = None
    note = ""
    if code == 0:
        doc = json.loads(out)
        fillers = int(doc["filler_summary"]["count"])
        words = len(doc["words"])
    else:
        note = err.strip().splitlines()[-1] if err.strip() else f"exit {code}"
    return AnalyzeRun(label, minutes, code, round(wall, 1), round(rss), fillers, words, note)


def noise_file(path: Path, minutes: float, seed: int = 7) -> Path:
    import numpy as np
    import soundfile

    rng = np.random.default_rng(seed)
    with soundfile.SoundFile(str(path), "w", 16000, 1, subtype="PCM_16") as sink:
        for _ in range(int(minutes)):  # a minute at a time: the bench itself stays small
            sink.write(np.clip(rng.standard_normal(16000 * 60) * 0.25, -1, 1).astype(np.float32))
    return path


# -- main -------------------------------------------------------------------------------------


def main() -> None:
    # A shell without job control starts background commands with SIGINT ignored, and an
    # ignored signal stays ignored in every child: the rounds would never see the Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILL trials [20]")
    parser.add_argument("--signals", type=int, default=5, help="SIGINT and SIGTERM trials each [5]")
    parser.add_argument("--disk", type=int, default=2, help="disk-full trials (root) [2]")
    parser.add_argument("--rounds", type=int, default=4, help="concurrent rounds [4]")
    parser.add_argument("--skip-analyze", action="store_true", help="no 60-minute analyze runs")
    parser.add_argument("--minutes", type=float, default=60.0, help="long analyze length [60]")
    parser.add_argument(
        "--only", choices=["kills", "signals", "disk", "concurrent", "analyze"], default=None
    )
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    report: dict[str, object] = {"machine": machine(), "load_before": os.getloadavg()}
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")

    def wanted(part: str) -> bool:
        return args.only is None or args.only == part

    with tempfile.TemporaryDirectory(prefix="vm-faults-") as tmp:
        work = Path(tmp)
        answer, length = build_answer(1.2, work / "answer.wav", seed=args.seed)
        print(f"answer: {length:.0f} s of real speech (read and meeting clips)\n")

        if wanted("kills") and args.kills:
            trials = [kill_trial(work, answer, pick(rng, 5, 60)) for _ in range(args.kills)]
            losses = [t.loss_s for t in trials if t.loss_s is not None]
            ok = sum(
                t.recovered and t.integrity and (t.loss_s or 0) <= LOSS_LIMIT_S for t in trials
            )
            print(f"SIGKILL 5-60 s into an answer, then `sessions recover`: {len(trials)} trials")
            print(f"  recovered {sum(t.recovered for t in trials)} of {len(trials)}; "
                  f"integrity ok {sum(t.integrity for t in trials)} of {len(trials)}")  # fmt: skip
            print(f"  audio lost: {fmt(losses)} (limit {LOSS_LIMIT_S:.0f} s)")
            for t in trials:
                if t.note:
                    print(f"  ! at {t.at_s} s: {t.note}")
            print(f"  {verdict(ok == len(trials))}: {ok} of {len(trials)} kept all but <= 1 s\n")
            report["kills"] = [asdict(t) for t in trials]

        if wanted("signals") and args.signals:
            for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
                trials_s = [
                    signal_trial(work, answer, sig, pick(rng, 5, 40)) for _ in range(args.signals)
                ]
                exits = [t.exit_s for t in trials_s if t.exit_s is not None]
                losses = [t.loss_s for t in trials_s if t.loss_s is not None]
                good = sum(
                    t.exit_code == code and t.saved and t.integrity
                    and (t.exit_s or 99) <= EXIT_LIMIT_S and (t.loss_s or 0) <= LOSS_LIMIT_S
                    for t in trials_s
                )  # fmt: skip
                print(f"{sig.name} 5-40 s into an answer: {len(trials_s)} trials")
                print(f"  exit status {code}: {sum(t.exit_code == code for t in trials_s)};"
                      f" saved at once: {sum(t.saved for t in trials_s)};"
                      f" integrity ok: {sum(t.integrity for t in trials_s)}")  # fmt: skip
                print(f"  time to exit: {fmt(exits)} (limit {EXIT_LIMIT_S:.0f} s)")
                print(f"  audio lost: {fmt(losses)}")
                for t in trials_s:
                    if t.note:
                        print(f"  ! at {t.at_s} s: {t.note}")
                print(f"  {verdict(good == len(trials_s))}: {good} of {len(trials_s)}\n")
                report[sig.name.lower()] = [asdict(t) for t in trials_s]

        if wanted("disk") and args.disk:
            if os.geteuid() != 0:
                print("disk full: skipped (mounting a small tmpfs needs root)\n")
            else:
                trials_d = [disk_trial(work, answer, pick(rng, 3, 10)) for _ in range(args.disk)]
                print(f"Disk filled 3-10 s into an answer (tmpfs): {len(trials_d)} trials")
                for t in trials_d:
                    print(
                        f"  filled at {t.fed_s:.1f} s: said after {t.said_after_s} s:"
                        f" {t.message!r}; kept {t.kept_s:.2f} s; exit {t.exit_code}:"
                        f" {t.error_line!r}; recovered {t.recovered_s} s; integrity"
                        f" {'ok' if t.integrity else 'BAD'}"
                    )
                good = sum(
                    t.said_after_s is not None and t.said_after_s <= 1.0 and t.exit_code == 2
                    and t.recovered_s is not None and t.fed_s - t.kept_s <= LOSS_LIMIT_S
                    and t.integrity
                    for t in trials_d
                )  # fmt: skip
                print(f"  {verdict(good == len(trials_d))}: {good} of {len(trials_d)} said it"
                      " within 1 s, kept what was said and recovered\n")  # fmt: skip
                report["disk"] = [asdict(t) for t in trials_d]

        if wanted("concurrent") and args.rounds:
            fast, _ = build_answer(0.4, work / "short.wav", seed=args.seed + 1)
            slow, _ = build_answer(0.6, work / "slow.wav", seed=args.seed + 2)
            c = concurrent_rounds(work, slow, fast, args.rounds)
            good = (
                all(code == 0 for code in c.round_codes)
                and c.answers_saved == c.answers_expected
                and not c.reader_failures
                and c.integrity
            )
            print(
                f"Concurrent rounds on one data directory: {c.rounds} at once (one in real"
                " time, the others 2 answers each as fast as they go)"
            )
            print(
                f"  rounds exited 0: {sum(code == 0 for code in c.round_codes)} of {c.rounds};"
                f" answers saved {c.answers_saved} of {c.answers_expected};"
                f" integrity {'ok' if c.integrity else 'BAD'}"
            )
            print(f"  meanwhile list/export/review/recover/progress/delete: {c.reader_runs} runs,"
                  f" {len(c.reader_failures)} not a result or one line; delete of the round"
                  f" being recorded refused {c.deletes_refused} times")  # fmt: skip
            for failure in c.reader_failures[:5]:
                print(f"  ! {failure}")
            print(f"  {verdict(good)}\n")
            report["concurrent"] = asdict(c)

        if wanted("analyze") and not args.skip_analyze:
            base, base_len = build_answer(3, work / "speech-3min.wav", seed=args.seed)
            long_, long_len = build_answer(args.minutes, work / "speech-long.wav", seed=args.seed)
            noise = noise_file(work / "noise-long.wav", args.minutes)
            runs = [
                analyze_run(work, "speech, 3 min (baseline)", base, base_len / 60),
                analyze_run(work, f"speech, {args.minutes:.0f} min", long_, long_len / 60),
                analyze_run(work, f"white noise, {args.minutes:.0f} min", noise, args.minutes),
            ]
            print("analyze on long recordings (one process each, peak RSS from wait4)")
            for r in runs:
                what = (
                    f"{r.fillers} fillers, {r.words} words"
                    if r.code == 0
                    else f"exit {r.code}: {r.note}"
                )
                print(
                    f"  {r.label:<28} {r.wall_s:7.1f} s  {r.per_minute_s:5.2f} s/min"
                    f"  peak {r.peak_rss_mb:5.0f} MB  {what}"
                )
            baseline = runs[0].per_minute_s
            speech_run, noise_run = runs[1], runs[2]
            ratio = speech_run.per_minute_s / baseline if baseline else 0.0
            rss_ok = all(r.peak_rss_mb <= RSS_LIMIT_MB for r in runs)
            time_ok = speech_run.code == 0 and abs(ratio - 1) <= PER_MINUTE_TOLERANCE
            noise_ok = (noise_run.code == 0 and noise_run.fillers == 0) or (
                noise_run.code != 0 and "no speech" in noise_run.note
            )
            print(f"  {verdict(rss_ok)}: peak RSS <= {RSS_LIMIT_MB:.0f} MB")
            print(f"  {verdict(time_ok)}: time per audio minute {ratio:.2f}x the 3-minute file's"
                  f" (within {PER_MINUTE_TOLERANCE:.0%})")  # fmt: skip
            print(f"  {verdict(noise_ok)}: noise gives no fillers ('no speech detected')\n")
            report["analyze"] = [{**asdict(r), "per_minute_s": r.per_minute_s} for r in runs]

    report["load_after"] = os.getloadavg()
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    dump(args.json, report)


if __name__ == "__main__":
    if shutil.which("mount") is None:
        print("note: no `mount`; the disk-full trials will be skipped", file=sys.stderr)
    main()
