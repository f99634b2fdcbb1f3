"""The user's settings: ``config.toml`` in the config directory, then environment variables.

Precedence, highest first: command-line option, environment variable
(``VOICEMOCK_MODEL``), ``config.toml``, built-in default.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from voicemock.errors import InputError
from voicemock.timing import Target, apply_overrides

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAME = "config.toml"

KNOWN_KEYS = {
    "model": "faster-whisper model name or CTranslate2 model directory",
    "target": 'target window, e.g. "150-210" or "2:30-3:30"',
    "cap": "hard stop in seconds, e.g. 240",
    "voice": "text-to-speech voice id or name",
    "rate": "text-to-speech speed in words per minute",
    "input_device": "microphone name or index",
    "output_device": "speaker name or index",
}


class Place(Protocol):
    """Where the settings are read from (an :class:`~voicemock.env.Environment`)."""

    @property
    def config_dir(self) -> Path: ...

    @property
    def environ(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Config:
    model: str | None = None
    target: Target = field(default_factory=Target)
    voice: str | None = None
    rate: int | None = None
    input_device: str | None = None
    output_device: str | None = None

    @classmethod
    def load(cls, env: Place) -> Config:
        path = env.config_dir / CONFIG_NAME
        data: dict[str, Any] = {}
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"{path}: cannot read: {exc}") from exc
            except tomllib.TOMLDecodeError as exc:
                raise InputError(f"{path}: {exc}") from exc
        config = cls._from_mapping(data, str(path))
        model = env.environ.get("VOICEMOCK_MODEL")
        if model:
            config = cls(
                model=model,
                target=config.target,
                voice=config.voice,
                rate=config.rate,
                input_device=config.input_device,
                output_device=config.output_device,
            )
        return config

    @classmethod
    def _from_mapping(cls, data: dict[str, Any], where: str) -> Config:
        for key in data:
            if key not in KNOWN_KEYS:
                close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise InputError(f"{where}: unknown setting {key!r}{hint}")

        def text(key: str) -> str | None:
            value = data.get(key)
            if value is None:
                return None
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise InputError(f"{where}: {key} must be text ({KNOWN_KEYS[key]})")
            return str(value)

        target = apply_overrides(
            Target(),
            str(data["target"]) if "target" in data else None,
            str(data["cap"]) if "cap" in data else None,
            where=where,
        )
        rate = data.get("rate")
        if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int) or rate <= 0):
            raise InputError(f"{where}: rate must be a positive whole number of words per minute")
        return cls(
            model=text("model"),
            target=target,
            voice=text("voice"),
            rate=rate,
            input_device=text("input_device"),
            output_device=text("output_device"),
        )
