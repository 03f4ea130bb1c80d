#!/usr/bin/env bash
# `clarifycoder serve` against real clients (issue 23): curl, and the official `openai` Python
# package (pip, into a venv), streaming and not, errors included — on LLMTests' tiny Qwen2 fixture
# with the PEFT adapter fixture served as `tuned`, so it runs in seconds on a debug build.
# Not part of `swift test` (it needs pip); run it after a build:
#   bash scripts/serve/clients.sh            # VENV=.venv-serve by default; made when missing
# Prints one line per check and ends with "N passed, M failed"; exits 1 when any failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/serve/start_server.sh
CLARIFYCODER=${CLARIFYCODER:-$(swift build --show-bin-path)/clarifycoder}
VENV=${VENV:-.venv-serve}
if ! "$VENV/bin/python" -c "import openai" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "openai>=1.40"
fi
MODEL=Tests/LLMTests/Fixtures/Model/qwen2-tiny
ADAPTER=Tests/LLMTests/Fixtures/Export/peft-adapter
LOG=$(mktemp)
start_server "$LOG" --model "$MODEL" --adapter "tuned=$ADAPTER" --api-key sesame --max-body 64KiB --parallel 4

passed=0
failed=0
check() {  # check NAME COMMAND...: runs the command, counts it
    if "${@:2}" >/dev/null 2>&1; then
        echo "ok    $1"
        passed=$((passed + 1))
    else
        echo "FAIL  $1"
        failed=$((failed + 1))
    fi
}
status() {  # status EXPECTED CURL-ARGS...: the HTTP status curl gets is EXPECTED
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${@:2}")" = "$1" ]
}
json_has() {  # json_has PYTHON-EXPRESSION-OVER-j CURL-ARGS...
    curl -sf "${@:2}" | python3 -c "import json,sys; j=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"
}
KEY=(-H "Authorization: Bearer sesame")
CHAT=(-H "Content-Type: application/json" "${KEY[@]}" "$BASE_URL/v1/chat/completions")
BODY='{"model":"qwen2-tiny","messages":[{"role":"user","content":"Add two numbers."}],"temperature":0,"max_tokens":6}'

check "curl: /health answers without a key" json_has 'j["status"] == "ok"' "$BASE_URL/health"
check "curl: /v1/models lists the base and the adapter" \
    json_has '[m["id"] for m in j["data"]] == ["qwen2-tiny", "tuned"]' "${KEY[@]}" "$BASE_URL/v1/models"
check "curl: a chat completion" json_has 'j["choices"][0]["message"]["role"] == "assistant"' -d "$BODY" "${CHAT[@]}"
check "curl: a streamed chat completion ends with [DONE]" \
    bash -c "curl -sN -d '${BODY%\}},\"stream\":true}' -H 'Content-Type: application/json' -H 'Authorization: Bearer sesame' '$BASE_URL/v1/chat/completions' | tail -n 2 | grep -qx 'data: \[DONE\]'"
check "curl: no key is 401" status 401 -d "$BODY" "$BASE_URL/v1/chat/completions"
check "curl: a wrong key is 401" status 401 -H "Authorization: Bearer nope" "$BASE_URL/v1/models"
check "curl: bad JSON is 400" status 400 -d '{"messages":' "${CHAT[@]}"
check "curl: invalid UTF-8 is 400" bash -c "printf '{\"messages\":[{\"role\":\"user\",\"content\":\"\xff\xfe\"}]}' | curl -s -o /dev/null -w '%{http_code}' --data-binary @- -H 'Authorization: Bearer sesame' '$BASE_URL/v1/chat/completions' | grep -qx 400"
check "curl: an unknown model is 404" status 404 -d '{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}' "${CHAT[@]}"
check "curl: a body over --max-body is 413" \
    bash -c "head -c 70000 /dev/zero | tr '\0' 'a' | curl -s -o /dev/null -w '%{http_code}' --data-binary @- -H 'Authorization: Bearer sesame' '$BASE_URL/v1/chat/completions' | grep -qx 413"
check "curl: GET on a POST route is 405" status 405 "${KEY[@]}" "$BASE_URL/v1/chat/completions"
check "curl: an unknown path is 404" status 404 "$BASE_URL/nothing/here"
check "curl: /metrics is Prometheus text" \
    bash -c "curl -sf -H 'Authorization: Bearer sesame' '$BASE_URL/metrics' | grep -q '^# TYPE clarifycoder_requests_total counter'"

OUTPUT=$("$VENV/bin/python" scripts/serve/openai_client_check.py "$BASE_URL/v1" sesame 2>&1) || true
echo "$OUTPUT"
passed=$((passed + $(grep -c '^ok ' <<<"$OUTPUT" || true)))
failed=$((failed + $(grep -vc '^ok ' <<<"$OUTPUT" || true)))
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
