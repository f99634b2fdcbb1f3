"""The user's settings: ``config.toml`` in the config directory, then environment variables.

Precedence, highest first: command-line option, environment variable
(``VOICEMOCK_MODEL``), ``config.toml``, built-in default.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from typing import Any

from voicemock.analysis.timing import Target, parse_seconds, parse_window
from voicemock.env import Environment
from voicemock.errors import InputError

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


@dataclass(frozen=True)
class Config:
    model: str | None = None
    target: Target = field(default_factory=Target)
    voice: str | None = None
    rate: int | None = None
    input_device: str | None = None
    output_device: str | None = None

    @classmethod
    def load(cls, env: Environment) -> Config:
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

        target = Target()
        try:
            if "target" in data:
                low, high = parse_window(str(data["target"]))
                target = target.with_window(low, high)
            if "cap" in data:
                target = target.with_cap(parse_seconds(str(data["cap"])))
        except ValueError as exc:
            raise InputError(f"{where}: {exc}") from exc
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
