"""A wheel built from the checkout carries the bundled question sets.

Builds the wheel, installs it into a fresh venv with only the light dependencies the
``sets`` commands need (no numpy, faster-whisper, PortAudio or TTS), and runs the installed
``voicemock`` from a directory outside the checkout: the bundled sets must be found inside
the venv, not in the repository.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
LIGHT_DEPS = ["click>=8.1", "platformdirs>=4.0", "rich>=13.0", "tomli-w>=1.0"]
if sys.version_info < (3, 11):
    LIGHT_DEPS.append("tomli>=2.0")
OFFLINE = re.compile(
    r"Could not find a version|No matching distribution|Failed to establish|NewConnectionError"
    r"|Temporary failure in name resolution|Network is unreachable|ProxyError|ConnectTimeout"
)


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    }
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def pip(*args: str, cwd: Path) -> None:
    """Run the project venv's pip; a missing registry skips (fails in CI), anything else fails."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        require(
            not OFFLINE.search(done.stdout + done.stderr),
            "PyPI (or pip's cache) for hatchling, click, platformdirs, rich and tomli-w",
        )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_wheel_install_finds_the_bundled_sets(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    pip("wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT), cwd=tmp_path)
    (wheel,) = dist.glob("voicemock-*.whl")

    venv = tmp_path / "fresh venv"  # a space in the path, as on many laptops
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip("--python", str(python), "install", "-q", *LIGHT_DEPS, cwd=tmp_path)
    pip("--python", str(python), "install", "-q", "--no-deps", str(wheel), cwd=tmp_path)

    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    installed = site / "voicemock" / "question_sets"
    assert (installed / "amazon-pm.toml").is_file()
    assert not (site / "numpy").exists(), "the fresh venv should hold only the light deps"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def voicemock(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(venv / "bin" / "voicemock"), *args],
            cwd=elsewhere,
            env=clean_env(VOICEMOCK_HOME=str(tmp_path / "home")),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    listed = voicemock("sets", "list")
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^amazon-pm  57 questions  bundled$", listed.stdout, re.M), listed.stdout
    assert re.search(r"^general  10 questions  bundled$", listed.stdout, re.M)
    assert f"path: {installed / 'amazon-pm.toml'}" in listed.stdout
    assert f"path: {installed / 'general.toml'}" in listed.stdout
    assert str(ROOT) not in listed.stdout

    checked = voicemock("sets", "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"ok  {installed / 'amazon-pm.toml'}: amazon-pm, 57 questions" in checked.stdout

    shown = voicemock("sets", "show", "amazon-pm", "--tag", "Frugality")
    assert shown.returncode == 0, shown.stderr
    assert "showing 3 of 57 tagged Frugality" in shown.stdout
