"""Shared fixtures: an isolated data dir for every test, real audio, the real model."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_AUDIO = Path(os.environ.get("VOICEMOCK_SHARED_AUDIO", ROOT.parent / "shared" / "audio"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Several tests press Ctrl-C on a child process. A shell starting a job in the background
# (`scripts/test &`, nohup) makes it ignore SIGINT, and an ignored signal stays ignored
# across exec, so those children would never see it. A handler does not survive exec:
# with one here, every child starts with SIGINT at its default.
signal.signal(signal.SIGINT, signal.default_int_handler)


def require(condition: object, missing: str) -> None:
    """Skip when a system part is missing, naming it; in CI that is a failure instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required for this test but missing in CI: {missing}")
    pytest.skip(f"missing: {missing}")


@pytest.fixture(autouse=True)
def voicemock_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty data/config dir; nothing touches the user's."""
    home = tmp_path / "voicemock-home"
    monkeypatch.setenv("VOICEMOCK_HOME", str(home))
    for var in ("VOICEMOCK_MODEL", "NO_COLOR", "FORCE_COLOR", "VOICEMOCK_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(scope="session")
def shared_audio() -> Path:
    """The real speech clips beside the checkout (``../shared/audio``)."""
    require((SHARED_AUDIO / "README.md").is_file(), f"real speech clips at {SHARED_AUDIO}")
    return SHARED_AUDIO


@pytest.fixture(scope="session")
def espeak() -> str:
    path = shutil.which("espeak-ng")
    require(path, "espeak-ng (Debian package espeak-ng)")
    assert path is not None
    return path
