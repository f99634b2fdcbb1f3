"""TOML from a user's file, parsed within bounds of size, nesting and key length.

The standard library's parser (``tomllib``, ``tomli`` before 3.11) trusts its input:

- arrays or inline tables nested a few hundred levels deep raise ``RecursionError``;
- a dotted key costs time and memory quadratic in its parts (a 60 KB key of 30,000 parts
  took 38 s and 3.5 GB; 200,000 parts ran out of 24 GB);
- every distinct table costs a few kilobytes (1 MB of ``[a.b]`` headers: 190 MB).

:func:`loads` scans the text first (strings and comments skipped) and refuses, with the
line, a file larger than :data:`MAX_BYTES`, nesting deeper than :data:`MAX_DEPTH` or a
key of more than :data:`MAX_KEY_PARTS` parts; what passes parses in well under a second
and 200 MB. Real question sets are far inside these bounds: the bundled amazon-pm set is
23 KB, nests 2 deep and has 2-part keys.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError

MAX_BYTES = 256_000
"""Larger TOML files are refused unparsed (room for about 600 questions with follow-ups)."""
MAX_DEPTH = 16
"""Arrays and inline tables nested deeper than this are refused."""
MAX_KEY_PARTS = 8
"""Dotted keys and table headers with more parts than this are refused."""

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<mlbasic>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z))
    | (?P<mlliteral>'''(?:[^']|'(?!''))*(?:'''|\Z))
    | (?P<basic>"(?:[^"\\\n]|\\.)*(?:"|$))
    | (?P<literal>'[^'\n]*(?:'|$))
    | (?P<open>[\[{])
    | (?P<close>[\]}])
    | (?P<bare>[A-Za-z0-9_-]+)
    | (?P<dot>\.)
    | (?P<space>[ \t]+)
    | (?P<newline>\n)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)


class TomlLimitError(ValueError):
    """The text is beyond what :func:`loads` parses; ``line`` is where (``None``: the file)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def check(text: str) -> None:
    """Raise :class:`TomlLimitError` when ``text`` is beyond the bounds in the module doc."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise TomlLimitError(
            f"is too large for a TOML file here ({size // 1000:,} KB; the limit is"
            f" {MAX_BYTES // 1000} KB)",
            None,
        )
    depth = 0
    parts = 0  # atoms in the current dotted run
    expect_atom = True  # the run's next token may be an atom (start, or just after a dot)
    line = 1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind in ("bare", "basic", "literal"):
            parts = parts + 1 if expect_atom else 1
            expect_atom = False
            if parts > MAX_KEY_PARTS:
                raise TomlLimitError(
                    f"a key with more than {MAX_KEY_PARTS} dotted parts is not supported", line
                )
        elif kind == "dot":
            expect_atom = True
            continue
        else:
            parts, expect_atom = 0, True
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise TomlLimitError(
                    f"arrays or tables nested more than {MAX_DEPTH} deep are not supported", line
                )
        elif kind == "close":
            depth = max(depth - 1, 0)
        if kind in ("newline", "comment", "mlbasic", "mlliteral", "basic", "literal"):
            line += match.group().count("\n")
        if kind in ("bare", "basic", "literal"):
            expect_atom = False


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)`` after :func:`check`.

    Raises :class:`TomlLimitError` for text beyond the bounds and ``tomllib``'s
    ``TOMLDecodeError`` for invalid TOML.
    """
    check(text)
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except RecursionError:  # not reachable within MAX_DEPTH; kept as a last guard
        raise TomlLimitError("nested too deeply to parse", None) from None
    return data
