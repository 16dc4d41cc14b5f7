#!/usr/bin/env bash
# DEVELOPMENT AID ONLY: runs tests/dashboard against the fixture server (not a real faro
# serve), to try the pages and the test's logic. Screenshots go to ${FARO_ARTIFACTS:-a temp dir}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mktemp)"
node "$here/fixture-server.mjs" --port 0 >"$out" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q '^listening on' "$out" && break; sleep 0.1; done
port="$(awk '/^listening on/ {print $3}' "$out")"
[ -n "$port" ] || { echo "fixture server did not start" >&2; exit 1; }
export FARO_URL="http://127.0.0.1:$port" FARO_TOKEN_ADMIN=dev-admin-token FARO_TOKEN_VIEWER=dev-viewer-token
export FARO_ARTIFACTS="${FARO_ARTIFACTS:-$(mktemp -d)}"
echo "screenshots in $FARO_ARTIFACTS" >&2
node --test "$here/../../tests/dashboard/"
