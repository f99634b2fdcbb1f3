#!/usr/bin/env python3
"""Story linking accuracy: does an answer get linked to the story it tells, and only then?

    .venv/bin/python scripts/bench_linking.py            # text and spoken (about 3 minutes)
    .venv/bin/python scripts/bench_linking.py --text-only

The test set is tests/data/stories/linking.toml: six banked stories told five times each
(different questions, openings, paraphrase) and tellings of stories not in the bank
(including other stories from the same companies). Tellings marked `spoken` are also
spoken with espeak-ng and transcribed by the bundled model. Prints, for
voicemock.stories.similarity and, as the baseline measured in the same run, plain
bag-of-words cosine:

- right story first: the telling's own story ranks first (bank: every story's title and
  summary, the other stories' tellings, and this story's earlier tellings; "cold": titles
  and summaries only);
- linked automatically: the right story first and at or above the threshold;
- new story not linked: a telling of a story not in the bank scores below the threshold.
Acceptance: >= 90 % right story first and >= 90 % of new stories not linked.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import machine  # noqa: E402

from tests.linking_helpers import (  # noqa: E402
    evaluate,
    figures,
    load,
    plain_cosine,
    speak_and_transcribe,
)
from voicemock.stories.similarity import THRESHOLD  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text-only", action="store_true", help="skip the spoken tellings")
    args = parser.parse_args()
    data = load()
    known, new = data.known(), list(data.new)
    print(f"machine: {machine()}")
    print(
        f"test set: {len(data.stories)} stories, {len(known)} tellings of them,"
        f" {len(new)} tellings of {len({t.story for t in new})} new stories;"
        f" threshold {THRESHOLD:.2f}"
    )
    print()
    print("text")
    for label, cold in (("bank with earlier tellings", False), ("titles and summaries only", True)):
        ours = figures(evaluate(data, [*known, *new], cold=cold))
        plain = figures(evaluate(data, known, cold=cold, scorer=plain_cosine))
        print(f"  {label}:")
        print(f"    voicemock: {ours.line()}")
        print(
            f"    baseline (plain word counts): right story first"
            f" {plain.right_first}/{plain.known} ({plain.right_first_rate:.0%})"
        )
    outcomes = evaluate(data, [*known, *new])
    right = [o.score_of(o.expected) for o in outcomes if o.expected is not None]
    wrong_best = [o.best.score for o in outcomes if o.expected is None and o.best]
    print(
        f"  scores: right story {min(right):.2f}-{max(right):.2f} (median"
        f" {sorted(right)[len(right) // 2]:.2f}); best story for a new one"
        f" {min(wrong_best):.2f}-{max(wrong_best):.2f}"
    )
    if args.text_only:
        return
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        sys.exit("espeak-ng is not installed (apt-get install espeak-ng), or use --text-only")
    spoken = data.spoken()
    print()
    print(f"spoken: {len(spoken)} tellings, espeak-ng at 165 wpm, transcribed by the bundled model")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        texts = speak_and_transcribe(spoken, Path(tmp), espeak)
    elapsed = time.monotonic() - started
    spoken_outcomes = evaluate(data, spoken, texts=texts)
    ours = figures(spoken_outcomes)
    plain = figures(
        evaluate(data, [t for t in spoken if t in known], texts=texts, scorer=plain_cosine)
    )
    print(f"  voicemock: {ours.line()}")
    print(
        f"  baseline (plain word counts): right story first {plain.right_first}/{plain.known}"
        f" ({plain.right_first_rate:.0%})"
    )
    for o in spoken_outcomes:
        best = o.best
        what = "new story" if o.expected is None else f"story {o.expected}"
        got = f"best {best.story_id} at {best.score:.2f}" if best else "nothing"
        print(f"    {o.case.name:<20} {what:<10} {got}")
    combined = figures([*evaluate(data, [*known, *new]), *spoken_outcomes])
    print()
    print(f"all ({len(known) + len(new)} text + {len(spoken)} spoken): {combined.line()}")
    print(f"(speaking and transcribing took {elapsed:.0f} s)")


if __name__ == "__main__":
    main()
