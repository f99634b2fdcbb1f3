"""`voicemock report` without a browser: what the page holds, escaping, charts, audio, CLI.

The real-browser checks (clicks, playback, network, dialogs, screenshots) are in
test_report_browser.py.
"""

from __future__ import annotations

import html
import io
import re
import stat
import webbrowser
from pathlib import Path

import numpy as np
import pytest
import soundfile
from click.testing import CliRunner
from markupsafe import escape

from tests.report_helpers import XSS, store_answer, timed_analysis
from tests.speech_helpers import espeak_wav
from tests.storage_helpers import seed
from voicemock.cli import cli
from voicemock.render.html import CSP, build_report, charts
from voicemock.render.html.audio import encode
from voicemock.render.html.report import axis_ticks, pct
from voicemock.render.html.view import read_answer, read_clip, word_kinds
from voicemock.storage import Store

STORY = (
    "So, um, our checkout lost 22% of customers at the payment step. I decided to cut the "
    "form to one page because people gave up. We shipped it in six weeks. I think it "
    "worked: conversion went from 60 to 81 percent. What I learned is to measure first."
)
SPOKEN = [
    ("So, um, our checkout page lost customers at the payment step.", 500),
    ("I decided to cut the form to one page because people gave up.", 500),
    ("Conversion went from sixty to eighty one percent in six weeks.", 400),
]


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> Path:
    return espeak_wav(espeak, SPOKEN, tmp_path_factory.mktemp("wav") / "answer.wav")


def one_session(home: Path, *, audio: Path | None = None, **names: str) -> tuple[dict, list]:
    with Store.open(home) as store:
        s = store.create_session(set_name=names.get("set_name", "amazon-pm"), model="tiny.en")
        answer = store_answer(
            store,
            s.id,
            question=names.get("question", "Tell me about a time you owned a problem."),
            text=names.get("text", STORY),
            audio=audio,
        )
        store.finish_session(s.id)
        return store.get_session(s.id).to_dict(), [answer]


