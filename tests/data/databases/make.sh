#!/usr/bin/env bash
# Remake the databases written by earlier releases (tests/test_interview_migration.py).
#
# Each one is written by that release's own code, checked out from git into a temporary
# directory and run with this checkout's .venv: two rounds of
# `voicemock practice --answer-file ... --fast --no-voice` on speech made by espeak-ng and
# transcribed by the bundled model, and for the release with the story bank, a story with
# a linked answer. Run from the repository root:  tests/data/databases/make.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
PY="$ROOT/.venv/bin/python"
OUT="$ROOT/tests/data/databases"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

espeak-ng -v en-us -s 165 -w "$WORK/answer.wav" \
  "At my last company our checkout page was losing customers. We decided to delay the \
launch and rebuild the payment form. I wrote the plan because billing errors hit our \
biggest accounts. As a result, conversion went from sixty to eighty one percent."

make_db() {  # make_db COMMIT NAME [stories]
  local commit="$1" name="$2" tree="$WORK/$1" home="$WORK/home-$1"
  mkdir -p "$tree"
  git -C "$ROOT" archive "$commit" voicemock question_sets | tar -x -C "$tree"
  run() { (cd "$WORK" && VOICEMOCK_HOME="$home" PYTHONPATH="$tree" "$PY" -m voicemock "$@"); }
  run practice --set general --question about-you --answer-file "$WORK/answer.wav" --fast --no-voice --seed 1 >/dev/null
  run practice --count 2 --answer-file "$WORK/answer.wav" --fast --no-voice --think 0 --seed 2 >/dev/null
  if [ "${3:-}" = stories ]; then
    run stories add "Checkout rebuild" -p "Customer Obsession, Ownership" --from 2:1 >/dev/null
    run stories add "Pricing delay" --summary "VP wanted December; I pushed back" >/dev/null
  fi
  "$PY" - "$home/voicemock.db" "$OUT/$name" <<'PYEOF'
import shutil, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("VACUUM")
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.close()
shutil.copyfile(sys.argv[1], sys.argv[2])
PYEOF
  echo "wrote $OUT/$name (release $commit)"
}

make_db f8d68e9 before-m003.db           # main before the story bank: m001, m002
make_db 3fbff0c after-m003.db stories    # main with the story bank: m001..m003
