#!/usr/bin/env bash
# The demo behind `make run`: the uHub sandbox (a development double) in the background, the example
# infrastructure repo and the sandbox's export ingested, then the aiops server in the foreground.
# Ctrl-C stops both.
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
SANDBOX_PORT=${SANDBOX_PORT:-8900}
export AIOPS_UHUB_URL=${AIOPS_UHUB_URL:-http://127.0.0.1:${SANDBOX_PORT}}

"$BIN/aiops" uhub-sandbox --port "$SANDBOX_PORT" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT INT TERM

"$BIN/python" - "$AIOPS_UHUB_URL/healthz" <<'PY'
import sys, time, httpx
for _ in range(100):
    try:
        httpx.get(sys.argv[1], timeout=1)
        break
    except httpx.HTTPError:
        time.sleep(0.2)
else:
    sys.exit("the uHub sandbox did not start")
PY

"$BIN/aiops" ingest examples/infrastructure --uhub
echo "aiops on http://$HOST:$PORT (playgrounds: /rag/playground/ and /assistant/playground/)"
"$BIN/aiops" serve --host "$HOST" --port "$PORT"
