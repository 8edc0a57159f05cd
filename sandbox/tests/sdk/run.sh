#!/usr/bin/env bash
# Runs the official-SDK test against a freshly started offline Stripe emulator on a free port.
# Usage (from anywhere): sandbox/tests/sdk/run.sh
# Env: CARGO_TARGET_DIR (default <repo>/target), SANDBOX_VENV (default <repo>/tools/venv).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
venv="${SANDBOX_VENV:-$repo/tools/venv}"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import stripe" 2>/dev/null; then
  "$venv/bin/pip" install -q -r "$here/requirements.txt"
fi

# SANDBOX_BIN: an emulator binary built already (the project's test command passes the one its
# `cargo test` built, to avoid a second build with other features).
bin="${SANDBOX_BIN:-}"
if [ -z "$bin" ]; then
  (cd "$repo" && CARGO_TARGET_DIR="$target" cargo build -q -p sandbox --bin sandbox)
  bin="$target/debug/sandbox"
fi

port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
log="$(mktemp)"
"$bin" --addr "127.0.0.1:$port" --reset --seed 42 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
  if "$venv/bin/python" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$port)))"; then
    break
  fi
  sleep 0.1
done

if ! SANDBOX_URL="http://127.0.0.1:$port" "$venv/bin/python" "$here/official_sdk_test.py"; then
  echo "--- emulator log ---" >&2
  cat "$log" >&2
  exit 1
fi
