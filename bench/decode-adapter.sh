#!/usr/bin/env bash
# Greedy decoding of SmolLM2-135M-Instruct (Q4_1, fused kernels; prompt 128, 128 new tokens) with
# and without an unmerged LoRA adapter (random, r=16 on q,k,v,o — the paper's setting), release
# build, the same thread count, alternating rounds; medians. "ours" is base + adapter, "baseline"
# the base alone: the ratio is what running an adapter unmerged costs.
# Needs: a venv with numpy and safetensors (VENV, default .venv) and the SmolLM2 GGUF in the
# cache (`clarifycoder data fetch`).
# Last stdout line: {"name":"decode-adapter","ours_tokens_per_s":…,"baseline_tokens_per_s":…,"ratio":…,
#   "ours_prefill_tokens_per_s":…,"baseline_prefill_tokens_per_s":…,"ours_batched_tokens_per_s":…,
#   "baseline_batched_tokens_per_s":…,"ours_peak_rss_mb":…,"baseline_peak_rss_mb":…}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
require_venv decode-adapter "numpy safetensors" "import numpy, safetensors"
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-1}
BATCH=${BATCH:-8}
RANK=${RANK:-16}
TARGETS=${TARGETS:-q,k,v,o}
HOME_DIR=${CLARIFYCODER_HOME:-$HOME/.cache/clarifycoder}
MODEL="$HOME_DIR/assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -f "$MODEL" ] || { echo "missing $MODEL: run \`clarifycoder data fetch\` first" >&2; exit 1; }
OUT=bench/out/decode-adapter
mkdir -p "$OUT"
rm -f "$OUT"/*.json
"$VENV/bin/python" bench/make_random_adapter.py "$OUT/adapter" "$RANK" "$TARGETS"

swift build -c release --product decode-bench >&2
BIN=$(swift build -c release --show-bin-path)/decode-bench

for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS: with adapter" >&2
    OPENBLAS_NUM_THREADS=$THREADS "$BIN" "$MODEL" --threads "$THREADS" --batch "$BATCH" \
        --adapter "$OUT/adapter" > "$OUT/ours.$round.json"
    echo "round $round/$ROUNDS: base alone" >&2
    OPENBLAS_NUM_THREADS=$THREADS "$BIN" "$MODEL" --threads "$THREADS" --batch "$BATCH" > "$OUT/baseline.$round.json"
done

python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
load = lambda who: [json.load(open(f"{out}/{who}.{r}.json")) for r in range(1, rounds + 1)]
ours, base = load("ours"), load("baseline")
med = lambda runs, key: statistics.median(r[key] for r in runs)
print(json.dumps({
    "name": "decode-adapter",
    "ours_tokens_per_s": round(med(ours, "decode_tokens_per_s"), 2),
    "baseline_tokens_per_s": round(med(base, "decode_tokens_per_s"), 2),
    "ratio": round(med(ours, "decode_tokens_per_s") / med(base, "decode_tokens_per_s"), 3),
    "ours_prefill_tokens_per_s": round(med(ours, "prefill_tokens_per_s"), 2),
    "baseline_prefill_tokens_per_s": round(med(base, "prefill_tokens_per_s"), 2),
    "ours_batched_tokens_per_s": round(med(ours, "batched_decode_tokens_per_s"), 2),
    "baseline_batched_tokens_per_s": round(med(base, "batched_decode_tokens_per_s"), 2),
    "ours_peak_rss_mb": round(max(r["peak_rss_mb"] for r in ours), 1),
    "baseline_peak_rss_mb": round(max(r["peak_rss_mb"] for r in base), 1),
}))
PY
