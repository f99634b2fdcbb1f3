"""The HTML report: one self-contained page you can click through and hear.

- :mod:`.report`: :func:`build_report` renders a session (its answers and follow-ups) to one
  HTML page with the recordings embedded; :func:`save_report` writes it.
- :mod:`.view`: reads the stored answers and their analysis document (the only module that
  knows its keys).
- :mod:`.charts`: inline SVG charts (line with a target band, sparkline, range bar), also
  for other pages such as progress.
- :mod:`.audio`: recordings compressed to Ogg/Opus for embedding.

Templates live in ``templates/`` (Jinja2, autoescaped); ``static/`` holds the stylesheet
and script inlined into every page.
"""

from __future__ import annotations

from voicemock.render.html.report import CSP, Report, build_report, save_report

__all__ = ["CSP", "Report", "build_report", "save_report"]
