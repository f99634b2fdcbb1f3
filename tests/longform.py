"""Long recordings for transcription tests and ``scripts/bench_longform.py``: what a 2½–4
minute answer looks like to the recogniser, built from real speech, and how to score it.

- :func:`fluent_recording`: the read clips of ``../shared/audio`` (LJ Speech, LibriSpeech,
  Picovoice, JFK) joined twice, in two orders, with 0.5–2 s pauses: about 4:40 of fluent
  speech with no filler and no hesitation in it.
- :func:`meeting_recording`: the AMI meeting clips joined with 1 s gaps (5:40), whose
  references mark every filled pause, hum and backchannel with its time.
- :func:`generated_answer`: a 3:10 answer with 25 um/uh, spoken by espeak-ng.

Word error rates use Whisper's own English normaliser (``whisper-normalizer``), the usual
one for comparing recognisers: case, punctuation, spelling variants, numbers and the
hesitations um/uh/hmm are normalised away, so fillers are scored separately.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from voicemock.audio import SAMPLE_RATE
from voicemock.transcript import Word

READ_CLIPS = [
    *(f"ljspeech/LJ001-000{i}.wav" for i in range(1, 9)),
    "librispeech/2412-153948-0000.flac",
    "librispeech/1089-134686-0000.flac",
    "librispeech/1089-134691-0001.flac",
    "librispeech/1089-134686-0001.flac",
    "librispeech/1089-134691-0000.flac",
    "picovoice/test.wav",
    "jfk.flac",
    "picovoice/diarization_test.wav",
]
HESITATIONS = frozenset({"um", "umm", "ummm", "uhm", "uh", "uhh", "er", "erm", "ah", "ahh"})
HUMS = frozenset({"hmm", "hm", "hmmm", "mm", "mmm"})
STOCK_PHRASES = (
    "thank you",
    "thanks for watching",
    "see you in the next",
    "see you next time",
    "please subscribe",
    "like and subscribe",
    "bye bye",
)
"""What Whisper writes over silence and breath (its training data's video endings)."""


@dataclass(frozen=True)
class LongRecording:
    name: str
    audio: np.ndarray
    reference: str
    filler_times: tuple[float, ...] = ()
    """Start of every reference um/uh/ah, when the reference has times (AMI)."""
    nonlexical: tuple[tuple[float, float], ...] = ()
    """Every reference filled pause, hum and backchannel (start, end), when timed (AMI)."""
    timed_reference: bool = False

    @property
    def duration(self) -> float:
        return len(self.audio) / SAMPLE_RATE

    def save(self, path: Path) -> Path:
        import soundfile

        soundfile.write(str(path), self.audio, SAMPLE_RATE, subtype="PCM_16")
        return path


def fluent_recording(audio_dir: Path, seed: int = 0) -> LongRecording:
    """The read clips, then the same in reverse order, each followed by a 0.5–2 s pause."""
    from tests.speech_helpers import read_references
    from voicemock.audio.io import load_audio

    refs = read_references(audio_dir)
    rng = np.random.default_rng(seed)
    parts: list[np.ndarray] = []
    texts: list[str] = []
    for clip in [*READ_CLIPS, *reversed(READ_CLIPS)]:
        pause = np.zeros(int(rng.uniform(0.5, 2.0) * SAMPLE_RATE), dtype=np.float32)
        parts += [load_audio(audio_dir / clip), pause]
        texts.append(refs[clip])
    return LongRecording(f"fluent{seed}", _joined(parts), " ".join(texts))


def meeting_recording(audio_dir: Path, gap_s: float = 1.0) -> LongRecording:
    """All AMI clips back to back, ``gap_s`` of silence between, references shifted."""
    from voicemock.audio.io import load_audio

    parts: list[np.ndarray] = []
    texts: list[str] = []
    fillers: list[float] = []
    nonlexical: list[tuple[float, float]] = []
    offset = 0.0
    silence = np.zeros(int(gap_s * SAMPLE_RATE), dtype=np.float32)
    for ref in sorted((audio_dir / "ami").glob("*.ref.json")):
        data = json.loads(ref.read_text())
        audio = load_audio(ref.with_name(data["audio"]))
        for w in data["words"]:
            if w["kind"] == "filled_pause":
                fillers.append(offset + w["start"])
            if w["kind"] in ("filled_pause", "hum", "backchannel"):
                nonlexical.append((offset + w["start"], offset + w["end"]))
        texts.append(ref.with_name(f"{data['clip']}.ref.txt").read_text())
        parts += [audio, silence]
        offset += (len(audio) + len(silence)) / SAMPLE_RATE
    return LongRecording(
        "meeting", _joined(parts), " ".join(texts), tuple(fillers), tuple(nonlexical), True
    )


LONG_FILLER_ANSWER = [
    # (sentence, pause after in ms); espeak-ng speaks the fillers as written.
    ("So, um, this was at my last company, where I owned the seller onboarding flow.", 700),
    ("We had about four thousand new sellers signing up every month.", 600),
    ("Uh, and roughly a third of them never listed a single product.", 900),
    ("My manager asked me to find out why, and to fix it before the holiday season.", 700),
    ("Uh, I started with the data.", 500),
    ("Um, I pulled every onboarding session from the last two quarters.", 800),
    ("The drop-off was, um, not where we expected it to be.", 600),
    ("Everyone assumed it was the tax form, uh, because that form is long and painful.", 900),
    ("But most sellers were leaving at the very first step, the bank account check.", 700),
    ("That check took up to three days, and sellers had no idea what was happening.", 1000),
    ("Um, so I called twenty sellers who had dropped out.", 600),
    ("And, uh, almost all of them said the same thing.", 500),
    ("They thought the account was broken, and they simply gave up.", 1200),
    ("I wrote a one page proposal with three options.", 600),
    ("The first was to make the bank check instant, uh, with a new payments partner.", 800),
    ("The second was to let sellers list products while the check was still running.", 700),
    ("And the third was, um, just to send better emails.", 900),
    ("Um, I recommended the second option, because it was cheap and fast to build.", 800),
    ("The risk was fraud, and our risk team pushed back hard.", 700),
    ("Uh, their worry was that bad actors would list fake products.", 900),
    ("So I, um, worked with them on a compromise.", 600),
    ("Listings would stay hidden from buyers until the bank check passed.", 1100),
    ("That answered their concern, and it still let sellers make progress.", 800),
    ("I decided to run it as an experiment on half of the new sellers.", 700),
    ("Engineering needed, uh, about five weeks to build it.", 600),
    ("Uh, I kept the scope small and cut two features I really liked.", 1000),
    ("During the test, I checked the numbers every morning with the analyst.", 700),
    ("Um, after four weeks the results were clear.", 800),
    ("Sellers who could list right away were far more likely to finish onboarding.", 700),
    ("Activation went from sixty two percent to seventy nine percent.", 900),
    ("Um, fraud stayed flat, at under half a percent of new accounts.", 800),
    ("We rolled it out to every seller in the next release.", 700),
    (
        "Uh, over the following quarter that meant about eight hundred more active sellers "
        "each month.",
        1200,
    ),
    ("Finance estimated it was worth around two million dollars a year.", 900),
    ("Um, there were things I would do differently.", 600),
    ("First, um, I brought the risk team in too late.", 500),
    (
        "Uh, if I had talked to them in the first week, we would have saved a lot of back "
        "and forth.",
        1000,
    ),
    ("I also learned to question the story everyone already believes.", 700),
    ("The tax form, uh, looked like the problem, but the data said otherwise.", 900),
    ("Um, now I always talk to users before I write the first proposal.", 800),
    ("And, um, I try to share the numbers with the skeptics early.", 700),
    ("That project, uh, is still the one I am proudest of.", 1500),
]


def generated_answer(espeak: str, path: Path) -> LongRecording:
    """:data:`LONG_FILLER_ANSWER` spoken by espeak-ng into ``path``."""
    from tests.speech_helpers import espeak_wav
    from voicemock.audio.io import load_audio

    espeak_wav(espeak, LONG_FILLER_ANSWER, path)
    text = " ".join(s for s, _ in LONG_FILLER_ANSWER)
    return LongRecording("generated", load_audio(path), text)


def _joined(parts: Sequence[np.ndarray]) -> np.ndarray:
    return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)


