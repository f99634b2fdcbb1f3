"""Property: whatever a user (or a damaged disk) hands voicemock, every command that reads
it ends with a result or one clear line, within 10 s and 500 MB (issue 15, acceptance).

Hypothesis generates 600 hostile inputs in five families and feeds each to every command
that reads that kind of input:

- audio files: WAV headers with any rate, channel count, sample width, block alignment
  and data size (true or not), after RIFF junk or other containers' magic numbers, to
  ``analyze`` and ``practice --answer-file``;
- question-set files: TOML nested or dotted far too deep, random keys and values, broken
  UTF-8 and byte-order marks, the bundled set cut or corrupted, text and CSV, to
  ``sets validate/list/show/import`` and ``practice --set``;
- config files: the same TOML in ``config.toml``, read by ``analyze --text`` and
  ``sessions list``;
- command-line arguments: numbers beyond 64 bits, Unicode digits, markup, 5,000
  characters, paths to nowhere, to every command that parses one;
- special files: devices, named pipes, sockets, directories, dangling and looping links,
  wherever a file is read.

The commands run in one long-lived child process (``tests/hostile_worker.py``) that
measures each command's own peak memory and is killed if one overruns its time. The
examples are derandomised, so every run checks the same 600 inputs; set
``VOICEMOCK_FUZZ=explore`` for fresh random ones.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

TIME_LIMIT_S = 10.0
MEMORY_LIMIT_MB = 500.0
EXAMPLES = int(os.environ.get("VOICEMOCK_FUZZ_EXAMPLES", "120"))
"""Per family: 5 families, 600 inputs."""

settings.register_profile(
    "hostile",
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("VOICEMOCK_FUZZ") != "explore",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HOSTILE = settings.get_profile("hostile")


# -- the worker ----------------------------------------------------------------------------


@dataclass
class Reply:
    args: list[str]
    code: int | None
    stdout: str
    stderr: str
    exception: str | None
    seconds: float
    peak_mb: float

    def problem(self) -> str | None:
        """Why this outcome breaks the property, or None."""
        if self.code is None:
            return f"did not finish within {TIME_LIMIT_S:.0f} s"
        if self.seconds > TIME_LIMIT_S:
            return f"took {self.seconds:.1f} s"
        if self.peak_mb > MEMORY_LIMIT_MB:
            return f"peaked at {self.peak_mb:.0f} MB"
        if "Traceback" in self.stderr or self.exception:
            return f"raised {self.exception}"
        if self.code == 0:
            return None
        lines = self.stderr.strip("\n").splitlines()
        if len(lines) != 1:
            return f"{len(lines)} lines on stderr"
        if "unexpected" in lines[0]:
            return "an unexpected error"
        return None


class Worker:
    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.proc: subprocess.Popen[str] | None = None
        self.ran = 0
        self.results: list[Reply] = []
        self.slowest = 0.0
        self.peak = 0.0

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile_worker"],
            cwd=self.cwd,  # relative paths given as arguments land in the scratch place
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert json.loads(self._line(120.0)) == {"ready": True}

    def _line(self, timeout: float) -> str:
        import selectors

        assert self.proc is not None and self.proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                raise TimeoutError
        line = self.proc.stdout.readline()
        if not line:
            raise TimeoutError  # the worker died (a crash counts as a failure too)
        return line

    def run(self, args: list[str], home: Path) -> Reply:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"args": args, "home": str(home)}) + "\n")
        self.proc.stdin.flush()
        self.ran += 1
        try:
            data = json.loads(self._line(TIME_LIMIT_S + 5))
        except TimeoutError:
            self.stop()
            return Reply(args, None, "", "", None, TIME_LIMIT_S, 0.0)
        reply = Reply(args, **data)
        self.slowest = max(self.slowest, reply.seconds)
        self.peak = max(self.peak, reply.peak_mb)
        return reply

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


@pytest.fixture(scope="module")
def worker(place: Path) -> Iterator[Worker]:
    w = Worker(place)
    w.start()
    yield w
    w.stop()
    print(
        f"\nhostile inputs: {w.ran} commands, slowest {w.slowest:.2f} s,"
        f" highest peak {w.peak:.0f} MB (limits {TIME_LIMIT_S:.0f} s, {MEMORY_LIMIT_MB:.0f} MB)"
    )


@pytest.fixture(scope="module")
def place() -> Iterator[Path]:
    where = Path(tempfile.mkdtemp(prefix="vm-hostile-"))
    PRACTICE[:] = [
        "practice", "--no-voice", "--fast", "--answer-file", str(silent_wav(where)), "--think", "0",
    ]  # fmt: skip
    yield where
    shutil.rmtree(where, ignore_errors=True)


def silent_wav(place: Path) -> Path:
    """Two seconds of silence: a valid answer file for commands that need one."""
    path = place / "silence.wav"
    if not path.exists():
        import numpy as np
        import soundfile

        soundfile.write(str(path), np.zeros(32000, dtype=np.float32), 16000, subtype="PCM_16")
    return path


def fresh(place: Path) -> tuple[Path, Path]:
    """A new data dir and a new directory for input files."""
    case = Path(tempfile.mkdtemp(dir=place))
    (case / "in").mkdir()
    return case / "home", case / "in"


def check(worker: Worker, args: list[str], home: Path) -> None:
    reply = worker.run(args, home)
    problem = reply.problem()
    assert problem is None, (
        f"{problem}: voicemock {' '.join(a[:80] for a in args)}\n"
        f"exit {reply.code}; stderr: {reply.stderr[-600:]!r}; stdout: {reply.stdout[-300:]!r}"
    )


# -- audio headers ---------------------------------------------------------------------------

RATES = st.one_of(
    st.sampled_from([0, 1, 7, 100, 3999, 4000, 8000, 16000, 22050, 44100, 48000, 768000]),
    st.sampled_from([768001, 2**31 - 1, 2**32 - 1]),
    st.integers(min_value=0, max_value=2**32 - 1),
)


@st.composite
def audio_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["wav", "wav", "wav", "wav", "magic", "riff-junk"]))
    payload = draw(st.binary(min_size=0, max_size=48_000))
    if kind == "magic":
        magic = draw(
            st.sampled_from(
                [b"fLaC", b"OggS", b"ID3\x04", b"\xff\xfb", b"\x00\x00\x00\x20ftypM4A "]
            )
        )
        return magic + payload
    if kind == "riff-junk":
        return b"RIFF" + struct.pack("<I", draw(st.integers(0, 2**32 - 1))) + b"WAVE" + payload
    tag = draw(st.sampled_from([1, 1, 1, 3, 6, 7, 0x55, 0xFFFE, 0, 2]))
    channels = draw(st.one_of(st.sampled_from([0, 1, 2, 8, 65535]), st.integers(0, 65535)))
    bits = draw(st.sampled_from([0, 1, 8, 12, 16, 24, 32, 64, 65535]))
    align = draw(st.one_of(st.just((channels * bits // 8) & 0xFFFF), st.integers(0, 65535)))
    rate = draw(RATES)
    byte_rate = draw(st.one_of(st.just((rate * align) & 0xFFFFFFFF), st.integers(0, 2**32 - 1)))
    fmt_size = draw(st.sampled_from([16, 18, 40, 14, 0, 2**32 - 1]))
    fmt = struct.pack("<HHIIHH", tag, channels, rate, byte_rate, align, bits)
    fmt = fmt + bytes(max(0, min(fmt_size, 40) - 16))
    claimed = draw(st.one_of(st.just(len(payload)), st.integers(0, 2**32 - 1)))
    body = b"fmt " + struct.pack("<I", fmt_size) + fmt + b"data" + struct.pack("<I", claimed)
    body += payload
    riff = draw(st.one_of(st.just(4 + len(body)), st.integers(0, 2**32 - 1)))
    return b"RIFF" + struct.pack("<I", riff) + b"WAVE" + body


@HOSTILE
@given(data=audio_files(), suffix=st.sampled_from([".wav", ".flac", ".mp3", ".m4a", ""]))
def test_hostile_audio(worker: Worker, place: Path, data: bytes, suffix: str) -> None:
    home, inputs = fresh(place)
    path = inputs / f"answer{suffix}"
    path.write_bytes(data)
    check(worker, ["analyze", str(path), "--json"], home)
    check(
        worker,
        [
            "practice", "--answer-file", str(path), "--fast", "--no-voice",
            "--question", "ow-outside-scope", "--think", "0",
        ],
        home,
    )  # fmt: skip


# -- question sets and config files --------------------------------------------------------

KEY = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=8)
SCALAR = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True).map(lambda f: repr(f).replace("inf", "inf").replace("nan", "nan")),
    st.text(max_size=30).map(json.dumps),
    st.sampled_from(["true", "false", "1979-05-27T07:32:00Z", "'lit'", '"""ml"""', "[]", "{}"]),
)


@st.composite
def toml_texts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["deep", "dotted", "header", "random", "mutated", "valid"]))
    if kind == "deep":
        n = draw(st.one_of(st.sampled_from([17, 400, 1000, 3000]), st.integers(10, 3000)))
        opener, closer = draw(st.sampled_from([("[", "]"), ("{a = ", "}"), ("[{b = ", "}]")]))
        return f'name = "x"\nk = {opener * n}1{closer * n}\n'
    if kind == "dotted":
        n = draw(st.one_of(st.sampled_from([9, 3000, 30_000, 60_000]), st.integers(2, 60_000)))
        key = ".".join(draw(st.lists(KEY, min_size=1, max_size=3)) * (n // 2 + 1))[: n * 3]
        return f'name = "x"\n{key} = 1\n'
    if kind == "header":
        n = draw(st.one_of(st.sampled_from([9, 30_000, 60_000]), st.integers(2, 60_000)))
        return "[" + ".".join(["t"] * n) + "]\nx = 1\n" * draw(st.integers(1, 3))
    if kind == "random":
        lines = draw(
            st.lists(
                st.tuples(st.lists(KEY, min_size=1, max_size=12), SCALAR).map(
                    lambda kv: ".".join(kv[0]) + " = " + kv[1]
                ),
                max_size=30,
            )
        )
        return "\n".join(lines) + "\n"
    bundled = (ROOT / "question_sets" / "amazon-pm.toml").read_text(encoding="utf-8")
    if kind == "valid":
        return bundled.replace('name = "amazon-pm"', 'name = "mine"')
    cut = draw(st.integers(0, len(bundled)))
    junk = draw(st.text(max_size=40))
    return bundled[:cut] + junk + bundled[cut + draw(st.integers(0, 200)) :]


@st.composite
def set_files(draw: st.DrawFn) -> bytes:
    text = draw(toml_texts())
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1-junk"]))
    if encoding == "latin-1-junk":
        return text.encode("utf-8", "surrogatepass") + b"\xff\xfe\xe9 caf\xe9\n"
    return text.encode(encoding, "surrogatepass")


@HOSTILE
@given(data=set_files(), csv=st.booleans())
def test_hostile_question_sets(worker: Worker, place: Path, data: bytes, csv: bool) -> None:
    home, inputs = fresh(place)
    path = inputs / "mine.toml"
    path.write_bytes(data)
    for args in (
        ["sets", "validate", str(path)],
        ["sets", "list", str(path)],
        ["sets", "show", str(path)],
        [*PRACTICE, "--set", str(path), "--count", "1"],
    ):
        check(worker, args, home)
    source = inputs / ("bank.csv" if csv else "bank.txt")
    source.write_bytes(data)
    check(worker, ["sets", "import", str(source), "--name", "bank"], home)
    (home / "sets").mkdir(parents=True, exist_ok=True)  # a broken set beside the bundled ones
    (home / "sets" / "mine.toml").write_bytes(data)
    check(worker, ["sets", "list"], home)
    check(worker, ["sets", "show", "amazon-pm"], home)


@HOSTILE
@given(data=set_files())
def test_hostile_config_files(worker: Worker, place: Path, data: bytes) -> None:
    home, inputs = fresh(place)
    home.mkdir()
    (home / "config.toml").write_bytes(data)
    answer = inputs / "answer.txt"
    answer.write_text("I decided to rebuild the pipeline, and latency fell 40 percent.")
    check(worker, ["analyze", "--text", str(answer)], home)
    check(worker, ["sessions", "list"], home)
    check(worker, ["models", "list"], home)


# -- command-line arguments -----------------------------------------------------------------

WORDS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1",
            "latest",
            "²",
            "٣",
            "１",
            "9" * 25,
            "9" * 5000,
            "1e9",
            "nan",
            "inf",
            "[/]",
            "[bold]x",
            "..",
            "../../etc/passwd",
            "/dev/zero",
            "~",
            "1:1",
            "latest:1",
            ":",
            "1:",
            ":1",
            "1:²",
            "x" * 5000,
            "\u202e",
            "1:" + "9" * 30,
            "2:30-3:30",
            "150-210",
            "0-0",
            "4:00",
            "-5",
            "99999999999",
            "7d",
            "9" * 20 + "w",
            "2024-13-45",
            "\udcff",
        ]
    ),
    st.text(max_size=40).filter(lambda t: "\x00" not in t),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
)


THINK = ["-5", "9" * 30, "nan", "inf", "-inf", "abc", "1e9", "²", "", "3:6O", "601"]
"""Thinking times that must be refused (a valid one is waited for, as asked)."""
PRACTICE: list[str] = []
"""``practice`` with a silent answer file (never a live microphone); set by the fixture."""


def command_lines(a: str, b: str) -> list[list[str]]:
    return [
        ["review", a],
        ["review", "latest", "--answer", a],
        ["sessions", "list", "--limit", a],
        ["sessions", "export", a, "-o", b],
        ["sessions", "export", a, "--format", "markdown"],
        ["sessions", "delete", a, "--yes"],
        ["report", a, "-o", b],
        ["play", a, b],
        ["stories", "show", a],
        ["stories", "link", a, b],
        ["stories", "suggest", a],
        ["stories", "edit", a, "--title", b],
        ["stories", "add", a, "--principles", b],
        ["progress", "--since", a],
        ["progress", "--story", a],
        ["coverage", "--set", a],
        ["sets", "show", a, "--tag", b],
        ["sets", "new", a],
        ["analyze", "--text", a, "--target", b],
        ["analyze", "--text", b, "--cap", a, "--question", a],
        ["analyze", a, "--model", b],
        [*PRACTICE, "--set", a, "--count", b],
        [*PRACTICE, "--think", THINK[len(a) % len(THINK)], "--target", b],
        [*PRACTICE, "--question", a, "--cap", b],
        [*PRACTICE, "--tag", a, "--seed", b],
    ]


@HOSTILE
@given(a=WORDS, b=WORDS, which=st.integers(min_value=0))
def test_hostile_arguments(worker: Worker, place: Path, a: str, b: str, which: int) -> None:
    """One command line per example (rotating through every command that parses a value),
    on a data dir holding a session, an answer and a story."""
    home, _inputs = fresh(place)
    seed_home(home)
    lines = command_lines(a, b)
    check(worker, lines[which % len(lines)], home)


def seed_home(home: Path) -> None:
    from tests.storage_helpers import analysis_dict
    from voicemock.storage import Store

    with Store.open(home) as store:
        session = store.create_session(set_name="amazon-pm")
        record = store.start_answer(session.id, question_id="ow-outside-scope", question_text="?")
        store.complete_answer(
            record.id,
            duration_s=200.0,
            transcript="So I decided to rebuild it.",
            analysis=analysis_dict(200.0, "on_target"),  # type: ignore[arg-type]
        )
        store.stories.add("Checkout", summary="one page", principles=("ownership",))
        store.finish_session(session.id)


# -- special files ------------------------------------------------------------------------


def special_file(kind: str, where: Path) -> Path:
    if kind in ("/dev/zero", "/dev/urandom", "/dev/null", "/dev/full"):
        return Path(kind)
    path = where / f"special-{kind}.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()  # the socket file stays
    elif kind == "directory":
        path.mkdir()
    elif kind == "dangling":
        path.symlink_to(where / "nowhere")
    elif kind == "loop":
        path.symlink_to(path)
    elif kind == "zero-link":
        path.symlink_to("/dev/zero")
    elif kind == "unreadable":
        path.write_text('name = "x"')
        path.chmod(0)
    return path


SPECIAL_KINDS = [
    "/dev/zero", "/dev/urandom", "/dev/null", "/dev/full", "fifo", "socket", "directory",
    "dangling", "loop", "zero-link", "unreadable",
]  # fmt: skip


def readers(path: str, answer: str) -> list[list[str]]:
    return [
        ["analyze", path],
        ["analyze", "--text", path],
        ["practice", "--answer-file", path, "--no-voice", "--fast"],
        ["practice", "--set", path, "--no-voice", "--answer-file", answer, "--fast", "--think=0"],
        ["sets", "validate", path],
        ["sets", "list", path],
        ["sets", "show", path],
        ["sets", "import", path, "--name", "x"],
        ["sessions", "export", "1", "-o", path],
        ["report", "1", "-o", path],
        ["coverage", "--set", path],
    ]


@HOSTILE
@given(kind=st.sampled_from(SPECIAL_KINDS), which=st.integers(min_value=0), config=st.booleans())
def test_special_files_everywhere(
    worker: Worker, place: Path, kind: str, which: int, config: bool
) -> None:
    home, inputs = fresh(place)
    seed_home(home)
    path = special_file(kind, inputs)
    answer = inputs / "answer.txt"
    answer.write_text("I decided to ship it.")
    if config:  # the settings file itself is the special file
        (home / "config.toml").symlink_to(path)
        check(worker, ["analyze", "--text", str(answer)], home)
        return
    commands = readers(str(path), str(silent_wav(place)))
    check(worker, commands[which % len(commands)], home)