def text_of(page: str) -> str:
    """Visible text, roughly: tags dropped, entities decoded."""
    body = page.split("<body>", 1)[1].split("<script>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


# -- reading the document ------------------------------------------------------------------


def test_highlights_follow_the_findings_with_priority() -> None:
    doc, _ = timed_analysis(STORY, question="q")
    kinds = word_kinds(doc, len(doc["words"]))
    words = [w["word"] for w in doc["words"]]
    assert kinds[words.index("um,")] == "filler"
    assert kinds[words.index("decided")] == "strong"
    assert kinds[words.index("shipped")] == "weak"
    assert kinds[words.index("think")] == "hedge"
    assert kinds[words.index("22%")] == "metric"
    assert kinds[words.index("because")] == "reason"
    assert kinds[words.index("checkout")] is None
    # Overlap: a filler inside a metric's span shows as the filler.
    overlap = {"metrics": [{"word_index": 0, "word_count": 3}], "fillers": [{"word_index": 1}]}
    assert word_kinds(overlap, 4) == ["metric", "filler", "metric", None]


def test_runs_group_words_and_place_long_pauses() -> None:
    doc, words = timed_analysis(STORY, question="q")
    doc["delivery"]["long_pauses"] = [{"start": words[9]["start"] - 0.1, "duration": 2.5}]
    clip = read_clip({"analysis": doc, "words": words}, "1")
    flat = [w for run in clip.runs for w in run.words]
    assert [w.text for w in flat] == STORY.split()
    assert [w.index for w in flat] == list(range(len(flat)))
    paused = [run for run in clip.runs if run.pause_before]
    assert len(paused) == 1 and paused[0].words[0].index == 9
    assert paused[0].pause_before == 2.5
    owned = next(r for r in clip.runs if r.kind == "strong")
    assert " ".join(w.text for w in owned.words) == "I decided"


def test_missing_keys_are_left_out_not_invented() -> None:
    clip = read_clip({"analysis": {}, "transcript": "just some words"}, "1")
    assert [w.text for r in clip.runs for w in r.words] == ["just", "some", "words"]
    assert clip.typed and clip.timing is None and not clip.phases and not clip.pace
    assert clip.findings == ()
    broken = read_clip({"analysis": {"words": "nope", "fillers": [3, None], "target": 7}}, "1")
    assert broken.runs == () and broken.marks == ()


def test_phase_totals_add_up_returning_phases() -> None:
    doc, words = timed_analysis(STORY, question="q")
    doc["structure"]["phases"] = [
        {"name": "action", "start": 0, "end": 10, "duration_s": 10, "budget_s": [60, 120]},
        {"name": "context", "start": 10, "end": 40, "duration_s": 30, "budget_s": [20, 30]},
        {"name": "action", "start": 40, "end": 100, "duration_s": 60, "budget_s": [60, 120]},
    ]
    clip = read_clip({"analysis": doc, "words": words}, "1")
    totals = {p.name: p for p in clip.phase_totals}
    assert [p.name for p in clip.phase_totals] == ["context", "action"]
    assert totals["action"].duration_s == 70 and totals["action"].status == "within"
    assert clip.phases[0].status == "under"
    assert "0:50 under" in clip.phases[0].status_text


def test_follow_ups_are_read_with_their_gap() -> None:
    doc, words = timed_analysis(STORY, question="main")
    reply_doc, reply_words = timed_analysis("I decided to delay it by two weeks.", question="f")
    answer = read_answer(
        {
            "position": 2,
            "question_text": "main",
            "analysis": doc,
            "words": words,
            "follow_ups": [
                {
                    "prompt": "What did you decide yourself?",
                    "gap": {"kind": "ownership", "status": "Closed", "quote": "I decided"},
                    "analysis": reply_doc,
                    "words": reply_words,
                },
                {"question_text": "How did you measure it?", "gap": {"status": "weird"}},
                "not a follow-up",
            ],
        }
    )
    first, second = answer.follow_ups
    assert first.prompt == "What did you decide yourself?" and first.gap_status == "closed"
    assert first.clip.key == "2-1" and first.clip.duration_s is not None
    assert second.prompt == "How did you measure it?" and second.gap_status == ""
    assert second.clip.key == "2-2" and second.clip.runs == ()


# -- the page --------------------------------------------------------------------------


def test_page_is_self_contained(voicemock_home: Path, spoken_wav: Path) -> None:
    session, answers = one_session(voicemock_home, audio=spoken_wav)
    built = build_report(session, answers)
    page = built.html
    assert f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">' in page
    assert "default-src 'none'" in CSP and "connect-src" not in CSP
    # No reference to anything outside the file: only data: URLs and in-page anchors.
    refs = re.findall(r'(?:src|href|xlink:href|action)\s*=\s*"([^"]*)"', page)
    assert refs and all(r.startswith(("data:", "#")) for r in refs), refs
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "@import" not in page and "url(" not in page
    assert page.count("<script>") == 1 and page.count("<style>") == 1
    assert built.audio_clips == 1 and 5_000 < built.audio_bytes < 100_000
    assert 'src="data:audio/ogg;codecs=opus;base64,' in page
    # Every word is there to click, with its time; the legend names every kind.
    for w in answers[0]["words"]:
        assert f'data-t="{w["start"]:.2f}">{html.escape(w["word"], quote=False)}</span>' in page
    for label in ("filler", "shared or weak ownership", "owned", "hedge", "number", "reason"):
        assert f">{label}</span>" in page


def test_no_audio_leaves_the_recordings_out(voicemock_home: Path, spoken_wav: Path) -> None:
    session, answers = one_session(voicemock_home, audio=spoken_wav)
    built = build_report(session, answers, audio=False)
    assert "<audio" not in built.html and "base64" not in built.html
    assert built.audio_clips == 0 and "--no-audio" in built.html
    gone = dict(answers[0], audio_path=str(voicemock_home / "missing.wav"))
    assert "no longer on this machine" in build_report(session, [gone]).html


def test_an_unreadable_recording_is_a_problem_line_not_a_failure(voicemock_home: Path) -> None:
    seeded = seed(voicemock_home)  # its recordings are a few bytes of nothing
    with Store.open(voicemock_home) as store:
        session = store.get_session(seeded.first).to_dict()
        answers = [a.to_dict() for a in store.answers(seeded.first)]
    built = build_report(session, answers)
    assert len(built.problems) == 1 and "recording of answer 1" in built.problems[0]
    assert "could not be read" in built.html
    assert "Not analysed: no speech heard in the recording" in built.html


@pytest.mark.parametrize("payload", XSS)
def test_user_text_is_escaped_everywhere(voicemock_home: Path, payload: str) -> None:
    text = f"I decided {payload} because we shipped 40% {payload} um"
    session, answers = one_session(
        voicemock_home, set_name=f"set {payload}", question=f"Q {payload}", text=text
    )
    answers[0]["follow_ups"] = [
        {
            "prompt": f"F {payload}",
            "gap": {"kind": f"k {payload}", "status": "open", "quote": f"quote {payload}"},
            "analysis": timed_analysis(f"reply {payload}", question="f")[0],
        }
    ]
    answers[0]["analysis"]["advice"].append({"topic": "x", "text": f"advice {payload}"})
    page = build_report(session, answers).html
    if set(payload) & set("<>&\"'"):  # markup characters never reach the page raw
        assert payload not in page.split("<script>", 1)[0].split("<style>", 1)[1]
    visible = text_of(page)
    for where in (f"set {payload}", f"Q {payload}", f"F {payload}", f"quote {payload}"):
        assert where in visible
    assert f"advice {payload}" in visible
    for word in payload.split():
        assert word in visible
    # Our own elements only: one script (ours), no image, no event handler attribute.
    assert page.count("<script") == 1 and "<img" not in page and "<svg onload" not in page
    assert not re.search(r"<[^>]+\son\w+\s*=", page)


def test_static_files_cannot_break_out() -> None:
    from voicemock.render.html.report import inline_static

    assert "</script" not in inline_static("report.js")
    assert "</style" not in inline_static("report.css")


def test_helpers() -> None:
    assert pct(30, 120) == "25.000" and pct(-5, 10) == "0.000" and pct(50, 10) == "100.000"
    assert pct(3, 0) == "0"
    assert [label for _, label in axis_ticks(90)] == ["0:00", "0:30", "1:00"]
    assert [label for _, label in axis_ticks(40)] == ["0:00", "0:15", "0:30"]
    assert axis_ticks(None) == [] and len(axis_ticks(600)) == 10


# -- charts ------------------------------------------------------------------------------


def svg_numbers(svg: str, tag: str, attr: str) -> list[float]:
    return [float(v) for v in re.findall(rf"<{tag}[^>]*\s{attr}=\"([-\d.]+)\"", svg)]


def test_line_chart_places_points_and_band() -> None:
    svg = charts.line_chart(
        [("1 May", 4.0), ("2 May", None), ("3 May", 2.0), ("4 May", 1.0)],
        title="Fillers per minute",
        unit="/min",
        target=(0.0, 2.0),
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    xs, ys = svg_numbers(svg, "circle", "cx"), svg_numbers(svg, "circle", "cy")
    assert len(xs) == 3 and xs == sorted(xs)  # the missing value has no point
    assert ys[0] < ys[1] < ys[2]  # higher values are higher up
    assert svg.count("<polyline") == 1  # the line breaks at the gap: one 2-point segment
    assert "3 May: 2.0 /min" in svg and "target 0.0–2.0 /min" in svg
    assert 'aria-label="Fillers per minute. 1 May: 4.0 /min' in svg


def test_charts_escape_labels_and_handle_no_data() -> None:
    evil = '<script>alert(1)</script>"'
    svg = charts.line_chart([(evil, 3.0)], title=evil, target_label=evil, target=(1, 2))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and '"</' not in svg
    assert "no data" in charts.line_chart([("a", None)], title="t")
    spark = charts.sparkline([1.0, None, 3.0], title=evil, target=(1, 2))
    assert "<script>" not in spark and spark.count("<circle") == 1
    bar = charts.range_bar(172, low=150, high=210, cap=240, title=evil, value_label=evil)
    assert "<script>" not in bar and "cap 240" in bar


def test_range_bar_scale() -> None:
    bar = charts.range_bar(
        300, low=150, high=210, cap=240, title="t", value_label="5:00", tone="bad"
    )
    widths = svg_numbers(bar, "rect", "width")
    track, window, fill = widths[0], widths[1], widths[2]
    assert fill < track and window < track
    assert abs(fill / track - 300 / max(240 * 1.1, 300 * 1.05)) < 0.01
    assert charts.BAD in bar


def test_nice_ticks() -> None:
    assert charts.nice_ticks(0, 10) == [0, 2.5, 5, 7.5, 10]
    assert charts.nice_ticks(112, 187)[0] <= 112 and charts.nice_ticks(112, 187)[-1] >= 187


# -- the embedded audio ------------------------------------------------------------------


@pytest.mark.parametrize("rate", [16000, 22050], ids=["recorder-16k", "espeak-22k"])
def test_embedded_audio_is_aligned_with_the_recording(
    tmp_path: Path, spoken_wav: Path, rate: int
) -> None:
    """Word times index the player: decoded Opus starts where the WAV starts. 16 kHz mono
    (what the recorder writes) is read directly; anything else goes through PyAV."""
    if rate == 16000:
        from voicemock.audio.io import load_audio

        resampled = tmp_path / "16k.wav"
        soundfile.write(resampled, load_audio(spoken_wav), 16000, subtype="PCM_16")
        spoken_wav = resampled
    assert soundfile.info(str(spoken_wav)).samplerate == rate
    encoded = encode(spoken_wav)
    assert encoded.mime.startswith("audio/ogg") and encoded.data[:4] == b"OggS"
    original, rate = soundfile.read(spoken_wav, dtype="float32")
    decoded, decoded_rate = soundfile.read(io.BytesIO(encoded.data), dtype="float32")
    if decoded_rate != rate:  # compare on the recording's clock
        decoded = np.interp(
            np.arange(len(original)) / rate, np.arange(len(decoded)) / decoded_rate, decoded
        ).astype(np.float32)
    assert abs(len(decoded) / rate - len(original) / rate) < 0.03
    window = original[rate : rate * 3]
    best = max(
        range(-800, 801, 4),
        key=lambda lag: float(np.dot(window, decoded[rate + lag : rate * 3 + lag])),
    )
    assert abs(best) <= 80, f"decoded audio is shifted by {best / rate * 1000:.0f} ms"
    # Speech bit rate: a small fraction of the 16-bit WAV.
    assert len(encoded.data) < spoken_wav.stat().st_size / 8


def test_encode_refuses_what_is_not_audio(tmp_path: Path) -> None:
    from voicemock.errors import AudioError

    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF" + b"\x00" * 200)
    with pytest.raises(AudioError, match="cannot read"):
        encode(junk)
    with pytest.raises(AudioError, match="no such file"):
        encode(tmp_path / "absent.wav")


# -- the command -------------------------------------------------------------------------


def help_examples(*path: str) -> list[list[str]]:
    out = CliRunner().invoke(cli, [*path, "--help"]).output
    lines = out.split("Examples:", 1)[1].splitlines()
    return [
        line.split("#", 1)[0].split()[1:] for line in lines if line.strip().startswith("voicemock")
    ]


def test_every_help_example_runs(
    voicemock_home: Path, spoken_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(voicemock_home) as store:
        for n in (1, 2, 3):
            s = store.create_session(set_name="amazon-pm")
            for q in range(n):
                store_answer(store, s.id, question=f"Q{q}", text=STORY, audio=spoken_wav)
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    monkeypatch.chdir(tmp_path)
    examples = help_examples("report")
    assert len(examples) >= 4
    for args in examples:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, (args, result.output, result.stderr)
        written = Path(result.stdout.rsplit(" to ", 1)[1].strip())
        assert written.is_file() and written.read_text().startswith("<!DOCTYPE html>")
    assert opened == [(tmp_path / "voicemock-session-3.html").as_uri()]
    one = (tmp_path / "answer.html").read_text()
    assert one.count('class="answer"') == 1 and "Session 3, answer 2" in one
    assert "<audio" not in (tmp_path / "round3.html").read_text()


def test_report_file_is_private_and_stdout_works(
    voicemock_home: Path, spoken_wav: Path, tmp_path: Path
) -> None:
    one_session(voicemock_home, audio=spoken_wav)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert re.search(r"\(1 answer, 1 recording, \d+ kB\) to ", result.stdout)
    piped = CliRunner().invoke(cli, ["report", "latest", "-o", "-", "--no-audio"])
    assert piped.exit_code == 0 and piped.stdout.startswith("<!DOCTYPE html>")


def test_open_reports_a_browser_that_cannot_start(
    voicemock_home: Path, spoken_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_session(voicemock_home, audio=spoken_wav)
    calls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: calls.append(url) and False)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", "--open", "-o", str(out), "--no-audio"])
    assert result.exit_code == 0
    assert calls == [out.resolve().as_uri()]
    assert f"open {out} yourself" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "7"], "no session 7"),
        (["report", "1", "--answer", "9"], "session 1 has no answer 9"),
        (["report", "abc"], "is not a session"),
        (["report", "-o", "/nonexistent-dir/r.html"], "cannot write /nonexistent-dir/r.html"),
        (["report", "--open", "-o", "-"], "--open needs a file"),
    ],
)
def test_bad_input_is_one_line(
    voicemock_home: Path, spoken_wav: Path, args: list[str], message: str
) -> None:
    one_session(voicemock_home, audio=spoken_wav)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_no_sessions_yet_is_one_line(voicemock_home: Path) -> None:
    result = CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 2 and "no sessions yet" in result.stderr
    assert not (voicemock_home / "voicemock.db").exists()