# -- scoring -------------------------------------------------------------------------------


def _normaliser() -> Callable[[str], str]:
    from whisper_normalizer.english import EnglishTextNormalizer  # type: ignore[import-untyped]

    normaliser: Callable[[str], str] = EnglishTextNormalizer()
    return normaliser


_NORMALISE: Callable[[str], str] | None = None


def normalised(text: str) -> str:
    global _NORMALISE
    if _NORMALISE is None:
        _NORMALISE = _normaliser()
    return str(_NORMALISE(text))


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate after Whisper's English normalisation."""
    import jiwer

    return float(jiwer.wer(normalised(reference), normalised(hypothesis) or "<empty>"))


def _token(text: str) -> str:
    return re.sub(r"[^a-z']", "", text.lower())


def is_hesitation(text: str) -> bool:
    """A filled pause or hum as Whisper writes it ("Um,", "uh", "hmm."); a spelled-out
    letter pair ("E-R.") is not one."""
    if "-" in text:
        return False
    return _token(text) in HESITATIONS | HUMS


@dataclass(frozen=True)
class FillerScore:
    found: int
    """Reference um/uh/ah the transcript has at the right place."""
    total: int
    reported: int
    """Hesitation words in the transcript."""
    correct: int
    """Reported ones that stand for a real filled pause or hum."""

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.reported if self.reported else 1.0


