"""Timed transcripts for the analysis tests, written as scripts.

A script is words separated by spaces, with two kinds of markers:

- ``<pause 2.5>``: 2.5 s of silence (no speech region, no words);
- ``<voice 0.6>``: 0.6 s of voice the recogniser wrote no word for (an unlabelled hesitation).

Words get a duration from their length (about 140 words a minute with the default rate),
a short gap between them, a longer one after a comma or a sentence end, and the speech map
is built the way the VAD builds it: voice regions merged across gaps under 0.1 s and padded
by 30 ms. The transcript's duration adds a little silence after the last word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicemock.transcript import Span, Transcript, Word

MARKER = re.compile(r"<(pause|voice)\s+([\d.]+)>")
MIN_SILENCE_S = 0.1
PAD_S = 0.03


@dataclass(frozen=True)
class Script:
    transcript: Transcript
    pauses: list[tuple[float, float]]
    """(start, duration) of every ``<pause>``, measured between speech regions."""
    voices: list[tuple[float, float]]
    """(start, end) of every ``<voice>``."""

    def index_of(self, text: str, nth: int = 0) -> int:
        """Index of the ``nth`` word whose text is exactly ``text``."""
        hits = [i for i, w in enumerate(self.transcript.words) if w.text == text]
        return hits[nth]


def timed(script: str, *, rate: float = 1.0, lead_in: float = 0.6, tail: float = 0.8) -> Script:
    """The timed transcript of ``script`` (``rate`` > 1 speaks faster)."""
    tokens = MARKER.sub(lambda m: f" <{m.group(1)}:{m.group(2)}> ", script).split()
    t = lead_in
    words: list[Word] = []
    voiced: list[tuple[float, float]] = []
    pauses: list[tuple[float, float]] = []
    voices: list[tuple[float, float]] = []
    for token in tokens:
        if token.startswith("<pause:"):
            length = float(token[7:-1])
            pauses.append((t, length))
            t += length
            continue
        if token.startswith("<voice:"):
            length = float(token[7:-1])
            voiced.append((t, t + length))
            voices.append((t, t + length))
            t += length + 0.08 / rate
            continue
        letters = sum(c.isalnum() for c in token)
        length = (0.1 + 0.055 * min(letters, 12)) / rate
        words.append(Word(token, round(t, 3), round(t + length, 3), 0.9))
        voiced.append((t, t + length))
        t += length
        if token[-1] in ".?!":
            t += 0.45 / rate
        elif token[-1] in ",;:":
            t += 0.2 / rate
        else:
            t += 0.06 / rate
    speech: list[Span] = []
    for lo, hi in sorted(voiced):
        lo, hi = lo - PAD_S, hi + PAD_S
        if speech and lo - speech[-1].end < MIN_SILENCE_S:
            speech[-1] = Span(speech[-1].start, max(speech[-1].end, hi))
        else:
            speech.append(Span(max(0.0, lo), hi))
    # a pause is measured between the padded regions around it
    measured = []
    for start, length in pauses:
        before = max((s.end for s in speech if s.end <= start + PAD_S), default=start)
        after = min((s.start for s in speech if s.start >= start - PAD_S), default=start + length)
        measured.append((round(before, 3), round(after - before, 3)))
    transcript = Transcript.from_words(words, round(t + tail, 3), speech)
    return Script(transcript, measured, voices)


STAR_ANSWER = """
So, um, at my last company I was the product manager for checkout on a mid-sized e-commerce
site. Our team owned the payment step, and we had about 2,000 orders a day going through it.
<pause 2.4>
The problem was that our checkout page was losing customers. Uh, about 22% of people dropped
off at the payment step, and, like, support was getting complaints every single day. My goal
was to get that drop-off down before the holiday season, which gave us roughly six weeks.
I decided to, um, dig into the data first. I pulled the funnel numbers and I sat with support
for two days listening to calls. I found that the form asked for the billing address twice,
and on mobile the card field kept resetting. I think the resets were kind of the bigger issue.
So I wrote a one-page memo proposing a simpler form with one address field and a saved card
option. Engineering pushed back because they were worried about fraud checks. <voice 0.7> I
met with the fraud team, and I proposed that we keep the address check but run it in the
background, so that customers never saw it. We decided to delay the launch by a week to add
monitoring, which meant we lost some holiday traffic but kept the risk low. I, uh, personally
owned the rollout plan. I ran an A/B test on ten percent of traffic first, and then I launched
it to everyone once the fraud rate held flat for five days. Customer Obsession.
<pause 3.1>
As a result, conversion went from 60 to 81% at the payment step. Drop-off fell to about 9
percent, and we saved about 1.2 million dollars a year in lost orders. Support tickets about
checkout went down by half within a month, and the saved card option is now used on most
repeat orders. The fraud rate did not move at all.
What I learned is that the fastest way to settle a debate is to put real customer evidence on
the table. Next time I would bring the fraud team in on day one instead of week three, because
that late review cost us the week we lost. I would also measure mobile separately from the
start.
"""
"""A realistic spoken STAR answer of about three minutes at the helper's default pace.

Planted: fillers "So," and sentence-opening "So I", um and uh (×2 each), "like,"; hedges
"I think", "kind of"; strong ownership (I decided, I wrote, I proposed, I personally owned,
I launched) and weak ("We decided", "Our team owned"); metrics in every phase and a change
in the result; the LP name "Customer Obsession." said as a label; two long pauses and one
unworded hesitation.
"""
