"""Stories: the text logic behind the story bank. Pure functions, no I/O.

- :mod:`.similarity`: which story an answer is telling (``suggest``, ``best_match``,
  ``THRESHOLD`` for automatic linking);
- :mod:`.consistency`: how tellings of one story disagree (changed numbers, changed
  ownership, a result present in one telling and missing in another);
- :mod:`.numbers`: the value of a spoken quantity ("forty percent" = "40 %");
- :mod:`.text`: content words, stems and stop words;
- :mod:`.principles`: parsing principles the user types, and their weights.

Storage lives in :mod:`voicemock.storage.stories` (``store.stories``); coverage and
progress over stored answers in :mod:`voicemock.coverage` and :mod:`voicemock.progress`.
"""

from __future__ import annotations