def filler_score(rec: LongRecording, words: Sequence[Word], tolerance: float = 1.5) -> FillerScore:
    """Fillers against the reference: by time where it has times (each reference filled
    pause paired with one reported hesitation within ``tolerance`` s; a reported one is
    correct within ``tolerance`` s of any reference filled pause, hum or backchannel: word
    times in overlapping meeting speech are that loose), else by aligning the
    texts with every hesitation as one class (an "uh" said and "um" written still counts)."""
    reported = [w for w in words if is_hesitation(w.text)]
    if rec.timed_reference:
        starts = [w.start for w in reported if w.start is not None]
        used: set[int] = set()
        found = 0
        for t in sorted(rec.filler_times):
            near = [(abs(s - t), i) for i, s in enumerate(starts) if i not in used]
            near = [c for c in near if c[0] <= tolerance]
            if near:
                used.add(min(near)[1])
                found += 1
        correct = sum(
            1 for s in starts if any(a - tolerance <= s <= b + tolerance for a, b in rec.nonlexical)
        )
        return FillerScore(found, len(rec.filler_times), len(reported), correct)
    ref = ["<hes>" if is_hesitation(t) else _token(t) for t in rec.reference.split()]
    hyp = ["<hes>" if is_hesitation(w.text) else _token(w.text) for w in words]
    matcher = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    found = sum(
        ref[block.a : block.a + block.size].count("<hes>")
        for block in matcher.get_matching_blocks()
    )
    total = ref.count("<hes>")
    return FillerScore(found, total, len(reported), found)


@dataclass
class HesitationScore:
    count: int
    seconds: float
    correct: int | None = None
    """Hesitations over a reference filled pause, hum or backchannel (timed references)."""
    spans: list[tuple[float, float]] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        if self.correct is None:
            return None
        return self.correct / self.count if self.count else 1.0


def hesitation_score(rec: LongRecording, spans: Sequence[tuple[float, float]]) -> HesitationScore:
    """Unlabelled hesitations (voice without words) against the reference: in fluent read
    speech every one is false; in the meetings one is true over a reference filled pause,
    hum or backchannel (± 0.2 s)."""
    correct = None
    if rec.timed_reference:
        correct = sum(
            1 for lo, hi in spans if any(a - 0.2 < hi and b + 0.2 > lo for a, b in rec.nonlexical)
        )
    return HesitationScore(len(spans), sum(hi - lo for lo, hi in spans), correct, list(spans))


def missing_runs(reference: str, hypothesis: str, length: int = 3) -> list[str]:
    """Runs of ``length`` or more reference words with nothing in their place."""
    ref = normalised(reference).split()
    hyp = normalised(hypothesis).split()
    matcher = difflib.SequenceMatcher(a=ref, b=hyp, autojunk=False)
    return [
        " ".join(ref[i1:i2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag in ("delete", "replace") and (i2 - i1) - (j2 - j1) >= length
    ]


def stock_phrases(reference: str, hypothesis: str) -> list[str]:
    """Whisper's stock phrases in the transcript beyond those the reference has."""
    ref, hyp = normalised(reference), normalised(hypothesis)
    return [
        phrase
        for phrase in STOCK_PHRASES
        for _ in range(max(0, hyp.count(phrase) - ref.count(phrase)))
    ]
