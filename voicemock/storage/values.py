"""How values are written into and read back from the database's text columns.

Times are ISO-8601 in UTC with milliseconds; JSON holds no NaN or Infinity (they are
stored as null) and never fails on an odd value. Used by every table of the store.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from voicemock.errors import StorageError


def iso(when: datetime | None) -> str | None:
    """ISO-8601 UTC with milliseconds; a naive datetime is taken as local time."""
    if when is None:
        return None
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def parse_time(text: str) -> datetime:
    """A stored time; ``Z`` is accepted (Python 3.10's parser lacks it), naive means UTC."""
    try:
        when = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except (TypeError, ValueError) as exc:
        raise StorageError(f"the session database holds an unreadable time {text!r}") from exc
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def dumps(value: Any) -> str:
    return json.dumps(finite(value), ensure_ascii=False, allow_nan=False, default=_json_default)


def finite(value: Any) -> Any:
    """JSON has no NaN or Infinity: store them as null rather than invalid JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def _json_default(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return finite(to_dict())
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)  # keep the answer rather than lose it over an odd value


def loads(text: str | None, empty: Any) -> Any:
    if not text:
        return empty
    try:
        return json.loads(text)
    except ValueError:
        return empty
