"""Real speech for tests: references, word error rate, filler matching, generated answers.

Clips come from ``../shared/audio`` (never committed here); speech the tests need beyond
that is generated with espeak-ng.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicemock.asr.whisper import norm
from voicemock.transcript import Word

HESITATIONS = {"um", "umm", "ummm", "uhm", "uh", "uhh", "er", "erm", "ah", "ahh"}
HUMS = {"hmm", "hm", "mm", "mmm", "mhm", "mm-hmm", "uh-huh"}


def read_references(audio_dir: Path) -> dict[str, str]:
    """Relative clip path -> reference text for the read-speech clips."""
    refs: dict[str, str] = dict(json.loads((audio_dir / "refs.json").read_text()))
    refs["jfk.flac"] = (
        "And so my fellow Americans, ask not what your country can do for you, "
        "ask what you can do for your country."
    )
    with (audio_dir / "ljspeech" / "metadata.csv").open(newline="") as fh:
        for row in csv.reader(fh, delimiter="|"):
            refs[f"ljspeech/{row[0]}.wav"] = row[1]
    return {k: v for k, v in refs.items() if (audio_dir / k).is_file()}


def _spell_numbers(text: str) -> str:
    from num2words import num2words

    def spell(m: re.Match[str]) -> str:
        return f" {num2words(float(m.group()) if '.' in m.group() else int(m.group()))} "

    return re.sub(r"\d+(?:\.\d+)?", spell, text.replace(",", ""))


def content_words(text: str) -> list[str]:
    """Words for WER: lower-case, numbers spelled out, punctuation, fillers and hums removed."""
    text = text.lower().replace("%", " percent").replace("$", " dollars ")
    text = _spell_numbers(text)
    text = re.sub(r"[^a-z' ]+", " ", text.replace("-", " "))
    return [w for w in text.split() if w.strip("'") and w not in HESITATIONS | HUMS]


def wer(references: list[str], hypotheses: list[str]) -> float:
    import jiwer

    refs = [" ".join(content_words(r)) for r in references]
    hyps = [" ".join(content_words(h)) or "<empty>" for h in hypotheses]
    return float(jiwer.wer(refs, hyps))


def is_hesitation(text: str) -> bool:
    return re.sub(r"[^a-z]", "", text.lower()) in HESITATIONS


@dataclass(frozen=True)
class FillerScore:
    found: int
    total: int
    extra: int

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 1.0


def match_fillers(
    reference_times: list[float], words: list[Word], tolerance: float = 1.5
) -> FillerScore:
    """Pair each reference um/uh/ah with a recognised one within ``tolerance`` seconds."""
    recognised = [w for w in words if is_hesitation(w.text) and w.start is not None]
    used: set[int] = set()
    found = 0
    for t in sorted(reference_times):
        candidates = [
            (abs((w.start or 0.0) - t), i)
            for i, w in enumerate(recognised)
            if i not in used and abs((w.start or 0.0) - t) <= tolerance
        ]
        if candidates:
            used.add(min(candidates)[1])
            found += 1
    return FillerScore(found, len(reference_times), len(recognised) - len(used))


# -- the AMI meeting clips as one long answer ---------------------------------------------

AMI_GAP_S = 1.0


@dataclass(frozen=True)
class LongClip:
    audio: np.ndarray
    filler_times: list[float]
    """Start times of every reference um/uh/ah, on the joined clip's time line."""


def joined_ami(audio_dir: Path) -> LongClip:
    """All AMI clips back to back (1 s of silence between) with their filler times shifted."""
    from voicemock.audio.io import load_audio

    parts: list[np.ndarray] = []
    times: list[float] = []
    offset = 0.0
    silence = np.zeros(int(AMI_GAP_S * 16000), dtype=np.float32)
    for ref in sorted((audio_dir / "ami").glob("*.ref.json")):
        data = json.loads(ref.read_text())
        audio = load_audio(ref.with_name(data["audio"]))
        times += [offset + w["start"] for w in data["words"] if w["kind"] == "filled_pause"]
        parts += [audio, silence]
        offset += (len(audio) + len(silence)) / 16000
    return LongClip(np.concatenate(parts), times)


# -- generated speech --------------------------------------------------------------------

FILLER_ANSWER = [
    # (sentence, pause after in ms); fillers are spoken by espeak-ng as written.
    ("So, um, the situation was that our checkout page was losing customers.", 600),
    ("Uh, about twenty two percent of people dropped off at the payment step.", 800),
    ("I decided to, um, run a test with a simpler form.", 500),
    ("We built it in six weeks.", 900),
    ("Uh, the result was that conversion went from sixty to eighty one percent.", 700),
    ("Um, what I learned is that, uh, you should measure before you build.", 1200),
    ("I think the team, um, really liked that approach.", 600),
    ("Uh, we saved about one point two million dollars a year.", 1000),
    ("So, um, that is the story.", 600),
    ("Uh, next time I would talk to customers earlier.", 800),
    ("Um, because, uh, they knew the problem better than we did.", 1500),
    ("Um, the hardest part was, uh, convincing finance.", 700),
    ("I wrote a one page memo and, um, I owned the rollout.", 900),
    ("Uh, in the end, we shipped to all markets in three months.", 2500),
    ("Um, looking back, uh, I would have involved legal on day one.", 800),
    ("Uh, it cost us two weeks, um, and a lot of goodwill.", 600),
    ("So, uh, the next quarter I ran the same playbook on the returns page.", 900),
    ("Um, that one, uh, moved refunds from nine days to four days.", 700),
    ("I think, um, the biggest change was how we made decisions.", 1100),
    ("Uh, we wrote down the metric first, um, and then the plan.", 600),
]


def filler_answer_text() -> str:
    return " ".join(s for s, _ in FILLER_ANSWER)


def aligned_filler_recall(reference: str, hypothesis: str) -> tuple[int, int]:
    """Reference fillers that line up with an identical recognised filler."""
    ref = [norm(w) for w in reference.split()]
    hyp = [norm(w) for w in hypothesis.split()]
    matcher = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    found = 0
    for block in matcher.get_matching_blocks():
        found += sum(1 for w in ref[block.a : block.a + block.size] if is_hesitation(w))
    return found, filler_count(reference)


def filler_count(text: str) -> int:
    return sum(1 for w in text.split() if is_hesitation(w))


def espeak_wav(espeak: str, sentences: list[tuple[str, int]], path: Path, wpm: int = 160) -> Path:
    """Speak ``sentences`` with SSML pauses into a WAV file."""
    ssml = (
        "<speak>"
        + " ".join(f'{s} <break time="{pause}ms"/>' for s, pause in sentences)
        + "</speak>"
    )
    subprocess.run(
        [espeak, "-m", "-v", "en-us", "-s", str(wpm), "-w", str(path), ssml],
        check=True,
        capture_output=True,
    )
    return path