def test_review_and_practice_point_to_the_report(voicemock_home: Path) -> None:
    session, _ = one_session(voicemock_home)
    result = CliRunner().invoke(cli, ["review", str(session["id"]), "--no-color"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == (
        f"See it and hear it: voicemock report {session['id']} --open"
    )
    from voicemock.env import Environment
    from voicemock.render import make_console
    from voicemock.render.practice import render_round_summary

    out = io.StringIO()
    render_round_summary(make_console(Environment(stdout=out, color=False)), [], 7)
    assert (
        out.getvalue().rstrip().splitlines()[-1] == "See it and hear it: voicemock report 7 --open"
    )


def test_readme_shows_a_small_screenshot() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "](docs/report.png)" in readme and "## Report" in readme
    png = (root / "docs" / "report.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and 10_000 < len(png) < 200_000


def test_review_html_writes_the_report(
    voicemock_home: Path, spoken_wav: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, _ = one_session(voicemock_home, audio=spoken_wav)
    monkeypatch.chdir(tmp_path)
    examples = [e for e in help_examples("review") if "--html" in e]
    assert examples
    for example in examples:
        result = CliRunner().invoke(cli, [*example[:1], str(session["id"]), *example[2:]])
        assert result.exit_code == 0, result.stderr
        page = tmp_path / f"voicemock-session-{session['id']}.html"
        assert f" to {page.name}" in result.stdout and "<audio" in page.read_text()
    result = CliRunner().invoke(cli, ["review", "--html", "--answer", "1"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / f"voicemock-session-{session['id']}-answer-1.html").is_file()


def test_without_libopus_in_pyav_libsndfile_encodes(
    spoken_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from voicemock.render.html import audio

    def unavailable(_path: Path) -> audio.EncodedAudio:
        raise audio._Unavailable

    monkeypatch.setattr(audio, "_encode_pyav", unavailable)
    encoded = audio.encode(spoken_wav)
    assert encoded.codec.endswith("(libsndfile)") and encoded.data[:4] == b"OggS"
    decoded, rate = soundfile.read(io.BytesIO(encoded.data), dtype="float32")
    original = soundfile.info(str(spoken_wav))
    assert abs(len(decoded) / rate - original.duration) < 0.05
