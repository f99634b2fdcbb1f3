"""Pure analysis of one spoken answer: no audio, no I/O, deterministic and fast.

``analyze(transcript, target, question=..., model=...)`` returns an
:class:`~voicemock.analysis.report.Analysis` whose ``to_dict()`` is the stored document
(typed in :mod:`.document`). :func:`~voicemock.analysis.findings.find_all` gathers every
finding into one :class:`~voicemock.analysis.findings.Findings`; each finding has its own
module: :mod:`.fillers`, :mod:`.hedges`, :mod:`.ownership`, :mod:`.metrics`,
:mod:`.structure`, :mod:`.delivery`, :mod:`.timing`, and :mod:`.advice` reads them all,
all built on the shared word helpers in :mod:`.text`.

The finding modules are imported on first use, so importing the package, its
:mod:`.document` types or :mod:`.timing` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from voicemock.analysis.report import SCHEMA, Analysis, analyze

__all__ = ["SCHEMA", "Analysis", "analyze"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from voicemock.analysis import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
