# shellcheck shell=bash
# Shared set-up for scripts/voicemock and scripts/test (sourced, not run).
#
# bootstrap app   -> Debian packages the app needs, .venv, the project installed
# bootstrap test  -> the same plus test-only Debian packages and the test extras
#
# The first run does the work; later runs compare a stamp and return at once.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VOICEMOCK_VENV:-$ROOT/.venv}"
APP_DEBS=(espeak-ng libportaudio2)
TEST_DEBS=(pulseaudio pulseaudio-utils libasound2-plugins chromium strace)

say() { printf 'voicemock setup: %s\n' "$*" >&2; }

missing_debs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
  done
}

install_debs() {
  command -v dpkg-query >/dev/null 2>&1 || {
    say "not a Debian/Ubuntu system: make sure these are installed: $*"
    return 0
  }
  local missing
  missing="$(missing_debs "$@")"
  [ -z "$missing" ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      say "missing system packages: $missing"
      say "install them as root, then run this again:  apt-get install -y $missing"
      exit 1
    fi
  fi
  say "installing system packages: $missing"
  # shellcheck disable=SC2086
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing; } >&2; then
    say "could not install: $missing -- install them yourself:  sudo apt-get install -y $missing"
    exit 1
  fi
}

find_python() {
  local py
  for py in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python3.10; do
    [ -n "$py" ] || continue
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      command -v "$py"
      return 0
    fi
  done
  say "voicemock needs Python 3.10 or newer (apt-get install -y python3 python3-venv)"
  exit 1
}

# pip, minus the warnings some machines' pip.conf produces for absent local indexes.
pip_quiet() {
  "$VENV/bin/python" -m pip -q "$@" 2> >(grep -v "^WARNING: Location '.*' is ignored" >&2)
}

bootstrap() {
  local kind="$1" extras="" stamp
  local debs=("${APP_DEBS[@]}")
  if [ "$kind" = test ]; then
    extras="[test]"
    debs+=("${TEST_DEBS[@]}")
  fi
  stamp="$kind $(cat "$ROOT/pyproject.toml" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
  if [ -f "$VENV/.bootstrap-$kind" ] && [ "$(cat "$VENV/.bootstrap-$kind")" = "$stamp" ]; then
    return 0
  fi
  install_debs "${debs[@]}"
  local py
  py="$(find_python)"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    if ! "$py" -m venv "$VENV" >&2; then
      install_debs python3-venv
      "$py" -m venv "$VENV" >&2
    fi
  fi
  say "installing voicemock$extras into $VENV (first run only)"
  pip_quiet install --upgrade pip || true
  pip_quiet install -e "$ROOT$extras"
  printf '%s\n' "$stamp" >"$VENV/.bootstrap-$kind"
  # A test bootstrap satisfies the app too.
  if [ "$kind" = test ]; then
    printf '%s\n' "app $(cat "$ROOT/pyproject.toml" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)" >"$VENV/.bootstrap-app"
  fi
}
