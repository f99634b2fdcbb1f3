"""The interviewer: follow-up questions from an answer's gaps, and the bar-raiser scorecard.

- :mod:`~voicemock.interview.followups`: small pure rules that find what an answer lacked
  (shared ownership, a result with no number, a number with no baseline, a Leadership
  Principle used as a label, few reasons, far too short, no lesson), the follow-up
  question each gap calls for in varied wording that quotes the candidate, and whether a
  reply closed the gap;
- :mod:`~voicemock.interview.selection`: the questions of a mock loop, one Leadership
  Principle each, weighted toward the first four;
- :mod:`~voicemock.interview.scorecard`: the scorecard written like an interviewer's
  feedback, with its named thresholds.

Everything here is pure: analysis documents and questions in, values out. The practice
round (:mod:`voicemock.practice.round`) asks the follow-ups and runs the loop.
"""

from __future__ import annotations
