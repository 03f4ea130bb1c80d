#!/usr/bin/env bash
# The chat page of `clarifycoder serve` in headless Chromium (Debian's `chromium`, driven by the
# `playwright` package from pip with that browser — nothing downloaded at run time): a real streamed
# answer from the tiny fixture model, then a clarifying question and a code answer (canned replies)
# rendered as a question and as highlighted code, at 1280 px and at phone width. Screenshots go to
# OUT (default bench/out/serve-page). Not part of `swift test`; run after a build:
#   bash scripts/serve/page.sh
# Ends with "N passed, M failed"; exits 1 when any failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/serve/start_server.sh
CLARIFYCODER=${CLARIFYCODER:-$(swift build --show-bin-path)/clarifycoder}
VENV=${VENV:-.venv-serve}
OUT=${OUT:-bench/out/serve-page}
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$CHROMIUM" ]; then
    apt-get install -y -qq chromium >/dev/null
    CHROMIUM=$(command -v chromium)
fi
if ! "$VENV/bin/python" -c "import playwright" 2>/dev/null; then
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q playwright
fi
mkdir -p "$OUT"
LOG=$(mktemp)
start_server "$LOG" --model Tests/LLMTests/Fixtures/Model/qwen2-tiny \
    --adapter tuned=Tests/LLMTests/Fixtures/Export/peft-adapter --parallel 2
OUTPUT=$("$VENV/bin/python" scripts/serve/page_check.py "$BASE_URL" "$CHROMIUM" "$OUT" 2>&1) || true
echo "$OUTPUT"
passed=$(grep -c '^ok ' <<<"$OUTPUT" || true)
failed=$(grep -vc '^ok ' <<<"$OUTPUT" || true)
echo "screenshots: $OUT/desktop.png $OUT/phone.png"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
