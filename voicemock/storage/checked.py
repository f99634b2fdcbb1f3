"""Stored JSON checked against the TypedDict that describes it, before anyone reads it.

The analysis document and the words are written by voicemock, but the database is a file
the user owns: a hand edit, another tool or a bad disk can leave ``"count": "seven"``
where every renderer expects a number. :func:`conforms` walks a value against a type
(TypedDicts, lists, dicts, ``X | None``, ``Literal``, ``str``/``int``/``float``/``bool``)
and the store hands out only documents that conform; one that does not is treated like
no analysis at all (the answer is shown with its transcript, "no analysis").

Extra keys are allowed (a newer voicemock may add some); numbers must be finite.
"""

from __future__ import annotations

import functools
import math
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

MAX_DEPTH = 32


@functools.cache
def _hints(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    required: frozenset[str] = getattr(cls, "__required_keys__", frozenset())
    return tuple((k, t, k in required) for k, t in get_type_hints(cls).items())


def conforms(value: object, expected: Any, _depth: int = 0) -> bool:
    """Whether ``value`` (parsed JSON) is a valid instance of the type ``expected``."""
    if _depth > MAX_DEPTH:
        return False
    if expected is Any or expected is object:
        return True
    if expected is type(None) or expected is None:
        return value is None
    if is_typeddict(expected):
        if not isinstance(value, dict):
            return False
        for key, hint, required in _hints(expected):
            if key not in value:
                if required:
                    return False
                continue
            if not conforms(value[key], hint, _depth + 1):
                return False
        return True
    origin = get_origin(expected)
    if origin in (Union, types.UnionType):
        return any(conforms(value, option, _depth + 1) for option in get_args(expected))
    if origin is Literal:
        return any(value == option and type(value) is type(option) for option in get_args(expected))
    if origin is list:
        (item,) = get_args(expected) or (Any,)
        return isinstance(value, list) and all(conforms(v, item, _depth + 1) for v in value)
    if origin is dict:
        key_type, item = get_args(expected) or (Any, Any)
        return isinstance(value, dict) and all(
            conforms(k, key_type, _depth + 1) and conforms(v, item, _depth + 1)
            for k, v in value.items()
        )
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return (
            isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )
    if expected is str:
        return isinstance(value, str)
    if isinstance(expected, type):
        return isinstance(value, expected)
    return False


T = typing.TypeVar("T")


def checked(value: object, expected: type[T]) -> T | None:
    """``value`` typed as ``expected`` when it conforms, else ``None``."""
    return typing.cast("T", value) if conforms(value, expected) else None
