#!/usr/bin/env bash
# `clarifycoder serve` against llama.cpp's llama-server (issue 23): CLIENTS concurrent streaming chat
# clients × NEW new tokens each (greedy, the same long coding prompt) on the same GGUF file, the
# same thread count and 16 parallel sequences (llama-server: --parallel 16 --cont-batching).
# Rounds alternate ours / llama-server, each server started fresh; medians. Then a robustness run
# against ours: slow readers, clients that disconnect mid-stream, 1 MiB bodies, invalid UTF-8 and
# 1,000 mixed requests — every request answered or refused with a 4xx, the server alive, RSS reported.
# Usage: MODEL=qwen2.5-coder-0.5b THREADS=2 CLIENTS=64 NEW=128 ROUNDS=2 bench/serve.sh
#   CONFIG=debug uses the debug build (quicker to build; the engine is optimized either way, the
#   HTTP layer is not) — say so when quoting its numbers. CLARIFYCODER=PATH uses that binary as is.
# Needs: the model in the cache (`clarifycoder data fetch --only NAME`), python3 (the load generator
# uses only the standard library), pip + cmake + a C++ compiler for the first llama.cpp build.
# Last stdout line: {"name":"serve","ours_tokens_per_s":…,"llamacpp_tokens_per_s":…,"ratio":…,
#   "ours_ttft_p50_ms":…,"ours_ttft_p99_ms":…,"errors":…}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/llamacpp.sh
MODEL=${MODEL:-qwen2.5-coder-0.5b}
THREADS=${THREADS:-2}
CLIENTS=${CLIENTS:-64}
NEW=${NEW:-128}
ROUNDS=${ROUNDS:-2}
PARALLEL=16
CONFIG=${CONFIG:-release}
GGUF=$(resolve_model "$MODEL")
OUT=bench/out/serve
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.log

if [ -n "${CLARIFYCODER:-}" ]; then
    BIN=$CLARIFYCODER
else
    swift build -c "$CONFIG" --product clarifycoder >&2
    BIN=$(swift build -c "$CONFIG" --show-bin-path)/clarifycoder
fi
llama_cpp_build llama-server

PID=""
stop_server() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
        PID=""
    fi
}
trap stop_server EXIT

wait_ready() {  # wait_ready URL LOG: until GET URL/health answers 200 (llama-server: once the model is loaded)
    for _ in $(seq 1200); do
        curl -sf -o /dev/null "$1/health" && return 0
        kill -0 "$PID" 2>/dev/null || { tail -n 20 "$2" >&2; echo "the server exited" >&2; return 1; }
        sleep 0.25
    done
    echo "the server at $1 did not become ready" >&2
    return 1
}

PORT=${PORT:-18431}
URL="http://127.0.0.1:$PORT"
start_ours() {
    OPENBLAS_NUM_THREADS=1 "$BIN" serve --model "$GGUF" --port "$PORT" --parallel "$PARALLEL" --threads "$THREADS" \
        --context 1024 2>"$OUT/ours.log" &
    PID=$!
    wait_ready "$URL" "$OUT/ours.log"
}
start_llamacpp() {
    "$LLAMA_BIN/llama-server" -m "$GGUF" --host 127.0.0.1 --port "$PORT" -t "$THREADS" --parallel "$PARALLEL" \
        --cont-batching -c $((PARALLEL * 1024)) > "$OUT/llamacpp.log" 2>&1 &
    PID=$!
    wait_ready "$URL" "$OUT/llamacpp.log"
}

for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS: ours" >&2
    start_ours
    python3 bench/serve_load.py throughput "$URL" "$(basename "$GGUF" .gguf)" "$CLIENTS" "$NEW" > "$OUT/ours.$round.json"
    stop_server
    echo "round $round/$ROUNDS: llama-server" >&2
    start_llamacpp
    python3 bench/serve_load.py throughput "$URL" "$(basename "$GGUF" .gguf)" "$CLIENTS" "$NEW" > "$OUT/llamacpp.$round.json"
    stop_server
done

echo "robustness: ours" >&2
start_ours
python3 bench/serve_load.py robustness "$URL" "$(basename "$GGUF" .gguf)" "$PID" > "$OUT/robustness.json"
stop_server

python3 - "$OUT" "$ROUNDS" "$THREADS" "$MODEL" "$CLIENTS" "$NEW" "$CONFIG" <<'PY'
import json, os, statistics, sys
out, rounds, threads, model, clients, new, config = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
runs = range(1, rounds + 1)
ours = [json.load(open(f"{out}/ours.{r}.json")) for r in runs]
llama = [json.load(open(f"{out}/llamacpp.{r}.json")) for r in runs]
robust = json.load(open(f"{out}/robustness.json"))
med = statistics.median
o, l = med(r["tokens_per_s"] for r in ours), med(r["tokens_per_s"] for r in llama)
p50 = med(r["ttft_p50_ms"] or 0 for r in ours)
p99 = med(r["ttft_p99_ms"] or 0 for r in ours)
errors = sum(r["errors"] for r in ours) + robust["errors"]
load = os.getloadavg()[0]
print(f"{model}, {threads} threads, {clients} clients x {new} tokens, {config} build, load {load:.2f}: "
      f"ours {o:.1f} vs llama-server {l:.1f} tokens/s (llama-server errors: {sum(r['errors'] for r in llama)}); "
      f"TTFT p50 {p50:.0f} ms, p99 {p99:.0f} ms; robustness {json.dumps(robust)}", file=sys.stderr)
print(json.dumps({"name": "serve", "ours_tokens_per_s": round(o, 2), "llamacpp_tokens_per_s": round(l, 2),
                  "ratio": round(o / l, 3) if l else None, "ours_ttft_p50_ms": round(p50, 1),
                  "ours_ttft_p99_ms": round(p99, 1), "errors": errors}))
PY
