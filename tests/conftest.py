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


# -- how the slow tests share the machine ---------------------------------------------------
# scripts/test runs the slow tests on two workers (``-n 2 --dist loadgroup``): one takes the
# tests that play, record or drive a terminal in real time, one by one, while the other
# decodes with the model, one test at a time; the tests that time things to a fraction of a
# second (``alone``) run afterwards, with the machine to themselves.

REAL_TIME = frozenset(
    {
        "test_alsa",
        "test_examples",
        "test_interview_e2e",
        "test_live_terminal",
        "test_long_recordings",
        "test_practice_e2e",
        "test_practice_stories_e2e",
        "test_privacy",
        "test_signals",
    }
)
"""Modules whose slow tests mostly wait on the clock: audio played into the virtual
microphone, a terminal driven in a pty, a traced process left to linger."""

ALONE = frozenset({"test_full_disk", "test_recorder", "test_speaker"})
"""Modules whose slow tests assert sub-second wall-clock limits."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") is None and item.get_closest_marker("e2e") is None:
            continue
        module = item.path.stem
        if module in ALONE:
            item.add_marker(pytest.mark.alone)
        item.add_marker(pytest.mark.xdist_group("real-time" if module in REAL_TIME else "model"))
