"""The mock loop end to end on generated speech: `voicemock interview --questions 2
--follow-ups 1 --answer-file a1.wav --answer-file r1.wav --answer-file a2.wav
--answer-file r2.wav --fast --no-voice`, as a user runs it, with the bundled model.

Five loops of labelled answers (``tests/interview_labels.py``): ten main answers, strong,
weak and mixed, each with a reply, spoken by espeak-ng. The scorecard printed for each
must match its labels signal by signal, with the lean and each principle's rating.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interview_labels import LOOPS, Loop
from tests.speech_helpers import espeak_wav
from voicemock.interview.scorecard import Scorecard
from voicemock.storage import Store

pytestmark = pytest.mark.slow

WPM = 130
"""espeak-ng's rate: about 155 words a minute once its own pauses are counted."""
SIGNAL_LINE = re.compile(
    r"^  (Ownership|Results|Judgment|Reflection|Delivery)\s+([+~-])(strong|mixed|missing)\b",
    re.MULTILINE,
)
PRINCIPLE_LINE = re.compile(r"^  Q([12])\s+([+~-])(strong|mixed|missing)\s", re.MULTILINE)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory, espeak: str) -> dict[str, list[Path]]:
    root = tmp_path_factory.mktemp("loops")
    files: dict[str, list[Path]] = {}
    for n, loop in enumerate(LOOPS):
        files[loop.name] = [
            espeak_wav(espeak, [(s, 500) for s in answer.sentences], root / f"{n}-{k}.wav", WPM)
            for k, answer in enumerate(loop.answers)
        ]
    return files


def test_the_labels_cover_strong_weak_and_mixed_answers() -> None:
    mains = [loop.answers[k] for loop in LOOPS for k in (0, 2)]
    assert len(mains) >= 10
    assert {a.kind for a in mains} == {"strong", "weak", "mixed"}
    assert {loop.lean for loop in LOOPS} == {"strong hire", "inclined", "not inclined"}


@pytest.mark.parametrize("loop", LOOPS, ids=lambda loop: loop.name)
def test_the_scorecard_matches_the_labels(
    loop: Loop, spoken: dict[str, list[Path]], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    a1, r1, a2, r2 = spoken[loop.name]
    args = ["interview", "--questions", "2", "--follow-ups", "1"]
    for path in (a1, r1, a2, r2):
        args += ["--answer-file", str(path)]
    args += ["--fast", "--no-voice"]
    done = subprocess.run(
        [sys.executable, "-m", "voicemock", *args],
        env={**os.environ, "VOICEMOCK_HOME": str(home), "COLUMNS": "100"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    card_text = out[out.index("Bar-raiser scorecard") :]
    printed = {name.lower(): level for name, _, level in SIGNAL_LINE.findall(card_text)}
    assert printed == loop.signals, card_text
    assert f"Lean: {loop.lean} (" in card_text
    principles = tuple(level for _, _, level in PRINCIPLE_LINE.findall(card_text))
    assert principles == loop.principles, card_text
    # The card printed is the card saved, and every answer is stored in its place.
    with Store.open(home) as store:
        session = store.latest_session()
        assert session is not None and session.scorecard is not None
        saved = Scorecard.from_dict(session.scorecard)
        assert saved is not None and saved.levels() == loop.signals
        records = store.answers(session.id)
    assert [r.parent_id is None for r in records] == [True, False, True, False]
    assert records[1].parent_id == records[0].id and records[3].parent_id == records[2].id
    assert all(r.status == "complete" for r in records)
