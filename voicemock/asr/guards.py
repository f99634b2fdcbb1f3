"""Guards that keep the filler prompt from putting words in the speaker's mouth.

A filler the recogniser placed where the VAD heard no voice is dropped as a
hallucination, a run of fillers longer than the voiced stretches it covers is cut back
(Whisper can loop on "hmm, er, hmm, er…"), and each kept filler is stretched over the
voice around it. :func:`shift` moves chunk-relative word times onto the whole answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from voicemock.asr.whisper import norm
from voicemock.transcript import Span, Word

FILLER_TOKENS = frozenset(
    {
        "um",
        "umm",
        "ummm",
        "uhm",
        "uh",
        "uhh",
        "uhhh",
        "er",
        "erm",
        "err",
        "ah",
        "ahh",
        "hmm",
        "hm",
        "hmmm",
        "mm",
        "mmm",
    }
)


def is_filler_token(text: str) -> bool:
    return norm(text) in FILLER_TOKENS


def drop_unvoiced_fillers(
    words: Iterable[Word], speech: Sequence[Span], tolerance: float = 0.15
) -> list[Word]:
    """Keep a recognised filler only if the VAD heard voice where it was placed."""
    kept = []
    for w in words:
        if is_filler_token(w.text) and w.start is not None and w.end is not None:
            lo, hi = w.start - tolerance, w.end + tolerance
            if not any(s.start < hi and s.end > lo for s in speech):
                continue
        kept.append(w)
    return kept


def settle_filler_times(
    words: Sequence[Word], speech: Sequence[Span], reach: float = 1.0
) -> list[Word]:
    """Stretch each filler over the voice around it, up to its neighbours.

    Whisper's word alignment often gives a filler no duration ("um" 1.22-1.22) or
    places it up to half a second late, leaving the voiced "ummm" uncovered. A filler
    takes the voiced time between the previous and the next word (at most ``reach``
    seconds each side), so that what stays uncovered is a real, unlabelled hesitation.
    """
    out = list(words)
    for i, w in enumerate(out):
        if w.start is None or w.end is None or not is_filler_token(w.text):
            continue
        before = out[i - 1].end if i and out[i - 1].end is not None else 0.0
        after = out[i + 1].start if i + 1 < len(out) else None
        lo = max(before or 0.0, w.start - reach)
        hi = w.end + reach if after is None else min(after, w.end + reach)
        voiced = [r for r in speech if r.end > lo and r.start < hi]
        if not voiced:
            continue
        start = max(lo, min(w.start, *(r.start for r in voiced)))
        end = min(hi, max(w.end, *(r.end for r in voiced)))
        if start < w.start or end > w.end:
            out[i] = Word(w.text, round(start, 3), round(max(end, start), 3), w.probability)
    return out


def shift(words: Iterable[Word], offset: float, limit: float | None = None) -> list[Word]:
    """Move chunk-relative word times onto the answer; drop words past ``limit``."""
    out = []
    for w in words:
        start = (w.start or 0.0) + offset
        end = (w.end or 0.0) + offset
        if limit is not None and start >= limit:
            continue
        if limit is not None:
            end = min(end, limit)
        out.append(Word(w.text, round(start, 3), round(max(end, start), 3), w.probability))
    return out


def limit_filler_runs(words: Sequence[Word], speech: Sequence[Span]) -> list[Word]:
    """Cap a run of fillers at the voiced stretches it spans, plus one.

    Prompted with fillers, Whisper can loop on audio full of them ("hmm, er, hmm, er,
    hmm…", often with no duration): 15 fillers for 7 spoken ones. Each filler needs its
    own breath of voice, so a run keeps at most one filler per voiced stretch it covers
    (plus one, for a quick "um, uh" in a single breath), the longest and surest first.
    """
    out: list[Word] = []
    i = 0
    while i < len(words):
        if not is_filler_token(words[i].text) or words[i].start is None:
            out.append(words[i])
            i += 1
            continue
        j = i
        while j < len(words) and is_filler_token(words[j].text) and words[j].start is not None:
            j += 1
        run = list(words[i:j])
        lo = min(w.start or 0.0 for w in run) - 0.05
        hi = max(w.end or w.start or 0.0 for w in run) + 0.05
        allowed = sum(1 for r in speech if r.start < hi and r.end > lo) + 1
        if len(run) > allowed:

            def strength(w: Word) -> tuple[float, float]:
                return ((w.end or 0.0) - (w.start or 0.0), w.probability or 0.0)

            keep = set(sorted(range(len(run)), key=lambda k: strength(run[k]))[-allowed:])
            run = [w for k, w in enumerate(run) if k in keep]
        out.extend(run)
        i = j
    return out


def clean_words(words: Sequence[Word], speech: Sequence[Span]) -> list[Word]:
    """The guards applied to a whole answer's words once its speech map is known."""
    voiced = drop_unvoiced_fillers(words, speech)
    return settle_filler_times(limit_filler_runs(voiced, speech), speech)
