"""Where tables and keys start in TOML source, so that a semantic error can name its line."""

from __future__ import annotations

import re
import sys

from voicemock.questions.problems import Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+))*)\s*="""
)


def _split_dotted(key: str) -> list[str]:
    parts = re.findall(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""", key)
    return [a or b or c for a, b, c in parts]


class TomlLines:
    """Where tables and keys start in TOML source, for semantic error messages.

    ``tomllib`` gives positions only for syntax errors, so this scans the text: table
    headers (arrays of tables are numbered), ``key =`` lines and dotted keys, skipping the
    insides of multi-line strings. Unknown places fall back to their nearest parent.
    """

    def __init__(self, text: str) -> None:
        self.at: dict[tuple[str | int, ...], int] = {}
        self.text = text
        arrays: dict[tuple[str, ...], int] = {}
        table: tuple[str | int, ...] = ()
        closing: str | None = None
        for number, line in enumerate(text.split("\n"), 1):
            if closing is not None:
                if line.count(closing) % 2 == 1:
                    closing = None
                continue
            header = _HEADER.match(line)
            if header:
                names = _split_dotted(header.group(2))
                if header.group(1) == "[[":
                    key = tuple(names)
                    arrays[key] = arrays.get(key, -1) + 1
                    self.at.setdefault(key, number)
                table = self._resolve(names, arrays, last_is_array=header.group(1) == "[[")
                self.at.setdefault(table, number)
                continue
            key_match = _KEY.match(line)
            if key_match:
                path = (*table, *_split_dotted(key_match.group(1)))
                self.at.setdefault(path, number)
                rest = line[key_match.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        closing = quote
                        break

    @staticmethod
    def _resolve(
        names: list[str], arrays: dict[tuple[str, ...], int], *, last_is_array: bool
    ) -> tuple[str | int, ...]:
        path: list[str | int] = []
        for i, name in enumerate(names):
            path.append(name)
            prefix = tuple(names[: i + 1])
            is_last = i == len(names) - 1
            if prefix in arrays and (not is_last or last_is_array):
                path.append(arrays[prefix])
        return tuple(path)

    def exact(self, *path: str | int) -> int | None:
        """The line where ``path`` itself is written, if the scan found it."""
        return self.at.get(path)

    def line(self, *path: str | int) -> int:
        """The line of ``path`` or of its nearest known parent (1 if none is known)."""
        for end in range(len(path), 0, -1):
            found = self.at.get(path[:end])
            if found is not None:
                return found
        return 1


def assignment_line(text: str, key: str, value: str, occurrence: int) -> int | None:
    """The line of the ``occurrence``-th (0-based) ``key = "value"`` anywhere in ``text``."""
    pattern = re.compile(rf"""(?<![\w-]){re.escape(key)}\s*=\s*(["']){re.escape(value)}\1""")
    for i, match in enumerate(pattern.finditer(text)):
        if i == occurrence:
            return text.count("\n", 0, match.start()) + 1
    return None


def toml_problem(where: str, exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    message = str(exc)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if match:
        body = message[: match.start()]
        return Problem(
            where, int(match.group(1)), f"invalid TOML: {body} (column {match.group(2)})"
        )
    match = re.search(r"\s*\(at end of document\)\s*$", message)
    line = len(text.rstrip().split("\n")) if match else None
    body = message[: match.start()] if match else message
    suffix = " at the end of the file" if match else ""
    return Problem(where, line, f"invalid TOML: {body}{suffix}")
