"""Reading a user-supplied file as text: UTF-8 (BOM allowed) or UTF-16 with a BOM."""

from __future__ import annotations

from pathlib import Path

from voicemock.questions.problems import Problem, QuestionSetError

MAX_FILE_BYTES = 2_000_000
"""Larger files are refused: no real question set comes close."""


def read_text(path: Path) -> str:
    """The text of a user-supplied file: UTF-8 (BOM allowed) or UTF-16 with a BOM.

    Raises :class:`QuestionSetError` naming the file (and the line of a bad byte).
    """
    where = str(path)

    def fail(message: str, line: int | None = None) -> QuestionSetError:
        return QuestionSetError([Problem(where, line, message)])

    try:
        if path.is_dir():
            raise fail("is a directory, not a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"is too large for a question set ({size / 1e6:.1f} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise fail("is not valid UTF-16 text despite its byte-order mark") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8", line
        ) from None
