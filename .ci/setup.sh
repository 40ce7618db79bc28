#!/usr/bin/env bash
# ipcase set-up: installs what is missing, then serves the app or runs the whole test suite.
#   bash .ci/setup.sh serve   -> http://127.0.0.1:5000 on SQLite with demo data (gunicorn + a queue worker)
#   bash .ci/setup.sh test    -> lint + the whole test suite (SQLite, and PostgreSQL when reachable)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
case "$mode" in serve|test) ;; *) echo "usage: bash .ci/setup.sh serve|test" >&2; exit 2 ;; esac

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- system packages -------------------------------------------------------------------------
# fonts-noto-cjk: the CJK faces of official documents; libharfbuzz-subset0: fast font subsetting
# for WeasyPrint (installed explicitly, never left to arrive with another package);
# chromium: the browser the Playwright tests drive; poppler-utils: pdftotext reads issued PDFs in tests.
DEB_PACKAGES=(chromium fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 libcairo2 poppler-utils)
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "Installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python environment ----------------------------------------------------------------------
PY="$(command -v python3.11 || command -v python3)"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  say "Creating the virtual environment"
  "$PY" -m venv .venv
fi
stamp=".venv/.requirements.sha256"
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing Python requirements"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"

# Translations are kept as .po sources; compile them to .mo for Flask-Babel.
pybabel -q compile -d ipcase/translations

if [ "$mode" = serve ]; then
  if [ ! -f instance/config.py ]; then
    say "Writing instance/config.py with a new secret key"
    python -c 'import secrets; print(f"SECRET_KEY = {secrets.token_hex(32)!r}")' > instance/config.py
  fi
  say "Migrating the database"
  flask --app wsgi db upgrade
  say "Official holiday calendar"
  flask --app wsgi ipcase sync-calendar
  say "Demo data"
  flask --app wsgi ipcase seed-demo
  bind="${IPCASE_BIND:-127.0.0.1:5000}"
  # the address as gunicorn reads --bind (HOST, HOST:PORT, [IPv6]:PORT, unix:PATH, fd://N)
  url="$(python - "$bind" <<'PY' 2>/dev/null
import sys
from gunicorn.util import parse_address
address = parse_address(sys.argv[1])
if isinstance(address, tuple):
    host, port = address
    print(f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}")
else:
    print(sys.argv[1])
PY
)" || url="$bind"
  # the web server and one job-queue worker (ipcase.tasks: the sweep, the outbox, batches) side by
  # side; Ctrl-C, SIGTERM or either one ending stops both (the worker finishing its running tasks)
  pids=()
  stop_serving() {
    trap - EXIT INT TERM
    ((${#pids[@]})) || return 0
    kill -INT "${pids[0]}" 2>/dev/null || true
    ((${#pids[@]} < 2)) || kill -TERM "${pids[1]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  }
  trap 'stop_serving; exit 130' INT
  trap 'stop_serving; exit 143' TERM
  trap stop_serving EXIT
  say "Starting the job queue's worker (${IPCASE_QUEUE_WORKERS:-2} processes: batches render in parallel)"
  flask --app wsgi ipcase worker --workers "${IPCASE_QUEUE_WORKERS:-2}" --worker-type process &
  pids+=("$!")
  # one web process with threads unless the rate limits are shared in Redis: kept in memory, each
  # process would count alone (the app refuses several processes then, ipcase/config.py)
  if [ -n "${IPCASE_REDIS_URL:-}" ]; then web_workers="${IPCASE_WORKERS:-2}"; else web_workers=1; fi
  say "Serving on $url (Ctrl-C to stop; $web_workers web process(es), ${IPCASE_THREADS:-4} threads each)"
  gunicorn -c python:ipcase.gunicorn_conf --workers "$web_workers" --threads "${IPCASE_THREADS:-4}" \
    --bind "$bind" --access-logfile - wsgi:app &
  pids+=("$!")
  status=0
  wait -n "${pids[@]}" || status=$?
  stop_serving
  exit "$status"
fi

say "Lint (ruff)"
ruff check .
ruff format --check .
say "Import layers (import-linter: pyproject.toml, ARCHITECTURE.md)"
lint-imports --no-cache
# Bytecode is cached (some shells set PYTHONDONTWRITEBYTECODE): every test process below would
# otherwise compile the app, the tests and their assertion rewriting anew.
unset PYTHONDONTWRITEBYTECODE
if (($# >= 2)); then
  say "Tests, the clock frozen at the default instant (SQLite, and PostgreSQL when reachable)"
  exec python -m pytest -q -p no:cacheprovider "${@:2}"
fi
# The whole suite: at the default instant on SQLite and PostgreSQL, spread over one pytest-xdist
# worker per core (tests sharing a costly fixture, e.g. the browser tests' Chromium and live
# server, stay on one worker: tests/conftest.py); then again with the clock at two other instants
# (tests/conftest.py: OTHER_INSTANTS) — a later year without an official holiday schedule, and
# 23:30 China time on the eve of National Day — so a test that passes only on some days is found.
# Those two runs go side by side (one process each), each into its own log, printed when both end.
# Each run, and each worker of a run, has its own Redis database: 15 down to 15 - workers + 1 for
# the first, then the next free ones (tests/conftest.py: REDIS_URL).
workers="${IPCASE_TEST_WORKERS:-$(nproc)}"
((workers >= 1 && workers <= 8)) || workers=2
say "Tests, the clock frozen at the default instant (SQLite, and PostgreSQL when reachable; $workers workers)"
status=0
if ((workers > 1)); then
  IPCASE_TEST_REDIS_URL="redis://127.0.0.1:6379/15" python -m pytest -q -p no:cacheprovider -n "$workers" --dist loadgroup || status=1
else
  IPCASE_TEST_REDIS_URL="redis://127.0.0.1:6379/15" python -m pytest -q -p no:cacheprovider || status=1
fi
logs="$(mktemp -d)"
pids=()
redis_db=$((15 - workers))
for at in $(python -c 'from tests.conftest import OTHER_INSTANTS; print(*OTHER_INSTANTS)'); do
  say "Tests again, the clock at $at (SQLite)"
  # the number is taken here, not in the background command's own words: those are expanded in
  # the forked child, so a decrement there never reaches this loop and both runs would share one
  url="redis://127.0.0.1:6379/$redis_db"
  redis_db=$((redis_db - 1))
  IPCASE_TEST_REDIS_URL="$url" IPCASE_TEST_BACKENDS=sqlite python -m pytest -q -p no:cacheprovider --at "$at" >"$logs/$at.log" 2>&1 &
  pids+=("$!")
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for log in "$logs"/*.log; do
  say "$(basename "$log" .log)"
  cat "$log"
done
rm -rf "$logs"
exit "$status"
