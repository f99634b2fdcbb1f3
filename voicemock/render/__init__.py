"""Turning results into terminal output. Commands call these; the library never prints.

Colour follows :attr:`voicemock.env.Environment.use_color`: a terminal gets colour and
highlights, a pipe or ``--no-color``/``NO_COLOR`` gets plain text with ASCII markers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from voicemock.env import Environment


def make_console(env: Environment, *, stderr: bool = False) -> Console:
    """A rich console writing to the environment's stdout (or stderr)."""
    from rich.console import Console

    color = env.use_color
    return Console(
        file=env.err if stderr else env.out,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
        soft_wrap=not env.is_tty,
        width=None if env.is_tty else 100,
    )
